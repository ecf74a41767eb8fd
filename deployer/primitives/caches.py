"""Caches: Redis clusters with typed keyspaces."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from deployer.errors import Finding, quoted
from deployer.speclang import keyspaces
from deployer.speclang.keyspaces import Keyspace
from deployer.primitive import Primitive, Refused
from deployer.speclang.fields import KebabName, Model

if TYPE_CHECKING:
    from deployer.speclang.model import Infra

EvictionPolicy = Literal[
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
    "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction",
]


class Cache(Model):
    """A Redis cluster (ElastiCache on AWS, Memorystore on GCP)."""

    eviction_policy: EvictionPolicy = Field("allkeys-lru", description="what Redis evicts when memory is full")
    keyspaces: dict[KebabName, Keyspace] = Field({}, description="keyspaces by name")


def _rules(spec: "Infra", refused: Refused) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
        for ks_name, keyspace in cache.keyspaces.items():
            for problem in keyspaces.pattern_problems(keyspace):
                yield ("caches", cache_name, "keyspaces", ks_name, "keyPattern"), problem
        for first, second in keyspaces.overlapping(cache.keyspaces):
            yield (("caches", cache_name, "keyspaces", second, "keyPattern"),
                   (f"pattern {quoted(cache.keyspaces[second].key_pattern)} can produce the same keys as "
                    f"keyspace {quoted(first)} ({quoted(cache.keyspaces[first].key_pattern)})"))


CACHES = Primitive("caches", "cache", Cache, "Redis clusters by name", list[str], "caches the service connects to",
                   rules=_rules)
