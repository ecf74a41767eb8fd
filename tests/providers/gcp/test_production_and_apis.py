"""GCP accounts as they are and production as it stays: the APIs a project must have on (a clear fix
when one is off), and production secret versions that survive a destroy and a rotation."""

import pytest
from pulumi import automation as auto
from pulumi.automation._cmd import CommandResult

from deployer.engine.stack import engine_errors
from deployer.errors import DeploymentFailed

SECRETS = """
secrets: [MailToken]
caches: {sessions: {}}
services: {mailer: {uses: {secrets: [MailToken], caches: [sessions]}}}
"""
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
# Google's answer when the program reads the project number (`organizations.getProject`) in a
# project whose Cloud Resource Manager API is off (as reported in
# terraform-google-modules/terraform-google-project-factory#715).
DISABLED = ("error: googleapi: Error 403: Cloud Resource Manager API has not been used in project 123456 before "
            "or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
            "cloudresourcemanager.googleapis.com/overview?project=123456 then retry.")


# https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret_version#deletion_policy
# (pulumi-gcp's `deletionPolicy`): ABANDON leaves the version in Secret Manager, enabled, where DELETE
# (the default) destroys it and DISABLE disables it.
@pytest.mark.parametrize("env, policy", [("prod", "ABANDON"), ("dev", "DELETE")])
def test_production_secret_versions_are_abandoned_never_destroyed_nor_disabled(gcp_plan, env, policy):
    plan = gcp_plan(SECRETS, env)
    versions = {version["name"]: version["inputs"]["deletionPolicy"] for version in plan.all(VERSION)}
    # the secrets' values, and each cache's AUTH string
    assert versions == {"MailToken.value": policy, "sessions.auth.value": policy}


# https://cloud.google.com/resource-manager/reference/rest/v1/projects/get: organizations.getProject
# calls the Cloud Resource Manager API, which a project may have off.
def test_a_switched_off_api_fails_with_the_command_that_enables_every_api_deployer_calls(gcp_env):
    env = gcp_env(SECRETS)
    with pytest.raises(DeploymentFailed) as failed, engine_errors(env):
        raise auto.CommandError(CommandResult("", DISABLED, 255))
    message = str(failed.value)
    assert DISABLED in message
    assert message.splitlines()[-1] == (
        "the API cloudresourcemanager.googleapis.com is switched off in project shop-test-1: enable every API "
        "deployer calls with `gcloud services enable cloudresourcemanager.googleapis.com iam.googleapis.com "
        "storage.googleapis.com pubsub.googleapis.com redis.googleapis.com secretmanager.googleapis.com "
        "cloudscheduler.googleapis.com compute.googleapis.com sqladmin.googleapis.com servicenetworking.googleapis.com "
        "--project shop-test-1`, wait a few minutes, and run "
        "again")


def test_other_failures_get_no_api_hint(gcp_env):
    with pytest.raises(DeploymentFailed) as failed, engine_errors(gcp_env(SECRETS)):
        raise auto.CommandError(CommandResult("", "error: quota exceeded", 255))
    assert "gcloud services enable" not in str(failed.value)
