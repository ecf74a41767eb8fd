"""Secret Manager: the secrets the services use, each readable only by the services that list it."""

from collections.abc import Mapping

import pulumi
import pulumi_gcp as gcp
from deployer.providers.gcp.context import GcpEnv
from deployer.providers.gcp.identity import Accounts, grant_secret
from deployer.providers.shared import secret_users, stateful_options


def service_secrets(gcp_env: GcpEnv, values: Mapping[str, pulumi.Input[str]],
                    accounts: Accounts) -> dict[str, gcp.secretmanager.Secret]:
    return {
        name: stored_secret(gcp_env, name, name, values[name], accounts,
                            secret_users(gcp_env.env, name))
        for name in gcp_env.env.spec.used_secrets()
    }


def stored_secret(gcp_env: GcpEnv, logical_name: str, name: str, value: pulumi.Input[str],
                  accounts: Accounts, readers: list[str]) -> gcp.secretmanager.Secret:
    """A secret (replicated automatically) holding `value` as its version, readable by `readers`."""
    secret = gcp.secretmanager.Secret(
        logical_name,
        secret_id=gcp_env.name("secret", name),
        replication={"auto": {}},
        labels=gcp_env.labels(name),
        project=gcp_env.project,
        opts=stateful_options(gcp_env.env),
    )
    # A new value replaces the version; the version is never protected, or no value could change.
    gcp.secretmanager.SecretVersion(f"{logical_name}.value", secret=secret.id, secret_data=value)
    grant_secret(gcp_env, accounts, logical_name, secret, readers)
    return secret
