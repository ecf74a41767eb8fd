"""What the ecosystem tests share: the examples, the real console script, and a terminal to run it on."""

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CUE_EXAMPLE = ROOT / "examples/shop/infra.cue"
YAML_EXAMPLE = ROOT / "examples/shop-yaml/infra.yaml"
CONSOLE_SCRIPT = Path(sys.executable).with_name("deployer")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell, without what would decide colour or debugging for us."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "DEPLOYER_DEBUG", "DEPLOYER_SPEC")}
    return {**env, **extra}


def run_on_terminal(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[int, str]:
    """Run the console script with stdout and stderr on a pseudo-terminal; its exit code and all it wrote."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(CONSOLE_SCRIPT), *args], stdin=subprocess.DEVNULL, stdout=terminal,
                               stderr=terminal, env={"TERM": "xterm-256color", "COLUMNS": "120", **env}, cwd=cwd)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return process.wait(timeout=60), b"".join(chunks).decode()
