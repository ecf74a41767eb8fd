"""`up` names the `secret set` commands that give a missing secret its value; each of them is accepted,
also for a secret that only an environment's overrides declare (issue 15, point 10)."""

import re
import shlex

from deployer.errors import EXIT_PRECONDITION
from deployer.secrets.resolution import missing_secrets

SPEC = """\
app: shop
provider: aws
aws: {region: eu-west-1}
services:
  api: {url: "https://api.example.com"}
environments:
  dev:
    type: development
    overrides:
      secrets: {BetaToken: {}}
      services: {api: {uses: {secrets: [BetaToken]}}}
"""


def test_each_command_up_suggests_for_a_missing_secret_sets_it(project, deployer, env_of):
    (project / "infra.yaml").write_text(SPEC)
    up = deployer("up", "--env", "dev", "--yes")
    assert up.exit_code == EXIT_PRECONDITION
    [hint] = [line for line in up.stderr.splitlines() if line.strip().startswith("BetaToken:")]
    command = shlex.split(re.search(r"deployer (secret set .*?)   \(", hint).group(1))
    alternative = re.search(r"\(or (--type \w+) ", hint).group(1).split()
    assert command == ["secret", "set", "--env", "dev", "BetaToken"] and alternative == ["--type", "development"]
    assert deployer(*command, stdin="beta-1").exit_code == 0
    assert deployer("secret", "set", *alternative, "BetaToken", stdin="beta-2").exit_code == 0
    assert missing_secrets(env_of("dev")) == []


def test_a_secret_no_environment_of_the_scope_declares_is_still_refused(project, deployer):
    (project / "infra.yaml").write_text(SPEC)
    refused = deployer("secret", "set", "--type", "production", "BetaToken", stdin="beta-1")
    assert refused.exit_code != 0
    assert '"BetaToken" is not a secret of infra.yaml' in refused.stderr
