"""How `deployer plan` shows a plan document (its JSON is the document itself): the resources under
their spec entry (a tree on a terminal, rows in a pipe), a summary line, a pull-request comment."""

from collections import Counter

from deployer.plan.entries import Entries, shown
from deployer.render import Table, code_block, code_cell, tree

COLUMNS = ["entry", "type", "name", "protected"]


def short_type(token: str) -> str:
    """`aws:sqs/queue:Queue` -> `aws:sqs:Queue`: the package, module and class a user recognises."""
    package, _, rest = token.partition(":")
    module, _, kind = rest.partition(":")
    return f"{package}:{module.split('/')[0]}:{kind}" if kind else token


def rows(plan: dict, entries: Entries) -> list[list[str]]:
    """[entry, type, name, protected] per resource, by entry."""
    listed = sorted((entries.of(r), short_type(r["type"]), r["name"], "protected" if r["protect"] else "")
                    for r in plan["resources"])
    return [[shown(entry), *rest] for entry, *rest in listed]


def table(plan: dict, entries: Entries) -> Table:
    return Table(COLUMNS, rows(plan, entries), summary_line(plan), tree=True)


def summary_line(plan: dict) -> str:
    """`shop-prod (aws, production): 76 resources, 23 protected`."""
    resources = plan["resources"]
    protected = sum(1 for r in resources if r["protect"])
    return (f"{plan['stack']} ({plan['provider']}, {plan['envType']}): {len(resources)} resources, "
            f"{protected} protected")


def markdown(plan: dict, entries: Entries) -> str:
    """A pull-request comment: the counts first, the counts per type and the resources under their spec
    entry folded below."""
    counts = Counter(short_type(r["type"]) for r in plan["resources"])
    lines = [f"**deployer plan** {summary_line(plan)}.", "",
             "<details><summary>Resources</summary>", "",
             "| type | count |", "|---|---|",
             *(f"| {code_cell(kind)} | {count} |" for kind, count in sorted(counts.items())),
             "", *code_block(tree(rows(plan, entries))), "", "</details>", ""]
    return "\n".join(lines)
