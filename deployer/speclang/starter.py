"""`deployer init`: the commented starter spec."""

from importlib.resources import files
from pathlib import Path

from deployer.errors import UsageError, display_path
from deployer.speclang.load import SPEC_FILES


def write_starter(folder: Path, as_yaml: bool, force: bool) -> str:
    name = "infra.yaml" if as_yaml else "infra.cue"
    existing = [folder / n for n in SPEC_FILES if (folder / n).exists()]
    if existing and not force:
        raise UsageError(f"{display_path(existing[0])} exists already (use --force to overwrite)")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_text(files("deployer.templates").joinpath(name).read_text())
    return display_path(target)
