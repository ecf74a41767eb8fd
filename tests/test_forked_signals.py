"""Issue 24, point 8: a forked plan or validate stops with deployer. Ctrl-C, SIGTERM and kill -9 of a
real `deployer` process end it and its forked process promptly; a forked process killed on its own is
a failure (exit 3) naming the signal, never "invalid spec" (exit 1)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")]

# A plan of 400 buckets runs forked (document.FORK_FROM) for seconds.
SPEC = "\n".join(["app: shop", "provider: aws", "aws: {region: eu-west-1}", "buckets:",
                  *(f"  b{i}: {{versioned: true}}" for i in range(400)),
                  "environments:", "  prod: {type: production}", "  dev: {type: development}"]) + "\n"
# validate, sharing its environments with a forked process, each environment slow to check.
SLOW_VALIDATE = ("import time\nfrom deployer.speclang import load\nload.FORK_FROM = 0\n_resolve = load._resolve\n"
                 "load._resolve = lambda *a: (time.sleep(30), _resolve(*a))[1]\n"
                 "from deployer.cli import main\nmain()\n")


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


def started(argv: list[str]) -> tuple[subprocess.Popen, int]:
    """`argv` in a session of its own (a terminal's Ctrl-C reaches its whole group) and its forked process."""
    run = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                           env={**os.environ, "NO_COLOR": "1"})
    deadline = time.monotonic() + 60
    while not (forks := children(run.pid)) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert forks, f"deployer forked no process: {run.stderr.read().decode() if run.poll() is not None else ''}"
    time.sleep(0.5)  # computing
    return run, forks[0]


def ended(run: subprocess.Popen, fork: int) -> tuple[int, str]:
    try:
        code = run.wait(timeout=5)
        deadline = time.monotonic() + 5
        while alive(fork) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(fork), "the forked process outlived deployer"
        return code, run.stderr.read().decode()
    finally:
        for pid in (run.pid, fork):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        run.wait()


@pytest.fixture
def plan(tmp_path):
    (tmp_path / "infra.yaml").write_text(SPEC)
    return [sys.executable, "-c", "from deployer.cli import main; main()", "--spec", str(tmp_path), "plan",
            "--env", "prod"]


def test_ctrl_c_early_in_a_forked_plan_ends_both_processes(plan):
    run, fork = started(plan)
    os.killpg(run.pid, signal.SIGINT)  # what a terminal does
    code, stderr = ended(run, fork)
    assert code == 130 and "Traceback" not in stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_to_plan_alone_ends_its_forked_process(plan, signum):
    run, fork = started(plan)
    run.send_signal(signum)
    code, stderr = ended(run, fork)
    assert code == (128 + signum if signum != signal.SIGKILL else -signum) and "Traceback" not in stderr


def test_sigterm_to_a_forked_validate_ends_its_forked_process(tmp_path):
    (tmp_path / "infra.yaml").write_text(SPEC)
    run, fork = started([sys.executable, "-c", SLOW_VALIDATE, "--spec", str(tmp_path), "validate"])
    run.send_signal(signal.SIGTERM)
    code, stderr = ended(run, fork)
    assert code == 128 + signal.SIGTERM and "Traceback" not in stderr


def test_a_forked_process_killed_on_its_own_is_a_failure_not_an_invalid_spec(plan):
    run, fork = started(plan)
    os.kill(fork, signal.SIGKILL)  # as the out-of-memory killer would
    code = run.wait(timeout=30)
    stderr = run.stderr.read().decode()
    assert code == 3, stderr
    assert "SIGKILL" in stderr and "Traceback" not in stderr
