"""A project folder per test: a copy of the shop example, the user's config folder inside it, no key."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyrage import x25519

from deployer.cli import cli
from deployer.speclang.load import load_spec, resolve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
YAML_EXAMPLE, CUE_EXAMPLE = EXAMPLES / "shop-yaml/infra.yaml", EXAMPLES / "shop/infra.cue"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """tmp_path/app holding the YAML shop spec, as the current folder; XDG_CONFIG_HOME in tmp_path."""
    folder = tmp_path / "app"
    folder.mkdir()
    shutil.copy(YAML_EXAMPLE, folder / "infra.yaml")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DEPLOYER_AGE_KEY", raising=False)
    return folder


@pytest.fixture
def cue_project(project) -> Path:
    """The same project with the CUE shop spec instead."""
    (project / "infra.yaml").unlink()
    shutil.copy(CUE_EXAMPLE, project / "infra.cue")
    return project


@pytest.fixture
def set_secret(deployer):
    """`deployer secret set ARGS` with VALUE on standard input; fails the test if the command does."""

    def run(value: str, *args: str):
        result = deployer("secret", "set", *args, stdin=value)
        assert result.exit_code == 0, result.stderr
        return result

    return run


@pytest.fixture
def env_of():
    """The resolved environment NAME of the spec in the current folder."""
    return lambda name: resolve(load_spec(None), name)


@pytest.fixture
def age_key(monkeypatch):
    """Act as the holder of a new identity (DEPLOYER_AGE_KEY); returns a function to switch to one."""

    def use(identity: x25519.Identity | None = None) -> x25519.Identity:
        identity = identity or x25519.Identity.generate()
        monkeypatch.setenv("DEPLOYER_AGE_KEY", str(identity))
        return identity

    return use


@pytest.fixture
def json_output():
    """The JSON document `deployer ARGS` prints on stdout (click's runner, which flushes stdout)."""

    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


@pytest.fixture
def listing(json_output):
    """`deployer secret list --format json ARGS` by secret name."""
    return lambda *args: {row["name"]: row for row in json_output("secret", "list", "--format", "json", *args)["secrets"]}
