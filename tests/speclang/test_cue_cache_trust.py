"""Issue 24, point 11: the CUE cache keeps only what it can prove is the evaluation of what it keys, and
trusts nothing it finds: an entry of another shape is a miss (and replaced), a FIFO or a link is never
read, an entry over the bound is a miss, a folder another user owns or may write is not used, a package
reached through a linked folder is in the key, and a spec edited while CUE evaluates it is not cached."""

import json
import os
import sys
import time

import pytest

from deployer.speclang import cue
from deployer.speclang.load import load_spec, validate

SPEC = 'package infra\n\napp: "shop"\naws: region: "eu-west-1"\nbuckets: avatars: {}\n'


@pytest.fixture
def spec(tmp_path):
    (tmp_path / "infra.cue").write_text(SPEC)
    return tmp_path / "infra.cue"


def entry_of(spec, evaluations):
    """The cache file of the spec's (single) evaluation, after evaluating it once."""
    assert load_spec(spec).data()["app"] == "shop"
    [args] = {tuple(args) for args in evaluations}
    return cue.EvaluationCache(spec.parent / ".deployer/cue", spec)._entry(list(args))


@pytest.mark.parametrize("content", [b"[1, 2]", b'{"inputs": 1}', b'{"inputs": "x", "args": [], "result": "x"}',
                                     b"null", b"\xff\xfe", b'{"inputs": "x", "args": [], "result": [0, 1, 2]}'])
def test_an_entry_of_another_shape_is_a_miss_and_replaced(spec, evaluations, content):
    entry = entry_of(spec, evaluations)
    inputs = json.loads(entry.read_text())["inputs"]
    entry.write_bytes(content.replace(b'"x"', json.dumps(inputs).encode(), 1))

    assert load_spec(spec).data()["app"] == "shop"
    assert len(evaluations) == 2
    assert load_spec(spec).data()["app"] == "shop"
    assert len(evaluations) == 2  # replaced by a good one


@pytest.mark.parametrize("plant", ["fifo", "link to /dev/zero", "oversized"])
def test_an_entry_that_is_no_small_regular_file_is_never_read(spec, evaluations, plant, monkeypatch):
    entry = entry_of(spec, evaluations)
    entry.unlink()
    if plant == "fifo":
        os.mkfifo(entry)
    elif plant == "link to /dev/zero":
        entry.symlink_to("/dev/zero")
    else:
        monkeypatch.setattr(cue, "MAX_ENTRY_BYTES", 100)
        entry.write_text(json.dumps({"padding": "x" * 200}))
    started = time.monotonic()
    assert load_spec(spec).data()["app"] == "shop"
    assert time.monotonic() - started < 30 and len(evaluations) == 2


def forge(spec, evaluations) -> None:
    """An entry with the right key and inputs whose result says the app is "forged"."""
    entry = entry_of(spec, evaluations)
    kept = json.loads(entry.read_text())
    kept["result"][1] = kept["result"][1].replace('"shop"', '"forged"')
    entry.write_text(json.dumps(kept))
    assert load_spec(spec).data()["app"] == "forged"  # the forgery works where the folder is trusted


@pytest.mark.skipif(os.geteuid() != 0, reason="gives the folder to another user (needs root)")
def test_a_folder_another_user_owns_is_not_trusted(spec, evaluations):
    forge(spec, evaluations)
    os.chown(spec.parent / ".deployer/cue", 65534, 65534)
    assert load_spec(spec).data()["app"] == "shop"


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_a_folder_others_may_write_is_not_trusted(spec, evaluations, mode):
    forge(spec, evaluations)
    (spec.parent / ".deployer/cue").chmod(mode)
    assert load_spec(spec).data()["app"] == "shop"
    assert validate(load_spec(spec)) == []


def test_the_folder_is_made_private(spec, evaluations):
    old = os.umask(0o002)  # a user-private-group umask
    try:
        entry_of(spec, evaluations)
    finally:
        os.umask(old)
    assert (spec.parent / ".deployer/cue").stat().st_mode & 0o777 == 0o700


def test_a_package_in_a_linked_folder_is_in_the_key(tmp_path, evaluations):
    module = tmp_path / "shop"
    (module / "cue.mod").mkdir(parents=True)
    (module / "cue.mod/module.cue").write_text('module: "example.com/shop"\n')
    shared = tmp_path / "shared-names"
    shared.mkdir()
    (shared / "names.cue").write_text('package names\n\nbucket: "avatars"\n')
    (module / "names").symlink_to(shared, target_is_directory=True)
    spec = module / "infra.cue"
    spec.write_text('package infra\n\nimport "example.com/shop/names"\n\napp: "shop"\naws: region: "eu-west-1"\n'
                    'buckets: (names.bucket): {}\n')
    assert list(load_spec(spec).data()["buckets"]) == ["avatars"]
    (shared / "names.cue").write_text('package names\n\nbucket: "uploads"\n')
    assert list(load_spec(spec).data()["buckets"]) == ["uploads"]


def test_a_spec_edited_while_cue_evaluates_it_is_not_cached(tmp_path, monkeypatch):
    """A stand-in `cue` that finds the spec saved anew as it starts (the user's editor): it evaluates the
    new text, which is not the text the cache key was made of."""
    evaluator = tmp_path / "cue"
    evaluator.write_text(f"#!{sys.executable}\nimport json, re, pathlib\n"
                         "spec, saved = pathlib.Path('infra.cue'), pathlib.Path('saved')\n"
                         "if not saved.exists(): saved.touch(); spec.write_text('app: \"bravo\"\\n')\n"
                         "print(json.dumps({'app': re.search(r'\"(\\w+)\"', spec.read_text()).group(1)}))\n")
    evaluator.chmod(0o755)
    spec = tmp_path / "infra.cue"
    spec.write_text('app: "alpha"\n')
    monkeypatch.setenv("DEPLOYER_CUE", str(evaluator))
    cue.cue_command.cache_clear()
    try:
        assert load_spec(spec).data()["app"] == "bravo"  # what the evaluator read
        spec.write_text('app: "alpha"\n')  # the text the key was made of, back
        assert load_spec(spec).data()["app"] == "alpha"
    finally:
        cue.cue_command.cache_clear()
