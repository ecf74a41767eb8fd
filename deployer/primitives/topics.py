"""Topics: pub/sub topics and their subscriptions, each with its dead-letter destination."""

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from deployer import clouds
from deployer.encore_values import EncoreSection, NotInEncore
from deployer.errors import Finding, SpecPath, quoted
from deployer.primitive import Primitive, Refused
from deployer.speclang.durations import format_duration
from deployer.speclang.fields import INT32_MAX, Duration, EncoreName, Model
from deployer.speclang.references import unknown

if TYPE_CHECKING:
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv


class RetryPolicy(Model):
    """How failed deliveries are retried before the message goes to the dead letters."""

    min_backoff: Duration = Field(timedelta(seconds=10), description="wait before the first retry")
    max_backoff: Duration = Field(timedelta(minutes=10), description="longest wait between retries")
    max_retries: int = Field(100, ge=1, le=INT32_MAX, description="failed deliveries before the dead-letter destination")


class Subscription(Model):
    """A consumer of a topic, with its own dead-letter destination."""

    service: str = Field(description="the consuming service")
    endpoint: Annotated[str, Field(pattern=r"^/")] | None = Field(
        None, description="push to this path of the service's URL; absent: the service pulls")
    ack_deadline: Duration = Field(timedelta(seconds=30), description="time to acknowledge a message")
    message_retention: Duration = Field(timedelta(days=7), description="how long undelivered messages are kept")
    max_concurrency: int | None = Field(None, ge=1, le=INT32_MAX, description="most messages in flight at once")
    retry_policy: RetryPolicy = Field(RetryPolicy(), description="retries before dead-lettering")


class Topic(Model):
    """A pub/sub topic (SNS on AWS, Pub/Sub on GCP) and its subscriptions."""

    delivery_guarantee: Literal["at-least-once", "exactly-once"] = Field(
        "at-least-once", description="exactly-once is FIFO on AWS, exactly-once delivery on GCP")
    ordering_attribute: str | None = Field(None, description="messages with one value of this attribute are "
                                           "delivered in order")
    subscriptions: dict[EncoreName, Subscription] = Field({}, description="subscriptions by name")


TopicPermission = Literal["publish"]


def subscriptions(spec: "Infra") -> Iterable[tuple[SpecPath, Subscription]]:
    """Every subscription with its spec path (for the clouds' rules)."""
    for topic_name, topic in spec.topics.items():
        for sub_name, sub in topic.subscriptions.items():
            yield ("topics", topic_name, "subscriptions", sub_name), sub


def subscription_ranges(spec: "Infra", service: str, ack_deadline: tuple[timedelta, timedelta],
                        retention: tuple[timedelta, timedelta], retries: tuple[int, int]) -> Iterable[Finding]:
    """The ranges a cloud's messaging SERVICE allows for ackDeadline, messageRetention and maxRetries."""
    for at, sub in subscriptions(spec):
        for field, value, (low, high) in (("ackDeadline", sub.ack_deadline, ack_deadline),
                                          ("messageRetention", sub.message_retention, retention)):
            if not low <= value <= high:
                yield (*at, field), f"{service} allows {format_duration(low)} to {format_duration(high)}"
        low, high = retries
        if not low <= sub.retry_policy.max_retries <= high:
            yield (*at, "retryPolicy", "maxRetries"), f"{service} allows {low} to {high} delivery attempts"


def _rules(spec: "Infra", refused: Refused) -> Iterable[Finding]:
    for at, sub in subscriptions(spec):
        if ("services", sub.service) in refused:
            pass  # its url may be the refused value
        elif sub.service not in spec.services:
            yield (*at, "service"), unknown("service", sub.service, spec.services)
        elif sub.endpoint and not spec.services[sub.service].url:
            yield (*at, "endpoint"), f"a push subscription needs a url on service {quoted(sub.service)}"
        if sub.retry_policy.min_backoff > sub.retry_policy.max_backoff:
            yield (*at, "retryPolicy", "minBackoff"), "minBackoff is longer than maxBackoff"


def _subscriptions(spec: "Infra") -> Iterable[tuple[str, str]]:
    return (("subscription", f"{topic}.{sub}") for (_, topic, _, sub), _ in subscriptions(spec))


def _encore_pubsub(env: "ResolvedEnv", services: dict, gaps: list[str]) -> list[dict]:
    """Encore's `pubsub`: the cloud's provider, each topic its cloud id and subscriptions (the topics a
    service subscribes to without publishing too); what Encore cannot express goes to GAPS."""
    cloud = clouds.cloud(env.provider)
    topics: dict[str, dict] = {}

    def topic_entry(name: str, topic_id: str) -> dict:
        return topics.setdefault(name, {**cloud.encore_topic({"id": topic_id}), "subscriptions": {}})

    for service in services.values():
        for name, topic in service.get("topics", {}).items():
            topic_entry(name, topic["id"])
        for topic_name, subscriptions in service.get("subscriptions", {}).items():
            for name, subscription in subscriptions.items():
                entry = topic_entry(topic_name, subscription["topicId"])
                try:
                    entry["subscriptions"][name] = cloud.encore_subscription(subscription, service)
                except NotInEncore as reason:
                    gaps.append(f"topics.{topic_name}.subscriptions.{name}: left out of Encore's config: {reason}")
    return [{**cloud.encore_pubsub(env), "topics": topics}] if topics else []


TOPICS = Primitive("topics", "topic", Topic, "pub/sub topics by name", dict[str, list[TopicPermission]],
                   "topic name -> permissions", names=EncoreName, rules=_rules,
                   encore=EncoreSection("pubsub", _encore_pubsub), parts=_subscriptions)
