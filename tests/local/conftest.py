"""Fixtures of the `deployer dev` tests."""

import threading

import pytest
from support.local_dev import Service, free_base_port


@pytest.fixture
def service():
    server = Service()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def base_port() -> int:
    return free_base_port()
