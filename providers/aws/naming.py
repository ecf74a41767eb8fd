"""AWS's names: how deployer names each resource it creates from the spec (the physical name and the
Pulumi logical name), for the program's modules and for `validate` alike, and AWS's rules for them;
and what a service's use of each resource means in IAM (its actions and the longest ARN it can have),
which the program grants and `validate` measures (permissions.py)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deployer.primitives.buckets import Bucket
from deployer.primitives.topics import Topic
from deployer.providers.aws.versions import family_suffix, parameter_family
from deployer.speclang.model import Infra
from deployer.speclang.naming import NameRule, ResourceName, owner_suffix, physical_name, schedule_names

# The longest name AWS accepts for each kind of resource (each service's documented limit).
NAME_LIMITS = {
    "bucket": 63,
    "queue": 80,
    "topic": 256,
    "cache": 40,
    "cache-parameter-group": 255,
    "cache-subnet-group": 255,
    "security-group": 255,
    "role": 64,
    "policy": 128,
    "secret": 512,
    "schedule-rule": 64,
    "api-destination": 64,
    "connection": 64,
    "origin-access-control": 64,
    "cache-policy": 128,
    "db-instance": 63,
    "db-subnet-group": 255,
    "db-parameter-group": 255,
}

# A tag value's limit (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions):
# deployer's own `deployer-name` tag, the resource's full name, is shortened with a hash past it.
MAX_TAG_VALUE = 256

# The service principals a service's role may trust (`aws.trust`): the AWS services that run a service's
# code; IAM refuses an unknown one ("Invalid principal in policy",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services).
SERVICE_PRINCIPALS = {
    "ecs-tasks.amazonaws.com": "ECS tasks",
    "lambda.amazonaws.com": "Lambda",
    "edgelambda.amazonaws.com": "Lambda@Edge",
    "ec2.amazonaws.com": "EC2 instances",
    "pods.eks.amazonaws.com": "EKS Pod Identity",
    "tasks.apprunner.amazonaws.com": "App Runner",
    "batch.amazonaws.com": "AWS Batch",
    "codebuild.amazonaws.com": "CodeBuild",
    "states.amazonaws.com": "Step Functions",
    "glue.amazonaws.com": "Glue",
    "sagemaker.amazonaws.com": "SageMaker",
}
# EKS Pod Identity tags the role's session too (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
TAGGING_SESSIONS = ("pods.eks.amazonaws.com",)

# Derived names join spec names with `_`: no spec name holds one (spec names are kebab-case), and SQS,
# SNS, IAM, EventBridge and Secrets Manager names accept it. Topic `user-events` with subscription
# `audit` is `user-events_audit`, never `user_events-audit` (topic `user`, subscription `events-audit`).
JOIN = "_"
# `validate` knows no account: a bucket's suffix has the same length and characters for every account,
# and messages show it as ACCOUNTHASH.
ACCOUNT_STAND_IN = "000000000000"

_ELASTICACHE_ID = r"[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,%d}(?<!-)"
_EVENTBRIDGE_NAME = NameRule("EventBridge names", r"[.\-_A-Za-z0-9]{1,64}",
                             "are 1 to 64 letters, digits, `.`, `-` and `_`",
                             "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html")
_IAM_NAME = r"[\w+=,.@-]{1,%d}"
NAME_RULES = {
    "bucket": NameRule(
        "S3 bucket names", r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
        "are 3 to 63 lowercase letters, digits, `.` and `-`, beginning and ending with a letter or digit",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        refused=(
            (r"\.\.", "may not contain two adjacent periods"),
            (r"^\d+\.\d+\.\d+\.\d+$", "may not be formatted as an IP address"),
            *((f"^{prefix}", f"may not start with `{prefix}`") for prefix in ("xn--", "sthree-", "amzn-s3-demo-")),
            *((f"{suffix.replace('.', '[.]')}$", f"may not end with `{suffix}`")
              for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3", "-an")),
        )),
    "queue": NameRule("SQS queue names", r"[A-Za-z0-9_-]{1,75}(\.fifo)?|[A-Za-z0-9_-]{76,80}",
                      "are up to 80 letters, digits, `-` and `_` (a FIFO queue's ending in `.fifo`)",
                      "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html"),
    "topic": NameRule("SNS topic names", r"[A-Za-z0-9_-]{1,251}(\.fifo)?|[A-Za-z0-9_-]{252,256}",
                      "are up to 256 letters, digits, `-` and `_` (a FIFO topic's ending in `.fifo`)",
                      "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    "cache": NameRule("ElastiCache replication group ids", _ELASTICACHE_ID % 39,
                      "are 1 to 40 letters, digits and hyphens, beginning with a letter, with no two "
                      "consecutive hyphens and none at the end",
                      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/"
                      "API_CreateReplicationGroup.html"),
    "cache-parameter-group": NameRule(
        "ElastiCache parameter group names", _ELASTICACHE_ID % 254,
        "are 1 to 255 letters, digits and hyphens, beginning with a letter, with no two consecutive hyphens "
        "and none at the end",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheParameterGroup.html"),
    "cache-subnet-group": NameRule(
        "ElastiCache subnet group names", r"[A-Za-z0-9-]{1,255}", "are up to 255 letters, digits and hyphens",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html"),
    "security-group": NameRule(
        "EC2 security group names", r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}",
        "are up to 255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`",
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
        refused=((r"^sg-", "may not start with `sg-`"),)),
    "role": NameRule("IAM role names", _IAM_NAME % 64, "are 1 to 64 letters, digits and `+=,.@_-`",
                     "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"),
    "policy": NameRule("IAM policy names", _IAM_NAME % 128, "are 1 to 128 letters, digits and `+=,.@_-`",
                       "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html"),
    "secret": NameRule("Secrets Manager secret names", r"[A-Za-z0-9/_+=.@-]{1,512}",
                       "are 1 to 512 letters, digits and `/_+=.@-`",
                       "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
    "schedule-rule": _EVENTBRIDGE_NAME,
    "api-destination": _EVENTBRIDGE_NAME,
    "connection": _EVENTBRIDGE_NAME,
    "db-instance": NameRule(
        "RDS DB instance identifiers", _ELASTICACHE_ID % 62,
        "are 1 to 63 letters, digits and hyphens, beginning with a letter, with no two consecutive hyphens and "
        "none at the end", "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"),
    "db-subnet-group": NameRule(
        "RDS DB subnet group names", r"[A-Za-z0-9._ -]{1,255}",
        "are up to 255 letters, digits, periods, underscores, spaces and hyphens",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
        refused=((r"^default$", "may not be `default`"),)),
    "db-parameter-group": NameRule(
        "RDS DB parameter group names", _ELASTICACHE_ID % 254,
        "are 1 to 255 letters, digits and hyphens, beginning with a letter, with no two consecutive hyphens "
        "and none at the end", "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html"),
    "cache-policy": NameRule(
        "CloudFront cache policy names", r"[A-Za-z0-9_-]{1,128}", "are 1 to 128 letters, digits, `-` and `_`",
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html"),
    "origin-access-control": NameRule(
        "CloudFront origin access control names", r".{1,64}", "are 1 to 64 characters",
        "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html"),
}


# The owner of each database (RDS's master user): 1 to 16 letters, digits or underscores, beginning with
# a letter, no reserved word (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html).
DATABASE_OWNER = "owner"


def database_logical(name: str) -> str:
    """The logical name of database NAME's resources: a cache of the same name has security groups,
    passwords and secrets too."""
    return f"database.{name}"


def parameter_group_suffix(version: str) -> str:
    return f"-postgres{version}"


def fifo_suffix(topic: Topic) -> str:
    """exactly-once and ordered delivery are SNS/SQS FIFO (ordering attribute = message group), whose
    topics and queues end in `.fifo`."""
    return ".fifo" if topic.delivery_guarantee == "exactly-once" or topic.ordering_attribute is not None else ""


def bucket_name(app: str, env: str, name: str, bucket: Bucket, account: str) -> str:
    """The bucket's pinned `name`, else `APP-ENV-NAME-` and a hash of the account: S3 names are global,
    and the account makes them unique beyond every other customer's `shop-prod-avatars`."""
    return bucket.name or physical_name(app, env, name, NAME_LIMITS["bucket"], owner_suffix(account))


def subscription_queue(topic: str, sub: str) -> str:
    return f"{topic}{JOIN}{sub}"


def dead_letter_queue(topic: str, sub: str) -> str:
    return f"{topic}{JOIN}{sub}{JOIN}dlq"


def cron_role(job_id: str) -> str:
    return f"{job_id}{JOIN}cron"


def cron_dead_letter_queue(job_id: str) -> str:
    return f"{cron_role(job_id)}{JOIN}dlq"


def caller_key(service: str) -> str:
    """The secret of the key a service's cron calls carry."""
    return f"{service}{JOIN}caller-key"


def cron_called(spec: Infra) -> list[str]:
    """The services some cron job calls (each has a caller key), in the spec's order."""
    return list(dict.fromkeys(job.endpoint.service for job in spec.cron.values() if not isinstance(job.endpoint, str)))


def resource_names(spec: Infra, env: str) -> Iterator[ResourceName]:
    """Every resource of ENV with a physical name, and every one whose logical name joins spec names
    (their sibling resources, policies and targets, take the same logical name)."""
    region = spec.aws.region or ""

    def named(what: str, kind: str, name: str, type_: str, logical: str, at: tuple, suffix: str = "",
              scope: str = region, physical: str = "") -> ResourceName:
        physical = physical or physical_name(spec.app, env, name, NAME_LIMITS[kind], suffix)
        return ResourceName(what, kind, physical, scope, f"{type_}::{logical}", at,
                            NAME_RULES[kind].problem(physical))

    def generated(what: str, logical: str, at: tuple) -> ResourceName:
        """A generated value (a random password): no physical name, a URN of its own."""
        return ResourceName(what, "", "", "", f"random:index/randomPassword:RandomPassword::{logical}", at, None)

    for name, bucket in spec.buckets.items():
        at = ("buckets", name, "name") if bucket.name else ("buckets", name)
        physical = bucket_name(spec.app, env, name, bucket, ACCOUNT_STAND_IN)
        shown = physical.replace(owner_suffix(ACCOUNT_STAND_IN), "-ACCOUNTHASH") if not bucket.name else physical
        yield ResourceName("bucket", "bucket", shown, "", f"aws:s3/bucket:Bucket::{name}", at,
                           NAME_RULES["bucket"].problem(physical))
        if bucket.public:
            yield named("origin access control", "origin-access-control", name,
                        "aws:cloudfront/originAccessControl:OriginAccessControl", name, ("buckets", name), scope="")
        if bucket.public and bucket.cors:
            yield named("CloudFront cache policy", "cache-policy", name, "aws:cloudfront/cachePolicy:CachePolicy",
                        name, ("buckets", name), scope="")
    for name, cache in spec.caches.items():
        at = ("caches", name)
        family = parameter_family(cache.aws.engine_version)
        yield named("cache", "cache", name, "aws:elasticache/replicationGroup:ReplicationGroup", name, at)
        yield named("cache parameter group", "cache-parameter-group", name,
                    "aws:elasticache/parameterGroup:ParameterGroup", name, at, family_suffix(family) if family else "")
        yield named("cache subnet group", "cache-subnet-group", name, "aws:elasticache/subnetGroup:SubnetGroup",
                    name, at)
        yield named("cache security group", "security-group", f"{name}-cache", "aws:ec2/securityGroup:SecurityGroup",
                    name, at)
        yield named("AUTH token secret", "secret", f"{name}-auth-token", "aws:secretsmanager/secret:Secret",
                    f"{name}.auth-token", at)
        yield generated("AUTH token", name, at)
    for name, database in spec.databases.items():
        at, logical = ("databases", name), database_logical(name)
        yield named("database", "db-instance", name, "aws:rds/instance:Instance", logical, at)
        yield named("database subnet group", "db-subnet-group", name, "aws:rds/subnetGroup:SubnetGroup", logical, at)
        yield named("database parameter group", "db-parameter-group", name, "aws:rds/parameterGroup:ParameterGroup",
                    logical, at, parameter_group_suffix(database.version))
        yield named("database security group", "security-group", f"{name}-database",
                    "aws:ec2/securityGroup:SecurityGroup", logical, at)
        yield named("database password secret", "secret", f"{name}-database-password",
                    "aws:secretsmanager/secret:Secret", f"{logical}.password", at)
        yield generated("database password", logical, at)
    for topic_name, topic in spec.topics.items():
        fifo = fifo_suffix(topic)
        yield named("topic", "topic", topic_name, "aws:sns/topic:Topic", topic_name, ("topics", topic_name), fifo)
        for sub_name, sub in topic.subscriptions.items():
            at = ("topics", topic_name, "subscriptions", sub_name)
            logical = f"{topic_name}.{sub_name}"
            yield named("dead-letter queue", "queue", dead_letter_queue(topic_name, sub_name), "aws:sqs/queue:Queue",
                        f"{logical}.dead-letter", at, fifo)
            if not sub.endpoint:
                yield named("queue", "queue", subscription_queue(topic_name, sub_name), "aws:sqs/queue:Queue",
                            logical, at, fifo)
    for job_id, job in spec.cron.items():
        at = ("cron", job_id)
        yield named("EventBridge connection", "connection", job_id, "aws:cloudwatch/eventConnection:EventConnection",
                    job_id, at)
        yield named("EventBridge API destination", "api-destination", job_id,
                    "aws:cloudwatch/eventApiDestination:EventApiDestination", job_id, at)
        yield named("cron role", "role", cron_role(job_id), "aws:iam/role:Role", f"cron.{job_id}", at, scope="")
        yield named("cron dead-letter queue", "queue", cron_dead_letter_queue(job_id), "aws:sqs/queue:Queue",
                    f"cron.{job_id}.dead-letter", at)
        for logical, rule in schedule_names(job_id, job, JOIN):
            yield named("EventBridge rule", "schedule-rule", rule, "aws:cloudwatch/eventRule:EventRule", logical, at)
    for name in spec.used_secrets():
        yield named("secret", "secret", name, "aws:secretsmanager/secret:Secret", name, ("secrets", name))
    for at, _ in spec.identities():
        yield named("role", "role", at[1], "aws:iam/role:Role", at[1], at, scope="")
    for name in cron_called(spec):
        yield named("caller key secret", "secret", caller_key(name), "aws:secretsmanager/secret:Secret",
                    f"{name}.caller-key", ("services", name))
        yield generated("caller key", f"{name}.caller-key", ("services", name))


# IAM: the ARNs `validate` measures have the longest shape their resources can have, in the longest
# partition; Secrets Manager appends 6 random characters to a secret's ARN.
LONGEST_PARTITION = "aws-us-gov"
SECRET_ARN_SUFFIX = "-XXXXXX"
Actions = tuple[str, ...]
# Each spec permission of a bucket -> (IAM actions, what they apply to): "objects" is `BUCKET_ARN/*`,
# "bucket" the bucket itself.
BUCKET_PERMISSIONS: dict[str, tuple[Actions, str]] = {
    "download": (("s3:GetObject",), "objects"),
    "upload": (("s3:PutObject",), "objects"),
    "list": (("s3:ListBucket",), "bucket"),
    "remove": (("s3:DeleteObject",), "objects"),
    "attrs": (("s3:GetObject",), "objects"),
    "public-url": ((), "bucket"),  # the CDN URL is an output, not an AWS permission
}
TOPIC_PERMISSIONS: dict[str, Actions] = {"publish": ("sns:Publish",)}
CONSUME_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")
READ_SECRET_ACTIONS = ("secretsmanager:GetSecretValue",)


@dataclass(frozen=True)
class Access:
    """What using one section's resource means in IAM: GRANTS(spec, name, its permissions) gives
    (actions, part) pairs, the part being what the resource's `Created…` value's `arn(part)` names;
    LONGEST_ARN(spec, env, name, part) is the longest that ARN can be."""

    grants: Callable[[Infra, str, list[str] | None], list[tuple[Actions, str]]]
    longest_arn: Callable[[Infra, str, str, str], str]


def _arn(spec: Infra, service: str, resource: str) -> str:
    return f"arn:{LONGEST_PARTITION}:{service}:{spec.aws.region or ''}:{ACCOUNT_STAND_IN}:{resource}"


def _secret_arn(spec: Infra, env: str, secret: str) -> str:
    return _arn(spec, "secretsmanager",
                f"secret:{physical_name(spec.app, env, secret, NAME_LIMITS['secret'])}{SECRET_ARN_SUFFIX}")


def _read(*_) -> list[tuple[Actions, str]]:
    return [(READ_SECRET_ACTIONS, "")]


def _bucket_arn(spec: Infra, env: str, name: str, part: str) -> str:
    bucket = bucket_name(spec.app, env, name, spec.buckets[name], ACCOUNT_STAND_IN)
    return f"arn:{LONGEST_PARTITION}:s3:::{bucket}" + ("/*" if part == "objects" else "")


def _topic_arn(spec: Infra, env: str, name: str, _part: str) -> str:
    return _arn(spec, "sns", physical_name(spec.app, env, name, NAME_LIMITS["topic"], fifo_suffix(spec.topics[name])))


def _consume(spec: Infra, name: tuple[str, str], _permissions: None) -> list[tuple[Actions, str]]:
    topic, sub = name  # a push subscription delivers on its own
    return [] if spec.topics[topic].subscriptions[sub].endpoint else [(CONSUME_ACTIONS, "")]


def _queue_arn(spec: Infra, env: str, name: tuple[str, str], _part: str) -> str:
    topic, sub = name
    return _arn(spec, "sqs", physical_name(spec.app, env, subscription_queue(topic, sub), NAME_LIMITS["queue"],
                                           fifo_suffix(spec.topics[topic])))


# Per section, in the order of a role's statements; a subscription is named (topic, subscription), the
# subscriptions and caller keys a service uses are its own.
ACCESS: dict[str, Access] = {
    "buckets": Access(lambda spec, name, permissions: [BUCKET_PERMISSIONS[p] for p in permissions], _bucket_arn),
    "topics": Access(lambda spec, name, permissions: [(TOPIC_PERMISSIONS[p], "") for p in permissions], _topic_arn),
    "subscriptions": Access(_consume, _queue_arn),
    "secrets": Access(_read, lambda spec, env, name, _part: _secret_arn(spec, env, name)),
    "caches": Access(_read, lambda spec, env, name, _part: _secret_arn(spec, env, f"{name}-auth-token")),
    "databases": Access(_read, lambda spec, env, name, _part: _secret_arn(spec, env, f"{name}-database-password")),
    "caller-keys": Access(_read, lambda spec, env, name, _part: _secret_arn(spec, env, caller_key(name))),
}
