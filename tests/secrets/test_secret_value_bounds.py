"""Issue 24, point 14: what `secret set` reads is bounded: the cloud's limit where a cloud keeps the value
(tests/providers/gcp/test_secret_size.py pins each), else 1 MiB. An endless standard input ends there. A
closed standard input is a usage error, a NUL byte (which no environment variable carries) is refused;
none of them shows the value."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from deployer.errors import EXIT_INVALID, EXIT_USAGE

DEPLOYER = str(Path(sys.executable).with_name("deployer"))


def secret_set(project: Path, *args: str, stdin) -> subprocess.CompletedProcess:
    return subprocess.run([DEPLOYER, "--no-color", "secret", "set", *args], cwd=project, stdin=stdin,
                          capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize("args, limit", [
    (("--env", "prod"), "is over 65,536 bytes: AWS keeps secret values of at most 65,536 bytes"),
    (("--env", "staging"), "is over 65,536 bytes: GCP keeps secret values of at most 65,536 bytes"),
    (("--env", "local"), "is over 1,048,576 bytes: deployer reads secret values of at most 1,048,576 bytes"),
], ids=["aws", "gcp", "local"])
def test_an_endless_standard_input_is_refused_at_the_limit(project, args, limit):
    started = time.monotonic()
    with open("/dev/zero", "rb") as endless:
        result = secret_set(project, *args, "StripeAPIKey", stdin=endless)
    assert time.monotonic() - started < 30
    assert result.returncode == EXIT_INVALID, result.stderr
    assert f"the value of StripeAPIKey {limit}".encode() in result.stderr
    assert not (project / "infra.secrets.yaml").exists()


def test_a_closed_standard_input_is_a_usage_error(project):
    result = subprocess.run(["sh", "-c", f"exec '{DEPLOYER}' --no-color secret set --env prod StripeAPIKey <&-"],
                            cwd=project, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "standard input is closed" in result.stderr and "internal error" not in result.stderr


def test_a_nul_byte_is_refused_at_set_without_showing_the_value(project, deployer):
    result = deployer("secret", "set", "--env", "local", "StripeAPIKey", stdin="sk_live_a\0b")
    assert result.exit_code == EXIT_USAGE
    assert "NUL" in result.stderr and "sk_live" not in result.stderr
    assert not (project / "infra.secrets.yaml").exists()
