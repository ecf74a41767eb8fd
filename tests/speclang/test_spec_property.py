"""Random and mutated specs through the CLI entry (deployer.cli.main): never a traceback; exit 0, or
exit 1 with every problem located in the spec file."""

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployer.errors import EXIT_INVALID

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"
EXAMPLE_DATA = yaml.safe_load(EXAMPLE.read_text())
# 100 specs per property: every command and mutation kind many times over, in a second or two
SETTINGS = settings(max_examples=100, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Values a user might plausibly write in the wrong place, and some that push the limits.
TELLING = st.sampled_from([
    "7h", "90s", "0s", "99999999999999999d", "1.5h", "never", "keep-ttl", {"dailyAt": "25:00"},
    "requests/:key", "a/:UserID/:key", ":key", "0 4 * * *", "*/0 * * *", "https://x.example.com",
    "http://x", "/path", "exactly-once", "gcp", "azure", "prod", "pr", "emial", "StripeAPIKey",
    "download", "public-url", "cache.t4g.micro", -1, 0, 10**30, 3.5, True, None, "", [], {},
])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12) | TELLING,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


def places(node, at=()):
    """Every path into the data: mapping keys and list items."""
    yield at
    if isinstance(node, dict):
        for key, value in node.items():
            yield from places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from places(value, (*at, index))


def mutate(data, path, operation, value, new_key):
    """Delete, replace or rename what is at `path` (a copy of `data` is changed)."""
    if not path:
        return value
    data = json.loads(json.dumps(data))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if operation == "delete":
        del parent[last]
    elif operation == "rename" and isinstance(parent, dict):
        parent[new_key] = parent.pop(last)
    else:
        parent[last] = value
    return data


@st.composite
def mutated_specs(draw):
    data = EXAMPLE_DATA
    for _ in range(draw(st.integers(1, 3))):
        paths = list(places(data))
        path = draw(st.sampled_from(paths))
        data = mutate(data, path, draw(st.sampled_from(["delete", "replace", "rename"])), draw(VALUES),
                      draw(st.text(min_size=1, max_size=10)))
    return yaml.safe_dump(data, allow_unicode=True)


@st.composite
def mangled_texts(draw):
    """The example's text with lines dropped, repeated or broken."""
    lines = EXAMPLE.read_text().splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["drop", "repeat", "garble", "dedent"]))
        if change == "drop":
            del lines[index]
        elif change == "repeat":
            lines.insert(index, lines[index])
        elif change == "garble":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))] + draw(st.text(max_size=6))
        else:
            lines[index] = lines[index].lstrip()
    return "\n".join(lines) + "\n"


COMMANDS = st.sampled_from([
    ("validate", "--format", "json"), ("validate", "--format", "json", "--env", "pr-42"),
    ("validate",), ("envs",), ("envs", "--format", "json"),
])


def check(deployer, folder: Path, text: str, command: tuple[str, ...]):
    spec = folder / "infra.yaml"
    spec.write_text(text)
    result = deployer("--spec", str(spec), *command)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.exit_code in (0, EXIT_INVALID), (result.exit_code, result.stderr)
    if result.exit_code == 0:
        return
    if "--format" in command and command[0] == "validate":
        problems = json.loads(result.stdout)["problems"]
        assert problems, "exit 1 without a problem"
        assert all(p["file"] == str(spec) and p["message"] for p in problems), problems
    else:
        assert result.stderr.startswith(f"{spec}:"), result.stderr


@SETTINGS
@given(text=mutated_specs(), command=COMMANDS)
def test_mutated_specs_are_valid_or_located_problems(deployer, tmp_path_factory, text, command):
    check(deployer, tmp_path_factory.getbasetemp(), text, command)


@SETTINGS
@given(text=mangled_texts(), command=COMMANDS)
def test_mangled_yaml_is_valid_or_located_problems(deployer, tmp_path_factory, text, command):
    check(deployer, tmp_path_factory.getbasetemp(), text, command)


@settings(SETTINGS, max_examples=60)
@given(text=st.text(max_size=200) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
def test_garbage_is_refused_with_a_located_problem(deployer, tmp_path_factory, text):
    check(deployer, tmp_path_factory.getbasetemp(), text, ("validate", "--format", "json"))
