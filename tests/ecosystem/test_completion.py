"""Shell completion through the real console script, as bash, zsh and fish drive it: environment names
of the spec after `--env`, and nothing (never an error) where there is no usable spec."""

import subprocess
import time
from pathlib import Path

from support.ecosystem import CONSOLE_SCRIPT, CUE_EXAMPLE, ROOT, YAML_EXAMPLE, clean_env


def complete(shell: str, words: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """What the shell's completion function receives for the command line `words` (cursor at its end)."""
    incomplete = "" if words.endswith(" ") else words.split()[-1]
    # bash and zsh give the index of the word being completed, fish the word itself
    cword = incomplete if shell == "fish" else str(len(words.split()) - (1 if incomplete else 0))
    return subprocess.run(
        [str(CONSOLE_SCRIPT)], cwd=cwd, check=False, capture_output=True, text=True, timeout=60,
        env=clean_env(_DEPLOYER_COMPLETE=f"{shell}_complete", COMP_WORDS=words, COMP_CWORD=cword, **env),
    )


def test_bash_completes_the_environments_of_the_spec_given_with_spec():
    result = complete("bash", f"deployer --spec {YAML_EXAMPLE} plan --env ")
    assert result.stdout.splitlines() == ["plain,prod", "plain,dev", "plain,staging"]  # plan refuses local
    assert result.returncode == 0


def test_zsh_completes_a_prefix_with_the_type_and_provider_as_help():
    result = complete("zsh", f"deployer --spec {YAML_EXAMPLE.parent} diff --env st")
    assert result.stdout.splitlines() == ["plain", "staging", "development, gcp"]


def test_fish_completes_the_environments_of_a_cue_spec_in_the_current_folder():
    result = complete("fish", "deployer up --env ", cwd=CUE_EXAMPLE.parent)
    assert result.stdout.splitlines() == [
        "plain,prod\tproduction, aws", "plain,dev\tdevelopment, aws",
        "plain,staging\tdevelopment, gcp",  # not local: up refuses it
    ]


def test_a_subcommand_of_a_group_completes_from_deployer_spec(tmp_path):
    result = complete("bash", "deployer secret set --env d", cwd=tmp_path, DEPLOYER_SPEC=str(YAML_EXAMPLE))
    assert result.stdout.splitlines() == ["plain,dev"]


def test_the_default_environments_of_a_spec_that_declares_none(tmp_path):
    (tmp_path / "infra.yaml").write_text("app: tiny\n")
    result = complete("bash", "deployer validate --env ", cwd=tmp_path)
    assert result.stdout.splitlines() == ["plain,prod", "plain,dev", "plain,local"]


def test_a_broken_spec_completes_nothing_and_prints_no_error(tmp_path):
    (tmp_path / "infra.yaml").write_text("app: [unclosed\n")
    result = complete("bash", "deployer plan --env ", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_no_spec_at_all_completes_nothing_and_prints_no_error(tmp_path):
    result = complete("zsh", "deployer plan --env p", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_commands_complete_too():
    result = complete("bash", "deployer sch")
    assert result.stdout.splitlines() == ["plain,schema"]


def test_the_bash_script_users_source_is_clicks():
    result = subprocess.run([str(CONSOLE_SCRIPT)], check=False, capture_output=True, text=True, timeout=60,
                            env=clean_env(_DEPLOYER_COMPLETE="bash_source"))
    assert "_deployer_completion()" in result.stdout
    assert "complete -o nosort -F _deployer_completion deployer" in result.stdout


def test_a_description_with_line_breaks_is_one_help_line_in_zsh(tmp_path):
    """Issue 24, point 15: zsh reads three lines per item (type, value, help); a line break made more items."""
    (tmp_path / "infra.yaml").write_text('app: tiny\nsecrets:\n  ApiKey: {description: "first line\\nsecond\\tline\\r\\nthird"}\n')
    result = complete("zsh", "deployer secret set --env dev Ap", cwd=tmp_path)
    assert result.stdout.splitlines() == ["plain", "ApiKey", "first line second line third"]
    fish = complete("fish", "deployer secret set --env dev Ap", cwd=tmp_path)
    assert fish.stdout.splitlines() == ["plain,ApiKey\tfirst line second line third"]


def test_a_slow_cue_spec_completes_nothing_within_seconds(tmp_path):
    """Issue 24, point 10: a Tab press waited up to CUE's 60 s limit."""
    (tmp_path / "infra.cue").write_text('import "list"\napp: "shop"\n'
                                        'x: [for a in list.Range(0, 3000, 1) for b in list.Range(0, 3000, 1) {a*b}]\n')
    started = time.monotonic()
    result = complete("bash", "deployer plan --env ", cwd=tmp_path)
    assert time.monotonic() - started < 20
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
