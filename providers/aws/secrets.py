"""Secrets Manager: one secret per secret some service uses, holding the environment's value."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from deployer.providers.aws.context import Context


@dataclass(frozen=True)
class CreatedSecret:
    secret: aws.secretsmanager.Secret

    def outputs(self) -> pulumi.Output[str]:
        return self.secret.arn

    def arn(self, _part: str) -> pulumi.Output[str]:
        return self.secret.arn


def create_secrets(ctx: Context, values: Mapping[str, pulumi.Input[str]]) -> dict[str, CreatedSecret]:
    declared = ctx.env.spec.secrets
    return {name: CreatedSecret(stored_secret(ctx, name, name, values[name], declared[name].description))
            for name in ctx.env.spec.used_secrets()}


def stored_secret(ctx: Context, logical: str, name: str, value: pulumi.Input[str],
                  description: str | None = None) -> aws.secretsmanager.Secret:
    """A secret and its current value; outside production it is deleted at once on destroy, so its
    name can be reused by the next preview of the same pull request."""
    secret = aws.secretsmanager.Secret(
        logical,
        name=ctx.name("secret", name),
        description=description,
        recovery_window_in_days=None if ctx.env.protect else 0,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    # The value itself is not kept: it is provisioned again from the secret store on every deploy.
    aws.secretsmanager.SecretVersion(
        logical, secret_id=secret.id, secret_string=pulumi.Output.secret(value), opts=ctx.part())
    return secret
