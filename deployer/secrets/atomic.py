"""Replacing a file so that a reader sees the old content or the new one, never a part."""

import os
import stat
import tempfile
from pathlib import Path

from deployer.errors import PreconditionMissing, display_path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside PATH, fsync it, rename it over PATH, fsync the folder. The
    new file has MODE, else the mode of the file it replaces (a store its user made 0600 stays so),
    else 0644. A PATH that is no regular file (/dev/stdout, a pipe) is written to. A failure (a full
    disk, a read-only or missing folder) is exit 4 with its reason, PATH unchanged."""
    try:
        found = path.stat()
    except OSError:
        found = None
    if found and not stat.S_ISREG(found.st_mode):
        try:
            path.write_bytes(data)
        except OSError as err:
            raise PreconditionMissing(f"could not write {display_path(path)} ({err.strerror or err})") from None
        return
    if mode is None:
        mode = stat.S_IMODE(found.st_mode) if found else 0o644
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        raise PreconditionMissing(f"could not write {display_path(path)}: the folder {display_path(path.parent)} "
                                  "does not exist") from None
    except OSError as err:
        raise _unwritten(path, err) from None
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
            raise _unwritten(path, err) from None
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _unwritten(path: Path, err: OSError) -> PreconditionMissing:
    return PreconditionMissing(f"could not write {display_path(path)} ({err.strerror or err}); it is unchanged")
