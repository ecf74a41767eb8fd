"""`every` -> cron (deployer.speclang.cronexpr, used by both clouds): fires exactly at the multiples of the
interval counted from midnight UTC, for every interval the spec allows."""

from datetime import timedelta

import pytest

from deployer.speclang import cronexpr
from deployer.speclang.cronexpr import every_expressions


def expand(field: str, low: int, high: int) -> set[int]:
    """The values a cron field matches (standard cron: lists, ranges, steps, `*`)."""
    values = set()
    for item in field.split(","):
        span, _, step = item.partition("/")
        if span == "*":
            start, end = low, high
        elif "-" in span:
            start, end = map(int, span.split("-"))
        else:
            start = end = int(span)
        values.update(range(start, end + 1, int(step or 1)))
    return values


def minutes_of_day(expressions: list[str]) -> set[int]:
    fired = set()
    for expression in expressions:
        minute, hour, day, month, weekday = expression.split()
        assert (day, month, weekday) == ("*", "*", "*")
        fired |= {h * 60 + m for h in expand(hour, 0, 23) for m in expand(minute, 0, 59)}
    return fired


@pytest.mark.parametrize("every", cronexpr.allowed_intervals(), ids=lambda d: f"{d.total_seconds() // 60:.0f}m")
def test_every_fires_at_each_multiple_from_midnight(every):
    expressions = every_expressions(every)
    step = int(every.total_seconds()) // 60
    assert minutes_of_day(expressions) == set(range(0, 24 * 60, step))
    assert all(cronexpr.schedule_problem(e) is None for e in expressions)


@pytest.mark.parametrize("every, expected", [
    (timedelta(hours=2), ["0 */2 * * *"]),
    (timedelta(minutes=15), ["*/15 * * * *"]),
    (timedelta(hours=1), ["0 * * * *"]),
    (timedelta(days=1), ["0 0 * * *"]),
    (timedelta(minutes=90), ["0 */3 * * *", "30 1-23/3 * * *"]),
])
def test_every_reads_as_a_person_would_write_it(every, expected):
    assert every_expressions(every) == expected
