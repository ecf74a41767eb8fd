"""The spec of SPEC.md as pydantic models: one class per block, field names as the spec spells them."""

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from deployer.errors import quoted
from deployer.speclang.durations import format_duration, parse_duration

KEBAB = r"^[a-z][a-z0-9-]*[a-z0-9]$"
# Topics, subscriptions, caches and cron jobs may also have dots, as Encore.ts names them (topic
# `site.added`): its parser takes any string there (tsparser/src/parser/resources/infra/, no name check but
# a bucket's), deployer takes kebab-case and dots; physical names have a `-` for each dot (naming.py).
ENCORE_NAME = r"^[a-z][a-z0-9.-]*[a-z0-9]$"
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
APP_NAME = r"^[a-z][a-z0-9-]{1,30}$"
DURATION_PATTERN = r"^(\d+(ms|s|m|h|d))+$"  # for editors: \d is ASCII in ECMAScript
# The clouds' APIs take 32-bit integers (S3 lifecycle days, CORS MaxAgeSeconds, SQS receive counts).
INT32_MAX = 2**31 - 1
# Regions as the clouds name them: eu-west-1, us-gov-west-1 (AWS); europe-west1 (GCP).
AWS_REGION = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"
GCP_REGION = r"^[a-z]+-[a-z]+[0-9]$"
SERVICE_PRINCIPAL = r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$"  # e.g. lambda.amazonaws.com
# A URL's host (a name or an IP address, an optional port), then a path, a query or nothing.
URL_HOST = r"([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?([/?#][^\s]*)?$"
# EventBridge rule descriptions hold 512 characters, Cloud Scheduler job descriptions 500.
MAX_CRON_TITLE = 500

Duration = Annotated[
    timedelta,
    BeforeValidator(lambda v: v if isinstance(v, timedelta) else parse_duration(v)),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["30s", "10m", "7d"],
                    "description": "a duration: a number and a unit (ms, s, m, h, d), e.g. 30s, 10m, 1h30m, 7d"}),
]
KebabName = Annotated[str, Field(pattern=KEBAB)]
EncoreName = Annotated[str, Field(pattern=ENCORE_NAME)]
SecretName = Annotated[str, Field(pattern=IDENTIFIER)]

ENV_TYPE_ALIASES = {"prod": "production", "dev": "development", "pr": "preview"}
EnvType = Literal["production", "development", "preview", "local"]
ENV_TYPES: tuple[str, ...] = EnvType.__args__


def canonical_env_type(value: Any) -> Any:
    return ENV_TYPE_ALIASES.get(value, value) if isinstance(value, str) else value


EnvTypeName = Annotated[EnvType, BeforeValidator(
    canonical_env_type, json_schema_input_type=Literal[EnvType, "prod", "dev", "pr"])]
# A cloud's name; which clouds exist is the registry's to say (deployer.clouds), checked by the rules.
Provider = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*$")]
DEFAULT_PROVIDER = "aws"
FILE_STORE = "file"  # the secret store beside the spec; any other `secretStore` names a cloud


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


def _matching(pattern: str, what: str) -> classmethod:
    """A field validator: the value, or each value of a list, matches PATTERN (else "… is not WHAT")."""
    compiled = re.compile(pattern, re.ASCII)

    def check(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else [value]:
            if item is not None and not compiled.fullmatch(item):
                raise ValueError(f"{quoted(item)} is not {what}")
        return value

    return classmethod(check)


# --- provider settings -------------------------------------------------------------------------


class AwsNetwork(Model):
    """The VPC that AWS caches are placed in (default: the default VPC)."""

    vpc_id: str | None = Field(None, description="VPC of the caches' subnet group")
    subnet_ids: list[str] = Field([], description="subnets of the caches' subnet group")
    security_group_ids: list[str] = Field([], description="security groups of the caches' clients: port 6379 is "
                                          "open to them only (default: to the VPC's address range)")


class AwsSettings(Model):
    """AWS settings, used by every environment that targets AWS."""

    region: str | None = Field(None, description="AWS region, e.g. eu-west-1 (required when an env targets AWS)")
    tags: dict[str, str] = Field({}, description="tags added to every AWS resource")
    network: AwsNetwork | None = Field(None, description="where caches are placed")

    _region = field_validator("region")(_matching(AWS_REGION, "an AWS region such as eu-west-1 (https://docs.aws.amazon.com/"
                                                         "global-infrastructure/latest/regions/aws-regions.html)"))


class GcpSettings(Model):
    """GCP settings, used by every environment that targets GCP."""

    project: str | None = Field(None, description="GCP project ID (required when an environment targets GCP)")
    region: str | None = Field(None, description="GCP region, e.g. europe-west1 (required when an env targets GCP)")
    labels: dict[str, str] = Field({}, description="labels added to every GCP resource")
    network: str | None = Field(None, description="VPC network for Memorystore (default: `default`)")

    _region = field_validator("region")(_matching(GCP_REGION, "a GCP region such as europe-west1 "
                                                         "(https://cloud.google.com/compute/docs/regions-zones)"))


# --- caches --------------------------------------------------------------------------------------

EvictionPolicy = Literal[
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
    "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction",
]
BasicKeyType = Literal["string", "int", "uint", "bool"]
ValueType = Literal["string", "int", "float", "bool", "struct", "set", "list"]


class DailyAt(Model):
    """An expiry at a time of day."""

    daily_at: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="expire at this time, HH:MM UTC")]


Expiry = Literal["never", "keep-ttl"] | DailyAt | Duration


class Keyspace(Model):
    """A typed family of keys in a cache, shared with the services through the outputs."""

    key: BasicKeyType | dict[str, BasicKeyType] = Field(
        description="a basic key type, or a struct key: field name -> basic type")
    value: ValueType = Field(description="type of the values")
    key_pattern: str = Field(description="how keys are written: `:key` (once or more) for a basic key, each "
                             "`:Field` once for a struct key, e.g. `requests/:UserID/:Route`")
    default_expiry: Expiry = Field("never", description="a duration, `never`, `keep-ttl` or `{dailyAt: \"HH:MM\"}`")


class AwsCache(Model):
    """ElastiCache sizing; unset values come from the environment type."""

    node_type: str | None = Field(None, description="ElastiCache node type, e.g. cache.t4g.micro")
    replicas: int | None = Field(None, ge=0, le=5, description="read replicas; 1 or more enables automatic failover "
                                "and multi-AZ")
    engine_version: str = Field("7.1", description="Redis engine version")
    snapshot_retention_days: int | None = Field(None, ge=0, le=35, description="days of daily snapshots kept")
    auth_token_generation: int = Field(1, ge=1, le=INT32_MAX, description="raise it to generate a new AUTH token (a rotation: "
                                       "see authTokenUpdate)")
    auth_token_update: Literal["rotate", "set"] = Field(
        "rotate", description="how ElastiCache applies a new AUTH token: `rotate` keeps the old one valid beside "
        "it; `set`, once the services use the new one, leaves only the new one valid")


class GcpCache(Model):
    """Memorystore sizing; unset values come from the environment type."""

    memory_size_gb: int | None = Field(None, ge=1, le=300, description="memory of the instance, in GB")
    tier: Literal["BASIC", "STANDARD_HA"] | None = Field(None, description="STANDARD_HA adds a replica and failover")
    redis_version: str = Field("REDIS_7_2", description="Memorystore Redis version")


class Cache(Model):
    """A Redis cluster (ElastiCache on AWS, Memorystore on GCP)."""

    eviction_policy: EvictionPolicy = Field("allkeys-lru", description="what Redis evicts when memory is full")
    keyspaces: dict[KebabName, Keyspace] = Field({}, description="keyspaces by name")
    aws: AwsCache = Field(AwsCache(), description="sizing on AWS")
    gcp: GcpCache = Field(GcpCache(), description="sizing on GCP")


# --- buckets -------------------------------------------------------------------------------------


class Cors(Model):
    """A CORS rule of a bucket."""

    origins: list[str] = Field(description="allowed origins, e.g. https://app.example.com")
    methods: list[Literal["GET", "PUT", "POST", "DELETE", "HEAD"]] = Field(description="allowed HTTP methods")
    headers: list[str] = Field([], description="allowed request headers (`*` for any)")
    max_age_seconds: int = Field(3600, ge=0, le=INT32_MAX, description="how long browsers may cache the preflight response")


class LifecycleRule(Model):
    """A lifecycle rule of a bucket: expire or move objects after some days."""

    prefix: str | None = Field(None, description="only objects whose key starts with this")
    expire_after_days: int | None = Field(None, ge=1, le=INT32_MAX, description="delete objects this many days after creation")
    transition_after_days: int | None = Field(None, ge=0, le=INT32_MAX, description="move objects to `storageClass` after N days")
    storage_class: Literal["infrequent", "archive"] | None = Field(None, description="target class of a transition")
    noncurrent_expire_after_days: int | None = Field(None, ge=1, le=INT32_MAX, description="delete old versions after this many days "
                                                     "(versioned buckets only)")


DOMAIN_NAME = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"  # lowercase, no wildcard


class GcpBucket(Model):
    """How GCP serves a public bucket."""

    domain: Annotated[str, Field(pattern=DOMAIN_NAME)] | None = Field(
        None, description="serve the public objects at https://DOMAIN through a load balancer with Cloud CDN and a "
                          "Google-managed certificate (point the domain's A record at the address the outputs "
                          "give); default: https://storage.googleapis.com/BUCKET, no load balancer")


class Bucket(Model):
    """Object storage: private and encrypted at rest unless `public`."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")] | None = Field(
        None, description="the exact bucket name, as the cloud's bucket naming rules allow (default: APP-ENV-NAME "
                          "and a hash of the AWS account or GCP project: bucket names are global); pin one per "
                          "environment, in its overrides")
    versioned: bool = Field(False, description="keep every version of an object")
    public: bool = Field(False, description="serve the objects publicly through the provider's CDN")
    cors: list[Cors] = Field([], description="CORS rules")
    index_document: str | None = Field(None, description="a public bucket's object served at the root of "
                                       "`publicUrl`, e.g. index.html")
    lifecycle: list[LifecycleRule] = Field([], description="lifecycle rules")
    gcp: GcpBucket = Field(GcpBucket(), description="settings on GCP")


# --- topics --------------------------------------------------------------------------------------


class RetryPolicy(Model):
    """How failed deliveries are retried before the message goes to the dead letters."""

    min_backoff: Duration = Field(timedelta(seconds=10), description="wait before the first retry")
    max_backoff: Duration = Field(timedelta(minutes=10), description="longest wait between retries")
    max_retries: int = Field(100, ge=1, le=INT32_MAX, description="failed deliveries before the dead-letter destination")


class Subscription(Model):
    """A consumer of a topic, with its own dead-letter destination."""

    service: str = Field(description="the consuming service")
    endpoint: Annotated[str, Field(pattern=r"^/")] | None = Field(
        None, description="push to this path of the service's URL; absent: the service pulls")
    ack_deadline: Duration = Field(timedelta(seconds=30), description="time to acknowledge a message")
    message_retention: Duration = Field(timedelta(days=7), description="how long undelivered messages are kept")
    max_concurrency: int | None = Field(None, ge=1, le=INT32_MAX, description="most messages in flight at once")
    retry_policy: RetryPolicy = Field(RetryPolicy(), description="retries before dead-lettering")


class Topic(Model):
    """A pub/sub topic (SNS on AWS, Pub/Sub on GCP) and its subscriptions."""

    delivery_guarantee: Literal["at-least-once", "exactly-once"] = Field(
        "at-least-once", description="exactly-once is FIFO on AWS, exactly-once delivery on GCP")
    ordering_attribute: str | None = Field(None, description="messages with one value of this attribute are "
                                           "delivered in order")
    subscriptions: dict[EncoreName, Subscription] = Field({}, description="subscriptions by name")


# --- cron ----------------------------------------------------------------------------------------


class ServiceEndpoint(Model):
    """A path of a service's URL."""

    service: str = Field(description="a service with a `url`")
    path: Annotated[str, Field(pattern=r"^/", description="path below the service's URL")]


class CronJob(Model):
    """A periodic empty POST to an endpoint; give exactly one of `every` and `schedule`."""

    title: str | None = Field(None, max_length=MAX_CRON_TITLE, description="what the job does")
    every: Duration | None = Field(None, description="interval that divides 24h evenly, 1m to 24h")
    schedule: str | None = Field(None, description="5-field cron expression, in UTC, e.g. `0 4 * * *`")
    endpoint: ServiceEndpoint | Annotated[str, Field(pattern=rf"^https://{URL_HOST}")] = Field(
        description="`{service, path}` or a full https URL; must be idempotent")


# --- secrets and services ------------------------------------------------------------------------


class Secret(Model):
    """A declared secret; its values are set with `deployer secret set`, never in the spec."""

    description: str | None = Field(None, description="what the secret is for")


BucketPermission = Literal["download", "upload", "list", "remove", "attrs", "public-url"]
TopicPermission = Literal["publish"]


class Uses(Model):
    """What a service may use; its identity gets exactly these permissions."""

    buckets: dict[str, list[BucketPermission]] = Field({}, description="bucket name -> permissions")
    topics: dict[str, list[TopicPermission]] = Field({}, description="topic name -> permissions")
    caches: list[str] = Field([], description="caches the service connects to")
    secrets: list[str] = Field([], description="secrets the service reads")


class AwsService(Model):
    """AWS settings of a service's IAM role."""

    trust: list[str] = Field(
        ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"],
        description="service principals that may assume the service's role",
    )

    _trust = field_validator("trust")(_matching(SERVICE_PRINCIPAL, "an AWS service principal such as "
                                                                    "lambda.amazonaws.com"))


class Service(Model):
    """A consumer of the resources, with its own identity (IAM role, service account)."""

    url: Annotated[str, Field(pattern=rf"^https?://{URL_HOST}")] | None = Field(
        None, description="base URL for cron and push endpoints")
    uses: Uses = Field(Uses(), description="resources the service may use, and how")
    aws: AwsService = Field(AwsService(), description="AWS settings of its role")


class Deployment(Model):
    """Services that run together: one container, one identity holding the union of their permissions."""

    services: list[str] = Field(description="the services it runs (a service is in one deployment at most)")
    url: Annotated[str, Field(pattern=rf"^https?://{URL_HOST}")] | None = Field(
        None, description="base URL of its services (unless one sets its own url); Encore's `metadata.base_url`")


# --- environments --------------------------------------------------------------------------------


class Environment(Model):
    """A deployable environment (one Pulumi stack, APP-ENV)."""

    type: EnvTypeName = Field(description="production (prod), development (dev), preview (pr) or local")
    provider: Provider | None = Field(None, description="cloud of this environment (default: the top-level "
                                      "`provider`)")
    overrides: dict[str, Any] = Field({}, description="changes to the base spec for this environment (deep-merged)")
    base_port: int | None = Field(None, ge=1024, le=65000, description="local environments: first port of "
                                  "`deployer dev`'s servers (default 4700; the caches' from base + 10)")


class EnvTypeOverrides(Model):
    """Overrides for every environment of a type."""

    overrides: dict[str, Any] = Field({}, description="changes to the base spec for environments of this type "
                                                       "(deep-merged)")


def _secrets_as_map(value: Any) -> Any:
    if isinstance(value, list):
        if not all(isinstance(name, str) for name in value):
            raise ValueError("a list of secrets holds names only, e.g. [StripeAPIKey, GitHubAPIToken]")
        return {name: {} for name in value}
    return value


class Infra(Model):
    """The infrastructure of one application, for all its environments."""

    app: Annotated[str, Field(pattern=APP_NAME, description="application name; prefixes every physical name "
                                                            "and names the Pulumi project")]
    provider: Provider = Field(DEFAULT_PROVIDER, description="default cloud; an environment may override it")
    aws: AwsSettings = Field(AwsSettings(), description="AWS settings")
    gcp: GcpSettings = Field(GcpSettings(), description="GCP settings")
    state: str | None = Field(None, description="Pulumi backend URL (file://, s3://, gs://, Pulumi Cloud); "
                                    "default: a local file backend under .deployer/state")
    secrets_provider: Annotated[str, Field(pattern=r"^(passphrase|awskms://.+|gcpkms://.+)$")] | None = Field(
        None, description="Pulumi secrets provider of the stacks: passphrase (default), awskms://… or gcpkms://…")
    caches: dict[EncoreName, Cache] = Field({}, description="Redis clusters by name")
    buckets: dict[KebabName, Bucket] = Field({}, description="object storage buckets by name")
    topics: dict[EncoreName, Topic] = Field({}, description="pub/sub topics by name")
    cron: dict[EncoreName, CronJob] = Field({}, description="cron jobs by ID (not deployed to preview; `deployer dev` runs those of a local environment)")
    secrets: Annotated[
        dict[SecretName, Secret],
        BeforeValidator(_secrets_as_map, json_schema_input_type=dict[SecretName, Secret] | list[SecretName]),
    ] = Field({}, description="declared secret names (a map name -> {description}, or a list of names)")
    secret_store: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*$")] = Field(
        FILE_STORE, description="where secret values are kept: infra.secrets.yaml (age-encrypted), or a cloud "
                            "secret manager")
    services: dict[KebabName, Service] = Field({}, description="the consumers of the resources, by name")
    deployments: dict[KebabName, Deployment] = Field(
        {}, description="which services run together (one container, one identity); default: each service alone")
    environments: dict[KebabName, Environment] | None = Field(
        None, description="deployable environments (default: prod, dev and local); pr-<number> is an "
                          "implicit preview")
    env_types: dict[EnvTypeName, EnvTypeOverrides] = Field({}, description="overrides per environment type")

    def identities(self) -> list[tuple[tuple[str, str], list[str]]]:
        """(where it is declared, its services) of each deployment, then of each service in no deployment (a
        deployment of its own, by the service's name): one identity each, named by the path's end."""
        deployed = {service for deployment in self.deployments.values() for service in deployment.services}
        return [*((("deployments", name), list(deployment.services)) for name, deployment in self.deployments.items()),
                *((("services", name), [name]) for name in self.services if name not in deployed)]

    def deployment_units(self) -> dict[str, list[str]]:
        """Each deployment's services by its name (a service in none is one by its own name): in a valid
        spec, no two share a name (the names check refuses their identities' one name)."""
        return {at[1]: services for at, services in self.identities()}

    def deployment_of(self, service: str) -> str:
        return next(name for name, services in self.deployment_units().items() if service in services)

    @model_validator(mode="before")
    @classmethod
    def _deployment_urls(cls, data: Any) -> Any:
        """A service's url, unless it sets its own, is its deployment's."""
        if not isinstance(data, dict) or not isinstance(data.get("deployments"), dict) \
                or not isinstance(data.get("services"), dict):
            return data
        services = dict(data["services"])
        for deployment in data["deployments"].values():
            if not isinstance(deployment, dict) or deployment.get("url") is None \
                    or not isinstance(deployment.get("services"), list):
                continue
            for name in deployment["services"]:
                if isinstance(name, str) and isinstance(services.get(name), dict) and services[name].get("url") is None:
                    services[name] = {**services[name], "url": deployment["url"]}
        return {**data, "services": services}

    def used_secrets(self) -> list[str]:
        """The secrets some service uses: the only ones an environment needs values of."""
        return sorted({name for service in self.services.values() for name in service.uses.secrets})

    @field_validator("env_types", mode="before")
    @classmethod
    def _canonical_type_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            canonical = {canonical_env_type(k): v for k, v in value.items()}
            if len(canonical) < len(value):
                raise ValueError(f"{', '.join(map(str, value))}: an alias and its type name the same type")
            return canonical
        return value
