"""Replacing a file so that a reader sees the old content or the new one, never a part."""

import os
import tempfile
from pathlib import Path

from deployer.errors import DeployerError, display_path


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary file beside PATH, fsync it, rename it over PATH, fsync the folder."""
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
