"""Results as people and programs read them, one module per kind of result: a JSON document, a table with
the line that sums it up, markdown for a pull-request comment. Nothing here prints: deployer/console.py does."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """Rows for standard output, and the line about them for standard error."""

    columns: list[str]
    rows: list[list[str]]
    note: str
