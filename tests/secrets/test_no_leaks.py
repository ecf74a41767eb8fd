"""Distinctive secret values never appear in what deployer prints, plans or writes (issue 6).

The values are set through the CLI; then `plan`, `diff`, `secret list` and failing commands run, and
all their output, and every file written beside the spec except the encrypted store, is searched."""

import json
import subprocess

import pytest
from click.testing import CliRunner

from deployer.cli import cli
from deployer.plan.document import build_plan
from deployer.secrets.resolution import resolve_secret_values

VALUES = {
    "StripeAPIKey": "sk_live_LEAKCHECK_stripe_9f3a71",
    "SendGridToken": "SG.LEAKCHECK.sendgrid.5d2e88",
    "CRMToken": "crm-LEAKCHECK-token-0b4c62",
}
MARKERS = ["LEAKCHECK", *VALUES.values()]


def leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


@pytest.fixture
def shop(project, set_secret, monkeypatch):
    """The shop in a git repository whose last commit lacks the crm service's secret, every value set
    for production and development, and a CRM override for prod; no cloud credentials."""
    spec = project / "infra.yaml"
    with_crm_secret = spec.read_text()
    spec.write_text(with_crm_secret.replace("    uses:\n      secrets: [CRMToken]\n", ""))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "infra.yaml"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
    spec.write_text(with_crm_secret)
    for name, value in VALUES.items():
        set_secret(value, "--type", "prod,dev", name)
    set_secret(VALUES["CRMToken"] + "-prod", "--env", "prod", "CRMToken")
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(variable, raising=False)
    return project


def test_plan_of_resolved_values_marks_them_secret(shop, env_of):
    for env_name in ("prod", "staging"):  # AWS and GCP
        env = env_of(env_name)
        plan = build_plan(env, resolve_secret_values(env))

        assert leaks(json.dumps(plan)) == []
        versions = [r for r in plan["resources"]
                    if r["type"].endswith("/secretVersion:SecretVersion") and r["name"].split(".")[0] in VALUES]
        assert len(versions) == len(VALUES)
        for version in versions:
            assert "[secret]" in json.dumps(version["inputs"])


@pytest.mark.parametrize("args", [
    ["plan", "--env", "prod", "--format", "json"],
    ["plan", "--env", "staging"],
    ["diff", "--env", "prod", "--base", "HEAD", "--format", "json"],
    ["diff", "--env", "dev", "--base", "HEAD", "--format", "markdown"],
    ["secret", "list", "--env", "prod", "--format", "json"],
    ["secret", "list", "--env", "dev"],
])
def test_commands_that_succeed_print_no_value(shop, args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert leaks(result.stdout + result.stderr) == []


def test_the_diff_shows_the_new_secret_resources_masked(shop):
    result = CliRunner().invoke(cli, ["diff", "--env", "prod", "--base", "HEAD", "--format", "json"])

    added = json.loads(result.stdout)["added"]
    assert any("CRMToken" in json.dumps(entry) for entry in added)


@pytest.mark.parametrize("args, stdin, code", [
    (["secret", "set", "--type", "prod", "GitHubToken"], VALUES["StripeAPIKey"], 1),
    (["secret", "set", "--type", "staging", "CRMToken"], VALUES["CRMToken"], 2),
    (["up", "--env", "prod", "--yes"], None, 4),
    (["up", "--env", "pr-7", "--yes"], None, 4),  # no preview values: the missing-secrets message
])
def test_commands_that_fail_print_no_value(shop, deployer, args, stdin, code):
    result = deployer(*args, stdin=stdin)

    assert result.exit_code == code, result.stderr
    assert leaks(result.stdout + result.stderr) == []


def test_a_broken_local_override_file_is_reported_without_its_values(shop, deployer):
    (shop / ".secrets.local.cue").write_text(
        f'CRMToken: "{VALUES["CRMToken"]}"\nCRMToken: "{VALUES["StripeAPIKey"]}"\n')

    result = deployer("secret", "list", "--env", "local")

    assert result.exit_code == 1
    assert ".secrets.local.cue:" in result.stderr
    assert leaks(result.stdout + result.stderr) == []


def test_no_file_but_the_encrypted_store_holds_a_value(shop, tmp_path, env_of):
    resolve_secret_values(env_of("prod"))
    CliRunner().invoke(cli, ["plan", "--env", "prod"], catch_exceptions=False)

    written = [p for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert shop / "infra.secrets.yaml" in written
    assert {str(p.relative_to(tmp_path)) for p in written if leaks(p.read_text(errors="replace"))} == set()
