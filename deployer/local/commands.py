"""The `dev`, `cron run` and local `outputs` commands, for the CLI to call."""

from deployer.console import Console
from deployer.errors import UsageError
from deployer.gitignore import ignore_local_files
from deployer.local.cron import run_job
from deployer.local.folder import LocalFolder
from deployer.local.session import (
    DevSession,
    local_env,
    run_command,
    servers_table,
    stop_signals,
    wait_for_interrupt,
)
from deployer.speclang.load import Spec
from deployer.speclang.resolved import ResolvedEnv


def default_env(spec: Spec) -> str:
    """The spec's one local environment (`deployer dev` without --env)."""
    local = [name for name, info in spec.environments().items() if info.type == "local"]
    if len(local) == 1:
        return local[0]
    if local:
        raise UsageError(f"the spec declares several local environments ({', '.join(local)}): choose one with --env")
    raise UsageError("the spec declares no local environment: add one (e.g. `local: {type: local}` under "
                     "`environments`), or name one with --env")


def dev(spec: Spec, env_name: str, command: list[str], reset: bool, with_cron: bool, console: Console) -> int:
    """Run ENV's local infrastructure, and COMMAND against it when given: its exit code (else 0)."""
    session = DevSession(spec, env_name, console.info)
    if added := ignore_local_files(session.env.spec_file.parent):
        console.info(f".gitignore now ignores {' and '.join(added)} (local data, logs and plaintext local secrets)")
    with stop_signals():
        try:
            with session.running(reset, with_cron) as running:
                console.info(f"{env_name} ready in {running.ready_seconds:.1f} s; data in "
                             f"{session.folder.path}; DEPLOYER_OUTPUTS={session.folder.outputs}")
                for name, url, serves in servers_table(running):
                    console.info(f"  {name:<18} {url:<24} {serves}")
                if command:
                    return run_command(command, running.environment)
                console.info("press Ctrl-C to stop")
                wait_for_interrupt()
                return 0
        except KeyboardInterrupt:  # during the start: everything started is stopped already
            return 130


def cron_run(spec: Spec, env_name: str, job: str, console: Console) -> None:
    console.info(run_job(local_env(spec, env_name), job))


def running_outputs(spec: Spec, env_name: str) -> tuple[ResolvedEnv, dict]:
    """ENV and the outputs of the `deployer dev` running it (exit 4 when none is)."""
    env = local_env(spec, env_name)
    return env, LocalFolder(env).running_outputs()
