"""What GCP cannot honour, as located spec problems (each limit with its source)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import timedelta

from deployer.errors import Finding, quoted
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.primitives.topics import subscription_ranges, subscriptions

MAX_BACKOFF = timedelta(seconds=600)
LABELS = "https://cloud.google.com/resource-manager/docs/labels-overview#requirements"
PUSH_ENDPOINTS = "https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties"
MAX_LABELS = 64
MAX_LABEL_LENGTH = 63
MAX_LABEL_BYTES = 128
OWN_LABELS = ("app", "env", "managed-by", "deployer-name")  # what Context.labels adds to gcp.labels


# Cloud SQL for PostgreSQL: its major versions, machine tiers, SSD sizes and retained backups.
SQL_POSTGRES_VERSIONS = ("10", "11", "12", "13", "14", "15", "16", "17")
SQL_VERSIONS_DOC = "https://cloud.google.com/sql/docs/db-versions"
SQL_TIER = re.compile(r"db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+|perf-optimized-N-[0-9]+|n1-(standard|highmem)-[0-9]+)")
SQL_TIERS_DOC = "https://cloud.google.com/sql/docs/postgres/instance-settings"
SQL_DISK_GB = (10, 65_536)
SQL_RETAINED_BACKUPS = (1, 365)
SQL_BACKUPS_DOC = "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups"


def gcp_rules(spec: Infra, env: EnvInfo) -> Iterable[Finding]:
    yield from _labels(spec.gcp.labels)
    yield from _databases(spec)
    if env.deployable:
        yield from _https_pushes(spec)
    for name, bucket in spec.buckets.items():
        if bucket.gcp.domain and not bucket.public:
            yield ("buckets", name, "gcp", "domain"), "serves a public bucket only: set public: true, or drop the domain"
    yield from subscription_ranges(spec, "GCP Pub/Sub", ack_deadline=(timedelta(seconds=10), timedelta(seconds=600)),
                                   retention=(timedelta(minutes=10), timedelta(days=31)), retries=(5, 100))
    for at, sub in subscriptions(spec):
        if sub.endpoint and spec.topics[at[1]].delivery_guarantee == "exactly-once":
            yield (*at, "endpoint"), ("GCP Pub/Sub offers exactly-once delivery to pull subscriptions "
                                      "only: drop the endpoint or make the topic at-least-once")
        if sub.retry_policy.max_backoff > MAX_BACKOFF:
            yield (*at, "retryPolicy", "maxBackoff"), "GCP Pub/Sub allows a backoff of at most 10m"


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


def _https_pushes(spec: Infra) -> Iterable[Finding]:
    """Pub/Sub pushes to a public HTTPS address only (a local environment's pushes come from deployer)."""
    pushed = {sub.service: at for at, sub in subscriptions(spec) if sub.endpoint and sub.service in spec.services}
    for service, at in pushed.items():
        url = spec.services[service].url
        if url and not url.startswith("https://"):
            yield ("services", service, "url"), (f"GCP Pub/Sub pushes to HTTPS endpoints only (subscription "
                                                 f"{at[1]}.{at[3]}, {PUSH_ENDPOINTS}): give an https:// url")
