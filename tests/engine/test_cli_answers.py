"""Issue 24, point 16: a Pulumi CLI whose `stack output --json` prints no JSON (a wrapper's banner, an old
or broken CLI) is exit 4 naming the command and what it printed, not an internal error."""

import os
import sys

import pytest

from deployer.errors import EXIT_PRECONDITION


@pytest.mark.parametrize("printed, shown", [
    ("warning: A new version of Pulumi is available\\n", '"warning: A new version of Pulumi is available"'),
    ("", "nothing"),
    ('{\\"api\\": \\"sk_live_cut', "JSON cut short (20 bytes, not shown: it may hold secret values)"),
], ids=["banner", "nothing", "cut"])
def test_stack_output_that_is_no_json_is_exit_4_naming_the_command(deployer, tmp_path, monkeypatch, printed, shown):
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nimport sys\n"
                    "if sys.argv[1:2] == ['version']: print('v3.200.0')\n"
                    f"elif 'output' in sys.argv: sys.stdout.write(\"{printed}\")\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "test")
    (tmp_path / "infra.yaml").write_text("app: shop\naws: {region: eu-west-1}\n")

    result = deployer("--spec", str(tmp_path), "outputs", "--env", "prod")

    assert result.exit_code == EXIT_PRECONDITION, result.stderr
    assert f"`pulumi stack output --json` printed no JSON but {shown}" in result.stderr
    assert "sk_live" not in result.stderr
