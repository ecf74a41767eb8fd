"""What GCP cannot honour, as located spec problems (each limit with its source)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import timedelta
from difflib import get_close_matches

from deployer.errors import Finding, quoted
from deployer.primitives.topics import subscription_ranges, subscriptions
from deployer.providers.gcp.network import network_problem
from deployer.speclang.environments import PREVIEW_TYPE, EnvInfo
from deployer.speclang.fields import private_host
from deployer.speclang.model import Infra

MAX_BACKOFF = timedelta(seconds=600)
LABELS = "https://cloud.google.com/resource-manager/docs/labels-overview#requirements"
PUSH_ENDPOINTS = "https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties"
MAX_LABELS = 64
MAX_LABEL_LENGTH = 63
MAX_LABEL_BYTES = 128
OWN_LABELS = ("app", "env", "managed-by", "deployer-name")  # what Context.labels adds to gcp.labels
# "Must be 6 to 30 characters in length; can only contain lowercase letters, numbers, and hyphens; must
# start with a letter; cannot end with a hyphen; cannot contain restricted strings, such as google, null,
# undefined, and ssl." Older projects may be domain-scoped (`example.com:my-project`).
PROJECT_IDS = "https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin"
PROJECT_ID = re.compile(r"([a-z0-9.-]+\.[a-z]+:)?(?P<id>[a-z][a-z0-9-]{4,28}[a-z0-9])")
RESTRICTED_IN_PROJECT_IDS = ("google", "null", "undefined", "ssl")
REGIONS_DOC = "https://cloud.google.com/compute/docs/regions-zones#available"
REGIONS = frozenset({
    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
    "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1",
    "australia-southeast2", "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
    "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
    "europe-west9", "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1",
    "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
    "southamerica-west1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1",
    "us-west2", "us-west3", "us-west4"})
# The API's redisVersion values (REDIS_6_X is every 6.x: there is no REDIS_6_2).
REDIS_VERSIONS = ("REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2")
REDIS_VERSIONS_DOC = "https://cloud.google.com/memorystore/docs/redis/supported-versions"
# allkeys-lfu and volatile-lfu: "Available in Redis version 4.0, or later".
LFU_POLICIES_DOC = "https://cloud.google.com/memorystore/docs/redis/supported-redis-configurations#maxmemory_policies"
BEFORE_LFU = ("REDIS_3_2",)
# "Pub/Sub dynamically adjusts the rate of push requests based on the rate at which it receives success
# responses": a push subscription has no setting for messages in flight.
PUSH_RATE = "https://cloud.google.com/pubsub/docs/push"
# The bucket's website configuration (mainPageSuffix) applies "when the bucket is accessed through a
# custom domain"; "requests to a bucket through other endpoints are unaffected".
INDEX_PAGES = "https://cloud.google.com/storage/docs/static-website#index_pages"


# Cloud SQL for PostgreSQL: its major versions, machine tiers, SSD sizes and retained backups.
SQL_POSTGRES_VERSIONS = ("10", "11", "12", "13", "14", "15", "16", "17")
SQL_VERSIONS_DOC = "https://cloud.google.com/sql/docs/db-versions"
SQL_TIER = re.compile(r"db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+|perf-optimized-N-[0-9]+|n1-(standard|highmem)-[0-9]+)")
SQL_TIERS_DOC = "https://cloud.google.com/sql/docs/postgres/instance-settings"
SQL_DISK_GB = (10, 65_536)
SQL_RETAINED_BACKUPS = (1, 365)
SQL_BACKUPS_DOC = "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups"


def gcp_rules(spec: Infra, env: EnvInfo) -> Iterable[Finding]:
    yield from _settings(spec)
    yield from _labels(spec.gcp.labels)
    yield from _caches(spec)
    yield from _databases(spec)
    if env.deployable:
        yield from _public_https_calls(spec)
    yield from _buckets(spec, env)
    yield from subscription_ranges(spec, "GCP Pub/Sub", ack_deadline=(timedelta(seconds=10), timedelta(seconds=600)),
                                   retention=(timedelta(minutes=10), timedelta(days=31)), retries=(5, 100))
    for at, sub in subscriptions(spec):
        if sub.endpoint and spec.topics[at[1]].delivery_guarantee == "exactly-once":
            yield (*at, "endpoint"), ("GCP Pub/Sub offers exactly-once delivery to pull subscriptions "
                                      "only: drop the endpoint or make the topic at-least-once")
        if sub.retry_policy.max_backoff > MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "GCP Pub/Sub allows a backoff of at most 10m"
        if sub.endpoint and sub.max_concurrency is not None:
            yield (*at, "maxConcurrency"), (
                f"GCP Pub/Sub sets the rate of a push subscription's deliveries itself, from the rate of successful "
                f"responses ({PUSH_RATE}): nothing would apply maxConcurrency; drop it, or make the subscription "
                "a pull one (no endpoint), whose outputs carry it to the client")


def _settings(spec: Infra) -> Iterable[Finding]:
    project, region = spec.gcp.project, spec.gcp.region
    if project and not _project_id(project):
        yield ("gcp", "project"), (
            f"{quoted(project)} is not a GCP project id: 6 to 30 lowercase letters, digits and hyphens, beginning "
            f"with a letter and not ending with a hyphen, without {', '.join(RESTRICTED_IN_PROJECT_IDS)} "
            f"({PROJECT_IDS})")
    if region and region not in REGIONS:
        close = get_close_matches(region, REGIONS, n=1)
        hint = f"; did you mean {quoted(close[0])}?" if close else ""
        yield ("gcp", "region"), f"{quoted(region)} is not a GCP region ({REGIONS_DOC}){hint}"
    if (spec.caches or spec.databases) and spec.gcp.network and (problem := network_problem(spec.gcp.network)):
        yield ("gcp", "network"), problem


def _project_id(project: str) -> bool:
    matched = PROJECT_ID.fullmatch(project)
    return bool(matched) and not any(word in matched["id"] for word in RESTRICTED_IN_PROJECT_IDS)


def _caches(spec: Infra) -> Iterable[Finding]:
    for name, cache in spec.caches.items():
        version = cache.gcp.redis_version
        if version not in REDIS_VERSIONS:
            yield ("caches", name, "gcp", "redisVersion"), (
                f"Memorystore has no Redis version {quoted(version)}: use one of {', '.join(REDIS_VERSIONS)} "
                f"({REDIS_VERSIONS_DOC})")
        elif version in BEFORE_LFU and cache.eviction_policy.endswith("-lfu"):
            yield ("caches", name, "evictionPolicy"), (
                f"Memorystore offers {cache.eviction_policy} from Redis 4.0 on, not on {version} "
                f"({LFU_POLICIES_DOC}): raise gcp.redisVersion or choose an LRU policy")


def _buckets(spec: Infra, env: EnvInfo) -> Iterable[Finding]:
    for name, bucket in spec.buckets.items():
        domain = bucket.gcp.domain
        if domain and not bucket.public:
            yield ("buckets", name, "gcp", "domain"), ("serves a public bucket only: set public: true, or drop "
                                                       "the domain")
        if domain and env.type == PREVIEW_TYPE and not env.declared:
            yield ("buckets", name, "gcp", "domain"), (
                f"every preview environment would serve this bucket at {domain}, each with its own certificate "
                "and load balancer: leave the domain out of previews (gcp: {domain: null} under "
                "envTypes.preview.overrides), or declare the preview with its own domain")
        if bucket.public and bucket.index_document is not None and not domain:
            yield ("buckets", name, "indexDocument"), (
                f"Cloud Storage serves an index page only through a custom domain, never at "
                f"https://storage.googleapis.com/BUCKET ({INDEX_PAGES}): give gcp.domain (served through a "
                "load balancer), or drop indexDocument")


def _labels(labels: Mapping[str, str]) -> Iterable[Finding]:
    """GCP's label requirements: keys of 1 to 63 lowercase letters, digits, `_` and `-` beginning with a
    lowercase letter; values of 0 to 63 of the same; at most 64 labels, deployer's own counted."""
    for key, value in labels.items():
        at = ("gcp", "labels", key)
        if not (key[:1] and _is_lowercase_letter(key[0]) and _label_text(key)):
            yield at, (f"GCP label keys are 1 to {MAX_LABEL_LENGTH} lowercase letters, digits, `_` and `-`, "
                       f"beginning with a lowercase letter: {quoted(key)} is not one ({LABELS})")
        if not _label_text(value):
            yield at, (f"GCP label values are 0 to {MAX_LABEL_LENGTH} lowercase letters, digits, `_` and `-`: "
                       f"{quoted(value)} is not one ({LABELS})")
    total = len(set(labels) | set(OWN_LABELS))
    if total > MAX_LABELS:
        yield ("gcp", "labels"), (f"GCP allows at most {MAX_LABELS} labels on a resource, and deployer adds "
                                  f"{', '.join(OWN_LABELS)}: {total} in all ({LABELS})")


def _is_lowercase_letter(char: str) -> bool:
    """A lowercase letter, or a letter without case (international characters are allowed)."""
    return unicodedata.category(char) in ("Ll", "Lo")


def _label_text(text: str) -> bool:
    return (len(text) <= MAX_LABEL_LENGTH and len(text.encode()) <= MAX_LABEL_BYTES
            and all(_is_lowercase_letter(c) or c.isdigit() or c in "_-" for c in text))


def _databases(spec: Infra) -> Iterable[Finding]:
    for name, database in spec.databases.items():
        at, settings = ("databases", name), database.gcp
        if database.version not in SQL_POSTGRES_VERSIONS:
            yield (*at, "version"), (f"Cloud SQL for PostgreSQL offers major versions {', '.join(SQL_POSTGRES_VERSIONS)} "
                                     f"({SQL_VERSIONS_DOC})")
        if settings.tier is not None and not SQL_TIER.fullmatch(settings.tier):
            yield (*at, "gcp", "tier"), (f"{quoted(settings.tier)} is not a Cloud SQL tier such as db-custom-1-3840 "
                                         f"or db-f1-micro ({SQL_TIERS_DOC})")
        if settings.disk_size_gb is not None and not SQL_DISK_GB[0] <= settings.disk_size_gb <= SQL_DISK_GB[1]:
            yield (*at, "gcp", "diskSizeGb"), (f"Cloud SQL takes {SQL_DISK_GB[0]} to {SQL_DISK_GB[1]} GB of SSD "
                                               f"({SQL_TIERS_DOC})")
        days = settings.backup_retention_days
        if days and not SQL_RETAINED_BACKUPS[0] <= days <= SQL_RETAINED_BACKUPS[1]:
            yield (*at, "gcp", "backupRetentionDays"), (f"Cloud SQL keeps {SQL_RETAINED_BACKUPS[0]} to "
                                                        f"{SQL_RETAINED_BACKUPS[1]} daily backups, or 0 for none "
                                                        f"({SQL_BACKUPS_DOC})")


def _public_https_calls(spec: Infra) -> Iterable[Finding]:
    """Pub/Sub pushes to a public HTTPS address with a CA-signed certificate only; Cloud Scheduler would
    send its OIDC token over http:// in clear (a local environment's calls come from deployer)."""
    callers: dict[str, list[str]] = {}
    for at, sub in subscriptions(spec):
        if sub.endpoint and sub.service in spec.services:
            callers.setdefault(sub.service, []).append(f"subscription {at[1]}.{at[3]}")
    for job_id, job in spec.cron.items():
        if isinstance(job.endpoint, str):
            if host := private_host(job.endpoint):
                yield ("cron", job_id, "endpoint"), _private(host, f"cron job {job_id}")
        elif job.endpoint.service in spec.services:
            callers.setdefault(job.endpoint.service, []).append(f"cron job {job_id}")
    for service, what in callers.items():
        url = spec.services[service].url
        if not url:
            continue
        if not url.startswith("https://"):
            pushed = [w for w in what if w.startswith("subscription")]
            yield ("services", service, "url"), (
                f"GCP Pub/Sub pushes to HTTPS endpoints only ({pushed[0]}, {PUSH_ENDPOINTS}): give an https:// url"
                if pushed else f"Cloud Scheduler would send {what[0]}'s OIDC token over http://, in clear: give an "
                "https:// url (http:// is for local environments)")
        elif host := private_host(url):
            yield ("services", service, "url"), _private(host, ", ".join(what))


def _private(host: str, callers: str) -> str:
    return (f"{host} is a private or loopback address, which GCP cannot reach from the internet: the calls of "
            f"{callers} would never arrive (pushes would end in the dead letters); Pub/Sub and Cloud Scheduler call "
            f"publicly addressable HTTPS servers with a certificate signed by a certificate authority "
            f"({PUSH_ENDPOINTS}): give a public https:// url")
