"""The cache of CUE evaluations under .deployer/cue beside the spec: an unchanged spec is not evaluated
again, and never answered stale: a changed file of the package, a changed tag, a changed module file
or a changed evaluator evaluates anew."""

import pytest

from deployer.speclang import cue
from deployer.speclang.load import load_spec, resolve, validate

SPEC = """\
package infra

env: string @tag(env)
app: "shop"
aws: region: "eu-west-1"
if env == "prod" {buckets: "audit-log": versioned: true}
"""
UNTAGGED = 'package infra\n\napp: "shop"\naws: region: "eu-west-1"\n'


@pytest.fixture
def spec(tmp_path):
    (tmp_path / "infra.cue").write_text(SPEC)
    return tmp_path / "infra.cue"


def buckets(spec_file, env: str) -> list[str]:
    return sorted(resolve(load_spec(spec_file), env).spec.buckets)


def test_an_unchanged_spec_is_evaluated_once_per_tag(spec, evaluations):
    assert validate(load_spec(spec)) == []
    first = len(evaluations)
    assert first == len({tuple(args) for args in evaluations})  # one evaluation per environment
    assert validate(load_spec(spec)) == []
    assert buckets(spec, "prod") == ["audit-log"] and buckets(spec, "dev") == []
    assert len(evaluations) == first
    assert (spec.parent / ".deployer/cue/.gitignore").read_text().endswith("*\n")


def test_a_changed_tag_is_evaluated_apart(spec, evaluations):
    assert buckets(spec, "prod") == ["audit-log"]
    assert buckets(spec, "dev") == []
    assert [args[-1] for args in evaluations] == ["env=prod", "env=dev"]


def test_a_changed_file_of_the_package_is_evaluated_again(tmp_path, evaluations):
    spec = tmp_path / "infra.cue"
    spec.write_text(UNTAGGED)  # evaluated once for every environment
    assert buckets(spec, "dev") == []
    (tmp_path / "buckets.cue").write_text('package infra\n\nbuckets: uploads: {}\n')
    assert buckets(spec, "dev") == ["uploads"]
    (tmp_path / "buckets.cue").write_text('package infra\n\nbuckets: reports: {}\n')
    assert buckets(spec, "dev") == ["reports"]
    spec.write_text(UNTAGGED + 'buckets: audit: {}\n')
    assert buckets(spec, "dev") == ["audit", "reports"]
    assert len(evaluations) == 4


def test_a_changed_file_of_the_module_is_evaluated_again(tmp_path, evaluations):
    spec = tmp_path / "infra.cue"
    spec.write_text(UNTAGGED)
    (tmp_path / "cue.mod").mkdir()
    (tmp_path / "cue.mod/module.cue").write_text('module: "example.com/shop"\n')
    assert buckets(spec, "dev") == []
    (tmp_path / "cue.mod/module.cue").write_text('module: "example.com/shop2"\n')
    assert buckets(spec, "dev") == []
    assert len(evaluations) == 2


def test_problems_are_kept_and_given_again_in_the_same_words(spec, evaluations):
    spec.write_text(SPEC + 'app: "other"\n')
    first = validate(load_spec(spec))
    count = len(evaluations)
    assert first and validate(load_spec(spec)) == first
    assert len(evaluations) == count


def test_a_changed_evaluator_evaluates_again(tmp_path, monkeypatch):
    """A stand-in `cue` (DEPLOYER_CUE) that answers with its own version: upgrading it re-evaluates."""
    evaluator = tmp_path / "cue"
    spec = tmp_path / "infra.cue"
    spec.write_text('app: "shop"\n')
    monkeypatch.setenv("DEPLOYER_CUE", str(evaluator))
    cue.cue_command.cache_clear()
    try:
        for version in ("one", "two-and-longer"):
            evaluator.write_text(f'#!/bin/sh\necho \'{{"app": "{version}"}}\'\n')
            evaluator.chmod(0o755)
            assert load_spec(spec).data()["app"] == version
    finally:
        cue.cue_command.cache_clear()


def test_local_secrets_are_never_cached(tmp_path, evaluations):
    from deployer.secrets.local_override import _cue_values

    (tmp_path / ".secrets.local.cue").write_text('StripeAPIKey: "sk_test_local"\n')
    assert _cue_values(tmp_path / ".secrets.local.cue") == {"StripeAPIKey": "sk_test_local"}
    assert not (tmp_path / ".deployer").exists()
