"""Running an ejected project under Pulumi's mock runtime, in a subprocess started without site
customisation (`python -S`): only the ejected folder and the third-party packages are importable,
so deployer itself (installed in editable mode) cannot be."""

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

# Pulumi's mock runtime, the resources recorded as they register; the ids/outputs come from the
# cloud's own mocks file (the same answers `plan` uses), loaded apart from the ejected modules.
RUNNER = """
import asyncio, json, runpy, sys
project, stack, folder, mocks_file, vendored = sys.argv[1:6]
sys.path[:0] = [folder + "/vendor"]
import pulumi
from pulumi.runtime import mocks, settings
from pulumi.runtime.stack import run_pulumi_func
import importlib.util
mocks_module = importlib.util.spec_from_file_location("cloud_mocks", mocks_file)
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
                 if m.__name__.split(".")[0] in vendored.split(",") and getattr(m, "__file__", None)})
print(json.dumps({"resources": records, "loaded": loaded}, default=str))
"""


def cloud_mocks_file(provider: str) -> str:
    """The file of a built-in cloud's mock answers (`mock_answers()`)."""
    return importlib.util.find_spec(f"deployer.providers.{provider}.mocks").origin


def run_ejected(folder: Path, app: str, stack: str, mocks_file: str, secrets: dict[str, str],
                vendored: tuple[str, ...] = ("deployer",)) -> dict:
    """Run the ejected project in FOLDER under mocks; the resources it registered and the files it
    loaded of the VENDORED packages."""
    site_packages = sysconfig.get_paths()["purelib"]
    environ = {**os.environ, "PULUMI_CONFIG": json.dumps({f"secrets:{k}": v for k, v in secrets.items()}),
               "PYTHONPATH": site_packages}
    result = subprocess.run(
        [sys.executable, "-S", "-c", RUNNER, app, stack, str(folder), mocks_file, ",".join(vendored)],
        cwd=folder, env=environ, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])
