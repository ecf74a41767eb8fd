"""Results as people and programs read them, one module per kind of result: a JSON document, a table with
the line that sums it up, markdown for a pull-request comment. Nothing here prints: deployer/console.py does."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Rows for standard output, and the line about them for standard error. As a TREE, a terminal shows
    the rows under their first cell (the rest of each row indented below it); a pipe gets the rows."""

    columns: list[str]
    rows: list[list[str]]
    note: str
    tree: bool = False


@dataclass(frozen=True)
class Lines:
    """Lines of text for standard output, each with the symbol that colours it on a terminal
    (console.CHANGE_STYLES), and the line about them for standard error."""

    lines: list[tuple[str, str]]  # (symbol, text)
    note: str


def tree(rows: list[list[str]]) -> list[str]:
    """Rows under their first cell (in the order first met), the rest of each row joined on one line:
    `bucket avatars`, `├─ aws:s3:Bucket avatars protected`, …, `└─ …`."""
    groups: dict[str, list[list[str]]] = {}
    for first, *rest in rows:
        groups.setdefault(first, []).append(rest)
    lines = []
    for first, members in groups.items():
        lines.append(first)
        lines += [f"{'└─' if i == len(members) - 1 else '├─'} {'  '.join(filter(None, rest))}"
                  for i, rest in enumerate(members)]
    return lines


def code_span(text: str) -> str:
    """TEXT as a markdown code span, shown as written whatever it holds (backticks, a link, HTML): its
    fence is longer than any run of backticks inside, and a newline cannot end the paragraph."""
    if not text:
        return ""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def code_cell(text: str) -> str:
    """TEXT as a code span in a markdown table cell (where a `|` would end the cell)."""
    return code_span(text.replace("|", "\\|"))


def code_block(lines: list[str], language: str = "") -> list[str]:
    """LINES as a fenced code block whose fence no line of theirs can close."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + language, *lines, fence]
