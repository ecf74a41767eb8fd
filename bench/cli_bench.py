"""Goal 6, `deployer --help` and completion in 0.3 s: the median wall time of `deployer --help` and of
completing `--env` on the CUE shop (its evaluation cached, as from the second completion on),
against the bare interpreter's start, and the peak memory of the largest of those processes.

    .venv/bin/python bench/cli_bench.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import median_run, print_peak_memory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shop/infra.cue"


def main() -> None:
    script = str(Path(sys.executable).with_name("deployer"))
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder, "infra.cue")
        shutil.copy(EXAMPLE, spec)
        subprocess.run([script, "--spec", str(spec), "validate"], check=True, capture_output=True)  # cached
        completion = {**os.environ, "_DEPLOYER_COMPLETE": "bash_complete", "COMP_CWORD": "5",
                      "COMP_WORDS": f"deployer --spec {spec} plan --env "}
        runs = {"interpreter start (yardstick)": median_run([sys.executable, "-c", "pass"]),
                "deployer --help": median_run([script, "--help"]),
                "completion of --env (CUE)": median_run([script], env=completion)}
    start = runs["interpreter start (yardstick)"]
    print(f"{'median of 5':<30} {'wall s':>7} {'cpu s':>7} {'cpu / start':>11}  (goal <= 0.3 s)")
    for what, (wall, cpu) in runs.items():
        print(f"{what:<30} {wall:>7.3f} {cpu:>7.3f} {cpu / start[1]:>11.1f}")
    print_peak_memory()


if __name__ == "__main__":
    main()
