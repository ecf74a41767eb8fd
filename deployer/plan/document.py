"""The plan of an environment: every resource `up` would manage, computed offline (CLI.md `plan`)."""

from collections.abc import Mapping

import pulumi

from deployer.clouds import UNKNOWN, cloud
from deployer.errors import UsageError, quoted
from deployer.plan.offline import SECRET, PlaceholderMocks, run_offline
from deployer.primitives import sections
from deployer.speclang.resolved import ResolvedEnv

# Entries of the spec's sections from which the program runs in a forked process (run_offline): there
# it leaves the SDK's objects uncollected, but a process that plans again imports the provider's modules
# again (measured on plan_bench.py's specs, planned thrice in one process: 30 services, 120 entries, cost
# the same either way; 100 services, 400 entries, 18% less forked).
FORK_FROM = 200


def build_plan(env: ResolvedEnv, secrets: Mapping[str, str] | None = None) -> dict:
    """The `plan --format json` document of ENV. Without `secrets`, every used secret is a
    placeholder Pulumi secret (the plan shows "[secret]" either way)."""
    if not env.info.deployable:
        raise UsageError(f"environment {quoted(env.name)} is {env.type}: local environments are never "
                         "deployed, so there is nothing to plan (pick another with --env)")
    target = cloud(env.provider)
    cloud_program = target.program()
    values = dict(secrets or {})

    def program() -> None:
        cloud_program(env, {name: pulumi.Output.secret(values.get(name, SECRET))
                               for name in env.spec.used_secrets()})

    mocks = PlaceholderMocks(*target.mocks())
    run = run_offline(program, mocks, project=env.app, stack=env.stack, in_fork=runs_forked(env))
    resources = sorted(run.resources, key=lambda r: r.urn)
    return {
        "app": env.app,
        "env": env.name,
        "envType": env.type,
        "provider": env.provider,
        "stack": env.stack,
        "resources": [{"urn": r.urn, "type": r.type, "name": r.name, "inputs": r.inputs,
                       "dependsOn": r.depends_on, "protect": r.protect, "parent": r.parent}
                      for r in resources],
        "outputs": run.outputs,
    }


def runs_forked(env: ResolvedEnv) -> bool:
    spec = env.spec
    entries = (spec.services, spec.secrets, spec.cron, *(getattr(spec, section) for section in sections()))
    return sum(map(len, entries)) >= FORK_FROM


def planned_outputs(env: ResolvedEnv) -> dict:
    """ENV's outputs as its plan computes them, offline (`outputs --planned`): each value that only a
    deploy can tell is UNKNOWN."""
    known = cloud(env.provider).known_before_deploy

    def marked(value):
        if isinstance(value, dict):
            return {key: marked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [marked(item) for item in value]
        return value if not isinstance(value, str) or known(value) else UNKNOWN

    return marked(build_plan(env)["outputs"])

