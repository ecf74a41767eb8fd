"""`deployer outputs --format encore`: Encore's infra.config.json, built from the outputs of the real
example's plans (the same shape as a stack's outputs) and checked against the fields Encore's
runtime reads (runtimes/core/src/infracfg.rs), for AWS and GCP."""

import json
from pathlib import Path

import jsonschema
import pytest

from deployer.encore import encore_config
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

YAML_EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shop-yaml/infra.yaml"

ENV_REF = {"type": "object", "properties": {"$env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}},
           "required": ["$env"], "additionalProperties": False}


def closed(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def string_map(value: dict) -> dict:
    return {"type": "object", "additionalProperties": value}


BUCKETS = string_map(closed({"name": {"type": "string"}, "key_prefix": {"type": "string"},
                             "public_base_url": {"type": "string", "pattern": "^https?://"}}, ["name"]))
AWS_TOPICS = string_map(closed({"arn": {"type": "string", "pattern": "^arn:aws:sns:"},
                                "subscriptions": string_map(closed({"arn": {"type": "string",
                                                                            "pattern": "^arn:aws:s[nq]s:"}},
                                                                   ["arn"]))}, ["arn", "subscriptions"]))
GCP_TOPICS = string_map(closed({"name": {"type": "string"}, "project_id": {"type": "string"},
                                "subscriptions": string_map(closed({"name": {"type": "string"}}, ["name"]))},
                               ["name", "subscriptions"]))
# Encore's InfraConfig, as serde reads it (snake_case field names, "type"-tagged enums).
INFRA_CONFIG = closed({
    "$schema": {"const": "https://encore.dev/schemas/infra.schema.json"},
    "metadata": closed({"app_id": {"type": "string"}, "env_name": {"type": "string"},
                        "env_type": {"enum": ["development", "production", "ephemeral", "test"]},
                        "cloud": {"enum": ["aws", "gcp"]}, "base_url": {"type": "string"}}, []),
    "service_discovery": string_map(closed({"base_url": {"type": "string", "pattern": "^https?://"}},
                                           ["base_url"])),
    "redis": string_map(closed({
        "host": {"type": "string", "pattern": r"^[^:]+:\d+$"},
        "database_index": {"type": "integer"},
        "auth": closed({"type": {"enum": ["auth_string", "acl"]}, "auth_string": ENV_REF}, ["type", "auth_string"]),
        "tls_config": closed({"disabled": {"type": "boolean"}, "ca": {"type": "string"},
                              "disable_tls_hostname_verification": {"type": "boolean"}}, []),
    }, ["host", "database_index"])),
    "pubsub": {"type": "array", "items": {"oneOf": [
        closed({"type": {"const": "aws_sns_sqs"}, "topics": AWS_TOPICS}, ["type", "topics"]),
        closed({"type": {"const": "gcp_pubsub"}, "project_id": {"type": "string"}, "topics": GCP_TOPICS},
               ["type", "project_id", "topics"]),
    ]}},
    "object_storage": {"type": "array", "items": {"oneOf": [
        closed({"type": {"const": "s3"}, "region": {"type": "string"}, "buckets": BUCKETS}, ["type", "region", "buckets"]),
        closed({"type": {"const": "gcs"}, "endpoint": {"type": "string"}, "buckets": BUCKETS}, ["type", "buckets"]),
    ]}},
    "secrets": string_map(ENV_REF),
}, ["metadata"])


@pytest.fixture(scope="module")
def shop():
    return load_spec(YAML_EXAMPLE)


def config_of(shop, env_name: str) -> dict:
    env = resolve(shop, env_name)
    return encore_config(env, build_plan(env)["outputs"])


def test_aws_config_has_what_encores_runtime_reads(shop):
    config = config_of(shop, "prod")
    jsonschema.validate(config, INFRA_CONFIG)
    assert config["metadata"] == {"app_id": "shop", "env_name": "prod", "env_type": "production", "cloud": "aws"}
    assert config["service_discovery"]["email"] == {"base_url": "https://email.internal.shop.example.com"}
    sessions = config["redis"]["sessions"]
    assert sessions["host"].endswith(".cache.amazonaws.com:6379")
    assert sessions["auth"] == {"type": "auth_string", "auth_string": {"$env": "CACHE_SESSIONS_AUTH"}}
    (pubsub,) = config["pubsub"]
    assert pubsub["topics"]["signups"]["arn"] == "arn:aws:sns:eu-west-1:000000000000:shop-prod-signups"
    assert pubsub["topics"]["signups"]["subscriptions"]["crm-sync"] == {
        "arn": "arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups-crm-sync"}
    (storage,) = config["object_storage"]
    assert (storage["type"], storage["region"]) == ("s3", "eu-west-1")
    assert storage["buckets"]["avatars"] == {"name": "shop-prod-avatars"}
    assert storage["buckets"]["public-assets"]["public_base_url"].startswith("https://")


def test_gcp_config_has_what_encores_runtime_reads(shop):
    config = config_of(shop, "staging")
    jsonschema.validate(config, INFRA_CONFIG)
    assert config["metadata"]["cloud"] == "gcp" and config["metadata"]["env_type"] == "development"
    (pubsub,) = config["pubsub"]
    assert (pubsub["type"], pubsub["project_id"]) == ("gcp_pubsub", "shop-staging-1234")
    assert pubsub["topics"]["signups"]["subscriptions"]["crm-sync"] == {"name": "shop-staging-signups-crm-sync"}
    (storage,) = config["object_storage"]
    assert storage["type"] == "gcs"
    assert {name: bucket["name"] for name, bucket in storage["buckets"].items()} == {
        name: f"shop-staging-{name}" for name in ("avatars", "public-assets", "invoices")}
    assert config["redis"]["catalog"]["host"].endswith(":6378")


def test_secrets_are_environment_references_never_values(shop):
    env = resolve(shop, "prod")
    values = {"StripeAPIKey": "sk_live_abc123", "SendGridToken": "SG.xyz789", "CRMToken": "crm-token-42"}
    config = encore_config(env, build_plan(env, values)["outputs"])
    assert config["secrets"] == {name: {"$env": name} for name in values}
    text = json.dumps(config)
    assert not any(value in text for value in values.values())


def test_a_preview_is_ephemeral_for_encore(shop):
    assert config_of(shop, "pr-42")["metadata"]["env_type"] == "ephemeral"


def test_the_command_reads_state_so_needs_the_pulumi_cli(deployer, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = deployer("--spec", str(YAML_EXAMPLE), "outputs", "--env", "prod", "--format", "encore")
    assert result.exit_code == 4 and "the Pulumi CLI is not installed" in result.stderr
