"""Plans of focused AWS specs, built through the real loader, the real program and Pulumi's mock runtime."""

import textwrap

import pytest
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

BASE = """
app: shop
provider: aws
environments:
  prod: {type: production}
  dev: {type: development}
  pr-1: {type: preview}
"""


@pytest.fixture
def aws_plan(tmp_path):
    """`aws_plan(yaml_body, env="prod", aws=...)`: the plan of BASE, the `aws` settings and `yaml_body`."""

    def plan(body: str, env: str = "prod", aws: str = "{region: eu-west-1, tags: {team: commerce}}") -> PlanView:
        path = tmp_path / "infra.yaml"
        path.write_text(f"{BASE}aws: {aws}\n{textwrap.dedent(body)}")
        return PlanView(build_plan(resolve(load_spec(path), env)))

    return plan
