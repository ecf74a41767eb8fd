"""AWS (pulumi-aws v7): `cloud.CLOUD` is what deployer knows of it; its program loads the SDK."""
