"""An environment's outputs as Encore's self-hosting infrastructure config (`infra.config.json`).

The fields are those Encore's runtime reads (runtimes/core/src/infracfg.rs): `metadata`,
`service_discovery`, `redis`, `sql_servers`, `pubsub`, `object_storage`, `secrets` and, for one
deployment (the services one container runs), `hosted_services`. Secret values are never written: each
secret, each cache's AUTH token and each database's password is an `{"$env": NAME}` reference that the
container's environment fills (from the cloud secret manager the outputs name); a local environment's
generated database passwords are written as they are.

Encore reads this file with two decoders, which must both accept it: the Go runtime's
(runtimes/go/appruntime/exported/config/infra/config.go, with its `Validate`) and the Rust runtime's
(runtimes/core/src/infracfg.rs). What neither can express is left out, and said (`gaps`).
"""

from deployer.encore_values import env_var
from deployer.primitives import PRIMITIVES
from deployer.speclang.resolved import ResolvedEnv

# Encore's environment types (production, development, ephemeral, test): a preview is what Encore calls
# ephemeral; a local one, which Encore has no type for, is development.
ENCORE_ENV_TYPES = {"production": "production", "development": "development", "preview": "ephemeral",
                    "local": "development"}


def encore_config(env: ResolvedEnv, outputs: dict, gaps: list[str] | None = None,
                  deployment: str | None = None) -> dict:
    """The infra config of ENV from its outputs (the stack's, or a plan's: they have one shape); of
    DEPLOYMENT's container only, when given (`deployment_outputs`). GAPS, when given, receives a line for
    each resource left out because Encore cannot express it."""
    services = outputs.get("services", {})
    hosted = env.spec.deployment_units()[deployment] if deployment else []
    config: dict = {
        "$schema": "https://encore.dev/schemas/infra.schema.json",
        "metadata": {"app_id": env.app, "env_name": env.name,
                     "env_type": ENCORE_ENV_TYPES.get(env.type, env.type), "cloud": env.provider,
                     **({"base_url": url} if deployment and (url := _base_url(env, deployment)) else {})},
        "hosted_services": hosted,
        "service_discovery": {name: {"base_url": service.url}
                              for name, service in env.spec.services.items() if service.url and name not in hosted},
        **{primitive.encore.key: primitive.encore.build(env, services, [] if gaps is None else gaps)
           for primitive in PRIMITIVES if primitive.encore},
        "secrets": {name: {"$env": name}
                    for service in services.values() for name in service.get("secrets", {})},
    }
    return {key: value for key, value in config.items() if value not in ({}, [])}


def deployment_outputs(env: ResolvedEnv, outputs: dict, deployment: str) -> dict:
    """OUTPUTS with the services of DEPLOYMENT only (a service in no deployment is one by its name)."""
    hosted = env.spec.deployment_units()[deployment]
    return {**outputs, "services": {name: service for name, service in outputs.get("services", {}).items()
                                    if name in hosted}}


def container_variables(outputs: dict) -> dict[str, str]:
    """Each environment variable the Encore config of OUTPUTS' services reads (`{"$env": NAME}`), and each
    key a cron-called service compares (`DEPLOYER_KEY_<SERVICE>`), with the cloud secret that holds it."""
    variables = {}
    for name, service in outputs.get("services", {}).items():
        variables.update(service.get("secrets", {}))
        for primitive in PRIMITIVES:
            for entry, entry_outputs in service.get(primitive.section, {}).items() if primitive.encore else ():
                variables.update(primitive.encore.variables(entry, entry_outputs))
        if "keySecret" in service.get("callers", {}):
            variables[env_var("deployer", "key", name)] = service["callers"]["keySecret"]
    return variables


def _base_url(env: ResolvedEnv, deployment: str) -> str | None:
    """The deployment's url (Encore's `appMeta().apiBaseUrl`); a service alone: its own."""
    declared = env.spec.deployments.get(deployment)
    return declared.url if declared else env.spec.services[deployment].url


