"""What GCP cannot honour, as located spec problems (each limit with its source)."""

from collections.abc import Iterable
from datetime import timedelta

from deployer.errors import Finding
from deployer.speclang.model import Infra
from deployer.speclang.rules import subscription_ranges, subscriptions

MAX_BACKOFF = timedelta(seconds=600)


def gcp_rules(spec: Infra) -> Iterable[Finding]:
    yield from subscription_ranges(spec, "GCP Pub/Sub", ack_deadline=(timedelta(seconds=10), timedelta(seconds=600)),
                                   retention=(timedelta(minutes=10), timedelta(days=7)), retries=(5, 100))
    for at, sub in subscriptions(spec):
        if sub.endpoint and spec.topics[at[1]].delivery_guarantee == "exactly-once":
            yield (*at, "endpoint"), ("GCP Pub/Sub offers exactly-once delivery to pull subscriptions "
                                      "only: drop the endpoint or make the topic at-least-once")
        if sub.retry_policy.max_backoff > MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "GCP Pub/Sub allows a backoff of at most 10m"
