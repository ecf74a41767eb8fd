"""Pub/Sub: topics, their subscriptions with retry and dead-letter topics, and pushes with OIDC."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
from deployer.providers.gcp.context import GcpEnv
from deployer.providers.gcp.identity import INVOKER_LOGICAL_NAME, PUBLISHER, SUBSCRIBER
from deployer.providers.shared import service_url, stateful_options

from deployer.speclang.durations import seconds
from deployer.speclang.model import Subscription, Topic

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
NEVER_EXPIRE = {"ttl": ""}  # Pub/Sub deletes a subscription idle for 31 days unless told otherwise
DEAD_LETTER_RETENTION = "604800s"  # the longest Pub/Sub keeps a message: 7 days


@dataclass(frozen=True)
class DeployedSubscription:
    subscription: gcp.pubsub.Subscription
    dead_letters: gcp.pubsub.Subscription  # where the messages that failed every attempt wait
    endpoint: str | None  # the URL a push subscription delivers to

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"id": self.subscription.id, "deadLetters": self.dead_letters.id}
        if self.endpoint is not None:
            outputs["endpoint"] = self.endpoint
        return outputs


def topics(gcp_env: GcpEnv) -> dict[str, gcp.pubsub.Topic]:
    return {name: _topic(gcp_env, name, name) for name in gcp_env.env.spec.topics}


def topic_outputs(topic: gcp.pubsub.Topic, spec: Topic) -> dict[str, pulumi.Input]:
    outputs = {"id": topic.id, "name": topic.name}
    if spec.ordering_attribute:
        # Publishers set the ordering key from this attribute (the key AWS calls the message group).
        outputs["messageGroupAttribute"] = spec.ordering_attribute
    return outputs


def subscriptions(gcp_env: GcpEnv, topics: dict[str, gcp.pubsub.Topic],
                  invoker: gcp.serviceaccount.Account | None) -> dict[tuple[str, str], DeployedSubscription]:
    """Every subscription; `invoker` signs the pushes (needed when some subscription pushes)."""
    env = gcp_env.env
    if not any(t.subscriptions for t in env.spec.topics.values()):
        return {}
    agent = pubsub_service_agent(gcp_env)
    if invoker is not None:
        # Lets Pub/Sub mint the invoker's OIDC tokens (granted implicitly in projects made after April 2021).
        gcp.serviceaccount.IAMMember(f"{INVOKER_LOGICAL_NAME}.pubsub-tokens", service_account_id=invoker.name,
                                     role=TOKEN_CREATOR, member=agent)
    return {
        (topic_name, name): _subscription(gcp_env, topic_name, topic, name, spec, topics[topic_name],
                                          invoker, agent)
        for topic_name, topic in env.spec.topics.items()
        for name, spec in topic.subscriptions.items()
    }


def pubsub_service_agent(gcp_env: GcpEnv) -> pulumi.Output[str]:
    """The Google-managed identity that forwards messages to dead-letter topics."""
    project = gcp.organizations.get_project_output(project_id=gcp_env.project)
    return project.number.apply(lambda number: f"serviceAccount:service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com")


def _topic(gcp_env: GcpEnv, logical_name: str, name: str, suffix: str = "") -> gcp.pubsub.Topic:
    return gcp.pubsub.Topic(logical_name, name=gcp_env.name("topic", name, suffix), labels=gcp_env.labels(name),
                            project=gcp_env.project, opts=stateful_options(gcp_env.env))


def _subscription(gcp_env: GcpEnv, topic_name: str, topic: Topic, name: str, spec: Subscription,
                  source: gcp.pubsub.Topic, invoker: gcp.serviceaccount.Account | None,
                  agent: pulumi.Output[str]) -> DeployedSubscription:
    env, project = gcp_env.env, gcp_env.project
    logical_name = f"{topic_name}.{name}"
    full_name = f"{topic_name}-{name}"
    dead_letter_topic = _topic(gcp_env, f"{logical_name}.dead-letter", full_name, suffix="-dead-letter")
    dead_letters = gcp.pubsub.Subscription(
        f"{logical_name}.dead-letter",
        name=gcp_env.name("subscription", full_name, suffix="-dead-letter"),
        topic=dead_letter_topic.id,
        message_retention_duration=DEAD_LETTER_RETENTION,
        expiration_policy=NEVER_EXPIRE,
        labels=gcp_env.labels(full_name),
        project=project,
        opts=stateful_options(env),
    )
    retry = spec.retry_policy
    subscription = gcp.pubsub.Subscription(
        logical_name,
        name=gcp_env.name("subscription", full_name),
        topic=source.id,
        ack_deadline_seconds=seconds(spec.ack_deadline),
        message_retention_duration=f"{seconds(spec.message_retention)}s",
        retry_policy={"minimum_backoff": f"{seconds(retry.min_backoff)}s",
                      "maximum_backoff": f"{seconds(retry.max_backoff)}s"},
        dead_letter_policy={"dead_letter_topic": dead_letter_topic.id,
                            "max_delivery_attempts": retry.max_retries},
        enable_message_ordering=topic.ordering_attribute is not None,
        # The spec's rules refuse exactly-once for push subscriptions on GCP.
        enable_exactly_once_delivery=topic.delivery_guarantee == "exactly-once",
        push_config=_push_config(gcp_env, spec, invoker) if spec.endpoint else None,
        expiration_policy=NEVER_EXPIRE,
        labels=gcp_env.labels(full_name),
        project=project,
        opts=stateful_options(env),
    )
    # What the dead-letter flow needs, and no more: Pub/Sub takes the message off the source
    # subscription and publishes it to the dead-letter topic.
    gcp.pubsub.TopicIAMMember(f"{logical_name}.dead-letter.publisher", topic=dead_letter_topic.id,
                              role=PUBLISHER, member=agent, project=project)
    gcp.pubsub.SubscriptionIAMMember(f"{logical_name}.dead-letter.subscriber", subscription=subscription.id,
                                     role=SUBSCRIBER, member=agent, project=project)
    return DeployedSubscription(subscription, dead_letters, push_url(gcp_env, spec))


def push_url(gcp_env: GcpEnv, spec: Subscription) -> str | None:
    return service_url(gcp_env.env, spec.service, spec.endpoint) if spec.endpoint else None


def _push_config(gcp_env: GcpEnv, spec: Subscription, invoker: gcp.serviceaccount.Account) -> dict:
    # The audience is the service's own URL, the same for its every push and cron endpoint.
    return {"push_endpoint": push_url(gcp_env, spec),
            "oidc_token": {"service_account_email": invoker.email,
                           "audience": service_url(gcp_env.env, spec.service, "")}}
