"""Cloud SQL for PostgreSQL: one instance per database, on a private IP only, its owner's password in
Secret Manager.

A private IP needs Private Service Access on the network: one allocated range and one peering with
`servicenetworking.googleapis.com` per VPC network, shared by every instance of every environment on it,
so deployer requires it rather than creates it (a preview's destroy must not cut production off); its
absence is a failure hint naming the two gcloud commands (cloud.py)."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from deployer.primitives.databases import Database, database_name
from deployer.providers.gcp.cache import ca_certificates
from deployer.providers.gcp.context import Context
from deployer.providers.gcp.identity import Grant
from deployer.providers.gcp.naming import DATABASE_OWNER, SQL_INSTANCE_SUFFIX_BYTES, database_logical
from deployer.providers.gcp.network import network_path
from deployer.providers.gcp.secrets import reader, stored_secret

POSTGRES_PORT = 5432


@dataclass(frozen=True)
class CreatedDatabase:
    instance: gcp.sql.DatabaseInstance
    password_secret: gcp.secretmanager.Secret  # its owner's password, read by the database's users
    name: str

    def outputs(self) -> dict[str, pulumi.Input]:
        return {"host": self.instance.private_ip_address, "port": POSTGRES_PORT,
                "database": database_name(self.name), "user": DATABASE_OWNER,
                "passwordSecret": self.password_secret.id, "tls": True, "caCert": ca_certificates(self.instance),
                "connectionName": self.instance.connection_name}

    def grants(self, name: str, _permissions: None) -> list[Grant]:
        return [reader(f"{database_logical(name)}.password", self.password_secret)]


def create_databases(ctx: Context) -> dict[str, CreatedDatabase]:
    return {name: _database(ctx, name, database) for name, database in ctx.env.spec.databases.items()}


def _database(ctx: Context, name: str, spec: Database) -> CreatedDatabase:
    settings, logical, protect = spec.gcp, database_logical(name), ctx.env.protect
    # Cloud SQL keeps a deleted instance's name for up to a week: each creation takes a new suffix.
    suffix = random.RandomId(logical, byte_length=SQL_INSTANCE_SUFFIX_BYTES)
    backups = bool(settings.backup_retention_days)
    instance = gcp.sql.DatabaseInstance(
        logical,
        name=suffix.hex.apply(lambda hex_: ctx.name("sql-instance", name, f"-{hex_}")),
        database_version=f"POSTGRES_{spec.version}",
        region=ctx.region,
        project=ctx.project,
        settings={
            "tier": settings.tier,
            "availability_type": settings.availability,
            "disk_size": settings.disk_size_gb,
            "disk_type": "PD_SSD",
            "ip_configuration": {"ipv4_enabled": False, "private_network": network_path(ctx),
                                 "ssl_mode": "ENCRYPTED_ONLY"},
            "backup_configuration": {
                "enabled": backups, "point_in_time_recovery_enabled": backups,
                **({"backup_retention_settings": {"retained_backups": settings.backup_retention_days,
                                                  "retention_unit": "COUNT"}} if backups else {})},
            "deletion_protection_enabled": protect,
            "user_labels": ctx.labels(name),
        },
        # The provider's own guard defaults to on; it follows the environment's protection rule.
        deletion_protection=protect,
        opts=ctx.stateful(),
    )
    gcp.sql.Database(logical, name=database_name(name), instance=instance.name, project=ctx.project,
                     deletion_policy="ABANDON" if protect else "DELETE", opts=ctx.stateful())
    password = random.RandomPassword(logical, length=40, special=False)
    # PostgreSQL refuses to drop a user who owns objects: the instance's deletion removes it.
    gcp.sql.User(logical, name=DATABASE_OWNER, instance=instance.name, password=password.result,
                 project=ctx.project, deletion_policy="ABANDON")
    secret = stored_secret(ctx, f"{logical}.password", f"{name}-database-password", password.result)
    return CreatedDatabase(instance, secret, name)
