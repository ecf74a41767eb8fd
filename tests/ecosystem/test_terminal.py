"""The terminal: rich tables and colours on a terminal, none of it with NO_COLOR or --no-color, plain text
when piped, nothing but results with --quiet. Run through the real console script on a pseudo-terminal."""

import io
import subprocess
import sys

from support.ecosystem import CONSOLE_SCRIPT, YAML_EXAMPLE, clean_env, run_on_terminal

from deployer.console import Console

ESCAPE = "\x1b"
ENVS = ["--spec", str(YAML_EXAMPLE), "envs"]
VALIDATE = ["--spec", str(YAML_EXAMPLE), "validate"]


def test_a_terminal_gets_a_table_with_styles_and_a_spinner():
    code, table = run_on_terminal(ENVS, clean_env())
    assert code == 0
    assert "┃" in table and ESCAPE + "[1m" in table  # a box-drawn table with a bold header
    _, validating = run_on_terminal(VALIDATE, clean_env())
    assert ESCAPE + "[?25l" in validating  # the spinner hides the cursor while it spins


def test_no_color_means_no_escape_codes_at_all():
    code, table = run_on_terminal(ENVS, clean_env(NO_COLOR="1"))
    assert code == 0
    assert "│ staging │ development │ gcp      │ shop-staging │" in table
    assert ESCAPE not in table
    code, validating = run_on_terminal(VALIDATE, clean_env(NO_COLOR="1"))
    assert (code, validating) == (0, "validating …\r\ninfra.yaml is valid (4 environments)\r\n")


def test_an_error_under_no_color_is_plain():
    code, output = run_on_terminal(["--spec", "missing-folder", "envs"], clean_env(NO_COLOR="1"))
    assert (code, output) == (2, "spec missing-folder does not exist\r\n")


def test_the_no_color_option_is_the_same_as_no_color():
    code, table = run_on_terminal(["--no-color", *ENVS], clean_env())
    assert code == 0
    assert "│ prod    │ production  │ aws      │ shop-prod    │" in table
    assert ESCAPE not in table


def test_an_empty_no_color_does_not_count():
    _, table = run_on_terminal(ENVS, clean_env(NO_COLOR=""))
    assert ESCAPE in table  # https://no-color.org: set and not empty


def test_piped_output_is_plain_text_and_tab_separated():
    result = subprocess.run([str(CONSOLE_SCRIPT), *ENVS], check=False, capture_output=True, text=True, env=clean_env(),
                            timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == ["NAME\tTYPE\tPROVIDER\tSTACK", "prod\tproduction\taws\tshop-prod"]
    assert ESCAPE not in result.stdout + result.stderr


def test_quiet_prints_results_only(deployer):
    assert deployer(*VALIDATE).stderr == "infra.yaml is valid (4 environments)\n"
    assert deployer("--quiet", *VALIDATE).stderr == ""
    quiet = deployer("-q", *ENVS)
    assert (quiet.stdout.splitlines()[0], quiet.stderr) == ("NAME\tTYPE\tPROVIDER\tSTACK", "")


def test_changes_in_a_table_are_coloured_as_pulumi_colours_them(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: treat the stream as a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    Console().table(["op", "resource"], [["create", "avatars"], ["-", "old-queue"], ["-/+", "sessions"]])
    shown = screen.getvalue()
    green, red, magenta = "\x1b[32m", "\x1b[31m", "\x1b[35m"
    assert f"{green}create" in shown and f"{red}-  " in shown and f"{magenta}-/+" in shown
    assert "avatars" in shown and f"{green}avatars" not in shown


def test_a_plan_in_progress_shows_what_it_counts_and_the_time_elapsed():
    code, shown = run_on_terminal(["--spec", str(YAML_EXAMPLE), "plan", "--env", "prod"], clean_env())
    assert code == 0
    # 2 caches, 3 buckets, 2 topics and their 3 subscriptions, 3 secrets, 5 services, 2 cron jobs
    assert "planning prod: 20 spec entries" in shown
    assert "0:00:0" in shown  # rich's elapsed-time column
