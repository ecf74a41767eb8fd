"""The plan of an environment: every resource `up` would manage, computed offline (CLI.md `plan`)."""

from collections.abc import Mapping

import pulumi

from deployer.clouds import cloud
from deployer.errors import UsageError, quoted
from deployer.plan.offline import SECRET, PlaceholderMocks, run_offline
from deployer.speclang.resolved import ResolvedEnv


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
    run = run_offline(program, mocks, project=env.app, stack=env.stack)
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

