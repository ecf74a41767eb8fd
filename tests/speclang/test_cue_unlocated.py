"""CUE reports some problems without a position (issue 15, point 10): each still reaches the user as
FILE:LINE, through `deployer validate` and the real CUE evaluator."""

import pytest

from deployer.errors import EXIT_INVALID


@pytest.fixture(autouse=True)
def in_spec_folder(tmp_path, monkeypatch):
    """Files shown relative to the current folder, as a user in the spec's folder sees them."""
    monkeypatch.chdir(tmp_path)

BASE = 'app: "shop"\naws: region: "eu-west-1"\n'


def validate_output(deployer, spec) -> list[str]:
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code == EXIT_INVALID, result.stderr
    return result.stderr.splitlines()


def test_an_incomplete_value_is_located_on_its_field(deployer, spec_file):
    spec = spec_file(BASE + "buckets: uploads: {\n\tversioned: bool\n}\n", "infra.cue")
    assert "infra.cue:4: buckets.uploads.versioned: incomplete value bool" in validate_output(deployer, spec)


def test_a_spec_that_is_not_a_struct_is_located_on_its_value(deployer, spec_file):
    spec = spec_file('// the shop\npackage infra\n\n"just a string"\n', "infra.cue")
    [line] = validate_output(deployer, spec)
    assert line.startswith("infra.cue:4: the spec must be a mapping of fields")


def test_a_second_package_in_the_folder_is_located_on_its_package_clause(deployer, spec_file):
    spec = spec_file("package infra\n" + BASE, "infra.cue")
    (spec.parent / "buckets.cue").write_text("// buckets\npackage storage\n\nbuckets: uploads: {}\n")
    [line] = validate_output(deployer, spec)
    assert line.startswith("buckets.cue:2: package storage, where infra.cue declares package infra")


def test_a_nul_byte_is_located_on_its_line(deployer, spec_file):
    spec = spec_file(BASE + 'services: api: url: "https://api.exa\0mple.com"\n', "infra.cue")
    assert validate_output(deployer, spec) == ["infra.cue:3: a NUL byte: a CUE file is text (remove it)"]
