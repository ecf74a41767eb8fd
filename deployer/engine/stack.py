"""The engine path: a provider's program run by the Pulumi Automation API against the real state.

One `LocalWorkspace` per environment with the provider's program inline, project APP, stack APP-ENV,
the backend of the spec's `state` (default: a file backend under `.deployer/state` beside the spec)
and its secrets provider (a passphrase from PULUMI_CONFIG_PASSPHRASE, or the spec's KMS URL).
"""

import json
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from datetime import timedelta

import pulumi
from pulumi import automation as auto

from deployer.clouds import cloud
from deployer.errors import DeploymentFailed, PreconditionMissing, UsageError, quoted
from deployer.plan.offline import SECRET
from deployer.secrets.keys import KEY_VARIABLE
from deployer.speclang.resolved import ResolvedEnv

LOCK_POLL_SECONDS = 5


def backend_url(env: ResolvedEnv) -> str:
    if env.spec.state:
        return env.spec.state
    folder = env.spec_file.resolve().parent / ".deployer" / "state"
    folder.mkdir(parents=True, exist_ok=True)
    return folder.as_uri()


def provider_config(env: ResolvedEnv) -> dict[str, auto.ConfigValue]:
    """The default provider's settings, from the spec."""
    return {key: auto.ConfigValue(value) for key, value in cloud(env.provider).stack_config(env).items()}


def open_stack(env: ResolvedEnv, secrets: Mapping[str, str] | None = None, create: bool = True) -> auto.Stack:
    """The environment's stack (created where `create`), with the provider's program inline."""
    program = cloud(env.provider).program()
    values = dict(secrets or {})

    def inline_program() -> None:
        program(env, {name: pulumi.Output.secret(value) for name, value in values.items()})

    # the workspace's folder (Pulumi.yaml): deployer's to remove with the stack, where Pulumi's own
    # default (a /tmp/automation-* folder per run) stays behind
    work_dir = tempfile.mkdtemp(prefix="deployer-workspace-")
    options = auto.LocalWorkspaceOptions(
        work_dir=work_dir,
        project_settings=auto.ProjectSettings(name=env.app, runtime="python",
                                              backend=auto.ProjectBackend(backend_url(env))),
        secrets_provider=env.spec.secrets_provider or "passphrase",
        # The CLI and its provider plugins need the cloud's credentials and the passphrase, never the age key.
        env_vars={KEY_VARIABLE: ""},
        pulumi_command=pulumi_cli(),
    )
    stack = None
    try:
        if create:
            stack = auto.create_or_select_stack(env.stack, env.app, inline_program, opts=options)
            stack.set_all_config(provider_config(env))
        else:
            stack = auto.select_stack(env.stack, env.app, inline_program, opts=options)
    except auto.StackNotFoundError as err:
        raise UsageError(f"environment {env.name} has not been deployed (no stack {env.stack} in "
                         f"{backend_url(env)}); deploy it with `deployer up --env {env.name}`") from err
    except auto.CommandError as err:
        raise DeploymentFailed(f"the Pulumi engine failed to open stack {env.stack}:\n{err}") from err
    finally:
        if stack is None:  # not opened: nothing will use the folder
            shutil.rmtree(work_dir, ignore_errors=True)
    weakref.finalize(stack, shutil.rmtree, work_dir, ignore_errors=True)
    return stack


def pulumi_cli() -> auto.PulumiCommand:
    """The Pulumi CLI, checked by the SDK with a `pulumi version` run in deployer's whole environment
    (the workspace's env_vars reach only its later commands): run here without the age key."""
    key = os.environ.pop(KEY_VARIABLE, None)
    try:
        return auto.PulumiCommand()
    finally:
        if key is not None:
            os.environ[KEY_VARIABLE] = key


@contextmanager
def engine_errors(env: ResolvedEnv):
    """Engine failures as exit 3, shown whole (Pulumi masks secret values in its messages), with the
    cloud's hint where it knows the cause."""
    try:
        yield
    except auto.ConcurrentUpdateError as err:
        raise DeploymentFailed(f"stack {env.stack} is locked by another update: {lock_holder(err)}\n"
                               "wait for it, or run again with --wait-for-lock[=DURATION]") from err
    except auto.CommandError as err:
        hint = cloud(env.provider).failure_hint(env, f"{err}")
        raise DeploymentFailed(f"the deployment of {env.name} failed:\n{err}" + (f"\n{hint}" if hint else "")) from err


def lock_holder(err: auto.CommandError) -> str:
    """The engine's words about the lock (who holds it, since when)."""
    text = f"{err}"
    lines = [line.strip() for line in text.splitlines() if "lock" in line.lower()]
    return "; ".join(dict.fromkeys(lines)) or "another update is in progress"


def with_lock_wait(operation: Callable[[], object], wait: timedelta | None) -> object:
    """Run `operation`; while the stack is locked and `wait` has not run out, try again."""
    deadline = time.monotonic() + wait.total_seconds() if wait else None
    while True:
        try:
            return operation()
        except auto.ConcurrentUpdateError:
            if deadline is None or time.monotonic() >= deadline:
                raise
            time.sleep(LOCK_POLL_SECONDS)


def secret_version_urns(plan: dict) -> list[str]:
    """The resources holding secret values (AWS and GCP both call them SecretVersion)."""
    return [r["urn"] for r in plan["resources"] if r["type"].rsplit(":", 1)[-1] == "SecretVersion"]


def protected_resources(stack: auto.Stack) -> list[str]:
    """URNs the state marks protected."""
    deployment = stack.export_stack().deployment or {}
    return [r["urn"] for r in deployment.get("resources", []) if r.get("protect")]


def unprotect_all(stack: auto.Stack) -> None:
    """`pulumi state unprotect --all`, through an export and import of the state. Retained resources
    (retainOnDelete) are still left in the cloud by the destroy that follows."""
    exported = stack.export_stack()
    for resource in (exported.deployment or {}).get("resources", []):
        resource["protect"] = False
    stack.import_stack(exported)


def stack_outputs(stack: auto.Stack) -> dict:
    """The stack's outputs, masked; a CLI that prints no JSON for them is named with what it printed
    (never JSON cut short: the command's second run prints the secret values)."""
    try:
        return masked_outputs(stack.outputs())
    except json.JSONDecodeError as err:
        printed = err.doc.strip()
        if printed[:1] in ("{", "["):
            shown = f"JSON cut short ({len(printed)} bytes, not shown: it may hold secret values)"
        else:
            shown = quoted(printed.splitlines()[0][:200]) if printed else "nothing"
        raise PreconditionMissing(f"`pulumi stack output --json` printed no JSON but {shown}: run it in the stack's "
                                  "project to see why, or check the Pulumi CLI on PATH (`pulumi version`)") from None


def masked_outputs(outputs: auto.OutputMap) -> dict:
    """Stack outputs as deployer shows them: secret ones replaced by "[secret]"."""
    return {name: SECRET if value.secret else value.value for name, value in outputs.items()}
