"""The network of an environment's caches and databases: the configured VPC (`aws.network`), else the
region's default VPC and its subnets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi
import pulumi_aws as aws

from deployer.errors import PreconditionMissing

if TYPE_CHECKING:
    from deployer.providers.aws.context import Context


@dataclass(frozen=True)
class Network:
    """Where caches and databases are placed, and who may connect to them."""

    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[list[str]]
    ingress: dict  # who may connect: the given security groups, else the VPC's own range


def app_network(ctx: Context) -> Network:
    """The configured network (`aws.network`), else the region's default VPC and its subnets."""
    network = ctx.env.spec.aws.network
    vpc_id: pulumi.Input[str] = network.vpc_id if network and network.vpc_id else default_vpc(ctx)
    cidr = aws.ec2.get_vpc_output(id=vpc_id, opts=ctx.invoke()).cidr_block
    if network and network.subnet_ids:
        subnet_ids: pulumi.Input[list[str]] = network.subnet_ids
    else:
        subnet_ids = aws.ec2.get_subnets_output(
            filters=[{"name": "vpc-id", "values": [vpc_id]}], opts=ctx.invoke()).ids
    if network and network.security_group_ids:
        ingress = {"security_groups": network.security_group_ids}
    else:
        ingress = {"cidr_blocks": [cidr]}
    return Network(vpc_id, subnet_ids, ingress)


def default_vpc(ctx: Context) -> pulumi.Output[str]:
    """The region's default VPC, or an error that says what to do in an account without one (looked
    up as a list: a lookup of the default VPC itself fails with no word of `aws.network`)."""
    region = ctx.env.spec.aws.region

    def only(ids: list[str]) -> str:
        if not ids:
            raise PreconditionMissing(f"the AWS account has no default VPC in {region}, and the caches and databases need a "
                                      "network: give aws.network.vpcId and aws.network.subnetIds in the spec")
        return ids[0]

    return aws.ec2.get_vpcs_output(filters=[{"name": "is-default", "values": ["true"]}],
                                   opts=ctx.invoke()).ids.apply(only)


def firewall(ctx: Context, logical: str, name: str, port: int, description: str,
             owner: str) -> aws.ec2.SecurityGroup:
    """The security group of OWNER, a cache or database: PORT open to the network's clients only,
    retained where the resource is."""
    return aws.ec2.SecurityGroup(
        logical,
        name=ctx.name("security-group", name),
        description=description,
        vpc_id=ctx.network.vpc_id,
        ingress=[{"protocol": "tcp", "from_port": port, "to_port": port, **ctx.network.ingress}],
        tags=ctx.labels(owner),
        opts=ctx.part(),
    )
