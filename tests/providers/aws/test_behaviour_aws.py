"""What deploys behaves as the README says on AWS: plans that show each fix, each test named after AWS's
rule, its documentation in a comment."""

import json

import pulumi
import pytest

from deployer.clouds import cloud
from deployer.errors import PreconditionMissing
from deployer.plan.diff import diff_plans
from deployer.plan.offline import PlaceholderMocks, run_offline
from deployer.providers.aws import mocks
from deployer.speclang.load import load_spec, resolve

CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
QUEUE = "aws:sqs/queue:Queue"
SECRET = "aws:secretsmanager/secret:Secret"

CRON_AND_PUSH = """
services:
  mailer: {url: "https://mail.example.com"}
  other: {}
topics: {signups: {subscriptions: {welcome: {service: mailer, endpoint: /push}}}}
cron:
  digest: {every: 90m, endpoint: {service: mailer, path: /cron/digest}}
  ping: {every: 1h, endpoint: "https://hooks.example.com/ping"}
"""


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Upgrading.html: a major upgrade
# moves the cluster to a parameter group of the new family; with the family in the name, Pulumi creates
# the new group before it deletes the one in use.
def test_elasticache_parameter_group_of_a_new_family_is_a_new_group(aws_plan):
    def group(version: str) -> dict:
        return aws_plan(f"caches: {{sessions: {{aws: {{engineVersion: '{version}'}}}}}}\n").inputs(
            PARAMETER_GROUP, "sessions")

    assert group("6.2")["name"] == "shop-prod-sessions-redis6-x"
    assert group("7.1")["name"] == "shop-prod-sessions-redis7"
    assert cloud("aws").replaced_on[PARAMETER_GROUP] >= {"name", "family"}


# https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html: an account may have deleted its
# default VPC; the lookup then finds none, and deployer says what to give instead.
def test_an_account_without_a_default_vpc_is_told_to_give_aws_network(aws_plan, monkeypatch):
    monkeypatch.setattr(mocks, "ACCOUNT_HAS_DEFAULT_VPC", False)
    with pytest.raises(PreconditionMissing, match=r"the AWS account has no default VPC in eu-west-1, and the caches "
                                                  r"and databases need a network: give aws.network.vpcId and aws.network.subnetIds"):
        aws_plan("caches: {sessions: {}}\n")
    network = "{region: eu-west-1, network: {vpcId: vpc-1, subnetIds: [subnet-1]}}"
    assert aws_plan("caches: {sessions: {}}\n", aws=network).inputs(
        "aws:ec2/securityGroup:SecurityGroup", "sessions")["vpcId"] == "vpc-1"


# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html (API_KEY
# authorization: the header is sent with every call) and
# https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html (SignatureVersion 2).
def test_cron_calls_carry_the_called_services_key_and_sns_signs_with_sha256(aws_plan):
    plan = aws_plan(CRON_AND_PUSH)
    connections = {c["name"]: c["inputs"] for c in plan.all("aws:cloudwatch/eventConnection:EventConnection")}
    assert connections["digest"] == {"name": "shop-prod-digest", "authorizationType": "API_KEY",
                                     "authParameters": "[secret]"}  # the key is never in a plan
    key = plan.inputs(SECRET, "mailer.caller-key")
    assert key["name"] == "shop-prod-mailer_caller-key"
    assert plan.inputs("aws:secretsmanager/secretVersion:SecretVersion", "mailer.caller-key")["secretString"] \
        == "[secret]"
    key_arn = plan.services["mailer"]["callers"]["keySecret"]
    assert plan.services["mailer"]["callers"] == {
        "keyHeader": "X-Deployer-Key", "keySecret": key_arn, "snsSignatureVersion": "2",
        "snsTopics": ["arn:aws:sns:eu-west-1:000000000000:shop-prod-signups"]}
    readers = [p for p in plan.all("aws:iam/rolePolicy:RolePolicy")
               if key_arn in [r for s in json.loads(p["inputs"]["policy"])["Statement"] for r in s["Resource"]]]
    assert [p["name"] for p in readers] == ["mailer"]  # only the called service reads its key
    assert "callers" not in plan.services["other"]
    assert plan.inputs("aws:sns/topic:Topic", "signups")["signatureVersion"] == 2


# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html and
# eb-rule-dlq.html: a target retries for its retry policy, then sends the event to its dead-letter queue,
# which must admit EventBridge (a queue policy on the rules' ARNs).
def test_eventbridge_targets_retry_then_send_to_a_dead_letter_queue(aws_plan):
    plan = aws_plan(CRON_AND_PUSH)
    dead_letters = plan.inputs(QUEUE, "cron.digest.dead-letter")
    assert dead_letters["name"] == "shop-prod-digest_cron_dlq"
    assert dead_letters["messageRetentionSeconds"] == 14 * 24 * 3600
    arn = "arn:aws:sqs:eu-west-1:000000000000:shop-prod-digest_cron_dlq"
    for rule in ("digest.1", "digest.2"):  # 90m is two schedules, both failing into the job's queue
        target = plan.inputs(TARGET, rule)
        assert target["retryPolicy"] == {"maximumRetryAttempts": 185, "maximumEventAgeInSeconds": 3600}
        assert target["deadLetterConfig"] == {"arn": arn}
        assert target["httpTarget"] == {"headerParameters": {"X-Deployer-Cron": "digest"}}  # as `deployer dev`
    [statement] = plan.policy("aws:sqs/queuePolicy:QueuePolicy", "cron.digest.dead-letter")["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage" and statement["Resource"] == arn
    assert sorted(statement["Condition"]["ArnEquals"]["aws:SourceArn"]) == [
        "arn:aws:events:eu-west-1:000000000000:rule/shop-prod-digest_1",
        "arn:aws:events:eu-west-1:000000000000:rule/shop-prod-digest_2"]


def retained(tmp_path, body: str, env: str) -> dict[tuple[str, str], bool]:
    """(type, name) -> retain_on_delete of every resource ENV's program creates."""
    path = tmp_path / "infra.yaml"
    path.write_text("app: shop\nprovider: aws\naws: {region: eu-west-1}\n"
                    "environments: {prod: {type: production}, dev: {type: development}}\n" + body)
    resolved = resolve(load_spec(path), env)
    aws = cloud("aws")
    program = aws.program()
    run = run_offline(lambda: program(resolved, {n: pulumi.Output.secret("x") for n in resolved.spec.used_secrets()}),
                      PlaceholderMocks(*aws.mocks()), project=resolved.app, stack=resolved.stack)
    return {(r.type, r.name): r.retain_on_delete for r in run.resources}


# https://www.pulumi.com/docs/iac/concepts/options/retainondelete/: a retained resource stays in the
# cloud when the stack deletes it; its parts are retained with it, or `destroy --force-protected` would
# strip a production bucket of its public-access block, policy, encryption and versioning.
def test_production_retains_the_parts_of_its_retained_resources(tmp_path):
    body = """
buckets: {files: {versioned: true, cors: [{origins: ["https://a.example.com"], methods: [GET]}],
                  lifecycle: [{expireAfterDays: 7}]}}
caches: {sessions: {}}
secrets: [Token]
services: {api: {uses: {secrets: [Token]}}}
topics: {signups: {subscriptions: {copy: {service: api}}}}
"""
    parts = [("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "files"),
             ("aws:s3/bucketPolicy:BucketPolicy", "files"),
             ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "files"),
             ("aws:s3/bucketVersioning:BucketVersioning", "files"),
             ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "files"),
             ("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "files"),
             ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "files"),
             (PARAMETER_GROUP, "sessions"), ("aws:elasticache/subnetGroup:SubnetGroup", "sessions"),
             ("aws:ec2/securityGroup:SecurityGroup", "sessions"),
             ("random:index/randomPassword:RandomPassword", "sessions"),
             ("aws:secretsmanager/secretVersion:SecretVersion", "Token"),
             ("aws:sqs/queuePolicy:QueuePolicy", "signups.copy"),
             ("aws:sns/topicSubscription:TopicSubscription", "signups.copy")]
    production, development = retained(tmp_path, body, "prod"), retained(tmp_path, body, "dev")
    assert {part: production[part] for part in parts} == dict.fromkeys(parts, True)
    assert production[("aws:s3/bucket:Bucket", "files")] and production[(CACHE, "sessions")]
    assert not any(development.values())


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html#auth-modifyng-token: without a
# strategy AWS rotates (ROTATE: the old token stays valid beside the new one); SET, after a ROTATE,
# leaves only the new token.
def test_elasticache_auth_token_rotation_is_rotate_then_set(aws_plan):
    def cache(settings: str) -> tuple[dict, dict]:
        plan = aws_plan(f"caches: {{sessions: {{aws: {settings}}}}}\n")
        return plan.inputs(CACHE, "sessions"), plan.inputs("random:index/randomPassword:RandomPassword", "sessions")

    group, token = cache("{}")
    assert group["authTokenUpdateStrategy"] == "ROTATE" and token["keepers"] == {"generation": "1"}
    group, token = cache("{authTokenGeneration: 2}")  # a new token, both valid while services move to it
    assert group["authTokenUpdateStrategy"] == "ROTATE" and token["keepers"] == {"generation": "2"}
    group, token = cache("{authTokenGeneration: 2, authTokenUpdate: set}")  # then only the new one
    assert group["authTokenUpdateStrategy"] == "SET" and token["keepers"] == {"generation": "2"}


# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html
# (ApplyImmediately: false waits for the maintenance window).
def test_elasticache_changes_apply_immediately_outside_production(aws_plan):
    assert aws_plan("caches: {sessions: {}}\n", env="dev").inputs(CACHE, "sessions")["applyImmediately"] is True
    assert aws_plan("caches: {sessions: {}}\n").inputs(CACHE, "sessions")["applyImmediately"] is False


def test_security_group_ids_are_the_clients_let_in(aws_plan):
    network = "{region: eu-west-1, network: {vpcId: vpc-1, subnetIds: [subnet-1], securityGroupIds: [sg-0abc]}}"
    firewall = aws_plan("caches: {sessions: {}}\n", aws=network).inputs("aws:ec2/securityGroup:SecurityGroup",
                                                                          "sessions")
    assert [(rule["fromPort"], rule["securityGroups"]) for rule in firewall["ingress"]] == [(6379, ["sg-0abc"])]


# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/header-caching.html#header-caching-web-cors
# and using-managed-origin-request-policies.html (CORS-S3Origin): S3 answers CORS only when the Origin
# reaches it, and its answer differs per Origin; DefaultRootObject serves the root URL.
def test_cloudfront_forwards_and_caches_by_origin_where_the_bucket_has_cors(aws_plan):
    plan = aws_plan("""
buckets:
  site: {public: true, indexDocument: index.html, cors: [{origins: ["https://a.example.com"], methods: [GET]}]}
  plain: {public: true}
""")
    site, plain = plan.inputs(DISTRIBUTION, "site"), plan.inputs(DISTRIBUTION, "plain")
    behavior = site["defaultCacheBehavior"]
    assert behavior["originRequestPolicyId"] == "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
    assert behavior["allowedMethods"] == behavior["cachedMethods"] == ["GET", "HEAD", "OPTIONS"]
    policy = plan.one("aws:cloudfront/cachePolicy:CachePolicy", "site")
    assert behavior["cachePolicyId"] != "658327ea-f89d-4fab-a63d-7e88639e58f6"
    key = policy["inputs"]["parametersInCacheKeyAndForwardedToOrigin"]["headersConfig"]
    assert key == {"headerBehavior": "whitelist",
                   "headers": {"items": ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]}}
    assert site["defaultRootObject"] == "index.html"
    assert "originRequestPolicyId" not in plain["defaultCacheBehavior"] and "defaultRootObject" not in plain
    assert plain["defaultCacheBehavior"]["cachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"


def test_an_index_document_is_for_public_buckets(deployer, spec_file):
    path = spec_file("app: shop\nprovider: aws\naws: {region: eu-west-1}\nbuckets:\n  files: {indexDocument: a.html}\n")
    run = deployer("--spec", str(path), "validate")
    assert run.exit_code == 1
    assert f"{path}:5: buckets.files.indexDocument: applies to public buckets only (set public: true)" in run.stderr


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html and CreateReplicationGroup's
# DataTieringEnabled: "This parameter must be set to true when using r6gd nodes"; the provider replaces a
# group whose data tiering changes.
def test_elasticache_r6gd_nodes_are_created_with_data_tiering_on(aws_plan):
    def group(node: str) -> dict:
        return aws_plan(f"caches: {{sessions: {{aws: {{nodeType: {node}}}}}}}\n").inputs(CACHE, "sessions")

    assert group("cache.r6gd.xlarge")["dataTieringEnabled"] is True
    assert "dataTieringEnabled" not in group("cache.r7g.large")
    assert "dataTieringEnabled" in cloud("aws").replaced_on[CACHE]


# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyCacheParameterGroup.html takes
# parameters only: a new description replaces the group (ForceNew in the provider), and under its fixed name
# the replacement would collide. The eviction policy is a parameter; the description names no policy.
def test_elasticache_eviction_policy_change_updates_the_parameter_group_in_place(aws_plan):
    def plan(policy: str) -> dict:
        return aws_plan(f"caches: {{sessions: {{evictionPolicy: {policy}}}}}\n").document

    diff = diff_plans("prod", "main", plan("allkeys-lru"), plan("volatile-lfu"), cloud("aws"))
    assert [(entry["name"], sorted(entry["fields"])) for entry in diff.changed] == [
        ("sessions", ["inputs.parameters"])]
    assert diff.replaced == []
    assert "description" in cloud("aws").replaced_on[PARAMETER_GROUP]


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html: a GLACIER (Flexible
# Retrieval) object cannot be read until restored; Glacier Instant Retrieval is read in milliseconds
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html).
def test_archive_of_a_bucket_whose_objects_are_read_is_glacier_instant_retrieval(aws_plan):
    archive = "lifecycle: [{transitionAfterDays: 90, storageClass: archive}]"
    plan = aws_plan(f"""
        buckets:
          uploads: {{{archive}}}
          site: {{public: true, {archive}}}
          backups: {{{archive}}}
        services: {{api: {{uses: {{buckets: {{uploads: [download], backups: [upload, list, attrs]}}}}}}}}
        """)

    def storage_class(bucket: str) -> str:
        rules = plan.inputs("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", bucket)["rules"]
        return rules[0]["transitions"][0]["storageClass"]

    assert storage_class("uploads") == storage_class("site") == "GLACIER_IR"
    assert storage_class("backups") == "GLACIER"


# https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html: EKS Pod Identity's trust policy allows
# sts:AssumeRole and sts:TagSession.
def test_eks_pod_identity_may_tag_the_role_session(aws_plan):
    plan = aws_plan("services: {api: {aws: {trust: [pods.eks.amazonaws.com, lambda.amazonaws.com]}}}\n")
    assert plan.policy("aws:iam/role:Role", "api", "assumeRolePolicy")["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": ["pods.eks.amazonaws.com"]},
         "Action": ["sts:AssumeRole", "sts:TagSession"]}]


# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions: a tag value is at
# most 256 characters; deployer's own `deployer-name` (the resource's full name) is cut and hashed past it.
def test_deployer_name_tag_stays_within_256_characters_and_unique(aws_plan):
    first, second = "a" * 290 + "-one", "a" * 290 + "-two"
    plan = aws_plan(f"topics: {{{first}: {{}}, {second}: {{}}, short: {{}}}}\n")
    tags = [plan.inputs("aws:sns/topic:Topic", name)["tags"]["deployer-name"] for name in (first, second)]
    assert all(len(tag) == 256 and tag.startswith("shop-prod-aaaa") for tag in tags)
    assert tags[0] != tags[1]
    assert plan.inputs("aws:sns/topic:Topic", "short")["tags"]["deployer-name"] == "shop-prod-short"


# Re-creating by name: production resources are retained (retainOnDelete) after they leave the spec or the
# stack, and a deleted secret goes asynchronously
# (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html): `up` then fails
# with the command that adopts the old resource, or when to run again.
def test_a_name_already_taken_in_aws_says_how_to_adopt_it_or_when_to_retry(tmp_path):
    path = tmp_path / "infra.yaml"
    path.write_text("app: shop\nprovider: aws\nenvironments: {prod: {type: production}}\naws: {region: eu-west-1}\n")
    env = resolve(load_spec(path), "prod")
    exists = ("creating SQS Queue (shop-prod-signups_crm): operation error SQS: CreateQueue, https response error "
              "StatusCode: 400, QueueAlreadyExists: A queue already exists with the same name and a different value")
    assert cloud("aws").failure_hint(env, exists) == (
        "shop-prod-signups_crm already exists in AWS: production resources stay there when they leave the spec or "
        "the stack (retainOnDelete), so adding one back finds the old one. Adopt it into the stack with `pulumi "
        "import --stack shop-prod TYPE LOGICAL-NAME shop-prod-signups_crm` (the type and logical name the error "
        "shows), or delete it in AWS if its data is not needed; then run `deployer up --env prod` again")
    deleting = ("creating Secrets Manager Secret (shop-pr-7-Token): operation error Secrets Manager: CreateSecret, "
                "InvalidRequestException: You can't create this secret because a secret with this name is already "
                "scheduled for deletion.")
    assert cloud("aws").failure_hint(env, deleting).startswith(
        "a secret named shop-pr-7-Token is still being deleted (Secrets Manager deletes even a secret removed at "
        "once asynchronously): run `deployer up --env prod` again in a minute")
    assert cloud("aws").failure_hint(env, "AccessDenied: not authorized to perform sns:CreateTopic") is None
