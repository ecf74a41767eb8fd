"""Least privilege on GCP: a service account per service, roles on each resource, never on the project."""

import pytest
from support.gcp_planning import write_spec
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

SPEC = """
buckets: {media: {public: true}, reports: {}}
topics:
  signups:
    subscriptions:
      audit: {service: auditor}
      welcome: {service: mailer, endpoint: /push/welcome}
caches: {sessions: {}}
secrets: [MailToken, AuditKey]
services:
  reader:    {uses: {buckets: {reports: [download]}}}
  browser:   {uses: {buckets: {reports: [download, list]}}}
  writer:    {uses: {buckets: {reports: [upload]}, topics: {signups: [publish]}}}
  inspector: {uses: {buckets: {reports: [attrs, download]}}}
  linker:    {uses: {buckets: {media: [public-url]}}}
  archiver:  {uses: {buckets: {reports: [download, upload, remove]}}}
  janitor:   {uses: {buckets: {reports: [remove, upload, download]}}}
  auditor:   {uses: {secrets: [AuditKey], caches: [sessions]}}
  mailer:    {url: "https://mailer.example.com", uses: {secrets: [MailToken]}}
"""
PROJECT = "shop-test-1"
# IAM on a single resource: what deployer grants with. Project, folder and organization IAM never.
RESOURCE_LEVEL_IAM = {
    "gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:pubsub/topicIAMMember:TopicIAMMember",
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    "gcp:secretmanager/secretIamMember:SecretIamMember", "gcp:serviceaccount/iAMMember:IAMMember",
}


def member(service: str) -> str:
    return f"serviceAccount:shop-dev-{service}@{PROJECT}.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> PlanView:
    return PlanView(build_plan(resolve(load_spec(write_spec(tmp_path_factory.mktemp("spec"), SPEC)), "dev")))


def grants(plan: PlanView, type_: str) -> dict[str, str]:
    """member -> role of every grant of `type_`."""
    return {r["inputs"]["member"]: r["inputs"]["role"] for r in plan.all(type_)}


@pytest.mark.parametrize("service, role", [
    ("reader", "roles/storage.legacyObjectReader"),   # objects.get only: objectViewer would also list
    ("browser", "roles/storage.objectViewer"),
    ("writer", "roles/storage.objectCreator"),
    ("inspector", "roles/storage.legacyObjectReader"),
])
def test_a_predefined_role_where_one_grants_exactly_the_operations(plan, service, role):
    assert plan.inputs("gcp:storage/bucketIAMMember:BucketIAMMember", f"reports.{service}") == {
        "bucket": "shop-dev-reports-3aea286b", "role": role, "member": member(service)}


def test_a_custom_role_where_no_predefined_role_is_narrow_enough(plan):
    role = plan.inputs("gcp:projects/iAMCustomRole:IAMCustomRole", "objects.create-delete-get")
    assert role["permissions"] == ["storage.multipartUploads.abort", "storage.multipartUploads.create",
                                   "storage.multipartUploads.listParts", "storage.objects.create",
                                   "storage.objects.delete", "storage.objects.get"]
    assert role["roleId"].startswith("shop_dev_objects_create_delete_get_")  # and a random suffix
    path = f"projects/{PROJECT}/roles/{role['roleId']}"
    # two services with the same operations share the role
    for service in ("archiver", "janitor"):
        assert plan.inputs("gcp:storage/bucketIAMMember:BucketIAMMember", f"reports.{service}")["role"] == path
    assert len(plan.all("gcp:projects/iAMCustomRole:IAMCustomRole")) == 1


def test_public_url_alone_needs_no_grant(plan):
    assert not any(r["inputs"]["member"] == member("linker") for r in plan.resources if "member" in r["inputs"])


def test_publishers_and_pull_subscribers_are_granted_on_their_own_topic_and_subscription(plan):
    assert grants(plan, "gcp:pubsub/topicIAMMember:TopicIAMMember")[member("writer")] == "roles/pubsub.publisher"
    subscription_grants = {(r["inputs"]["subscription"], r["inputs"]["member"])
                           for r in plan.all("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember")
                           if r["inputs"]["member"].startswith("serviceAccount:shop-dev-")}
    # the push subscription's service never pulls: it is given nothing
    assert subscription_grants == {(f"projects/{PROJECT}/subscriptions/shop-dev-signups_audit", member("auditor"))}


def test_secrets_and_cache_auth_strings_are_readable_only_by_their_users(plan):
    readers = {(r["name"].rsplit(".", 1)[0], r["inputs"]["member"], r["inputs"]["role"])
               for r in plan.all("gcp:secretmanager/secretIamMember:SecretIamMember")}
    accessor = "roles/secretmanager.secretAccessor"
    assert readers == {("AuditKey", member("auditor"), accessor), ("MailToken", member("mailer"), accessor),
                       ("sessions.auth", member("auditor"), accessor)}


def test_the_invoker_only_lets_pubsub_mint_its_tokens(plan):
    grant = plan.inputs("gcp:serviceaccount/iAMMember:IAMMember", "deployer.invoker.pubsub-tokens")
    assert grant["role"] == "roles/iam.serviceAccountTokenCreator"
    assert grant["serviceAccountId"] == (f"projects/{PROJECT}/serviceAccounts/"
                                         f"shop-dev-deployer-invoker@{PROJECT}.iam.gserviceaccount.com")


def test_no_iam_outside_a_single_resource(plan):
    iam = {r["type"] for r in plan.resources if "iam" in r["type"].lower() and "CustomRole" not in r["type"]}
    assert iam <= RESOURCE_LEVEL_IAM
    assert not any(r["type"].startswith(("gcp:projects/iAM", "gcp:organizations/iAM", "gcp:folder/iAM"))
                   and "CustomRole" not in r["type"] for r in plan.resources)
    members = {r["inputs"]["member"] for r in plan.resources if r["type"] in RESOURCE_LEVEL_IAM}
    assert all(m.startswith("serviceAccount:") or m == "allUsers" for m in members)
    assert grants(plan, "gcp:storage/bucketIAMMember:BucketIAMMember")["allUsers"] == "roles/storage.legacyObjectReader"
