"""`deployer outputs --format env`: KEY=value lines that a shell reads back as the outputs' values."""

import json
import subprocess
import sys
from pathlib import Path

from deployer.render.outputs import env_file

YAML_EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shop-yaml/infra.yaml"
READ_BACK = f"set -a; . ./outputs.env; {sys.executable} -c 'import json, os; print(json.dumps(dict(os.environ)))'"


def test_a_shell_reads_back_each_value_under_its_path(deployer, tmp_path):
    planned = deployer("--spec", str(YAML_EXAMPLE), "outputs", "--env", "prod", "--planned")
    assert planned.exit_code == 0, planned.stderr
    outputs = json.loads(planned.stdout)
    lines = env_file(outputs)
    names = [line.split("=", 1)[0] for line in lines.splitlines()]
    assert len(names) == len(set(names))
    (tmp_path / "outputs.env").write_text(lines)
    shell = subprocess.run(["sh", "-c", READ_BACK], cwd=tmp_path, capture_output=True, text=True, check=True)
    environment = json.loads(shell.stdout)
    crm_sync = outputs["services"]["crm"]["subscriptions"]["signups"]["crm-sync"]
    # "(known after deploy)": quoted
    assert environment["CRM_SUBSCRIPTIONS_SIGNUPS_CRM_SYNC_QUEUE_URL"] == crm_sync["queueUrl"]
    assert environment["STOREFRONT_BUCKETS_AVATARS_PERMISSIONS"] == "download,upload,list"
    assert environment["STOREFRONT_CACHES_SESSIONS_TLS"] == "true"
    assert (environment["DEPLOYER_APP"], environment["DEPLOYER_ENV"]) == ("shop", "prod")


def test_a_value_a_shell_would_split_is_quoted_and_plain_ones_are_not():
    assert env_file({"services": {"email": {"note": "a b; $HOME", "url": "https://x.example.com/a?b=1"}}}) == (
        "EMAIL_NOTE='a b; $HOME'\nEMAIL_URL=https://x.example.com/a?b=1\n")


def test_two_values_on_one_variable_are_refused_naming_both(deployer, spec_file):
    path = spec_file("""
        app: shop
        aws: {region: eu-west-1}
        topics:
          ab-cd: {subscriptions: {ef: {service: api}}}
          ab: {subscriptions: {cd-ef: {service: api}}}
        services: {api: {}}
    """)
    assert deployer("--spec", str(path), "outputs", "-e", "prod", "--planned").exit_code == 0  # json keeps both
    result = deployer("--spec", str(path), "outputs", "-e", "prod", "--planned", "--format", "env")
    assert result.exit_code == 1
    assert ("--format env: api.subscriptions.ab-cd.ef.topicId and api.subscriptions.ab.cd-ef.topicId are both "
            "API_SUBSCRIPTIONS_AB_CD_EF_TOPIC_ID: rename one of them, or read --format json") in result.stderr
    assert result.stdout == ""
