"""Where output goes: results on stdout, human messages and progress on stderr (rich).

On a terminal: tables, colours and a spinner. Elsewhere (a pipe, a file, CI): plain text, tab-separated
tables and no escape codes. `--no-color` or NO_COLOR (https://no-color.org): no escape codes at all.
"""

import json
import os
import re
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from typing import IO, TYPE_CHECKING

from deployer.render import Lines, Table, tree

if TYPE_CHECKING:
    import rich.console
    import rich.text

# Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides, shown as escapes
# wherever text reaches a reader: a name in a spec cannot move the cursor, retitle the window, clear the
# screen or reorder what is read. In a table cell, newlines and tabs too (they would split the row).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_IN_CELL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, pattern: re.Pattern = _UNPRINTABLE) -> str:
    """TEXT with each control character written as its escape (`\\x1b`, `\\u202e`)."""
    return pattern.sub(lambda m: ascii(m.group())[1:-1], text)


# A change in a table cell (Pulumi's operation, or the diff's symbol), coloured the way Pulumi colours it.
CHANGE_STYLES = {
    "create": "green", "+": "green",
    "update": "yellow", "~": "yellow",
    "delete": "red", "-": "red",
    "replace": "magenta", "create-replacement": "magenta", "delete-replaced": "magenta", "-/+": "magenta",
    "risk": "bold red", "heading": "bold",
}


LONG_WORK = 5.0  # seconds of work after which `progress` says how long it took


class Console:
    """The console pair a command writes to, honouring --quiet, --no-color and NO_COLOR."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.color = not os.environ.get("NO_COLOR")
        self.stdout, self.stderr = sys.stdout, sys.stderr

    @cached_property
    def out(self) -> "rich.console.Console":
        return self._console(self.stdout)

    @cached_property
    def err(self) -> "rich.console.Console":
        return self._console(self.stderr)

    def _console(self, file: IO[str]) -> "rich.console.Console":
        import rich.console  # only for a terminal: a pipe gets plain text (_plain), sooner

        # Without colour, no styles either: rich's own no_color keeps bold and underline. No emoji codes:
        # `infra.yaml:100:` is a file and a line, not :100:.
        return rich.console.Console(file=file, color_system="auto" if self.color else None, highlight=False,
                                    soft_wrap=True, emoji=False)

    def _print(self, file: IO[str], text: str, style: str | None = None) -> None:
        if _plain(file):
            file.write(text.expandtabs() + "\n")  # as rich writes it there
        else:
            (self.out if file is self.stdout else self.err).print(text, markup=False, style=style)

    def json(self, document: object) -> None:
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=False) + "\n")

    def write(self, document: str) -> None:
        """A result document (a schema, a file's text) on stdout, exactly as given."""
        sys.stdout.write(document)

    def text(self, text: str) -> None:
        self._print(self.stdout, printable(text))

    def info(self, message: str) -> None:
        if not self.quiet:
            self._print(self.stderr, printable(message))

    def error(self, message: str) -> None:
        self._print(self.stderr, printable(message), style="red")

    def show(self, fmt: str, *result: object, **renderers: Callable[..., object]) -> None:
        """A command's result in the format asked for, as `renderers[fmt](*result)` renders it: `json` a
        document and `markdown` a text for stdout, `table` a Table, or only its note where it has no rows."""
        shown = renderers[fmt](*result)
        if fmt == "json":
            self.json(shown)
        elif fmt == "markdown":
            self.text(shown)
        elif isinstance(shown, Table):
            self.table(shown.columns, shown.rows, shown.tree)
            self.info(shown.note)
        elif isinstance(shown, Lines):
            for symbol, text in shown.lines:
                self._print(self.stdout, printable(text), style=CHANGE_STYLES.get(symbol))
            self.info(shown.note)
        else:
            self.info(shown)

    def table(self, columns: list[str], rows: list[list[str]], tree: bool = False) -> None:
        rows = [[printable(cell, _UNPRINTABLE_IN_CELL) for cell in row] for row in rows]
        if _plain(self.stdout):  # tab-separated, for cut, awk and spreadsheets (rich would expand tabs)
            for line in ([c.upper() for c in columns], *rows):
                self.stdout.write("\t".join(line) + "\n")
            return
        if tree:
            self._tree(rows)
            return
        import rich.table

        # A value too long for its column folds onto the next line, never cut short (rich's default
        # ellipsis would show `"cache.r7g.lar…`).
        table = rich.table.Table(*(rich.table.Column(c, overflow="fold") for c in columns), header_style="bold")
        for row in rows:
            table.add_row(*(_styled(cell) for cell in row))
        self.out.print(table)

    def _tree(self, rows: list[list[str]]) -> None:
        """Rows under their first cell, each on one line (values whole: the terminal wraps a long one)."""
        for line in tree(rows):
            self.out.print(line, markup=False, style=None if line.startswith(("├", "└")) else "bold")

    @contextmanager
    def progress(self, message: str):
        """A spinner and the time elapsed on a terminal while slow work (CUE, planning, the engine) runs;
        it yields a callable the work may give a new message (with its counts: `deploying shop-prod: 12
        done, 3 in progress`). Long work ends with a line saying how long it took.

        Without colours, one plain line instead: a spinner redraws itself with escape codes.
        """
        if self.quiet or _plain(self.stderr):
            yield lambda _message: None
            return
        started = time.monotonic()
        if not self.color:
            self.err.print(f"{printable(message)} …", markup=False)
            yield lambda _message: None
        else:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                          console=self.err, transient=True) as shown:
                task = shown.add_task(printable(message))
                yield lambda message: shown.update(task, description=printable(message))
        if (elapsed := time.monotonic() - started) >= LONG_WORK:
            self.info(f"{message}: {elapsed:.1f}s")


def _plain(file: IO[str]) -> bool:
    """Whether rich would write FILE plain text: no terminal, and none forced (FORCE_COLOR,
    TTY_COMPATIBLE; https://force-color.org)."""
    if os.environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return os.environ["TTY_COMPATIBLE"] == "0"
    if os.environ.get("FORCE_COLOR") is not None:
        return os.environ["FORCE_COLOR"] == ""
    try:
        return not file.isatty()
    except ValueError:  # closed
        return True


def _styled(cell: str) -> "rich.text.Text":
    from rich.text import Text

    return Text(cell, style=CHANGE_STYLES.get(cell, ""))
