"""`.deployer/local/ENV/` beside the spec: the data that survives a restart, the servers' logs, and,
while `deployer dev` runs, its outputs and its process id."""

import json
import os
import shutil

from deployer.errors import PreconditionMissing
from deployer.secrets.atomic import atomic_write
from deployer.speclang.resolved import ResolvedEnv


class LocalFolder:
    def __init__(self, env: ResolvedEnv):
        self.env = env
        self.path = env.spec_file.parent / ".deployer" / "local" / env.name
        self.outputs = self.path / "outputs.json"  # DEPLOYER_OUTPUTS
        self.pid_file = self.path / "dev.pid"
        self.logs = self.path / "logs"

    def running_pid(self) -> int | None:
        """The process id of the `deployer dev` running this environment, if one is."""
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def claim(self, reset: bool) -> None:
        """Make it this process's (wiped first with RESET); refused while another `deployer dev` has it."""
        if pid := self.running_pid():
            raise PreconditionMissing(f"`deployer dev` already runs {self.env.name} (pid {pid}): stop it first")
        if reset:
            shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(str(os.getpid()))

    def publish(self, outputs: dict) -> None:
        """0600: a local database's password is among them."""
        atomic_write(self.outputs, (json.dumps(outputs, indent=2) + "\n").encode(), mode=0o600)

    def release(self) -> None:
        self.outputs.unlink(missing_ok=True)
        self.pid_file.unlink(missing_ok=True)

    def running_outputs(self) -> dict:
        """The outputs of the running `deployer dev`."""
        if self.running_pid() is None or not self.outputs.is_file():
            raise PreconditionMissing(f"{self.env.name} is a local environment and `deployer dev --env "
                                      f"{self.env.name}` is not running: start it, and ask again")
        return json.loads(self.outputs.read_text())
