"""An environment's outputs as Encore's self-hosting infrastructure config (`infra.config.json`).

The fields are those Encore's runtime reads (runtimes/core/src/infracfg.rs): `metadata`,
`service_discovery`, `redis`, `sql_servers`, `pubsub`, `object_storage` and `secrets`. Secret values are
never written: each secret, each cache's AUTH token and each database's password is an `{"$env": NAME}`
reference that the container's environment fills (from the cloud secret manager the outputs name); a
local environment's generated database passwords are written as they are.

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


def encore_config(env: ResolvedEnv, outputs: dict, gaps: list[str] | None = None) -> dict:
    """The infra config of ENV from its outputs (the stack's, or a plan's: they have one shape).
    GAPS, when given, receives a line for each resource left out because Encore cannot express it."""
    services = outputs.get("services", {})
    config: dict = {
        "$schema": "https://encore.dev/schemas/infra.schema.json",
        "metadata": {"app_id": env.app, "env_name": env.name,
                     "env_type": ENCORE_ENV_TYPES.get(env.type, env.type), "cloud": env.provider},
        "service_discovery": {name: {"base_url": service.url}
                              for name, service in env.spec.services.items() if service.url},
        "redis": _redis(services),
        "sql_servers": _sql_servers(services, [] if gaps is None else gaps),
        "pubsub": [pubsub] if (pubsub := _pubsub(env, services, [] if gaps is None else gaps))["topics"] else [],
        "object_storage": [storage] if (storage := _object_storage(env, services))["buckets"] else [],
        "secrets": {name: {"$env": name}
                    for service in services.values() for name in service.get("secrets", {})},
    }
    return {key: value for key, value in config.items() if value not in ({}, [])}


def _redis(services: dict) -> dict:
    clusters = {}
    for service in services.values():
        for name, cache in service.get("caches", {}).items():
            clusters[name] = {"host": f"{cache['host']}:{cache['port']}", "database_index": 0}
            if "authSecret" in cache:  # a cloud's cache (a local one has no AUTH)
                clusters[name]["auth"] = {"type": "auth_string", "auth_string": {"$env": env_var("cache", name, "auth")}}
            clusters[name]["tls_config"] = _tls_config(cache)
    return clusters


def _sql_servers(services: dict, gaps: list[str]) -> list[dict]:
    """One server per host (each database has its own on a cloud; a local environment one for all)."""
    servers: dict[str, dict] = {}
    for service in services.values():
        for name, database in service.get("databases", {}).items():
            host = f"{database['host']}:{database['port']}"
            server = servers.setdefault(host, {"host": host, "tls_config": _tls_config(database), "databases": {}})
            if name in server["databases"]:  # used by another service too
                continue
            password = database.get("password") or {"$env": env_var("database", name, "password")}
            server["databases"][name] = {"name": database["database"], "username": database["user"],
                                         "password": password}
            if database.get("caCertUrl") and not database.get("caCert"):
                gaps.append(f"databases.{name}: its TLS certificate is verified against the container's trusted "
                            f"roots: add its CA bundle ({database['caCertUrl']}) to the image's trust store")
    return list(servers.values())


def _tls_config(cache: dict) -> dict:
    """TLS as Encore's `TLSConfig`: the CA the cache's certificate comes from (`ca`, PEM) where the
    outputs give one (a cloud whose caches have their own CA), else the system's trusted roots."""
    if not cache.get("tls"):
        return {"disabled": True}
    config = {"disable_tls_hostname_verification": True}
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
        for name, subscription in service.get("subscriptions", {}).items():
            entry = topic_entry(subscription["topic"], subscription["topicId"])
            try:
                entry["subscriptions"][name] = cloud.encore_subscription(subscription, service)
            except NotInEncore as reason:
                gaps.append(f"topics.{subscription['topic']}.subscriptions.{name}: left out of Encore's config: "
                            f"{reason}")
    return {**cloud.encore_pubsub(env), "topics": topics}


def _object_storage(env: ResolvedEnv, services: dict) -> dict:
    buckets = {}
    for service in services.values():
        for name, bucket in service.get("buckets", {}).items():
            buckets[name] = {"name": bucket["name"]}
            if bucket.get("publicUrl"):
                buckets[name]["public_base_url"] = bucket["publicUrl"]
    return {**clouds.cloud(env.provider).encore_storage(env), "buckets": buckets}
