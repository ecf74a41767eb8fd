"""An environment's outputs as Encore's self-hosting infrastructure config (`infra.config.json`).

The fields are those Encore's runtime reads (runtimes/core/src/infracfg.rs): `metadata`,
`service_discovery`, `redis`, `pubsub`, `object_storage` and `secrets`. Secret values are never
written: each secret, and each cache's AUTH token, is an `{"$env": NAME}` reference that the
container's environment fills (from the cloud secret manager the outputs name).
"""

import re

from deployer import clouds
from deployer.speclang.resolved import ResolvedEnv

# Encore's environment types; a preview is what Encore calls ephemeral.
ENCORE_ENV_TYPES = {"production": "production", "development": "development", "preview": "ephemeral"}


def env_var(*parts: str) -> str:
    """`("cache", "rate-limit", "auth")` -> `CACHE_RATE_LIMIT_AUTH`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).upper()


def encore_config(env: ResolvedEnv, outputs: dict) -> dict:
    """The infra config of ENV from its outputs (the stack's, or a plan's: they have one shape)."""
    services = outputs.get("services", {})
    config: dict = {
        "$schema": "https://encore.dev/schemas/infra.schema.json",
        "metadata": {"app_id": env.app, "env_name": env.name,
                     "env_type": ENCORE_ENV_TYPES.get(env.type, env.type), "cloud": env.provider},
        "service_discovery": {name: {"base_url": service.url}
                              for name, service in env.spec.services.items() if service.url},
        "redis": _redis(services),
        "pubsub": [pubsub] if (pubsub := _pubsub(env, services))["topics"] else [],
        "object_storage": [storage] if (storage := _object_storage(env, services))["buckets"] else [],
        "secrets": {name: {"$env": name}
                    for service in services.values() for name in service.get("secrets", {})},
    }
    return {key: value for key, value in config.items() if value not in ({}, [])}


def _redis(services: dict) -> dict:
    clusters = {}
    for service in services.values():
        for name, cache in service.get("caches", {}).items():
            clusters[name] = {
                "host": f"{cache['host']}:{cache['port']}",
                "database_index": 0,
                "auth": {"type": "auth_string", "auth_string": {"$env": env_var("cache", name, "auth")}},
                "tls_config": {"disable_tls_hostname_verification": True} if cache.get("tls") else {"disabled": True},
            }
    return clusters


def _pubsub(env: ResolvedEnv, services: dict) -> dict:
    cloud = clouds.cloud(env.provider)
    topics: dict[str, dict] = {}

    def topic_entry(name: str) -> dict:
        return topics.setdefault(name, {"subscriptions": {}})

    for service in services.values():
        for name, topic in service.get("topics", {}).items():
            topic_entry(name).update(cloud.encore_topic(topic))
        for name, subscription in service.get("subscriptions", {}).items():
            topic_entry(subscription["topic"])["subscriptions"][name] = cloud.encore_subscription(subscription)
    return {**cloud.encore_pubsub(env), "topics": topics}


def _object_storage(env: ResolvedEnv, services: dict) -> dict:
    buckets = {}
    for service in services.values():
        for name, bucket in service.get("buckets", {}).items():
            buckets[name] = {"name": bucket["name"]}
            if bucket.get("publicUrl"):
                buckets[name]["public_base_url"] = bucket["publicUrl"]
    return {**clouds.cloud(env.provider).encore_storage(env), "buckets": buckets}
