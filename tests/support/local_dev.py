"""`deployer dev` as a user runs it: the console script in a subprocess, a service's HTTP server on
this machine to receive pushes and cron calls, and a check that no process outlives it."""

import json
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DEPLOYER = str(Path(sys.executable).parent / "deployer")
HAS_DEV_COMMAND = subprocess.run([DEPLOYER, "dev", "--help"], capture_output=True, check=False).returncode == 0
# The CLI's `dev` and `cron run` are wired into deployer/cli.py after its rendering change lands.
needs_dev_command = pytest.mark.skipif(not HAS_DEV_COMMAND, reason="the CLI has no `dev` command yet")


def run_deployer(spec: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([DEPLOYER, "--spec", str(spec), *args], capture_output=True, text=True, timeout=timeout, check=False,
                          cwd=spec.parent)


def write_client(folder: Path, name: str, code: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(code))
    return path


def processes_mentioning(text: str) -> list[str]:
    """Command lines of the live processes that mention TEXT (a port, a folder)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in line and "pytest" not in line:
            found.append(line)
    return found


class Service(ThreadingHTTPServer):
    """A service's local URL: records each POST as (path, headers in lower case, body) and answers `status`."""

    def __init__(self):
        self.received: list[tuple[str, dict, bytes]] = []
        self.status = 200
        self.posted = threading.Condition()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_for(self, count: int, timeout: float = 15) -> list[tuple[str, dict, bytes]]:
        with self.posted:
            self.posted.wait_for(lambda: len(self.received) >= count, timeout)
        return list(self.received)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.posted:
            self.server.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.server.posted.notify_all()
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())
