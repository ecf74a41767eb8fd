"""`deployer doctor`: what this machine has and lacks for each command, each missing piece with the
command that installs it; exit 4 while one is missing (CLI.md's precondition)."""

import json
import os
import shutil

import pytest
from support import toy_cloud

from deployer import clouds
from deployer.providers.aws.cloud import CLOUD as AWS

AWS_SPEC = "app: shop\nprovider: aws\naws: {region: eu-west-1}\nbuckets: {avatars: {}}\n"


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A PATH with node (for CUE's fallback) but no Pulumi CLI, and no cloud credentials."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith(("AWS_", "GOOGLE_", "CLOUDSDK_")):
            monkeypatch.delenv(name)
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    return bin_folder


def rows(stdout: str) -> dict[str, list[str]]:
    return {line.split("\t")[0]: line.split("\t")[1:] for line in stdout.splitlines()[1:]}


def test_what_is_missing_is_listed_with_its_install_command_and_exits_4(deployer, spec_file, machine):
    if shutil.which("pulumi"):
        pytest.skip("a Pulumi CLI is installed on this machine")
    run = deployer("--spec", str(spec_file(AWS_SPEC)), "doctor")
    assert run.exit_code == 4
    found = rows(run.stdout)
    assert found["Pulumi CLI"][1:] == ["MISSING", "the Pulumi CLI: install it (https://www.pulumi.com/docs/install/, "
                                       "e.g. `curl -fsSL https://get.pulumi.com | sh`) and put `pulumi` on PATH"]
    assert found["AWS credentials"][1] == "MISSING" and "aws configure" in found["AWS credentials"][2]
    assert not any(part.startswith("GCP") for part in found)  # the spec deploys to AWS only


def test_a_machine_with_everything_the_spec_needs_exits_0(deployer, spec_file, machine, monkeypatch):
    (machine / "pulumi").write_text("#!/bin/sh\necho v3.200.0\n")
    (machine / "pulumi").chmod(0o755)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-one")
    run = deployer("--spec", str(spec_file(AWS_SPEC)), "doctor", "--format", "json")
    document = json.loads(run.stdout)
    assert (run.exit_code, document["missing"]) == (0, 0), document
    parts = {check["part"]: check for check in document["checks"]}
    assert parts["Pulumi CLI"]["found"] == str(machine / "pulumi")
    assert parts["AWS SDK (pulumi_aws, boto3)"]["found"].startswith("pulumi_aws 7.")


def test_a_cloud_whose_sdk_is_not_installed_names_its_extra(deployer, spec_file, machine, monkeypatch):
    class Uninstalled(toy_cloud.Toy):
        extra = "toy"
        sdk_modules = ("deployer_toy_sdk_that_is_not_installed",)

    monkeypatch.setattr(clouds, "_registered", {})
    clouds.register(Uninstalled())
    run = deployer("--spec", str(spec_file(toy_cloud_spec())), "doctor")
    assert run.exit_code == 4
    sdk = rows(run.stdout)["Toy Cloud SDK (deployer_toy_sdk_that_is_not_installed)"]
    assert sdk[1:] == ["MISSING", "pip install 'deployer-iac[toy]'"]


def test_without_a_spec_every_cloud_is_checked(deployer, tmp_path, machine):
    empty = tmp_path / "empty"
    empty.mkdir()
    parts = rows(deployer("--spec", str(empty), "doctor").stdout)
    assert {"AWS credentials", "GCP credentials"} <= set(parts)


def test_dev_without_the_local_extra_says_which_extra_and_exits_4(deployer, spec_file, monkeypatch):
    monkeypatch.setattr(type(AWS), "local_modules", ("deployer_local_server_that_is_not_installed",))
    spec = spec_file(AWS_SPEC + "environments: {local: {type: local, basePort: 23800}}\n")
    run = deployer("--spec", str(spec), "dev", "--", "true")
    assert run.exit_code == 4
    assert "pip install 'deployer-iac[local]'" in run.stderr and "deployer_local_server_that_is_not_installed" in run.stderr


def toy_cloud_spec() -> str:
    return "app: shop\nprovider: toy\nbuckets: {avatars: {}}\nenvironments: {prod: {type: production}}\n"
