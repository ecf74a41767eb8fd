"""Where a value applies: to every environment of a type, or to one environment (SPEC.md, "Secrets")."""

from dataclasses import dataclass
from typing import Literal

from deployer.errors import UsageError, quoted
from deployer.speclang.model import ENV_TYPE_ALIASES, ENV_TYPES

TYPE_CHOICES = "production|prod, development|dev, preview|pr, local"


@dataclass(frozen=True, order=True)
class Scope:
    kind: Literal["type", "env"]
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def type_scopes(option: str) -> list[Scope]:
    """`--type prod,dev` as scopes, aliases made canonical, in the order given, without repeats."""
    scopes: list[Scope] = []
    for part in option.split(","):
        given = part.strip()
        name = ENV_TYPE_ALIASES.get(given, given)
        if name not in ENV_TYPES:
            raise UsageError(f"unknown environment type {quoted(given)} (use {TYPE_CHOICES}, "
                             "several separated by commas)")
        if Scope("type", name) not in scopes:
            scopes.append(Scope("type", name))
    return scopes
