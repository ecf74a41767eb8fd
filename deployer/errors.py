"""Problems found in a spec, and the errors every command turns into an exit code (CLI.md)."""

import re
from dataclasses import dataclass
from pathlib import Path

# Where in the spec: field names and list indexes, e.g. ("topics", "signups", "subscriptions", "crm").
SpecPath = tuple[str | int, ...]
# A spec problem before it is located in a file: its path and the message.
Finding = tuple[SpecPath, str]


def dotted(path: SpecPath) -> str:
    """A spec path as messages write it: `topics.signups.subscriptions.crm`."""
    return ".".join(map(str, path))


EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_DEPLOY_FAILED = 3
EXIT_PRECONDITION = 4


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a spec, located as `FILE:LINE: spec.path: message`."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        """One line each: a newline or carriage return inside a name is shown as its escape."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return text.replace("\r", "\\r").replace("\n", "\\n")

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}


class DeployerError(Exception):
    """An error a command reports to its user and exits with; never shown as a traceback."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def __reduce__(self):  # whole through a pipe (forked.py), whatever a subclass's __init__ takes
        return _rebuilt, (type(self), str(self), self.__dict__)


def _rebuilt(kind: type[DeployerError], message: str, state: dict) -> DeployerError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class SpecInvalid(DeployerError):
    """The spec has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems), EXIT_INVALID)


class UsageError(DeployerError):
    exit_code = EXIT_USAGE


class PreconditionMissing(DeployerError):
    exit_code = EXIT_PRECONDITION


class DeploymentFailed(DeployerError):
    exit_code = EXIT_DEPLOY_FAILED


def display_path(path: Path) -> str:
    """A file as a user would name it: relative to the current folder where it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def display_link(path: Path) -> str:
    """A symbolic link as display_path names a file: its own path, not its target's."""
    return str(Path(display_path(path.parent)) / path.name)


# C0 and C1 control characters and DEL: escaped in messages, refused in a spec's names and settings.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def quoted(value: object) -> str:
    """A name or value as messages show it: `"emial"`; a line break or other control character as its
    escape (`"pr-1\\n"`), so one message stays one line."""
    return '"' + CONTROL.sub(lambda m: ascii(m.group())[1:-1], str(value)) + '"'


def read_source(path: Path) -> str:
    """A user's text file (a spec, a secrets file): UTF-8, else a problem located at its first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DeployerError(f"could not read {display_path(path)} ({err.strerror or err})") from None
    try:
        return data.decode()
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        kind = "UTF-16 text" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else f"not UTF-8 text (byte {data[err.start]:#04x})"
        raise SpecInvalid([Problem(display_path(path), line, "", f"{kind}: save it as UTF-8")]) from None
