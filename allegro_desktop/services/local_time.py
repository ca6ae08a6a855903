"""The seller's local time: "now" and "today" from a clock tests can pin, in the computer's time
zone (`services/time_zone.py`), and the calendar periods the window filters and counts by —
the Orders tab's date presets and the Statistics tab's periods.

A period is a run of whole local days, first and last included; its bounds are the local
midnight starting the first day and the one after the last, [start, end), as aware datetimes.
A midnight is found with the zone's rules, so a period across a change of summer time is 23 or
25 hours longer or shorter, never an hour off; a midnight that does not exist (a zone whose
clocks jump at 00:00) is the first moment of that day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from allegro_desktop.services.time_zone import system_time_zone
from allegro_desktop.storage.times import utc_now

__all__ = [
    "Clock",
    "Days",
    "LocalTime",
    "day_bounds",
    "last_days",
    "midnight",
    "month_start",
    "months_to_date",
    "ordered_days",
    "whole_month",
    "year_to_date",
]

#: Aware "now" (any zone): `storage.times.utc_now`, or a test's fixed moment.
Clock = Callable[[], datetime]
#: The first and last day of a period, both included.
Days = tuple[date, date]


def midnight(day: date, zone: tzinfo | None) -> datetime:
    """The local midnight starting `day` in `zone`, aware. None: the OS's own rules for that
    moment (see `system_time_zone`)."""
    if zone is None:
        return datetime(day.year, day.month, day.day).astimezone()
    # A midnight skipped by summer time is read with the offset before the gap: the moment
    # the day begins.
    return datetime.combine(day, time(0), tzinfo=zone)


def day_bounds(days: Days, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """[start, end) of a run of days in `zone`: the midnight starting the first, the one after
    the last."""
    return midnight(days[0], zone), midnight(days[1] + timedelta(days=1), zone)


@dataclass(frozen=True)
class LocalTime:
    """The local zone and a clock: what "now", "today" and a period's bounds are.

    `zone` None: the OS's own rules for each moment (`system_time_zone` could not read the
    zone with its rules: a POSIX `TZ` rule). Both default to the computer's."""

    clock: Clock = utc_now
    zone: tzinfo | None = field(default_factory=system_time_zone)

    def now(self) -> datetime:
        """This moment, in the local zone."""
        moment = self.clock()
        return moment.astimezone(self.zone) if self.zone is not None else moment.astimezone()

    def today(self) -> date:
        """The local day it is now."""
        return self.now().date()

    def midnight(self, day: date) -> datetime:
        """The local midnight starting `day`."""
        return midnight(day, self.zone)

    def bounds(self, days: Days) -> tuple[datetime, datetime]:
        """[start, end) of a run of local days (`day_bounds`)."""
        return day_bounds(days, self.zone)


def month_start(day: date, months_back: int = 0) -> date:
    """The 1st of `day`'s month, or of the month `months_back` months before it."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def last_days(today: date, count: int) -> Days:
    """Today and the `count` - 1 days before it."""
    return today - timedelta(days=count - 1), today


def whole_month(day: date, months_back: int = 0) -> Days:
    """Every day of `day`'s calendar month (or of the one `months_back` months before)."""
    first = month_start(day, months_back)
    return first, month_start(first, -1) - timedelta(days=1)


def months_to_date(today: date, count: int = 1) -> Days:
    """This month so far, after the `count` - 1 whole months before it: from the 1st up to
    today."""
    return month_start(today, count - 1), today


def year_to_date(today: date) -> Days:
    """From the 1st of January up to today."""
    return date(today.year, 1, 1), today


def ordered_days(one: date, other: date) -> Days:
    """Two days chosen in either order, as a period from the earlier to the later."""
    return (one, other) if one <= other else (other, one)
