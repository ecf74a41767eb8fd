"""Pub/Sub: topics, their subscriptions with retry and dead-letter topics, and pushes with OIDC."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from deployer.primitives.topics import Subscription, Topic
from deployer.providers.gcp.context import INVOKER_LOGICAL_NAME, Context
from deployer.providers.gcp.identity import Grant
from deployer.providers.gcp.naming import DEAD_LETTER, subscription_name
from deployer.providers.shared import service_url
from deployer.speclang.durations import seconds

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
PUBLISHER = "roles/pubsub.publisher"
SUBSCRIBER = "roles/pubsub.subscriber"
NEVER_EXPIRE = {"ttl": ""}  # Pub/Sub deletes a subscription idle for 31 days unless told otherwise
DEAD_LETTER_RETENTION = "2678400s"  # the longest Pub/Sub keeps a message: 31 days


@dataclass(frozen=True)
class CreatedSubscription:
    subscription: gcp.pubsub.Subscription
    dead_letters: gcp.pubsub.Subscription  # where the messages that failed every attempt wait
    endpoint: str | None  # the URL a push subscription delivers to

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"id": self.subscription.id, "deadLetters": self.dead_letters.id}
        if self.endpoint is not None:
            outputs["endpoint"] = self.endpoint
        return outputs

    def grants(self, name: str, _permissions: None) -> list[Grant]:
        """Pull for its service; a push subscription delivers on its own."""
        if self.endpoint is not None:
            return []
        return [Grant(name, SUBSCRIBER, lambda logical, role, member, project: gcp.pubsub.SubscriptionIAMMember(
            logical, subscription=self.subscription.id, role=role, member=member, project=project))]


@dataclass(frozen=True)
class CreatedTopic:
    topic: gcp.pubsub.Topic
    ordering_attribute: str | None
    subscriptions: dict[str, CreatedSubscription]

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"id": self.topic.id, "name": self.topic.name}
        if self.ordering_attribute:
            # Publishers set the ordering key from this attribute (the key AWS calls the message group).
            outputs["messageGroupAttribute"] = self.ordering_attribute
        return outputs

    def grants(self, name: str, permissions: list[str]) -> list[Grant]:
        if "publish" not in permissions:
            return []
        return [Grant(name, PUBLISHER, lambda logical, role, member, project: gcp.pubsub.TopicIAMMember(
            logical, topic=self.topic.id, role=role, member=member, project=project))]


def create_topics(ctx: Context) -> dict[str, CreatedTopic]:
    """Every topic with its subscriptions; the pushes are signed by the context's invoker."""
    topics = ctx.env.spec.topics
    subscriptions = [sub for topic in topics.values() for sub in topic.subscriptions.values()]
    agent = pubsub_service_agent(ctx) if subscriptions else None
    if any(sub.endpoint for sub in subscriptions):
        # Lets Pub/Sub mint the invoker's OIDC tokens (granted implicitly in projects made after April 2021).
        gcp.serviceaccount.IAMMember(f"{INVOKER_LOGICAL_NAME}.pubsub-tokens", service_account_id=ctx.invoker.name,
                                     role=TOKEN_CREATOR, member=agent)
    created = {}
    for topic_name, topic in topics.items():
        source = _topic(ctx, topic_name, topic_name)
        created[topic_name] = CreatedTopic(source, topic.ordering_attribute, {
            name: _subscription(ctx, topic_name, topic, name, spec, source, agent)
            for name, spec in topic.subscriptions.items()})
    return created


def pubsub_service_agent(ctx: Context) -> pulumi.Output[str]:
    """The Google-managed identity that forwards messages to dead-letter topics."""
    project = gcp.organizations.get_project_output(project_id=ctx.project)
    return project.number.apply(lambda number: f"serviceAccount:service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com")


def _topic(ctx: Context, logical_name: str, name: str, suffix: str = "") -> gcp.pubsub.Topic:
    return gcp.pubsub.Topic(logical_name, name=ctx.name("topic", name, suffix), labels=ctx.labels(name),
                            project=ctx.project, opts=ctx.stateful())


def _subscription(ctx: Context, topic_name: str, topic: Topic, name: str, spec: Subscription,
                  source: gcp.pubsub.Topic, agent: pulumi.Output[str]) -> CreatedSubscription:
    project = ctx.project
    logical_name = f"{topic_name}.{name}"
    full_name = subscription_name(topic_name, name)
    dead_letter_topic = _topic(ctx, f"{logical_name}.dead-letter", full_name, suffix=DEAD_LETTER)
    dead_letters = gcp.pubsub.Subscription(
        f"{logical_name}.dead-letter",
        name=ctx.name("subscription", full_name, suffix=DEAD_LETTER),
        topic=dead_letter_topic.id,
        message_retention_duration=DEAD_LETTER_RETENTION,
        expiration_policy=NEVER_EXPIRE,
        labels=ctx.labels(full_name),
        project=project,
        opts=ctx.stateful(),
    )
    retry = spec.retry_policy
    subscription = gcp.pubsub.Subscription(
        logical_name,
        name=ctx.name("subscription", full_name),
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
        push_config=_push_config(ctx, spec) if spec.endpoint else None,
        expiration_policy=NEVER_EXPIRE,
        labels=ctx.labels(full_name),
        project=project,
        opts=ctx.stateful(),
    )
    # What the dead-letter flow needs, and no more: Pub/Sub takes the message off the source
    # subscription and publishes it to the dead-letter topic.
    gcp.pubsub.TopicIAMMember(f"{logical_name}.dead-letter.publisher", topic=dead_letter_topic.id,
                              role=PUBLISHER, member=agent, project=project)
    gcp.pubsub.SubscriptionIAMMember(f"{logical_name}.dead-letter.subscriber", subscription=subscription.id,
                                     role=SUBSCRIBER, member=agent, project=project)
    return CreatedSubscription(subscription, dead_letters, push_url(ctx, spec))


def push_url(ctx: Context, spec: Subscription) -> str | None:
    return service_url(ctx.env, spec.service, spec.endpoint) if spec.endpoint else None


def _push_config(ctx: Context, spec: Subscription) -> dict:
    # The audience is the service's own URL, the same for its every push and cron endpoint.
    return {"push_endpoint": push_url(ctx, spec),
            "oidc_token": {"service_account_email": ctx.invoker.email,
                           "audience": service_url(ctx.env, spec.service, "")}}
