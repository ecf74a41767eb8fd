"""What AWS cannot honour, as located spec problems (each limit with its source)."""

from collections.abc import Iterable
from datetime import timedelta

from deployer.errors import Finding, quoted
from deployer.speclang import cronexpr
from deployer.speclang.model import Infra
from deployer.speclang.rules import subscription_ranges, subscriptions

SNS_HTTPS_MAX_RETRIES = 100
SNS_HTTPS_MAX_BACKOFF = timedelta(hours=1)


def aws_rules(spec: Infra) -> Iterable[Finding]:
    yield from _caches(spec)
    yield from subscription_ranges(spec, "AWS (SQS)", ack_deadline=(timedelta(0), timedelta(hours=12)),
                                   retention=(timedelta(minutes=1), timedelta(days=14)), retries=(1, 1000))
    yield from _push_subscriptions(spec)
    yield from _cron(spec)


def _caches(spec: Infra) -> Iterable[Finding]:
    for cache_name in spec.caches:
        if "--" in (name := f"{spec.app}-ENV-{cache_name}"):
            yield ("caches", cache_name), ("ElastiCache refuses names with two hyphens in a row, as in "
                                           f"{quoted(name)}: rename the cache or the app")


def _push_subscriptions(spec: Infra) -> Iterable[Finding]:
    for at, sub in subscriptions(spec):
        if not sub.endpoint:
            continue
        topic = spec.topics[at[1]]
        if topic.delivery_guarantee == "exactly-once" or topic.ordering_attribute:
            yield (*at, "endpoint"), ("AWS delivers exactly-once and ordered topics through SNS FIFO, "
                                      "which pushes only to SQS queues: make this a pull subscription "
                                      "(no endpoint) or the topic at-least-once and unordered")
        if sub.retry_policy.max_retries > SNS_HTTPS_MAX_RETRIES:
            yield (*at, "retryPolicy", "maxRetries"), f"AWS (SNS HTTPS) retries at most {SNS_HTTPS_MAX_RETRIES} times"
        if sub.retry_policy.max_backoff > SNS_HTTPS_MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "AWS (SNS HTTPS) allows a backoff of at most 1h"


def _cron(spec: Infra) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        if (job.schedule is not None and cronexpr.schedule_problem(job.schedule) is None
                and cronexpr.restricts_both_days(job.schedule)):
            yield ("cron", job_id, "schedule"), ("AWS (EventBridge) cannot restrict both day-of-month and "
                                                 "day-of-week: use * for one of them")
