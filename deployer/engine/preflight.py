"""What must hold before deployer calls the Pulumi engine, checked in a fixed order (cheapest and
most likely first), each failure a precondition error (exit 4) that names the fix."""

import os
import shutil
from collections.abc import Iterator, Mapping

from deployer.clouds import cloud
from deployer.errors import PreconditionMissing, SpecInvalid, UsageError, quoted
from deployer.speclang.load import Spec, resolve, validate
from deployer.speclang.resolved import ResolvedEnv

PULUMI_INSTALL = "https://www.pulumi.com/docs/install/"
PULUMI_HINT = f"install it ({PULUMI_INSTALL}, e.g. `curl -fsSL https://get.pulumi.com | sh`) and put `pulumi` on PATH"


def deployable_env(spec: Spec, env_name: str) -> None:
    """A `local` environment is never deployed to a cloud (usage error, exit 2)."""
    if not spec.environment(env_name).deployable:
        raise UsageError(f"{quoted(env_name)} is a local environment: it is never deployed to a cloud "
                         "(validate it with `deployer validate --env`, run its services against local "
                         "infrastructure)")


def check_spec(spec: Spec, env_name: str) -> ResolvedEnv:
    deployable_env(spec, env_name)
    if problems := validate(spec, env_name):
        listed = "\n".join(str(p) for p in problems)
        raise PreconditionMissing(f"the spec does not validate for {env_name}:\n{listed}\n"
                                  f"fix these (see `deployer validate --env {env_name}`), then run again")
    return resolve(spec, env_name)


def check_shared_state(env: ResolvedEnv, environ: Mapping[str, str] = os.environ) -> None:
    """In CI (`CI=true`, as GitHub Actions, GitLab and most others set it), a file backend lives on a
    runner that is thrown away with the job: the next run would create every resource again."""
    if environ.get("CI", "").lower() not in ("true", "1"):
        return
    state = env.spec.state
    if state and not state.startswith("file://"):
        return
    where = state or ".deployer/state beside the spec"
    raise PreconditionMissing(
        f"CI=true and the state of {env.name} would be kept in a file backend ({where}), which goes with this "
        "runner: the next run would not know what exists. Set `state:` in the spec to a shared backend "
        "(`state: s3://BUCKET/deployer`, `gs://BUCKET/deployer` or `https://api.pulumi.com`), or, where that "
        "folder outlives the job, pass --allow-local-state (or set DEPLOYER_ALLOW_LOCAL_STATE=1)")


def check_secret_values(env: ResolvedEnv) -> None:
    from deployer.secrets.resolution import MissingSecrets, missing_secrets

    if missing := missing_secrets(env, env.spec_file):
        raise MissingSecrets(env, sorted(missing), env.spec_file)


def check_credentials(provider: str, environ: Mapping[str, str] = os.environ) -> None:
    target = cloud(provider)
    if not target.has_credentials(environ):
        raise PreconditionMissing(target.credentials_hint)


def check_pulumi_cli() -> None:
    if not shutil.which("pulumi"):
        raise PreconditionMissing(f"the Pulumi CLI is not installed: {PULUMI_HINT}")


def check_passphrase(env: ResolvedEnv) -> None:
    """The default secrets provider encrypts the stack's secrets with a passphrase."""
    if env.spec.secrets_provider in (None, "passphrase") and not (
            "PULUMI_CONFIG_PASSPHRASE" in os.environ or os.environ.get("PULUMI_CONFIG_PASSPHRASE_FILE")):
        raise PreconditionMissing(
            "no passphrase for the stack's secrets: set PULUMI_CONFIG_PASSPHRASE (or "
            "PULUMI_CONFIG_PASSPHRASE_FILE), or give `secretsProvider: \"awskms://…\"` / \"gcpkms://…\" "
            "in the spec")


def preflight(spec: Spec, env_name: str, runs_program: bool = True, shared_state: bool = False) -> ResolvedEnv:
    """Everything `preview`, `up`, `destroy` and `refresh` need, in order; the resolved environment.
    Secret values matter only where the program runs (not for `destroy` and `refresh`); SHARED_STATE:
    the state must outlive a CI job (it is written, and --allow-local-state was not given)."""
    env = check_spec(spec, env_name)
    if shared_state:
        check_shared_state(env)
    if runs_program:
        check_secret_values(env)
    check_credentials(env.provider)
    check_pulumi_cli()
    check_passphrase(env)
    return env


def notes(spec: Spec, env: ResolvedEnv) -> list[str]:
    """What ENV's cloud says before a deploy, beside the spec's other environments on it (resolved only
    if the cloud asks; those that validate: another one is not deployed either)."""
    def neighbours() -> Iterator[ResolvedEnv]:
        for name, info in spec.environments().items():
            if name != env.name and info.deployable and info.provider == env.provider:
                try:
                    yield resolve(spec, name)
                except SpecInvalid:
                    continue

    return list(cloud(env.provider).notes(env, neighbours()))


def state_preflight(spec: Spec, env_name: str) -> ResolvedEnv:
    """What reading a stack's state (`outputs`) needs: a valid spec, the CLI, the passphrase."""
    env = check_spec(spec, env_name)
    check_pulumi_cli()
    check_passphrase(env)
    return env
