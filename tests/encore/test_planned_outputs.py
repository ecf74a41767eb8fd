"""`deployer outputs --planned`: an environment's outputs (or its Encore config) before it is deployed,
computed offline from its plan, for review in a pull request; what only a deploy can tell is marked."""

import json
from pathlib import Path

import jsonschema
import pytest

SHOP = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"
UNKNOWN = "(known after deploy)"
ENCORE = json.loads((Path(__file__).parent / "infra_config.schema.json").read_text())


@pytest.mark.slow
def test_planned_encore_config_needs_no_state_and_says_what_encore_cannot_express(deployer, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no Pulumi CLI: nothing is read from a stack
    result = deployer("--spec", str(SHOP), "outputs", "-e", "prod", "--planned", "--format", "encore")
    assert result.exit_code == 0, result.stderr
    config = json.loads(result.stdout)
    jsonschema.validate(config, ENCORE)
    crm_sync = config["pubsub"][0]["topics"]["signups"]["subscriptions"]["crm-sync"]
    assert crm_sync == {"url": UNKNOWN, "arn": UNKNOWN}  # the queue URL holds the account: known after deploy
    # the bucket's name ends with a hash of the account: the mock account's would be a wrong name
    assert config["object_storage"][0]["buckets"]["avatars"]["name"] == UNKNOWN
    assert "note: topics.signups.subscriptions.send-welcome-email: left out of Encore's config" in result.stderr


@pytest.mark.slow
def test_planned_json_marks_only_what_the_cloud_assigns(deployer):
    result = deployer("--spec", str(SHOP), "outputs", "-e", "staging", "--planned")
    assert result.exit_code == 0, result.stderr
    storefront = json.loads(result.stdout)["services"]["storefront"]
    sessions = storefront["caches"]["sessions"]
    assert (sessions["host"], sessions["caCert"], sessions["port"]) == (UNKNOWN, UNKNOWN, 6378)
    assert storefront["identity"] == "shop-staging-storefront@shop-staging-1234.iam.gserviceaccount.com"
    assert storefront["topics"]["signups"]["id"] == "projects/shop-staging-1234/topics/shop-staging-signups"


def test_a_local_environment_has_no_plan(deployer):
    result = deployer("--spec", str(SHOP), "outputs", "-e", "local", "--planned")
    assert result.exit_code == 2 and "local environment" in result.stderr
