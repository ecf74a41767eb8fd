"""Values AWS would refuse at `up`, refused by `validate` where the spec writes them
(`FILE:LINE: path: message`), each test named after AWS's rule, its documentation in a comment."""

import pytest

from deployer.providers.aws.cron import schedule_expression

HEAD = """\
app: shop
provider: aws
environments: {prod: {type: production}, local: {type: local}}
"""
REGION = "aws: {region: eu-west-1}\n"


@pytest.fixture
def refusals(deployer, spec_file):
    """`deployer validate` of HEAD + BODY (with REGION unless BODY has `aws:`): its exit code and the
    problems it prints, `LINE: path: message` (each printed `FILE:LINE: path: message`)."""

    def validate(body: str) -> tuple[int, list[str]]:
        path = spec_file(HEAD + ("" if body.startswith("aws:") else REGION) + body)
        run = deployer("--spec", str(path), "validate")
        lines = [line for line in run.stderr.splitlines() if line.startswith(f"{path}:")]
        return run.exit_code, [line.removeprefix(f"{path}:") for line in lines]

    return validate


def only(result: tuple[int, list[str]]) -> str:
    exit_code, problems = result
    assert exit_code == 1 and len(problems) == 1, problems
    return problems[0]


# https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html: "The total policy retry
# time for an HTTP/S endpoint cannot be greater than 3,600 seconds. This is a hard limit".
SNS_PUSH = """\
services: {{mailer: {{url: "https://mail.example.com"}}}}
topics:
  signups:
    subscriptions:
      welcome:
        service: mailer
        endpoint: /push
        retryPolicy: {retry}
"""


def test_sns_https_total_retry_time_is_at_most_3600_seconds(refusals):
    problem = only(refusals(SNS_PUSH.format(retry="{minBackoff: 10s, maxBackoff: 10m, maxRetries: 50}")))
    assert problem.startswith("12: topics.signups.subscriptions.welcome.retryPolicy: SNS retries an HTTPS "
                              "delivery for at most 3,600 s in all (a hard limit, https://docs.aws.amazon.com/sns/")
    # 6 retries backing off from 10s to 600s (each wait 2.26 times the last: 1,065 s), then 44 every 600 s
    assert "asks for about 7h37m45s" in problem
    assert "(50 retries: 6 backing off from 10s to 600s, then 44 every 600s)" in problem
    assert "at most 10 retries fit" in problem


def test_sns_https_retry_policy_within_the_hour_is_the_delivery_policy(refusals, aws_plan):
    retry = "{minBackoff: 10s, maxBackoff: 5m, maxRetries: 12}"
    assert refusals(SNS_PUSH.format(retry=retry)) == (0, [])
    policy = aws_plan(SNS_PUSH.format(retry=retry)).policy(
        "aws:sns/topicSubscription:TopicSubscription", "signups.welcome", "deliveryPolicy")
    assert policy["healthyRetryPolicy"] == {
        "minDelayTarget": 10, "maxDelayTarget": 300, "numRetries": 12, "numNoDelayRetries": 0,
        "numMinDelayRetries": 0, "numMaxDelayRetries": 7, "backoffFunction": "exponential"}


def test_sns_https_default_retries_are_the_most_that_fit_the_hour(aws_plan):
    policy = aws_plan(SNS_PUSH.format(retry="{minBackoff: 10s}")).policy(
        "aws:sns/topicSubscription:TopicSubscription", "signups.welcome", "deliveryPolicy")
    # 100 retries (the default) would take 16 hours: 10 fit, 6 backing off to 10m and 4 every 10m
    assert policy["healthyRetryPolicy"]["numRetries"] == 10
    assert policy["healthyRetryPolicy"]["numMaxDelayRetries"] == 4


# https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html and
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html: HTTPS endpoints only.
PLAIN_HTTP = """\
services: {api: {url: "http://api.example.com"}}
topics: {signups: {subscriptions: {welcome: {service: api, endpoint: /push}}}}
cron: {digest: {every: 1h, endpoint: {service: api, path: /cron/digest}}}
"""


def test_sns_https_and_eventbridge_api_destinations_call_https_only(refusals):
    exit_code, problems = refusals(PLAIN_HTTP)
    assert exit_code == 1
    assert "5: services.api.url: AWS calls push subscription signups.welcome (SNS), cron job digest (EventBridge) " \
           "over HTTPS only: give an https:// url (http:// is for local environments)" in problems


def test_a_local_environment_keeps_its_http_urls(refusals):
    https = PLAIN_HTTP.replace("http://api", "https://api")
    local_http = 'envTypes: {local: {overrides: {services: {api: {url: "http://127.0.0.1:8080"}}}}}\n'
    assert refusals(https + local_http) == (0, [])


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html:
# objects stay at least 30 days in S3 Standard before a transition to S3 Standard-IA.
def test_s3_transition_to_standard_ia_is_30_days_after_creation_at_the_earliest(refusals):
    assert only(refusals("buckets: {logs: {lifecycle: [{transitionAfterDays: 7, storageClass: infrequent}]}}\n")) \
        == ("5: buckets.logs.lifecycle.0.transitionAfterDays: S3 moves objects to STANDARD_IA (infrequent) "
            "30 days after creation at the earliest")
    assert refusals("buckets: {logs: {lifecycle: [{transitionAfterDays: 1, storageClass: archive}]}}\n") == (0, [])


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html: S3 refuses
# a rule whose Expiration days are not greater than its Transition days.
def test_s3_expiration_comes_after_the_transition_of_the_same_rule(refusals):
    rule = "{transitionAfterDays: 30, storageClass: infrequent, expireAfterDays: 30}"
    assert only(refusals(f"buckets: {{logs: {{lifecycle: [{rule}]}}}}\n")) == (
        "5: buckets.logs.lifecycle.0.expireAfterDays: S3 refuses an expiration that is not later than the "
        "same rule's transition (day 30)")


# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheParameterGroup.html:
# families redis5.0 | redis6.x | redis7 (not redis5.x, not redis7.x).
@pytest.mark.parametrize(("version", "family"), [("5.0.6", "redis5.0"), ("6.2", "redis6.x"), ("7.1", "redis7")])
def test_elasticache_parameter_group_family_of_each_supported_version(aws_plan, version, family):
    plan = aws_plan(f"caches: {{sessions: {{aws: {{engineVersion: '{version}'}}}}}}\n")
    assert plan.inputs("aws:elasticache/parameterGroup:ParameterGroup", "sessions")["family"] == family


def test_elasticache_engine_versions_without_a_family_are_refused(refusals):
    assert only(refusals("caches: {sessions: {aws: {engineVersion: '4.0.10'}}}\n")) == (
        '5: caches.sessions.aws.engineVersion: ElastiCache Redis "4.0.10" is not supported: use 5.0.x '
        "(redis5.0), 6.0 or 6.2 (redis6.x), 7.0 or 7.1 (redis7) (its parameter group family; "
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html)")


# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: 50 tags per resource, keys of
# at most 128 characters and values of 256, the `aws:` prefix reserved.
def test_aws_tags_are_at_most_50_with_deployers_own(refusals):
    tags = ", ".join(f"t{n}: x" for n in range(47))
    assert only(refusals(f"aws: {{region: eu-west-1, tags: {{{tags}}}}}\n")) == ("4: aws.tags: AWS allows 50 tags per resource; these and deployer's own "
                            "(app, env, managed-by, deployer-name) make 51")


def test_aws_tag_keys_are_not_aws_prefixed_nor_too_long(refusals):
    body = f"aws: {{region: eu-west-1, tags: {{'aws:team': x, {'k' * 129}: x, long: {'v' * 257}}}}}\n"
    exit_code, problems = refusals(body)
    messages = sorted(p.split(": ", 2)[2] for p in problems)
    assert exit_code == 1 and messages == ["AWS tag keys are at most 128 characters",
                                           "AWS tag values are at most 256 characters",
                                           "tag keys starting `aws:` are reserved for AWS"]


# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html: day-of-week takes
# `, - * ? L #`, no `/`: a step is written out as the list of days.
def test_eventbridge_day_of_week_has_no_step(aws_plan):
    assert schedule_expression("0 9 * * 1-5/2") == "cron(0 9 ? * 2,4,6 *)"  # Monday, Wednesday, Friday
    plan = aws_plan("""\
services: {api: {url: "https://api.example.com"}}
cron: {report: {schedule: "0 9 * * 1-5/2", endpoint: {service: api, path: /cron/report}}}
""")
    rules = plan.all("aws:cloudwatch/eventRule:EventRule")
    assert [r["inputs"]["scheduleExpression"] for r in rules] == ["cron(0 9 ? * 2,4,6 *)"]


# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html: without VpcId the
# group is created in the default VPC, where the given subnets are not.
def test_subnets_need_their_vpc(refusals):
    body = "aws: {region: eu-west-1, network: {subnetIds: [subnet-1, subnet-2]}}\ncaches: {sessions: {}}\n"
    assert only(refusals(body)) == (
        "4: aws.network.subnetIds: subnets without their vpcId: the caches' and databases' security groups would be created "
        "in the default VPC, which these subnets are not in; give aws.network.vpcId")
