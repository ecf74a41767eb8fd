"""Goal 1, CUE as fast as YAML: the shop written in CUE (examples/shop) against the same shop in YAML
(examples/shop-yaml). Prints a cold CUE validate (no cache, no evaluator running: every environment
evaluated; goal < 2.5 s), then validate and plan of the unchanged specs in process and validate through
the console script, each as the CUE / YAML ratio (goal <= 1.5), and the peak memory.

    .venv/bin/python bench/cue_bench.py
"""

import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from measure import best_of, cpu_with_children, median_run, print_peak_memory

from deployer.plan.document import build_plan
from deployer.speclang import cue
from deployer.speclang.load import load_spec, resolve, validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def validated(spec_file: Path) -> None:
    assert validate(load_spec(spec_file)) == []


def planned(spec_file: Path) -> None:
    build_plan(resolve(load_spec(spec_file), "prod"))


def main() -> None:
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as folder:
        specs = {}
        for language, example in (("CUE", "shop/infra.cue"), ("YAML", "shop-yaml/infra.yaml")):
            specs[language] = Path(folder, language, Path(example).name)
            specs[language].parent.mkdir()
            shutil.copy(EXAMPLES / example, specs[language])
        planned(specs["YAML"])  # imports and first-use costs out of the way

        cue._stop_servers()
        start = cpu_with_children()
        cold, _ = best_of(validated, specs["CUE"])
        cue._stop_servers()  # waited for, the evaluator's CPU time is counted
        cpu = cpu_with_children() - start
        print(f"cold CUE validate (every environment evaluated, the evaluator started): {cold:.2f} s wall, "
              f"{cpu:.2f} s CPU with the evaluator's (goal < 2.5 s)")

        print(f"{'unchanged spec':<32} {'CUE s':>7} {'YAML s':>7} {'ratio':>6}  (goal <= 1.5)")
        script = str(Path(sys.executable).with_name("deployer"))
        for what, work in (("validate, in process, cpu", lambda f: best_of(validated, f, repeat=5, clock=time.process_time)[0]),
                           ("plan --env prod, in process, cpu", lambda f: best_of(planned, f, repeat=3, clock=time.process_time)[0]),
                           ("validate, console script, cpu", lambda f: median_run([script, "--spec", str(f), "validate"])[1])):
            cue_time, yaml_time = work(specs["CUE"]), work(specs["YAML"])
            print(f"{what:<32} {cue_time:>7.3f} {yaml_time:>7.3f} {cue_time / yaml_time:>6.2f}")
    print_peak_memory()


if __name__ == "__main__":
    main()
