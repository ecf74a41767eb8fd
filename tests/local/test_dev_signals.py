"""How `deployer dev` ends (issue 24, points 9 and 17): its COMMAND and servers never outlive it, even
killed with SIGKILL; SIGHUP stops it as SIGTERM does; and SIGINT stops it when a script started it in
the background, where the shell has SIGINT ignored for it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.local_dev import DEPLOYER, leftovers

SPEC = """
app: shop
aws: {region: eu-west-1}
caches: {sessions: {evictionPolicy: allkeys-lru}}
services: {email: {uses: {caches: [sessions]}}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""
# The COMMAND: says its pid, then waits.
COMMAND = (sys.executable, "-c", "import os, sys, time; print(os.getpid(), flush=True); time.sleep(120)")


@pytest.fixture
def project(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    return spec


@pytest.fixture
def pids():
    """Process ids a test learns of (a COMMAND, a background `deployer dev`): each still alive when the
    test ends, because it failed, is killed."""
    known: list[int] = []
    yield known
    for pid in known:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def dev_with_command(spec: Path, started: list, pids: list) -> tuple[subprocess.Popen, int]:
    dev = subprocess.Popen([DEPLOYER, "--spec", str(spec), "dev", "--", *COMMAND], cwd=spec.parent,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    started.append(dev)
    command = int(dev.stdout.readline())
    pids.append(command)
    return dev, command


@pytest.mark.slow
def test_the_command_and_the_servers_die_with_a_killed_dev(project, base_port, started, pids):
    dev, command = dev_with_command(project, started, pids)
    dev.kill()  # SIGKILL: no handler runs
    dev.wait()
    assert gone(command)
    deadline = time.monotonic() + 10
    while leftovers(base_port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_sighup_stops_dev_and_its_command_like_sigterm(project, base_port, started, pids):
    dev, command = dev_with_command(project, started, pids)
    dev.send_signal(signal.SIGHUP)  # its terminal closed
    assert dev.wait(30) == 130
    assert gone(command, timeout=1)
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_sigint_stops_a_dev_that_a_script_started_in_the_background(project, base_port, pids, tmp_path):
    said = tmp_path / "dev.err"
    script = subprocess.Popen(["sh", "-c", '"$0" --spec "$1" dev 2>"$2" & echo $!; wait', DEPLOYER, str(project),
                               str(said)], stdout=subprocess.PIPE, text=True)
    dev = int(script.stdout.readline())
    pids.extend([dev, script.pid])
    deadline = time.monotonic() + 60
    # the background child opens dev.err itself: it may not exist yet when the shell has said its pid
    while not (said.exists() and " ready in " in said.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    ignored = int(Path(f"/proc/{dev}/status").read_text().split("SigIgn:")[1].split()[0], 16)
    os.kill(dev, signal.SIGINT)
    assert script.wait(30) == 0
    assert not alive(dev)
    assert leftovers(base_port) == []
    assert ignored & (1 << (signal.SIGQUIT - 1))  # the shell did ignore the signals for it
