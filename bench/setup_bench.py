"""Goal 4, set-up in 45 s: `./setup.sh` on a fresh clone of this repository's HEAD, with empty
package caches (as on a fresh machine), against the yardstick of the old set-up's install step, pip
installing the same requirements into a new venv. Prints both wall times, the ratio and the peak
memory of the largest process.

    .venv/bin/python bench/setup_bench.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import print_peak_memory

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        env = {**os.environ, "UV_CACHE_DIR": str(folder / "uv-cache"), "PIP_NO_CACHE_DIR": "1",
               "npm_config_cache": str(folder / "npm-cache")}
        for clone in ("setup", "pip"):
            subprocess.run(["git", "clone", "-q", str(ROOT), str(folder / clone)], check=True)
        setup = timed(["./setup.sh"], folder / "setup", env)
        subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=folder / "pip", check=True)
        pip = timed([".venv/bin/python", "-m", "pip", "install", "--quiet", "-e", ".[test]"], folder / "pip", env)
    print(f"./setup.sh on a fresh clone, empty caches: {setup:6.1f} s (goal <= 45 s)")
    print(f"pip install -e '.[test]' alone (yardstick): {pip:6.1f} s")
    print(f"ratio: {setup / pip:.2f}")
    print_peak_memory()


if __name__ == "__main__":
    main()
