"""A primitive: one kind of resource the spec declares and services use, as the core sees it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from deployer.errors import Finding
from deployer.speclang.fields import KebabName, Model

if TYPE_CHECKING:
    from deployer.encore_values import EncoreSection
    from deployer.local.stack import Server
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv


class LocalServers(Protocol):
    """What `deployer dev` runs for a primitive's entries on any cloud (a Redis per cache, one PostgreSQL
    for the databases)."""

    def servers(self) -> list[Server]: ...

    def outputs(self) -> dict[str, dict]:
        """Each entry's outputs, once the servers accept connections."""

    def variables(self) -> dict[str, str]:
        """What their clients read from the environment (each password, under the name Encore's config reads
        it from), never written in the outputs."""


Refused = Collection[tuple[str, str]]


def _no_rules(spec: Infra, refused: Refused) -> Iterable[Finding]:
    return ()


def _no_parts(spec: Infra) -> Iterable[tuple[str, str]]:
    return ()


def _any_use(name: str, entry: Any, permissions: list[str] | None) -> str | None:
    return None


@dataclass(frozen=True)
class Primitive:
    """One kind of resource: its section of the spec and the model of an entry, how a service uses it, its
    rules, its local servers and its part of Encore's config. Each cloud's resources for it are the
    cloud's (`Cloud.primitives`)."""

    section: str  # its top-level key in the spec, e.g. `caches`
    kind: str  # one entry as messages name it, e.g. `cache`
    entry: type[Model]  # an entry's model, before the clouds' blocks (`aws:`, `gcp:`) are added to it
    description: str  # of the section
    uses: Any  # its field in a service's `uses`: list[str] (names), or dict[str, list[PERMISSION]]
    uses_description: str
    names: Any = KebabName  # its entries' names: what Encore's parser accepts for them (fields.py)
    # Its own rules for the spec as an environment deploys it, each finding located at its spec path.
    # REFUSED: the entries (section, name) holding a value the model refused, which the spec lacks or
    # has with a default there: what a reference to one would check is not checked.
    rules: Callable[[Infra, Refused], Iterable[Finding]] = _no_rules
    # What is wrong with a service using entry NAME (ENTRY) with PERMISSIONS (None where `uses` lists
    # names only).
    use_problem: Callable[[str, Any, list[str] | None], str | None] = _any_use
    # Its local servers for `deployer dev` (ENV, their first port, the data folder), from the base port
    # plus LOCAL_PORT on; None where each cloud's local stack serves it.
    local: Callable[[ResolvedEnv, int, Path], LocalServers] | None = None
    local_port: int = 0
    local_each: bool = True  # a local server for each entry (else one for them all)
    # The program its local servers run, for `deployer doctor`: (what it is, where it was found or None,
    # how to install it).
    local_program: Callable[[], tuple[str, str | None, str]] | None = None
    # The parts of its entries with resources of their own, as (kind, dotted name): a topic's subscriptions.
    parts: Callable[[Infra], Iterable[tuple[str, str]]] = _no_parts
    encore: EncoreSection | None = None  # its part of Encore's infra config, where Encore has it
