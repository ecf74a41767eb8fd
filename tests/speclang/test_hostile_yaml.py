"""YAML as an attacker or a careless editor writes it: an alias bomb is refused at its line within a
second, impossible tagged values and files that are not UTF-8 get a located exit 1, never a traceback;
and a fuzz over the loader finds no traceback, no hang and no exit code outside CLI.md."""

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.errors import EXIT_INVALID, EXIT_USAGE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"

# "Billion laughs": nine levels of nine aliases, 387 million strings once expanded.
ALIAS_BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)]
)


def test_an_alias_bomb_in_a_spec_is_refused_at_its_line_at_once(tmp_path, deployer):
    spec = tmp_path / "infra.yaml"
    spec.write_text("app: shop\nbuckets:\n  uploads: {}\n" + ALIAS_BOMB)

    started = time.monotonic()
    result = deployer("--spec", str(spec), "validate")

    assert time.monotonic() - started < 5
    assert result.exit_code == EXIT_INVALID
    # l5's copies of l4 pass 100,000 values (9 ** 5 + …): located at the alias of its first item
    assert result.stderr.startswith(f"{spec}:9: l5.0: YAML aliases expand to more than 100000 values: "
                                    "write the values out, or share fewer")


def test_aliases_that_share_a_block_the_usual_way_are_read(tmp_path, deployer):
    spec = tmp_path / "infra.yaml"
    services = "".join(f"  worker-{i}:\n    uses: *uses\n" for i in range(500))
    spec.write_text("app: shop\naws: {region: eu-west-1}\nsecrets: [S01, S02]\ncaches: {sessions: {}}\n"
                    "services:\n  api:\n    uses: &uses {secrets: [S01, S02], caches: [sessions]}\n" + services)

    result = deployer("--spec", str(spec), "validate")

    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("written, tag", [
    ("!!int shop", "!!int"), ("!!bool maybe", "!!bool"), ("!!timestamp 2024-13-45", "!!timestamp"),
    ("!!float lots", "!!float"), ("2024-13-45", "!!timestamp"), ("!!int " + "9" * 5000, "!!int"),
])
def test_a_value_its_tag_cannot_read_is_a_located_error(tmp_path, deployer, written, tag):
    spec = tmp_path / "infra.yaml"
    spec.write_text(f"app: shop\nbuckets:\n  uploads: {{versioned: {written}}}\n")

    result = deployer("--spec", str(spec), "validate")

    assert result.exit_code == EXIT_INVALID
    assert result.stderr.startswith(f"{spec}:3: buckets.uploads.versioned: the value is not a valid {tag}")


@pytest.mark.parametrize("encode, message", [
    (lambda text: text.encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    (lambda text: ("# café\n" + text).encode("latin-1"), "not UTF-8 text (byte 0xe9): save it as UTF-8"),
    (lambda text: bytes(range(128, 256)), "not UTF-8 text (byte 0x80): save it as UTF-8"),
], ids=["utf-16", "latin-1", "binary"])
def test_a_spec_that_is_not_utf8_is_a_located_error(tmp_path, deployer, encode, message):
    spec = tmp_path / "infra.yaml"
    spec.write_bytes(encode(EXAMPLE.read_text()))

    result = deployer("--spec", str(spec), "validate")

    assert (result.exit_code, result.stderr) == (EXIT_INVALID, f"{spec}:1: {message}\n")


# --- fuzz: YAML text a user or an attacker might write ------------------------------------------------------

PIECES = st.sampled_from([
    "app: shop\n", "buckets:\n", "  uploads: ", "{}", "[", "]", "{", "}", "&a ", "*a", "&b ", "*b", "<<: *a\n",
    "!!int ", "!!bool ", "!!float ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!str ", "!custom ",
    "!!python/object:os.system ", "2024-13-45", "0x1F", "1e400", "9" * 40, ".nan", "~", "yes", "maybe", "'", '"',
    "\\x1b", "\t", "\n", "  ", "- ", ": ", "? ", "#", "%YAML 1.1\n", "---\n", "...\n", "\ufeff", "\x00", "\x85",
    "versioned: ", "caches:\n", "  c: ", "secrets: ", "[S01, S02]",
])
YAML_TEXT = st.lists(PIECES | st.text(max_size=6), max_size=30).map("".join)


@given(text=YAML_TEXT)
@settings(max_examples=200, deadline=2000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_fuzzed_yaml_gets_a_located_answer_and_never_a_traceback(tmp_path, deployer, text):
    spec = tmp_path / "infra.yaml"
    spec.write_text(text, errors="surrogatepass")

    result = deployer("--spec", str(spec), "validate")  # DEPLOYER_DEBUG: a traceback raises here

    assert result.exit_code in (0, EXIT_INVALID, EXIT_USAGE), result.stderr
    if result.exit_code == EXIT_INVALID:
        assert all(line.startswith(str(spec)) for line in result.stderr.splitlines() if line), result.stderr
