"""Memorystore for Redis: one instance per cache cluster, its AUTH string in Secret Manager."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from deployer.primitives.caches import Cache, keyspace_outputs
from deployer.providers.gcp.context import Context
from deployer.providers.gcp.identity import Grant
from deployer.providers.gcp.network import connect_mode, network_path
from deployer.providers.gcp.secrets import reader, stored_secret

# Production snapshots its data daily (as AWS keeps 7 days of snapshots).
PRODUCTION_PERSISTENCE = {"persistence_mode": "RDB", "rdb_snapshot_period": "TWENTY_FOUR_HOURS"}


@dataclass(frozen=True)
class CreatedCache:
    instance: gcp.redis.Instance
    auth_secret: gcp.secretmanager.Secret  # its AUTH string, read by the cache's users
    spec: Cache

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.instance.host, "port": self.instance.port, "tls": True,
                "authSecret": self.auth_secret.id, "caCert": ca_certificates(self.instance),
                "keyspaces": keyspace_outputs(self.spec)}

    def grants(self, name: str, _permissions: None) -> list[Grant]:
        # An AUTH string's grant is named after its secret (`CACHE.auth`), as every grant is.
        return [reader(f"{name}.auth", self.auth_secret)]


def ca_certificates(instance: gcp.redis.Instance) -> pulumi.Output[str]:
    """The PEM certificates of the instance's own certificate authority, which signs its server
    certificate: clients trust these to verify the TLS connection. During a CA rotation there are
    two, and clients trust both."""
    return instance.server_ca_certs.apply(lambda certs: "\n".join(cert.cert for cert in certs or []))


def create_caches(ctx: Context) -> dict[str, CreatedCache]:
    return {name: _cache(ctx, name, cache) for name, cache in ctx.env.spec.caches.items()}


def _cache(ctx: Context, name: str, cache: Cache) -> CreatedCache:
    env = ctx.env
    instance = gcp.redis.Instance(
        name,
        name=ctx.name("cache", name),
        tier=cache.gcp.tier,
        memory_size_gb=cache.gcp.memory_size_gb,
        redis_version=cache.gcp.redis_version,
        redis_configs={"maxmemory-policy": cache.eviction_policy},
        auth_enabled=True,
        transit_encryption_mode="SERVER_AUTHENTICATION",
        authorized_network=network_path(ctx),
        connect_mode=connect_mode(ctx),
        persistence_config=PRODUCTION_PERSISTENCE if env.protect else None,
        # The provider's own guard defaults to on; it follows the environment's protection rule.
        deletion_protection=env.protect,
        labels=ctx.labels(name),
        region=ctx.region,
        project=ctx.project,
        opts=ctx.stateful(),
    )
    auth_secret = stored_secret(ctx, f"{name}.auth", f"{name}-redis-auth", instance.auth_string)
    return CreatedCache(instance, auth_secret, cache)
