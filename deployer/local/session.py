"""`deployer dev`: start what a local environment's spec declares, hand it to COMMAND (or wait for
Ctrl-C), and stop everything together on every way out."""

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from deployer import clouds
from deployer.children import dying_with_deployer
from deployer.errors import UsageError, quoted
from deployer.local.cron import CronScheduler
from deployer.local.folder import LocalFolder
from deployer.local.ports import DEFAULT_BASE_PORT, check_free
from deployer.local.processes import Supervisor
from deployer.local.push import Pusher
from deployer.local.stack import LocalStack, Server
from deployer.local.variables import command_environment
from deployer.primitives import PRIMITIVES
from deployer.secrets.resolution import resolve_secret_values
from deployer.speclang.load import Spec, resolve
from deployer.speclang.resolved import ResolvedEnv

Report = Callable[[str], None]


def local_env(spec: Spec, name: str) -> ResolvedEnv:
    env = resolve(spec, name)
    if env.type != "local":
        raise UsageError(f"{name} is a {env.type} environment: `deployer dev` runs local ones only")
    return env


def base_port(spec: Spec, env: ResolvedEnv) -> int:
    declared = (spec.base[0].environments or {}).get(env.name)
    return declared.base_port if declared and declared.base_port else DEFAULT_BASE_PORT


@dataclass
class Running:
    """The local environment, up: what runs where, its outputs, and the COMMAND's environment."""

    servers: list[Server]
    outputs: dict
    environment: dict[str, str]
    ready_seconds: float


class DevSession:
    def __init__(self, spec: Spec, env_name: str, report: Report):
        self.env = local_env(spec, env_name)
        self.base = base_port(spec, self.env)
        self.folder = LocalFolder(self.env)
        self.report = report
        self.stack: LocalStack = clouds.cloud(self.env.provider).local(self.env, self.base, self.folder.path)
        # each primitive with local servers of its own, for the entries the environment declares
        self.served = {p.section: p.local(self.env, self.base + p.local_port, self.folder.path)
                       for p in PRIMITIVES if p.local and getattr(self.env.spec, p.section)}
        self.supervisor = Supervisor(self.folder.logs)
        self.stopping = threading.Event()

    @contextmanager
    def running(self, reset: bool = False, with_cron: bool = True):
        """Everything up while inside; everything stopped and the folder released after, however left."""
        started = time.monotonic()
        secrets = resolve_secret_values(self.env)
        self.folder.claim(reset)
        try:
            servers = self._servers()
            check_free({server.port: server.name for server in servers})
            self.supervisor.start(servers, meanwhile=self.stack.prepare)
            self.stack.provision(secrets, self.report)
            outputs = {"app": self.env.app, "env": self.env.name, "provider": self.env.provider,
                       "services": self.stack.service_outputs(
                           {section: served.outputs() for section, served in self.served.items()})}
            connection = {**self.stack.sdk_environment(),
                          **{name: value for served in self.served.values() for name, value in served.variables().items()}}
            self.folder.publish(outputs, connection)
            self._start_deliveries(with_cron)
            environment = command_environment(self.folder.outputs, connection, secrets, self.env.name)
            yield Running(servers, outputs, environment, time.monotonic() - started)
        finally:  # each step, even when a second signal interrupts the one before
            self.stopping.set()
            try:
                self._save()
            finally:
                try:
                    self.supervisor.stop()
                finally:
                    self.folder.release()

    def _servers(self) -> list[Server]:
        return self.stack.servers() + [server for served in self.served.values() for server in served.servers()]

    def _start_deliveries(self, with_cron: bool) -> None:
        for push in self.stack.push_deliveries():  # a push subscription's service has a url (validate)
            Pusher(push.name, push.queue, push.url, push.retry_policy, self.stopping, self.report).start()
        if with_cron and self.env.spec.cron:
            CronScheduler(self.env, self.stopping, self.report).start()

    def _save(self) -> None:
        if self.supervisor.running:
            try:
                self.stack.save(self.report)
            except Exception as err:  # noqa: BLE001 (whatever failed, the servers must still stop)
                self.report(f"could not keep the buckets' objects: {type(err).__name__}: {err}")


def run_command(command: list[str], environment: dict[str, str]) -> int:
    """COMMAND's exit code; the signal that stops `deployer dev` reaches it, and it gets a few seconds to
    end. It gets SIGTERM should deployer be killed outright (SIGKILL)."""
    try:
        child = subprocess.Popen(command, env=environment,
                                 preexec_fn=dying_with_deployer(signal.SIGTERM))  # noqa: PLW1509 (prctl only: no lock taken)
    except OSError as err:
        raise UsageError(f"cannot run {quoted(command[0])}: {err.strerror}") from None
    try:
        return child.wait()
    except Stopped as stop:
        child.send_signal(stop.signum)
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 130


def wait_for_interrupt() -> None:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        return


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_signals():
    """Ctrl-C, SIGTERM and SIGHUP (its terminal closed) end `deployer dev` alike, everything stopped on
    the way out, however it was started: a shell that starts it in the background from a script
    ignores SIGINT for it, and Python then installs no handler of its own."""
    def stop(signum, frame):
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def servers_table(running: Running) -> list[list[str]]:
    return [[server.name, server.url, server.serves] for server in running.servers]
