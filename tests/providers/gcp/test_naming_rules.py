"""GCP's naming rules: names that two resources would share never occur where GCP allows a separator no
spec name holds (`_`), `validate` refuses them where it allows none (service account ids), bucket
names are unique beyond the project, and a name GCP would refuse is refused by `validate`, located,
with the rule and its documentation address."""

import re

import pytest
from support.gcp_planning import BASE

SUBSCRIPTION = "gcp:pubsub/subscription:Subscription"
PROJECT_HASH = "3aea286b"  # sha256 of BASE's project shop-test-1, first 8 hex digits


# https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#Subscription: names are
# unique in a project and take letters, digits and `-_.~+%`.
def test_pubsub_subscriptions_that_join_alike_get_distinct_names(gcp_plan):
    plan = gcp_plan("""
    services: {api: {}}
    topics:
      aa-bb: {subscriptions: {cc: {service: api}}}
      aa: {subscriptions: {bb-cc: {service: api}}}
    """)
    names = {r["name"]: r["inputs"]["name"] for r in plan.all(SUBSCRIPTION)}
    assert names["aa-bb.cc"] == "shop-dev-aa-bb_cc" and names["aa.bb-cc"] == "shop-dev-aa_bb-cc"
    assert names["aa-bb.cc.dead-letter"] == "shop-dev-aa-bb_cc_dead-letter"
    assert len(set(names.values())) == len(names) == 4


# https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs: job ids are unique in
# a project and region (letters, digits, `-`, `_`); a Pulumi URN is unique in a stack.
def test_cloud_scheduler_jobs_of_a_split_schedule_never_meet_a_job_named_like_them(gcp_plan):
    plan = gcp_plan("""
    services: {api: {url: "https://api.example.com"}}
    cron:
      digest: {every: 90m, endpoint: {service: api, path: /digest}}
      digest-1: {schedule: "0 4 * * *", endpoint: {service: api, path: /digest-1}}
    """)
    jobs = {r["name"]: r["inputs"]["name"] for r in plan.all("gcp:cloudscheduler/job:Job")}
    assert jobs == {"digest.1": "shop-dev-digest_1", "digest.2": "shop-dev-digest_2", "digest-1": "shop-dev-digest-1"}


# https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create: account ids are
# [a-z]([-a-z0-9]*[a-z0-9]), unique in a project: no separator is left that a service name cannot hold.
def test_service_account_of_a_service_named_like_the_invoker_is_refused(deployer, tmp_path):
    spec = tmp_path / "infra.yaml"
    spec.write_text(BASE + 'services: {deployer-invoker: {url: "https://a.example.com"}}\n'
                    "cron: {digest: {schedule: 0 4 * * *, endpoint: {service: deployer-invoker, path: /d}}}\n")
    result = deployer("--spec", str(spec), "validate", "--env", "dev")
    assert result.exit_code != 0
    assert (f"{spec}:11: cron.digest: its invoker service account (it signs Pub/Sub pushes and Cloud Scheduler "
            'calls) "shop-dev-deployer-invoker" is also the service account of services.deployer-invoker: '
            "rename one of them") in result.stderr


# https://cloud.google.com/storage/docs/buckets#naming: bucket names are unique across all of Cloud
# Storage (and Google advises against project ids in them: anyone can probe a name).
def test_cloud_storage_bucket_names_carry_a_hash_of_the_project(gcp_plan):
    plan = gcp_plan("buckets: {avatars: {}, logos: {name: acme-shop-logos}}")
    assert plan.inputs("gcp:storage/bucket:Bucket", "avatars")["name"] == f"shop-dev-avatars-{PROJECT_HASH}"
    assert plan.inputs("gcp:storage/bucket:Bucket", "logos")["name"] == "acme-shop-logos"


# Each case: (spec body, the refused path, what the message says). Documentation:
# https://cloud.google.com/storage/docs/buckets#naming
# https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics#Topic
REFUSED = {
    "gcs-prefix-goog": ("buckets: {avatars: {name: goog-avatars}}", "buckets.avatars.name",
                        "Cloud Storage bucket names may not start with `goog`"),
    "gcs-contains-google": ("buckets: {avatars: {}}\nenvironments: {google: {type: development}}",
                            "buckets.avatars", "Cloud Storage bucket names may not contain `google`"),
    "gcs-close-misspelling": ("buckets: {avatars: {name: acme-g00gle-avatars}}", "buckets.avatars.name",
                              "Cloud Storage bucket names may not contain `google` or a close misspelling"),
    "gcs-ip-address": ("buckets: {avatars: {name: 192.168.5.4}}", "buckets.avatars.name",
                       "Cloud Storage bucket names may not be an IP address"),
    "gcs-part-length": (f"buckets: {{avatars: {{name: {'a' * 64}}}}}", "buckets.avatars.name",
                        "Cloud Storage bucket names are at most 63 characters between dots"),
    "pubsub-prefix-goog": ("app: goog-shop\ntopics: {signups: {}}", "topics.signups",
                           "Pub/Sub names may not start with `goog`"),
}


@pytest.mark.parametrize("body, path, says", REFUSED.values(), ids=REFUSED.keys())
def test_names_gcp_refuses_are_refused_by_validate(deployer, tmp_path, body, path, says):
    spec = tmp_path / "infra.yaml"
    text = BASE.replace("app: shop\n", "") if body.startswith("app:") else BASE
    if "environments:" in body:
        text = text[:text.index("environments:")]
    spec.write_text(f"{text}{body}\n")
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code != 0
    line = next(line for line in result.stderr.splitlines() if re.search(rf"infra\.yaml:\d+: {path}: ", line))
    assert says in line and "https://cloud.google.com/" in line
