"""The building blocks of the spec's models: the base class, names, durations and value checks, shared
by the core model (model.py), each primitive (deployer/primitives) and each cloud's blocks."""

import ipaddress
import re
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel

from deployer.errors import quoted
from deployer.speclang.durations import format_duration, parse_duration

KEBAB = r"^[a-z][a-z0-9-]*[a-z0-9]$"
# Topics, subscriptions, caches and cron jobs may also have dots, as Encore.ts names them (topic
# `site.added`): its parser takes any string there (tsparser/src/parser/resources/infra/, no name check but
# a bucket's), deployer takes kebab-case and dots; physical names have a `-` for each dot (naming.py).
ENCORE_NAME = r"^[a-z][a-z0-9.-]*[a-z0-9]$"
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
DURATION_PATTERN = r"^(\d+(ms|s|m|h|d))+$"  # for editors: \d is ASCII in ECMAScript
# The clouds' APIs take 32-bit integers (S3 lifecycle days, CORS MaxAgeSeconds, SQS receive counts).
INT32_MAX = 2**31 - 1
# A URL's host (a name or an IP address, an optional port), then a path, a query or nothing.
URL_HOST = r"([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?([/?#][^\s]*)?$"

Duration = Annotated[
    timedelta,
    BeforeValidator(lambda v: v if isinstance(v, timedelta) else parse_duration(v)),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["30s", "10m", "7d"],
                    "description": "a duration: a number and a unit (ms, s, m, h, d), e.g. 30s, 10m, 1h30m, 7d"}),
]
KebabName = Annotated[str, Field(pattern=KEBAB)]
EncoreName = Annotated[str, Field(pattern=ENCORE_NAME)]
SecretName = Annotated[str, Field(pattern=IDENTIFIER)]


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


def matching(pattern: str, what: str) -> classmethod:
    """A field validator: the value, or each value of a list, matches PATTERN (else "… is not WHAT")."""
    compiled = re.compile(pattern, re.ASCII)

    def check(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else [value]:
            if item is not None and not compiled.fullmatch(item):
                raise ValueError(f"{quoted(item)} is not {what}")
        return value

    return classmethod(check)


def private_host(url: str) -> str | None:
    """URL's host where it is no public address (a private, loopback or link-local IP, or localhost),
    which no cloud's push or scheduler reaches from the internet; else None."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return host
    try:
        return None if ipaddress.ip_address(host).is_global else host
    except ValueError:
        return None  # a name: where it resolves is not known before the deploy
