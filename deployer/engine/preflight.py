"""What must hold before deployer calls the Pulumi engine, checked in a fixed order (cheapest and
most likely first), each failure a precondition error (exit 4) that names the fix."""

import os
import shutil
from collections.abc import Mapping

from deployer.clouds import cloud
from deployer.errors import PreconditionMissing, UsageError, quoted
from deployer.speclang.load import Spec, resolve, validate
from deployer.speclang.resolved import ResolvedEnv

PULUMI_INSTALL = "https://www.pulumi.com/docs/install/"


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
        raise PreconditionMissing(f"the Pulumi CLI is not installed: install it ({PULUMI_INSTALL}, "
                                  "e.g. `curl -fsSL https://get.pulumi.com | sh`) and put `pulumi` on PATH")


def check_passphrase(env: ResolvedEnv) -> None:
    """The default secrets provider encrypts the stack's secrets with a passphrase."""
    if env.spec.secrets_provider in (None, "passphrase") and not (
            "PULUMI_CONFIG_PASSPHRASE" in os.environ or os.environ.get("PULUMI_CONFIG_PASSPHRASE_FILE")):
        raise PreconditionMissing(
            "no passphrase for the stack's secrets: set PULUMI_CONFIG_PASSPHRASE (or "
            "PULUMI_CONFIG_PASSPHRASE_FILE), or give `secretsProvider: \"awskms://…\"` / \"gcpkms://…\" "
            "in the spec")


def preflight(spec: Spec, env_name: str, runs_program: bool = True) -> ResolvedEnv:
    """Everything `preview`, `up`, `destroy` and `refresh` need, in order; the resolved environment.
    Secret values matter only where the program runs (not for `destroy` and `refresh`)."""
    env = check_spec(spec, env_name)
    if runs_program:
        check_secret_values(env)
    check_credentials(env.provider)
    check_pulumi_cli()
    check_passphrase(env)
    return env


def state_preflight(spec: Spec, env_name: str) -> ResolvedEnv:
    """What reading a stack's state (`outputs`) needs: a valid spec, the CLI, the passphrase."""
    env = check_spec(spec, env_name)
    check_pulumi_cli()
    check_passphrase(env)
    return env
