"""What every provider does alike: labels, protection, which service uses what, output shapes."""

import math
from datetime import timedelta
from typing import Any

import pulumi

from deployer.speclang.durations import format_duration
from deployer.speclang.model import CronJob, DailyAt, Keyspace
from deployer.speclang.resolved import ResolvedEnv


def base_labels(env: ResolvedEnv) -> dict[str, str]:
    """Tags (AWS) / labels (GCP) on every resource: app, env, managed-by."""
    return {"app": env.app, "env": env.name, "managed-by": "deployer"}


def stateful_options(env: ResolvedEnv, **options: Any) -> pulumi.ResourceOptions:
    """The one protection rule: production keeps stateful resources (protected, retained on delete)."""
    return pulumi.ResourceOptions(protect=env.protect, retain_on_delete=env.protect, **options)


def cache_users(env: ResolvedEnv, cache: str) -> list[str]:
    return sorted(n for n, s in env.spec.services.items() if cache in s.uses.caches)


def secret_users(env: ResolvedEnv, secret: str) -> list[str]:
    return sorted(n for n, s in env.spec.services.items() if secret in s.uses.secrets)


def service_url(env: ResolvedEnv, service: str, path: str) -> str:
    """`path` of a service: its base URL joined with the path (push and cron endpoints)."""
    return env.spec.services[service].url.rstrip("/") + path


def cron_url(env: ResolvedEnv, job: CronJob) -> str:
    endpoint = job.endpoint
    return endpoint if isinstance(endpoint, str) else service_url(env, endpoint.service, endpoint.path)


def cron_expressions(job: CronJob) -> list[str]:
    """A job's schedule as 5-field cron expressions in UTC (one, except for the intervals below)."""
    return [job.schedule] if job.schedule is not None else every_expressions(job.every)


def every_expressions(every: timedelta) -> list[str]:
    """`every` as cron, counted from midnight UTC: `2h` -> `0 */2 * * *`. An interval that is not a
    divisor of an hour nor a whole number of hours (45m: 00:00, 00:45, 01:30, 02:15, 03:00 ...)
    repeats over a cycle of hours; it takes one expression per hour of that cycle that fires."""
    minutes = int(every.total_seconds()) // 60
    if minutes == 1:
        return ["* * * * *"]
    if minutes == 60:
        return ["0 * * * *"]
    if 60 % minutes == 0:
        return [f"*/{minutes} * * * *"]
    cycle_hours = math.lcm(minutes, 60) // 60
    minutes_by_hour: dict[int, list[int]] = {}
    for start in range(0, cycle_hours * 60, minutes):
        minutes_by_hour.setdefault(start // 60, []).append(start % 60)
    return [f"{','.join(map(str, at))} {_hour_field(hour, cycle_hours)} * * *"
            for hour, at in minutes_by_hour.items()]


def _hour_field(offset: int, step: int) -> str:
    if step == 24:
        return str(offset)
    return f"*/{step}" if offset == 0 else f"{offset}-23/{step}"


def keyspace_output(keyspace: Keyspace) -> dict:
    """A keyspace as services read it from the outputs."""
    expiry = keyspace.default_expiry
    if isinstance(expiry, DailyAt):
        expiry = {"dailyAt": expiry.daily_at}
    elif not isinstance(expiry, str):
        expiry = format_duration(expiry)
    return {"pattern": keyspace.key_pattern, "key": keyspace.key, "value": keyspace.value,
            "defaultExpiry": expiry}


class Deployed:
    """What a provider created, as the Output values services need; `export` publishes them in the
    one shape both providers share (`deployer outputs` and the Encore config read it)."""

    def __init__(self) -> None:
        self.identities: dict[str, pulumi.Input[str]] = {}      # service -> role ARN / SA email
        self.buckets: dict[str, dict[str, pulumi.Input]] = {}   # bucket -> {name, publicUrl?}
        self.topics: dict[str, dict[str, pulumi.Input]] = {}    # topic -> {id, name}
        self.subscriptions: dict[tuple[str, str], dict[str, pulumi.Input]] = {}  # (topic, sub) -> {id, ...}
        self.caches: dict[str, dict[str, pulumi.Input]] = {}    # cache -> {host, port, authSecret}
        self.secrets: dict[str, pulumi.Input[str]] = {}         # secret -> ARN / resource id

    def service_outputs(self, env: ResolvedEnv) -> dict[str, dict]:
        result = {}
        for name, service in env.spec.services.items():
            uses = service.uses
            result[name] = {
                "identity": self.identities.get(name),
                "buckets": {b: {**self.buckets[b], "permissions": perms} for b, perms in uses.buckets.items()},
                "topics": {t: {**self.topics[t], "permissions": perms} for t, perms in uses.topics.items()},
                "subscriptions": {
                    sub: {"topic": topic, **outputs}
                    for (topic, sub), outputs in self.subscriptions.items()
                    if env.spec.topics[topic].subscriptions[sub].service == name
                },
                "caches": {
                    c: {**self.caches[c], "keyspaces": {k: keyspace_output(ks) for k, ks in
                                                         env.spec.caches[c].keyspaces.items()}}
                    for c in uses.caches
                },
                "secrets": {s: self.secrets[s] for s in uses.secrets},
            }
        return result

    def export(self, env: ResolvedEnv) -> None:
        pulumi.export("app", env.app)
        pulumi.export("env", env.name)
        pulumi.export("provider", env.provider)
        pulumi.export("services", self.service_outputs(env))
