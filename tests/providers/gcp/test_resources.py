"""The shop example's `staging` environment (GCP, development) planned offline, as `deployer plan` shows it."""

import json
from pathlib import Path

import pytest
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

EXAMPLE = Path(__file__).resolve().parents[3] / "examples/shop/infra.cue"
PROJECT = "shop-staging-1234"
INVOKER = f"shop-staging-deployer-invoker@{PROJECT}.iam.gserviceaccount.com"
AGENT = "serviceAccount:service-000000000000@gcp-sa-pubsub.iam.gserviceaccount.com"
SECRET_VALUE = "sk_live_do-not-print-me"


@pytest.fixture(scope="module")
def plan() -> PlanView:
    env = resolve(load_spec(EXAMPLE), "staging")
    return PlanView(build_plan(env, {"StripeAPIKey": SECRET_VALUE}))


def test_every_primitive_becomes_its_gcp_resources(plan):
    counts = {}
    for resource in plan.resources:
        counts[resource["type"]] = counts.get(resource["type"], 0) + 1
    assert counts["gcp:redis/instance:Instance"] == 2
    assert counts["gcp:storage/bucket:Bucket"] == 3
    assert counts["gcp:pubsub/topic:Topic"] == 2 + 3  # two topics, a dead-letter topic per subscription
    assert counts["gcp:pubsub/subscription:Subscription"] == 3 + 3
    assert counts["gcp:cloudscheduler/job:Job"] == 2
    assert counts["gcp:serviceaccount/account:Account"] == 5 + 1  # the services and the invoker
    assert counts["gcp:secretmanager/secret:Secret"] == 3 + 2  # used secrets, a cache AUTH string each
    assert "gcp:compute/backendBucket:BackendBucket" not in counts  # no domain: Cloud Storage serves it


def test_caches_are_small_basic_instances_with_auth_and_tls(plan):
    sessions = plan.inputs("gcp:redis/instance:Instance", "sessions")
    assert sessions["name"] == "shop-staging-sessions"
    assert (sessions["tier"], sessions["memorySizeGb"]) == ("BASIC", 1)
    assert sessions["redisConfigs"] == {"maxmemory-policy": "volatile-lru"}
    assert sessions["authEnabled"] is True
    assert sessions["transitEncryptionMode"] == "SERVER_AUTHENTICATION"
    assert sessions["authorizedNetwork"] == f"projects/{PROJECT}/global/networks/default"
    assert sessions["deletionProtection"] is False
    assert "persistenceConfig" not in sessions
    # envTypes.development overrides the catalog's eviction policy
    catalog = plan.inputs("gcp:redis/instance:Instance", "catalog")
    assert catalog["redisConfigs"] == {"maxmemory-policy": "allkeys-lru"}


def test_the_auth_string_reaches_only_the_cache_users(plan):
    version = plan.inputs("gcp:secretmanager/secretVersion:SecretVersion", "catalog.auth.value")
    assert version["secretData"] == "[secret]"
    assert plan.depends_on("gcp:secretmanager/secretVersion:SecretVersion", "catalog.auth.value") >= {
        ("gcp:redis/instance:Instance", "catalog"), ("gcp:secretmanager/secret:Secret", "catalog.auth")}
    readers = {r["inputs"]["member"] for r in plan.all("gcp:secretmanager/secretIamMember:SecretIamMember")
               if r["name"].startswith("catalog.auth.")}
    assert readers == {f"serviceAccount:shop-staging-{s}@{PROJECT}.iam.gserviceaccount.com"
                       for s in ("storefront", "fulfilment")}
    cache = plan.services["fulfilment"]["caches"]["catalog"]
    assert cache["authSecret"] == f"projects/{PROJECT}/secrets/shop-staging-catalog-redis-auth"
    assert (cache["host"], cache["port"], cache["tls"]) == ("10.0.0.3", 6378, True)
    assert cache["keyspaces"]["stock-level"] == {"pattern": "stock/:key", "key": "int", "value": "int",
                                                 "defaultExpiry": "keep-ttl"}


def test_buckets_are_private_uniform_and_follow_the_environment_overrides(plan):
    invoices = plan.inputs("gcp:storage/bucket:Bucket", "invoices")
    assert invoices["uniformBucketLevelAccess"] is True
    assert invoices["publicAccessPrevention"] == "enforced"
    assert invoices["forceDestroy"] is True  # development: destroyable with its objects
    # staging overrides: not versioned, one lifecycle rule
    assert invoices["versioning"] == {"enabled": False}
    assert invoices["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"age": 1, "matchesPrefixes": ["tmp/"]}}]
    assert invoices["location"] == "europe-west1"


def test_a_public_bucket_is_served_by_cloud_storage_over_https(plan):
    assets = plan.inputs("gcp:storage/bucket:Bucket", "public-assets")
    assert assets["publicAccessPrevention"] == "inherited"
    assert assets["cors"] == [{"origins": ["https://shop.example.com"], "methods": ["GET", "HEAD"],
                               "responseHeaders": [], "maxAgeSeconds": 3600}]
    read = plan.inputs("gcp:storage/bucketIAMMember:BucketIAMMember", "public-assets.allUsers")
    assert (read["member"], read["role"]) == ("allUsers", "roles/storage.legacyObjectReader")
    assert plan.services["storefront"]["buckets"]["public-assets"]["publicUrl"] == \
        f"https://storage.googleapis.com/{assets['name']}"
    assert "publicUrl" not in plan.services["storefront"]["buckets"]["avatars"]


def test_a_push_subscription_delivers_with_the_invokers_oidc_token(plan):
    sub = plan.inputs("gcp:pubsub/subscription:Subscription", "signups.send-welcome-email")
    assert sub["pushConfig"] == {
        "pushEndpoint": "https://email.internal.shop.example.com/pubsub/send-welcome-email",
        "oidcToken": {"serviceAccountEmail": INVOKER, "audience": "https://email.internal.shop.example.com"}}
    assert sub["retryPolicy"] == {"minimumBackoff": "10s", "maximumBackoff": "300s"}
    assert sub["deadLetterPolicy"] == {
        "deadLetterTopic": f"projects/{PROJECT}/topics/shop-staging-signups_send-welcome-email_dead-letter",
        "maxDeliveryAttempts": 12}
    assert (sub["ackDeadlineSeconds"], sub["messageRetentionDuration"]) == (30, "604800s")
    assert sub["enableExactlyOnceDelivery"] is False
    assert sub["expirationPolicy"] == {"ttl": ""}
    assert plan.services["email"]["subscriptions"]["signups"]["send-welcome-email"]["endpoint"] == \
        "https://email.internal.shop.example.com/pubsub/send-welcome-email"


def test_an_ordered_exactly_once_topic_gives_its_pull_subscription_both(plan):
    sub = plan.inputs("gcp:pubsub/subscription:Subscription", "orders.fulfil-order")
    assert sub["enableExactlyOnceDelivery"] is True
    assert sub["enableMessageOrdering"] is True
    assert "pushConfig" not in sub
    assert (sub["ackDeadlineSeconds"], sub["messageRetentionDuration"]) == (120, "259200s")
    assert sub["topic"] == f"projects/{PROJECT}/topics/shop-staging-orders"
    assert plan.inputs("gcp:pubsub/subscription:Subscription", "signups.crm-sync")["ackDeadlineSeconds"] == 60


def test_dead_letters_are_kept_and_the_pubsub_agent_gets_exactly_the_dead_letter_roles(plan):
    kept = plan.inputs("gcp:pubsub/subscription:Subscription", "signups.crm-sync.dead-letter")
    assert kept["topic"] == f"projects/{PROJECT}/topics/shop-staging-signups_crm-sync_dead-letter"
    assert (kept["messageRetentionDuration"], kept["expirationPolicy"]) == ("2678400s", {"ttl": ""})
    agent_grants = {
        (r["type"].rsplit(":", 1)[1], r["inputs"].get("topic") or r["inputs"].get("subscription"), r["inputs"]["role"])
        for r in plan.resources if r["inputs"].get("member") == AGENT and "pubsub" in r["type"]}
    expected = set()
    for topic, sub in (("signups", "send-welcome-email"), ("signups", "crm-sync"), ("orders", "fulfil-order")):
        expected.add(("TopicIAMMember", f"projects/{PROJECT}/topics/shop-staging-{topic}_{sub}_dead-letter",
                      "roles/pubsub.publisher"))
        expected.add(("SubscriptionIAMMember", f"projects/{PROJECT}/subscriptions/shop-staging-{topic}_{sub}",
                      "roles/pubsub.subscriber"))
    assert agent_grants == expected


def test_cron_jobs_post_in_utc_with_an_oidc_token(plan):
    digest = plan.inputs("gcp:cloudscheduler/job:Job", "send-digest")
    assert digest["schedule"] == "0 */2 * * *"
    assert digest["timeZone"] == "Etc/UTC"
    assert (digest["region"], digest["name"]) == ("europe-west1", "shop-staging-send-digest")
    assert digest["httpTarget"] == {
        "httpMethod": "POST", "uri": "https://email.internal.shop.example.com/cron/send-digest",
        "oidcToken": {"serviceAccountEmail": INVOKER, "audience": "https://email.internal.shop.example.com"}}
    assert plan.inputs("gcp:cloudscheduler/job:Job", "monthly-invoices")["schedule"] == "0 4 1 * *"
    assert ("gcp:serviceaccount/account:Account", "deployer.invoker") in plan.depends_on(
        "gcp:cloudscheduler/job:Job", "send-digest")


def test_only_used_secrets_are_stored_and_their_values_never_show(plan):
    assert plan.names("gcp:secretmanager/secret:Secret") == {
        "StripeAPIKey", "SendGridToken", "CRMToken", "sessions.auth", "catalog.auth"}
    stripe = plan.inputs("gcp:secretmanager/secret:Secret", "StripeAPIKey")
    assert stripe["secretId"] == "shop-staging-StripeAPIKey"
    assert stripe["replication"] == {"auto": {}}
    version = plan.inputs("gcp:secretmanager/secretVersion:SecretVersion", "StripeAPIKey.value")
    assert version["secretData"] == "[secret]"
    assert SECRET_VALUE not in json.dumps(plan.document)
    assert plan.services["billing"]["secrets"] == {
        "StripeAPIKey": f"projects/{PROJECT}/secrets/shop-staging-StripeAPIKey"}


def test_labels_carry_the_spec_labels_and_who_manages_the_resource(plan):
    labelled = [r for r in plan.resources if "labels" in r["inputs"]]
    assert {r["type"] for r in labelled} >= {
        "gcp:redis/instance:Instance", "gcp:storage/bucket:Bucket", "gcp:pubsub/topic:Topic",
        "gcp:pubsub/subscription:Subscription", "gcp:secretmanager/secret:Secret"}
    for resource in labelled:
        assert resource["inputs"]["labels"].items() >= {
            "team": "commerce", "app": "shop", "env": "staging", "managed-by": "deployer"}.items(), resource["name"]
    assert plan.inputs("gcp:storage/bucket:Bucket", "avatars")["labels"]["deployer-name"] == "avatars"


def test_each_service_has_its_own_identity_in_the_outputs(plan):
    assert {name: s["identity"] for name, s in plan.services.items()} == {
        name: f"shop-staging-{name}@{PROJECT}.iam.gserviceaccount.com"
        for name in ("storefront", "email", "crm", "fulfilment", "billing")}
    assert plan.document["outputs"]["provider"] == "gcp"
