"""What every provider does alike: labels, protection, which service uses what, output shapes."""

from typing import Any

import pulumi

from deployer.spec.durations import format_duration
from deployer.spec.load import ResolvedEnv
from deployer.spec.model import DailyAt, Keyspace


def base_labels(env: ResolvedEnv) -> dict[str, str]:
    """Tags (AWS) / labels (GCP) on every resource: app, env, managed-by."""
    return {"app": env.app, "env": env.name, "managed-by": "deployer"}


def stateful_options(env: ResolvedEnv, **options: Any) -> pulumi.ResourceOptions:
    """The one protection rule: production keeps stateful resources (protected, retained on delete)."""
    return pulumi.ResourceOptions(protect=env.protect, retain_on_delete=env.protect, **options)


def used_secrets(env: ResolvedEnv) -> list[str]:
    """Secrets some service uses: only these reach the cloud."""
    return sorted({s for service in env.spec.services.values() for s in service.uses.secrets})


def cache_users(env: ResolvedEnv, cache: str) -> list[str]:
    return sorted(n for n, s in env.spec.services.items() if cache in s.uses.caches)


def keyspace_output(keyspace: Keyspace) -> dict:
    """A keyspace as services read it from the outputs."""
    expiry = keyspace.default_expiry
    if isinstance(expiry, DailyAt):
        expiry = {"dailyAt": expiry.daily_at}
    elif not isinstance(expiry, str):
        expiry = format_duration(expiry)
    return {"pattern": keyspace.key_pattern, "key": keyspace.key, "value": keyspace.value,
            "defaultExpiry": expiry}
