"""`deployer init`: the commented starter spec; for YAML, with the JSON Schema beside it, which the
spec's first line (`# yaml-language-server: $schema=infra.schema.json`) points editors to: a path
that resolves for whoever clones the repository, offline, and matches the deployer that wrote it
(`deployer schema > infra.schema.json` refreshes it after an upgrade)."""

from importlib.resources import files
from pathlib import Path

from deployer.errors import UsageError, display_path
from deployer.gitignore import ignore_local_files
from deployer.speclang.load import SPEC_FILES

SCHEMA_FILE = "infra.schema.json"


def write_starter(folder: Path, as_yaml: bool, force: bool) -> str:
    name = "infra.yaml" if as_yaml else "infra.cue"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} is not a folder: init writes {name} into a folder "
                         "(give --spec FOLDER)")
    written = [folder / name, *([folder / SCHEMA_FILE] if as_yaml else [])]
    if link := next((path for path in written if path.is_symlink()), None):
        raise UsageError(f"{display_path(link)} is a symbolic link: init writes no file through one "
                         "(remove the link first)")
    existing = [folder / n for n in SPEC_FILES if (folder / n).exists()]
    if existing and not force:
        raise UsageError(f"{display_path(existing[0])} exists already (use --force to overwrite)")
    target = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(files("deployer.templates").joinpath(name).read_text())
        if as_yaml:
            from deployer.schema.generate import render

            (folder / SCHEMA_FILE).write_text(render("json-schema"))
    except OSError as err:
        raise UsageError(f"could not write {display_path(target)} ({err.strerror or err})") from None
    added = ignore_local_files(folder)
    return (display_path(target) + (f" (and {SCHEMA_FILE} beside it, for editors)" if as_yaml else "")
            + (f"; .gitignore now ignores {' and '.join(added)}" if added else ""))
