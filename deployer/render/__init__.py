"""Results as people and programs read them, one module per kind of result: a JSON document, a table with
the line that sums it up, markdown for a pull-request comment. Nothing here prints: deployer/console.py does."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Rows for standard output, and the line about them for standard error."""

    columns: list[str]
    rows: list[list[str]]
    note: str


def code_cell(text: str) -> str:
    """TEXT as a code span in a markdown table cell, shown as written whatever it holds (backticks, `|`, a
    link, HTML): its fence is longer than any run of backticks inside, and a newline cannot end the row."""
    if not text:
        return ""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("|", "\\|")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{padding}{text}{padding}{fence}"
