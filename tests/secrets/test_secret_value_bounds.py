"""Issue 24, point 14: what `secret set` reads is bounded, and refused before it is stored where the
environment's cloud would refuse it at `up`. A closed standard input is a usage error, a NUL byte
(which no environment variable carries) is refused; none of them shows the value."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from deployer.errors import EXIT_USAGE

DEPLOYER = str(Path(sys.executable).with_name("deployer"))
# The largest secret value each cloud's secret store accepts: 65536 bytes.
AWS_LIMIT = "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html"
GCP_LIMIT = "https://cloud.google.com/secret-manager/quotas"


def secret_set(project: Path, *args: str, stdin) -> subprocess.CompletedProcess:
    return subprocess.run([DEPLOYER, "--no-color", "secret", "set", *args], cwd=project, stdin=stdin,
                          capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize("args, limit", [(("--env", "prod"), AWS_LIMIT), (("--env", "staging"), GCP_LIMIT),
                                         (("--env", "local"), "the most deployer reads")],
                         ids=["aws", "gcp", "local"])
def test_an_endless_standard_input_is_refused_at_the_limit(project, args, limit):
    started = time.monotonic()
    with open("/dev/zero", "rb") as endless:
        result = secret_set(project, *args, "StripeAPIKey", stdin=endless)
    assert time.monotonic() - started < 30
    assert result.returncode == EXIT_USAGE, result.stderr
    assert b"the value of StripeAPIKey is over 65536 bytes" in result.stderr and limit.encode() in result.stderr
    assert not (project / "infra.secrets.yaml").exists()


def test_a_value_over_the_clouds_limit_is_refused_at_set_and_one_at_it_is_kept(project, deployer):
    over = deployer("secret", "set", "--type", "dev", "StripeAPIKey", stdin="x" * 65537)
    assert over.exit_code == EXIT_USAGE
    assert "over 65536 bytes" in over.stderr and "x" * 100 not in over.stderr
    assert not (project / "infra.secrets.yaml").exists()

    at = deployer("secret", "set", "--type", "dev", "StripeAPIKey", stdin="é" * 32768)  # 65536 bytes
    assert at.exit_code == 0, at.stderr


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
