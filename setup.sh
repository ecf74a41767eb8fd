#!/usr/bin/env bash
# Installs deployer and everything it needs into .venv (and .tools for CUE), then plans the example.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "deployer needs Python 3.11 or newer ($python is older); set PYTHON=python3.11" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
# uv installs the cloud SDKs (hundreds of MB) many times faster than pip: the one on PATH, else one
# pip installs into .venv (a small wheel); pip itself where uv cannot be had.
uv=$(command -v uv || echo .venv/bin/uv)
[ -x "$uv" ] || .venv/bin/python -m pip install --quiet --disable-pip-version-check uv || true
if [ -x "$uv" ]; then
  # compiled once here: every later process imports the SDKs from bytecode (pip compiles by default)
  "$uv" pip install --quiet --compile-bytecode --python .venv/bin/python -e '.[all,test]'
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[all,test]'
fi

# CUE: a native `cue` (PATH or DEPLOYER_CUE) wins; otherwise the real evaluator as WebAssembly.
if [ -z "${DEPLOYER_CUE:-}" ] && ! command -v cue >/dev/null; then
  command -v npm >/dev/null || { echo "no cue and no npm: install cue or Node.js" >&2; exit 1; }
  (cd .tools && npm install --silent --no-audit --no-fund)
fi

.venv/bin/deployer --spec examples/shop validate
.venv/bin/deployer --spec examples/shop plan --env prod
