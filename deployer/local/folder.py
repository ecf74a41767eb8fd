"""`.deployer/local/ENV/` beside the spec: the data that survives a restart, the servers' logs and,
while `deployer dev` runs, its outputs.

The running `dev` holds a kernel lock (`flock`) on `.deployer/local/.ENV.lock`: the kernel releases it
when its holder dies, so a killed `dev` neither blocks the next one nor leaves outputs that look
current. Nothing is written or deleted through a symbolic link planted there: each folder is checked
with lstat (`real_folder`), each file is opened with O_NOFOLLOW, and the folder is the user's alone."""

import errno
import fcntl
import json
import os
import shlex
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from deployer.errors import PreconditionMissing, display_link
from deployer.secrets.atomic import atomic_write

if TYPE_CHECKING:
    from deployer.speclang.resolved import ResolvedEnv


def linked(path: Path) -> PreconditionMissing:
    return PreconditionMissing(f"{display_link(path)} is a symbolic link: deployer dev never writes or deletes "
                               "through one (remove the link)")


def real_folder(base: Path, *parts: str) -> Path:
    """BASE/PARTS…, each folder made (private) where missing; refused where one is a symbolic link."""
    path = base
    for part in parts:
        path = path / part
        try:
            info = path.lstat()
        except FileNotFoundError:
            path.mkdir(mode=0o700)
            continue
        if stat.S_ISLNK(info.st_mode):
            raise linked(path)
        if not stat.S_ISDIR(info.st_mode):
            raise PreconditionMissing(f"{display_link(path)} is not a folder: deployer dev keeps its data there "
                                      "(move it away)")
    return path


def real_tree(base: Path, *parts: str) -> Path:
    """real_folder, with no symbolic link anywhere below it either: for a server, which follows them."""
    path = real_folder(base, *parts)
    for folder, subfolders, files in os.walk(path):
        for name in subfolders + files:
            if os.path.islink(link := Path(folder) / name):
                raise linked(link)
    return path


def open_new(path: Path, flags: int = os.O_WRONLY | os.O_TRUNC) -> int:
    """A file descriptor on PATH, created private where missing, never through a symbolic link."""
    try:
        return os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise linked(path) from None
        raise


class LocalFolder:
    def __init__(self, env: "ResolvedEnv"):
        self.env = env
        self.parent = env.spec_file.parent / ".deployer" / "local"
        self.path = self.parent / env.name
        self.outputs = self.path / "outputs.json"  # DEPLOYER_OUTPUTS
        self.connection = self.path / "session.env"  # for a process started apart: `set -a; . FILE`
        self.logs = self.path / "logs"
        self.lock_file = self.parent / f".{env.name}.lock"
        self._lock: int | None = None

    def claim(self, reset: bool) -> None:
        """Make it this process's (wiped first with RESET); refused while another `deployer dev` has it."""
        real_folder(self.env.spec_file.parent, ".deployer", "local")
        self._lock = open_new(self.lock_file, os.O_RDWR)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._lock, 32, 0).decode(errors="replace").strip() or "?"
            os.close(self._lock)
            self._lock = None
            raise PreconditionMissing(f"`deployer dev` already runs {self.env.name} (pid {holder}): stop it "
                                      "first") from None
        try:
            os.ftruncate(self._lock, 0)
            os.pwrite(self._lock, f"{os.getpid()}\n".encode(), 0)
            self._prepare(reset)
        except BaseException:
            self.release()
            raise

    def _prepare(self, reset: bool) -> None:
        if reset and self.path.is_symlink():
            raise PreconditionMissing(f"--reset: {display_link(self.path)} is a symbolic link: deployer dev wipes "
                                      "no folder through one (remove the link, and the data where it points "
                                      "if you mean to)")
        if reset and self.path.exists():
            try:
                shutil.rmtree(self.path)
            except OSError as err:
                raise PreconditionMissing(f"--reset could not wipe {display_link(self.path)}: {err.strerror or err} "
                                          f"({err.filename})") from None
        real_folder(self.parent, self.env.name)
        self.path.chmod(0o700)  # a folder made before: the user's alone too
        self.outputs.unlink(missing_ok=True)  # a killed `dev`'s
        self.connection.unlink(missing_ok=True)

    def publish(self, outputs: dict, connection: dict[str, str]) -> None:
        """The outputs, and CONNECTION (the variables that reach the servers, this run's credentials
        among them) with DEPLOYER_OUTPUTS and DEPLOYER_ENV as `KEY=value` lines; both private files."""
        atomic_write(self.outputs, (json.dumps(outputs, indent=2) + "\n").encode(), mode=0o600)
        variables = {**connection, "DEPLOYER_OUTPUTS": str(self.outputs), "DEPLOYER_ENV": self.env.name}
        atomic_write(self.connection, "".join(f"{key}={shlex.quote(value)}\n" for key, value in variables.items()).encode(),
                     mode=0o600)

    def release(self) -> None:
        if self._lock is not None:
            self.outputs.unlink(missing_ok=True)
            self.connection.unlink(missing_ok=True)
            os.close(self._lock)  # releases the lock
            self._lock = None

    def running(self) -> bool:
        """Whether a `deployer dev` runs this environment (holds its lock) now."""
        try:
            handle = os.open(self.lock_file, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return False
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(handle)
        return False

    def running_outputs(self) -> dict:
        """The outputs of the running `deployer dev`."""
        try:
            if not self.running():
                raise FileNotFoundError
            with os.fdopen(os.open(self.outputs, os.O_RDONLY | os.O_NOFOLLOW)) as file:
                return json.load(file)
        except (OSError, ValueError):
            raise PreconditionMissing(f"{self.env.name} is a local environment and `deployer dev --env "
                                      f"{self.env.name}` is not running: start it, and ask again") from None
