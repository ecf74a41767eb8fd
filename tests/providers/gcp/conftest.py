"""Fixtures: GCP plans of focused specs, built by the real loader, the GCP program and Pulumi's mock runtime."""

import pytest
from support.gcp_planning import write_spec
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve


@pytest.fixture
def gcp_env(tmp_path):
    """`gcp_env(yaml_body, env="dev")`: the resolved environment of BASE plus `yaml_body`."""
    return lambda body, env="dev": resolve(load_spec(write_spec(tmp_path, body)), env)


@pytest.fixture
def gcp_plan(gcp_env):
    """`gcp_plan(yaml_body, env="dev")`: the plan document of BASE plus `yaml_body` for ENV."""
    return lambda body, env="dev": PlanView(build_plan(gcp_env(body, env)))
