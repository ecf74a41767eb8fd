"""GCP's blocks in the spec (its settings, and each entry's `gcp:` block), registered into the model;
no SDK is imported here."""

from typing import Annotated, Literal

from pydantic import Field, field_validator

from deployer.speclang.fields import Model, matching

# Regions as GCP names them: europe-west1, europe-west12.
GCP_REGION = r"^[a-z]+-[a-z]+[0-9]+$"  # the shape only (europe-west12); rules.py holds the list
DOMAIN_NAME = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"  # lowercase, no wildcard


class GcpSettings(Model):
    """GCP settings, used by every environment that targets GCP."""

    project: str | None = Field(None, description="GCP project ID (required when an environment targets GCP)")
    region: str | None = Field(None, description="GCP region, e.g. europe-west1 (required when an env targets GCP)")
    labels: dict[str, str] = Field({}, description="labels added to every GCP resource")
    network: str | None = Field(None, description="VPC network for Memorystore and Cloud SQL (default: `default`)")

    _region = field_validator("region")(matching(GCP_REGION, "a GCP region such as europe-west1 "
                                                        "(https://cloud.google.com/compute/docs/regions-zones)"))


class GcpCache(Model):
    """Memorystore sizing; unset values come from the environment type."""

    memory_size_gb: int | None = Field(None, ge=1, le=300, description="memory of the instance, in GB")
    tier: Literal["BASIC", "STANDARD_HA"] | None = Field(None, description="STANDARD_HA adds a replica and failover")
    redis_version: str = Field("REDIS_7_2", description="Memorystore Redis version")


class GcpDatabase(Model):
    """Cloud SQL for PostgreSQL sizing; unset values come from the environment type."""

    tier: str | None = Field(None, description="Cloud SQL machine tier, e.g. db-custom-1-3840")
    availability: Literal["ZONAL", "REGIONAL"] | None = Field(
        None, description="REGIONAL adds a standby in another zone, with automatic failover")
    disk_size_gb: int | None = Field(None, description="disk size, in GB (SSD)")
    backup_retention_days: int | None = Field(None, description="days of automated backups kept, for "
                                              "point-in-time recovery (0 turns backups off)")


class GcpBucket(Model):
    """How GCP serves a public bucket."""

    domain: Annotated[str, Field(pattern=DOMAIN_NAME)] | None = Field(
        None, description="serve the public objects at https://DOMAIN through a load balancer with Cloud CDN and a "
                          "Google-managed certificate (point the domain's A record at the address the outputs "
                          "give); default: https://storage.googleapis.com/BUCKET, no load balancer")


# Per section of the spec, GCP's block of each entry; "" is the top-level `gcp:` block.
BLOCKS: dict[str, tuple[type[Model], str]] = {
    "": (GcpSettings, "GCP settings"),
    "caches": (GcpCache, "sizing on GCP"),
    "databases": (GcpDatabase, "sizing on GCP"),
    "buckets": (GcpBucket, "settings on GCP"),
}
