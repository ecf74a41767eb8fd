"""`deployer diff`: a spec committed to a real git repository, changed in the working tree, planned at
both points by the real provider under the mock runtime, reported in table, json and markdown."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from deployer.cli import cli

BASE = """\
app: shop
aws: {region: eu-west-1}
buckets:
  avatars: {}
topics:
  signups:
    subscriptions:
      welcome: {service: email}
caches:
  sessions: {}
services:
  email:
    uses: {caches: [sessions], buckets: {avatars: [download]}}
environments:
  prod: {type: production}
  dev: {type: development}
  local: {type: local}
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository whose first commit holds BASE as infra.yaml; no cloud credentials anywhere."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "infra.yaml").write_text(BASE)
    git(root, "add", "infra.yaml")
    git(root, "commit", "-qm", "base")
    return root


def change(repo: Path, *edits: tuple[str, str]) -> None:
    text = (repo / "infra.yaml").read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    (repo / "infra.yaml").write_text(text)


def diff_json(deployer, repo: Path, env: str = "dev", base: str = "main") -> dict:
    # click's own runner: it flushes the stdout that Console.json writes to (tests.conftest's does not)
    result = CliRunner().invoke(cli, ["--spec", str(repo), "diff", "--env", env, "--base", base,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def urns(entries: list[dict]) -> set[str]:
    return {e["urn"].split("::", 2)[2] for e in entries}


ADD_TOPIC = ("\ncaches:", "\n  orders:\n    subscriptions:\n      ship: {service: email}\ncaches:")
RENAME_BUCKET = ("avatars", "profile-pictures")
OVERRIDE = ("  dev: {type: development}",
            "  dev:\n    type: development\n    overrides: {caches: {sessions: {aws: {nodeType: cache.t4g.small}}}}")


def test_added_topic_renamed_bucket_and_changed_override_in_json(deployer, repo):
    change(repo, ADD_TOPIC, RENAME_BUCKET, OVERRIDE)
    document = diff_json(deployer, repo)

    assert list(document) == ["env", "base", "risks", "added", "removed", "changed", "replaced"]
    assert (document["env"], document["base"]) == ("dev", "main")
    assert {"aws:sns/topic:Topic::orders", "aws:sqs/queue:Queue::orders.ship",
            "aws:s3/bucket:Bucket::profile-pictures"} <= urns(document["added"])
    assert "aws:s3/bucket:Bucket::avatars" in urns(document["removed"])
    # the bucket goes with its objects (dev protects nothing)
    assert [(r["kind"], r["name"], r["action"], r["protected"]) for r in document["risks"]] == \
        [("bucket", "avatars", "delete", False)]
    changed = {e["urn"].split("::", 2)[2]: e["fields"] for e in document["changed"]}
    cache = changed["aws:elasticache/replicationGroup:ReplicationGroup::sessions"]
    assert cache == {"inputs.nodeType": ["cache.t4g.micro", "cache.t4g.small"]}
    assert document["replaced"] == []
    # the working tree is untouched: only the edited spec differs from the commit
    assert git(repo, "status", "--porcelain") == " M infra.yaml\n"


def test_the_same_change_on_a_terminal_and_as_markdown(deployer, repo):
    change(repo, ADD_TOPIC, RENAME_BUCKET, OVERRIDE)
    args = ("--spec", str(repo), "diff", "--env", "dev", "--base", "main")
    text = deployer(*args)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    # the risk first, then a line per spec entry, then the resources under their entry
    assert lines[0] == "! bucket avatars is deleted: its objects are lost"
    entries = lines[2:lines.index("", 2)]
    assert "cache sessions: nodeType cache.t4g.micro → cache.t4g.small" in entries
    assert "topic orders: new (1 resource)" in entries and "bucket avatars: removed (5 resources)" in entries
    assert "service email: policy changed" in entries
    cache = lines.index("# cache sessions")
    assert lines[cache + 1:cache + 4] == ["~   aws:elasticache:ReplicationGroup sessions",
                                          '-     nodeType: "cache.t4g.micro"', '+     nodeType: "cache.t4g.small"']
    assert "dev against main: 1 risk; " in text.stderr and "to add" in text.stderr

    comment = deployer(*args, "--format", "markdown")
    assert comment.exit_code == 0, comment.stderr
    first, *rest = comment.stdout.splitlines()
    counts = diff_json(deployer, repo)
    added, changed, removed = (len(counts[k]) for k in ("added", "changed", "removed"))
    assert first == (f"**deployer diff** `dev` against `main`: 1 risk; {added} to add, {changed} to change, "
                     f"{removed} to remove.")
    body = "\n".join(rest)
    assert "> - bucket `avatars` is deleted: its objects are lost" in body
    assert "- cache `sessions`: nodeType `cache.t4g.micro` → `cache.t4g.small`" in body
    assert "<details><summary>Resources</summary>" in body and body.rstrip().endswith("</details>")
    assert '```diff\n!   aws:elasticache:ReplicationGroup sessions\n-     nodeType: "cache.t4g.micro"\n' in body


def test_a_change_of_a_name_input_is_a_replacement(deployer, repo):
    # exactly-once makes the SNS topic FIFO: its physical name gains ".fifo", which AWS cannot rename
    change(repo, ("  signups:\n", "  signups:\n    deliveryGuarantee: exactly-once\n"))
    document = diff_json(deployer, repo)
    replaced = {e["urn"].split("::", 2)[2]: e["fields"] for e in document["replaced"]}
    topic = replaced["aws:sns/topic:Topic::signups"]
    assert topic["inputs.name"] == ["shop-dev-signups", "shop-dev-signups.fifo"]
    assert "aws:sns/topic:Topic::signups" not in urns(document["changed"])
    markdown = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main", "--format", "markdown")
    assert f"{len(document['replaced'])} to replace" in markdown.stdout.splitlines()[0]
    assert "- topic `signups`: replaced (forced by `fifoTopic`, `name`)" in markdown.stdout
    assert "-/+ aws:sns:Topic signups  # forced by fifoTopic, name" in markdown.stdout
    risk = "topic `signups` is replaced (forced by `fifoTopic`, `name`): undelivered messages are lost"
    assert f"> - {risk}\n" in markdown.stdout  # dev protects nothing: `up` replaces it


@pytest.mark.parametrize(("edits", "code"), [
    ((), 0),
    ((OVERRIDE,), 10),                                    # a node type: changes, nothing lost
    ((("  avatars: {}\n", "  exports: {}\n"), ("avatars: [download]", "exports: [download]")), 11),  # avatars deleted
])
def test_exit_code_tells_changes_from_risks(deployer, repo, edits, code):
    change(repo, *edits)
    result = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main", "--exit-code")
    assert result.exit_code == code, result.stderr


def test_a_protected_queue_removed_from_production_says_up_will_refuse(deployer, repo):
    change(repo, ("    subscriptions:\n      welcome: {service: email}\n", "    subscriptions: {}\n"))
    document = diff_json(deployer, repo, env="prod")
    queue = next(r for r in document["risks"] if r["urn"].endswith("aws:sqs/queue:Queue::signups.welcome"))
    assert (queue["action"], queue["protected"]) == ("delete", True)
    assert queue["entry"] == ["subscription", "signups.welcome"]
    text = deployer("--spec", str(repo), "diff", "--env", "prod", "--base", "main")
    assert ("! queue signups.welcome is deleted: its undelivered messages are lost; it is protected, so up will "
            "refuse") in text.stdout.splitlines()


def test_protection_of_production_shows_as_changed_field(deployer, repo):
    change(repo, ("  prod: {type: production}", "  prod: {type: development}"))
    document = diff_json(deployer, repo, env="prod")
    bucket = next(e for e in document["changed"] if e["urn"].endswith("aws:s3/bucket:Bucket::avatars"))
    assert bucket["fields"]["protect"] == [True, False]


def test_no_change_says_so_in_every_format(deployer, repo):
    assert diff_json(deployer, repo) == {"env": "dev", "base": "main", "risks": [], "added": [], "removed": [],
                                         "changed": [], "replaced": []}
    markdown = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main", "--format", "markdown")
    assert markdown.stdout == "**deployer diff** `dev` against `main`: no changes.\n"
    table = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main")
    assert table.stdout == "" and "dev against main: no changes" in table.stderr


def test_a_spec_or_environment_new_in_this_change_is_all_added(deployer, repo):
    change(repo, ("  local: {type: local}", "  local: {type: local}\n  qa: {type: development}"))
    document = diff_json(deployer, repo, env="qa")
    assert document["removed"] == [] and document["changed"] == []
    assert "aws:s3/bucket:Bucket::avatars" in urns(document["added"])

    git(repo, "mv", "infra.yaml", "deploy.yaml")
    git(repo, "commit", "-qm", "move")
    moved = diff_json(deployer, repo / "deploy.yaml", base="main~1")
    assert moved["removed"] == [] and moved["added"]


def test_bad_input_is_a_clear_error(deployer, repo, tmp_path):
    unknown = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "no-such-branch")
    assert unknown.exit_code == 2 and 'unknown git ref "no-such-branch"' in unknown.stderr
    local = deployer("--spec", str(repo), "diff", "--env", "local", "--base", "main")
    assert local.exit_code == 2 and "local environment" in local.stderr

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "infra.yaml").write_text(BASE)
    no_git = deployer("--spec", str(outside), "diff", "--env", "dev", "--base", "main")
    assert no_git.exit_code == 2 and "git repository" in no_git.stderr
    assert "Traceback" not in unknown.stderr + local.stderr + no_git.stderr


def test_an_invalid_base_names_the_ref(deployer, repo):
    (repo / "infra.yaml").write_text(BASE.replace("{service: email}", "{service: emial}"))
    git(repo, "commit", "-qam", "typo")
    (repo / "infra.yaml").write_text(BASE)
    result = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main")
    assert result.exit_code == 1
    assert "the spec at main does not plan for dev" in result.stderr and '"emial"' in result.stderr


CUE_MODULE = 'module: "example.com/shop"\nlanguage: version: "v0.9.0"\n'
CUE_MAIN = """\
package infra

app: "shop"
aws: region: "eu-west-1"
environments: dev: type: "development"
services: email: uses: buckets: avatars: ["download"]
"""
CUE_BUCKETS = 'package infra\n\nbuckets: avatars: {}\n'


def test_a_cue_package_is_read_whole_at_the_ref(deployer, repo):
    """The base is the package of every .cue file of the spec's folder, with its cue.mod."""
    infra = repo / "infra"
    (infra / "cue.mod").mkdir(parents=True)
    (infra / "cue.mod" / "module.cue").write_text(CUE_MODULE)
    (infra / "infra.cue").write_text(CUE_MAIN)
    (infra / "buckets.cue").write_text(CUE_BUCKETS)
    git(repo, "add", "infra")
    git(repo, "commit", "-qm", "cue spec")
    (infra / "buckets.cue").write_text(CUE_BUCKETS + 'buckets: reports: {versioned: true}\n')

    document = diff_json(deployer, infra)
    assert "aws:s3/bucket:Bucket::reports" in urns(document["added"])
    assert "aws:s3/bucket:Bucket::avatars" not in urns(document["added"])  # buckets.cue was read at main
    assert document["removed"] == []
    assert git(repo, "status", "--porcelain") == " M infra/buckets.cue\n"


def test_on_a_narrow_terminal_every_line_stays_whole(deployer, repo, monkeypatch):
    """The terminal wraps a long line where it must; deployer never cuts or folds a value itself."""
    change(repo, OVERRIDE, ("avatars: [download]", "avatars: [download, upload]"))
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: the streams are terminals
    monkeypatch.setenv("COLUMNS", "40")
    lines = deployer("--spec", str(repo), "diff", "--env", "dev", "--base", "main").stdout.splitlines()
    assert "cache sessions: nodeType cache.t4g.micro → cache.t4g.small" in lines
    assert '+               "s3:PutObject"' in lines
    assert '                "arn:aws:s3:::shop-dev-avatars-<account-hash>/*"' in lines


def test_a_database_removed_from_production_is_a_risk_under_its_entry(deployer, repo):
    change(repo, ("caches:\n  sessions: {}\n", "caches:\n  sessions: {}\ndatabases:\n  orders: {}\n"))
    git(repo, "commit", "-qam", "a database")
    change(repo, ("databases:\n  orders: {}\n", ""))
    result = deployer("--spec", str(repo), "diff", "--env", "prod", "--base", "main", "--exit-code")
    assert result.exit_code == 11, result.stderr
    lines = result.stdout.splitlines()
    assert "! database orders is deleted: its data is lost; it is protected, so up will refuse" in lines
    assert any(line.startswith("database orders: removed (") for line in lines)


def test_a_databases_major_version_upgrade_says_what_it_does(deployer, repo):
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.MajorVersion.html
    change(repo, ("caches:\n  sessions: {}\n", 'caches:\n  sessions: {}\ndatabases:\n  orders: {version: "16"}\n'))
    git(repo, "commit", "-qam", "a database")
    change(repo, ('orders: {version: "16"}', 'orders: {version: "17"}'))
    result = deployer("--spec", str(repo), "diff", "--env", "prod", "--base", "main", "--exit-code")
    assert result.exit_code == 10, result.stderr  # nothing deleted or replaced, yet said first
    [risk] = [line for line in result.stdout.splitlines() if line.startswith("! database orders")]
    assert risk.startswith("! database orders is changed in place: engineVersion 16 → 17: a major version upgrade: the "
                           "database is unavailable while RDS upgrades it, and cannot be downgraded")
