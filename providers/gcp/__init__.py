"""GCP (pulumi-gcp): `CLOUD`, what deployer knows of it; its program loads the SDK when asked."""

from deployer.providers.gcp.cloud import CLOUD

__all__ = ["CLOUD"]
