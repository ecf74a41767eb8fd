"""Where output goes: results on stdout, human messages and progress on stderr (rich)."""

import json
import os
import sys
from contextlib import contextmanager

from rich.console import Console
from rich.table import Table


class Output:
    """The console pair a command writes to, honouring --quiet, --no-color and NO_COLOR."""

    def __init__(self, quiet: bool = False, color: bool | None = None):
        no_color = color is False or "NO_COLOR" in os.environ
        self.quiet = quiet
        self.out = Console(file=sys.stdout, no_color=no_color, highlight=False, soft_wrap=True)
        self.err = Console(file=sys.stderr, no_color=no_color, highlight=False, soft_wrap=True)

    def json(self, document: object) -> None:
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=False) + "\n")

    def text(self, text: str) -> None:
        self.out.print(text, markup=False)

    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message, markup=False)

    def error(self, message: str) -> None:
        self.err.print(message, markup=False, style="red")

    def table(self, columns: list[str], rows: list[list[str]], title: str | None = None) -> None:
        if not self.out.is_terminal:
            self.out.print("\t".join(columns).upper() if columns else "", markup=False)
            for row in rows:
                self.out.print("\t".join(row), markup=False)
            return
        table = Table(*columns, title=title, title_justify="left")
        for row in rows:
            table.add_row(*row)
        self.out.print(table)

    @contextmanager
    def progress(self, message: str):
        """A spinner on a terminal while slow work (CUE, planning, the engine) runs."""
        if self.quiet or not self.err.is_terminal:
            yield
            return
        with self.err.status(message):
            yield
