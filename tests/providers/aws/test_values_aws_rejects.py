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
    # the first delivery, then 49 retries: 6 backing off from 10s to 600s (each wait 2.26 times the last:
    # 1,065 s), then 43 every 600 s
    assert "asks for about 7h27m45s" in problem
    assert "(49 retries after the first delivery: 6 backing off from 10s to 600s, then 43 every 600s)" in problem
    assert "with these backoffs maxRetries is at most 11" in problem


def test_sns_https_retry_policy_within_the_hour_is_the_delivery_policy(refusals, aws_plan):
    retry = "{minBackoff: 10s, maxBackoff: 5m, maxRetries: 12}"
    assert refusals(SNS_PUSH.format(retry=retry)) == (0, [])
    policy = aws_plan(SNS_PUSH.format(retry=retry)).policy(
        "aws:sns/topicSubscription:TopicSubscription", "signups.welcome", "deliveryPolicy")
    assert policy["healthyRetryPolicy"] == {
        "minDelayTarget": 10, "maxDelayTarget": 300, "numRetries": 11, "numNoDelayRetries": 0,
        "numMinDelayRetries": 0, "numMaxDelayRetries": 6, "backoffFunction": "exponential"}


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
        '5: caches.sessions.aws.engineVersion: ElastiCache Redis "4.0.10" is not supported: use 5.0.0 or 5.0.3 '
        "to 5.0.6 (redis5.0), 6.x, 6.0 or 6.2 (redis6.x), 7.0 or 7.1 (redis7) (its parameter group family; "
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


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html (and the
# provider's engine_version: "If the version is 7 or higher, the major and minor version should be set,
# e.g. 7.2. If the version is 6, ... the minor version can be unspecified ... e.g. 6.x"): `7.x` is no
# version ElastiCache creates; `6.x` is the latest 6.
@pytest.mark.parametrize("version", ["7.x", "7", "7.1.0", "6", "5.0", "5.0.1"])
def test_elasticache_redis_7_is_written_with_its_minor_version(refusals, version):
    assert f'ElastiCache Redis "{version}" is not supported' in only(
        refusals(f"caches: {{sessions: {{aws: {{engineVersion: '{version}'}}}}}}\n"))


@pytest.mark.parametrize("version", ["7.0", "7.1", "6.x", "6.2", "6.0", "5.0.6"])
def test_elasticache_redis_versions_as_aws_writes_them_are_accepted(refusals, version):
    assert refusals(f"caches: {{sessions: {{aws: {{engineVersion: '{version}'}}}}}}\n") == (0, [])


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html: node types
# are cache.FAMILY.SIZE; "you can no longer create new ElastiCache clusters using T2 instances", and
# T1, M1, M2, M3, C1 and R3 are the previous generation before it.
NODE_TYPES_DOC = "(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html)"


def node_type(refusals, node: str, version: str = "7.1", region: str = "eu-west-1") -> tuple[int, list[str]]:
    return refusals(f"aws: {{region: {region}}}\n"
                    f"caches: {{sessions: {{aws: {{nodeType: {node}, engineVersion: '{version}'}}}}}}\n")


@pytest.mark.parametrize("node", ["t4g.micro", "cache.t4g", "cache.t4g.tiny", "cache.r7g.LARGE"])
def test_elasticache_node_types_are_cache_family_size(refusals, node):
    assert only(node_type(refusals, node)) == (
        f'5: caches.sessions.aws.nodeType: "{node}" is not an ElastiCache node type: they are written '
        f"cache.FAMILY.SIZE, e.g. cache.t4g.micro or cache.r7g.large {NODE_TYPES_DOC}")


@pytest.mark.parametrize("node", ["cache.t2.micro", "cache.t1.micro", "cache.m3.large", "cache.r3.large",
                                  "cache.m1.small", "cache.c1.xlarge", "cache.m2.xlarge"])
def test_elasticache_creates_no_cluster_of_a_previous_generation_family(refusals, node):
    problem = only(node_type(refusals, node))
    assert "is a previous-generation node family, in which ElastiCache creates no new cluster" in problem
    assert problem.endswith(NODE_TYPES_DOC)


def test_elasticache_node_families_are_the_ones_aws_offers(refusals):
    assert 'ElastiCache has no node family "r8"' in only(node_type(refusals, "cache.r8.large"))
    for node in ("cache.t3.micro", "cache.t4g.medium", "cache.m5.large", "cache.m6g.xlarge", "cache.m7g.2xlarge",
                 "cache.r5.large", "cache.r6g.large", "cache.r7g.16xlarge", "cache.c7gn.large", "cache.m4.10xlarge"):
        assert node_type(refusals, node) == (0, []), node


# The same page: M6g, T4g and R6g nodes are "available only for Redis OSS engine version 5.0.6 onward".
def test_elasticache_graviton2_nodes_run_redis_5_0_6_onward(refusals):
    assert "T4G nodes run Redis 5.0.6 onward, not 5.0.5" in only(node_type(refusals, "cache.t4g.micro", "5.0.5"))
    assert node_type(refusals, "cache.t4g.micro", "5.0.6") == (0, [])


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html: r6gd nodes tier data to SSD;
# CreateReplicationGroup's DataTieringEnabled "must be set to true when using r6gd nodes" (the plan sets
# it: test_behaviour_aws), from Redis 6.2.
def test_elasticache_r6gd_nodes_need_data_tiering_from_redis_6_2(refusals):
    problem = only(node_type(refusals, "cache.r6gd.xlarge", "6.0"))
    assert ("r6gd nodes tier data to SSD, which ElastiCache requires on and offers from Redis 6.2: use "
            "engineVersion 6.2 or later, not 6.0 (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/"
            "data-tiering.html)") in problem
    assert node_type(refusals, "cache.r6gd.xlarge", "6.x") == (0, [])


# The same page: "The following instance types are supported in the AWS Asia Pacific (Thailand) and
# Mexico (Central) Regions: m7g/r7g: large, xl, 2xl, 4xl, 8xl, 12xl and 16xl. t3/t4g: micro, small and medium."
@pytest.mark.parametrize("region", ["mx-central-1", "ap-southeast-7"])
def test_elasticache_regions_offering_only_some_node_types(refusals, region):
    problem = only(node_type(refusals, "cache.m5.large", region=region))
    assert problem.startswith(f"5: caches.sessions.aws.nodeType: {region} offers only these node types: "
                              "m7g: large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge; r7g: ")
    assert "t3: micro, small, medium; t4g: micro, small, medium" in problem
    assert node_type(refusals, "cache.t3.large", region=region)[0] == 1
    for node in ("cache.r7g.large", "cache.t4g.micro"):  # deployer's defaults, production and the others
        assert node_type(refusals, node, region=region) == (0, [])


# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions (and IAM's Tag:
# pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*): letters, digits, spaces and `_ . : / = + - @`.
def test_aws_tags_hold_letters_digits_spaces_and_few_signs(refusals):
    problems = refusals("aws: {region: eu-west-1, tags: {'cost#center': 'a,b', 'équipe': 'café 1 +=.:/@_-'}}\n")
    hold = "hold letters, digits, spaces and `_ . : / = + - @`, not"
    conventions = "(https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions)"
    assert problems == (1, [f'4: aws.tags.cost#center: AWS tag keys {hold} "#" {conventions}',
                            f'4: aws.tags.cost#center: AWS tag values {hold} "," {conventions}'])


# https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity: IAM roles' tag keys are
# not case sensitive, so `Env` beside deployer's own `env` fails with "Duplicate tag keys found".
def test_iam_tag_keys_are_compared_without_case(refusals):
    exit_code, problems = refusals("aws: {region: eu-west-1, tags: {Env: prod, team: a, TEAM: b}}\n")
    fix = ('on one role fail with "Duplicate tag keys found": keep one spelling '
           "(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity)")
    assert exit_code == 1 and problems == [
        f'4: aws.tags.Env: IAM compares tag keys without case, so "Env" and "env" {fix}',
        f'4: aws.tags.TEAM: IAM compares tag keys without case, so "TEAM" and "team" {fix}']


# https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html: DefaultRootObject
# "can't begin with a forward slash (/)".
def test_cloudfront_default_root_object_does_not_begin_with_a_slash(refusals):
    assert only(refusals("buckets: {site: {public: true, indexDocument: /index.html}}\n")) == (
        '5: buckets.site.indexDocument: CloudFront\'s default root object is an object\'s key, which may not begin '
        'with `/`: write "index.html" (https://docs.aws.amazon.com/cloudfront/latest/APIReference/'
        'API_DistributionConfig.html)')


# https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/setting-up-credentials.html: "CloudFront is
# located outside of the AWS GovCloud (US) boundary" (a distribution is made from a standard account).
def test_cloudfront_is_not_in_the_govcloud_partition(refusals):
    problem = only(refusals("aws: {region: us-gov-west-1}\nbuckets: {site: {public: true}}\n"))
    assert problem.startswith("5: buckets.site.public: a public bucket is served through CloudFront, which is "
                              "outside the partition of us-gov-west-1")
    assert refusals("aws: {region: us-gov-west-1}\nbuckets: {logs: {}}\n") == (0, [])


# https://aws.amazon.com/blogs/networking-and-content-delivery/programmatically-deploying-cloudfront-
# distributions-in-aws-china-regions/: "You can't use the default CloudFront domain, *.cloudfront.cn, to
# serve content. You must add an alternate domain name" with an ICP recordal.
def test_cloudfront_in_china_serves_only_an_icp_recorded_domain(refusals):
    problem = only(refusals("aws: {region: cn-north-1}\nbuckets: {site: {public: true}}\n"))
    assert "in the China regions (cn-north-1) serves only on an alternate domain name with an ICP recordal" in problem


# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateApiDestination.html:
# InvocationEndpoint's pattern ^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$
# takes no `[ ] { } #`.
@pytest.mark.parametrize(("endpoint", "refused"), [
    ('"https://hooks.example.com/run#now"', '"#"'),
    ("{service: api, path: '/cron/{job}'}", '"{", "}"'),
    ('"https://hooks.example.com/a[1]"', '"[", "]"'),
])
def test_eventbridge_api_destination_endpoints_take_no_brackets_braces_or_hash(refusals, endpoint, refused):
    problem = only(refusals('services: {api: {url: "https://api.example.com"}}\n'
                            f"cron: {{digest: {{every: 1h, endpoint: {endpoint}}}}}\n"))
    assert problem.startswith("6: cron.digest.endpoint: EventBridge API destination endpoints take letters, "
                              "digits, %XX escapes and `-()_.!~*';/?:@&=+$,` only: ")
    assert problem.endswith(f"has {refused} (https://docs.aws.amazon.com/eventbridge/latest/APIReference/"
                            "API_CreateApiDestination.html)")


# https://repost.aws/knowledge-center/sns-topic-https-endpoints-notification: "Amazon SNS doesn't support
# private HTTP(S) endpoints"; CreateApiDestination: "API destinations do not support private destinations".
PRIVATE = """\
services: {{api: {{url: "{url}"}}}}
topics: {{signups: {{subscriptions: {{welcome: {{service: api, endpoint: /push}}}}}}}}
cron: {{digest: {{every: 1h, endpoint: {{service: api, path: /cron/digest}}}}}}
"""


@pytest.mark.parametrize("url", ["https://10.0.12.7", "https://192.168.1.20:8443", "https://127.0.0.1",
                                 "https://localhost:8443", "https://[::1]", "https://169.254.169.254",
                                 "https://100.64.0.1"])
def test_sns_and_eventbridge_cannot_reach_private_or_loopback_hosts(refusals, url):
    problem = only(refusals(PRIVATE.format(url=url)))
    host = url.removeprefix("https://").split(":8443")[0].strip("[]")
    assert problem.startswith(f"5: services.api.url: SNS pushes and EventBridge API destinations call from the "
                              f'public internet, which cannot reach "{host}" (a private or loopback address)')


def test_private_hosts_stay_allowed_in_a_local_environment(refusals):
    local = 'envTypes: {local: {overrides: {services: {api: {url: "http://127.0.0.1:8080"}}}}}\n'
    assert refusals(PRIVATE.format(url="https://api.example.com") + local) == (0, [])
    assert only(refusals('cron: {ping: {every: 1h, endpoint: "https://10.1.2.3/ping"}}\n')).startswith(
        '5: cron.ping.endpoint: SNS pushes and EventBridge API destinations call from the public internet, which '
        'cannot reach "10.1.2.3"')


# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-
# retention.html: "For standard queues, the expiration of a message is always based on its original enqueue
# timestamp ... always set the retention period of a dead-letter queue to be longer than the retention period
# of the original queue"; FIFO queues reset it. Dead-letter queues keep messages 14 days, SQS's longest.
def test_dead_letter_queue_keeps_messages_longer_than_its_standard_source(refusals):
    body = ("services: {{api: {{}}}}\ntopics: {{signups: {{{topic}subscriptions: {{crm: {{service: api, "
            "messageRetention: {retention}}}}}}}}}\n")
    assert only(refusals(body.format(topic="", retention="14d"))).startswith(
        "6: topics.signups.subscriptions.crm.messageRetention: a dead letter keeps the time it was first sent, "
        "and its queue keeps messages 14 days")
    assert refusals(body.format(topic="", retention="13d")) == (0, [])
    assert refusals(body.format(topic="deliveryGuarantee: exactly-once, ", retention="14d")) == (0, [])


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services:
# IAM refuses a trust policy naming a service principal it does not know ("Invalid principal in policy").
def test_iam_trusts_only_service_principals_deployer_supports(refusals):
    problem = only(refusals("services: {api: {aws: {trust: [lambda.amazonaws.com, lamda.amazonaws.com]}}}\n"))
    assert problem.startswith('5: services.api.aws.trust.1: "lamda.amazonaws.com" is not a service principal '
                              'deployer supports (IAM refuses one it does not know: "Invalid principal in policy"): '
                              "use ecs-tasks.amazonaws.com (ECS tasks), lambda.amazonaws.com (Lambda), ")
    assert "pods.eks.amazonaws.com (EKS Pod Identity)" in problem
    china = "aws: {region: cn-north-1}\nservices: {api: {aws: {trust: [ecs-tasks.amazonaws.com.cn]}}}\n"
    assert refusals(china) == (0, [])
    assert refusals(china.replace("cn-north-1", "eu-west-1"))[0] == 1
