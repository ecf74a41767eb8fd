"""What AWS cannot honour, as located spec problems (each limit with its source)."""

import re
from collections.abc import Iterable
from datetime import timedelta

from deployer.errors import Finding, quoted
from deployer.providers.aws.delivery import (
    SNS_HTTPS_MAX_RETRIES,
    SNS_HTTPS_RETRY_SECONDS,
    RetryPhases,
    most_retries,
    retry_phases,
    sns_retries,
)
from deployer.providers.aws.naming import cron_called
from deployer.providers.aws.permissions import (
    INLINE_LIMIT,
    MANAGED_LIMIT,
    MANAGED_PER_ROLE,
    longest_arn,
    service_grants,
    split,
    surely_fitting,
)
from deployer.providers.aws.versions import SUPPORTED, parameter_family
from deployer.speclang import cronexpr
from deployer.speclang.durations import format_duration
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.primitives.topics import subscription_ranges, subscriptions

# RDS for PostgreSQL: the major versions in standard support, the shape of an instance class, gp3
# storage and automated backups as CreateDBInstance takes them.
RDS_POSTGRES_VERSIONS = ("13", "14", "15", "16", "17")
RDS_VERSIONS_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html"
RDS_INSTANCE_CLASS = re.compile(r"db\.[a-z][a-z0-9-]*\.[a-z0-9]+")
RDS_CLASSES_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html"
RDS_STORAGE_GB = (20, 65_536)
RDS_MAX_BACKUP_DAYS = 35
RDS_CREATE_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"
SNS_HTTPS_MAX_BACKOFF = timedelta(hours=1)
SNS_RETRIES_DOC = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html"
# Objects must stay 30 days in S3 before moving to STANDARD_IA
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
INFREQUENT_ACCESS_MIN_DAYS = 30
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE = 50, 128, 256
DEPLOYER_TAGS = ("app", "env", "managed-by", "deployer-name")  # context.Context.labels


def aws_rules(spec: Infra, env: EnvInfo) -> Iterable[Finding]:
    yield from _caches(spec)
    yield from _databases(spec)
    yield from _network(spec)
    yield from _tags(spec)
    yield from _lifecycle(spec)
    if env.deployable:  # a local environment has no IAM roles, and its endpoints are called over http
        yield from _role_policies(spec, env.name)
        yield from _https_only(spec)
    yield from subscription_ranges(spec, "AWS (SQS)", ack_deadline=(timedelta(0), timedelta(hours=12)),
                                   retention=(timedelta(minutes=1), timedelta(days=14)), retries=(1, 1000))
    yield from _push_subscriptions(spec)
    yield from _cron(spec)


def _caches(spec: Infra) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
        if "--" in (name := f"{spec.app}-ENV-{cache_name}"):
            yield ("caches", cache_name), ("ElastiCache refuses names with two hyphens in a row, as in "
                                           f"{quoted(name)}: rename the cache or the app")
        if parameter_family(version := cache.aws.engine_version) is None:
            yield ("caches", cache_name, "aws", "engineVersion"), (
                f"ElastiCache Redis {quoted(version)} is not supported: use {SUPPORTED} (its parameter group "
                "family; https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html)")


def _databases(spec: Infra) -> Iterable[Finding]:
    for name, database in spec.databases.items():
        at = ("databases", name)
        if database.version not in RDS_POSTGRES_VERSIONS:
            yield (*at, "version"), (f"RDS for PostgreSQL creates major versions {', '.join(RDS_POSTGRES_VERSIONS)} "
                                     f"({RDS_VERSIONS_DOC})")
        settings = database.aws
        if settings.instance_class is not None and not RDS_INSTANCE_CLASS.fullmatch(settings.instance_class):
            yield (*at, "aws", "instanceClass"), (f"{quoted(settings.instance_class)} is not an RDS DB instance "
                                                  f"class such as db.t4g.micro ({RDS_CLASSES_DOC})")
        if settings.storage_gb is not None and not RDS_STORAGE_GB[0] <= settings.storage_gb <= RDS_STORAGE_GB[1]:
            yield (*at, "aws", "storageGb"), (f"RDS for PostgreSQL takes {RDS_STORAGE_GB[0]} to {RDS_STORAGE_GB[1]} "
                                              f"GiB of gp3 storage ({RDS_CREATE_DOC})")
        if (days := settings.backup_retention_days) is not None and not 0 <= days <= RDS_MAX_BACKUP_DAYS:
            yield (*at, "aws", "backupRetentionDays"), (f"RDS keeps automated backups 0 to {RDS_MAX_BACKUP_DAYS} "
                                                        f"days ({RDS_CREATE_DOC})")


def _network(spec: Infra) -> Iterable[Finding]:
    network = spec.aws.network
    if (spec.caches or spec.databases) and network and network.subnet_ids and not network.vpc_id:
        yield ("aws", "network", "subnetIds"), ("subnets without their vpcId: the caches' and databases' security "
                                                "groups would be created in the default VPC, which these subnets "
                                                "are not in; give aws.network.vpcId")


def _tags(spec: Infra) -> Iterable[Finding]:
    tags = spec.aws.tags
    if (count := len({*tags, *DEPLOYER_TAGS})) > MAX_TAGS:
        yield ("aws", "tags"), (f"AWS allows {MAX_TAGS} tags per resource; these and deployer's own "
                                f"({', '.join(DEPLOYER_TAGS)}) make {count}")
    for key, value in tags.items():
        if key.lower().startswith("aws:"):
            yield ("aws", "tags", key), "tag keys starting `aws:` are reserved for AWS"
        if len(key) > MAX_TAG_KEY:
            yield ("aws", "tags", key), f"AWS tag keys are at most {MAX_TAG_KEY} characters"
        if len(value) > MAX_TAG_VALUE:
            yield ("aws", "tags", key), f"AWS tag values are at most {MAX_TAG_VALUE} characters"


def _lifecycle(spec: Infra) -> Iterable[Finding]:
    for name, bucket in spec.buckets.items():
        for index, rule in enumerate(bucket.lifecycle):
            at = ("buckets", name, "lifecycle", index)
            transition = rule.transition_after_days
            if transition is None:
                continue
            if rule.storage_class == "infrequent" and transition < INFREQUENT_ACCESS_MIN_DAYS:
                yield (*at, "transitionAfterDays"), (
                    f"S3 moves objects to STANDARD_IA (infrequent) {INFREQUENT_ACCESS_MIN_DAYS} days after "
                    "creation at the earliest")
            if rule.expire_after_days is not None and rule.expire_after_days <= transition:
                yield (*at, "expireAfterDays"), ("S3 refuses an expiration that is not later than the same "
                                                 f"rule's transition (day {transition})")


def _role_policies(spec: Infra, env: str) -> Iterable[Finding]:
    """Whether each role's grants fit its policies, measured with the longest ARNs (permissions.py)."""
    longest = longest_arn(spec, env)
    own: dict[str, list[tuple[str, str]]] = {}
    for at, sub in subscriptions(spec):
        own.setdefault(sub.service, []).append((at[1], at[3]))
    called = set(cron_called(spec))
    fitting = surely_fitting(spec)
    for service, declared in spec.services.items():
        if any(name not in getattr(spec, section) for section, used in declared.uses for name in used):
            continue  # an unknown resource, which the spec's rules report
        # a bucket is two targets (its objects, itself); a service called by cron reads its caller key
        if sum(2 * len(used) for _, used in declared.uses) + len(own.get(service, [])) + 1 <= fitting:
            continue
        grants = service_grants(spec, service, own.get(service, []), service in called)
        if not (policies := split(grants, longest)).fits:
            resources = sum(len(g.targets) for g in grants)
            yield ("services", service, "uses"), (
                f"the role's permissions ({resources} resources) take up to {policies.characters:,} characters of "
                f"IAM policy (measured with the longest ARNs these resources can have), in {len(policies.managed)} "
                f"managed policies of at most {MANAGED_LIMIT:,}: a role takes {INLINE_LIMIT:,} characters of inline "
                f"policies or {MANAGED_PER_ROLE} managed policies (https://docs.aws.amazon.com/IAM/latest/"
                "UserGuide/reference_iam-quotas.html); split the service")


def _https_only(spec: Infra) -> Iterable[Finding]:
    """SNS pushes and EventBridge API destinations call HTTPS endpoints only
    (https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html,
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html)."""
    callers: dict[str, list[str]] = {}
    for at, sub in subscriptions(spec):
        if sub.endpoint and sub.service in spec.services:
            callers.setdefault(sub.service, []).append(f"push subscription {at[1]}.{at[3]} (SNS)")
    for job_id, job in spec.cron.items():
        if not isinstance(job.endpoint, str) and job.endpoint.service in spec.services:
            callers.setdefault(job.endpoint.service, []).append(f"cron job {job_id} (EventBridge)")
    for service, what in callers.items():
        url = spec.services[service].url
        if url and not url.startswith("https://"):
            yield ("services", service, "url"), (f"AWS calls {', '.join(what)} over HTTPS only: give an "
                                                 "https:// url (http:// is for local environments)")


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
        elif sub.retry_policy.max_backoff > SNS_HTTPS_MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "AWS (SNS HTTPS) allows a backoff of at most 1h"
        elif (phases := retry_phases(sub, sns_retries(sub))).seconds > SNS_HTTPS_RETRY_SECONDS:
            yield (*at, "retryPolicy"), _too_long(phases, most_retries(sub))


def _too_long(phases: RetryPhases, fitting: int) -> str:
    wait = format_duration(timedelta(seconds=round(phases.seconds)))
    asked = (f"{phases.backoff_retries} backing off from {phases.min_delay}s to {phases.max_delay}s, then "
             f"{phases.max_delay_retries} every {phases.max_delay}s")
    return (f"SNS retries an HTTPS delivery for at most {SNS_HTTPS_RETRY_SECONDS:,} s in all (a hard limit, "
            f"{SNS_RETRIES_DOC}); this retryPolicy asks for about {wait} ({phases.retries} retries: {asked}): "
            f"with these backoffs at most {fitting} retries fit: lower maxRetries or the backoffs")


def _cron(spec: Infra) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        if (job.schedule is not None and cronexpr.schedule_problem(job.schedule) is None
                and cronexpr.restricts_both_days(job.schedule)):
            yield ("cron", job_id, "schedule"), ("AWS (EventBridge) cannot restrict both day-of-month and "
                                                 "day-of-week: use * for one of them")
