"""What people read, and where deployer writes, under hostile or careless input: escape sequences are shown
as escapes, markdown for a pull request cannot be broken out of, an ejected stack config holds each
setting as one value, control characters are refused in the spec, and bad paths get exit 1 or 2."""

import json
import re
import shutil
import subprocess
from html import escape as html_escape
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from deployer.console import Console
from deployer.errors import EXIT_INVALID, EXIT_USAGE

EXAMPLE = Path(__file__).resolve().parent.parent / "examples/shop-yaml/infra.yaml"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[32mvalid\x9b\u202e"


@pytest.fixture
def shop(tmp_path, monkeypatch) -> Path:
    """The YAML shop spec in tmp_path (the current folder); no cloud credentials anywhere."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, tmp_path / "infra.yaml")
    return tmp_path / "infra.yaml"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args], cwd=repo,
                   check=True, capture_output=True)


# --- terminals ----------------------------------------------------------------------------------------------


def test_escape_sequences_in_a_message_are_shown_as_escapes(shop, deployer):
    result = deployer("plan", "--env", ESCAPES)

    assert result.exit_code == EXIT_USAGE
    assert '"\\x1b]0;pwned\\x07\\x1b[2J\\x1b[32mvalid\\x9b\\u202e"' in result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07\x9b\u202e")


def test_escape_sequences_in_table_cells_are_shown_as_escapes(capsys):
    console = Console()
    console.table(["name", "value"], [["a\tb", ESCAPES], ["line\nbreak", "plain"]])
    console.info(f"note {ESCAPES}")

    out, err = capsys.readouterr()
    assert out.splitlines() == ["NAME\tVALUE", "a\\tb\t\\x1b]0;pwned\\x07\\x1b[2J\\x1b[32mvalid\\x9b\\u202e",
                                "line\\nbreak\tplain"]
    assert err == "note \\x1b]0;pwned\\x07\\x1b[2J\\x1b[32mvalid\\x9b\\u202e\n"


# --- the spec -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, path", [
    ("  region: eu-west-1", '  region: "eu-west-1\\n  aws:skipCredentialsValidation: true"', "aws.region"),
    ("    team: commerce", '    team: "commerce\\e[2J"', "aws.tags.team"),
    ("  StripeAPIKey: {description: Stripe secret key for charging cards}",
     '  StripeAPIKey: {description: "a bell\\a"}', "secrets.StripeAPIKey.description"),
], ids=["region", "tag", "description"])
def test_control_characters_are_refused_in_the_spec(shop, deployer, old, new, path):
    text = shop.read_text().replace(old, new)
    shop.write_text(text)
    line = text.splitlines().index(new) + 1

    result = deployer("validate")

    assert result.exit_code == EXIT_INVALID
    assert f"infra.yaml:{line}: {path}: control character U+00" in result.stderr


def test_control_characters_are_refused_in_keys_and_in_overrides(spec_file, deployer):
    spec = spec_file("""
        app: shop
        aws:
          region: eu-west-1
          tags:
            "te\\e[2Jam": x
        environments:
          prod:
            type: production
            overrides:
              aws: {tags: {team: "a\\tb"}}
    """)

    result = deployer("--spec", str(spec), "validate")

    assert result.exit_code == EXIT_INVALID
    assert "infra.yaml:5: aws.tags.te\\x1b[2Jam: control character U+001B is not allowed" in result.stderr
    assert "infra.yaml:10: environments.prod.overrides.aws.tags.team: control character U+0009" in result.stderr


def test_descriptions_may_break_lines(shop, deployer):
    shop.write_text(shop.read_text().replace("{description: Stripe secret key for charging cards}",
                                             '{description: "Stripe key,\\n\\tfor charging cards"}'))

    assert deployer("validate").exit_code == 0


# --- markdown for a pull request ----------------------------------------------------------------------------


def test_a_value_cannot_break_out_of_its_code_block_in_the_diff_comment(shop, deployer):
    git(shop.parent, "init", "-q", "-b", "main")
    git(shop.parent, "add", "infra.yaml")
    git(shop.parent, "commit", "-qm", "base")
    hostile = "x` <img src=x onerror=alert(1)> [link](https://evil.example) | `y"
    # a cron job's title: free text (AWS tag values, say, take none of these characters)
    shop.write_text(shop.read_text().replace("title: Send the daily digest e-mails", f"title: '{hostile}'"))

    result = deployer("diff", "--env", "dev", "--base", "main", "--format", "markdown")

    assert result.exit_code == 0, result.stderr
    html = MarkdownIt("commonmark").enable("table").render(result.stdout)
    assert "<img" not in html and "<a " not in html and "<pre>" in html
    # the new value, whole, on its field's line in the resource's block
    assert re.search(rf"\n\+ +description: {re.escape(html_escape(json.dumps(hostile)))}\n", html)


# --- files deployer writes ----------------------------------------------------------------------------------


def test_a_project_id_that_would_break_the_stack_config_is_refused_before_it(shop, deployer, tmp_path):
    project = "shop-staging-1234 #: {x: y}"  # GCP's project ids are lowercase letters, digits and hyphens
    shop.write_text(shop.read_text().replace("  project: shop-staging-1234", f"  project: '{project}'"))

    result = deployer("eject", "--env", "staging", "--out", str(tmp_path / "out"))

    assert result.exit_code == EXIT_INVALID, result.stderr
    assert f'gcp.project: "{project}" is not a GCP project id' in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("out", ["infra.yaml/sub", "/proc/deployer-eject", "infra.yaml"])
def test_eject_into_a_place_it_cannot_write_is_a_usage_error(shop, deployer, out):
    result = deployer("eject", "--env", "prod", "--out", out)

    assert result.exit_code == EXIT_USAGE
    assert out in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["infra.yaml", "/dev/null"])
def test_init_into_a_file_is_a_usage_error(shop, deployer, target):
    result = deployer("--spec", target, "init")

    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"{target} is not a folder: init writes infra.cue into a folder (give --spec FOLDER)\n"


def test_a_diff_base_whose_spec_is_a_symbolic_link_is_refused(shop, deployer):
    (shop.parent / "real.yaml").write_text(shop.read_text())
    shop.unlink()
    shop.symlink_to("/etc/passwd")
    git(shop.parent, "init", "-q", "-b", "main")
    git(shop.parent, "add", "infra.yaml")
    git(shop.parent, "commit", "-qm", "a link")
    shop.unlink()
    shutil.copy(shop.parent / "real.yaml", shop)

    result = deployer("diff", "--env", "dev", "--base", "main")

    assert result.exit_code == EXIT_INVALID
    assert result.stderr == ('infra.yaml is a symbolic link at "main": diff reads the spec\'s files as committed, '
                             "not what a link points to (commit the file itself)\n")
