"""How `deployer plan` shows a plan document (its JSON is the document itself): table rows, a summary line,
a pull-request comment."""

from collections import Counter

from deployer.render import Table, code_cell

COLUMNS = ["type", "name", "protected"]


def short_type(token: str) -> str:
    """`aws:sqs/queue:Queue` -> `aws:sqs:Queue`: the package, module and class a user recognises."""
    package, _, rest = token.partition(":")
    module, _, kind = rest.partition(":")
    return f"{package}:{module.split('/')[0]}:{kind}" if kind else token


def rows(plan: dict) -> list[list[str]]:
    return [[short_type(r["type"]), r["name"], "yes" if r["protect"] else ""] for r in plan["resources"]]


def table(plan: dict) -> Table:
    return Table(COLUMNS, rows(plan), summary_line(plan))


def summary_line(plan: dict) -> str:
    """`shop-prod (aws, production): 76 resources, 23 protected`."""
    resources = plan["resources"]
    protected = sum(1 for r in resources if r["protect"])
    return (f"{plan['stack']} ({plan['provider']}, {plan['envType']}): {len(resources)} resources, "
            f"{protected} protected")


def markdown(plan: dict) -> str:
    """A pull-request comment: the counts first, every resource type and resource folded below."""
    counts = Counter(short_type(r["type"]) for r in plan["resources"])
    lines = [f"**deployer plan** {summary_line(plan)}.", "",
             "<details><summary>Resources</summary>", "",
             "| type | count |", "|---|---|",
             *(f"| {code_cell(kind)} | {count} |" for kind, count in sorted(counts.items())),
             "", "| type | name | protected |", "|---|---|---|",
             *(f"| {code_cell(kind)} | {code_cell(name)} | {protected} |" for kind, name, protected in rows(plan)),
             "", "</details>", ""]
    return "\n".join(lines)
