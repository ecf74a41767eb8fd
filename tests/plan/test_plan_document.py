"""build_plan: the CLI.md `plan --format json` document, from the real example through the real provider."""

import json
from pathlib import Path

import pytest

from deployer.errors import UsageError
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
YAML_EXAMPLE = EXAMPLES / "shop-yaml/infra.yaml"


@pytest.fixture(scope="module")
def shop():
    return load_spec(YAML_EXAMPLE)


@pytest.fixture(scope="module")
def prod_plan(example_plan):
    return example_plan("shop-yaml", "prod")


def test_document_has_the_documented_shape(prod_plan):
    assert list(prod_plan) == ["app", "env", "envType", "provider", "stack", "resources", "outputs"]
    assert (prod_plan["app"], prod_plan["env"], prod_plan["envType"], prod_plan["provider"],
            prod_plan["stack"]) == ("shop", "prod", "production", "aws", "shop-prod")
    for resource in prod_plan["resources"]:
        assert list(resource) == ["urn", "type", "name", "inputs", "dependsOn", "protect", "parent"]
        assert resource["urn"] == f"urn:pulumi:shop-prod::shop::{resource['type']}::{resource['name']}"
    json.dumps(prod_plan)  # the document is plain JSON


def test_resources_come_in_a_stable_order(shop, prod_plan):
    urns = [r["urn"] for r in prod_plan["resources"]]
    assert urns == sorted(urns)
    assert build_plan(resolve(shop, "prod")) == prod_plan


def test_secret_values_never_appear(shop):
    values = {"StripeAPIKey": "sk_live_abc123", "SendGridToken": "SG.xyz789", "CRMToken": "crm-token-42"}
    text = json.dumps(build_plan(resolve(shop, "prod"), values))
    for value in values.values():
        assert value not in text
    assert '"secretString": "[secret]"' in text


def test_every_used_secret_gets_a_version_without_values(prod_plan):
    versions = {r["name"]: r["inputs"]["secretString"] for r in prod_plan["resources"]
                if r["type"] == "aws:secretsmanager/secretVersion:SecretVersion"}
    assert versions == {name: "[secret]" for name in
                        ("CRMToken", "SendGridToken", "StripeAPIKey", "catalog.auth-token", "sessions.auth-token",
                         "billing.caller-key", "email.caller-key")}


def test_local_environment_is_refused(shop):
    with pytest.raises(UsageError, match="local environments are never deployed") as error:
        build_plan(resolve(shop, "local"))
    assert error.value.exit_code == 2
