"""Key patterns of cache keyspaces: `requests/:key`, `requests/:UserID/:ResourcePath`."""

import re
from itertools import combinations
from typing import Annotated, Literal

from pydantic import Field

from deployer.errors import quoted
from deployer.speclang.fields import Duration, Model

BasicKeyType = Literal["string", "int", "uint", "bool"]
ValueType = Literal["string", "int", "float", "bool", "struct", "set", "list"]


class DailyAt(Model):
    """An expiry at a time of day."""

    daily_at: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="expire at this time, HH:MM UTC")]


Expiry = Literal["never", "keep-ttl"] | DailyAt | Duration


class Keyspace(Model):
    """A typed family of keys in a cache, shared with the services through the outputs."""

    key: BasicKeyType | dict[str, BasicKeyType] = Field(
        description="a basic key type, or a struct key: field name -> basic type")
    value: ValueType = Field(description="type of the values")
    key_pattern: str = Field(description="how keys are written: `:key` (once or more) for a basic key, each "
                             "`:Field` once for a struct key, e.g. `requests/:UserID/:Route`")
    default_expiry: Expiry = Field("never", description="a duration, `never`, `keep-ttl` or `{dailyAt: \"HH:MM\"}`")

_PARAM = re.compile(r":([A-Za-z_]\w*)")
_KEY_VALUES = {"int": r"-?\d+", "uint": r"\d+", "bool": r"true|false", "string": r".+"}


def pattern_problems(keyspace: Keyspace) -> list[str]:
    """What is wrong with one keyspace's pattern against its key type."""
    pattern = keyspace.key_pattern
    if not pattern:
        return ["keyPattern is empty"]
    problems = []
    for segment in pattern.split("/"):
        if _PARAM.search(segment) and not _PARAM.fullmatch(segment):
            problems.append(f"{quoted(segment)}: a parameter must be a whole segment between slashes")
    params = _PARAM.findall(pattern)
    if isinstance(keyspace.key, str):
        if "key" not in params:  # Encore takes it more than once (`list/:key/foo/:key`), as here
            problems.append("a basic key's pattern uses :key (else every key is one Redis key)")
        others = sorted(set(params) - {"key"})
        if others:
            problems.append(f"a basic key's pattern takes only :key, not {', '.join(':' + p for p in others)}")
        return problems
    fields = keyspace.key
    if not fields:
        problems.append("a struct key needs at least one field")
    for field in fields:
        if params.count(field) != 1:
            problems.append(f"struct field {field} must appear exactly once in the pattern "
                            f"(found {params.count(field)})")
    unknown = sorted(set(params) - set(fields))
    if unknown:
        problems.append(f"pattern uses {', '.join(':' + p for p in unknown)}, which the key "
                        f"struct does not have (fields: {', '.join(fields)})")
    return problems


def overlapping(keyspaces: dict[str, Keyspace]) -> list[tuple[str, str]]:
    """Pairs of keyspaces whose patterns can produce the same key."""
    return [(a, b) for (a, ka), (b, kb) in combinations(keyspaces.items(), 2) if _can_collide(ka, kb)]


def _segments(keyspace: Keyspace) -> list[tuple[str, str | None]]:
    """(text, value type of a parameter or None for a literal) per segment."""
    result = []
    for segment in keyspace.key_pattern.split("/"):
        match = _PARAM.fullmatch(segment)
        if not match:
            result.append((segment, None))
        elif isinstance(keyspace.key, str):
            result.append((segment, keyspace.key))
        else:
            result.append((segment, keyspace.key.get(match.group(1), "string")))
    return result


def _can_collide(a: Keyspace, b: Keyspace) -> bool:
    left, right = _segments(a), _segments(b)
    if len(left) != len(right):
        return False
    for (text_a, type_a), (text_b, type_b) in zip(left, right):
        if type_a is None and type_b is None and text_a != text_b:
            return False
        if type_a is None and type_b and not re.fullmatch(_KEY_VALUES[type_b], text_a):
            return False
        if type_b is None and type_a and not re.fullmatch(_KEY_VALUES[type_a], text_b):
            return False
        if type_a and type_b and {type_a, type_b} in ({"bool", "int"}, {"bool", "uint"}):
            return False
    return True
