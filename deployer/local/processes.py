"""The local servers as child processes: started together, each in its own process group with its
log file, waited for until its own process listens on its port (another process there, such as
another `deployer dev` started at the same moment, is never taken for it), and all stopped together on
every way out."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from deployer.children import dying_with_deployer
from deployer.errors import DeploymentFailed
from deployer.local.folder import open_new, real_folder
from deployer.local.ports import check_free, listened_by
from deployer.local.stack import LOCALHOST, Server

STOP_GRACE_SECONDS = 5


class Supervisor:
    """The running servers; `stop` ends every one of them and their children."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: list[tuple[Server, subprocess.Popen]] = []

    def start(self, servers: list[Server], meanwhile: Callable[[], None] = lambda: None) -> None:
        """Start SERVERS at once, run MEANWHILE while they boot, and wait for each to accept
        connections; on failure, stop all."""
        real_folder(self.logs.parent, self.logs.name)
        try:
            for server in servers:
                with os.fdopen(open_new(self.log_file(server)), "wb") as log:
                    process = subprocess.Popen(server.argv, stdin=subprocess.PIPE if server.stdin else subprocess.DEVNULL,
                                               stdout=log, stderr=log, env={**os.environ, **server.environ},
                                               start_new_session=True,
                                               preexec_fn=dying_with_deployer(server.stop_signal))  # noqa: PLW1509 (no thread yet)
                self.running.append((server, process))
                if server.stdin:
                    with contextlib.suppress(BrokenPipeError), process.stdin:  # exited at once: _wait_ready says why
                        process.stdin.write(server.stdin.encode())
            meanwhile()
            for server, process in self.running:
                self._wait_ready(server, process)
        except BaseException:
            self.stop()
            raise

    def log_file(self, server: Server) -> Path:
        return self.logs / f"{server.name.replace(' ', '-')}.log"

    def _wait_ready(self, server: Server, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + server.startup_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                check_free({server.port: server.name})  # taken since the first check: that is the reason
                raise DeploymentFailed(f"{server.name} exited with code {process.returncode} at start:\n"
                                       f"{self._log_tail(server)}")
            if _accepts(server.port) and listened_by(server.port, process.pid):
                return
            time.sleep(0.05)
        raise DeploymentFailed(f"{server.name} did not accept connections on port {server.port} within "
                               f"{server.startup_seconds:.0f} s:\n{self._log_tail(server)}")

    def _log_tail(self, server: Server, lines: int = 15) -> str:
        text = self.log_file(server).read_text(errors="replace").splitlines()
        return "\n".join(f"  {line}" for line in text[-lines:]) or "  (its log is empty)"

    def pids(self) -> list[int]:
        return [process.pid for _, process in self.running]

    def stop(self) -> None:
        """Its stop signal to each server's process group, SIGKILL to those still there after the grace time."""
        for server, process in self.running:
            _signal_group(process, server.stop_signal)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for _, process in self.running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # whatever it left behind in its group, too
            process.wait()
        self.running = []


def _accepts(port: int) -> bool:
    try:
        socket.create_connection((LOCALHOST, port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
