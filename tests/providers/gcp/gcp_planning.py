"""Planning GCP environments offline: focused specs, plan lookups, the engine's view of resources."""

import textwrap

import pulumi

from deployer.plan.offline import PlaceholderMocks, PlannedResource, run_offline
from deployer.spec.load import ResolvedEnv
from providers.gcp import PROVIDER

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


class GcpPlan:
    """A plan document (`plan --format json`) with lookups by type and logical name."""

    def __init__(self, document: dict):
        self.document = document
        self.resources = document["resources"]
        self.by_urn = {r["urn"]: r for r in self.resources}

    def all(self, type_: str) -> list[dict]:
        return [r for r in self.resources if r["type"] == type_]

    def names(self, type_: str) -> set[str]:
        return {r["name"] for r in self.all(type_)}

    def one(self, type_: str, name: str) -> dict:
        found = [r for r in self.all(type_) if r["name"] == name]
        assert len(found) == 1, f"{type_} {name}: have {sorted(self.names(type_))}"
        return found[0]

    def inputs(self, type_: str, name: str) -> dict:
        return self.one(type_, name)["inputs"]

    def depends_on(self, type_: str, name: str) -> set[tuple[str, str]]:
        """(type, name) of every resource this one depends on."""
        return {(self.by_urn[u]["type"], self.by_urn[u]["name"]) for u in self.one(type_, name)["dependsOn"]}

    @property
    def services(self) -> dict:
        return self.document["outputs"]["services"]


def write_spec(tmp_path, body: str):
    path = tmp_path / "infra.yaml"
    path.write_text(BASE + textwrap.dedent(body))
    return path


def planned_resources(env: ResolvedEnv) -> list[PlannedResource]:
    """Every resource as the mock engine registered it, with options the plan document leaves out
    (retainOnDelete)."""
    def program() -> None:
        PROVIDER.program(env, {name: pulumi.Output.secret("value") for name in env.spec.used_secrets()})

    return run_offline(program, PlaceholderMocks(PROVIDER.mock_state, PROVIDER.mock_call),
                       project=env.app, stack=env.stack).resources
