"""`deployer plan` through the real CLI: formats, streams and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
YAML_EXAMPLE = REPO / "examples/shop-yaml"


@pytest.fixture(scope="module")
def plan_json(deployer):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "dev", "--format", "json")
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def test_json_is_the_plan_document_alone_on_stdout(plan_json):
    assert (plan_json["stack"], plan_json["envType"], plan_json["provider"]) == ("shop-dev", "development", "aws")
    assert any(r["type"] == "aws:sqs/queue:Queue" and r["name"] == "signups.crm-sync"
               for r in plan_json["resources"])
    assert plan_json["outputs"]["services"]["crm"]["subscriptions"]["signups"]["crm-sync"]["queueUrl"] == \
        "https://sqs.eu-west-1.amazonaws.com/000000000000/shop-dev-signups_crm-sync"


def test_table_lists_every_resource_under_its_spec_entry_and_summarises_on_stderr(deployer, plan_json):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "dev")
    assert run.exit_code == 0, run.stderr
    header, *lines = run.stdout.splitlines()
    assert header.split("\t") == ["ENTRY", "TYPE", "NAME", "PROTECTED"]
    assert len(lines) == len(plan_json["resources"])
    rows = [line.split("\t") for line in lines]
    for queue in ("signups.crm-sync", "signups.crm-sync.dead-letter"):
        assert ["subscription signups.crm-sync", "aws:sqs:Queue", queue, ""] in rows
    assert ["cache sessions", "random:index:RandomPassword", "sessions", ""] in rows
    assert ["service billing", "aws:secretsmanager:Secret", "billing.caller-key", ""] in rows
    assert ["cron job send-digest", "aws:iam:Role", "cron.send-digest", ""] in rows
    assert ["environment", "pulumi:providers:aws", "aws", ""] in rows
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # each entry's resources together
    assert f"shop-dev (aws, development): {len(lines)} resources, 0 protected" in run.stderr


def test_on_a_terminal_the_resources_are_a_tree_under_their_entry(deployer, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: the streams are terminals
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "prod")
    lines = run.stdout.splitlines()
    bucket = lines.index("bucket avatars")
    assert lines[bucket + 1] == "├─ aws:s3:Bucket  avatars  protected"
    assert lines[bucket + 5] == "└─ aws:s3:BucketServerSideEncryptionConfiguration  avatars"


def test_markdown_is_a_summary_then_a_folded_block(deployer, plan_json):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "prod", "--format", "markdown")
    assert run.exit_code == 0, run.stderr
    first, *rest = run.stdout.splitlines()
    assert first.startswith("**deployer plan** shop-prod (aws, production): ") and "protected" in first
    body = "\n".join(rest)
    assert "<details><summary>Resources</summary>" in body and body.rstrip().endswith("</details>")
    assert "| `aws:s3:Bucket` | 3 |" in body
    assert "\nbucket avatars\n├─ aws:s3:Bucket  avatars  protected\n" in body


def test_local_environment_is_refused_with_exit_2(deployer):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "local")
    assert run.exit_code == 2
    assert "local environment" in run.stderr and "never deployed" in run.stderr
    assert run.stdout == ""


def test_unknown_environment_is_a_usage_error(deployer):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan", "--env", "prdo")
    assert run.exit_code == 2
    assert 'unknown environment "prdo"; did you mean "prod"?' in run.stderr


def test_missing_env_option_is_a_usage_error(deployer):
    run = deployer("--spec", str(YAML_EXAMPLE), "plan")
    assert run.exit_code == 2 and "--env" in run.stderr


def test_invalid_spec_exits_1_naming_file_line_and_path(deployer, spec_file):
    path = spec_file("""
    app: shop
    aws: {region: eu-west-1}
    services: {crm: {}}
    topics:
      signups:
        subscriptions:
          crm-sync: {service: crm, messageRetention: 30d}
    """)
    run = deployer("--spec", str(path), "plan", "--env", "prod")
    assert run.exit_code == 1
    assert "infra.yaml:7: topics.signups.subscriptions.crm-sync.messageRetention: AWS (SQS) allows 1m to 14d" \
        in run.stderr
    assert "Traceback" not in run.stderr


def test_console_script_plans_the_cue_example():
    deployer = Path(sys.executable).with_name("deployer")
    done = subprocess.run([str(deployer), "--spec", str(REPO / "examples/shop"), "plan", "--env", "prod",
                           "--format", "json"], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["stack"] == "shop-prod"
    assert sum(r["protect"] for r in document["resources"]) > 10
