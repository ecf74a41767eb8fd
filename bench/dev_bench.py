"""`deployer dev` on the shop example: the time from the command to ready (the COMMAND starting), and
the memory (RSS) of the whole local stack, without and with a database (its first start initialises
the PostgreSQL cluster, measured on its own). Goal: under 3 s on a warm machine.

Run: .venv/bin/python bench/dev_bench.py [--runs 3]
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYER = str(Path(sys.executable).parent / "deployer")
SECRETS = 'StripeAPIKey: "sk_test"\nSendGridToken: "sg"\nCRMToken: "crm"\n'
# Run by `deployer dev` once ready: the memory of every process of the stack (deployer dev's children).
MEASURE = """
import os, sys
from pathlib import Path
parent = os.getppid()
def children(pid):
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        if int(fields["PPid"]) == pid:
            found.append(int(status.parent.name))
    return found
def rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
stack = [pid for pid in children(parent) if pid != os.getpid()]
everything = stack + [p for pid in stack for p in children(pid)]
print(sum(map(rss, [parent, *everything])) // 1024, len(stack))
"""


def one_run(spec_dir: Path) -> tuple[float, int, int]:
    started = time.monotonic()
    command = [DEPLOYER, "--spec", str(spec_dir), "dev", "--env", "local", "--no-cron", "--",
               sys.executable, "-c", f"import time; print(time.monotonic()); {MEASURE}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        sys.exit(result.stderr)
    ready_at, memory = result.stdout.splitlines()
    megabytes, servers = memory.split()
    return float(ready_at) - started, int(megabytes), int(servers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        spec_dir = Path(folder)
        shutil.copy(ROOT / "examples/shop/infra.cue", spec_dir / "infra.cue")
        (spec_dir / ".secrets.local.yaml").write_text(SECRETS)
        results = [one_run(spec_dir) for _ in range(runs + 1)][1:]  # the first warms the caches
        report("shop example", runs, results)
        with (spec_dir / "infra.cue").open("a") as spec:
            spec.write('\ndatabases: orders: {}\n')
        first = one_run(spec_dir)  # initialises the database's cluster
        print(f"with a database, first start (the cluster initialised): {first[0]:.2f} s")
        report("with a database", runs, [one_run(spec_dir) for _ in range(runs)])


def report(what: str, runs: int, results: list[tuple[float, int, int]]) -> None:
    seconds = [r[0] for r in results]
    print(f"{what}, {runs} runs: deployer dev to ready median {statistics.median(seconds):.2f} s "
          f"(min {min(seconds):.2f} s, goal < 3 s); local stack memory {results[-1][1]} MB RSS over "
          f"{results[-1][2]} servers and deployer dev")


if __name__ == "__main__":
    main()
