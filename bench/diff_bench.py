"""Times `deployer diff` between two 1,000-service specs against two `plan` runs one after the other
(goal <= 0.7x: diff plans the base in a forked process while it plans the working tree), wall time,
and prints the peak memory.

    .venv/bin/python bench/diff_bench.py [SERVICES]
"""

import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from measure import best_of, print_peak_memory

from deployer.plan.diff import diff_environment
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

warnings.simplefilter("ignore", DeprecationWarning)


def spec_text(services: int, extra_topic: bool) -> str:
    lines = ["app: bench", "aws: {region: eu-west-1}", "buckets:"]
    lines += [f"  b{i}: {{}}" for i in range(0, services, 10)]
    lines += ["topics:"] + [f"  t{i}: {{}}" for i in range(0, services, 10)]
    if extra_topic:
        lines.append("  added: {}")
    lines += ["services:"]
    for i in range(services):
        lines.append(f"  s{i}: {{uses: {{buckets: {{b{i - i % 10}: [download]}}, topics: {{t{i - i % 10}: [publish]}}}}}}")
    lines += ["environments: {dev: {type: development}}"]
    return "\n".join(lines) + "\n"


def main(services: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        spec = repo / "infra.yaml"
        spec.write_text(spec_text(services, extra_topic=False))
        git = ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench"]
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run([*git, "add", "infra.yaml"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
        base_copy = repo / "base.yaml"
        base_copy.write_text(spec.read_text())
        spec.write_text(spec_text(services, extra_topic=True))

        build_plan(resolve(load_spec(spec), "dev"))  # warm imports
        plans, _ = best_of(lambda: [build_plan(resolve(load_spec(f), "dev")) for f in (base_copy, spec)])
        diff, result = best_of(diff_environment, load_spec(spec), "dev", "HEAD")
        resources = len(build_plan(resolve(load_spec(spec), "dev"))["resources"])
        print(f"{services} services, {resources} resources per plan")
        print(f"two plan runs: {plans:.2f}s")
        print(f"diff:          {diff:.2f}s  ({diff / plans:.2f}x two plans; goal <= 0.70x)")
        print(f"diff found:    {result.counts()}")
    print_peak_memory()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
