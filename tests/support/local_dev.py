"""`deployer dev` as a user runs it: the console script in a subprocess, a service's HTTP server on
this machine to receive pushes and cron calls, and a check that no process outlives it."""

import json
import random
import re
import socket
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEPLOYER = str(Path(sys.executable).parent / "deployer")


def run_deployer(spec: Path, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DEPLOYER, "--spec", str(spec), *args], capture_output=True, text=True, timeout=timeout, check=False,
                          cwd=spec.parent, env=env)


def start_dev(spec: Path, *args: str, started: list[subprocess.Popen], timeout: float = 60,
              **popen) -> tuple[subprocess.Popen, Path]:
    """`deployer dev ARGS` without a COMMAND, once ready: the process and its DEPLOYER_OUTPUTS file.
    STARTED (the `started` fixture) ends it should the test fail first."""
    process = subprocess.Popen([DEPLOYER, "--spec", str(spec), "dev", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, cwd=spec.parent, **popen)
    started.append(process)
    return process, ready(process, timeout)


def ready(process: subprocess.Popen, timeout: float = 60) -> Path:
    """The DEPLOYER_OUTPUTS file of a starting `deployer dev` (its stderr a pipe), once it is ready."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    said = []
    try:
        for line in process.stderr:
            if " ready in " in line:
                return Path(line.rsplit("DEPLOYER_OUTPUTS=", 1)[1].strip())
            said.append(line)
    finally:
        timer.cancel()
    raise AssertionError(f"deployer dev ended before it was ready (exit {process.wait()}): {''.join(said)}")


def write_client(folder: Path, name: str, code: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(code))
    return path


PORTS_PER_ENV = 20  # the cloud's servers from the base port, the caches from base + 10


def free_base_port() -> int:
    """A base port whose environment's ports are all free now (test runs on this machine may overlap)."""
    while True:
        base = random.randrange(20000, 60000, PORTS_PER_ENV)
        if all(_free(port) for port in range(base, base + PORTS_PER_ENV)):
            return base


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def processes_mentioning(text: str) -> list[str]:
    """Command lines of the live processes that mention TEXT (a port, a folder) as a word."""
    found = []
    word = re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w.])")
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if word.search(line) and "pytest" not in line:
            found.append(line)
    return found


def leftovers(base_port: int) -> list[str]:
    """The processes still serving an environment's ports (its servers name their port on their
    command line): none once `deployer dev` has ended."""
    return [line for port in range(base_port, base_port + PORTS_PER_ENV) for line in processes_mentioning(str(port))]


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
