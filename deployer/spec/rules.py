"""The rules of SPEC.md that a type cannot say: references, keyspaces, cron, provider limits."""

from collections.abc import Callable, Collection, Iterable
from datetime import timedelta
from difflib import get_close_matches

from deployer.errors import quoted
from deployer.spec import cronexpr, keyspaces
from deployer.spec.durations import format_duration
from deployer.spec.environments import EnvInfo
from deployer.spec.model import Infra, Topic

SpecPath = tuple[str | int, ...]
Finding = tuple[SpecPath, str]

# What each provider's messaging service allows (SQS/SNS on AWS, Pub/Sub on GCP).
SUBSCRIPTION_LIMITS = {
    "aws": {"ackDeadline": (timedelta(0), timedelta(hours=12)),
            "messageRetention": (timedelta(minutes=1), timedelta(days=14)),
            "maxRetries": (1, 1000)},
    "gcp": {"ackDeadline": (timedelta(seconds=10), timedelta(seconds=600)),
            "messageRetention": (timedelta(minutes=10), timedelta(days=7)),
            "maxRetries": (5, 100)},
}
SNS_HTTPS_MAX_RETRIES = 100
SNS_HTTPS_MAX_BACKOFF = timedelta(hours=1)
STATE_BACKENDS = ("file://", "s3://", "gs://", "azblob://", "https://")  # https: Pulumi Cloud
GCP_MAX_BACKOFF = timedelta(seconds=600)


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """`unknown service "emial"`, with the closest declared name where one is close."""
    known = sorted(known)
    message = f"unknown {kind} {quoted(name)}"
    if close := get_close_matches(name, known, n=1, cutoff=0.6):
        return f"{message}; did you mean {quoted(close[0])}?"
    return f"{message} (declared: {', '.join(known)})" if known else f"{message} (none declared)"


def check_base(spec: Infra) -> list[Finding]:
    """The rules for the spec as written, before any environment applies."""
    findings = []
    if spec.environments == {}:
        findings.append((("environments",),
                         "declares no environment: declare one, or leave the block out for prod, dev and local"))
    if spec.state is not None and not spec.state.startswith(STATE_BACKENDS):
        backends = ", ".join(b + "…" for b in STATE_BACKENDS)
        findings.append((("state",), f"{quoted(spec.state)} is not a Pulumi backend URL: use one of {backends}"))
    return findings


def check(spec: Infra, env: EnvInfo, invalid: Collection[str] = ()) -> list[Finding]:
    """Every rule for the spec as environment `env` deploys it, but those that read a top-level
    section named in `invalid` (one the model refused: `spec` has its default there)."""
    rules: list[tuple[set[str], Callable[[], Iterable[Finding]]]] = [
        ({"aws", "gcp", "secretStore"}, lambda: _provider_settings(spec, env.provider)),
        ({"caches"}, lambda: _caches(spec, env.provider)),
        ({"buckets"}, lambda: _buckets(spec)),
        ({"topics", "services"}, lambda: _topics(spec, env.provider)),
        ({"cron", "services"}, lambda: _cron(spec, env.provider)),
        ({"services", "buckets", "topics", "caches", "secrets"}, lambda: _services(spec)),
    ]
    return [finding for reads, rule in rules if not reads & set(invalid) for finding in rule()]


def _provider_settings(spec: Infra, provider: str) -> Iterable[Finding]:
    if provider == "aws" and not spec.aws.region:
        yield ("aws", "region"), "required: an environment targets aws (e.g. region: us-east-1)"
    elif spec.secret_store == "aws" and not spec.aws.region:
        yield ("secretStore",), "secrets kept in AWS need aws.region (e.g. aws: {region: us-east-1})"
    if provider == "gcp":
        for field, example in (("project", "my-project-id"), ("region", "us-central1")):
            if not getattr(spec.gcp, field):
                yield ("gcp", field), f"required: an environment targets gcp (e.g. {field}: {example})"
    elif spec.secret_store == "gcp" and not spec.gcp.project:
        yield ("secretStore",), "secrets kept in GCP need gcp.project (e.g. gcp: {project: my-project-id})"


def _caches(spec: Infra, provider: str) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
        if provider == "aws" and "--" in (name := f"{spec.app}-ENV-{cache_name}"):
            yield ("caches", cache_name), ("ElastiCache refuses names with two hyphens in a row, as in "
                                           f"{quoted(name)}: rename the cache or the app")
        for ks_name, keyspace in cache.keyspaces.items():
            for problem in keyspaces.pattern_problems(keyspace):
                yield ("caches", cache_name, "keyspaces", ks_name, "keyPattern"), problem
        for first, second in keyspaces.overlapping(cache.keyspaces):
            yield (("caches", cache_name, "keyspaces", second, "keyPattern"),
                   (f"pattern {quoted(cache.keyspaces[second].key_pattern)} can produce the same keys as "
                    f"keyspace {quoted(first)} ({quoted(cache.keyspaces[first].key_pattern)})"))


def _buckets(spec: Infra) -> Iterable[Finding]:
    for name, bucket in spec.buckets.items():
        for index, rule in enumerate(bucket.lifecycle):
            at = ("buckets", name, "lifecycle", index)
            actions = [rule.expire_after_days, rule.transition_after_days,
                       rule.noncurrent_expire_after_days]
            if all(a is None for a in actions):
                yield at, ("a lifecycle rule needs an action: expireAfterDays, transitionAfterDays "
                           "or noncurrentExpireAfterDays")
            if (rule.transition_after_days is None) != (rule.storage_class is None):
                yield at, "transitionAfterDays and storageClass go together"
            if rule.noncurrent_expire_after_days is not None and not bucket.versioned:
                yield (*at, "noncurrentExpireAfterDays"), "applies to versioned buckets only (set versioned: true)"


def _topics(spec: Infra, provider: str) -> Iterable[Finding]:
    for topic_name, topic in spec.topics.items():
        for sub_name, sub in topic.subscriptions.items():
            at = ("topics", topic_name, "subscriptions", sub_name)
            if sub.service not in spec.services:
                yield (*at, "service"), unknown("service", sub.service, spec.services)
            elif sub.endpoint and not spec.services[sub.service].url:
                yield (*at, "endpoint"), f"a push subscription needs a url on service {quoted(sub.service)}"
            if sub.retry_policy.min_backoff > sub.retry_policy.max_backoff:
                yield (*at, "retryPolicy", "minBackoff"), "minBackoff is longer than maxBackoff"
            yield from _provider_subscription(provider, topic, sub, at)


def _provider_subscription(provider: str, topic: Topic, sub, at: SpecPath) -> Iterable[Finding]:
    limits = SUBSCRIPTION_LIMITS[provider]
    cloud = {"aws": "AWS (SQS)", "gcp": "GCP Pub/Sub"}[provider]
    for field, value in (("ackDeadline", sub.ack_deadline), ("messageRetention", sub.message_retention)):
        low, high = limits[field]
        if not low <= value <= high:
            yield (*at, field), f"{cloud} allows {format_duration(low)} to {format_duration(high)}"
    low, high = limits["maxRetries"]
    retries = sub.retry_policy.max_retries
    if not low <= retries <= high:
        yield (*at, "retryPolicy", "maxRetries"), f"{cloud} allows {low} to {high} delivery attempts"
    ordered = topic.delivery_guarantee == "exactly-once" or topic.ordering_attribute
    if provider == "aws" and sub.endpoint and ordered:
        yield (*at, "endpoint"), ("AWS delivers exactly-once and ordered topics through SNS FIFO, "
                                  "which pushes only to SQS queues: make this a pull subscription "
                                  "(no endpoint) or the topic at-least-once and unordered")
    if provider == "aws" and sub.endpoint and retries > SNS_HTTPS_MAX_RETRIES:
        yield (*at, "retryPolicy", "maxRetries"), f"AWS (SNS HTTPS) retries at most {SNS_HTTPS_MAX_RETRIES} times"
    if provider == "aws" and sub.endpoint and sub.retry_policy.max_backoff > SNS_HTTPS_MAX_BACKOFF:
        yield (*at, "retryPolicy", "maxBackoff"), "AWS (SNS HTTPS) allows a backoff of at most 1h"
    if provider == "gcp" and sub.endpoint and topic.delivery_guarantee == "exactly-once":
        yield (*at, "endpoint"), ("GCP Pub/Sub offers exactly-once delivery to pull subscriptions "
                                  "only: drop the endpoint or make the topic at-least-once")
    if provider == "gcp" and sub.retry_policy.max_backoff > GCP_MAX_BACKOFF:
        yield (*at, "retryPolicy", "maxBackoff"), "GCP Pub/Sub allows a backoff of at most 10m"


def _cron(spec: Infra, provider: str) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        at = ("cron", job_id)
        if (job.every is None) == (job.schedule is None):
            yield at, "give exactly one of every or schedule"
        if job.every is not None and (problem := cronexpr.every_problem(job.every)):
            yield (*at, "every"), problem
        if job.schedule is not None and (problem := cronexpr.schedule_problem(job.schedule)):
            yield (*at, "schedule"), problem
        elif job.schedule is not None and provider == "aws" and cronexpr.restricts_both_days(job.schedule):
            yield (*at, "schedule"), ("AWS (EventBridge) cannot restrict both day-of-month and day-of-week: "
                                      "use * for one of them")
        endpoint = job.endpoint
        if isinstance(endpoint, str):
            continue
        if endpoint.service not in spec.services:
            yield (*at, "endpoint", "service"), unknown("service", endpoint.service, spec.services)
        elif not spec.services[endpoint.service].url:
            yield (*at, "endpoint", "service"), f"service {quoted(endpoint.service)} has no url to call"


def _services(spec: Infra) -> Iterable[Finding]:
    for name, service in spec.services.items():
        at = ("services", name, "uses")
        for bucket, permissions in service.uses.buckets.items():
            if bucket not in spec.buckets:
                yield (*at, "buckets", bucket), unknown("bucket", bucket, spec.buckets)
            elif "public-url" in permissions and not spec.buckets[bucket].public:
                yield (*at, "buckets", bucket), f"public-url needs a public bucket ({quoted(bucket)} is private)"
        for topic in service.uses.topics:
            if topic not in spec.topics:
                yield (*at, "topics", topic), unknown("topic", topic, spec.topics)
        for index, cache in enumerate(service.uses.caches):
            if cache not in spec.caches:
                yield (*at, "caches", index), unknown("cache", cache, spec.caches)
        for index, secret in enumerate(service.uses.secrets):
            if secret not in spec.secrets:
                yield (*at, "secrets", index), unknown("secret", secret, spec.secrets)
