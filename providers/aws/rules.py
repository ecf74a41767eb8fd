"""What AWS cannot honour, as located spec problems (each limit with its source)."""

import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta

from deployer.errors import Finding, quoted
from deployer.primitives.topics import subscription_ranges, subscriptions
from deployer.providers.aws.delivery import (
    SNS_HTTPS_MAX_RETRIES,
    SNS_HTTPS_RETRY_SECONDS,
    RetryPhases,
    most_retries,
    retry_phases,
    sns_retries,
)
from deployer.providers.aws.endpoints import endpoint_rules
from deployer.providers.aws.naming import MAX_TAG_VALUE, SERVICE_PRINCIPALS, cron_called, fifo_suffix
from deployer.providers.aws.permissions import (
    INLINE_LIMIT,
    MANAGED_LIMIT,
    MANAGED_PER_ROLE,
    longest_arn,
    service_grants,
    split,
    surely_fitting,
)
from deployer.providers.aws.versions import NODE_TYPES_DOC, SUPPORTED, node_type_problem, parameter_family
from deployer.speclang import cronexpr
from deployer.speclang.durations import format_duration
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra

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
DEAD_LETTER_RETENTION_DOC = ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
                             "setting-up-dead-letter-queue-retention.html")
ROOT_OBJECT_DOC = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html"
GOVCLOUD_CLOUDFRONT_DOC = "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/setting-up-credentials.html"
SQS_MAX_RETENTION = timedelta(days=14)  # dead letters are kept that long
PRINCIPALS_DOC = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
                  "#principal-services")
CHINA_CLOUDFRONT_DOC = ("https://aws.amazon.com/blogs/networking-and-content-delivery/"
                        "programmatically-deploying-cloudfront-distributions-in-aws-china-regions/")
SNS_RETRIES_DOC = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html"
# Objects must stay 30 days in S3 before moving to STANDARD_IA
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
INFREQUENT_ACCESS_MIN_DAYS = 30
TAGS_DOC = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions"
IAM_TAGS_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity"
MAX_TAGS, MAX_TAG_KEY = 50, 128
DEPLOYER_TAGS = ("app", "env", "managed-by", "deployer-name")  # context.Context.labels


def aws_rules(spec: Infra, env: EnvInfo) -> Iterable[Finding]:
    yield from _caches(spec)
    yield from _databases(spec)
    yield from _network(spec)
    yield from _tags(spec)
    yield from _lifecycle(spec)
    yield from _public_buckets(spec)
    if env.deployable:  # a local environment has no IAM roles, and its endpoints are local, over http
        yield from _role_policies(spec, env.name)
        yield from endpoint_rules(spec)
    yield from subscription_ranges(spec, "AWS (SQS)", ack_deadline=(timedelta(0), timedelta(hours=12)),
                                   retention=(timedelta(minutes=1), SQS_MAX_RETENTION), retries=(1, 1000))
    yield from _push_subscriptions(spec)
    yield from _dead_letter_retention(spec)
    yield from _cron(spec)
    yield from _trust(spec)


def _caches(spec: Infra) -> Iterable[Finding]:
    for cache_name, cache in spec.caches.items():
        if "--" in (name := f"{spec.app}-ENV-{cache_name}"):
            yield ("caches", cache_name), ("ElastiCache refuses names with two hyphens in a row, as in "
                                           f"{quoted(name)}: rename the cache or the app")
        if parameter_family(version := cache.aws.engine_version) is None:
            yield ("caches", cache_name, "aws", "engineVersion"), (
                f"ElastiCache Redis {quoted(version)} is not supported: use {SUPPORTED} (its parameter group "
                "family; https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html)")
        elif cache.aws.node_type and (problem := node_type_problem(cache.aws.node_type, version, spec.aws.region)):
            yield ("caches", cache_name, "aws", "nodeType"), f"{problem} ({NODE_TYPES_DOC})"


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
    spelled: dict[str, str] = {key.lower(): key for key in DEPLOYER_TAGS}
    for key, value in tags.items():
        if key.lower().startswith("aws:"):
            yield ("aws", "tags", key), "tag keys starting `aws:` are reserved for AWS"
        if len(key) > MAX_TAG_KEY:
            yield ("aws", "tags", key), f"AWS tag keys are at most {MAX_TAG_KEY} characters"
        if len(value) > MAX_TAG_VALUE:
            yield ("aws", "tags", key), f"AWS tag values are at most {MAX_TAG_VALUE} characters"
        for what, text in (("key", key), ("value", value)):
            if refused := sorted({c for c in text if not _tag_character(c)}):
                yield ("aws", "tags", key), (
                    f"AWS tag {what}s hold letters, digits, spaces and `_ . : / = + - @`, not "
                    f"{', '.join(quoted(c) for c in refused)} ({TAGS_DOC})")
        if (other := spelled.setdefault(key.lower(), key)) != key:
            yield ("aws", "tags", key), (
                f"IAM compares tag keys without case, so {quoted(key)} and {quoted(other)} on one role fail with "
                f"\"Duplicate tag keys found\": keep one spelling ({IAM_TAGS_DOC})")


def _tag_character(character: str) -> bool:
    """A character AWS tags take: `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`."""
    return unicodedata.category(character)[0] in "LZN" or character in "_.:/=+-@"


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


def _public_buckets(spec: Infra) -> Iterable[Finding]:
    """Public buckets are served by CloudFront, with the index document as its default root object."""
    region = spec.aws.region or ""
    for name, bucket in spec.buckets.items():
        if not bucket.public:
            continue
        if region.startswith(("us-gov-", "us-iso")):
            yield ("buckets", name, "public"), (
                f"a public bucket is served through CloudFront, which is outside the partition of {region} (AWS "
                f"GovCloud (US) and ISO regions; {GOVCLOUD_CLOUDFRONT_DOC}): keep the bucket private")
        elif region.startswith("cn-"):
            yield ("buckets", name, "public"), (
                f"a public bucket is served through CloudFront, which in the China regions ({region}) serves only "
                "on an alternate domain name with an ICP recordal, never on its own *.cloudfront.cn domain; "
                f"deployer gives it none, so keep the bucket private ({CHINA_CLOUDFRONT_DOC})")
        if (bucket.index_document or "").startswith("/"):
            yield ("buckets", name, "indexDocument"), (
                "CloudFront's default root object is an object's key, which may not begin with `/`: write "
                f"{quoted(bucket.index_document.lstrip('/'))} ({ROOT_OBJECT_DOC})")


def _role_policies(spec: Infra, env: str) -> Iterable[Finding]:
    """Whether each role's grants fit its policies, measured with the longest ARNs (permissions.py)."""
    longest = longest_arn(spec, env)
    own: dict[str, list[tuple[str, str]]] = {}
    for at, sub in subscriptions(spec):
        own.setdefault(sub.service, []).append((at[1], at[3]))
    called = cron_called(spec)
    fitting = surely_fitting(spec)
    for unit, services in spec.deployment_units().items():
        if any(name not in spec.services for name in services) or any(
                name not in getattr(spec, section) for service in services
                for section, used in spec.services[service].uses for name in used):
            continue  # an unknown service or resource, which the spec's rules report
        uses = [spec.services[service].uses for service in services]
        subscribed = [sub for service in services for sub in own.get(service, [])]
        # a bucket is two targets (its objects, itself); a service called by cron reads its caller key
        if sum(2 * len(used) for declared in uses for _, used in declared) + len(subscribed) + len(services) <= fitting:
            continue
        grants = service_grants(spec, services, subscribed, [service for service in called if service in services])
        if not (policies := split(grants, longest)).fits:
            resources = sum(len(g.targets) for g in grants)
            at, what = (("deployments", unit), "deployment") if unit in spec.deployments else \
                (("services", unit, "uses"), "service")
            yield at, (
                f"the role's permissions ({resources} resources) take up to {policies.characters:,} characters of "
                f"IAM policy (measured with the longest ARNs these resources can have), in {len(policies.managed)} "
                f"managed policies of at most {MANAGED_LIMIT:,}: a role takes {INLINE_LIMIT:,} characters of inline "
                f"policies or {MANAGED_PER_ROLE} managed policies (https://docs.aws.amazon.com/IAM/latest/"
                f"UserGuide/reference_iam-quotas.html); split the {what}")


def _dead_letter_retention(spec: Infra) -> Iterable[Finding]:
    """A standard queue's message keeps its first enqueue time in the dead-letter queue, which keeps
    messages SQS_MAX_RETENTION: longer than the subscription's own queue must."""
    for at, sub in subscriptions(spec):
        topic = spec.topics[at[1]]
        if not sub.endpoint and not fifo_suffix(topic) and sub.message_retention >= SQS_MAX_RETENTION:
            yield (*at, "messageRetention"), (
                "a dead letter keeps the time it was first sent, and its queue keeps messages 14 days (SQS's "
                "longest): a subscription that keeps them as long loses its dead letters at once; keep them less "
                f"than 14d, e.g. 13d ({DEAD_LETTER_RETENTION_DOC})")


def _push_subscriptions(spec: Infra) -> Iterable[Finding]:
    for at, sub in subscriptions(spec):
        if not sub.endpoint:
            continue
        topic = spec.topics[at[1]]
        if topic.delivery_guarantee == "exactly-once" or topic.ordering_attribute:
            yield (*at, "endpoint"), ("AWS delivers exactly-once and ordered topics through SNS FIFO, "
                                      "which pushes only to SQS queues: make this a pull subscription "
                                      "(no endpoint) or the topic at-least-once and unordered")
        if sns_retries(sub) > SNS_HTTPS_MAX_RETRIES:
            yield (*at, "retryPolicy", "maxRetries"), (
                f"AWS (SNS HTTPS) retries at most {SNS_HTTPS_MAX_RETRIES} times after the first delivery: "
                f"maxRetries (failed deliveries) is at most {SNS_HTTPS_MAX_RETRIES + 1} ({SNS_RETRIES_DOC})")
        elif sub.retry_policy.max_backoff > SNS_HTTPS_MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "AWS (SNS HTTPS) allows a backoff of at most 1h"
        elif (phases := retry_phases(sub)).seconds > SNS_HTTPS_RETRY_SECONDS:
            yield (*at, "retryPolicy"), _too_long(phases, most_retries(sub))


def _too_long(phases: RetryPhases, fitting: int) -> str:
    wait = format_duration(timedelta(seconds=round(phases.seconds)))
    asked = (f"{phases.backoff_retries} backing off from {phases.min_delay}s to {phases.max_delay}s, then "
             f"{phases.max_delay_retries} every {phases.max_delay}s")
    return (f"SNS retries an HTTPS delivery for at most {SNS_HTTPS_RETRY_SECONDS:,} s in all (a hard limit, "
            f"{SNS_RETRIES_DOC}); this retryPolicy asks for about {wait} ({phases.retries} retries after the "
            f"first delivery: {asked}): with these backoffs maxRetries is at most {fitting + 1}: lower maxRetries "
            "or the backoffs")


def _cron(spec: Infra) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        if (job.schedule is not None and cronexpr.schedule_problem(job.schedule) is None
                and cronexpr.restricts_both_days(job.schedule)):
            yield ("cron", job_id, "schedule"), ("AWS (EventBridge) cannot restrict both day-of-month and "
                                                 "day-of-week: use * for one of them")


def _trust(spec: Infra) -> Iterable[Finding]:
    china = (spec.aws.region or "").startswith("cn-")
    for name, service in spec.services.items():
        for index, principal in enumerate(service.aws.trust):
            if principal in SERVICE_PRINCIPALS or (china and principal.removesuffix(".cn") in SERVICE_PRINCIPALS):
                continue
            known = ", ".join(f"{p} ({what})" for p, what in SERVICE_PRINCIPALS.items())
            yield ("services", name, "aws", "trust", index), (
                f"{quoted(principal)} is not a service principal deployer supports (IAM refuses one it does not "
                f"know: \"Invalid principal in policy\"): use {known}"
                f"{' (or their .amazonaws.com.cn names in China)' if china else ''} ({PRINCIPALS_DOC})")
