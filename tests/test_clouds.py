"""A cloud is one package behind one interface: a third cloud, registered from outside the core,
runs through validate, plan, eject and the Encore config without any change to deployer."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import toy_cloud
from support.ejected import run_ejected

from deployer import clouds
from deployer.encore import encore_config
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

TOY_SPEC = """
app: shop
provider: toy
buckets: {avatars: {}, receipts-archive-of-many-years: {}}
services:
  api:
    uses: {buckets: {avatars: [download, upload]}}
environments:
  prod: {type: production}
  dev: {type: development}
"""


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(clouds, "_registered", {})
    clouds.register(toy_cloud.CLOUD)
    return toy_cloud.CLOUD


def test_the_registry_knows_the_built_in_clouds_and_a_registered_one(toy):
    assert {"aws", "gcp", "toy"} <= set(clouds.registered())
    assert clouds.cloud("toy") is toy


def test_a_third_cloud_validates_with_its_own_rules(toy, spec_file, deployer):
    good = spec_file(TOY_SPEC)
    assert deployer("--spec", str(good), "validate").exit_code == 0
    bad = spec_file(TOY_SPEC.replace("avatars: {}", "avatars: {versioned: true}"))
    result = deployer("--spec", str(bad), "validate", "--env", "prod")
    assert result.exit_code == 1
    assert "infra.yaml:3: buckets.avatars.versioned: Toy Cloud keeps one version of an object" in result.stderr


def test_a_section_the_environments_cloud_does_not_implement_is_refused_by_validate(toy, spec_file, deployer):
    result = deployer("--spec", str(spec_file(TOY_SPEC + "caches: {sessions: {}}\n")), "validate", "--env", "prod")
    assert result.exit_code == 1
    assert ("infra.yaml:10: caches: Toy Cloud has no caches in deployer (it implements buckets, queues): use another "
            "provider for this environment, or leave them out of it in its overrides") in result.stderr


def test_an_unknown_cloud_is_a_located_problem(spec_file, deployer):
    result = deployer("--spec", str(spec_file(TOY_SPEC)), "validate")
    assert result.exit_code == 1
    assert 'infra.yaml:2: provider: "toy" is not allowed; expected "aws" or "gcp"' in result.stderr


def test_a_third_cloud_plans_under_its_own_limits_and_mocks(toy, spec_file, deployer):
    result = deployer("--spec", str(spec_file(TOY_SPEC)), "plan", "--env", "prod", "--format", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    buckets = {r["name"]: r for r in plan["resources"] if r["type"] == "toy:storage:Bucket"}
    assert buckets["avatars"]["inputs"]["bucketName"] == "shop-prod-avatars"
    assert buckets["avatars"]["protect"] is True
    shortened = buckets["receipts-archive-of-many-years"]["inputs"]["bucketName"]
    assert len(shortened) == toy.name_limits["bucket"]
    api = plan["outputs"]["services"]["api"]["buckets"]["avatars"]
    assert api == {"name": "shop-prod-avatars", "url": "toy://shop-prod-avatars", "permissions": ["download", "upload"]}


def test_a_third_cloud_maps_its_outputs_to_encore(toy, spec_file):
    env = resolve(load_spec(spec_file(TOY_SPEC)), "prod")
    config = encore_config(env, build_plan(env)["outputs"])
    assert config["metadata"]["cloud"] == "toy"
    assert config["object_storage"] == [{"type": "toy", "buckets": {"avatars": {"name": "shop-prod-avatars"}}}]


def test_a_third_cloud_ejects_a_project_that_creates_what_plan_shows(toy, spec_file, deployer, tmp_path):
    spec = spec_file(TOY_SPEC)
    out = tmp_path / "ejected"
    assert deployer("--spec", str(spec), "eject", "--env", "dev", "--out", str(out)).exit_code == 0
    assert (out / "Pulumi.shop-dev.yaml").read_text() == "config:\n  toy:zone: dev-zone\n"
    env = resolve(load_spec(spec), "dev")
    planned = {(r["type"], r["name"]): r["inputs"] for r in build_plan(env)["resources"]}
    ejected = run_ejected(out, env.app, env.stack, toy_cloud.__file__, {}, vendored=("deployer", "support"))
    assert {(r["type"], r["name"]): r["inputs"] for r in ejected["resources"]} == planned
    assert ejected["loaded"] and all(path.startswith(str(out)) for path in ejected["loaded"])


REGISTERING = """
import sys
from deployer import clouds, primitives
from support import toy_primitive
primitives.register(toy_primitive.QUEUES)
from support import toy_cloud
clouds.register(toy_cloud.CLOUD)
from deployer.cli import main
sys.argv[0] = "deployer"
main()
"""


def test_a_primitive_registered_from_outside_the_core_validates_and_plans(spec_file, tmp_path):
    """A new section needs no core edit: its primitive and a cloud that implements it are enough; a
    cloud that does not is refused by validate."""
    def deployer(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", REGISTERING, *args], check=False, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)}, timeout=120)

    spec = spec_file(TOY_SPEC + "queues: {jobs: {retentionDays: 3}}\n")
    result = deployer("--spec", str(spec), "plan", "--env", "prod", "--format", "json")
    assert result.returncode == 0, result.stderr
    queues = [r for r in json.loads(result.stdout)["resources"] if r["type"] == "toy:messaging:Queue"]
    assert [(q["name"], q["inputs"]) for q in queues] == [("jobs", {"queueName": "shop-prod-jobs", "retentionDays": 3})]
    elsewhere = spec_file(TOY_SPEC.replace("provider: toy", "provider: aws\naws: {region: eu-west-1}")
                          + "queues: {jobs: {retentionDays: 3}}\n")
    result = deployer("--spec", str(elsewhere), "validate")
    assert result.returncode == 1
    assert "queues: AWS has no queues in deployer (it implements buckets, caches, databases, topics)" in result.stderr
