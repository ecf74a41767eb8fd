"""ElastiCache Redis: a replication group per cache with its parameter group, network and AUTH token."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from deployer.providers.aws.context import Context
from deployer.providers.aws.secrets import stored_secret

from deployer.speclang.model import Cache

REDIS_PORT = 6379


@dataclass(frozen=True)
class CacheNetwork:
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    ingress: dict  # who may connect: the given security groups, else the VPC's own range


@dataclass(frozen=True)
class CreatedCache:
    group: aws.elasticache.ReplicationGroup
    auth_secret: aws.secretsmanager.Secret  # its AUTH token, read by the cache's users

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.group.primary_endpoint_address, "port": REDIS_PORT, "tls": True,
                "authSecret": self.auth_secret.arn}


def create_caches(ctx: Context) -> dict[str, CreatedCache]:
    caches = ctx.env.spec.caches
    if not caches:
        return {}
    network = cache_network(ctx)
    return {name: _cache(ctx, name, cache, network) for name, cache in caches.items()}


def cache_network(ctx: Context) -> CacheNetwork:
    """The configured network (`aws.network`), else the region's default VPC and its subnets."""
    network = ctx.env.spec.aws.network
    if network and network.vpc_id:
        vpc_id: pulumi.Input[str] = network.vpc_id
        cidr = aws.ec2.get_vpc_output(id=network.vpc_id, opts=ctx.invoke()).cidr_block
    else:
        vpc = aws.ec2.get_vpc_output(default=True, opts=ctx.invoke())
        vpc_id, cidr = vpc.id, vpc.cidr_block
    if network and network.subnet_ids:
        subnet_ids: pulumi.Input[list[str]] = network.subnet_ids
    else:
        subnet_ids = aws.ec2.get_subnets_output(
            filters=[{"name": "vpc-id", "values": [vpc_id]}], opts=ctx.invoke()).ids
    if network and network.security_group_ids:
        ingress = {"security_groups": network.security_group_ids}
    else:
        ingress = {"cidr_blocks": [cidr]}
    return CacheNetwork(vpc_id, subnet_ids, ingress)


def parameter_family(engine_version: str) -> str:
    major = int(engine_version.split(".")[0])
    return f"redis{major}" if major >= 7 else f"redis{major}.x"


def _cache(ctx: Context, name: str, spec: Cache, network: CacheNetwork) -> CreatedCache:
    settings = spec.aws
    replicas = settings.replicas or 0
    parameters = aws.elasticache.ParameterGroup(
        name,
        name=ctx.name("cache-parameter-group", name),
        family=parameter_family(settings.engine_version),
        description=f"{name}: eviction policy {spec.eviction_policy}",
        parameters=[{"name": "maxmemory-policy", "value": spec.eviction_policy}],
        tags=ctx.labels(name),
        opts=ctx.opts(),
    )
    subnets = aws.elasticache.SubnetGroup(
        name, name=ctx.name("cache-subnet-group", name), description=f"subnets of cache {name}",
        subnet_ids=network.subnet_ids, tags=ctx.labels(name), opts=ctx.opts())
    firewall = aws.ec2.SecurityGroup(
        name,
        name=ctx.name("security-group", f"{name}-cache"),
        description=f"Redis clients of cache {name}",
        vpc_id=network.vpc_id,
        ingress=[{"protocol": "tcp", "from_port": REDIS_PORT, "to_port": REDIS_PORT, **network.ingress}],
        tags=ctx.labels(name),
        opts=ctx.opts(),
    )
    # Generated once and kept (encrypted) in the stack state; services read it from Secrets Manager.
    token = random.RandomPassword(name, length=64, special=False, opts=ctx.opts())
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
        snapshot_retention_limit=settings.snapshot_retention_days or 0,
        final_snapshot_identifier=f"{cluster_name}-final" if ctx.env.protect else None,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    return CreatedCache(group, auth_secret)
