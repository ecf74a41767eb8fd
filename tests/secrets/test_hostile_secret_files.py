"""Secrets files written by hand, carelessly or with intent: no value of theirs in any message (whatever its
quoting or tag), no unbounded work from an alias bomb, and a located exit 1 for a file that is not UTF-8."""

import time

import pytest

from deployer.errors import EXIT_INVALID

VALUE = "sk_live_DISTINCTIVE_4242"
BOMB = "".join([f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
               + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)])


def refused(deployer, *args: str):
    """`deployer ARGS`: exit 1 within seconds (a traceback raises: the runner sets DEPLOYER_DEBUG)."""
    started = time.monotonic()
    result = deployer(*args)
    assert time.monotonic() - started < 5
    assert result.exit_code == EXIT_INVALID, result.stderr
    assert VALUE not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize("written", [
    f"'{VALUE}' & 5", f'"{VALUE}" & 5', f"#\"{VALUE}\"# & 5", f"'''\n\t{VALUE}\n\t''' & 5",
    f'"""\n\t{VALUE}\n\t""" & 5', f'["{VALUE}"] & 5', f'{{a: "{VALUE}"}} & 5', f'"{VALUE}" + 5',
    f'"{VALUE}" & =~"^x"', VALUE, "4242424242 & \"x\"",
], ids=["bytes", "string", "raw", "multiline-bytes", "multiline", "list", "struct", "operands", "bound",
        "reference", "number"])
def test_cue_messages_about_the_local_file_never_show_its_values(project, deployer, written):
    (project / ".secrets.local.cue").write_text(f"CRMToken: {written}\n")

    result = refused(deployer, "secret", "list", "--env", "local")

    assert result.stderr.startswith(".secrets.local.cue:1: CRMToken: ")
    assert "4242" not in result.stderr


@pytest.mark.parametrize("written, message", [
    (f"!!int {VALUE}", "the value is not a valid !!int"),
    (f"!!float {VALUE}", "the value is not a valid !!float"),
    (f"!!timestamp {VALUE}", "the value is not a valid !!timestamp"),
    (f"!{VALUE} x", "invalid YAML: a custom tag (!…) is not supported here"),
    (f"!!{VALUE} x", "invalid YAML: a custom tag (!…) is not supported here"),
    (f"[{VALUE}]", "the value must be a string"),
])
def test_yaml_tags_in_the_local_file_never_show_its_values(project, deployer, written, message):
    (project / ".secrets.local.yaml").write_text(f"CRMToken: {written}\n")

    result = refused(deployer, "secret", "list", "--env", "local")

    assert result.stderr == f".secrets.local.yaml:1: CRMToken: {message}\n"


def test_an_alias_bomb_in_the_local_file_is_refused_at_once(project, deployer):
    (project / ".secrets.local.yaml").write_text(BOMB)

    result = refused(deployer, "secret", "list", "--env", "local")

    assert "YAML aliases expand to more than 100000 values" in result.stderr


def test_an_alias_bomb_in_the_store_is_refused_at_once(project, deployer):
    (project / "infra.secrets.yaml").write_text("recipients: []\nsecrets:\n  CRMToken:\n    types:\n"
                                                "      production: x\n" + BOMB)

    result = refused(deployer, "secret", "list")

    assert result.stderr.startswith("infra.secrets.yaml:11: not a readable deployer secret store: l5.0: "
                                    "YAML aliases expand to more than 100000 values")


@pytest.mark.parametrize("file, args", [
    ("infra.secrets.yaml", ("secret", "list")),
    (".secrets.local.yaml", ("secret", "list", "--env", "local")),
    (".secrets.local.cue", ("secret", "list", "--env", "local")),
])
@pytest.mark.parametrize("content, message", [
    (f"CRMToken: {VALUE}\n".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    (f"# café\nCRMToken: {VALUE}\n".encode("latin-1"), "not UTF-8 text (byte 0xe9): save it as UTF-8"),
], ids=["utf-16", "latin-1"])
def test_a_secrets_file_that_is_not_utf8_is_a_located_error(project, deployer, file, args, content, message):
    (project / file).write_bytes(content)

    result = refused(deployer, *args)

    assert result.stderr.startswith(f"{file}:1")
    assert message in result.stderr
