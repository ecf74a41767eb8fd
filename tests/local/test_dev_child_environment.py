"""Issue 24, point 6: under `deployer dev`, the COMMAND and the local servers get none of deployer's
keys: not the age key (which decrypts every environment's secret values) nor the stack passphrase."""

import json
import os
import sys

import pytest
from support.local_dev import leftovers, run_deployer, write_client

KEYS = {"DEPLOYER_AGE_KEY": "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
        "PULUMI_CONFIG_PASSPHRASE": "hunter2", "PULUMI_CONFIG_PASSPHRASE_FILE": "/tmp/passphrase"}
SPEC = """
app: shop
aws: {region: eu-west-1}
caches: {sessions: {}}
buckets: {avatars: {}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""
# The COMMAND writes its own environment's names, and those of each process serving the environment's ports.
CLIENT = """
import json, os, re, sys
from pathlib import Path
base = int(sys.argv[2])
servers = {}
for proc in Path("/proc").glob("[0-9]*"):
    if int(proc.name) in (os.getpid(), os.getppid()):  # this COMMAND and deployer name the port too
        continue
    try:
        cmdline = (proc / "cmdline").read_bytes().replace(b"\\0", b" ").decode()
        if any(re.search(rf"(?<![\\w.]){port}(?![\\w.])", cmdline) for port in range(base, base + 20)):
            servers[cmdline] = sorted(name.split(b"=", 1)[0].decode() for name in (proc / "environ").read_bytes().split(b"\\0") if name)
    except OSError:
        pass
json.dump({"command": sorted(os.environ), "servers": servers}, open(sys.argv[1], "w"))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_command_and_the_local_servers_get_no_age_key_or_passphrase(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    client = write_client(tmp_path, "client.py", CLIENT)
    seen = tmp_path / "seen.json"
    run = run_deployer(spec, "dev", "--env", "local", "--", sys.executable, str(client), str(seen), str(base_port),
                       env={**os.environ, **KEYS})
    assert run.returncode == 0, run.stderr
    assert leftovers(base_port) == []
    seen = json.loads(seen.read_text())
    assert "DEPLOYER_OUTPUTS" in seen["command"] and not set(KEYS) & set(seen["command"])
    moto = [names for cmdline, names in seen["servers"].items() if "moto" in cmdline]
    assert moto and "PATH" in moto[0], seen["servers"]  # (redis-server writes its title over its environment)
    for cmdline, names in seen["servers"].items():
        assert not set(KEYS) & set(names), cmdline


@pytest.mark.slow
def test_an_aws_profile_that_does_not_exist_does_not_stop_dev(tmp_path, base_port):
    """Issue 24, point 15: the local servers take dummy credentials; the user's AWS_PROFILE is not read."""
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    run = run_deployer(spec, "dev", "--env", "local", "--", "true",
                       env={**os.environ, "AWS_PROFILE": "no-such-profile", "AWS_CONFIG_FILE": str(tmp_path / "none")})
    assert run.returncode == 0, run.stderr
    assert leftovers(base_port) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["AWS_REGION", "DEPLOYER_ENV", "DEPLOYER_OUTPUTS"])
def test_a_secret_named_like_a_variable_dev_sets_is_refused(tmp_path, base_port, name):
    """Issue 24, point 15: the COMMAND would get deployer's value instead of the secret's."""
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)) + f"secrets: [{name}]\n"
                    f"services: {{api: {{uses: {{secrets: [{name}]}}}}}}\n")
    (tmp_path / ".secrets.local.yaml").write_text(f"{name}: local-value\n")
    run = run_deployer(spec, "dev", "--env", "local", "--", "true")
    assert run.returncode == 1, run.stderr
    assert f"secret {name}: `deployer dev` sets {name} for the COMMAND itself" in run.stderr
    assert "local-value" not in run.stderr
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_a_local_value_with_a_nul_byte_is_a_located_error_before_any_server_starts(tmp_path, base_port):
    """Issue 24, point 14: no environment variable can carry it; dev crashed once its servers had started."""
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)) + "secrets: [Token]\n"
                    "services: {api: {uses: {secrets: [Token]}}}\n")
    (tmp_path / ".secrets.local.yaml").write_text('Token: "sk_local\\0value"\n')
    run = run_deployer(spec, "dev", "--env", "local", "--", "true")
    assert run.returncode == 1, run.stderr
    assert ".secrets.local.yaml:1: Token: the value holds a NUL byte" in run.stderr
    assert "sk_local" not in run.stderr and " ready in " not in run.stderr
    assert leftovers(base_port) == []
