"""What GCP may refuse at `up` that the spec cannot show, said before a deploy (the notes `preview` and
`up` print after their preflight) and named with the fix when GCP refuses (issue 23, points 19 and 20)."""

import pytest

from deployer.engine.preflight import notes
from deployer.providers.gcp.cloud import CLOUD
from deployer.speclang.load import load_spec, resolve

from .conftest import HEAD, SETTINGS


def services(count: int, bucket_permissions: str = "") -> str:
    uses = f"{{uses: {{buckets: {{files: [{bucket_permissions}]}}}}}}" if bucket_permissions else "{}"
    return ("buckets: {files: {}}\n" if bucket_permissions else "") + "services:\n" + "".join(
        f"  s{n}: {uses}\n" for n in range(count))


@pytest.fixture
def noted(spec_file):
    """The notes `up --env ENV` prints for HEAD + SETTINGS + BODY."""
    def run(body: str, env: str = "pr-3", head: str = HEAD + SETTINGS) -> list[str]:
        spec = load_spec(spec_file(head + body))
        return notes(spec, resolve(spec, env))

    return run


# https://cloud.google.com/iam/quotas: 100 service accounts per project by default. Each environment of
# this spec makes 12 (its services'), so prod and dev take 24 and 6 previews fit beside them.
def test_a_preview_warns_before_the_projects_service_accounts_run_out(noted):
    [warning] = noted(services(12))
    assert warning == (
        "warning: each preview of this spec makes 12 service accounts, and the other environments in project "
        "shop-test-1 24, of GCP's 100 per project (https://cloud.google.com/iam/quotas): 6 previews fit at once, "
        "fewer if the project holds others; raise the quota, or give previews a project of their own (gcp.project "
        "under envTypes.preview.overrides)")
    assert noted(services(4)) == []  # 23 previews fit
    assert noted(services(12), env="dev") == []  # only a preview warns


def test_previews_in_a_project_of_their_own_count_only_their_own(noted):
    own_project = "envTypes: {preview: {overrides: {gcp: {project: shop-previews-1}}}}\n"
    [warning] = noted(services(12) + own_project)
    assert "the other environments in project shop-previews-1 0, of GCP's 100 per project" in warning
    assert "8 previews fit at once" in warning


# https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/delete: "A deleted custom role still
# counts toward the custom role limit until it is permanently deleted", 7 days later; 300 per project
# (https://cloud.google.com/iam/quotas). Download and remove is no predefined role: a custom role each.
def test_a_preview_warns_before_deleted_custom_roles_run_out(noted, monkeypatch):
    monkeypatch.setattr("deployer.providers.gcp.preflight.CUSTOM_ROLES", 5)
    warnings = noted(services(1, "download, remove"))
    assert warnings == [
        "warning: each preview of this spec makes 1 custom roles, and the other environments in project shop-test-1 "
        "2, of GCP's 5 per project (https://cloud.google.com/iam/quotas): 3 previews fit within 7 days (a deleted "
        "custom role counts for 7 days, https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/delete), "
        "fewer if the project holds others; raise the quota, or give previews a project of their own (gcp.project "
        "under envTypes.preview.overrides)"]
    assert noted(services(1, "download")) == []  # roles/storage.legacyObjectReader: no custom role


# https://cloud.google.com/storage/docs/domain-name-verification: "a bucket name containing dots is a
# domain name", created only by a verified owner of the domain.
def test_a_bucket_name_with_dots_needs_its_domain_verified(noted):
    [note] = noted("buckets: {site: {name: static.shop.example.com}}\n", env="prod")
    assert note == ("bucket site is named static.shop.example.com, a domain name: Cloud Storage creates it only for a "
                    "verified owner of the domain (https://cloud.google.com/storage/docs/domain-name-verification): "
                    "verify it in Google Search Console, with the account deployer runs as among its owners")


# https://cloud.google.com/storage/docs/public-access-prevention and
# https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains: either policy
# refuses the allUsers member a public bucket needs.
def test_a_public_bucket_names_the_organisation_policies_that_refuse_it(noted):
    [note] = noted("buckets: {site: {public: true}}\n", env="prod")
    assert "storage.publicAccessPrevention (https://cloud.google.com/storage/docs/public-access-prevention)" in note
    assert "iam.allowedPolicyMemberDomains" in note and "ask its administrator to except the project" in note


@pytest.mark.parametrize("message, hint", [
    # googleapis/java-storage#2444 and ONLYOFFICE/ControlPanel#8: the errors GCP answers
    ("Error 400: One or more users named in the policy do not belong to a permitted customer.",
     "the organisation policy iam.allowedPolicyMemberDomains (domain restricted sharing) refuses allUsers"),
    ("Error 412: The member bindings allUsers and allAuthenticatedUsers are not allowed since public access "
     "prevention is enforced., conditionNotMet",
     "the organisation policy storage.publicAccessPrevention refuses the public buckets' allUsers reader"),
    # cloudfoundry/bosh-bootloader#513
    ("googleapi: Error 412: 'europe-west1' violates constraint 'constraints/gcp.resourceLocations', conditionNotMet",
     "the organisation policy gcp.resourceLocations does not allow europe-west1 (https://cloud.google.com/"
     "resource-manager/docs/organization-policy/defining-locations): choose an allowed region (gcp.region)"),
    # pulumi/pulumi-gcp#26, w3f/polkadot-deployer#148
    ("googleapi: Error 403: The bucket you tried to create requires domain ownership verification., forbidden",
     "a bucket name with dots is a domain name, which Cloud Storage gives only to a verified owner of the domain"),
])
def test_an_organisation_policy_refusing_up_is_named_with_its_fix(gcp_env, message, hint):
    failed = f"updating urn:pulumi:dev::shop::gcp:storage/bucket:Bucket: {message}"
    assert hint in CLOUD.failure_hint(gcp_env(""), failed)
    assert CLOUD.failure_hint(gcp_env(""), "googleapi: Error 409: already exists") is None


# https://cloud.google.com/sql/docs/postgres/configure-private-services-access: Cloud SQL's private IP needs
# one Private Service Access connection per VPC network, which deployer requires rather than creates.
def test_databases_say_before_up_that_their_network_needs_private_service_access(noted):
    [note] = noted("databases: {orders: {}}\n", env="prod")
    assert note.startswith("Cloud SQL reaches its databases on network default by Private Service Access")
    assert "https://cloud.google.com/sql/docs/postgres/configure-private-services-access" in note
