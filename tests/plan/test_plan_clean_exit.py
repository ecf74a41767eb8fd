"""Issue 15, point 7: a successful GCP plan with a push subscription once printed `Exception ignored in
BaseEventLoop.__del__ … Invalid file descriptor: -1` in 3 runs of 5. Its stderr is the summary only."""

import subprocess
import sys
from pathlib import Path

import pytest

CONSOLE_SCRIPT = Path(sys.executable).with_name("deployer")
SPEC = """\
app: shop
provider: gcp
gcp: {project: shop-1234, region: europe-west1}
topics:
  signups:
    subscriptions:
      welcome: {service: email, endpoint: /push/welcome}
services:
  email: {url: "https://email.example.com"}
environments:
  dev: {type: development}
"""


@pytest.mark.slow
def test_a_gcp_plan_with_a_push_subscription_ends_without_a_traceback(tmp_path):
    (tmp_path / "infra.yaml").write_text(SPEC)
    for _ in range(3):
        run = subprocess.run([str(CONSOLE_SCRIPT), "--spec", str(tmp_path), "--no-color", "plan", "--env", "dev"],
                             capture_output=True, text=True, check=False, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stderr == "shop-dev (gcp, development): 9 resources, 0 protected\n"
