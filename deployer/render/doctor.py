"""How `deployer doctor` shows what this machine has and lacks."""

from deployer.doctor import Check
from deployer.render import Table

COLUMNS = ["part", "needed by", "status", "to install"]


def document(found: list[Check]) -> dict:
    return {"checks": [check.as_dict() for check in found], "missing": sum(c.found is None for c in found)}


def table(found: list[Check]) -> Table:
    rows = [[c.part, c.needed_by, f"ok: {c.found}" if c.found else "MISSING", "" if c.found else c.fix]
            for c in found]
    missing = sum(c.found is None for c in found)
    note = (f"{missing} missing: each command that needs one says so, with the same fix" if missing
            else "everything every command needs is here")
    return Table(COLUMNS, rows, note)
