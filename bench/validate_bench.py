"""How long `deployer validate` takes on generated YAML specs of 10, 100 and 1,000 services.

Each service has its own cache (with a basic and a struct keyspace), bucket, topic with a push and a
pull subscription, cron job and secret, and uses them all; four environments with overrides.
Prints the in-process time of `validate` (every environment), the growth ratios, and one run of the
console script on the largest spec with the interpreter start shown apart.

    .venv/bin/python bench/validate_bench.py
"""

import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import yaml

from deployer.speclang.load import load_spec, validate

SIZES = (10, 100, 1000)
REPEATS = 5


def generated_spec(services: int) -> dict:
    spec: dict = {
        "app": "bench", "aws": {"region": "eu-west-1"}, "gcp": {"project": "bench-1", "region": "europe-west1"},
        "caches": {}, "buckets": {}, "topics": {}, "cron": {}, "secrets": {}, "services": {},
        "environments": {"prod": {"type": "production", "overrides": {"caches": {"cache-0": {"aws": {"replicas": 2}}}}},
                         "dev": {"type": "development"},
                         "staging": {"type": "development", "provider": "gcp"},
                         "local": {"type": "local"}},
        "envTypes": {"development": {"overrides": {"buckets": {"bucket-0": {"versioned": False}}}}},
    }
    for i in range(services):
        spec["caches"][f"cache-{i}"] = {"keyspaces": {
            "per-user": {"key": "string", "value": "int", "keyPattern": "user/:key", "defaultExpiry": "10s"},
            "per-route": {"key": {"UserID": "string", "Route": "string"}, "value": "int",
                          "keyPattern": "route/:UserID/:Route", "defaultExpiry": {"dailyAt": "04:00"}},
        }}
        spec["buckets"][f"bucket-{i}"] = {"versioned": True, "lifecycle": [{"prefix": "tmp/", "expireAfterDays": 7}]}
        spec["topics"][f"topic-{i}"] = {"subscriptions": {
            "push": {"service": f"service-{i}", "endpoint": f"/pubsub/{i}"},
            "pull": {"service": f"service-{i}", "ackDeadline": "60s"},
        }}
        spec["cron"][f"job-{i}"] = {"every": "2h", "endpoint": {"service": f"service-{i}", "path": "/cron"}}
        spec["secrets"][f"Secret{i}"] = {"description": f"secret {i}"}
        spec["services"][f"service-{i}"] = {
            "url": f"https://service-{i}.example.com",
            "uses": {"buckets": {f"bucket-{i}": ["download", "upload"]}, "topics": {f"topic-{i}": ["publish"]},
                     "caches": [f"cache-{i}"], "secrets": [f"Secret{i}"]},
        }
    return spec


def timed_validate(path: Path) -> float:
    """The best of REPEATS in-process runs of validate (a fresh Spec each time: reading included)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        problems = validate(load_spec(path))
        times.append(time.perf_counter() - start)
        assert problems == [], problems[:3]
    return min(times)


def console_script(path: Path) -> tuple[float, float]:
    """Wall time of `deployer --spec PATH validate`, and of the interpreter importing deployer's CLI."""
    script = Path(sys.executable).with_name("deployer")
    runs, starts = [], []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([script, "--spec", str(path), "validate"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import deployer.cli"], check=True)
        starts.append(time.perf_counter() - start)
    return statistics.median(runs), statistics.median(starts)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for size in SIZES:
            paths[size] = Path(folder) / f"infra-{size}.yaml"
            paths[size].write_text(yaml.safe_dump(generated_spec(size), sort_keys=False))
        print(f"validate, in-process, every environment (best of {REPEATS}):")
        timings = {}
        for size in SIZES:
            timings[size] = timed_validate(paths[size])
            lines = len(paths[size].read_text().splitlines())
            print(f"  {size:>5} services ({lines:>6} lines of YAML): {timings[size] * 1000:8.1f} ms")
        for small, large in pairwise(SIZES):
            print(f"  growth {small} -> {large} services (x{large // small}): x{timings[large] / timings[small]:.1f}")
        total, start = console_script(paths[SIZES[-1]])
        print(f"console script, {SIZES[-1]} services: {total * 1000:.0f} ms wall, of which interpreter start and "
              f"imports {start * 1000:.0f} ms; validate itself {(total - start) * 1000:.0f} ms (limit 1000 ms)")


if __name__ == "__main__":
    main()
