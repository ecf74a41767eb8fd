"""The Automation API layer. Tests that drive the real engine need the `pulumi` CLI and are skipped
where it is not on PATH; the event display, the lock wait and the targets of `up --only secrets`
are checked everywhere against the real Pulumi SDK classes."""

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from pulumi import automation as auto
from pulumi.automation._cmd import CommandResult

from deployer.console import Console
from deployer.engine import stack as engine_stack
from deployer.engine.progress import EventDisplay
from deployer.engine.stack import secret_version_urns, with_lock_wait
from deployer.plan.document import build_plan
from deployer.render.steps import preview_markdown
from deployer.speclang.load import load_spec, resolve

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"
needs_pulumi = pytest.mark.skipif(shutil.which("pulumi") is None,
                                  reason="the Pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/)")
LOCKED = CommandResult("", "error: the stack is currently locked by 1 lock(s). Either wait for the other "
                       "process(es) to end or delete the lock file with `pulumi cancel`.\n"
                       "  file:///state/.pulumi/locks/shop/shop-pr-7/abc.json: created by ci@runner (pid 42) "
                       "at 2025-01-01T00:00:00Z", 255)


def event(kind: str, op: str, urn: str, **extra) -> auto.EngineEvent:
    metadata = {"op": op, "urn": urn, "type": urn.split("::")[2], "provider": "", **extra}
    return auto.EngineEvent.from_json({"sequence": 1, "timestamp": 0, kind: {"metadata": metadata}})


def test_events_are_shown_live_and_kept_with_their_changed_inputs(capsys):
    counts = []
    display = EventDisplay(Console(), status=counts.append)
    bucket = "urn:pulumi:shop-dev::shop::aws:s3/bucket:Bucket::avatars"
    queue = "urn:pulumi:shop-dev::shop::aws:sqs/queue:Queue::signups.crm"
    display(event("resourcePreEvent", "update", bucket, diffs=["tags"],
                  detailedDiff={"tags.env": {"diffKind": "update", "inputDiff": True}}))
    display(event("resOutputsEvent", "update", bucket))
    display(event("resourcePreEvent", "same", queue))
    display(event("resourcePreEvent", "create", queue))
    display(auto.EngineEvent.from_json({"sequence": 2, "timestamp": 0, "resOpFailedEvent": {
        "metadata": {"op": "create", "urn": queue, "type": "aws:sqs/queue:Queue", "provider": ""},
        "status": 1, "steps": 1}}))
    err = capsys.readouterr().err
    assert "update     aws:s3/bucket:Bucket  avatars …" in err
    assert "update     aws:s3/bucket:Bucket  avatars done" in err
    assert "create     aws:sqs/queue:Queue  signups.crm FAILED" in err
    assert [(s.op, s.name, s.fields) for s in display.steps] == [("update", "avatars", ["tags.env"]),
                                                                 ("create", "signups.crm", [])]
    assert display.failed == [queue]
    # the progress display's counts, as each step starts and ends
    assert counts == ["0 done, 1 in progress", "1 done, 0 in progress", "1 done, 1 in progress",
                      "1 done, 0 in progress, 1 failed"]
    comment = preview_markdown("dev", display.steps)
    assert comment.splitlines()[0] == "**dev** (Pulumi preview): 1 to create, 1 to update."
    assert "| `update` | `avatars` | `aws:s3/bucket:Bucket` | `tags.env` |" in comment


def test_a_locked_stack_fails_naming_the_lock_unless_waiting(monkeypatch):
    calls = []

    def locked_twice():
        calls.append(1)
        if len(calls) <= 2:
            raise auto.ConcurrentUpdateError(LOCKED)
        return "done"

    with pytest.raises(auto.ConcurrentUpdateError) as error:
        with_lock_wait(locked_twice, None)
    assert "ci@runner" in engine_stack.lock_holder(error.value)

    monkeypatch.setattr(engine_stack, "LOCK_POLL_SECONDS", 0)
    assert with_lock_wait(locked_twice, timedelta(seconds=5)) == "done"
    assert len(calls) == 3


def test_only_secrets_targets_the_secret_versions_and_nothing_else():
    env = resolve(load_spec(EXAMPLE), "prod")
    targets = secret_version_urns(build_plan(env))
    assert targets and all(":SecretVersion::" in urn for urn in targets)
    assert "urn:pulumi:shop-prod::shop::aws:secretsmanager/secretVersion:SecretVersion::StripeAPIKey" in targets


# --- with the real engine --------------------------------------------------------------------------


@pytest.fixture
def engine_spec(tmp_path, monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "test-only-passphrase")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    spec = tmp_path / "infra.yaml"
    spec.write_text("app: shop\naws: {region: eu-west-1}\nbuckets: {avatars: {}}\n")
    return spec


@needs_pulumi
def test_the_stack_lives_in_a_file_backend_beside_the_spec(engine_spec):
    env = resolve(load_spec(engine_spec), "pr-7")
    stack = engine_stack.open_stack(env)
    assert stack.name == "shop-pr-7"
    assert (engine_spec.parent / ".deployer" / "state").is_dir()
    assert stack.get_config("aws:region").value == "eu-west-1"
    stack.workspace.remove_stack("shop-pr-7")


@needs_pulumi
def test_outputs_of_an_environment_never_deployed(deployer, engine_spec):
    result = deployer("--spec", str(engine_spec), "outputs", "--env", "dev")
    assert result.exit_code == 2 and "has not been deployed" in result.stderr


@needs_pulumi
def test_a_lock_held_by_another_update_is_exit_3(deployer, engine_spec):
    env = resolve(load_spec(engine_spec), "pr-7")
    engine_stack.open_stack(env)
    locks = engine_spec.parent / ".deployer/state/.pulumi/locks/organization/shop/shop-pr-7"
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "held.json").write_text(json.dumps({"pid": 42, "username": "ci", "hostname": "runner",
                                                 "timestamp": "2025-01-01T00:00:00Z"}))
    result = deployer("--spec", str(engine_spec), "destroy", "--env", "pr-7", "--yes")
    assert result.exit_code == 3 and "locked" in result.stderr


@needs_pulumi
def test_destroying_a_preview_removes_its_stack(deployer, engine_spec):
    env = resolve(load_spec(engine_spec), "pr-8")
    engine_stack.open_stack(env)
    result = deployer("--spec", str(engine_spec), "destroy", "--env", "pr-8", "--yes")
    assert result.exit_code == 0, result.stderr
    names = [s.name for s in auto.LocalWorkspace(project_settings=auto.ProjectSettings(
        name="shop", runtime="python", backend=auto.ProjectBackend(engine_stack.backend_url(env)))).list_stacks()]
    assert "shop-pr-8" not in names
