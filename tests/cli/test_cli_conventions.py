"""The command line as users of Pulumi, Terraform and SST expect it: no silent deploys without a
terminal, global options anywhere, -e and DEPLOYER_ENV, the spec found from a subfolder, a diff that
can gate a script, tables that never cut a value, completion that offers only what works."""

import os
import subprocess
import sys

import pytest
from click.shell_completion import ShellComplete

from deployer.cli import EXIT_CHANGES, cli
from deployer.console import Console

SPEC = """
app: shop
aws: {region: eu-west-1}
secrets:
  StripeAPIKey: {description: the Stripe secret key}
  SendGridToken: {}
services:
  api: {url: "https://api.example.com"}
buckets:
  avatars: {}
environments:
  prod: {type: production}
  dev: {type: development}
  local: {type: local}
"""


@pytest.fixture
def spec(spec_file):
    return spec_file(SPEC)


@pytest.mark.parametrize("command", ["up", "destroy"])
def test_without_a_terminal_up_and_destroy_refuse_without_yes_before_any_preflight(deployer, spec, monkeypatch,
                                                                                   command):
    monkeypatch.setenv("PATH", "/nonexistent")  # no Pulumi CLI, no credentials: the preflight would say so
    result = deployer("--spec", str(spec), command, "--env", "dev")
    assert result.exit_code == 2
    assert "standard input is not a terminal" in result.stderr and "--yes" in result.stderr
    assert "Pulumi" not in result.stderr


def test_global_options_work_after_the_subcommand(deployer, spec, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)  # no spec here: only the late --spec can find it
    result = deployer("validate", "--env", "prod", "--spec", str(spec), "--quiet", "--no-color")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # quiet: no "is valid" note
    loud = deployer("validate", "--spec", str(spec))
    assert "infra.yaml is valid" in loud.stderr


def test_dash_e_and_deployer_env_name_the_environment(deployer, spec, monkeypatch):
    assert deployer("--spec", str(spec), "validate", "-e", "nope").exit_code == 2  # -e is --env
    monkeypatch.setenv("DEPLOYER_ENV", "nope")
    result = deployer("--spec", str(spec), "validate")
    assert result.exit_code == 2 and '"nope"' in result.stderr  # DEPLOYER_ENV was read
    assert deployer("--spec", str(spec), "validate", "-e", "prod").exit_code == 0  # -e wins over it


def test_the_spec_is_found_in_the_nearest_parent_folder(deployer, spec, monkeypatch):
    nested = spec.parent / "services" / "api"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    result = deployer("validate")
    assert result.exit_code == 0 and "infra.yaml is valid" in result.stderr


def test_without_a_spec_anywhere_the_error_says_parents_were_searched(deployer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = deployer("validate")
    assert result.exit_code == 2 and "or its parents" in result.stderr


def test_a_table_folds_a_long_value_instead_of_cutting_it(monkeypatch, capsys):
    for name, value in {"FORCE_COLOR": "1", "COLUMNS": "80", "NO_COLOR": "1"}.items():  # an 80-column terminal
        monkeypatch.setenv(name, value)
    console = Console()
    old, new = '"cache.r7g.large-with-a-long-suffix"', '"cache.r7g.xlarge-with-a-long-suffix"'
    console.table(["resource", "field", "old", "new"],
                  [["aws:elasticache/replicationGroup:ReplicationGroup sessions", "nodeType", old, new]])
    text = capsys.readouterr().out
    assert "…" not in text
    lines = [line.split("│") for line in text.splitlines() if line.startswith("│")]
    assert max(len(line) for line in text.splitlines()) <= 80
    assert ["".join(line[3].strip() for line in lines), "".join(line[4].strip() for line in lines)] == [old, new]


def completions(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    complete = ShellComplete(cli, {}, "deployer", "_DEPLOYER_COMPLETE")
    return [(item.value, item.help) for item in complete.get_completions(args, incomplete)]


def test_env_completion_leaves_out_what_the_command_refuses(spec):
    assert [value for value, _ in completions(["--spec", str(spec), "validate", "--env"], "")] == [
        "prod", "dev", "local"]
    for command in ("plan", "diff", "preview", "up", "destroy", "refresh", "eject"):
        assert [value for value, _ in completions(["--spec", str(spec), command, "-e"], "")] == ["prod", "dev"]


def test_completion_reads_a_spec_given_after_the_subcommand(spec, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    assert [value for value, _ in completions(["plan", "--spec", str(spec), "--env"], "")] == ["prod", "dev"]


def test_secret_set_completes_types_and_the_declared_secret_names(spec):
    types = completions(["--spec", str(spec), "secret", "set", "--type"], "prod,d")
    assert types == [("prod,development", ""), ("prod,dev", "= development")]
    names = completions(["--spec", str(spec), "secret", "set", "--type", "prod"], "S")
    assert names == [("StripeAPIKey", "the Stripe secret key"), ("SendGridToken", "")]


def git(cwd, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


@pytest.mark.slow
def test_diff_exit_code_signals_changes_for_scripts(deployer, spec):
    git(spec.parent, "init", "-q")
    git(spec.parent, "add", "infra.yaml")
    git(spec.parent, "commit", "-q", "-m", "base")
    same = deployer("--spec", str(spec), "diff", "-e", "prod", "--base", "HEAD", "--exit-code")
    assert same.exit_code == 0, same.stderr
    spec.write_text(spec.read_text().replace("avatars: {}", "avatars: {}\n  invoices: {}"))
    changed = deployer("--spec", str(spec), "diff", "-e", "prod", "--base", "HEAD", "--exit-code", "--format", "json")
    assert changed.exit_code == EXIT_CHANGES == 10 and '"added"' in changed.stdout
    assert deployer("--spec", str(spec), "diff", "-e", "prod", "--base", "HEAD").exit_code == 0  # only when asked


def test_an_internal_error_names_its_type_and_message_without_a_traceback(tmp_path):
    """A bug of ours still tells the user (and the issue they file) which key or value it tripped on."""
    script = ("import sys\nimport deployer.speclang.load as load\n"
              "def broken(*args, **kwargs):\n    raise KeyError('databases')\n"
              "load.load_spec = broken\nsys.argv = ['deployer', 'validate']\n"
              "from deployer.cli import main\nmain()\n")
    env = {key: value for key, value in os.environ.items() if key != "DEPLOYER_DEBUG"}
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=tmp_path,
                            env=env,
                            timeout=60)
    assert result.returncode == 3  # a deploy step failed (shared/CLI.md): not the user's spec
    assert result.stderr.strip().endswith("internal error: KeyError: 'databases' (run with DEPLOYER_DEBUG=1 for details)")
    assert "Traceback" not in result.stderr
