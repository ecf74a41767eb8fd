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


HEAD = """\
app: shop
provider: gcp
environments: {prod: {type: production}, dev: {type: development}}
"""
SETTINGS = "gcp: {project: shop-test-1, region: europe-west1}\n"


@pytest.fixture
def refusals(deployer, spec_file):
    """`deployer validate` of HEAD + BODY (with SETTINGS unless BODY has `gcp:`): its exit code and the
    problems it prints, as `LINE: path: message`."""

    def validate(body: str) -> tuple[int, list[str]]:
        path = spec_file(HEAD + ("" if body.startswith("gcp:") else SETTINGS) + body)
        run = deployer("--spec", str(path), "validate")
        return run.exit_code, [line.removeprefix(f"{path}:") for line in run.stderr.splitlines()
                               if line.startswith(f"{path}:")]

    return validate
