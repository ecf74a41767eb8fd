"""`deployer dev`'s PostgreSQL: the time until it serves a database, the first time (initdb included)
and once its cluster exists (goal: 3 s), for each installation found, against the yardstick of a
Redis cache server started the same way in this process.

Run: .venv/bin/python bench/dev_postgres_bench.py [--runs 5]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from deployer.local.ports import DEFAULT_BASE_PORT
from deployer.local.postgres import LocalPostgres, installations
from deployer.local.processes import Supervisor
from deployer.local.redis import redis_server
from deployer.local.stack import LOCALHOST, Server

PORT = DEFAULT_BASE_PORT + 99


def postgres_ready(data: Path, installation) -> float:
    started = time.perf_counter()
    postgres = LocalPostgres(data, PORT, installation)
    supervisor = Supervisor(data / "logs")
    supervisor.start([postgres.server()])
    postgres.provision({"orders": "orders"})
    ready = time.perf_counter() - started
    supervisor.stop()
    return ready


def redis_ready(data: Path) -> float:
    started = time.perf_counter()
    supervisor = Supervisor(data / "logs")
    supervisor.start([Server("redis", "yardstick", [redis_server()[0], "--bind", LOCALHOST, "--port", str(PORT),
                                                    "--dir", str(data), "--save", ""], PORT)])
    ready = time.perf_counter() - started
    supervisor.stop()
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        yardstick = statistics.median(redis_ready(Path(folder)) for _ in range(runs))
    print(f"redis-server to ready (yardstick): median {yardstick:.2f} s of {runs}")
    for installation in installations():
        with tempfile.TemporaryDirectory() as folder:
            first = postgres_ready(Path(folder), installation)
            later = statistics.median(postgres_ready(Path(folder), installation) for _ in range(runs))
        print(f"{installation[1]}: to ready with a database, first time (initdb) {first:.2f} s "
              f"({first / yardstick:.0f}x the yardstick), later median {later:.2f} s of {runs} "
              f"({later / yardstick:.1f}x; goal < 3 s)")


if __name__ == "__main__":
    main()
