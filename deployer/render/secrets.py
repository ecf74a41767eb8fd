"""How `deployer secret list` shows which secrets have values where (never the values)."""

from deployer.render import Table
from deployer.secrets.commands import SecretList


def document(listing: SecretList) -> dict:
    return {"store": listing.store, "env": listing.env, "secrets": listing.secrets}


def table(listing: SecretList) -> Table:
    env = listing.env
    columns = ["name", "types", "envs", "used by"] + ([f"{env} from"] if env else [])
    rows = [[_name_cell(r), ", ".join(r["types"]) or "-", ", ".join(r["envs"]) or "-",
             ", ".join(r["usedBy"]) or "-"] + ([_source_cell(r)] if env else []) for r in listing.secrets]
    return Table(columns, rows, f"values are kept in {listing.store}; they are never shown")


def _name_cell(row: dict) -> str:
    return row["name"] if row["declared"] else f"{row['name']} (not declared)"


def _source_cell(row: dict) -> str:
    if row["resolvedFrom"]:
        return row["resolvedFrom"]
    return "MISSING" if row["usedBy"] else "-"
