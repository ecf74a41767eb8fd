"""Databases: managed PostgreSQL, one server per entry, reachable only inside the app's network."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from deployer import clouds
from deployer.encore_values import EncoreSection, env_var, tls_config
from deployer.errors import Finding, quoted
from deployer.primitive import Primitive, Refused
from deployer.speclang.fields import Model

if TYPE_CHECKING:
    from deployer.primitive import LocalServers
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv

# PostgreSQL keeps 63 bytes of an identifier (NAMEDATALEN - 1)
# (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS); the names
# every cluster already has cannot be an application's database
# (https://www.postgresql.org/docs/current/manage-ag-templatedbs.html).
MAX_IDENTIFIER = 63
RESERVED = ("postgres", "template0", "template1")
# The key words PostgreSQL reserves: not a name a database or its owner can have unquoted, and RDS and
# Cloud SQL refuse them (https://www.postgresql.org/docs/current/sql-keywords-appendix.html).
KEY_WORDS = frozenset(["all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with"])
KEY_WORDS_DOC = "https://www.postgresql.org/docs/current/sql-keywords-appendix.html"
NEWEST_VERSION = "17"


class Database(Model):
    """A PostgreSQL database on a server of its own (RDS on AWS, Cloud SQL on GCP)."""

    version: str = Field(NEWEST_VERSION, pattern=r"^[0-9]{1,2}$",
                         description="PostgreSQL major version (default: the newest both clouds offer)")


def database_name(name: str) -> str:
    """The database's name inside PostgreSQL, and its owner's: the entry's, `-` as `_` (an unquoted
    identifier holds no `-`)."""
    return name.replace("-", "_")


def _rules(spec: Infra, refused: Refused) -> Iterable[Finding]:
    for name in spec.databases:
        if len(database_name(name)) > MAX_IDENTIFIER:
            yield ("databases", name), (f"is {len(name)} characters: PostgreSQL keeps {MAX_IDENTIFIER} of a name "
                                        "(https://www.postgresql.org/docs/current/sql-syntax-lexical.html)")
        if database_name(name) in KEY_WORDS:
            yield ("databases", name), (f"{quoted(name)} is a key word PostgreSQL reserves: choose another name "
                                        f"({KEY_WORDS_DOC})")
        if database_name(name) in RESERVED:
            yield ("databases", name), (f"{quoted(name)} is a database every PostgreSQL server has: choose another "
                                        "name (https://www.postgresql.org/docs/current/manage-ag-templatedbs.html)")


def _encore_sql_servers(env: ResolvedEnv, services: dict, gaps: list[str]) -> list[dict]:
    """Encore's `sql_servers`, one per host: each database has its own on a cloud (one each, too, where the
    plan cannot know the host yet), a local environment one for all; each password from
    `DATABASE_<NAME>_PASSWORD` (a cloud's is in the secret `passwordSecret` names, a local one in `deployer dev`'s
    variables)."""
    unverifiable = clouds.cloud(env.provider).encore_tls_hostname_unverifiable
    servers: dict[str, dict] = {}
    for service in services.values():
        for name, database in service.get("databases", {}).items():
            host = f"{database['host']}:{database['port']}"
            server = servers.setdefault(name if database["host"] == clouds.UNKNOWN else host, {
                "host": host, "tls_config": tls_config(database, unverifiable), "databases": {}})
            if name in server["databases"]:  # used by another service too
                continue
            server["databases"][name] = {"name": database["database"], "username": database["user"],
                                         "password": {"$env": env_var("database", name, "password")}}
            if database.get("caCertUrl") and not database.get("caCert"):
                gaps.append(f"databases.{name}: its TLS certificate is verified against the container's trusted "
                            f"roots: add its CA bundle ({database['caCertUrl']}) to the image's trust store")
    return list(servers.values())


def _encore_variables(name: str, outputs: dict) -> dict[str, str]:
    return {env_var("database", name, "password"): outputs["passwordSecret"]} if "passwordSecret" in outputs else {}


def _local_program() -> tuple[str, str | None, str]:
    from deployer.local.postgres import program

    return program()


def _local(env: ResolvedEnv, port: int, data: Path) -> LocalServers:
    from deployer.local.postgres import LocalDatabases

    return LocalDatabases({entry: database_name(entry) for entry in env.spec.databases}, port, data)


DATABASES = Primitive("databases", "database", Database, "PostgreSQL databases by name", list[str],
                      "databases the service connects to", rules=_rules,
                      local=_local, local_port=9, local_each=False, local_program=_local_program,
                      encore=EncoreSection("sql_servers", _encore_sql_servers, _encore_variables))
