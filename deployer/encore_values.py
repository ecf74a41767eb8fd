"""What Encore's infra config is made of, for each primitive's part of it (`Primitive.encore`) and for
its assembly (deployer/encore.py): the variables it reads values from, TLS, and what it cannot express."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deployer.speclang.resolved import ResolvedEnv


def env_var(*parts: str) -> str:
    """`("cache", "rate-limit", "auth")` -> `CACHE_RATE_LIMIT_AUTH`."""
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).upper()


class NotInEncore(Exception):
    """Raised by a cloud's `encore_*` method for what Encore's config cannot express, with the reason."""


def tls_config(outputs: dict, unverifiable: bool) -> dict:
    """TLS as Encore's `TLSConfig` (of a cache or a database): the CA its certificate comes from (`ca`, PEM)
    where the outputs give one (a cloud whose servers have their own CA), else the system's trusted roots;
    the host verified unless the cloud's certificates do not name it."""
    if not outputs.get("tls"):
        return {"disabled": True}
    config = {"disable_tls_hostname_verification": True} if unverifiable else {}
    if outputs.get("caCert"):
        config["ca"] = outputs["caCert"]
    return config


def _no_variables(name: str, outputs: dict) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class EncoreSection:
    """A primitive's part of Encore's infra config: its field (KEY), made by BUILD from ENV and its
    services' outputs (an empty value leaves the field out; GAPS receives what Encore cannot express), and
    the VARIABLES one entry's config reads (`{"$env": NAME}`): NAME -> the cloud secret holding its value."""

    key: str
    build: Callable[[ResolvedEnv, dict, list[str]], Any]
    variables: Callable[[str, dict], dict[str, str]] = _no_variables
