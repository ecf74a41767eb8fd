"""Plans of focused AWS specs, built through the real loader, the real program and Pulumi's mock runtime."""

import json
import textwrap

import pytest

from deployer.plan.document import build_plan
from deployer.spec.load import load_spec, resolve

BASE = """
app: shop
provider: aws
environments:
  prod: {type: production}
  dev: {type: development}
  pr-1: {type: preview}
"""


class Plan:
    """A plan document with lookups by type and logical name."""

    def __init__(self, document: dict):
        self.document = document
        self.resources = document["resources"]
        self.by_urn = {r["urn"]: r for r in self.resources}

    def all(self, type_: str) -> list[dict]:
        return [r for r in self.resources if r["type"] == type_]

    def one(self, type_: str, name: str) -> dict:
        found = [r for r in self.all(type_) if r["name"] == name]
        assert len(found) == 1, f"{type_} {name}: {[r['name'] for r in self.all(type_)]}"
        return found[0]

    def inputs(self, type_: str, name: str) -> dict:
        return self.one(type_, name)["inputs"]

    def policy(self, type_: str, name: str, field: str = "policy") -> dict:
        return json.loads(self.inputs(type_, name)[field])

    @property
    def outputs(self) -> dict:
        return self.document["outputs"]


@pytest.fixture
def aws_plan(tmp_path):
    """`aws_plan(yaml_body, env="prod", aws=...)`: the plan of BASE, the `aws` settings and `yaml_body`."""

    def plan(body: str, env: str = "prod", aws: str = "{region: eu-west-1, tags: {team: commerce}}") -> Plan:
        path = tmp_path / "infra.yaml"
        path.write_text(f"{BASE}aws: {aws}\n{textwrap.dedent(body)}")
        return Plan(build_plan(resolve(load_spec(path), env)))

    return plan
