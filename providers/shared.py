"""What every provider does alike: labels, protection, which service uses what, output shapes."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from deployer.primitives.topics import Subscription
from deployer.speclang.model import CronJob, Infra
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


class CreatedEntry(Protocol):
    """What a cloud's program created for one spec entry (its `Created…` value): the outputs its services
    read. Each cloud's own protocol adds what its identities need of it (AWS's `arn`, GCP's `grants`)."""

    def outputs(self) -> Any: ...


# What a cloud's program created: per section of the spec (`buckets`, `topics`, ...), the cloud's own
# `Created…` value of each entry by name; a topic's holds its subscriptions.
Created = Mapping[str, Mapping[str, CreatedEntry]]


def service_uses(spec: Infra, service: str) -> dict[str, dict[str, list[str] | None]]:
    """Per section, what SERVICE's `uses` lists: each resource with its permissions (None where the
    section lists names only)."""
    return {section: dict(used) if isinstance(used, dict) else dict.fromkeys(used)
            for section, used in spec.services[service].uses}


def deployment_uses(spec: Infra, services: list[str]) -> dict[str, dict[str, list[str] | None]]:
    """`service_uses` of a deployment: the union of its SERVICES' (one identity holds them all)."""
    merged: dict[str, dict[str, list[str] | None]] = {}
    for service in services:
        for section, used in service_uses(spec, service).items():
            into = merged.setdefault(section, {})
            for entry, permissions in used.items():
                into[entry] = (None if permissions is None else
                               [*dict.fromkeys([*(into.get(entry) or []), *permissions])])
    return merged


def subscriptions_by_service(env: ResolvedEnv) -> dict[str, list[tuple[str, str]]]:
    """Each service's subscriptions as (topic, subscription), in the spec's order."""
    by_service: dict[str, list[tuple[str, str]]] = {}
    for topic_name, topic in env.spec.topics.items():
        for name, subscription in topic.subscriptions.items():
            by_service.setdefault(subscription.service, []).append((topic_name, name))
    return by_service


def local_service_outputs(env: ResolvedEnv, identities: Mapping[str, str], created: Created,
                          served: Mapping[str, Mapping[str, dict]]) -> dict[str, dict]:
    """`service_outputs` of a local environment, where SERVED gives the outputs of the entries of the
    sections deployer's own local servers serve (`Primitive.local`), by section."""
    from deployer.local.stack import Local

    running = {section: {name: Local(outputs) for name, outputs in entries.items()}
               for section, entries in served.items()}
    return service_outputs(env, identities, {**created, **running})


def service_outputs(env: ResolvedEnv, identities: Mapping[str, "pulumi.Input[str]"],
                    created: Created, callers: Mapping[str, dict] = {}) -> dict[str, dict]:
    """Per service, what it uses: identity (role ARN / service account e-mail), each resource its
    `uses` lists with its outputs (and the permissions listed), its subscriptions; and, for a service
    that push subscriptions or cron jobs call, `callers`: what it checks to know a call is theirs (CALLERS)."""
    subscriptions = subscriptions_by_service(env)
    result = {}
    for name in env.spec.services:
        result[name] = {"identity": identities[name]}
        for section, used in service_uses(env.spec, name).items():
            result[name][section] = {
                entry: created[section][entry].outputs() if permissions is None else
                {**created[section][entry].outputs(), "permissions": permissions}
                for entry, permissions in used.items()}
        # by topic, then subscription (two topics may each have a subscription `handler`); with the topic's
        # id: a subscriber need not use (publish to) its topic
        result[name]["subscriptions"] = {}
        for topic, sub in subscriptions.get(name, []):
            result[name]["subscriptions"].setdefault(topic, {})[sub] = {
                "topicId": created["topics"][topic].outputs()["id"],
                **created["topics"][topic].subscriptions[sub].outputs(),
                **_client_settings(env.spec.topics[topic].subscriptions[sub])}
        if name in callers:
            result[name]["callers"] = callers[name]
    return result


def _client_settings(subscription: Subscription) -> dict:
    """What only the client of a pull subscription can apply (no cloud limits the messages it pulls)."""
    if subscription.endpoint or subscription.max_concurrency is None:
        return {}
    return {"maxConcurrency": subscription.max_concurrency}


def export_outputs(env: ResolvedEnv, identities: Mapping[str, "pulumi.Input[str]"], created: Created,
                   callers: Mapping[str, dict] = {}) -> None:
    """Publish the outputs in the one shape both clouds share (`deployer outputs` and the Encore
    config read it)."""
    import pulumi

    pulumi.export("app", env.app)
    pulumi.export("env", env.name)
    pulumi.export("provider", env.provider)
    pulumi.export("services", service_outputs(env, identities, created, callers))
