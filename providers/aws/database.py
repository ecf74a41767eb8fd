"""RDS for PostgreSQL: one DB instance per database, in the app's network, its owner's password in
Secrets Manager."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from deployer.primitives.databases import Database, database_name
from deployer.providers.aws.context import Context
from deployer.providers.aws.naming import DATABASE_OWNER, database_logical, parameter_group_suffix
from deployer.providers.aws.network import firewall
from deployer.providers.aws.secrets import stored_secret

POSTGRES_PORT = 5432
STORAGE_TYPE = "gp3"


@dataclass(frozen=True)
class CreatedDatabase:
    instance: aws.rds.Instance
    password_secret: aws.secretsmanager.Secret  # its owner's password, read by the database's users
    name: str
    region: str

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.instance.address, "port": self.instance.port, "database": database_name(self.name),
                "user": DATABASE_OWNER, "passwordSecret": self.password_secret.arn, "tls": True,
                # RDS's certificate authorities, one bundle per region
                # (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html)
                "caCertUrl": f"https://truststore.pki.rds.amazonaws.com/{self.region}/{self.region}-bundle.pem"}

    def arn(self, _part: str) -> pulumi.Output[str]:
        """Its users read its owner's password."""
        return self.password_secret.arn


def create_databases(ctx: Context) -> dict[str, CreatedDatabase]:
    return {name: _database(ctx, name, database) for name, database in ctx.env.spec.databases.items()}


def _database(ctx: Context, name: str, spec: Database) -> CreatedDatabase:
    settings = spec.aws
    logical = database_logical(name)
    subnets = aws.rds.SubnetGroup(logical, name=ctx.name("db-subnet-group", name),
                                  description=f"subnets of database {name}", subnet_ids=ctx.network.subnet_ids,
                                  tags=ctx.labels(name), opts=ctx.part())
    group = firewall(ctx, logical, f"{name}-database", POSTGRES_PORT, f"PostgreSQL clients of database {name}",
                     owner=name)
    # The major version is in the name: a major upgrade creates the new group before the old one goes.
    parameters = aws.rds.ParameterGroup(
        logical, name=ctx.name("db-parameter-group", name, parameter_group_suffix(spec.version)),
        family=f"postgres{spec.version}", description=f"database {name}",
        # only TLS connections (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html)
        parameters=[{"name": "rds.force_ssl", "value": "1"}],
        tags=ctx.labels(name), opts=ctx.part())
    # Generated once and kept (encrypted) in the stack state; services read it from Secrets Manager.
    password = random.RandomPassword(logical, length=40, special=False, opts=ctx.part())
    secret = stored_secret(ctx, f"{logical}.password", f"{name}-database-password", password.result,
                           f"password of the owner of database {name}")
    identifier = ctx.name("db-instance", name)
    instance = aws.rds.Instance(
        logical,
        identifier=identifier,
        engine="postgres",
        engine_version=spec.version,  # a major version: RDS picks its newest minor and upgrades within it
        allow_major_version_upgrade=True,
        auto_minor_version_upgrade=True,
        instance_class=settings.instance_class,
        allocated_storage=settings.storage_gb,
        storage_type=STORAGE_TYPE,
        storage_encrypted=True,
        db_name=database_name(name),
        username=DATABASE_OWNER,
        password=password.result,
        port=POSTGRES_PORT,
        db_subnet_group_name=subnets.name,
        vpc_security_group_ids=[group.id],
        parameter_group_name=parameters.name,
        publicly_accessible=False,
        multi_az=settings.multi_az,
        backup_retention_period=settings.backup_retention_days,
        copy_tags_to_snapshot=True,
        deletion_protection=ctx.env.protect,
        skip_final_snapshot=not ctx.env.protect,
        final_snapshot_identifier=f"{identifier}-final" if ctx.env.protect else None,
        apply_immediately=not ctx.env.protect,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    return CreatedDatabase(instance, secret, name, ctx.env.spec.aws.region)
