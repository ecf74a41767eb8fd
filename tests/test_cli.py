"""`deployer init`, `validate` and `envs` as a user runs them: through deployer.cli.main (its exit codes and
error handling) in-process, and once through the installed console script."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
YAML_EXAMPLE = REPO / "examples/shop-yaml/infra.yaml"
INVALID = """\
app: shop
aws: {region: eu-west-1}
services:
  api: {url: "https://api.example.com"}
topics:
  signups:
    subscriptions:
      welcome: {service: emial}
"""


@pytest.mark.parametrize("flags, written", [((), "infra.cue"), (("--yaml",), "infra.yaml")])
def test_init_writes_a_starter_spec_that_validates(deployer, tmp_path, flags, written):
    made = deployer("--spec", str(tmp_path), "init", *flags)
    assert made.exit_code == 0, made.stderr
    assert f"wrote {tmp_path / written}" in made.stderr
    first_lines = "# yaml-language-server: $schema=infra.schema.json\n# deployer spec" if flags else "// deployer spec"
    assert (tmp_path / written).read_text().startswith(first_lines)
    checked = deployer("--spec", str(tmp_path), "validate")
    assert checked.exit_code == 0, checked.stderr
    assert f"{written} is valid (3 environments)" in checked.stderr


def test_init_does_not_overwrite_a_spec_without_force(deployer, tmp_path):
    (tmp_path / "infra.yaml").write_text("app: mine\n")
    refused = deployer("--spec", str(tmp_path), "init", "--yaml")
    assert refused.exit_code == 2
    assert "exists already (use --force to overwrite)" in refused.stderr
    assert (tmp_path / "infra.yaml").read_text() == "app: mine\n"
    assert deployer("--spec", str(tmp_path), "init", "--yaml", "--force").exit_code == 0
    assert "app: myapp" in (tmp_path / "infra.yaml").read_text()


def test_validate_passes_the_example(deployer):
    result = deployer("--spec", str(YAML_EXAMPLE.parent), "validate")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "infra.yaml is valid (4 environments)" in result.stderr


def test_validate_lists_every_problem_and_exits_1(deployer, spec_file):
    spec = spec_file(INVALID + "cron:\n  digest: {every: 7h, endpoint: {service: api, path: /cron/digest}}\n")
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code == 1
    assert f'{spec}:8: topics.signups.subscriptions.welcome.service: unknown service "emial"' in result.stderr
    assert f"{spec}:10: cron.digest.every: every 7h does not divide 24h evenly" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_json_is_the_list_of_problems(deployer, spec_file):
    spec = spec_file(INVALID)
    result = deployer("--spec", str(spec), "validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"valid": False, "problems": [{
        "file": str(spec), "line": 8, "path": "topics.signups.subscriptions.welcome.service",
        "message": 'unknown service "emial" (declared: api)',
    }]}
    valid = deployer("--spec", str(YAML_EXAMPLE), "validate", "--format", "json", "--env", "staging")
    assert valid.exit_code == 0
    assert json.loads(valid.stdout) == {"valid": True, "problems": []}


def test_validate_one_environment(deployer, spec_file):
    spec = spec_file(INVALID.replace("emial", "api") + """\
environments:
  prod: {type: prod}
  staging: {type: dev, provider: gcp}
""")
    assert deployer("--spec", str(spec), "validate", "--env", "prod").exit_code == 0
    staging = deployer("--spec", str(spec), "validate", "--env", "staging")
    assert staging.exit_code == 1
    assert "gcp.project: required: an environment targets gcp" in staging.stderr
    assert deployer("--spec", str(spec), "validate", "--env", "pr-7").exit_code == 0


def test_an_unknown_environment_is_exit_2_with_the_closest_name(deployer):
    result = deployer("--spec", str(YAML_EXAMPLE), "validate", "--env", "stagign")
    assert result.exit_code == 2
    assert 'unknown environment "stagign"; did you mean "staging"?' in result.stderr


def test_a_missing_spec_is_exit_2(deployer, tmp_path):
    result = deployer("--spec", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "no infra.cue or infra.yaml in" in result.stderr and "deployer init" in result.stderr


def test_envs_lists_name_type_provider_and_stack(deployer):
    table = deployer("--spec", str(YAML_EXAMPLE), "envs")
    assert table.exit_code == 0
    assert [line.split() for line in table.stdout.splitlines()] == [
        ["NAME", "TYPE", "PROVIDER", "STACK"],
        ["prod", "production", "aws", "shop-prod"],
        ["dev", "development", "aws", "shop-dev"],
        ["staging", "development", "gcp", "shop-staging"],
        ["local", "local", "aws", "shop-local"],
    ]
    assert "pr-<number>" in table.stderr


def test_envs_lists_what_it_can_of_an_invalid_spec(deployer, spec_file):
    result = deployer("--spec", str(spec_file("app: shop\nprovider: 5\n")), "envs")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split() == ["prod", "production", "5", "shop-prod"]


def test_envs_json(deployer):
    result = deployer("--spec", str(YAML_EXAMPLE), "envs", "--format", "json")
    assert result.exit_code == 0
    envs = json.loads(result.stdout)
    assert [(e["name"], e["type"], e["provider"], e["stack"], e["deployable"]) for e in envs] == [
        ("prod", "production", "aws", "shop-prod", True),
        ("dev", "development", "aws", "shop-dev", True),
        ("staging", "development", "gcp", "shop-staging", True),
        ("local", "local", "aws", "shop-local", False),
    ]


def test_the_console_script_validates_and_reports_problems(spec_file):
    script = Path(sys.executable).with_name("deployer")
    ok = subprocess.run([script, "--spec", str(YAML_EXAMPLE), "validate"], check=False, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    spec = spec_file(INVALID)
    bad = subprocess.run([script, "--spec", str(spec), "validate", "--format", "json"],
                         check=False, capture_output=True, text=True)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["problems"][0]["line"] == 8
    assert bad.stderr == ""


def test_a_problem_on_line_100_is_printed_as_written(deployer, spec_file):
    spec = spec_file("app: shop\naws: {region: eu-west-1}\n" + "\n" * 97 + "caches: {Bad: {}}\n")
    result = deployer("--spec", str(spec), "validate")
    assert f"{spec}:100: caches.Bad:" in result.stderr


def test_help_lists_the_commands_by_purpose_with_their_whole_descriptions(deployer):
    from deployer.cli import cli

    run = deployer("--help")
    assert run.exit_code == 0
    titles = [line for line in run.stdout.splitlines() if line and not line.startswith(" ")]
    assert titles[-6:] == ["Spec:", "Review:", "Deploy:", "Secrets:", "Local:", "This machine:"]
    text = " ".join(run.stdout.split())
    for name, command in cli.commands.items():
        first_paragraph = " ".join(command.help.split("\n\n")[0].split())
        assert f" {name} {first_paragraph}" in text, name  # whole, never cut with "..."
    commands = run.stdout.split("Spec:")[1]
    assert "..." not in commands
