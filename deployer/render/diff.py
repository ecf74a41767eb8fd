"""How `deployer diff` shows a PlanDiff: its JSON document, rows above a summary line, a pull-request comment."""

import json
from collections.abc import Callable
from typing import Any

from deployer.plan.diff import PlanDiff
from deployer.render import Table, code_cell

SYMBOLS = {"added": "+", "changed": "~", "replaced": "+-", "removed": "-"}
VERBS = {"added": "to add", "changed": "to change", "replaced": "to replace", "removed": "to remove"}
CELL_WIDTH = 100


def document(diff: PlanDiff) -> dict:
    return {"env": diff.env, "base": diff.base, "added": diff.added, "removed": diff.removed,
            "changed": diff.changed, "replaced": diff.replaced}


def table(diff: PlanDiff) -> Table | str:
    """The changes above their summary line; the line alone where nothing changes."""
    if diff.empty:
        return summary_line(diff)
    return Table(["", "resource", "field", "old", "new"], rows(diff), summary_line(diff))


def summary_line(diff: PlanDiff, shown: Callable[[str], str] = str) -> str:
    """`dev against main: 1 to add`, the environment and the base shown with SHOWN."""
    counts = ", ".join(f"{n} {VERBS[kind]}" for kind, n in diff.counts().items() if n)
    return f"{shown(diff.env)} against {shown(diff.base)}: {counts or 'no changes'}"


def rows(diff: PlanDiff) -> list[list[str]]:
    """One row per resource, then one per changed field: [op, resource, field, old, new]."""
    shown = []
    for kind in ("added", "replaced", "changed", "removed"):
        for entry in getattr(diff, kind):
            shown.append([SYMBOLS[kind], f"{entry['name']} ({entry['type']})", "", "", ""])
            for path, (old, new) in entry.get("fields", {}).items():
                shown.append(["", "", path, *_shown_change(old, new)])
    return shown


def markdown(diff: PlanDiff) -> str:
    """A pull-request comment: the counts first, the details folded."""
    lines = [f"**deployer diff** {summary_line(diff, shown=code_cell)}."]
    if diff.empty:
        return lines[0]
    lines += ["", "<details><summary>Details</summary>", "",
              "| | resource | field | old | new |", "|---|---|---|---|---|"]
    for row in rows(diff):
        lines.append("| " + " | ".join(code_cell(c) if i else c for i, c in enumerate(row)) + " |")
    lines += ["", "</details>"]
    return "\n".join(lines)


def _shown_change(old: Any, new: Any) -> tuple[str, str]:
    """Old and new as a reader compares them: of two lists, only the elements that differ."""
    if isinstance(old, list) and isinstance(new, list):
        old, new = [x for x in old if x not in new], [x for x in new if x not in old]
        return _show(old, "-"), _show(new, "+")
    return _show(old), _show(new)


def _show(value: Any, sign: str = "") -> str:
    if value is None:
        return "-"
    text = sign + json.dumps(value, sort_keys=True)
    return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"
