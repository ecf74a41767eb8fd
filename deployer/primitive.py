"""A primitive: one kind of resource the spec declares and services use, as the core sees it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deployer.errors import Finding
from deployer.speclang.fields import KebabName, Model

if TYPE_CHECKING:
    from deployer.speclang.model import Infra


def _no_rules(spec: Infra) -> Iterable[Finding]:
    return ()


def _any_use(name: str, entry: Any, permissions: list[str] | None) -> str | None:
    return None


@dataclass(frozen=True)
class Primitive:
    section: str  # its top-level key in the spec, e.g. `caches`
    kind: str  # one entry as messages name it, e.g. `cache`
    entry: type[Model]  # an entry's model, before the clouds' blocks (`aws:`, `gcp:`) are added to it
    description: str  # of the section
    uses: Any  # its field in a service's `uses`: list[str] (names), or dict[str, list[PERMISSION]]
    uses_description: str
    names: Any = KebabName  # its entries' names: what Encore's parser accepts for them (fields.py)
    # Its own rules for the spec as an environment deploys it, each finding located at its spec path;
    # READS: the top-level sections they read (not checked where the model refused one).
    rules: Callable[[Infra], Iterable[Finding]] = _no_rules
    reads: frozenset[str] = frozenset()
    # What is wrong with a service using entry NAME (ENTRY) with PERMISSIONS (None where `uses` lists
    # names only).
    use_problem: Callable[[str, Any, list[str] | None], str | None] = _any_use

    @property
    def names_only(self) -> bool:
        """Whether a service's `uses` lists the entries' names only (no permissions)."""
        return self.uses == list[str]
