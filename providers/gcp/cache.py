"""Memorystore for Redis: one instance per cache cluster, its AUTH string in Secret Manager."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from deployer.providers.gcp.context import GcpEnv
from deployer.providers.gcp.identity import Accounts
from deployer.providers.gcp.secrets import stored_secret
from deployer.providers.shared import cache_users, stateful_options

from deployer.speclang.model import Cache

DEFAULT_NETWORK = "default"
# Production snapshots its data daily (as AWS keeps 7 days of snapshots).
PRODUCTION_PERSISTENCE = {"persistence_mode": "RDB", "rdb_snapshot_period": "TWENTY_FOUR_HOURS"}


@dataclass(frozen=True)
class DeployedCache:
    instance: gcp.redis.Instance
    auth_secret: gcp.secretmanager.Secret

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.instance.host, "port": self.instance.port, "tls": True,
                "authSecret": self.auth_secret.id}


def caches(gcp_env: GcpEnv, accounts: Accounts) -> dict[str, DeployedCache]:
    return {name: _cache(gcp_env, name, cache, accounts) for name, cache in gcp_env.env.spec.caches.items()}


def _cache(gcp_env: GcpEnv, name: str, cache: Cache, accounts: Accounts) -> DeployedCache:
    env = gcp_env.env
    instance = gcp.redis.Instance(
        name,
        name=gcp_env.name("cache", name),
        tier=cache.gcp.tier,
        memory_size_gb=cache.gcp.memory_size_gb,
        redis_version=cache.gcp.redis_version,
        redis_configs={"maxmemory-policy": cache.eviction_policy},
        auth_enabled=True,
        transit_encryption_mode="SERVER_AUTHENTICATION",
        authorized_network=authorized_network(gcp_env),
        persistence_config=PRODUCTION_PERSISTENCE if env.protect else None,
        # The provider's own guard defaults to on; it follows the environment's protection rule.
        deletion_protection=env.protect,
        labels=gcp_env.labels(name),
        region=gcp_env.region,
        project=gcp_env.project,
        opts=stateful_options(env),
    )
    auth_secret = stored_secret(gcp_env, f"{name}.auth", f"{name}-redis-auth", instance.auth_string,
                                accounts, cache_users(env, name))
    return DeployedCache(instance, auth_secret)


def authorized_network(gcp_env: GcpEnv) -> str:
    """`gcp.network` as a full network name (a bare name is a network of the project)."""
    network = gcp_env.env.spec.gcp.network or DEFAULT_NETWORK
    return network if "/" in network else f"projects/{gcp_env.project}/global/networks/{network}"
