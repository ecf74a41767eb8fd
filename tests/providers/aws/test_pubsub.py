"""SNS topics and SQS/HTTPS subscriptions under the mock runtime."""

import json

import pytest

from deployer.errors import SpecInvalid

TOPIC = "aws:sns/topic:Topic"
QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"

SPEC = """
services:
  crm: {url: "https://crm.example.com"}
  email: {url: "https://email.example.com/"}
topics:
  signups:
    subscriptions:
      crm-sync: {service: crm, ackDeadline: 45s, messageRetention: 3d, retryPolicy: {maxRetries: 7}}
      welcome:
        service: email
        endpoint: /pubsub/welcome
        maxConcurrency: 20
        retryPolicy: {minBackoff: 5s, maxBackoff: 5m, maxRetries: 16}
  orders:
    orderingAttribute: order_id
    subscriptions:
      fulfil: {service: crm}
  payments:
    deliveryGuarantee: exactly-once
"""


@pytest.fixture
def plan(aws_plan):
    return aws_plan(SPEC)


def test_plain_topic_is_standard_and_encrypted(plan):
    topic = plan.inputs(TOPIC, "signups")
    assert topic["name"] == "shop-prod-signups"
    assert topic["kmsMasterKeyId"] == "alias/aws/sns"
    assert not topic.get("fifoTopic")


@pytest.mark.parametrize("name", ["orders", "payments"])
def test_ordered_and_exactly_once_topics_are_fifo_with_deduplication(plan, name):
    topic = plan.inputs(TOPIC, name)
    assert topic["name"] == f"shop-prod-{name}.fifo"
    assert topic["fifoTopic"] is True and topic["contentBasedDeduplication"] is True


def test_queues_of_fifo_topics_are_fifo(plan):
    for name in ("orders.fulfil", "orders.fulfil.dead-letter"):
        queue = plan.inputs(QUEUE, name)
        assert queue["fifoQueue"] is True and queue["name"].endswith(".fifo")
    assert plan.outputs["services"]["crm"]["subscriptions"]["orders"]["fulfil"]["queueUrl"] == \
        "https://sqs.eu-west-1.amazonaws.com/000000000000/shop-prod-orders_fulfil.fifo"


def test_pull_queue_takes_its_timings_from_the_spec(plan):
    queue = plan.inputs(QUEUE, "signups.crm-sync")
    assert queue["name"] == "shop-prod-signups_crm-sync"
    assert queue["visibilityTimeoutSeconds"] == 45
    assert queue["messageRetentionSeconds"] == 3 * 86400
    assert queue["sqsManagedSseEnabled"] is True
    assert not queue.get("fifoQueue")


def test_pull_queue_redrives_to_its_dead_letter_queue_after_max_retries(plan):
    redrive = json.loads(plan.inputs(QUEUE, "signups.crm-sync")["redrivePolicy"])
    assert redrive == {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync_dlq",
                       "maxReceiveCount": 7}
    dead_letters = plan.inputs(QUEUE, "signups.crm-sync.dead-letter")
    assert dead_letters["messageRetentionSeconds"] == 14 * 86400
    assert dead_letters["sqsManagedSseEnabled"] is True


def test_queue_policy_admits_only_its_topic(plan):
    policy = plan.policy(QUEUE_POLICY, "signups.crm-sync")
    assert policy["Statement"] == [{
        "Sid": "AllowTopic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync",
        "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:000000000000:shop-prod-signups"}},
    }]


def test_pull_subscription_delivers_raw_to_its_queue_and_depends_on_queue_and_topic(plan):
    subscription = plan.one(SUBSCRIPTION, "signups.crm-sync")
    assert subscription["inputs"]["protocol"] == "sqs"
    assert subscription["inputs"]["rawMessageDelivery"] is True
    assert subscription["inputs"]["endpoint"] == "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync"
    depends = subscription["dependsOn"]
    for type_, name in ((QUEUE, "signups.crm-sync"), (TOPIC, "signups"), (QUEUE_POLICY, "signups.crm-sync")):
        assert plan.one(type_, name)["urn"] in depends


def test_push_subscription_posts_to_the_service_with_a_retry_policy_and_dead_letters(plan):
    subscription = plan.one(SUBSCRIPTION, "signups.welcome")
    inputs = subscription["inputs"]
    assert inputs["protocol"] == "https"
    assert inputs["endpoint"] == "https://email.example.com/pubsub/welcome"
    assert json.loads(inputs["deliveryPolicy"]) == {
        # 16 failed deliveries: the first and 15 retries, 6 backing off from 5s to 300s, then 9 every 300s
        "healthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 300, "numRetries": 15,
                               "numNoDelayRetries": 0, "numMinDelayRetries": 0, "numMaxDelayRetries": 9,
                               "backoffFunction": "exponential"},
        "throttlePolicy": {"maxReceivesPerSecond": 20},
    }
    dead_letters = plan.one(QUEUE, "signups.welcome.dead-letter")
    assert json.loads(inputs["redrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_welcome_dlq"}
    assert dead_letters["urn"] in subscription["dependsOn"]
    assert plan.one(TOPIC, "signups")["urn"] in subscription["dependsOn"]
    admitted = plan.policy(QUEUE_POLICY, "signups.welcome.dead-letter")["Statement"][0]
    assert admitted["Condition"] == {"ArnEquals": {
        "aws:SourceArn": "arn:aws:sns:eu-west-1:000000000000:shop-prod-signups"}}


def test_push_subscription_has_no_queue_of_its_own(plan):
    assert [r["name"] for r in plan.all(QUEUE) if r["name"].startswith("signups.welcome")] == \
        ["signups.welcome.dead-letter"]


def test_topics_and_queues_are_protected_in_production_only(aws_plan, plan):
    assert plan.one(TOPIC, "signups")["protect"] and plan.one(QUEUE, "signups.crm-sync")["protect"]
    dev = aws_plan(SPEC, env="dev")
    assert not any(r["protect"] for r in dev.resources)


def test_retention_over_fourteen_days_is_rejected(aws_plan):
    with pytest.raises(SpecInvalid, match=r"infra.yaml:\d+: topics.signups.subscriptions.crm-sync."
                                          r"messageRetention: AWS \(SQS\) allows 1m to 14d"):
        aws_plan("""
        services: {crm: {}}
        topics: {signups: {subscriptions: {crm-sync: {service: crm, messageRetention: 15d}}}}
        """)
