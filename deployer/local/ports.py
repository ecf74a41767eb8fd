"""The local servers' ports: the cloud's from the base port on, each primitive's from its own offset
(`Primitive.local_port`); a busy port is an error naming who holds it."""

import os
import socket
from pathlib import Path

from deployer.errors import PreconditionMissing
from deployer.local.stack import LOCALHOST

DEFAULT_BASE_PORT = 4700  # clear of Redis (6379), LocalStack (4510-4566) and the usual dev servers (3000, 8000, 8080)


def check_free(ports: dict[int, str]) -> None:
    """PORTS: port -> what would serve there. Every port must be free on 127.0.0.1."""
    for port, what in sorted(ports.items()):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is free
            try:
                probe.bind((LOCALHOST, port))
            except OSError:
                raise PreconditionMissing(
                    f"port {port} (for {what}) is in use by {holder(port)}: stop it, or move deployer's "
                    "ports with `basePort: N` in the local environment's declaration") from None


def holder(port: int) -> str:
    """`pid 123 (redis-server)` for the process listening on PORT, as far as /proc tells."""
    for pid in listeners(port):
        try:
            command = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            command = "?"
        return f"pid {pid} ({command})"
    return "another process"


def listened_by(port: int, group: int) -> bool:
    """Whether a process of process group GROUP listens on PORT (taken for granted without /proc)."""
    if not Path("/proc/net/tcp").exists():
        return True
    for pid in listeners(port):
        try:
            if os.getpgid(pid) == group:
                return True
        except ProcessLookupError:
            continue
    return False


def listeners(port: int) -> set[int]:
    """The processes listening on PORT that /proc shows (another user's are hidden but to root)."""
    inodes = _listening_inodes(port)
    found = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*") if inodes else ():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            found.add(int(fd.parent.parent.name))
    return found


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes
