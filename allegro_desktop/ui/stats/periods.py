"""The Statistics tab's periods and their granularity. Functions, no widgets (the tab and the
tests share them; the time zone is passed in).

Periods are calendar days in the seller's time zone, [start, end) with `end` the midnight
after the last day (`services/local_time.py` computes the days and their bounds). The periods
that include today end tonight ("to date"), so the previous
period the statistics compare with — as long, ending where this one starts — is a fair
comparison (the first 24 days of November against the 24 days before), and a chart has no
empty future days:

- Today / Yesterday: that one day (compared with the day before it);
- Last 7 / 30 days: today and the 6 / 29 days before;
- This month / This year: from the 1st of the month / of January up to today;
- Last month: the whole previous calendar month;
- Last 12 months: this month and the 11 before, up to today (whole months, so monthly bars
  are whole but the current one);
- All time: from the day of the first order the filter selects up to today;
- Custom: the two days chosen, both included.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from allegro_desktop.services.local_time import (
    Days,
    day_bounds,
    last_days,
    months_to_date,
    ordered_days,
    whole_month,
    year_to_date,
)
from allegro_desktop.services.stats import Granularity

__all__ = [
    "StatsPeriod",
    "auto_granularity",
    "period_label",
    "period_range",
]

_CONTEXT = "StatsTab"

#: Periods up to this many days are shown by day, up to `_WEEKS_UP_TO` by week, longer by month.
_DAYS_UP_TO: Final = 62
_WEEKS_UP_TO: Final = 190


class StatsPeriod(enum.StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    LAST_12_MONTHS = "last_12_months"
    ALL_TIME = "all_time"
    CUSTOM = "custom"


_PERIOD_LABELS: Final[dict[StatsPeriod, object]] = {
    StatsPeriod.TODAY: QT_TRANSLATE_NOOP("StatsTab", "Today"),
    StatsPeriod.YESTERDAY: QT_TRANSLATE_NOOP("StatsTab", "Yesterday"),
    StatsPeriod.LAST_7_DAYS: QT_TRANSLATE_NOOP("StatsTab", "Last 7 days"),
    StatsPeriod.LAST_30_DAYS: QT_TRANSLATE_NOOP("StatsTab", "Last 30 days"),
    StatsPeriod.THIS_MONTH: QT_TRANSLATE_NOOP("StatsTab", "This month"),
    StatsPeriod.LAST_MONTH: QT_TRANSLATE_NOOP("StatsTab", "Last month"),
    StatsPeriod.THIS_YEAR: QT_TRANSLATE_NOOP("StatsTab", "This year"),
    StatsPeriod.LAST_12_MONTHS: QT_TRANSLATE_NOOP("StatsTab", "Last 12 months"),
    StatsPeriod.ALL_TIME: QT_TRANSLATE_NOOP("StatsTab", "All time"),
    StatsPeriod.CUSTOM: QT_TRANSLATE_NOOP("StatsTab", "Custom range"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def period_label(period: StatsPeriod) -> str:
    return _tr(str(_PERIOD_LABELS[period]))


def period_days(period: StatsPeriod, today: date, *, custom: tuple[date, date] | None = None,
                first_day: date | None = None) -> Days | None:
    """The first and last day (both included) of `period` on the local day `today`.

    `custom`: the two days of CUSTOM (in either order); `first_day`: the day of the first
    order, for ALL_TIME (None: no order, no period)."""
    if period is StatsPeriod.TODAY:
        return today, today
    if period is StatsPeriod.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if period is StatsPeriod.LAST_7_DAYS:
        return last_days(today, 7)
    if period is StatsPeriod.LAST_30_DAYS:
        return last_days(today, 30)
    if period is StatsPeriod.THIS_MONTH:
        return months_to_date(today)
    if period is StatsPeriod.LAST_MONTH:
        return whole_month(today, months_back=1)
    if period is StatsPeriod.THIS_YEAR:
        return year_to_date(today)
    if period is StatsPeriod.LAST_12_MONTHS:
        return months_to_date(today, 12)
    if period is StatsPeriod.ALL_TIME:
        return None if first_day is None else (min(first_day, today), today)
    if custom is None:
        raise ValueError("a custom period needs its two days")
    return ordered_days(*custom)


def period_range(period: StatsPeriod, today: date, zone: tzinfo, *,
                 custom: tuple[date, date] | None = None,
                 first_day: date | None = None) -> tuple[datetime, datetime] | None:
    """[start, end) of `period` as aware datetimes: local midnight of its first day, local
    midnight after its last (see `period_days`; None for ALL_TIME without orders)."""
    days = period_days(period, today, custom=custom, first_day=first_day)
    return None if days is None else day_bounds(days, zone)


def auto_granularity(first: date, last: date) -> Granularity:
    """Bars a chart can show side by side: days for up to two months, weeks for up to about
    half a year, months beyond."""
    days = (last - first).days + 1
    if days <= _DAYS_UP_TO:
        return Granularity.DAY
    if days <= _WEEKS_UP_TO:
        return Granularity.WEEK
    return Granularity.MONTH
