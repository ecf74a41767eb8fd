"""Secret Manager: the secrets the services use, each holding the environment's value (readable only by
the services that list it: identity.py grants them)."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from deployer.providers.gcp.context import Context
from deployer.providers.gcp.identity import Grant

SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"


@dataclass(frozen=True)
class CreatedSecret:
    secret: gcp.secretmanager.Secret

    def outputs(self) -> pulumi.Output[str]:
        return self.secret.id

    def grants(self, name: str, _permissions: None) -> list[Grant]:
        return [reader(name, self.secret)]


def reader(name: str, secret: gcp.secretmanager.Secret) -> Grant:
    """Read access to SECRET's value."""
    return Grant(name, SECRET_ACCESSOR, lambda logical, role, member, project: gcp.secretmanager.SecretIamMember(
        logical, secret_id=secret.id, role=role, member=member, project=project))


def create_secrets(ctx: Context, values: Mapping[str, pulumi.Input[str]]) -> dict[str, CreatedSecret]:
    return {name: CreatedSecret(stored_secret(ctx, name, name, values[name]))
            for name in ctx.env.spec.used_secrets()}


def stored_secret(ctx: Context, logical_name: str, name: str, value: pulumi.Input[str]) -> gcp.secretmanager.Secret:
    """A secret (replicated automatically) holding `value` as its version."""
    secret = gcp.secretmanager.Secret(
        logical_name,
        secret_id=ctx.name("secret", name),
        replication={"auto": {}},
        labels=ctx.labels(name),
        project=ctx.project,
        opts=ctx.stateful(),
    )
    # A new value replaces the version; the version is never protected, or no value could change.
    # Production abandons the versions it replaces or destroys: they stay in Secret Manager, enabled
    # (a rollback, and a destroy --force-protected, keep every value).
    gcp.secretmanager.SecretVersion(f"{logical_name}.value", secret=secret.id, secret_data=value,
                                    deletion_policy="ABANDON" if ctx.env.protect else "DELETE")
    return secret
