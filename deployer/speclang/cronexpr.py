"""Cron: `every` intervals and 5-field expressions (minute hour day-of-month month day-of-week, UTC)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from deployer.errors import quoted
from deployer.speclang.durations import format_duration

if TYPE_CHECKING:
    from deployer.speclang.model import CronJob

DAY = timedelta(days=1)
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12),
          ("day-of-week", 0, 7))
NAMES = {
    3: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
}
_ITEM = re.compile(r"(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?")  # used with fullmatch
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # a leap year's


def every_problem(every: timedelta) -> str | None:
    """Why an `every` interval is not allowed, with the nearest allowed ones; None when it is."""
    if timedelta(minutes=1) <= every <= DAY and every.total_seconds() % 60 == 0 \
            and DAY.total_seconds() % every.total_seconds() == 0:
        return None
    below = [d for d in allowed_intervals() if d < every]
    above = [d for d in allowed_intervals() if d > every]
    options = [format_duration(d) for d in (below[-1:] + above[:1])]
    return (f"every {format_duration(every)} does not divide 24h evenly into whole minutes "
            f"(1m to 24h); try {' or '.join(options)}")


def allowed_intervals() -> list[timedelta]:
    """Every whole-minute interval from 1m to 24h that divides a day."""
    minutes = 24 * 60
    return [timedelta(minutes=m) for m in range(1, minutes + 1) if minutes % m == 0]


def schedule_problem(expression: str) -> str | None:
    """Why a 5-field cron expression is not valid; None when it is."""
    fields = expression.split()
    if len(fields) != 5:
        return (f"schedule {quoted(expression)} has {len(fields)} fields; a cron expression has 5: "
                "minute hour day-of-month month day-of-week")
    for index, (text, (name, low, high)) in enumerate(zip(fields, FIELDS)):
        for item in text.lower().split(","):
            match = _ITEM.fullmatch(item)
            if not match:
                return f"schedule {quoted(expression)}: {name} field {quoted(text)} is not valid"
            values = [] if match.group(1) == "*" else match.group(1).split("-")
            for value in values:
                number = _number(value, index)
                if number is None or not low <= number <= high:
                    return f"schedule {quoted(expression)}: {name} {quoted(value)} is outside {low}-{high}"
            if match.group(2) is not None and int(match.group(2)) == 0:
                return f"schedule {quoted(expression)}: {name} step must be at least 1"
            if match.group(2) is not None and int(match.group(2)) > high - low:
                return f"schedule {quoted(expression)}: {name} step {match.group(2)} is beyond {low}-{high}"
    if fields[4] == "*" and not any(_matches(fields[2], 2, day) for month in range(1, 13)
                                    if _matches(fields[3], 3, month)
                                    for day in range(1, DAYS_IN_MONTH[month - 1] + 1)):
        return (f"schedule {quoted(expression)}: day-of-month {quoted(fields[2])} never occurs in month "
                f"{quoted(fields[3])}, so the job would never run")
    return None


def _number(value: str, field_index: int) -> int | None:
    if value.isdigit():
        return int(value)
    names = NAMES.get(field_index, [])
    offset = 1 if field_index == 3 else 0
    return names.index(value) + offset if value in names else None


def weekdays(field: str) -> list[int]:
    """The days of the week (0 = Sunday … 6) a valid day-of-week field names."""
    return [day for day in range(7) if _matches(field, 4, day)]


def restricts_both_days(expression: str) -> bool:
    """Whether a valid 5-field expression restricts day-of-month and day-of-week at once."""
    day_of_month, _, day_of_week = expression.split()[2:5]
    return day_of_month != "*" and day_of_week != "*"


def fires_at(expression: str, when: datetime) -> bool:
    """Whether a valid 5-field expression fires in the minute WHEN (UTC). As in cron, a restricted
    day-of-month and day-of-week fire on either."""
    minute, hour, day, month, weekday = (_matches(text, index, value) for index, (text, value) in enumerate(zip(
        expression.split(), (when.minute, when.hour, when.day, when.month, when.isoweekday() % 7))))
    days = (day or weekday) if restricts_both_days(expression) else (day and weekday)
    return minute and hour and month and days


def _matches(text: str, field_index: int, value: int) -> bool:
    low, high = FIELDS[field_index][1:]
    for item in text.lower().split(","):
        match = _ITEM.fullmatch(item)
        if match.group(1) == "*":
            first, last = low, high
        else:
            bounds = [_number(v, field_index) for v in match.group(1).split("-")]
            first, last = bounds[0], bounds[-1] if len(bounds) > 1 or match.group(2) is None else high
        step = int(match.group(2) or 1)
        sunday_too = (7,) if field_index == 4 and value == 0 else ()  # Sunday is 0 and 7
        if any(first <= v <= last and (v - first) % step == 0 for v in (value, *sunday_too)):
            return True
    return False


def cron_expressions(job: CronJob) -> list[str]:
    """A job's schedule as 5-field cron expressions in UTC (one, except for the intervals below)."""
    return [job.schedule] if job.schedule is not None else every_expressions(job.every)


def every_expressions(every: timedelta) -> list[str]:
    """`every` as cron, counted from midnight UTC: `2h` -> `0 */2 * * *`. An interval that is not a
    divisor of an hour nor a whole number of hours (45m: 00:00, 00:45, 01:30, 02:15, 03:00 ...)
    repeats over a cycle of hours; it takes one expression per hour of that cycle that fires."""
    minutes = int(every.total_seconds()) // 60
    if minutes == 1:
        return ["* * * * *"]
    if minutes == 60:
        return ["0 * * * *"]
    if 60 % minutes == 0:
        return [f"*/{minutes} * * * *"]
    cycle_hours = math.lcm(minutes, 60) // 60
    minutes_by_hour: dict[int, list[int]] = {}
    for start in range(0, cycle_hours * 60, minutes):
        minutes_by_hour.setdefault(start // 60, []).append(start % 60)
    return [f"{','.join(map(str, at))} {_hour_field(hour, cycle_hours)} * * *"
            for hour, at in minutes_by_hour.items()]


def _hour_field(offset: int, step: int) -> str:
    if step == 24:
        return str(offset)
    return f"*/{step}" if offset == 0 else f"{offset}-23/{step}"
