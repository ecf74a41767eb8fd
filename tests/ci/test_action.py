"""The repository's GitHub Action (action.yml): linted as GitHub would read it, and its shell steps run as
a runner runs them, against a real git repository, the real deployer, and a fake `gh` that keeps the
pull request's comments (GitHub's API answers, filtered by the real jq as gh's `--jq` does)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}
BIN = Path(sys.executable).parent
ACTIONLINT = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
SHELLCHECK = shutil.which("shellcheck", path=str(BIN)) or shutil.which("shellcheck")
SHOP = ROOT / "examples/shop-yaml/infra.yaml"

FAKE_GH = """#!{python}
# `gh api` as this action calls it, on the comments kept in $FAKE_GITHUB (a JSON list).
import json, os, subprocess, sys
args = sys.argv[1:]
assert args[0] == "api", args
store = os.environ["FAKE_GITHUB"]
comments = json.load(open(store))
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args[1:] if a.startswith("repos/"))
if method == "GET":
    jq = args[args.index("--jq") + 1]
    print(subprocess.run(["jq", "-r", jq], input=json.dumps(comments), capture_output=True, text=True,
                         check=True).stdout, end="")
    sys.exit(0)
field = args[args.index("-F") + 1]
assert field.startswith("body=@"), field
body = open(field.removeprefix("body=@")).read()
if method == "POST":
    assert path == f"repos/{{os.environ['GITHUB_REPOSITORY']}}/issues/{{os.environ['PR']}}/comments", path
    comments.append({{"id": 1000 + len(comments), "user": {{"login": "github-actions[bot]"}}, "body": body}})
else:
    comment = next(c for c in comments if path.endswith(f"/issues/comments/{{c['id']}}"))
    comment["body"] = body
json.dump(comments, open(store, "w"))
print("{{}}")
"""
OTHER_BOTS = [
    {"id": 7, "user": {"login": "github-actions[bot]"}, "body": "<!-- terraform-plan -->\nanother workflow's plan"},
    {"id": 8, "user": {"login": "codecov[bot]"}, "body": "coverage: 91%"},
]


def test_the_action_passes_actionlint_as_a_local_action_of_a_workflow(tmp_path):
    """actionlint reads a local action's metadata where a workflow uses it: inputs and their names."""
    assert ACTIONLINT and SHELLCHECK, "actionlint and shellcheck are test extras (pip install -e '.[test]')"
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    (tmp_path / ".github/workflows").mkdir(parents=True)
    workflow = tmp_path / ".github/workflows/review.yml"

    def lint(inputs: str) -> subprocess.CompletedProcess:
        workflow.write_text("on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
                            "      - uses: actions/checkout@v4\n"
                            f"      - uses: ./\n        with: {{{inputs}}}\n")
        return subprocess.run([ACTIONLINT, "-no-color", "-shellcheck", SHELLCHECK, str(workflow)], cwd=tmp_path,
                              capture_output=True, text=True, check=False)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    good = lint('environments: "prod staging", comment-key: shop')
    assert good.returncode == 0, good.stdout + good.stderr
    bad = lint("environment: prod")  # a misspelt input: actionlint read action.yml
    assert bad.returncode == 1 and 'input "environment" is not defined' in bad.stdout


@pytest.mark.parametrize("name", [name for name, step in STEPS.items() if "run" in step])
def test_each_shell_step_passes_shellcheck_and_takes_inputs_only_from_its_environment(name):
    step = STEPS[name]
    assert "${{" not in step["run"], "an expression in a script is a script injection: pass it in env"
    result = subprocess.run([SHELLCHECK, "--shell=bash", "-"], input=step["run"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout.strip()


def run_step(name: str, env: dict[str, str], runner: Path) -> dict[str, str]:
    """STEP's script as a composite action's `shell: bash` runs it; its outputs ($GITHUB_OUTPUT)."""
    step = STEPS[name]
    assert set(step.get("env", {})) <= set(env), set(step.get("env", {})) - set(env)
    output = runner / "output"
    output.write_text("")
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                            env={**env, "GITHUB_OUTPUT": str(output)}, cwd=env["WORKSPACE"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


def fake_runner(tmp_path: Path, comments: list) -> tuple[Path, Path]:
    """A runner's folder with the fake `gh` in its bin/, and the pull request's COMMENTS it serves."""
    runner = tmp_path / "runner"
    (runner / "bin").mkdir(parents=True)
    gh = runner / "bin/gh"
    gh.write_text(FAKE_GH.format(python=sys.executable))
    gh.chmod(0o755)
    store = runner / "comments.json"
    store.write_text(json.dumps(comments))
    return runner, store


@pytest.mark.skipif(not shutil.which("jq"), reason="the fake gh filters with jq, as gh's --jq does")
def test_one_comment_is_created_then_updated_and_no_other_comment_is_touched(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(SHOP, repo / "infra.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "infra.yaml")
    git(repo, "commit", "-qm", "base")
    base_sha = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # actions/checkout with fetch-depth 0
    runner, store = fake_runner(tmp_path, OTHER_BOTS)
    summary = runner / "summary.md"
    env = {
        "PATH": f"{runner / 'bin'}{os.pathsep}{BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path),
        "WORKSPACE": str(repo), "RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": "shop/app", "GITHUB_BASE_REF": "main", "FAKE_GITHUB": str(store), "NO_COLOR": "1",
        # the steps' env, as the action's expressions give it for a pull request from this repository
        "ENVIRONMENTS": "prod dev", "SPEC": "", "BASE": "", "KEY": "deployer", "BASE_SHA": base_sha,
        "PR": "42", "HEAD_REPO": "shop/app", "GH_TOKEN": "token",
        "RUN_URL": "https://github.com/shop/app/actions/runs/1",
    }

    def push(edit: tuple[str, str]) -> None:
        text = (repo / "infra.yaml").read_text()
        assert edit[0] in text
        (repo / "infra.yaml").write_text(text.replace(*edit))
        git(repo, "commit", "-qam", "change")
        outputs = run_step("review", {**env, "HEAD_SHA": git(repo, "rev-parse", "HEAD")}, runner)
        assert outputs["failed"] == "0"
        run_step("comment on the pull request", {**env, "BODY": outputs["body"]}, runner)

    push(("          aws: {replicas: 2}", "          aws: {replicas: 2, nodeType: cache.r7g.xlarge}"))
    comments = json.loads(store.read_text())
    assert comments[:2] == OTHER_BOTS and len(comments) == 3
    first = comments[2]["body"]
    assert first.startswith("<!-- deployer-review: deployer -->\n")
    assert base_sha in first and git(repo, "rev-parse", "HEAD") in first and env["RUN_URL"] in first
    assert "**deployer diff** `prod` against `origin/main`: 1 to change." in first
    assert "**deployer diff** `dev` against `origin/main`: no changes." in first
    assert summary.read_text() == first  # what a fork's pull request, which gets no comment, still sees

    push(("      secrets: [CRMToken]", "      secrets: [CRMToken]\n      buckets: {avatars: [download]}"))
    comments = json.loads(store.read_text())
    assert comments[:2] == OTHER_BOTS and len(comments) == 3  # the same comment, updated in place
    assert "- service `crm`: policy changed" in comments[2]["body"] and git(repo, "rev-parse", "HEAD") in \
        comments[2]["body"]


def test_a_failing_deployer_fails_the_check_with_its_message_in_the_summary(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "infra.yaml").write_text("app: shop\nservices: {api: {uses: {buckets: [nope]}}}\n")
    runner = tmp_path / "runner"
    runner.mkdir()
    summary = runner / "summary.md"
    env = {"PATH": f"{BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path), "WORKSPACE": str(repo),
           "RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main",
           "ENVIRONMENTS": "prod", "SPEC": "", "BASE": "", "KEY": "deployer", "BASE_SHA": "", "HEAD_SHA": "abc",
           "RUN_URL": "https://github.com/shop/app/actions/runs/1", "NO_COLOR": "1"}
    outputs = run_step("review", env, runner)
    assert outputs["failed"] == "1"
    assert "**deployer validate** failed:" in summary.read_text() and "infra.yaml:2:" in summary.read_text()
    fail = STEPS["fail when deployer failed"]
    assert fail["if"] == "steps.review.outputs.failed == '1'"
    assert subprocess.run(["bash", "-c", fail["run"]], capture_output=True, check=False).returncode == 1


def test_deployer_is_installed_from_the_action_itself_never_by_a_package_name():
    installs = [step["run"] for step in ACTION["runs"]["steps"] if "pip install" in step.get("run", "")]
    # with the clouds' extras: plan and diff need their SDKs
    assert installs and all(re.search(r'pip install .*"\$\{GITHUB_ACTION_PATH\}\[aws,gcp\]"$', run) for run in installs), installs


@pytest.mark.skipif(not shutil.which("jq"), reason="the fake gh filters with jq, as gh's --jq does")
def test_a_body_longer_than_github_takes_is_posted_without_its_details_and_links_the_summary(tmp_path):
    """GitHub refuses a comment body over 65,536 characters (danger/danger#424: "Body is too long")."""
    runner, store = fake_runner(tmp_path, [])
    body = runner / "body.md"
    lines = "\n".join(f"+   aws:s3:Bucket bucket-{i}" for i in range(3000))
    body.write_text("<!-- deployer-review: deployer -->\n**deployer diff** `prod` against `main`: 3000 to add.\n\n"
                    f"<details><summary>Resources</summary>\n\n```diff\n{lines}\n```\n\n</details>\n")
    assert len(body.read_text()) > 65536
    env = {"PATH": f"{runner / 'bin'}{os.pathsep}/usr/bin:/bin", "WORKSPACE": str(tmp_path), "FAKE_GITHUB": str(store),
           "GITHUB_REPOSITORY": "shop/app", "GH_TOKEN": "token", "KEY": "deployer", "BODY": str(body), "PR": "42",
           "HEAD_REPO": "shop/app", "RUN_URL": "https://github.com/shop/app/actions/runs/1"}
    run_step("comment on the pull request", env, runner)
    [comment] = json.loads(store.read_text())
    assert comment["body"].startswith("<!-- deployer-review: deployer -->\n**deployer diff** `prod` against `main`")
    assert "<details>" not in comment["body"] and "bucket-1" not in comment["body"]
    assert "(https://github.com/shop/app/actions/runs/1)" in comment["body"] and len(comment["body"]) < 65536
