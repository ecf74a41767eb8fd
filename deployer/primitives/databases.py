"""Databases: managed PostgreSQL, one server per entry, reachable only inside the app's network."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import Field

from deployer.errors import Finding, quoted
from deployer.primitive import Primitive
from deployer.speclang.fields import Model

if TYPE_CHECKING:
    from deployer.speclang.model import Infra

# PostgreSQL keeps 63 bytes of an identifier (NAMEDATALEN - 1)
# (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS); the names
# every cluster already has cannot be an application's database
# (https://www.postgresql.org/docs/current/manage-ag-templatedbs.html).
MAX_IDENTIFIER = 63
RESERVED = ("postgres", "template0", "template1")
NEWEST_VERSION = "17"


class Database(Model):
    """A PostgreSQL database on a server of its own (RDS on AWS, Cloud SQL on GCP)."""

    version: str = Field(NEWEST_VERSION, pattern=r"^[0-9]{1,2}$",
                         description="PostgreSQL major version (default: the newest both clouds offer)")


def database_name(name: str) -> str:
    """The database's name inside PostgreSQL, and its owner's: the entry's, `-` as `_` (an unquoted
    identifier holds no `-`)."""
    return name.replace("-", "_")


def _rules(spec: Infra) -> Iterable[Finding]:
    for name in spec.databases:
        if len(database_name(name)) > MAX_IDENTIFIER:
            yield ("databases", name), (f"is {len(name)} characters: PostgreSQL keeps {MAX_IDENTIFIER} of a name "
                                        "(https://www.postgresql.org/docs/current/sql-syntax-lexical.html)")
        if database_name(name) in RESERVED:
            yield ("databases", name), (f"{quoted(name)} is a database every PostgreSQL server has: choose another "
                                        "name (https://www.postgresql.org/docs/current/manage-ag-templatedbs.html)")


DATABASES = Primitive("databases", "database", Database, "PostgreSQL databases by name", list[str],
                      "databases the service connects to", rules=_rules, reads=frozenset({"databases"}))
