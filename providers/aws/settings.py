"""AWS's blocks in the spec (its settings, and each entry's `aws:` block), registered into the model;
no SDK is imported here."""

from typing import Literal

from pydantic import Field, field_validator

from deployer.speclang.fields import INT32_MAX, Model, matching

# Regions as AWS names them: eu-west-1, us-gov-west-1.
AWS_REGION = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"
SERVICE_PRINCIPAL = r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$"  # e.g. lambda.amazonaws.com


class AwsNetwork(Model):
    """The VPC that AWS caches and databases are placed in (default: the default VPC)."""

    vpc_id: str | None = Field(None, description="VPC of the caches' and databases' subnet groups")
    subnet_ids: list[str] = Field([], description="subnets of the caches' and databases' subnet groups")
    security_group_ids: list[str] = Field([], description="security groups of their clients: the caches' and "
                                          "databases' ports are open to them only (default: to the VPC's address "
                                          "range)")


class AwsSettings(Model):
    """AWS settings, used by every environment that targets AWS."""

    region: str | None = Field(None, description="AWS region, e.g. eu-west-1 (required when an env targets AWS)")
    tags: dict[str, str] = Field({}, description="tags added to every AWS resource")
    network: AwsNetwork | None = Field(None, description="where caches and databases are placed")

    _region = field_validator("region")(matching(AWS_REGION, "an AWS region such as eu-west-1 (https://docs.aws.amazon.com/"
                                                        "global-infrastructure/latest/regions/aws-regions.html)"))


class AwsCache(Model):
    """ElastiCache sizing; unset values come from the environment type."""

    node_type: str | None = Field(None, description="ElastiCache node type, e.g. cache.t4g.micro")
    replicas: int | None = Field(None, ge=0, le=5, description="read replicas; 1 or more enables automatic failover "
                                "and multi-AZ")
    engine_version: str = Field("7.1", description="Redis engine version")
    snapshot_retention_days: int | None = Field(None, ge=0, le=35, description="days of daily snapshots kept")
    auth_token_generation: int = Field(1, ge=1, le=INT32_MAX, description="raise it to generate a new AUTH token (a rotation: "
                                       "see authTokenUpdate)")
    auth_token_update: Literal["rotate", "set"] = Field(
        "rotate", description="how ElastiCache applies a new AUTH token: `rotate` keeps the old one valid beside "
        "it; `set`, once the services use the new one, leaves only the new one valid")


class AwsDatabase(Model):
    """RDS for PostgreSQL sizing; unset values come from the environment type."""

    instance_class: str | None = Field(None, description="RDS DB instance class, e.g. db.t4g.micro")
    storage_gb: int | None = Field(None, description="allocated storage, in GiB (gp3)")
    multi_az: bool | None = Field(None, description="a standby in another availability zone, with automatic failover")
    backup_retention_days: int | None = Field(None, description="days of automated backups kept, for "
                                              "point-in-time recovery (0 turns backups off)")


class AwsService(Model):
    """AWS settings of a service's IAM role."""

    trust: list[str] = Field(
        ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"],
        description="service principals that may assume the service's role",
    )

    _trust = field_validator("trust")(matching(SERVICE_PRINCIPAL, "an AWS service principal such as "
                                                                   "lambda.amazonaws.com"))


# Per section of the spec, AWS's block of each entry; "" is the top-level `aws:` block.
BLOCKS: dict[str, tuple[type[Model], str]] = {
    "": (AwsSettings, "AWS settings"),
    "caches": (AwsCache, "sizing on AWS"),
    "databases": (AwsDatabase, "sizing on AWS"),
    "services": (AwsService, "AWS settings of its role"),
}
