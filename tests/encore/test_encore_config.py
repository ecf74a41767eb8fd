"""`deployer outputs --format encore` against Encore's own definitions of infra.config.json: the
schema in infra_config.schema.json is derived field by field from encoredev/encore's
runtimes/go/appruntime/exported/config/infra/config.go (commit ca39363da12b6e8fd3187eaee33de13a11b314cb),
validation.go (commit 37f745dd9e18441da056a8ca48b6ee260a84f786) and runtimes/core/src/infracfg.rs
(commit 286d6bd6c7f9f561b96b4b6bb1caf496c9f9cab9): the Go decoder with its `Validate`, and Rust's serde."""

import copy

import pytest
from support.encore_schema import encore_errors

from deployer.encore import encore_config

pytestmark = pytest.mark.slow  # the example planned for AWS and GCP: seconds
@pytest.fixture(scope="module")
def planned(example_env, example_plan):
    """ENV -> (the outputs of its plan, its Encore config, what the config had to leave out)"""
    plans = {}
    for env_name in ("prod", "staging"):  # AWS, GCP
        env = example_env("shop-yaml", env_name)
        outputs = copy.deepcopy(example_plan("shop-yaml", env_name)["outputs"])  # the session's, unchanged
        gaps: list[str] = []
        plans[env_name] = outputs, encore_config(env, outputs, gaps), gaps
    return lambda env_name: copy.deepcopy(plans[env_name])


def test_an_aws_config_is_what_encores_decoders_accept(planned):
    outputs, config, gaps = planned("prod")
    assert encore_errors(config) == []
    assert config["metadata"] == {"app_id": "shop", "env_name": "prod", "env_type": "production", "cloud": "aws"}
    assert config["service_discovery"]["email"] == {"base_url": "https://email.internal.shop.example.com"}
    assert config["redis"]["sessions"]["auth"] == {"type": "auth_string", "auth_string": {"$env": "CACHE_SESSIONS_AUTH"}}
    # ElastiCache's certificate names its endpoint, from the system's trusted roots: verified as it is
    assert config["redis"]["sessions"]["tls_config"] == {}
    (storage,) = config["object_storage"]
    assert (storage["type"], storage["region"]) == ("s3", "eu-west-1")
    assert storage["buckets"]["public-assets"]["public_base_url"].startswith("https://")
    queue = outputs["services"]["crm"]["subscriptions"]["signups"]["crm-sync"]["queueUrl"]
    (pubsub,) = config["pubsub"]
    # Go validates `url`, Rust reads `arn`: both receive from the SQS queue
    assert pubsub["topics"]["signups"]["subscriptions"]["crm-sync"] == {"url": queue, "arn": queue}
    assert queue.startswith("https://sqs.eu-west-1.amazonaws.com/")
    # an SNS HTTPS push has no Encore form: left out, and said
    assert "send-welcome-email" not in pubsub["topics"]["signups"]["subscriptions"]
    assert gaps == [("topics.signups.subscriptions.send-welcome-email: left out of Encore's config: it is an SNS "
                    "HTTPS push to https://email.internal.shop.example.com/pubsub/send-welcome-email, and Encore's "
                    "AWS subscriptions are SQS queues its runtime receives from")]


def test_a_gcp_config_is_what_encores_decoders_accept_with_pushes_and_the_cache_ca(planned):
    outputs, config, gaps = planned("staging")
    assert encore_errors(config) == [] and gaps == []
    email = outputs["services"]["email"]
    (pubsub,) = config["pubsub"]
    push = pubsub["topics"]["signups"]["subscriptions"]["send-welcome-email"]
    assert push["push_config"] == {"id": "send-welcome-email", "service_account": email["callers"]["email"],
                                   "jwt_audience": "https://email.internal.shop.example.com"}
    assert push["push_config"]["service_account"].endswith(".iam.gserviceaccount.com")
    assert "push_config" not in pubsub["topics"]["signups"]["subscriptions"]["crm-sync"]  # a pull
    ca = outputs["services"]["storefront"]["caches"]["sessions"]["caCert"]
    # Memorystore's own CA, and a certificate that names the instance's IP address in its CN alone, which
    # TLS clients do not match (https://github.com/envoyproxy/ratelimit/pull/409)
    assert config["redis"]["sessions"]["tls_config"] == {"ca": ca, "disable_tls_hostname_verification": True}


def test_every_subscribed_topic_has_its_cloud_name_even_when_no_service_publishes_to_it(planned):
    _, config, _ = planned("staging")
    (pubsub,) = config["pubsub"]
    assert {name: topic["name"] for name, topic in pubsub["topics"].items()} == {
        "signups": "shop-staging-signups", "orders": "shop-staging-orders"}


def test_the_schema_refuses_what_encore_refuses(planned):
    _, aws, _ = planned("prod")
    old_form = copy.deepcopy(aws)  # the subscription as deployer wrote it before: its SQS ARN alone
    old_form["pubsub"][0]["topics"]["signups"]["subscriptions"]["crm-sync"] = {
        "arn": "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync"}
    assert encore_errors(old_form) == ["pubsub.0: {'type': 'aws_sns_sqs', 'topics': " + repr(
        old_form["pubsub"][0]["topics"]) + "} is not valid under any of the given schemas"]
    _, gcp, _ = planned("staging")
    del gcp["pubsub"][0]["topics"]["signups"]["subscriptions"]["send-welcome-email"]["push_config"]["jwt_audience"]
    del gcp["redis"]["sessions"]["database_index"]
    assert len(encore_errors(gcp)) == 2
