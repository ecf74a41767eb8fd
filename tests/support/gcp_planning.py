"""Planning GCP environments offline: focused specs, plan lookups, the engine's view of resources."""

import textwrap

import pulumi

from deployer.plan.offline import PlaceholderMocks, PlannedResource, run_offline
from deployer.providers.gcp.cloud import CLOUD
from deployer.speclang.resolved import ResolvedEnv

BASE = """
app: shop
provider: gcp
gcp: {project: shop-test-1, region: europe-west1, labels: {team: commerce}}
aws: {region: eu-west-1}
environments:
  prod: {type: production}
  dev: {type: development}
  pr-1: {type: preview}
"""


def write_spec(tmp_path, body: str):
    path = tmp_path / "infra.yaml"
    path.write_text(BASE + textwrap.dedent(body))
    return path


def planned_resources(env: ResolvedEnv) -> list[PlannedResource]:
    """Every resource as the mock engine registered it, with options the plan document leaves out
    (retainOnDelete)."""
    def program() -> None:
        CLOUD.program()(env, {name: pulumi.Output.secret("value") for name in env.spec.used_secrets()})

    return run_offline(program, PlaceholderMocks(*CLOUD.mocks()),
                       project=env.app, stack=env.stack).resources
