"""The spec of SPEC.md as pydantic models: one class per block, field names as the spec spells them."""

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
)
from pydantic.alias_generators import to_camel

from deployer.spec.durations import format_duration, parse_duration

KEBAB = r"^[a-z][a-z0-9-]*[a-z0-9]$"
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
APP_NAME = r"^[a-z][a-z0-9-]{1,30}$"
DURATION_PATTERN = r"^(\d+(ms|s|m|h|d))+$"

Duration = Annotated[
    timedelta,
    BeforeValidator(lambda v: v if isinstance(v, timedelta) else parse_duration(v)),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["30s", "10m", "7d"]}),
]
KebabName = Annotated[str, Field(pattern=KEBAB)]
SecretName = Annotated[str, Field(pattern=IDENTIFIER)]

ENV_TYPE_ALIASES = {"prod": "production", "dev": "development", "pr": "preview"}
EnvType = Literal["production", "development", "preview", "local"]
ENV_TYPES: tuple[str, ...] = EnvType.__args__


def canonical_env_type(value: Any) -> Any:
    return ENV_TYPE_ALIASES.get(value, value) if isinstance(value, str) else value


EnvTypeName = Annotated[EnvType, BeforeValidator(canonical_env_type)]
Provider = Literal["aws", "gcp"]


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


# --- provider settings -------------------------------------------------------------------------


class AwsNetwork(Model):
    vpc_id: str | None = None
    subnet_ids: list[str] = []
    security_group_ids: list[str] = []


class AwsSettings(Model):
    region: str | None = None
    tags: dict[str, str] = {}
    network: AwsNetwork | None = None


class GcpSettings(Model):
    project: str | None = None
    region: str | None = None
    labels: dict[str, str] = {}
    network: str | None = Field(None, description="VPC network for Memorystore (default: `default`)")


# --- caches --------------------------------------------------------------------------------------

EvictionPolicy = Literal[
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
    "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction",
]
BasicKeyType = Literal["string", "int", "uint", "bool"]
ValueType = Literal["string", "int", "float", "bool", "struct", "set", "list"]


class DailyAt(Model):
    daily_at: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


Expiry = Literal["never", "keep-ttl"] | DailyAt | Duration


class Keyspace(Model):
    key: BasicKeyType | dict[str, BasicKeyType]
    value: ValueType
    key_pattern: str
    default_expiry: Expiry = "never"


class AwsCache(Model):
    node_type: str | None = None
    replicas: int | None = Field(None, ge=0, le=5)
    engine_version: str = "7.1"
    snapshot_retention_days: int | None = Field(None, ge=0, le=35)


class GcpCache(Model):
    memory_size_gb: int | None = Field(None, ge=1, le=300)
    tier: Literal["BASIC", "STANDARD_HA"] | None = None
    redis_version: str = "REDIS_7_2"


class Cache(Model):
    eviction_policy: EvictionPolicy = "allkeys-lru"
    keyspaces: dict[KebabName, Keyspace] = {}
    aws: AwsCache = AwsCache()
    gcp: GcpCache = GcpCache()


# --- buckets -------------------------------------------------------------------------------------


class Cors(Model):
    origins: list[str]
    methods: list[Literal["GET", "PUT", "POST", "DELETE", "HEAD"]]
    headers: list[str] = []
    max_age_seconds: int = Field(3600, ge=0)


class LifecycleRule(Model):
    prefix: str | None = None
    expire_after_days: int | None = Field(None, ge=1)
    transition_after_days: int | None = Field(None, ge=0)
    storage_class: Literal["infrequent", "archive"] | None = None
    noncurrent_expire_after_days: int | None = Field(None, ge=1)


class Bucket(Model):
    versioned: bool = False
    public: bool = False
    cors: list[Cors] = []
    lifecycle: list[LifecycleRule] = []


# --- topics --------------------------------------------------------------------------------------


class RetryPolicy(Model):
    min_backoff: Duration = timedelta(seconds=10)
    max_backoff: Duration = timedelta(minutes=10)
    max_retries: int = Field(100, ge=1)


class Subscription(Model):
    service: str
    endpoint: Annotated[str, Field(pattern=r"^/")] | None = None
    ack_deadline: Duration = timedelta(seconds=30)
    message_retention: Duration = timedelta(days=7)
    max_concurrency: int | None = Field(None, ge=1)
    retry_policy: RetryPolicy = RetryPolicy()


class Topic(Model):
    delivery_guarantee: Literal["at-least-once", "exactly-once"] = "at-least-once"
    ordering_attribute: str | None = None
    subscriptions: dict[KebabName, Subscription] = {}


# --- cron ----------------------------------------------------------------------------------------


class ServiceEndpoint(Model):
    service: str
    path: Annotated[str, Field(pattern=r"^/")]


class CronJob(Model):
    title: str | None = None
    every: Duration | None = None
    schedule: str | None = None
    endpoint: ServiceEndpoint | Annotated[str, Field(pattern=r"^https://")]


# --- secrets and services ------------------------------------------------------------------------


class Secret(Model):
    description: str | None = None


BucketPermission = Literal["download", "upload", "list", "remove", "attrs", "public-url"]
TopicPermission = Literal["publish"]


class Uses(Model):
    buckets: dict[str, list[BucketPermission]] = {}
    topics: dict[str, list[TopicPermission]] = {}
    caches: list[str] = []
    secrets: list[str] = []


class AwsService(Model):
    trust: list[str] = Field(
        ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"],
        description="service principals that may assume the service's role",
    )


class Service(Model):
    url: Annotated[str, Field(pattern=r"^https?://")] | None = None
    uses: Uses = Uses()
    aws: AwsService = AwsService()


# --- environments --------------------------------------------------------------------------------


class Environment(Model):
    type: EnvTypeName
    provider: Provider | None = None
    overrides: dict[str, Any] = {}


class EnvTypeOverrides(Model):
    overrides: dict[str, Any] = {}


def _secrets_as_map(value: Any) -> Any:
    if isinstance(value, list):
        if not all(isinstance(name, str) for name in value):
            raise ValueError("a list of secrets holds names only, e.g. [StripeAPIKey, GitHubAPIToken]")
        return {name: {} for name in value}
    return value


class Infra(Model):
    app: Annotated[str, Field(pattern=APP_NAME)]
    provider: Provider = "aws"
    aws: AwsSettings = AwsSettings()
    gcp: GcpSettings = GcpSettings()
    state: str | None = None
    secrets_provider: Annotated[str, Field(pattern=r"^(passphrase|awskms://.+|gcpkms://.+)$")] | None = Field(
        None, description="Pulumi secrets provider of the stacks: passphrase (default), awskms://… or gcpkms://…")
    caches: dict[KebabName, Cache] = {}
    buckets: dict[KebabName, Bucket] = {}
    topics: dict[KebabName, Topic] = {}
    cron: dict[KebabName, CronJob] = {}
    secrets: Annotated[dict[SecretName, Secret], BeforeValidator(_secrets_as_map)] = {}
    secret_store: Literal["file", "aws", "gcp"] = "file"
    services: dict[KebabName, Service] = {}
    environments: dict[KebabName, Environment] | None = None
    env_types: dict[EnvTypeName, EnvTypeOverrides] = {}

    @field_validator("env_types", mode="before")
    @classmethod
    def _canonical_type_keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {canonical_env_type(k): v for k, v in value.items()}
        return value
