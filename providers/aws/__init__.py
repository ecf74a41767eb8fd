"""AWS (pulumi-aws v7): `CLOUD`, what deployer knows of it; its program loads the SDK when asked."""

from deployer.providers.aws.cloud import CLOUD

__all__ = ["CLOUD"]
