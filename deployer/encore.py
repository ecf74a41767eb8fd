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

import re

from deployer import clouds
from deployer.speclang.resolved import ResolvedEnv

# Encore's environment types (production, development, ephemeral, test): a preview is what Encore calls
# ephemeral; a local one, which Encore has no type for, is development.
ENCORE_ENV_TYPES = {"production": "production", "development": "development", "preview": "ephemeral",
                    "local": "development"}


def env_var(*parts: str) -> str:
    """`("cache", "rate-limit", "auth")` -> `CACHE_RATE_LIMIT_AUTH`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).upper()


class NotInEncore(Exception):
    """Raised by a cloud's `encore_*` method for what Encore's config cannot express, with the reason."""


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
        "redis": _redis(env, services),
        "sql_servers": _sql_servers(env, services, [] if gaps is None else gaps),
        "pubsub": [pubsub] if (pubsub := _pubsub(env, services, [] if gaps is None else gaps))["topics"] else [],
        "object_storage": [storage] if (storage := _object_storage(env, services))["buckets"] else [],
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
        variables.update({env_var("cache", cache_name, "auth"): cache["authSecret"]
                          for cache_name, cache in service.get("caches", {}).items() if "authSecret" in cache})
        variables.update({env_var("database", database_name, "password"): database["passwordSecret"]
                          for database_name, database in service.get("databases", {}).items()
                          if "passwordSecret" in database})
        if "keySecret" in service.get("callers", {}):
            variables[env_var("deployer", "key", name)] = service["callers"]["keySecret"]
    return variables


def _base_url(env: ResolvedEnv, deployment: str) -> str | None:
    """The deployment's url (Encore's `appMeta().apiBaseUrl`); a service alone: its own."""
    declared = env.spec.deployments.get(deployment)
    return declared.url if declared else env.spec.services[deployment].url


def _redis(env: ResolvedEnv, services: dict) -> dict:
    unverifiable = clouds.cloud(env.provider).encore_tls_hostname_unverifiable
    clusters = {}
    for service in services.values():
        for name, cache in service.get("caches", {}).items():
            clusters[name] = {"host": f"{cache['host']}:{cache['port']}", "database_index": 0,
                              # a cloud's token is in the secret `authSecret` names; a local one in `deployer dev`'s variables
                              "auth": {"type": "auth_string", "auth_string": {"$env": env_var("cache", name, "auth")}},
                              "tls_config": _tls_config(cache, unverifiable)}
    return clusters


def _sql_servers(env: ResolvedEnv, services: dict, gaps: list[str]) -> list[dict]:
    """One server per host (each database has its own on a cloud; a local environment one for all)."""
    unverifiable = clouds.cloud(env.provider).encore_tls_hostname_unverifiable
    servers: dict[str, dict] = {}
    for service in services.values():
        for name, database in service.get("databases", {}).items():
            host = f"{database['host']}:{database['port']}"
            server = servers.setdefault(host, {"host": host, "tls_config": _tls_config(database, unverifiable),
                                               "databases": {}})
            if name in server["databases"]:  # used by another service too
                continue
            password = database.get("password") or {"$env": env_var("database", name, "password")}
            server["databases"][name] = {"name": database["database"], "username": database["user"],
                                         "password": password}
            if database.get("caCertUrl") and not database.get("caCert"):
                gaps.append(f"databases.{name}: its TLS certificate is verified against the container's trusted "
                            f"roots: add its CA bundle ({database['caCertUrl']}) to the image's trust store")
    return list(servers.values())


def _tls_config(cache: dict, unverifiable: bool) -> dict:
    """TLS as Encore's `TLSConfig` (of a cache or a database): the CA its certificate comes from (`ca`, PEM)
    where the outputs give one (a cloud whose caches have their own CA), else the system's trusted roots;
    the host verified unless the cloud's certificates do not name it."""
    if not cache.get("tls"):
        return {"disabled": True}
    config = {"disable_tls_hostname_verification": True} if unverifiable else {}
    if cache.get("caCert"):
        config["ca"] = cache["caCert"]
    return config


def _pubsub(env: ResolvedEnv, services: dict, gaps: list[str]) -> dict:
    cloud = clouds.cloud(env.provider)
    topics: dict[str, dict] = {}

    def topic_entry(name: str, topic_id: str) -> dict:
        return topics.setdefault(name, {**cloud.encore_topic({"id": topic_id}), "subscriptions": {}})

    for service in services.values():
        for name, topic in service.get("topics", {}).items():
            topic_entry(name, topic["id"])
        for topic_name, subscriptions in service.get("subscriptions", {}).items():
            for name, subscription in subscriptions.items():
                entry = topic_entry(topic_name, subscription["topicId"])
                try:
                    entry["subscriptions"][name] = cloud.encore_subscription(subscription, service)
                except NotInEncore as reason:
                    gaps.append(f"topics.{topic_name}.subscriptions.{name}: left out of Encore's config: {reason}")
    return {**cloud.encore_pubsub(env), "topics": topics}


def _object_storage(env: ResolvedEnv, services: dict) -> dict:
    buckets = {}
    for service in services.values():
        for name, bucket in service.get("buckets", {}).items():
            buckets[name] = {"name": bucket["name"]}
            if bucket.get("publicUrl"):
                buckets[name]["public_base_url"] = bucket["publicUrl"]
    return {**clouds.cloud(env.provider).encore_storage(env), "buckets": buckets}
