"""Caches, buckets, secrets, names and tags under the mock runtime; production against development."""

import importlib
import inspect
import json
from pathlib import Path

import pytest

from deployer.plan.document import build_plan
from deployer.plan.offline import PlaceholderMocks, run_offline
from deployer.providers.aws.cloud import CLOUD
from deployer.speclang.load import load_spec, resolve

YAML_EXAMPLE = Path(__file__).resolve().parents[3] / "examples/shop-yaml/infra.yaml"
GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
SECRET = "aws:secretsmanager/secret:Secret"


@pytest.fixture(scope="module")
def shop():
    spec = load_spec(YAML_EXAMPLE)
    return {name: build_plan(resolve(spec, name)) for name in ("prod", "dev")}


def resource(plan: dict, type_: str, name: str) -> dict:
    return next(r for r in plan["resources"] if r["type"] == type_ and r["name"] == name)


def test_production_cache_has_replicas_failover_and_snapshots(shop):
    sessions = resource(shop["prod"], GROUP, "sessions")["inputs"]
    assert (sessions["numCacheClusters"], sessions["automaticFailoverEnabled"], sessions["multiAzEnabled"]) == \
        (3, True, True)  # prod overrides sessions to 2 replicas
    assert sessions["nodeType"] == "cache.r7g.large"
    assert sessions["snapshotRetentionLimit"] == 7
    assert sessions["finalSnapshotIdentifier"] == "shop-prod-sessions-final"
    assert resource(shop["prod"], GROUP, "catalog")["inputs"]["numCacheClusters"] == 2


def test_development_cache_is_one_small_node(shop):
    catalog = resource(shop["dev"], GROUP, "catalog")["inputs"]
    assert (catalog["numCacheClusters"], catalog["automaticFailoverEnabled"], catalog["nodeType"]) == \
        (1, False, "cache.t4g.micro")
    assert catalog["snapshotRetentionLimit"] == 0
    assert "finalSnapshotIdentifier" not in catalog


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_cache_is_encrypted_with_a_generated_auth_token_and_its_eviction_policy(shop, env):
    plan = shop[env]
    group = resource(plan, GROUP, "sessions")
    inputs = group["inputs"]
    assert inputs["atRestEncryptionEnabled"] and inputs["transitEncryptionEnabled"]
    assert inputs["authToken"] == "[secret]"
    password = resource(plan, "random:index/randomPassword:RandomPassword", "sessions")
    assert password["urn"] in group["dependsOn"]
    assert resource(plan, "aws:secretsmanager/secretVersion:SecretVersion", "sessions.auth-token")[
        "inputs"]["secretString"] == "[secret]"
    parameters = resource(plan, "aws:elasticache/parameterGroup:ParameterGroup", "sessions")["inputs"]
    assert parameters["family"] == "redis7"
    assert parameters["parameters"] == [{"name": "maxmemory-policy", "value": "volatile-lru"}]
    for type_ in ("aws:elasticache/parameterGroup:ParameterGroup", "aws:elasticache/subnetGroup:SubnetGroup",
                  "aws:ec2/securityGroup:SecurityGroup"):
        assert resource(plan, type_, "sessions")["urn"] in group["dependsOn"]


def test_cache_outputs_carry_endpoint_token_secret_and_keyspaces(shop):
    caches = shop["prod"]["outputs"]["services"]["storefront"]["caches"]
    sessions = caches["sessions"]
    assert sessions["host"].startswith("master.shop-prod-sessions.") and sessions["port"] == 6379
    assert sessions["authSecret"].startswith(
        "arn:aws:secretsmanager:eu-west-1:000000000000:secret:shop-prod-sessions-auth-token-")
    assert sessions["keyspaces"]["rate-limit"] == {
        "pattern": "ratelimit/:UserID/:Route", "key": {"UserID": "string", "Route": "string"},
        "value": "int", "defaultExpiry": "10s"}


def test_cache_in_a_configured_network(aws_plan):
    network = "{vpcId: vpc-1234, subnetIds: [subnet-a, subnet-b], securityGroupIds: [sg-app]}"
    plan = aws_plan("caches: {sessions: {}}", aws=f"{{region: eu-west-1, network: {network}}}")
    assert plan.inputs("aws:elasticache/subnetGroup:SubnetGroup", "sessions")["subnetIds"] == ["subnet-a", "subnet-b"]
    firewall = plan.inputs("aws:ec2/securityGroup:SecurityGroup", "sessions")
    assert firewall["vpcId"] == "vpc-1234"
    assert firewall["ingress"] == [{"protocol": "tcp", "fromPort": 6379, "toPort": 6379, "securityGroups": ["sg-app"]}]


def test_private_bucket_blocks_public_access_encrypts_and_denies_plain_http(shop):
    plan = shop["prod"]
    blocked = resource(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "avatars")["inputs"]
    assert all(blocked[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                             "restrictPublicBuckets"))
    encryption = resource(plan, "aws:s3/bucketServerSideEncryptionConfiguration:"
                                "BucketServerSideEncryptionConfiguration", "avatars")["inputs"]
    assert encryption["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    assert resource(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "avatars")["inputs"]["rule"] == \
        {"objectOwnership": "BucketOwnerEnforced"}
    policy = resource(plan, BUCKET_POLICY, "avatars")
    assert json.loads(policy["inputs"]["policy"])["Statement"] == [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
        "Resource": ["arn:aws:s3:::shop-prod-avatars-f7b11509", "arn:aws:s3:::shop-prod-avatars-f7b11509/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    assert resource(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "avatars")["urn"] \
        in policy["dependsOn"]
    assert not [r for r in plan["resources"] if r["type"] == "aws:s3/bucketVersioning:BucketVersioning"
                and r["name"] == "avatars"]


def test_public_bucket_stays_private_behind_cloudfront(shop):
    plan = shop["prod"]
    distribution = resource(plan, "aws:cloudfront/distribution:Distribution", "public-assets")
    access = resource(plan, "aws:cloudfront/originAccessControl:OriginAccessControl", "public-assets")
    assert access["inputs"]["signingBehavior"] == "always" and access["inputs"]["originAccessControlOriginType"] == "s3"
    assert distribution["inputs"]["origins"][0]["domainName"] == "shop-prod-public-assets-f7b11509.s3.eu-west-1.amazonaws.com"
    assert access["urn"] in distribution["dependsOn"]
    assert distribution["inputs"]["defaultCacheBehavior"]["viewerProtocolPolicy"] == "redirect-to-https"
    statements = json.loads(resource(plan, BUCKET_POLICY, "public-assets")["inputs"]["policy"])["Statement"]
    admitted = statements[1]
    assert admitted["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert admitted["Action"] == "s3:GetObject"
    assert admitted["Condition"]["StringEquals"]["AWS:SourceArn"].startswith(
        "arn:aws:cloudfront::000000000000:distribution/E")
    url = plan["outputs"]["services"]["storefront"]["buckets"]["public-assets"]["publicUrl"]
    assert url.startswith("https://d") and url.endswith(".cloudfront.net")


def test_versioning_cors_and_lifecycle_as_given(shop):
    plan = shop["prod"]
    assert resource(plan, "aws:s3/bucketVersioning:BucketVersioning", "invoices")["inputs"][
        "versioningConfiguration"] == {"status": "Enabled"}
    assert resource(plan, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "public-assets")["inputs"][
        "corsRules"] == [{"allowedOrigins": ["https://shop.example.com"], "allowedMethods": ["GET", "HEAD"],
                          "maxAgeSeconds": 3600}]
    rules = resource(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "invoices")[
        "inputs"]["rules"]
    assert rules == [
        {"id": "rule-1", "status": "Enabled", "filter": {"prefix": "tmp/"}, "expiration": {"days": 7}},
        {"id": "rule-2", "status": "Enabled", "filter": {"prefix": ""},
         "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}]},
        {"id": "rule-3", "status": "Enabled", "filter": {"prefix": ""},
         "noncurrentVersionExpiration": {"noncurrentDays": 90}},
    ]


def test_production_protects_stateful_resources_and_development_nothing(shop):
    stateful = {BUCKET, GROUP, SECRET, "aws:sns/topic:Topic", "aws:sqs/queue:Queue"}
    for r in shop["prod"]["resources"]:
        assert r["protect"] == (r["type"] in stateful), (r["type"], r["name"])
    assert not any(r["protect"] for r in shop["dev"]["resources"])
    assert {r["inputs"]["forceDestroy"] for r in shop["prod"]["resources"] if r["type"] == BUCKET} == {False}
    assert {r["inputs"]["forceDestroy"] for r in shop["dev"]["resources"] if r["type"] == BUCKET} == {True}
    assert {r["inputs"]["recoveryWindowInDays"] for r in shop["dev"]["resources"] if r["type"] == SECRET} == {0}


def test_production_retains_stateful_resources_on_delete():
    env = resolve(load_spec(YAML_EXAMPLE), "prod")
    run = run_offline(lambda: CLOUD.program()(env, {"StripeAPIKey": "x", "SendGridToken": "y", "CRMToken": "z"}),
                      PlaceholderMocks(*CLOUD.mocks()), env.app, env.stack)
    assert {r.retain_on_delete for r in run.resources if r.type == BUCKET} == {True}
    assert {(r.type, r.retain_on_delete) for r in run.resources if r.type.startswith("aws:iam/")} == {
        ("aws:iam/role:Role", False), ("aws:iam/rolePolicy:RolePolicy", False)}


def test_secret_per_used_secret_only(aws_plan):
    plan = aws_plan("""
    secrets: {Used: {description: used by api}, Unused: {}}
    services: {api: {uses: {secrets: [Used]}}}
    """)
    assert [r["name"] for r in plan.all(SECRET)] == ["Used"]
    assert plan.inputs(SECRET, "Used")["name"] == "shop-prod-Used"
    assert plan.inputs(SECRET, "Used")["description"] == "used by api"


def test_long_names_are_shortened_with_a_stable_hash_and_the_full_name_tagged(aws_plan):
    long = "a-very-long-name-for-a-thing-that-keeps-going-on"
    plan = aws_plan(f"""
    buckets: {{{long}-and-on: {{}}}}
    caches: {{{long}: {{}}}}
    services: {{consumer: {{}}}}
    topics: {{{long}: {{deliveryGuarantee: exactly-once, subscriptions: {{{long}: {{service: consumer}}}}}}}}
    """)
    bucket = plan.inputs(BUCKET, f"{long}-and-on")
    assert len(bucket["bucket"]) == 63 and bucket["bucket"].startswith("shop-prod-a-very-long")
    assert bucket["tags"]["deployer-name"] == f"shop-prod-{long}-and-on"
    cache = plan.inputs(GROUP, long)["replicationGroupId"]
    assert len(cache) <= 40 and cache.startswith("shop-prod-a-very-long") and cache[-9] == "-"
    queue = plan.inputs("aws:sqs/queue:Queue", f"{long}.{long}")["name"]
    assert len(queue) <= 80 and queue.endswith(".fifo") and queue.startswith("shop-prod-a-very-long")
    again = aws_plan(f"""
    buckets: {{{long}-and-on: {{}}}}
    """)
    assert again.inputs(BUCKET, f"{long}-and-on")["bucket"] == bucket["bucket"]


def taggable(type_token: str) -> bool:
    package, module, name = type_token.split(":")
    if package != "aws":
        return False
    cls = getattr(importlib.import_module(f"pulumi_aws.{module.split('/')[0]}"), name)
    return "tags" in inspect.signature(cls._internal_init).parameters


def test_everything_taggable_carries_the_tags(shop):
    tagged = [r for r in shop["prod"]["resources"] if taggable(r["type"])]
    assert len(tagged) > 30
    for r in tagged:
        tags = r["inputs"].get("tags")
        assert tags and {k: tags[k] for k in ("app", "env", "managed-by", "team")} == {
            "app": "shop", "env": "prod", "managed-by": "deployer", "team": "commerce"}, (r["type"], r["name"])
