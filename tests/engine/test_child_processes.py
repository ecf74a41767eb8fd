"""deployer's children: CUE's node evaluator dies with deployer on a signal, and sees none of
deployer's keys, passphrases or cloud credentials; the Pulumi CLI gets no age key."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deployer.speclang import cue

SLOW = ('import "list"\napp: "shop"\naws: region: "eu-west-1"\n'
        'x: [for a in list.Range(0, 2000, 1) for b in list.Range(0, 2000, 1) {a*b}]\n')
SECRETS = {"DEPLOYER_AGE_KEY": "AGE-SECRET-KEY-1TEST", "PULUMI_CONFIG_PASSPHRASE": "hunter2",
           "AWS_SECRET_ACCESS_KEY": "aws-secret", "GOOGLE_CREDENTIALS": "{}"}


def cue_runners(parent: int) -> list[int]:
    """The cue_runner.js processes whose parent is `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"cue_runner.js" in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_cues_evaluator_dies_with_deployer(tmp_path, signum):
    if cue.RUNNER.name not in cue.cue_command()[-1]:
        pytest.skip("a native cue is in use")
    (tmp_path / "infra.cue").write_text(SLOW)
    run = subprocess.Popen([sys.executable, "-c", "from deployer.cli import main; main()",
                            "--spec", str(tmp_path / "infra.cue"), "validate"],
                           env={**os.environ, "DEPLOYER_CUE_TIMEOUT": "60"}, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not (runners := cue_runners(run.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runners, "deployer started no CUE evaluator"
        time.sleep(0.5)  # evaluating
        run.send_signal(signum)
        assert run.wait(timeout=10) == (128 + signum if signum != signal.SIGKILL else -signum)
        deadline = time.monotonic() + 5
        while any(map(alive, runners)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(alive, runners)), "the CUE evaluator outlived deployer"
    finally:
        run.kill()
        run.wait()
    assert b"Traceback" not in run.stderr.read()


def test_cues_evaluator_gets_no_key_passphrase_or_credentials(tmp_path, monkeypatch):
    """A stand-in node on PATH answers the evaluation with the environment it was given."""
    if cue.RUNNER.name not in cue.cue_command()[-1]:
        pytest.skip("a native cue is in use")
    fake = tmp_path / "bin" / "node"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nimport json, os, sys\nsys.stdin.readline()\n"
                    "print(json.dumps({'code': 0, 'stdout': json.dumps(dict(os.environ)), 'stderr': ''}))\n")
    fake.chmod(0o755)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("DEPLOYER_CUE", raising=False)
    (tmp_path / "infra.cue").write_text('app: "shop"\n')
    cue.cue_command.cache_clear()
    try:
        assert cue.cue_command()[0] == str(fake)
        seen = cue.export_cue(tmp_path / "infra.cue", {})
    finally:
        cue.cue_command.cache_clear()
    assert not set(SECRETS) & set(seen), json.dumps(sorted(seen))
    assert seen["PATH"] == os.environ["PATH"] and seen["LANG"] == "C.UTF-8" and "HOME" in seen


def test_the_pulumi_cli_gets_the_passphrase_and_credentials_but_no_age_key(tmp_path, monkeypatch):
    """A stand-in `pulumi` on PATH records the environment of each command the engine runs."""
    from deployer.engine.stack import open_stack
    from deployer.speclang.load import load_spec, resolve

    seen = tmp_path / "seen.jsonl"
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                    f"open({str(seen)!r}, 'a').write(json.dumps([sys.argv[1:], dict(os.environ)]) + '\\n')\n"
                    "print('v3.200.0' if sys.argv[1:] == ['version'] else '')\n")
    fake.chmod(0o755)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    spec = tmp_path / "infra.yaml"
    spec.write_text("app: shop\naws: {region: eu-west-1}\n")
    open_stack(resolve(load_spec(spec), "pr-7"))
    commands = [json.loads(line) for line in seen.read_text().splitlines()]
    assert ["version"] in [args for args, _ in commands]  # the SDK's own check of the CLI (issue 24, point 6)
    engine_runs = [env for args, env in commands if "--non-interactive" in args]
    assert engine_runs, commands
    for args, env in commands:
        assert not env.get("DEPLOYER_AGE_KEY"), args
    for env in engine_runs:
        assert env["PULUMI_CONFIG_PASSPHRASE"] == "hunter2" and env["AWS_SECRET_ACCESS_KEY"] == "aws-secret"


def test_children_start_cleanly_beside_a_running_grpc_server():
    """A GCP secret store's client (gRPC) and then CUE or a local server started with a death signal:
    gRPC's own fork handling would run in each such child, logging into deployer's stderr and at times
    killing the child before its exec (https://github.com/grpc/grpc/issues/43055)."""
    probe = ("import signal, subprocess\n"
             "from concurrent import futures\n"
             "import deployer.children\n"
             "import grpc\n"
             "server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))\n"
             "server.add_insecure_port('127.0.0.1:0')\n"
             "server.start()\n"
             "runs = [subprocess.run(['true'], stderr=subprocess.PIPE,\n"
             "                       preexec_fn=deployer.children.dying_with_deployer(signal.SIGKILL))\n"
             "        for _ in range(50)]\n"
             "print(sum(1 for run in runs if run.returncode or run.stderr))\n"
             "server.stop(None)\n")
    environment = {key: value for key, value in os.environ.items() if key != "GRPC_ENABLE_FORK_SUPPORT"}
    result = subprocess.run([sys.executable, "-c", probe], check=False, capture_output=True, text=True, env=environment,
                            timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "0\n", "")
