"""The JSON Schema as editors and validators use it: `deployer init --yaml` points its spec at a schema
that resolves for whoever clones the repository, and the schema says what it can in readable words.
Checked with check-jsonschema (the CLI users run) and jsonschema, against specs, never against a
schema written here."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from support.ecosystem import YAML_EXAMPLE

from deployer.schema.generate import JSON_SCHEMA_FILE
from deployer.schema.json_schema import cron_pattern, schema_nodes
from deployer.speclang.cronexpr import schedule_problem

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
SCHEMA = json.loads(JSON_SCHEMA_FILE.read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
JOB = {"endpoint": {"service": "api", "path": "/cron"}}


def check_jsonschema(schema: Path, *documents: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *map(str, documents)],
                          capture_output=True, text=True, check=False)


def spec_with_job(**job) -> dict:
    return {"app": "shop", "services": {"api": {"url": "https://api.example.com"}}, "cron": {"nightly": job}}


def errors(document: dict) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


def test_init_yaml_writes_a_modeline_and_the_schema_it_names_beside_the_spec(deployer, tmp_path):
    made = deployer("--spec", str(tmp_path / "infra"), "init", "--yaml")
    assert made.exit_code == 0, made.stderr
    spec = tmp_path / "infra/infra.yaml"
    modeline = spec.read_text().splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=infra.schema.json"
    # the path is relative to the spec: it resolves in any clone, offline
    written = spec.parent / modeline.split("$schema=")[1]
    assert json.loads(written.read_text()) == SCHEMA
    checked = check_jsonschema(written, spec)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_check_jsonschema_accepts_the_example_and_refuses_a_bad_duration_without_talking_of_null(tmp_path):
    assert check_jsonschema(JSON_SCHEMA_FILE, YAML_EXAMPLE).returncode == 0
    broken = tmp_path / "infra.yaml"
    broken.write_text(YAML_EXAMPLE.read_text().replace("defaultExpiry: 7d", "defaultExpiry: 7days", 1))
    checked = check_jsonschema(JSON_SCHEMA_FILE, broken)
    assert checked.returncode == 1 and "7days" in checked.stdout
    assert "null" not in checked.stdout


def test_no_optional_field_allows_null():
    assert [node for node in schema_nodes(SCHEMA) if node.get("type") == "null"] == []
    assert errors(spec_with_job(**JOB, every="1h", title=None)) == ["None is not of type 'string'"]


@pytest.mark.parametrize("job, valid", [({"every": "1h"}, True), ({"schedule": "0 4 * * *"}, True),
                                        ({"every": "1h", "schedule": "0 4 * * *"}, False), ({}, False)])
def test_a_cron_job_gives_exactly_one_of_every_and_schedule_with_a_message_editors_show(job, valid):
    assert (errors(spec_with_job(**JOB, **job)) == []) is valid
    (rule,) = SCHEMA["$defs"]["CronJob"]["allOf"]
    assert rule["errorMessage"] == "give exactly one of `every` (an interval, e.g. 1h) and `schedule` (a cron expression)"
    # an override of a job may give neither
    override = {"app": "shop", "environments": {"prod": {"type": "production", "overrides": {"cron": {"nightly": {"title": "x"}}}}}}
    assert errors(override) == []


@pytest.mark.parametrize("expression", [
    "0 4 * * *", "*/15 * * * *", "0 0 1 JAN mon-fri", "1-5/2 0,12 1-31 1-12 0-7", "05 4 * * SUN",
    "60 * * * *", "0 24 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "* * * *", "0 0 * * */0",
    "0 0 * foo *", "0 0 32 * *", "* * * * * *", "0-60 * * * *", "0 0 * * mon-sun",
])
def test_the_schedule_pattern_accepts_exactly_the_expressions_validation_accepts(expression):
    assert bool(re.fullmatch(cron_pattern(), expression)) == (schedule_problem(expression) is None)
    assert (errors(spec_with_job(**JOB, schedule=expression)) == []) == (schedule_problem(expression) is None)


def test_durations_carry_a_readable_message_and_a_markdown_description():
    durations = [node for node in schema_nodes(SCHEMA) if node.get("pattern") == r"^(\d+(ms|s|m|h|d))+$"]
    assert durations and all(node["errorMessage"].startswith("a duration is a number and a unit")
                             and "`1h30m`" in node["markdownDescription"] for node in durations)
    schedule = SCHEMA["$defs"]["CronJob"]["properties"]["schedule"]
    assert "minute (0-59) hour (0-23)" in schedule["errorMessage"]


def test_the_example_documents_validate_in_process_too():
    assert errors(yaml.safe_load(YAML_EXAMPLE.read_text())) == []
