"""`deployer eject`: the written project runs without deployer and creates what `plan` shows.

The ejected program runs under Pulumi's mock runtime in a subprocess started without site
customisation (`python -S`): only the ejected folder and the third-party packages are importable,
so deployer itself (installed in editable mode) cannot be."""

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SECRETS = {"StripeAPIKey": "sk_live_abc123", "SendGridToken": "SG.xyz789", "CRMToken": "crm-token-42"}

# Pulumi's mock runtime, the resources recorded as they register; the ids/outputs come from the
# cloud's own mocks file (the same answers `plan` uses), loaded apart from the ejected modules.
RUNNER = """
import asyncio, json, runpy, sys
project, stack, folder = sys.argv[1:4]
sys.path[:0] = [folder + "/vendor"]
import pulumi
from pulumi.runtime import mocks, settings
from pulumi.runtime.stack import run_pulumi_func
import importlib.util
mocks_module = importlib.util.spec_from_file_location("cloud_mocks", sys.argv[4])
cloud_mocks = importlib.util.module_from_spec(mocks_module)
mocks_module.loader.exec_module(cloud_mocks)
mock_state, mock_call = cloud_mocks.mock_answers()

records = []

class Mocks(mocks.Mocks):
    def new_resource(self, args):
        records.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        resource_id, extra = mock_state(args.typ, args.name, args.inputs)
        return resource_id, {**args.inputs, **extra}

    def call(self, args):
        return mock_call(args.token, args.args)

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
mocks.set_mocks(Mocks(), project=project, stack=stack, preview=False)
root = settings.get_root_resource()

async def program():
    runpy.run_path(folder + "/__main__.py", run_name="__main__")
    root._finish()

loop.run_until_complete(run_pulumi_func(program))
loaded = sorted({m.__file__ for m in list(sys.modules.values())
                 if m.__name__.split(".")[0] in ("deployer", "providers") and getattr(m, "__file__", None)})
print(json.dumps({"resources": records, "loaded": loaded}, default=str))
"""


def mocks_file(provider: str) -> str:
    return importlib.util.find_spec(f"deployer.providers.{provider}.mocks").origin


def run_ejected(folder: Path, env, secrets: dict[str, str]) -> dict:
    site_packages = sysconfig.get_paths()["purelib"]
    environ = {**os.environ, "PULUMI_CONFIG": json.dumps({f"secrets:{k}": v for k, v in secrets.items()}),
               "PYTHONPATH": site_packages}
    result = subprocess.run(
        [sys.executable, "-S", "-c", RUNNER, env.app, env.stack, str(folder), mocks_file(env.provider)],
        cwd=folder, env=environ, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def without_secrets(inputs: dict, plan_inputs: dict) -> dict:
    """The ejected run's inputs, with the values `plan` masks replaced by the mask."""
    return {k: "[secret]" if plan_inputs.get(k) == "[secret]" else v for k, v in inputs.items()}


def test_the_ejected_project_creates_what_plan_shows(deployer, tmp_path):
    # AWS only: importing pulumi_gcp alone takes seconds; both providers share the ejection code
    spec, env_name = EXAMPLES / "shop-yaml/infra.yaml", "prod"
    out = tmp_path / "ejected"
    result = deployer("--spec", str(spec), "eject", "--env", env_name, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in out.iterdir()} >= {"Pulumi.yaml", "__main__.py", "requirements.txt", "environment.json"}

    env = resolve(load_spec(spec), env_name)
    plan = build_plan(env, SECRETS)
    ejected = run_ejected(out, env, SECRETS)

    assert all(Path(f).is_relative_to(out) for f in ejected["loaded"]), "deployer was imported from outside"
    planned = {(r["type"], r["name"]): r["inputs"] for r in plan["resources"]}
    created = {(r["type"], r["name"]): r["inputs"] for r in ejected["resources"]}
    assert created.keys() == planned.keys()
    for key, inputs in planned.items():
        assert json.loads(json.dumps(without_secrets(created[key], inputs))) == inputs, key


def test_secret_values_are_never_written(deployer, tmp_path):
    out = tmp_path / "ejected"
    assert deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "prod", "--out", str(out)).exit_code == 0
    written = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "secrets:StripeAPIKey" in (out / "README.md").read_text()
    assert not any(value in written for value in SECRETS.values())


def test_refuses_a_folder_in_use_and_a_local_environment(deployer, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    busy = deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "prod", "--out", str(tmp_path))
    assert busy.exit_code == 2 and "is not empty" in busy.stderr
    local = deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "local", "--out", str(tmp_path / "x"))
    assert local.exit_code == 2 and "never deployed to a cloud" in local.stderr
