"""ElastiCache Redis: a replication group per cache with its parameter group, network and AUTH token."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from deployer.primitives.caches import Cache, keyspace_outputs
from deployer.providers.aws.context import Context
from deployer.providers.aws.network import firewall as network_firewall
from deployer.providers.aws.secrets import stored_secret
from deployer.providers.aws.versions import data_tiering, family_suffix, parameter_family

REDIS_PORT = 6379


@dataclass(frozen=True)
class CreatedCache:
    group: aws.elasticache.ReplicationGroup
    auth_secret: aws.secretsmanager.Secret  # its AUTH token, read by the cache's users
    spec: Cache

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.group.primary_endpoint_address, "port": REDIS_PORT, "tls": True,
                "authSecret": self.auth_secret.arn, "keyspaces": keyspace_outputs(self.spec)}

    def arn(self, _part: str) -> pulumi.Output[str]:
        """Its users read its AUTH token."""
        return self.auth_secret.arn


def create_caches(ctx: Context) -> dict[str, CreatedCache]:
    caches = ctx.env.spec.caches
    return {name: _cache(ctx, name, cache) for name, cache in caches.items()}


def _cache(ctx: Context, name: str, spec: Cache) -> CreatedCache:
    settings = spec.aws
    replicas = settings.replicas or 0
    family = parameter_family(settings.engine_version)
    # The family is in the name: a major upgrade creates the new group before the group in use is
    # deleted (Pulumi's create-before-delete; one name for both would collide).
    parameters = aws.elasticache.ParameterGroup(
        name,
        name=ctx.name("cache-parameter-group", name, family_suffix(family)),
        family=family,
        # A new description would replace the group under the same name (ElastiCache cannot modify one):
        # fixed, and kept as created (groups made before it was fixed name their eviction policy).
        description=f"Redis parameters of cache {name}",
        parameters=[{"name": "maxmemory-policy", "value": spec.eviction_policy}],
        tags=ctx.labels(name),
        opts=ctx.part(ignore_changes=["description"]),
    )
    subnets = aws.elasticache.SubnetGroup(
        name, name=ctx.name("cache-subnet-group", name), description=f"subnets of cache {name}",
        subnet_ids=ctx.network.subnet_ids, tags=ctx.labels(name), opts=ctx.part())
    firewall = network_firewall(ctx, name, f"{name}-cache", REDIS_PORT,
                                f"Redis clients of cache {name}", owner=name)
    # Generated once and kept (encrypted) in the stack state; services read it from Secrets Manager.
    # A new authTokenGeneration generates a new one.
    token = random.RandomPassword(name, length=64, special=False,
                                  keepers={"generation": str(settings.auth_token_generation)}, opts=ctx.part())
    auth_secret = stored_secret(ctx, f"{name}.auth-token", f"{name}-auth-token", token.result,
                                f"AUTH token of cache {name}")
    cluster_name = ctx.name("cache", name)
    group = aws.elasticache.ReplicationGroup(
        name,
        replication_group_id=cluster_name,
        description=f"cache {name} of {ctx.env.app} {ctx.env.name}",
        engine="redis",
        engine_version=settings.engine_version,
        node_type=settings.node_type,
        data_tiering_enabled=data_tiering(settings.node_type) or None,
        port=REDIS_PORT,
        num_cache_clusters=1 + replicas,
        automatic_failover_enabled=replicas > 0,
        multi_az_enabled=replicas > 0,
        parameter_group_name=parameters.name,
        subnet_group_name=subnets.name,
        security_group_ids=[firewall.id],
        at_rest_encryption_enabled=True,
        transit_encryption_enabled=True,
        auth_token=token.result,
        # ROTATE keeps the old token valid beside the new one; SET (after a ROTATE) ends the rotation
        # (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html#auth-modifyng-token).
        auth_token_update_strategy=settings.auth_token_update.upper(),
        # outside production a change applies at once; production waits for the maintenance window
        apply_immediately=not ctx.env.protect,
        snapshot_retention_limit=settings.snapshot_retention_days or 0,
        final_snapshot_identifier=f"{cluster_name}-final" if ctx.env.protect else None,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    return CreatedCache(group, auth_secret, spec)
