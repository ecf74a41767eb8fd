"""CUE's evaluation within a time and a memory limit (DEPLOYER_CUE_TIMEOUT, DEPLOYER_CUE_MEMORY), stopped
with a located error that says how to raise them; CUE files that are not UTF-8 refused at their line."""

import time

import pytest

from deployer.errors import EXIT_INVALID, EXIT_USAGE

BASE = 'app: "shop"\naws: region: "eu-west-1"\n'
# Four million products: minutes of evaluation, slowly growing memory.
ENDLESS = 'import "list"\n' + BASE + 'x: [for a in list.Range(0, 2000, 1) for b in list.Range(0, 2000, 1) {a*b}]\n'
# Three million structs: memory grows by tens of MB a second.
HUNGRY = 'import "list"\n' + BASE + 'x: [for a in list.Range(0, 3000000, 1) {{a: a, b: "item-\\(a)"}}]\n'


def test_an_endless_evaluation_is_stopped_at_the_time_limit(deployer, spec_file, monkeypatch):
    monkeypatch.setenv("DEPLOYER_CUE_TIMEOUT", "2")
    spec = spec_file(ENDLESS, "infra.cue")
    started = time.monotonic()
    run = deployer("--spec", str(spec), "validate")
    assert time.monotonic() - started < 10
    assert run.exit_code == EXIT_INVALID
    assert "infra.cue: CUE's evaluation was stopped after 2 s, its time limit" in run.stderr
    assert "raise DEPLOYER_CUE_TIMEOUT (seconds)" in run.stderr
    spec.write_text(BASE)  # the evaluator stopped, the next evaluation gets a new one
    monkeypatch.delenv("DEPLOYER_CUE_TIMEOUT")  # a cold evaluator may take more than 2 s on a busy machine
    assert deployer("--spec", str(spec), "validate").exit_code == 0


def test_a_hungry_evaluation_is_stopped_at_the_memory_limit(deployer, spec_file, monkeypatch):
    monkeypatch.setenv("DEPLOYER_CUE_MEMORY", "200")
    run = deployer("--spec", str(spec_file(HUNGRY, "infra.cue")), "validate")
    assert run.exit_code == EXIT_INVALID
    assert "infra.cue: CUE's evaluation was stopped at 200 MB, its memory limit" in run.stderr
    assert "raise DEPLOYER_CUE_MEMORY (MB)" in run.stderr


@pytest.mark.parametrize("value", ["soon", "0", "-5", "٣"])
def test_a_limit_that_is_not_a_whole_number_is_a_usage_error(deployer, spec_file, monkeypatch, value):
    monkeypatch.setenv("DEPLOYER_CUE_TIMEOUT", value)
    run = deployer("--spec", str(spec_file(BASE, "infra.cue")), "validate")
    assert run.exit_code == EXIT_USAGE
    assert f"DEPLOYER_CUE_TIMEOUT must be a whole number of seconds above 0, not {value!r}" in run.stderr


@pytest.mark.parametrize("name", ["infra.cue", "buckets.cue"])
def test_a_cue_file_that_is_not_utf8_is_refused_at_its_line(deployer, spec_file, name):
    spec = spec_file("package infra\n" + BASE, "infra.cue")
    (spec.parent / name).write_bytes(b"package infra\n\ntags: owner: \"Jos\xe9\"\n")
    run = deployer("--spec", str(spec), "validate")
    assert run.exit_code == EXIT_INVALID
    assert f"{name}:3: not UTF-8 text (byte 0xe9): save it as UTF-8" in run.stderr
