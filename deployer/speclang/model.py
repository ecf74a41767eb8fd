"""The spec of SPEC.md as pydantic models: one class per block, field names as the spec spells them.

The model is composed: each primitive (deployer/primitives) adds its section to `Infra` and its field to
a service's `Uses`, and each cloud adds its blocks (its `settings.py`: `aws:` at the top and in each
entry of the sections it sizes)."""

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, create_model, field_validator, model_validator

from deployer import clouds
from deployer.primitives import PRIMITIVES
from deployer.speclang.fields import URL_HOST, Duration, EncoreName, KebabName, Model, SecretName

APP_NAME = r"^[a-z][a-z0-9-]{1,30}$"
BASE_URL = rf"^https?://{URL_HOST}"  # a service's or a deployment's
# EventBridge rule descriptions hold 512 characters, Cloud Scheduler job descriptions 500.
MAX_CRON_TITLE = 500

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


def with_cloud_blocks(model: type[Model], section: str) -> type[Model]:
    """MODEL with each built-in cloud's block for SECTION ("" for the top level) as a field named after
    the cloud (`aws: AwsCache`), defaulting to the block's defaults."""
    blocks = {name: (block, Field(block(), description=description))
              for name, cloud_blocks in clouds.spec_blocks().items()
              if (entry := cloud_blocks.get(section)) for block, description in [entry]}
    return (create_model(model.__name__, __base__=model, __module__=model.__module__, __doc__=model.__doc__, **blocks)
            if blocks else model)


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


Uses = create_model(
    "Uses", __base__=Model, __doc__="What a service may use; its identity gets exactly these permissions.",
    **{p.section: (p.uses, Field([] if p.uses == list[str] else {}, description=p.uses_description)) for p in PRIMITIVES},
    secrets=(list[str], Field([], description="secrets the service reads")),
)


class Service(Model):
    """A consumer of the resources, with its own identity (IAM role, service account)."""

    url: Annotated[str, Field(pattern=BASE_URL)] | None = Field(
        None, description="base URL for cron and push endpoints")
    uses: Uses = Field(Uses(), description="resources the service may use, and how")


Service = with_cloud_blocks(Service, "services")
ENTRIES = {p.section: with_cloud_blocks(p.entry, p.section) for p in PRIMITIVES}


class Deployment(Model):
    """Services that run together: one container, one identity holding the union of their permissions."""

    services: list[str] = Field(description="the services it runs (a service is in one deployment at most)")
    url: Annotated[str, Field(pattern=BASE_URL)] | None = Field(
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


class InfraBase(Model):
    """The infrastructure of one application, for all its environments."""

    app: Annotated[str, Field(pattern=APP_NAME, description="application name; prefixes every physical name "
                                                            "and names the Pulumi project")]
    provider: Provider = Field(DEFAULT_PROVIDER, description="default cloud; an environment may override it")
    state: str | None = Field(None, description="Pulumi backend URL (file://, s3://, gs://, Pulumi Cloud); "
                                    "default: a local file backend under .deployer/state")
    secrets_provider: Annotated[str, Field(pattern=r"^(passphrase|awskms://.+|gcpkms://.+)$")] | None = Field(
        None, description="Pulumi secrets provider of the stacks: passphrase (default), awskms://… or gcpkms://…")
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

    @model_validator(mode="before")
    @classmethod
    def _deployment_urls(cls, data: Any) -> Any:
        """A service's url, unless it sets its own, is its deployment's."""
        if not isinstance(data, dict) or not isinstance(data.get("deployments"), dict) \
                or not isinstance(data.get("services"), dict):
            return data
        services = dict(data["services"])
        for deployment in data["deployments"].values():
            if not isinstance(deployment, dict) or not isinstance(deployment.get("services"), list) \
                    or not re.fullmatch(BASE_URL, str(deployment.get("url")), re.ASCII):
                continue  # none to give, or a wrong one: said once, at the deployment
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


Infra = create_model(
    "Infra", __base__=with_cloud_blocks(InfraBase, ""), __module__=__name__, __doc__=InfraBase.__doc__,
    **{p.section: (dict[p.names, ENTRIES[p.section]], Field({}, description=p.description)) for p in PRIMITIVES},
)
