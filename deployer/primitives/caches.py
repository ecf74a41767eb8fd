"""Caches: Redis clusters with typed keyspaces."""

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from deployer import clouds
from deployer.encore_values import EncoreSection, env_var, tls_config
from deployer.errors import Finding, quoted
from deployer.primitive import Primitive, Refused
from deployer.speclang import keyspaces
from deployer.speclang.durations import format_duration
from deployer.speclang.fields import EncoreName, KebabName, Model
from deployer.speclang.keyspaces import DailyAt, Keyspace

if TYPE_CHECKING:
    from deployer.primitive import LocalServers
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv

EvictionPolicy = Literal[
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
    "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction",
]


class Cache(Model):
    """A Redis cluster (ElastiCache on AWS, Memorystore on GCP)."""

    eviction_policy: EvictionPolicy = Field("allkeys-lru", description="what Redis evicts when memory is full")
    keyspaces: dict[KebabName, Keyspace] = Field({}, description="keyspaces by name")


def keyspace_output(keyspace: Keyspace) -> dict:
    """A keyspace as services read it from the outputs."""
    expiry = keyspace.default_expiry
    if isinstance(expiry, DailyAt):
        expiry = {"dailyAt": expiry.daily_at}
    elif not isinstance(expiry, str):
        expiry = format_duration(expiry)
    return {"pattern": keyspace.key_pattern, "key": keyspace.key, "value": keyspace.value,
            "defaultExpiry": expiry}


def keyspace_outputs(cache: Cache) -> dict[str, dict]:
    return {name: keyspace_output(keyspace) for name, keyspace in cache.keyspaces.items()}


def _rules(spec: "Infra", refused: Refused) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
        for ks_name, keyspace in cache.keyspaces.items():
            for problem in keyspaces.pattern_problems(keyspace):
                yield ("caches", cache_name, "keyspaces", ks_name, "keyPattern"), problem
        for first, second in keyspaces.overlapping(cache.keyspaces):
            yield (("caches", cache_name, "keyspaces", second, "keyPattern"),
                   (f"pattern {quoted(cache.keyspaces[second].key_pattern)} can produce the same keys as "
                    f"keyspace {quoted(first)} ({quoted(cache.keyspaces[first].key_pattern)})"))


def _encore_redis(env: "ResolvedEnv", services: dict, gaps: list[str]) -> dict:
    """Encore's `redis`: each cache its host, its AUTH token from `CACHE_<NAME>_AUTH` (a cloud's token is in the
    secret `authSecret` names, a local one in `deployer dev`'s variables), TLS."""
    unverifiable = clouds.cloud(env.provider).encore_tls_hostname_unverifiable
    return {name: {"host": f"{cache['host']}:{cache['port']}", "database_index": 0,
                   "auth": {"type": "auth_string", "auth_string": {"$env": env_var("cache", name, "auth")}},
                   "tls_config": tls_config(cache, unverifiable)}
            for service in services.values() for name, cache in service.get("caches", {}).items()}


def _encore_variables(name: str, outputs: dict) -> dict[str, str]:
    return {env_var("cache", name, "auth"): outputs["authSecret"]} if "authSecret" in outputs else {}


def _local_program() -> tuple[str, str | None, str]:
    from deployer.local.redis import program

    return program()


def _local(env: "ResolvedEnv", port: int, data: Path) -> "LocalServers":
    from deployer.local.redis import LocalCaches

    caches = env.spec.caches
    return LocalCaches(caches, {name: keyspace_outputs(cache) for name, cache in caches.items()}, port, data)


CACHES = Primitive("caches", "cache", Cache, "Redis clusters by name", list[str], "caches the service connects to",
                   names=EncoreName, rules=_rules, local=_local, local_port=10, local_program=_local_program,
                   encore=EncoreSection("redis", _encore_redis, _encore_variables))
