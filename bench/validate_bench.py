"""How long `deployer validate` takes on generated YAML specs of 10, 100 and 1,000 services.

Each service has its own cache (with a basic and a struct keyspace), bucket, topic with a push and a
pull subscription, cron job and secret, and uses them all; four environments with overrides.
Prints the in-process time of `validate` (every environment; wall, and CPU with the forked process
that checks half of a large spec's environments), the growth ratios, the console script on the largest
spec beyond the bare interpreter's start (goal: under 1 s wall), and the peak memory.

    .venv/bin/python bench/validate_bench.py
"""

import sys
import tempfile
from itertools import pairwise
from pathlib import Path

import yaml
from measure import best_of, cpu_with_children, median_run, print_peak_memory

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


def timed_validate(path: Path) -> tuple[float, float]:
    """The best wall and CPU times of REPEATS in-process runs of validate (a fresh Spec each time:
    reading included)."""
    wall, problems = best_of(lambda: validate(load_spec(path)), repeat=REPEATS)
    assert problems == [], problems[:3]
    cpu, _ = best_of(lambda: validate(load_spec(path)), repeat=REPEATS, clock=cpu_with_children)
    return wall, cpu


# The machine's pace in the same run: this shared machine's own speed varies by half from hour to hour
# (0.45 s on a quiet hour), and the goal is in seconds.
YARDSTICK = "sum(range(3 * 10**7))"


def console_script(path: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds of `deployer --spec PATH validate` and of the bare interpreter's start."""
    script = str(Path(sys.executable).with_name("deployer"))
    return median_run([script, "--spec", str(path), "validate"]), median_run([sys.executable, "-c", "pass"])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for size in SIZES:
            paths[size] = Path(folder) / f"infra-{size}.yaml"
            paths[size].write_text(yaml.safe_dump(generated_spec(size), sort_keys=False))
        print(f"validate, in-process, every environment (best of {REPEATS}):")
        timings = {}
        for size in SIZES:
            timings[size], cpu = timed_validate(paths[size])
            lines = len(paths[size].read_text().splitlines())
            print(f"  {size:>5} services ({lines:>6} lines of YAML): {timings[size] * 1000:7.1f} ms wall, "
                  f"{cpu * 1000:7.1f} ms CPU")
        for small, large in pairwise(SIZES):
            print(f"  growth {small} -> {large} services (x{large // small}): x{timings[large] / timings[small]:.1f}")
        total, start = console_script(paths[SIZES[-1]])
        for clock, index in (("wall", 0), ("cpu", 1)):
            beyond = total[index] - start[index]
            print(f"console script, {SIZES[-1]} services, {clock}: {total[index]:.2f} s, interpreter start "
                  f"{start[index]:.2f} s, beyond it (imports and validate) {beyond:.2f} s (goal < 1 s), "
                  f"{beyond / timings[SIZES[-1]]:.2f}x validate in process")
        pace = median_run([sys.executable, "-c", YARDSTICK])[0] - start[0]
        print(f"the machine's pace: {YARDSTICK} took {pace:.2f} s beyond the start; "
              f"validate beyond it is {(total[0] - start[0]) / pace:.2f}x that")
    print_peak_memory()


if __name__ == "__main__":
    main()
