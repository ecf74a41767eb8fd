"""Replacing a file so that a reader sees the old content or the new one, never a part."""

import os
import stat
import tempfile
from pathlib import Path

from deployer.errors import DeployerError, display_path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside PATH, fsync it, rename it over PATH, fsync the folder. The
    new file has MODE, else the mode of the file it replaces (a store its user made 0600 stays so),
    else 0644."""
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fchmod(file.fileno(), mode)
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise DeployerError(f"could not write {display_path(path)} ({err.strerror or err}); "
                                "it is unchanged") from None
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
