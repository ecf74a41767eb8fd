"""How `preview` and `refresh` show the engine's steps (and `up` and `destroy` before they ask)."""

from deployer.engine.progress import Step
from deployer.render import Table, code_cell

COLUMNS = ["op", "resource", "type", "changed inputs"]


def rows(steps: list[Step]) -> list[list[str]]:
    return [[s.op, s.name, s.type, ", ".join(s.fields)] for s in steps]


def summary(steps: list[Step]) -> str:
    counts: dict[str, int] = {}
    for step in steps:
        counts[step.op] = counts.get(step.op, 0) + 1
    return ", ".join(f"{n} to {op}" for op, n in sorted(counts.items())) or "no changes"


def preview_document(env: str, steps: list[Step]) -> dict:
    return {"env": env, "steps": [_document(s) for s in steps]}


def preview_table(env: str, steps: list[Step]) -> Table:
    return Table(COLUMNS, rows(steps), f"{env}: {summary(steps)}")


def preview_markdown(env: str, steps: list[Step]) -> str:
    """A pull-request comment: the counts first, the steps folded."""
    lines = [f"**{env}** (Pulumi preview): {summary(steps)}."]
    if steps:
        lines += ["", "<details><summary>Details</summary>", "", "| op | resource | type | changed inputs |",
                  "|---|---|---|---|"]
        lines += ["| " + " | ".join(map(code_cell, row)) + " |" for row in rows(steps)]
        lines += ["", "</details>"]
    return "\n".join(lines)


def drift_document(env: str, steps: list[Step]) -> dict:
    return {"env": env, "drifted": [_document(s) for s in steps]}


def drift_table(env: str, steps: list[Step]) -> Table:
    return Table(["op", "resource", "type", "drifted inputs"], rows(steps), f"{env}: {len(steps)} resources drifted")


def _document(step: Step) -> dict:
    return {"op": step.op, "urn": step.urn, "type": step.type, "name": step.name, "fields": step.fields}
