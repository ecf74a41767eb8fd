"""`deployer outputs --format encore`: Encore's infra.config.json, built from the outputs of the real
example's plans (the same shape as a stack's outputs); tests/encore checks it against Encore's own
definitions."""

import copy
import json
from pathlib import Path

import pytest

from deployer.encore import encore_config
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

YAML_EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shop-yaml/infra.yaml"


@pytest.fixture(scope="module")
def shop():
    return load_spec(YAML_EXAMPLE)


def test_secrets_are_environment_references_never_values(shop):
    env = resolve(shop, "prod")
    values = {"StripeAPIKey": "sk_live_abc123", "SendGridToken": "SG.xyz789", "CRMToken": "crm-token-42"}
    config = encore_config(env, build_plan(env, values)["outputs"])
    assert config["secrets"] == {name: {"$env": name} for name in values}
    text = json.dumps(config)
    assert not any(value in text for value in values.values())


def test_a_preview_is_ephemeral_for_encore(example_env, example_plan):
    config = encore_config(example_env("shop-yaml", "pr-42"), copy.deepcopy(example_plan("shop-yaml", "pr-42")["outputs"]))
    assert config["metadata"]["env_type"] == "ephemeral"


def test_the_command_reads_state_so_needs_the_pulumi_cli(deployer, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = deployer("--spec", str(YAML_EXAMPLE), "outputs", "--env", "prod", "--format", "encore")
    assert result.exit_code == 4 and "the Pulumi CLI is not installed" in result.stderr
