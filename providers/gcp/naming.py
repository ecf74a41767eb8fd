"""GCP's names: how deployer names each resource it creates from the spec (the physical name and the
Pulumi logical name), for the program's modules and for `validate` alike, and GCP's rules for them."""

import re
from collections.abc import Iterator

from deployer.primitives.buckets import Bucket
from deployer.providers.gcp.permissions import (
    OBJECTS,
    custom_roles,
    identity_bucket_uses,
    object_verbs,
    role_logical_name,
)
from deployer.speclang.model import Infra
from deployer.speclang.naming import NameRule, ResourceName, owner_suffix, physical_name, schedule_names

# The longest name GCP accepts for each kind of resource (each service's documented limit).
NAME_LIMITS = {
    "bucket": 63,
    "topic": 255,
    "subscription": 255,
    "cache": 40,
    "service-account": 30,
    "secret": 255,
    "scheduler-job": 500,
    "custom-role": 64,
    "backend-bucket": 63,
    "url-map": 63,
    "ssl-certificate": 63,
    "https-proxy": 63,
    "forwarding-rule": 63,
    "global-address": 63,
    "sql-instance": 80,
}

# Derived names join spec names with `_`: no spec name holds one (spec names are kebab-case), and
# Pub/Sub, Cloud Scheduler and Secret Manager names accept it. Service account ids take no such
# character ([a-z0-9-]): there, `validate` refuses what would collide.
JOIN = "_"
DEAD_LETTER = f"{JOIN}dead-letter"  # the dead-letter topic and subscription of a subscription
INVOKER = "deployer-invoker"  # the account that signs pushes and cron calls
INVOKER_LOGICAL_NAME = "deployer.invoker"  # no service can be named so: spec names have no dots

_PUBSUB = NameRule("Pub/Sub names", r"[A-Za-z][A-Za-z0-9_.~+%-]{2,254}",
                   "are 3 to 255 letters, digits and `-_.~+%`, beginning with a letter",
                   "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics#Topic",
                   refused=((r"^goog", "may not start with `goog`"),))
_COMPUTE = NameRule("Compute Engine names", r"[a-z]([a-z0-9-]{0,61}[a-z0-9])?",
                    "are 1 to 63 lowercase letters, digits and hyphens, beginning with a letter and not "
                    "ending with a hyphen", "https://cloud.google.com/compute/docs/naming-resources")
NAME_RULES = {
    "bucket": NameRule(
        "Cloud Storage bucket names", r"[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]",
        "are 3 to 63 lowercase letters, digits, `-`, `_` and `.` (222 with dots), beginning and ending with a "
        "letter or digit", "https://cloud.google.com/storage/docs/buckets#naming",
        refused=(
            (r"[^.]{64}", "are at most 63 characters between dots"),
            (r"^\d+\.\d+\.\d+\.\d+$", "may not be an IP address in dotted-decimal notation"),
            (r"^goog", "may not start with `goog`"),
            (r"g[o0][o0]g[l1]e", "may not contain `google` or a close misspelling such as `g00gle`"),
        )),
    "topic": _PUBSUB,
    "subscription": _PUBSUB,
    "cache": NameRule("Memorystore instance ids", r"[a-z]([a-z0-9-]{0,38}[a-z0-9])?",
                      "are 1 to 40 lowercase letters, digits and hyphens, beginning with a letter and not "
                      "ending with a hyphen",
                      "https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/"
                      "projects.locations.instances/create"),
    "service-account": NameRule("Service account ids", r"[a-z][a-z0-9-]{4,28}[a-z0-9]",
                                "are 6 to 30 lowercase letters, digits and hyphens, beginning with a letter "
                                "and not ending with a hyphen",
                                "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create"),
    "secret": NameRule("Secret Manager secret ids", r"[A-Za-z0-9_-]{1,255}",
                       "are 1 to 255 letters, digits, `-` and `_`",
                       "https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create"),
    "scheduler-job": NameRule("Cloud Scheduler job ids", r"[A-Za-z0-9_-]{1,500}",
                              "are 1 to 500 letters, digits, `-` and `_`",
                              "https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs"),
    "custom-role": NameRule("Custom role ids", r"[A-Za-z0-9_.]{3,64}", "are 3 to 64 letters, digits, `_` and `.`",
                            "https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create"),
    "backend-bucket": _COMPUTE,
    "url-map": _COMPUTE,
    "ssl-certificate": _COMPUTE,
    "https-proxy": _COMPUTE,
    "forwarding-rule": _COMPUTE,
    "global-address": _COMPUTE,
    "sql-instance": NameRule("Cloud SQL instance ids", r"[a-z]([a-z0-9-]{0,78}[a-z0-9])?",
                             "are lowercase letters, digits and hyphens, beginning with a letter and not ending "
                             "with a hyphen (with the project id and a colon, at most 98 characters)",
                             "https://cloud.google.com/sql/docs/postgres/instance-settings#instance-id-2ndgen"),
}
# A Cloud SQL instance's name ends in random hex digits: a deleted instance's name is not reusable for
# up to a week (https://cloud.google.com/sql/docs/postgres/delete-instance).
SQL_INSTANCE_SUFFIX_BYTES = 2
SQL_INSTANCE_SHOWN_SUFFIX = "-" + "x" * 2 * SQL_INSTANCE_SUFFIX_BYTES
# The owner of each database (a built-in user of the instance's PostgreSQL).
DATABASE_OWNER = "owner"


def database_logical(name: str) -> str:
    """The logical name of database NAME's resources: a cache of the same name has secrets too."""
    return f"database.{name}"


def gcp_name(kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
    """`APP-ENV-NAME` plus `suffix` as GCP accepts it for `kind`."""
    physical = physical_name(app, env, name, NAME_LIMITS[kind], suffix)
    if kind == "custom-role":  # custom role ids take [a-zA-Z0-9_.] only
        physical = re.sub(r"[^A-Za-z0-9_.]", "_", physical)
    return physical


def bucket_name(app: str, env: str, name: str, bucket: Bucket, project: str) -> str:
    """The bucket's pinned `name`, else `APP-ENV-NAME-` and a hash of the project id: Cloud Storage names
    are global, and the project makes them unique beyond every other customer's `shop-prod-avatars`
    (a hash: Google advises against project ids in bucket names, which anyone can probe)."""
    return bucket.name or gcp_name("bucket", app, env, name, owner_suffix(project))


def certificate_suffix(domain: str) -> str:
    """`-` and a hash of the certificate's domain: a new domain's certificate gets a new name."""
    return owner_suffix(domain)


def subscription_name(topic: str, sub: str) -> str:
    return f"{topic}{JOIN}{sub}"


def resource_names(spec: Infra, env: str) -> Iterator[ResourceName]:
    """Every resource of ENV with a physical name, and every one whose logical name joins spec names
    (their IAM members take the same logical name and a suffix)."""
    project = spec.gcp.project or ""

    def named(what: str, kind: str, name: str, type_: str, logical: str, at: tuple, suffix: str = "",
              scope: str = project, physical: str = "") -> ResourceName:
        physical = physical or gcp_name(kind, spec.app, env, name, suffix)
        return ResourceName(what, kind, physical, scope, f"{type_}::{logical}", at, NAME_RULES[kind].problem(physical))

    def generated(what: str, type_: str, logical: str, at: tuple) -> ResourceName:
        """A generated value (a password, a suffix): no physical name, a URN of its own."""
        return ResourceName(what, "", "", "", f"{type_}::{logical}", at)

    for name, bucket in spec.buckets.items():
        at = ("buckets", name, "name") if bucket.name else ("buckets", name)
        physical = bucket_name(spec.app, env, name, bucket, project)
        yield named("bucket", "bucket", name, "gcp:storage/bucket:Bucket", name, at, scope="", physical=physical)
        if bucket.public and bucket.gcp.domain:
            at, cdn = ("buckets", name, "gcp", "domain"), f"{name}.cdn"
            # Not a resource's name, but as unique: two environments serving one domain would each make a
            # certificate and a load balancer for it, and the DNS record names one of them.
            yield ResourceName("served domain", "domain", bucket.gcp.domain, "", "", at)
            yield named("backend bucket", "backend-bucket", name, "gcp:compute/backendBucket:BackendBucket", cdn, at)
            yield named("URL map", "url-map", name, "gcp:compute/uRLMap:URLMap", cdn, at)
            yield named("certificate", "ssl-certificate", name,
                        "gcp:compute/managedSslCertificate:ManagedSslCertificate", cdn, at,
                        certificate_suffix(bucket.gcp.domain))
            yield named("HTTPS proxy", "https-proxy", name, "gcp:compute/targetHttpsProxy:TargetHttpsProxy", cdn, at)
            yield named("global address", "global-address", name, "gcp:compute/globalAddress:GlobalAddress", cdn, at)
            yield named("forwarding rule", "forwarding-rule", name,
                        "gcp:compute/globalForwardingRule:GlobalForwardingRule", cdn, at)
    for name in spec.caches:
        yield named("cache", "cache", name, "gcp:redis/instance:Instance", name, ("caches", name))
        yield named("AUTH string secret", "secret", f"{name}-redis-auth", "gcp:secretmanager/secret:Secret",
                    f"{name}.auth", ("caches", name))
    for name in spec.databases:
        at, logical = ("databases", name), database_logical(name)
        yield named("Cloud SQL instance", "sql-instance", name, "gcp:sql/databaseInstance:DatabaseInstance", logical,
                    at, SQL_INSTANCE_SHOWN_SUFFIX)
        yield named("database password secret", "secret", f"{name}-database-password",
                    "gcp:secretmanager/secret:Secret", f"{logical}.password", at)
        yield generated("database password", "random:index/randomPassword:RandomPassword", logical, at)
        yield generated("instance name suffix", "random:index/randomId:RandomId", logical, at)
    for topic_name, topic in spec.topics.items():
        yield named("topic", "topic", topic_name, "gcp:pubsub/topic:Topic", topic_name, ("topics", topic_name))
        for sub_name in topic.subscriptions:
            at = ("topics", topic_name, "subscriptions", sub_name)
            logical, name = f"{topic_name}.{sub_name}", subscription_name(topic_name, sub_name)
            yield named("subscription", "subscription", name, "gcp:pubsub/subscription:Subscription", logical, at)
            yield named("dead-letter topic", "topic", name, "gcp:pubsub/topic:Topic", f"{logical}.dead-letter", at,
                        DEAD_LETTER)
            yield named("dead-letter subscription", "subscription", name, "gcp:pubsub/subscription:Subscription",
                        f"{logical}.dead-letter", at, DEAD_LETTER)
    for job_id, job in spec.cron.items():
        for logical, name in schedule_names(job_id, job, JOIN):
            yield named("Cloud Scheduler job", "scheduler-job", name, "gcp:cloudscheduler/job:Job", logical,
                        ("cron", job_id))
    for name in spec.used_secrets():
        yield named("secret", "secret", name, "gcp:secretmanager/secret:Secret", name, ("secrets", name))
    for at, _ in spec.identities():
        yield named("service account", "service-account", at[1], "gcp:serviceaccount/account:Account", at[1], at)
    roles: dict[frozenset[str], tuple] = {}  # each custom role, at the first grant that makes it
    for at, used in identity_bucket_uses(spec):
        for permissions in custom_roles([used]):
            roles.setdefault(permissions, at)
    for permissions, at in roles.items():  # its id ends in a generated suffix
        logical = role_logical_name(OBJECTS, object_verbs(permissions))
        yield generated("custom role", "gcp:projects/iAMCustomRole:IAMCustomRole", logical, at)
        yield generated("custom role id suffix", "random:index/randomId:RandomId", logical, at)
    if invoked := _invoked(spec):
        yield named("invoker service account (it signs Pub/Sub pushes and Cloud Scheduler calls)", "service-account",
                    INVOKER, "gcp:serviceaccount/account:Account", INVOKER_LOGICAL_NAME, invoked)


def _invoked(spec: Infra) -> tuple | None:
    """The first push subscription or cron job, which makes the environment's invoker account."""
    for topic_name, topic in spec.topics.items():
        for sub_name, sub in topic.subscriptions.items():
            if sub.endpoint:
                return ("topics", topic_name, "subscriptions", sub_name)
    return ("cron", next(iter(spec.cron))) if spec.cron else None
