"""Physical names within GCP's limits: shortened with a stable hash, the spec name kept in a label."""

import re

LONG = "notification-dispatcher-for-every-region"
SPEC = f"""
caches: {{{LONG}: {{}}}}
buckets: {{{LONG}-with-a-name-longer-than-any-bucket-may-have: {{}}}}
services: {{{LONG}: {{uses: {{caches: [{LONG}]}}}}}}
"""
SERVICE_ACCOUNT_ID = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]$")
MEMORYSTORE_ID = re.compile(r"^[a-z][-a-z0-9]{0,38}[a-z0-9]$")


def test_long_names_are_cut_to_each_limit_with_a_stable_hash(gcp_plan):
    first, second = gcp_plan(SPEC), gcp_plan(SPEC)
    account = first.inputs("gcp:serviceaccount/account:Account", LONG)["accountId"]
    cache = first.inputs("gcp:redis/instance:Instance", LONG)
    bucket = first.all("gcp:storage/bucket:Bucket")[0]["inputs"]["name"]
    assert SERVICE_ACCOUNT_ID.match(account) and len(account) <= 30
    assert MEMORYSTORE_ID.match(cache["name"]) and len(cache["name"]) <= 40
    assert len(bucket) <= 63 and bucket.startswith("shop-dev-notification")
    assert re.search(r"-[0-9a-f]{8}$", account) and re.search(r"-[0-9a-f]{8}$", cache["name"])
    assert second.inputs("gcp:serviceaccount/account:Account", LONG)["accountId"] == account
    assert second.inputs("gcp:redis/instance:Instance", LONG)["name"] == cache["name"]
    # the spec name, which with the app and env labels gives the full name
    assert cache["labels"]["deployer-name"] == LONG


def test_a_dead_letter_topic_keeps_its_suffix_when_shortened(gcp_plan):
    long_sub = "a-subscription-name-long-enough-to-be-cut" * 6
    plan = gcp_plan(f"""
topics: {{signups: {{subscriptions: {{{long_sub}: {{service: api}}}}}}}}
services: {{api: {{}}}}
""")
    topic = plan.inputs("gcp:pubsub/topic:Topic", f"signups.{long_sub}.dead-letter")["name"]
    assert len(topic) <= 255 and topic.endswith("_dead-letter")
