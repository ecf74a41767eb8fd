"""Fixtures shared by every test folder: spec files written on the fly, the CLI run in-process."""

import sys
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from deployer.cli import main


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_main(*args: str, stdin: str | None = None) -> Run:
    """`deployer ARGS` exactly as the console script runs it (deployer.cli.main, its exit codes and
    error handling), in-process. Internal errors raise instead of being summarised (DEPLOYER_DEBUG)."""
    runner = CliRunner()
    with runner.isolation(input=stdin, env={"DEPLOYER_DEBUG": "1", "NO_COLOR": "1"}) as (out, err, _):
        argv, sys.argv = sys.argv, ["deployer", *args]
        code = 0
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        return Run(code, out.getvalue().decode(), err.getvalue().decode())


# What the machine running the tests may have set (CI=true on every CI service) and deployer reads:
# each test starts without them, and a test about one sets it itself.
OUTER_SETTINGS = ("CI", "DEPLOYER_ALLOW_LOCAL_STATE", "DEPLOYER_ENV", "DEPLOYER_SPEC", "DEPLOYER_OUTPUTS")


@pytest.fixture(autouse=True)
def without_outer_settings(monkeypatch):
    for name in OUTER_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def deployer():
    """Run `deployer ARGS` in-process: `deployer("--spec", path, "validate")` -> Run."""
    return run_main


@pytest.fixture
def spec_file(tmp_path):
    """Write a spec (dedented) to tmp_path/infra.yaml or infra.cue and return its path."""

    def write(text: str, name: str = "infra.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    return write


@pytest.fixture
def problems(deployer, spec_file):
    """`problems(text)`: the problems `deployer validate` prints for the spec TEXT (which it must refuse),
    each `LINE: spec.path: message`."""

    def validate(text: str) -> list[str]:
        path = spec_file(text)
        run = deployer("--spec", str(path), "validate")
        assert run.exit_code == 1, run.stderr
        return [line.removeprefix(f"{path}:") for line in run.stderr.splitlines()]

    return validate


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@cache
def _example_env(example: str, env: str):
    from deployer.speclang.load import load_spec, resolve

    return resolve(load_spec(EXAMPLES / example), env)


@cache
def _example_plan(example: str, env: str) -> dict:
    from deployer.plan.document import build_plan

    return build_plan(_example_env(example, env))


@pytest.fixture(scope="session")
def example_env():
    """`example_env("shop-yaml", "prod")`: an example's resolved environment, resolved once per session."""
    return _example_env


@pytest.fixture(scope="session")
def example_plan():
    """`example_plan("shop", "prod")`: the plan document of an example's environment, built once per session."""
    return _example_plan
