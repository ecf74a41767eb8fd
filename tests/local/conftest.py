"""Fixtures of the `deployer dev` tests."""

import subprocess
import threading

import pytest
from support.local_dev import Service, free_base_port


@pytest.fixture
def service():
    server = Service()
    # shutdown() waits for serve_forever's next poll: 0.5 s by default, at every test's end
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def base_port() -> int:
    return free_base_port()


@pytest.fixture
def started():
    """The processes a test starts (append each): those still running when it ends, because it failed,
    are killed, and their servers with them (they die with deployer)."""
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
