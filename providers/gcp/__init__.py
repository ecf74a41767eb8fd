"""GCP (pulumi-gcp): `cloud.CLOUD` is what deployer knows of it; its program loads the SDK."""
