"""The engine's workspace folder is deployer's: removed with the stack, or at once where the stack
cannot be opened, where Pulumi's default leaves an empty /tmp/automation-* folder per run (issue 15,
point 10). Without the Pulumi CLI here, the Automation API's stack functions are stood in for; what
deployer hands them (the workspace options) is the real thing."""

import gc
import shutil
from pathlib import Path

import pytest
from pulumi import automation as auto
from pulumi.automation._cmd import CommandResult

from deployer.engine import stack as engine_stack
from deployer.errors import DeploymentFailed
from deployer.speclang.load import load_spec, resolve

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/shop-yaml/infra.yaml"


class OpenedStack:
    def set_all_config(self, config) -> None:
        self.config = config


@pytest.fixture(autouse=True)
def without_the_cli(monkeypatch):
    monkeypatch.setattr(engine_stack, "pulumi_cli", lambda: None)  # the SDK's default: found by the workspace


@pytest.fixture
def dev(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "infra.yaml")
    return resolve(load_spec(tmp_path / "infra.yaml"), "dev")


@pytest.fixture
def work_dirs(monkeypatch) -> list[Path]:
    """The workspace folders deployer opened stacks in."""
    seen: list[Path] = []

    def create_or_select_stack(stack_name, project_name, program, opts: auto.LocalWorkspaceOptions):
        seen.append(Path(opts.work_dir))
        assert seen[-1].is_dir() and opts.project_settings.name == project_name
        return OpenedStack()

    monkeypatch.setattr(auto, "create_or_select_stack", create_or_select_stack)
    return seen


def test_the_workspace_folder_goes_with_the_stack(dev, work_dirs):
    stack = engine_stack.open_stack(dev)
    [folder] = work_dirs
    assert folder.is_dir() and folder.name.startswith("deployer-workspace-")
    del stack
    gc.collect()
    assert not folder.exists()


def test_the_workspace_folder_is_removed_where_the_stack_cannot_be_opened(dev, monkeypatch):
    folders: list[Path] = []

    def failing(stack_name, project_name, program, opts):
        folders.append(Path(opts.work_dir))
        raise auto.CommandError(CommandResult("", "error: no backend", 255))

    monkeypatch.setattr(auto, "create_or_select_stack", failing)
    with pytest.raises(DeploymentFailed, match="failed to open stack shop-dev"):
        engine_stack.open_stack(dev)
    [folder] = folders
    assert not folder.exists()
