"""On a terminal, `deployer secret set` asks for the value twice without echoing it (a real pty)."""

import os
import pty
import select
import sys
import time
from pathlib import Path

from deployer.secrets.file_store import FileStore
from deployer.secrets.scopes import Scope

DEPLOYER = Path(sys.executable).with_name("deployer")


def converse(argv: list[str], answers: dict[str, str], timeout: float = 30) -> tuple[str, int]:
    """Run ARGV on a new pseudo-terminal, typing each answer once its prompt appears; (screen, exit)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    screen, pending, deadline = b"", dict(answers), time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.2)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
        for prompt in list(pending):
            if screen.decode(errors="replace").rstrip().endswith(prompt):
                os.write(fd, pending.pop(prompt).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    return screen.decode(errors="replace"), os.waitstatus_to_exitcode(status)


def test_the_value_is_asked_twice_and_never_echoed(project):
    screen, code = converse([str(DEPLOYER), "secret", "set", "--type", "prod", "CRMToken"],
                            {"value of CRMToken:": "typed-at-the-prompt-77",
                             "Repeat for confirmation:": "typed-at-the-prompt-77"})

    assert code == 0, screen
    assert "typed-at-the-prompt-77" not in screen
    assert "set CRMToken for type production" in screen
    store = FileStore(project / "infra.secrets.yaml")
    assert store.read("CRMToken", Scope("type", "production")) == "typed-at-the-prompt-77"
