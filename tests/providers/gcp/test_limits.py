"""GCP's own limits: values it would refuse at `up` refused by `validate` where the spec writes them
(`FILE:LINE: path: message`), and what deployer builds so that `up` (and a second `up`) succeed.
Each test is named after GCP's rule, its documentation in a comment."""

import pytest

RETAINED = """\
services: {{crm: {{}}}}
topics: {{signups: {{subscriptions: {{sync: {{service: crm, messageRetention: {retention}}}}}}}}}
"""
CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"
RANDOM_ID = "random:index/randomId:RandomId"


# https://cloud.google.com/resource-manager/docs/labels-overview#requirements: keys are 1 to 63
# lowercase letters, digits, `_` and `-`, starting with a lowercase letter; values 0 to 63 of the same.
def test_gcp_label_keys_and_values_are_lowercase_letters_digits_underscores_and_hyphens(refusals):
    exit_code, problems = refusals("""\
gcp:
  project: shop-test-1
  region: europe-west1
  labels:
    Team: commerce
    cost-centre: "4711"
    owner: Alice
    tier: ""
    x-long: %s
""" % ("a" * 64))
    assert exit_code == 1
    assert [p.split(":", 1)[0] for p in problems] == ["8", "10", "12"]
    team, owner, long_value = problems
    assert team.startswith("8: gcp.labels.Team: GCP label keys are 1 to 63 lowercase letters, digits, `_` and `-`, "
                           "beginning with a lowercase letter: \"Team\" is not one (https://cloud.google.com/"
                           "resource-manager/docs/labels-overview#requirements)")
    assert owner.startswith("10: gcp.labels.owner: GCP label values are 0 to 63 lowercase letters")
    assert "x-long: GCP label values are 0 to 63" in long_value


# Same page: "Each resource can have a maximum of 64 labels"; deployer adds app, env, managed-by and
# deployer-name to each.
def test_gcp_allows_at_most_64_labels_per_resource_deployers_own_counted(refusals):
    def labelled(*keys: str) -> str:
        labels = "".join(f"    {key}: v\n" for key in keys)
        return f"gcp:\n  project: shop-test-1\n  region: europe-west1\n  labels:\n{labels}"

    own = [f"l{n}" for n in range(60)]
    too_many = ("7: gcp.labels: GCP allows at most 64 labels on a resource, and deployer adds app, env, "
                "managed-by, deployer-name: 65 in all (https://cloud.google.com/resource-manager/docs/"
                "labels-overview#requirements)")
    assert refusals(labelled(*own, "l60")) == (1, [too_many])
    # a label of deployer's own is replaced, not added: 60 of the user's and `app` make 64
    assert refusals(labelled(*own, "app")) == (0, [])


# https://cloud.google.com/pubsub/docs/subscription-properties#message_retention_duration: "Maximum
# value = 31 days" (it was 7 days until 2023: googleapis/google-cloud-go#8558).
def test_pubsub_keeps_unacknowledged_messages_up_to_31_days(refusals, gcp_plan):
    assert refusals(RETAINED.format(retention="31d")) == (0, [])
    assert refusals(RETAINED.format(retention="32d")) == (
        1, ["6: topics.signups.subscriptions.sync.messageRetention: GCP Pub/Sub allows 10m to 31d"])
    plan = gcp_plan(RETAINED.format(retention="31d"))
    assert plan.inputs("gcp:pubsub/subscription:Subscription", "signups.sync")["messageRetentionDuration"] == "2678400s"


# Same page: dead letters wait in their subscription as long as Pub/Sub keeps any message, 31 days.
def test_dead_letters_are_kept_as_long_as_pubsub_keeps_messages_31_days(gcp_plan):
    plan = gcp_plan(RETAINED.format(retention="1d"))
    dead_letters = plan.inputs("gcp:pubsub/subscription:Subscription", "signups.sync.dead-letter")
    assert dead_letters["messageRetentionDuration"] == "2678400s"


# https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts#ServiceAccount:
# displayName "The maximum length is 100 UTF-8 bytes."
def test_a_service_account_display_name_is_at_most_100_bytes(gcp_plan):
    long_name = "notifications-" + "x" * 90
    plan = gcp_plan(f"services: {{{long_name}: {{}}}}")
    display = plan.inputs("gcp:serviceaccount/account:Account", long_name)["displayName"]
    assert len(display.encode()) == 100
    assert display.startswith(f"shop dev: service {long_name[:40]}") and display.endswith("…")
    short = gcp_plan("services: {mailer: {}}").inputs("gcp:serviceaccount/account:Account", "mailer")
    assert short["displayName"] == "shop dev: service mailer"


UPLOADERS = """\
buckets: {reports: {}}
services:
  archiver: {uses: {buckets: {reports: [download, upload, remove]}}}
  writer: {uses: {buckets: {reports: [upload]}}}
"""


# https://cloud.google.com/storage/docs/multipart-uploads and
# https://cloud.google.com/storage/docs/access-control/iam-permissions: an XML API multipart upload needs
# storage.multipartUploads.create (start it, upload parts), .abort and .listParts besides
# storage.objects.create (a resumable upload needs storage.objects.create alone).
def test_an_upload_may_be_an_xml_api_multipart_upload(gcp_plan):
    plan = gcp_plan(UPLOADERS)
    role = plan.inputs(CUSTOM_ROLE, "objects.create-delete-get")
    assert role["permissions"] == [
        "storage.multipartUploads.abort", "storage.multipartUploads.create", "storage.multipartUploads.listParts",
        "storage.objects.create", "storage.objects.delete", "storage.objects.get"]
    # https://cloud.google.com/iam/docs/roles-permissions/storage#storage.objectCreator grants exactly these
    assert plan.inputs("gcp:storage/bucketIAMMember:BucketIAMMember", "reports.writer")["role"] == \
        "roles/storage.objectCreator"


# https://cloud.google.com/iam/docs/creating-custom-roles#deleting-custom-role: a deleted custom role's
# id cannot be used again until it is permanently deleted, 37 days after the deletion request.
# https://www.pulumi.com/registry/packages/random/api-docs/randomid/: `keepers` renew the value.
def test_a_custom_role_id_is_new_for_every_creation_of_the_role(gcp_plan):
    plan = gcp_plan(UPLOADERS)
    suffix = plan.one(RANDOM_ID, "objects.create-delete-get")
    assert suffix["inputs"]["byteLength"] == 4
    assert suffix["inputs"]["keepers"] == {"permissions": " ".join(
        plan.inputs(CUSTOM_ROLE, "objects.create-delete-get")["permissions"])}
    role_id = plan.inputs(CUSTOM_ROLE, "objects.create-delete-get")["roleId"]
    assert role_id.startswith("shop_dev_objects_create_delete_get_")
    assert len(role_id.rsplit("_", 1)[1]) == 8  # the random suffix: 4 bytes in hex
    assert plan.depends_on(CUSTOM_ROLE, "objects.create-delete-get") == {(RANDOM_ID, "objects.create-delete-get")}


def test_a_custom_role_whose_permissions_change_gets_a_new_id(gcp_plan, monkeypatch):
    from deployer.plan.diff import diff_plans
    from deployer.providers.gcp import bucket
    from deployer.providers.gcp.cloud import CLOUD

    before = gcp_plan(UPLOADERS)
    assert gcp_plan(UPLOADERS).inputs(CUSTOM_ROLE, "objects.create-delete-get") == \
        before.inputs(CUSTOM_ROLE, "objects.create-delete-get")  # the same permissions keep their id
    # a release of deployer that grants `download` one more permission: the same role, new permissions
    monkeypatch.setitem(bucket.BUCKET_PERMISSIONS, "download",
                        bucket.BUCKET_PERMISSIONS["download"] | {"storage.multipartUploads.list"})
    after = gcp_plan(UPLOADERS)
    diff = diff_plans("dev", "main", before.document, after.document, CLOUD)
    assert {(entry["type"], entry["name"]) for entry in diff.replaced} >= {
        (RANDOM_ID, "objects.create-delete-get"), (CUSTOM_ROLE, "objects.create-delete-get")}
    assert before.inputs(CUSTOM_ROLE, "objects.create-delete-get")["roleId"] != \
        after.inputs(CUSTOM_ROLE, "objects.create-delete-get")["roleId"]


PUSHED = """\
services: {{mailer: {{url: "{url}"}}}}
topics: {{signups: {{subscriptions: {{welcome: {{service: mailer, endpoint: /push}}}}}}}}
"""


# https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties: the
# endpoint is "a publicly accessible HTTPS address" whose server has a certificate signed by a CA.
def test_pubsub_pushes_to_https_endpoints_only(refusals):
    refused = ("5: services.mailer.url: GCP Pub/Sub pushes to HTTPS endpoints only (subscription signups.welcome, "
               "https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties): give an "
               "https:// url")
    assert refusals(PUSHED.format(url="http://mailer.internal")) == (1, [refused])
    assert refusals(PUSHED.format(url="https://mailer.example.com")) == (0, [])


# The same page: pushes go to "a publicly accessible HTTPS address"; a private or loopback address is
# never reached, and every message would end in the dead letters.
@pytest.mark.parametrize("address, host", [
    ("10.0.12.7", "10.0.12.7"), ("192.168.1.20:8443", "192.168.1.20"), ("127.0.0.1", "127.0.0.1"), ("[::1]", "::1"),
    ("localhost:3000", "localhost")])
def test_pubsub_pushes_to_public_addresses_only(refusals, address, host):
    exit_code, problems = refusals(PUSHED.format(url=f"https://{address}"))
    assert exit_code == 1
    [problem] = problems
    assert problem.startswith(f"5: services.mailer.url: {host} "
                              "is a private or loopback address, which GCP cannot reach from the internet: the calls "
                              "of subscription signups.welcome would never arrive")
    assert "https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties" in problem


CRON = """\
services: {{reports: {{url: "{url}"}}}}
cron: {{nightly: {{schedule: "0 3 * * *", endpoint: {{service: reports, path: /nightly}}}}}}
"""


# https://cloud.google.com/scheduler/docs/http-target-auth: Cloud Scheduler sends the OIDC token in the
# request's Authorization header, in clear over http:// (AWS's rules refuse it as well); a local
# environment's jobs are called by `deployer dev` instead.
def test_cloud_scheduler_calls_services_over_https_only(refusals):
    assert refusals(CRON.format(url="http://reports.example.com")) == (1, [
        "5: services.reports.url: Cloud Scheduler would send cron job nightly's OIDC token over http://, in clear: "
        "give an https:// url (http:// is for local environments)"])
    assert refusals(CRON.format(url="https://10.1.2.3"))[0] == 1
    assert refusals(CRON.format(url="https://reports.example.com")) == (0, [])
    assert refusals('cron: {nightly: {schedule: "0 3 * * *", endpoint: "https://172.16.0.9/run"}}\n')[1] == [
        "5: cron.nightly.endpoint: 172.16.0.9 is a private or loopback address, which GCP cannot reach from the "
        "internet: the calls of cron job nightly would never arrive (pushes would end in the dead letters); Pub/Sub "
        "and Cloud Scheduler call publicly addressable HTTPS servers with a certificate signed by a certificate "
        "authority (https://cloud.google.com/pubsub/docs/create-push-subscription#push_subscription_properties): "
        "give a public https:// url"]


CONCURRENT = """\
services: {{mailer: {{url: "https://mailer.example.com"}}}}
topics: {{signups: {{subscriptions: {{welcome: {{service: mailer{endpoint}, maxConcurrency: 8}}}}}}}}
"""


# https://cloud.google.com/pubsub/docs/push: "Pub/Sub dynamically adjusts the rate of push requests based
# on the rate at which it receives success responses": a push subscription has nothing that would apply
# maxConcurrency, and only a pull subscription's client can (its outputs carry it).
def test_pubsub_sets_the_rate_of_push_deliveries_itself(refusals, gcp_plan):
    assert refusals(CONCURRENT.format(endpoint=", endpoint: /push")) == (1, [
        "6: topics.signups.subscriptions.welcome.maxConcurrency: GCP Pub/Sub sets the rate of a push "
        "subscription's deliveries itself, from the rate of successful responses "
        "(https://cloud.google.com/pubsub/docs/push): nothing would apply maxConcurrency; drop it, or make the "
        "subscription a pull one (no endpoint), whose outputs carry it to the client"])
    assert refusals(CONCURRENT.format(endpoint="")) == (0, [])
    pulled = gcp_plan(CONCURRENT.format(endpoint="")).services["mailer"]["subscriptions"]["signups"]["welcome"]
    assert pulled["maxConcurrency"] == 8


# https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin: a project id
# "must be 6 to 30 characters in length", "can only contain lowercase letters, numbers, and hyphens",
# "must start with a letter", "cannot end with a hyphen", and holds no restricted string such as google.
@pytest.mark.parametrize("project", ["shop1", "Shop-test-1", "1shop-test", "shop-test-", "shop_test_1",
                                     "a-project-id-of-thirty-one-char", "my-google-shop"])
def test_gcp_project_ids_are_6_to_30_lowercase_letters_digits_and_hyphens(refusals, project):
    assert refusals(f"gcp: {{project: {project}, region: europe-west1}}\n") == (1, [
        f'4: gcp.project: "{project}" is not a GCP project id: 6 to 30 lowercase letters, digits and hyphens, '
        "beginning with a letter and not ending with a hyphen, without google, null, undefined, ssl "
        "(https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin)"])


@pytest.mark.parametrize("project", ["shop-1", "a-project-id-of-thirty-chars-1", "example.com:shop-test-1"])
def test_gcp_project_ids_of_6_to_30_characters_and_legacy_domain_scoped_ids_pass(refusals, project):
    assert refusals(f"gcp: {{project: {project}, region: europe-west1}}\n") == (0, [])


# https://cloud.google.com/compute/docs/regions-zones#available: the regions are a list, not a pattern;
# `eu-west1` has the shape of one and is none.
def test_gcp_regions_are_the_documented_list(refusals):
    assert refusals("gcp: {project: shop-test-1, region: eu-west1}\n") == (1, [
        '4: gcp.region: "eu-west1" is not a GCP region (https://cloud.google.com/compute/docs/regions-zones'
        '#available); did you mean "us-west1"?'])
    assert refusals("gcp: {project: shop-test-1, region: europe-west7}\n")[0] == 1
    for region in ("europe-west1", "us-central1", "africa-south1", "northamerica-south1", "europe-west12"):
        assert refusals(f"gcp: {{project: shop-test-1, region: {region}}}\n") == (0, [])
