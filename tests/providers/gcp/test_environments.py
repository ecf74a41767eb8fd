"""Production against development and preview: sizes, protection and retention, cron."""

from support.gcp_planning import planned_resources

SPEC = """
caches: {sessions: {evictionPolicy: allkeys-lfu}}
buckets: {uploads: {}}
topics: {signups: {subscriptions: {audit: {service: api}}}}
secrets: [ApiKey]
cron: {nightly: {every: 24h, endpoint: {service: api, path: /cron/nightly}}}
services: {api: {url: "https://api.example.com", uses: {caches: [sessions], secrets: [ApiKey]}}}
"""
STATEFUL = {"gcp:redis/instance:Instance", "gcp:storage/bucket:Bucket", "gcp:pubsub/topic:Topic",
            "gcp:pubsub/subscription:Subscription", "gcp:secretmanager/secret:Secret"}


def test_production_caches_are_highly_available_snapshotted_and_guarded(gcp_plan):
    cache = gcp_plan(SPEC, "prod").inputs("gcp:redis/instance:Instance", "sessions")
    assert (cache["tier"], cache["memorySizeGb"]) == ("STANDARD_HA", 5)
    assert cache["persistenceConfig"] == {"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWENTY_FOUR_HOURS"}
    assert cache["deletionProtection"] is True
    assert cache["redisConfigs"] == {"maxmemory-policy": "allkeys-lfu"}


def test_development_caches_are_the_smallest_and_the_spec_may_size_them(gcp_plan):
    cache = gcp_plan(SPEC, "dev").inputs("gcp:redis/instance:Instance", "sessions")
    assert (cache["tier"], cache["memorySizeGb"], cache["deletionProtection"]) == ("BASIC", 1, False)
    sized = SPEC + "envTypes: {dev: {overrides: {caches: {sessions: {gcp: {tier: STANDARD_HA, memorySizeGb: 3}}}}}}\n"
    cache = gcp_plan(sized, "dev").inputs("gcp:redis/instance:Instance", "sessions")
    assert (cache["tier"], cache["memorySizeGb"]) == ("STANDARD_HA", 3)


def test_production_protects_and_retains_exactly_the_stateful_resources(gcp_env):
    resources = planned_resources(gcp_env(SPEC, "prod"))
    for resource in resources:
        stateful = resource.type in STATEFUL
        assert (resource.protect, resource.retain_on_delete) == (stateful, stateful), resource.name
    assert {r.type for r in resources if r.protect} == STATEFUL


def test_development_protects_nothing_and_buckets_go_with_their_objects(gcp_env, gcp_plan):
    assert not any(r.protect or r.retain_on_delete for r in planned_resources(gcp_env(SPEC, "dev")))
    assert gcp_plan(SPEC, "dev").inputs("gcp:storage/bucket:Bucket", "uploads")["forceDestroy"] is True
    assert gcp_plan(SPEC, "prod").inputs("gcp:storage/bucket:Bucket", "uploads")["forceDestroy"] is False


def test_preview_environments_get_no_cron_jobs_and_no_invoker(gcp_plan):
    preview = gcp_plan(SPEC, "pr-1")
    assert preview.all("gcp:cloudscheduler/job:Job") == []
    assert preview.names("gcp:serviceaccount/account:Account") == {"api"}
    assert gcp_plan(SPEC, "dev").names("gcp:cloudscheduler/job:Job") == {"nightly"}
    assert preview.inputs("gcp:pubsub/topic:Topic", "signups")["name"] == "shop-pr-1-signups"


def test_an_interval_no_single_cron_expression_can_say_takes_one_job_per_expression(gcp_plan):
    spec = SPEC.replace("every: 24h", "every: 90m")
    jobs = gcp_plan(spec, "dev").all("gcp:cloudscheduler/job:Job")
    assert {(j["name"], j["inputs"]["schedule"]) for j in jobs} == {
        ("nightly.1", "0 */3 * * *"), ("nightly.2", "30 1-23/3 * * *")}
