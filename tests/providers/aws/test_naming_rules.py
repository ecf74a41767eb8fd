"""AWS's naming rules: names that two resources would share never occur (derived names join spec names
with `_`, which no spec name holds), bucket names are unique beyond the account, and a name AWS would
refuse is refused by `validate`, located, with the rule and its documentation address."""

import re

import pytest
from support.plans import PlanView

QUEUE = "aws:sqs/queue:Queue"
RULE = "aws:cloudwatch/eventRule:EventRule"
ROLE = "aws:iam/role:Role"
BUCKET = "aws:s3/bucket:Bucket"
ACCOUNT_HASH = "f7b11509"  # sha256 of the mock runtime's account 000000000000, first 8 hex digits

SERVICES = """
    services: {api: {url: "https://api.example.com"}, digest-cron: {}}
"""


def queue_names(plan: PlanView) -> dict[str, str]:
    return {r["name"]: r["inputs"]["name"] for r in plan.all(QUEUE)}


# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html: queue names
# are unique in an account and region, and take letters, digits, `-` and `_`.
def test_sqs_queue_names_of_subscriptions_that_join_alike_differ(aws_plan):
    plan = aws_plan(SERVICES + """
    topics:
      user-events: {subscriptions: {audit: {service: api}}}
      user: {subscriptions: {events-audit: {service: api}}}
    """)
    names = queue_names(plan)
    assert names["user-events.audit"] == "shop-prod-user-events_audit"
    assert names["user.events-audit"] == "shop-prod-user_events-audit"
    assert len(set(names.values())) == len(names) == 4


def test_sqs_dead_letter_queue_never_meets_a_subscription_named_like_it(aws_plan):
    plan = aws_plan(SERVICES + """
    topics:
      sync: {subscriptions: {sync: {service: api}, sync-dlq: {service: api}}}
    """)
    names = queue_names(plan)
    assert names["sync.sync.dead-letter"] == "shop-prod-sync_sync_dlq"
    assert names["sync.sync-dlq"] == "shop-prod-sync_sync-dlq"
    assert len(set(names.values())) == len(names) == 4


# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html: rule names are unique in
# an account and region (letters, digits, `.`, `-`, `_`); a Pulumi URN is unique in a stack.
def test_eventbridge_rules_of_a_split_schedule_never_meet_a_job_named_like_them(aws_plan):
    plan = aws_plan(SERVICES + """
    cron:
      digest: {every: 90m, endpoint: {service: api, path: /digest}}
      digest-1: {schedule: "0 4 * * *", endpoint: {service: api, path: /digest-1}}
    """)
    rules = {r["name"]: r["inputs"]["name"] for r in plan.all(RULE)}
    assert rules == {"digest.1": "shop-prod-digest_1", "digest.2": "shop-prod-digest_2", "digest-1": "shop-prod-digest-1"}


# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html: role names are unique in an
# account and take letters, digits and `+=,.@_-`.
def test_iam_cron_role_never_meets_a_service_named_like_it(aws_plan):
    plan = aws_plan(SERVICES + """
    cron:
      digest: {schedule: "0 4 * * *", endpoint: {service: api, path: /digest}}
    """)
    roles = {r["name"]: r["inputs"]["name"] for r in plan.all(ROLE)}
    assert roles["cron.digest"] == "shop-prod-digest_cron"
    assert roles["digest-cron"] == "shop-prod-digest-cron"


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: bucket names are unique
# across all AWS accounts in a partition.
def test_s3_bucket_names_carry_a_hash_of_the_account(aws_plan):
    plan = aws_plan("buckets: {avatars: {}}")
    assert plan.inputs(BUCKET, "avatars")["bucket"] == f"shop-prod-avatars-{ACCOUNT_HASH}"


def test_s3_bucket_name_pinned_is_used_as_written(aws_plan):
    plan = aws_plan("buckets: {avatars: {name: acme-shop-avatars}}")
    assert plan.inputs(BUCKET, "avatars")["bucket"] == "acme-shop-avatars"


# Each case: (spec body, the refused path, what the message says). Documentation:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
REFUSED = {
    "s3-prefix-xn": ("buckets: {avatars: {name: xn--avatars}}", "buckets.avatars.name",
                     "S3 bucket names may not start with `xn--`"),
    "s3-prefix-sthree": ("buckets: {avatars: {name: sthree-avatars}}", "buckets.avatars.name",
                         "S3 bucket names may not start with `sthree-`"),
    "s3-prefix-demo": ("buckets: {avatars: {name: amzn-s3-demo-avatars}}", "buckets.avatars.name",
                       "S3 bucket names may not start with `amzn-s3-demo-`"),
    "s3-suffix-alias": ("buckets: {avatars: {name: avatars-s3alias}}", "buckets.avatars.name",
                        "S3 bucket names may not end with `-s3alias`"),
    "s3-suffix-object-lambda": ("buckets: {avatars: {name: avatars--ol-s3}}", "buckets.avatars.name",
                                "S3 bucket names may not end with `--ol-s3`"),
    "s3-ip-address": ("buckets: {avatars: {name: 192.168.5.4}}", "buckets.avatars.name",
                      "S3 bucket names may not be formatted as an IP address"),
    "s3-adjacent-periods": ("buckets: {avatars: {name: acme..avatars}}", "buckets.avatars.name",
                            "S3 bucket names may not contain two adjacent periods"),
    "s3-underscore": ("buckets: {avatars: {name: acme_avatars}}", "buckets.avatars.name",
                      "S3 bucket names are 3 to 63 lowercase letters, digits, `.` and `-`"),
    "s3-length": (f"buckets: {{avatars: {{name: {'a' * 64}}}}}", "buckets.avatars.name",
                  "S3 bucket names are 3 to 63"),
}


@pytest.mark.parametrize("body, path, says", REFUSED.values(), ids=REFUSED.keys())
def test_names_aws_refuses_are_refused_by_validate(deployer, spec_file, body, path, says):
    spec = spec_file(f"app: shop\nprovider: aws\naws: {{region: eu-west-1}}\n{body}\n")
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code != 0
    line = next(line for line in result.stderr.splitlines() if re.search(rf"infra\.yaml:\d+: {path}: ", line))
    assert says in line and "https://docs.aws.amazon.com/" in line


def test_ec2_security_group_names_may_not_start_with_sg(deployer, spec_file):
    spec = spec_file("app: sg-shop\nprovider: aws\naws: {region: eu-west-1}\ncaches: {sessions: {}}\n")
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code != 0
    assert (f"{spec}:4: caches.sessions: its cache security group name \"sg-shop-prod-sessions-cache\" is "
            "refused: EC2 security group names may not start with `sg-` "
            "(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html)") in result.stderr
