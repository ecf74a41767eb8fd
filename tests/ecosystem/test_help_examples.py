"""Every command's --help shows an example: every command registered now or later, groups included."""

import click
import pytest
from click.testing import CliRunner

from deployer.cli import cli


def command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*path, name))
        else:
            paths.append((*path, name))
    return paths


def test_the_walk_finds_the_commands_and_the_groups_below():
    paths = command_paths(cli)
    assert {(), ("validate",), ("schema",), ("secret",), ("secret", "set")} <= set(paths)


@pytest.mark.parametrize("path", command_paths(cli), ids=lambda path: " ".join(path) or "deployer")
def test_help_has_an_example_of_the_command_itself(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    examples = [line.strip() for line in result.output.splitlines() if line.strip().startswith("Example:")]
    assert examples, f"`deployer {' '.join(path)} --help` has no `Example:` line"
    assert all(e.startswith(" ".join(["Example: deployer", *path])) for e in examples), examples
