"""Issue 24, point 15: a full disk or a read-only folder (a real tmpfs each) is exit 4 naming the file
and the reason, never an internal error, and what was there is kept: the spec under `init --force`,
the store under `secret set`, the user's config folder where their age key would be made."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.filesystems import small_tmpfs

from deployer.errors import EXIT_PRECONDITION

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shop-yaml/infra.yaml"
FAULTS = {"full": ("No space left on device", {"full": True}), "read-only": ("Read-only file system", {"read_only": True})}


@pytest.fixture(params=list(FAULTS))
def faulty(request, tmp_path):
    """A folder on a full or read-only disk holding the shop spec; the reason its writes fail."""
    reason, fault = FAULTS[request.param]
    local_values = b"StripeAPIKey: a\nSendGridToken: b\nCRMToken: c\n"  # for `dev`
    with small_tmpfs(tmp_path / "disk", {"infra.yaml": EXAMPLE.read_bytes(), ".secrets.local.yaml": local_values},
                     **fault) as disk:
        yield disk, reason


def refused(result, reason: str) -> str:
    assert result.exit_code == EXIT_PRECONDITION, result.stderr
    assert reason in result.stderr and "internal error" not in result.stderr
    return result.stderr


def test_secret_set_in_a_project_on_a_faulty_disk(deployer, faulty, tmp_path, monkeypatch):
    disk, reason = faulty
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DEPLOYER_AGE_KEY", raising=False)
    refused(deployer("--spec", str(disk), "secret", "set", "--env", "prod", "StripeAPIKey", stdin="v"), reason)
    assert sorted(path.name for path in disk.iterdir() if path.name != ".filler") == [".secrets.local.yaml", "infra.yaml"]


def test_the_first_secret_set_with_a_config_folder_on_a_faulty_disk(deployer, faulty, tmp_path, monkeypatch):
    disk, reason = faulty
    shutil.copy(EXAMPLE, tmp_path / "infra.yaml")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(disk / "config"))
    monkeypatch.delenv("DEPLOYER_AGE_KEY", raising=False)
    refused(deployer("--spec", str(tmp_path), "secret", "set", "--env", "prod", "StripeAPIKey", stdin="v"), reason)
    assert not (tmp_path / "infra.secrets.yaml").exists()


def test_init_force_keeps_the_spec(deployer, faulty):
    disk, reason = faulty
    stderr = refused(deployer("--spec", str(disk), "init", "--force", "--yaml"), reason)
    assert "infra.yaml" in stderr
    assert (disk / "infra.yaml").read_bytes() == EXAMPLE.read_bytes()


def test_eject(deployer, faulty, tmp_path):
    disk, reason = faulty
    shutil.copy(EXAMPLE, tmp_path / "infra.yaml")
    stderr = refused(deployer("--spec", str(tmp_path), "eject", "--env", "prod", "--out", str(disk / "project")),
                     reason)
    assert str(disk / "project") in stderr


def test_dev(faulty):
    """(a write deployer/local/ makes on its way, caught where the command ends)"""
    disk, reason = faulty
    run = subprocess.run([str(Path(sys.executable).with_name("deployer")), "--spec", str(disk), "dev", "--env", "local",
                          "--", "true"], capture_output=True, text=True, timeout=120, check=False,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(disk), "NO_COLOR": "1"})
    assert run.returncode == EXIT_PRECONDITION, run.stderr
    assert reason in run.stderr and "internal error" not in run.stderr
