"""A name holding a newline cannot split a problem into lines that read as separate problems
(issue 15, point 10)."""

import pytest

from deployer.errors import EXIT_INVALID


@pytest.fixture(autouse=True)
def in_spec_folder(tmp_path, monkeypatch):
    """Files shown relative to the current folder, as a user in the spec's folder sees them."""
    monkeypatch.chdir(tmp_path)


def test_a_newline_in_a_name_is_shown_escaped_on_the_problems_line(deployer, spec_file):
    spec = spec_file('app: shop\nprovider: aws\naws: {region: us-east-1}\nbuckets:\n  "up\\nloads: ok\\r": {}\n')
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code == EXIT_INVALID
    [line] = [line for line in result.stderr.splitlines() if "loads" in line]
    assert line.startswith("infra.yaml:5: buckets.up\\nloads: ok\\r")
