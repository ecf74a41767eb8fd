"""What every provider does alike: labels, protection, which service uses what, output shapes."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from deployer.speclang.cronexpr import cron_expressions, every_expressions  # noqa: F401 (the programs' import)
from deployer.speclang.durations import format_duration
from deployer.speclang.model import CronJob, DailyAt, Keyspace
from deployer.speclang.resolved import ResolvedEnv

if TYPE_CHECKING:  # `deployer dev` gives the outputs' shape to local servers, without Pulumi's runtime
    import pulumi


def base_labels(env: ResolvedEnv) -> dict[str, str]:
    """Tags (AWS) / labels (GCP) on every resource: app, env, managed-by."""
    return {"app": env.app, "env": env.name, "managed-by": "deployer"}


def stateful_options(env: ResolvedEnv, **options: Any) -> "pulumi.ResourceOptions":
    """The one protection rule: production keeps stateful resources (protected, retained on delete)."""
    import pulumi

    return pulumi.ResourceOptions(protect=env.protect, retain_on_delete=env.protect, **options)


def service_url(env: ResolvedEnv, service: str, path: str) -> str:
    """`path` of a service: its base URL joined with the path (push and cron endpoints)."""
    return env.spec.services[service].url.rstrip("/") + path


def cron_url(env: ResolvedEnv, job: CronJob) -> str:
    endpoint = job.endpoint
    return endpoint if isinstance(endpoint, str) else service_url(env, endpoint.service, endpoint.path)


def keyspace_output(keyspace: Keyspace) -> dict:
    """A keyspace as services read it from the outputs."""
    expiry = keyspace.default_expiry
    if isinstance(expiry, DailyAt):
        expiry = {"dailyAt": expiry.daily_at}
    elif not isinstance(expiry, str):
        expiry = format_duration(expiry)
    return {"pattern": keyspace.key_pattern, "key": keyspace.key, "value": keyspace.value,
            "defaultExpiry": expiry}


class Exported(Protocol):
    """A created resource as its services read it."""

    def outputs(self) -> Any:
        """Its outputs in the shared shape (a secret's: its ARN / resource id)."""


class ExportedTopic(Exported, Protocol):
    @property
    def subscriptions(self) -> Mapping[str, Exported]: ...


@dataclass(frozen=True)
class Created:
    """What a cloud's program created, by spec name: the cloud's own `Created…` values, each with its
    outputs and the resources its services are granted access on."""

    secrets: Mapping[str, Exported]
    caches: Mapping[str, Exported]
    buckets: Mapping[str, Exported]
    topics: Mapping[str, ExportedTopic]  # each with its subscriptions


def subscriptions_by_service(env: ResolvedEnv) -> dict[str, list[tuple[str, str]]]:
    """Each service's subscriptions as (topic, subscription), in the spec's order."""
    by_service: dict[str, list[tuple[str, str]]] = {}
    for topic_name, topic in env.spec.topics.items():
        for name, subscription in topic.subscriptions.items():
            by_service.setdefault(subscription.service, []).append((topic_name, name))
    return by_service


def service_outputs(env: ResolvedEnv, identities: Mapping[str, "pulumi.Input[str]"],
                    created: Created, callers: Mapping[str, dict] = {}) -> dict[str, dict]:
    """Per service, what it uses: identity (role ARN / service account e-mail), buckets, topics,
    subscriptions, caches and secrets, each with its outputs; and, for a service that push
    subscriptions or cron jobs call, `callers`: what it checks to know a call is theirs (CALLERS)."""
    subscriptions = subscriptions_by_service(env)
    result = {}
    for name, service in env.spec.services.items():
        uses = service.uses
        result[name] = {
            "identity": identities[name],
            "buckets": {b: {**created.buckets[b].outputs(), "permissions": perms} for b, perms in uses.buckets.items()},
            "topics": {t: {**created.topics[t].outputs(), "permissions": perms} for t, perms in uses.topics.items()},
            # the topic's id too: a subscriber need not use (publish to) its topic
            "subscriptions": {sub: {"topic": topic, "topicId": created.topics[topic].outputs()["id"],
                                    **created.topics[topic].subscriptions[sub].outputs()}
                              for topic, sub in subscriptions.get(name, [])},
            "caches": {
                c: {**created.caches[c].outputs(), "keyspaces": {k: keyspace_output(ks) for k, ks in
                                                                 env.spec.caches[c].keyspaces.items()}}
                for c in uses.caches
            },
            "secrets": {s: created.secrets[s].outputs() for s in uses.secrets},
        }
        if name in callers:
            result[name]["callers"] = callers[name]
    return result


def export_outputs(env: ResolvedEnv, identities: Mapping[str, "pulumi.Input[str]"], created: Created,
                   callers: Mapping[str, dict] = {}) -> None:
    """Publish the outputs in the one shape both clouds share (`deployer outputs` and the Encore
    config read it)."""
    import pulumi

    pulumi.export("app", env.app)
    pulumi.export("env", env.name)
    pulumi.export("provider", env.provider)
    pulumi.export("services", service_outputs(env, identities, created, callers))
