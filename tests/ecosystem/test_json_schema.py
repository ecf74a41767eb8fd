"""The JSON Schema editors use for infra.yaml: shipped fresh, accepts the examples, points at mistakes."""

import copy
import json
import shutil

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from support.ecosystem import CUE_EXAMPLE, ROOT, YAML_EXAMPLE

from deployer.schema.generate import JSON_SCHEMA_FILE, render
from deployer.speclang.environments import EnvInfo
from deployer.speclang.load import load_spec, validate


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(JSON_SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def shop() -> dict:
    return yaml.safe_load(YAML_EXAMPLE.read_text())


def test_the_shipped_schema_is_the_one_the_model_generates():
    assert JSON_SCHEMA_FILE.read_text() == render("json-schema"), (
        "deployer/schema/infra.schema.json is stale: run `python -m deployer.schema`")


def test_deployer_schema_prints_the_shipped_schema_and_the_cue_definitions(deployer):
    printed = deployer("schema")
    assert (printed.exit_code, printed.stdout) == (0, JSON_SCHEMA_FILE.read_text())
    cue = deployer("schema", "--format", "cue", "--package", "infra")
    assert (cue.exit_code, cue.stdout) == (0, render("cue", "infra"))


def test_the_yaml_example_points_its_editor_at_the_shipped_schema():
    first_line = YAML_EXAMPLE.read_text().splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    target = (YAML_EXAMPLE.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert target == JSON_SCHEMA_FILE


def test_the_schema_is_shipped_inside_the_package():
    assert JSON_SCHEMA_FILE.is_relative_to(ROOT / "deployer")
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"**/*.json"' in pyproject  # the package-data glob that carries it into the wheel


def test_the_yaml_example_is_valid(validator, shop):
    assert [error.message for error in validator.iter_errors(shop)] == []


def test_the_cue_example_as_cue_exports_it_is_valid(validator):
    data = load_spec(CUE_EXAMPLE).data(EnvInfo("pr-7", "preview", "aws"))  # the example branches on previews
    assert [error.message for error in validator.iter_errors(data)] == []


def test_the_starter_specs_of_deployer_init_are_valid(validator, tmp_path):
    templates = ROOT / "deployer/templates"
    yaml_starter = yaml.safe_load((templates / "infra.yaml").read_text())
    shutil.copy(templates / "infra.cue", tmp_path)  # evaluated there: CUE's cache goes beside the spec
    cue_starter = load_spec(tmp_path / "infra.cue").data(EnvInfo("prod", "production", "aws"))
    for starter in (yaml_starter, cue_starter):
        assert [error.message for error in validator.iter_errors(starter)] == []


def test_the_short_forms_the_loader_accepts_are_valid(validator):
    spec = {
        "app": "shop",
        "secrets": ["StripeAPIKey", "CRMToken"],
        "envTypes": {"prod": {"overrides": {"caches": {"sessions": {"aws": {"replicas": 2}}}}}},
        "environments": {"live": {"type": "prod"}, "try": {"type": "pr"}},
        "caches": {"sessions": {"keyspaces": {"user": {"key": "string", "value": "int", "keyPattern": "u/:key",
                                                       "defaultExpiry": "1h30m"}}}},
    }
    assert [error.message for error in validator.iter_errors(spec)] == []


def test_defaults_and_descriptions_read_as_the_spec_is_written(validator):
    defs = validator.schema["$defs"]
    subscription = defs["Subscription"]["properties"]
    assert subscription["ackDeadline"]["default"] == "30s"
    assert subscription["messageRetention"]["default"] == "7d"
    assert defs["RetryPolicy"]["properties"]["maxBackoff"]["default"] == "10m"
    assert "allkeys-lru" == defs["Cache"]["properties"]["evictionPolicy"]["default"]
    assert "volatile-ttl" in defs["Cache"]["properties"]["evictionPolicy"]["enum"]
    undocumented = [f"{name}.{field}" for name, definition in defs.items()
                    for field, node in definition.get("properties", {}).items() if not node.get("description")]
    assert undocumented == []


def _set(data: dict, path: list, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


BROKEN = [
    pytest.param(["caches", "sessions", "evictionPolicy"], "most-recent",
                 "$.caches.sessions.evictionPolicy", "'most-recent' is not one of", id="unknown-enum-value"),
    pytest.param(["topics", "signups", "subscriptions", "crm-sync", "ackDeadline"], "1 minute",
                 "$.topics.signups.subscriptions['crm-sync'].ackDeadline", "does not match", id="bad-duration"),
    pytest.param(["environments", "prod", "overrides", "caches", "sessions", "aws", "replica"], 3,
                 "$.environments.prod.overrides.caches.sessions.aws", "'replica' was unexpected",
                 id="unknown-field-in-an-override"),
    pytest.param(["buckets", "Invoices_2"], {}, "$.buckets", "'Invoices_2' does not match", id="bad-bucket-name"),
    pytest.param(["caches", "sessions", "aws"], {"replicas": 9},
                 "$.caches.sessions.aws.replicas", "9 is greater than the maximum of 5", id="out-of-bounds"),
    pytest.param(["services", "storefront", "uses", "buckets", "avatars"], ["download", "delete"],
                 "$.services.storefront.uses.buckets.avatars[1]", "'delete' is not one of", id="bad-permission"),
    pytest.param(["environments", "staging", "type"], "staging",
                 "$.environments.staging.type", "'staging' is not one of", id="bad-env-type"),
]


@pytest.mark.parametrize(("path", "value", "where", "message"), BROKEN)
def test_a_broken_spec_fails_with_a_pointer_to_the_bad_place(validator, shop, tmp_path, path, value, where,
                                                               message):
    broken = copy.deepcopy(shop)
    _set(broken, path, value)
    error = best_match(validator.iter_errors(broken))
    assert error.json_path == where
    assert message in error.message
    # deployer itself refuses the same spec: the schema is no stricter and no looser here than the model
    spec_file = tmp_path / "infra.yaml"
    spec_file.write_text(yaml.safe_dump(broken))
    assert validate(load_spec(spec_file)) != []


def test_a_spec_without_its_app_fails_at_the_top(validator, shop):
    broken = {key: value for key, value in shop.items() if key != "app"}
    error = best_match(validator.iter_errors(broken))
    assert (error.json_path, error.message) == ("$", "'app' is a required property")
