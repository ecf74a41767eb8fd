"""Durations as the spec writes them: `10s`, `7d`, `1h30m`, `500ms`."""

import re
from datetime import timedelta

_PART = re.compile(r"([0-9]+)(ms|s|m|h|d)")  # ASCII digits only
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """Parse `2h`, `1h30m`, `10s`; raise ValueError naming the accepted form."""
    if not isinstance(text, str) or not text or _PART.sub("", text):
        raise ValueError(f"{text!r} is not a duration (use e.g. 10s, 5m, 2h, 7d or 1h30m)")
    try:
        return timedelta(seconds=sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(text)))
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None


def format_duration(value: timedelta) -> str:
    """The shortest spec form of a duration: 7200s -> `2h`, 5400s -> `1h30m`."""
    millis = round(value.total_seconds() * 1000)
    if millis == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        count, millis = divmod(millis, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def seconds(value: timedelta) -> int:
    return int(value.total_seconds())
