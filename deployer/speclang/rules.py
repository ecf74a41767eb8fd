"""The rules of SPEC.md that a type cannot say: references, keyspaces, cron; and the rules of the
environment's cloud (what it cannot honour), which the cloud itself knows."""

from collections.abc import Collection, Iterable
from datetime import timedelta
from difflib import get_close_matches

from deployer.clouds import Cloud, registered
from deployer.errors import Finding, SpecPath, quoted
from deployer.speclang import cronexpr, keyspaces
from deployer.speclang.durations import format_duration
from deployer.speclang.environments import PREVIEW_ENV, PREVIEW_TYPE, EnvInfo
from deployer.speclang.model import FILE_STORE, Infra, Subscription

STATE_BACKENDS = ("file://", "s3://", "gs://", "azblob://", "https://")  # https: Pulumi Cloud


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """`unknown service "emial"`, with the closest declared name where one is close."""
    known = sorted(known)
    message = f"unknown {kind} {quoted(name)}"
    if close := get_close_matches(name, known, n=1, cutoff=0.6):
        return f"{message}; did you mean {quoted(close[0])}?"
    return f"{message} (declared: {', '.join(known)})" if known else f"{message} (none declared)"


def not_allowed(given: object, allowed: Iterable[str]) -> str:
    """`"azur" is not allowed; did you mean "azure"?`, else the allowed values."""
    allowed = list(allowed)
    if hint := get_close_matches(str(given), allowed, n=1, cutoff=0.6):
        return f"{quoted(given)} is not allowed; did you mean {quoted(hint[0])}?"
    return f"{quoted(given)} is not allowed; expected {' or '.join(map(quoted, allowed))}"


def check_base(spec: Infra) -> list[Finding]:
    """The rules for the spec as written, before any environment applies."""
    findings = []
    if spec.environments == {}:
        findings.append((("environments",),
                         "declares no environment: declare one, or leave the block out for prod, dev and local"))
    for name, environment in (spec.environments or {}).items():
        if PREVIEW_ENV.fullmatch(name) and environment.type != PREVIEW_TYPE:
            findings.append((("environments", name, "type"),
                             (f"pr-<number> is always a preview (a pull request's environment never gets "
                              f"{environment.type} values): declare it with type: preview, or rename it")))
    if spec.state is not None and not spec.state.startswith(STATE_BACKENDS):
        backends = ", ".join(b + "…" for b in STATE_BACKENDS)
        findings.append((("state",), f"{quoted(spec.state)} is not a Pulumi backend URL: use one of {backends}"))
    return findings


def check(spec: Infra, env: EnvInfo, refused: Collection[tuple[str, str]] = ()) -> list[Finding]:
    """Every rule for the spec as environment `env` deploys it: SPEC.md's, then its cloud's. `refused`:
    the entries (section, name) holding a value the model refused, which `spec` lacks or has with a
    default there: what a reference to one would check is not checked."""
    clouds = registered()
    target = clouds.get(env.provider)
    findings = [*_cloud_settings(spec, env.provider, clouds), *_caches(spec), *_buckets(spec),
                *_topics(spec, refused), *_cron(spec, refused), *_services(spec, refused)]
    if target is not None:
        findings += target.rules(spec, env)
    return findings


def _cloud_settings(spec: Infra, provider: str, clouds: dict[str, Cloud]) -> Iterable[Finding]:
    """A known cloud, with the settings it needs; a known secret store, with the settings it needs."""
    target = clouds.get(provider)
    if target is None:
        yield ("provider",), not_allowed(provider, clouds)
    else:
        settings = getattr(spec, target.name, None)
        for field, example in target.required_settings.items():
            if not getattr(settings, field, None):
                yield (target.name, field), f"required: an environment targets {target.name} (e.g. {field}: {example})"
    if spec.secret_store == FILE_STORE or spec.secret_store == provider:
        return
    store = clouds.get(spec.secret_store)
    if store is None or not store.store_settings:
        if store is None:
            yield ("secretStore",), not_allowed(spec.secret_store, [FILE_STORE, *clouds])
        return
    settings = getattr(spec, store.name, None)
    for field, example in store.store_settings.items():
        if not getattr(settings, field, None):
            yield ("secretStore",), (f"secrets kept in {store.title} need {store.name}.{field} "
                                     f"(e.g. {store.name}: {{{field}: {example}}})")


def _caches(spec: Infra) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
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
        if bucket.index_document is not None and not bucket.public:
            yield ("buckets", name, "indexDocument"), "applies to public buckets only (set public: true)"


def _topics(spec: Infra, refused: Collection[tuple[str, str]]) -> Iterable[Finding]:
    for topic_name, topic in spec.topics.items():
        for sub_name, sub in topic.subscriptions.items():
            at = ("topics", topic_name, "subscriptions", sub_name)
            if ("services", sub.service) in refused:
                pass  # its url may be the refused value
            elif sub.service not in spec.services:
                yield (*at, "service"), unknown("service", sub.service, spec.services)
            elif sub.endpoint and not spec.services[sub.service].url:
                yield (*at, "endpoint"), f"a push subscription needs a url on service {quoted(sub.service)}"
            if sub.retry_policy.min_backoff > sub.retry_policy.max_backoff:
                yield (*at, "retryPolicy", "minBackoff"), "minBackoff is longer than maxBackoff"


def subscriptions(spec: Infra) -> Iterable[tuple[SpecPath, Subscription]]:
    """Every subscription with its spec path (for the clouds' rules)."""
    for topic_name, topic in spec.topics.items():
        for sub_name, sub in topic.subscriptions.items():
            yield ("topics", topic_name, "subscriptions", sub_name), sub


def subscription_ranges(spec: Infra, service: str, ack_deadline: tuple[timedelta, timedelta],
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


def _cron(spec: Infra, refused: Collection[tuple[str, str]]) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        at = ("cron", job_id)
        if (job.every is None) == (job.schedule is None):
            yield at, "give exactly one of every or schedule"
        if job.every is not None and (problem := cronexpr.every_problem(job.every)):
            yield (*at, "every"), problem
        if job.schedule is not None and (problem := cronexpr.schedule_problem(job.schedule)):
            yield (*at, "schedule"), problem
        endpoint = job.endpoint
        if isinstance(endpoint, str) or ("services", endpoint.service) in refused:
            continue
        if endpoint.service not in spec.services:
            yield (*at, "endpoint", "service"), unknown("service", endpoint.service, spec.services)
        elif not spec.services[endpoint.service].url:
            yield (*at, "endpoint", "service"), f"service {quoted(endpoint.service)} has no url to call"


def _services(spec: Infra, refused: Collection[tuple[str, str]]) -> Iterable[Finding]:
    for name, service in spec.services.items():
        at = ("services", name, "uses")
        for bucket, permissions in service.uses.buckets.items():
            if ("buckets", bucket) in refused:
                continue
            if bucket not in spec.buckets:
                yield (*at, "buckets", bucket), unknown("bucket", bucket, spec.buckets)
            elif "public-url" in permissions and not spec.buckets[bucket].public:
                yield (*at, "buckets", bucket), f"public-url needs a public bucket ({quoted(bucket)} is private)"
        for section, kind, used in (("topics", "topic", service.uses.topics), ("caches", "cache", service.uses.caches),
                                    ("secrets", "secret", service.uses.secrets)):
            declared = getattr(spec, section)
            for index, entry in enumerate(used):
                if entry not in declared and (section, entry) not in refused:
                    yield (*at, section, entry if section == "topics" else index), unknown(kind, entry, declared)
