"""SNS topics and their subscriptions: SQS queues for pull, HTTPS for push, each with a dead-letter queue."""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from deployer.primitives.topics import Subscription, Topic
from deployer.providers.aws.context import Context, policy_document
from deployer.providers.aws.delivery import retry_phases
from deployer.providers.aws.naming import dead_letter_queue, fifo_suffix, subscription_queue
from deployer.providers.aws.rules import SQS_MAX_RETENTION
from deployer.speclang.durations import seconds

SNS_MANAGED_KEY = "alias/aws/sns"
MAX_RETENTION_SECONDS = seconds(SQS_MAX_RETENTION)


@dataclass(frozen=True)
class CreatedSubscription:
    queue: aws.sqs.Queue | None  # a pull subscription's queue, which its service consumes
    push: aws.sns.TopicSubscription | None  # a push subscription's HTTPS delivery

    def outputs(self) -> dict[str, pulumi.Input]:
        if self.queue is not None:
            return {"id": self.queue.arn, "queueUrl": self.queue.url}
        return {"id": self.push.arn, "endpoint": self.push.endpoint}

    def arn(self, _part: str) -> pulumi.Output[str]:
        """Its queue's, which its service consumes."""
        return self.queue.arn


@dataclass(frozen=True)
class CreatedTopic:
    topic: aws.sns.Topic
    ordering_attribute: str | None
    subscriptions: dict[str, CreatedSubscription]

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"id": self.topic.arn, "name": self.topic.name}
        if self.ordering_attribute:
            outputs["messageGroupAttribute"] = self.ordering_attribute
        return outputs

    def arn(self, _part: str) -> pulumi.Output[str]:
        return self.topic.arn


def create_topics(ctx: Context) -> dict[str, CreatedTopic]:
    """Every topic with its subscriptions."""
    return {name: _topic(ctx, name, topic) for name, topic in ctx.env.spec.topics.items()}


def _topic(ctx: Context, name: str, spec: Topic) -> CreatedTopic:
    fifo = bool(fifo_suffix(spec))
    topic = aws.sns.Topic(
        name,
        name=ctx.name("topic", name, ".fifo" if fifo else ""),
        fifo_topic=fifo or None,
        content_based_deduplication=fifo or None,
        kms_master_key_id=SNS_MANAGED_KEY,
        # HTTPS pushes are signed with SHA256, which the receiving service checks (README, AWS)
        signature_version=2,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    subscriptions = {}
    for sub_name, sub in spec.subscriptions.items():
        logical = f"{name}.{sub_name}"
        dead_letters = encrypted_queue(ctx, f"{logical}.dead-letter", dead_letter_queue(name, sub_name), fifo,
                                       retention=MAX_RETENTION_SECONDS)
        if sub.endpoint:
            _admit_topic(ctx, f"{logical}.dead-letter", dead_letters, topic)
            subscriptions[sub_name] = CreatedSubscription(None, _push(ctx, logical, topic, sub, dead_letters))
        else:
            queue = _pull(ctx, logical, topic, subscription_queue(name, sub_name), sub, fifo, dead_letters)
            subscriptions[sub_name] = CreatedSubscription(queue, None)
    return CreatedTopic(topic, spec.ordering_attribute, subscriptions)


def encrypted_queue(ctx: Context, logical: str, name: str, fifo: bool, retention: int,
                    **arguments) -> aws.sqs.Queue:
    """An SQS queue (FIFO to match its topic), encrypted, kept like the topics in production."""
    return aws.sqs.Queue(
        logical,
        name=ctx.name("queue", name, ".fifo" if fifo else ""),
        fifo_queue=fifo or None,
        content_based_deduplication=fifo or None,
        message_retention_seconds=retention,
        sqs_managed_sse_enabled=True,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
        **arguments,
    )


def _admit_topic(ctx: Context, logical: str, queue: aws.sqs.Queue, topic: aws.sns.Topic) -> aws.sqs.QueuePolicy:
    """A queue policy admitting messages from this one topic only."""
    return aws.sqs.QueuePolicy(logical, queue_url=queue.url, policy=policy_document({
        "Sid": "AllowTopic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue.arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic.arn}},
    }), opts=ctx.part())


def _pull(ctx: Context, logical: str, topic: aws.sns.Topic, name: str, sub: Subscription, fifo: bool,
          dead_letters: aws.sqs.Queue) -> aws.sqs.Queue:
    redrive = dead_letters.arn.apply(lambda arn: json.dumps(
        {"deadLetterTargetArn": arn, "maxReceiveCount": sub.retry_policy.max_retries}))
    queue = encrypted_queue(ctx, logical, name, fifo, retention=seconds(sub.message_retention),
                   visibility_timeout_seconds=seconds(sub.ack_deadline), redrive_policy=redrive)
    admitted = _admit_topic(ctx, logical, queue, topic)
    aws.sns.TopicSubscription(
        logical, topic=topic.arn, protocol="sqs", endpoint=queue.arn, raw_message_delivery=True,
        opts=ctx.part(depends_on=[admitted]))
    return queue


def _push(ctx: Context, logical: str, topic: aws.sns.Topic, sub: Subscription,
          dead_letters: aws.sqs.Queue) -> aws.sns.TopicSubscription:
    base_url = ctx.env.spec.services[sub.service].url.rstrip("/")
    return aws.sns.TopicSubscription(
        logical,
        topic=topic.arn,
        protocol="https",
        endpoint=f"{base_url}{sub.endpoint}",
        endpoint_auto_confirms=False,
        delivery_policy=delivery_policy(sub),
        redrive_policy=dead_letters.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn})),
        opts=ctx.part(),
    )


def delivery_policy(sub: Subscription) -> str:
    """SNS's HTTPS retry policy from `retryPolicy`: exponential backoff between the two bounds, then
    retries every maxBackoff (delivery.py)."""
    phases = retry_phases(sub)
    policy: dict = {"healthyRetryPolicy": {
        "minDelayTarget": phases.min_delay,
        "maxDelayTarget": phases.max_delay,
        "numRetries": phases.retries,
        "numNoDelayRetries": 0,
        "numMinDelayRetries": 0,
        "numMaxDelayRetries": phases.max_delay_retries,
        "backoffFunction": "exponential",
    }}
    if sub.max_concurrency:
        policy["throttlePolicy"] = {"maxReceivesPerSecond": sub.max_concurrency}
    return json.dumps(policy)
