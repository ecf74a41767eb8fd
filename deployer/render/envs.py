"""How `deployer envs` shows the environments."""

from collections.abc import Iterable

from deployer.render import Table
from deployer.speclang.environments import EnvInfo

COLUMNS = ["name", "type", "provider", "stack"]


def document(app: str, environments: Iterable[EnvInfo]) -> list[dict]:
    return [{"name": e.name, "type": e.type, "provider": e.provider, "stack": f"{app}-{e.name}",
             "deployable": e.deployable} for e in environments]


def table(app: str, environments: Iterable[EnvInfo]) -> Table:
    return Table(COLUMNS, [[e[c] for c in COLUMNS] for e in document(app, environments)],
                 "pr-<number> environments are previews of pull requests")
