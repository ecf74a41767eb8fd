"""One writer at a time on a file that is read, changed and replaced (the secret store).

The lock is `flock` on a file beside it (`.NAME.lock`, holding the holder's process id): the kernel
releases it when its holder dies, so a crash never leaves the store locked. The holder removes the
lock file before releasing it; a waiter that locked a file removed meanwhile locks the new one.
"""

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deployer.errors import DeployerError, PreconditionMissing, UsageError, display_link, display_path
from deployer.secrets.store import Notify

TIMEOUT_VARIABLE = "DEPLOYER_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
POLL = 0.05


@contextmanager
def locked(path: Path, notify: Notify) -> Iterator[None]:
    """Hold the lock of PATH; wait for it (saying so once), up to DEPLOYER_LOCK_TIMEOUT seconds."""
    lock_file = path.with_name(f".{path.name}.lock")
    timeout = _timeout()
    deadline = time.monotonic() + timeout
    told = False
    while True:
        handle = _open(lock_file)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "?"
            os.close(handle)
            if time.monotonic() >= deadline:
                raise PreconditionMissing(
                    f"{display_path(path)} is locked by another deployer (process {holder}) for more than "
                    f"{timeout:g} s: wait for it to end, or raise {TIMEOUT_VARIABLE} (seconds)") from None
            if not told:
                notify(f"waiting for another deployer (process {holder}) to finish with {display_path(path)} …")
                told = True
            time.sleep(POLL)
            continue
        if _still_there(handle, lock_file):
            break
        os.close(handle)  # its holder removed it after we opened it: lock the file there now
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        lock_file.unlink(missing_ok=True)
        os.close(handle)  # releases the lock


def _open(lock_file: Path) -> int:
    try:
        return os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        if err.errno == errno.ELOOP:  # truncating it would empty the file it points to
            raise PreconditionMissing(f"the lock file {display_link(lock_file)} is a "
                                      "symbolic link: deployer writes no file through one (remove the link)") from None
        raise DeployerError(f"could not create the lock file {display_path(lock_file)} "
                            f"({err.strerror or err})") from None


def _still_there(handle: int, lock_file: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), os.stat(lock_file))
    except FileNotFoundError:
        return False


def _timeout() -> float:
    text = os.environ.get(TIMEOUT_VARIABLE, "")
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"{TIMEOUT_VARIABLE} must be a number of seconds (0 or more)")
    return seconds
