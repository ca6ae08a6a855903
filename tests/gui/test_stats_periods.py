"""The Statistics tab's periods (`ui/stats/periods.py`): local calendar days in the seller's
time zone, across a change of summer time, and the grouping chosen by a period's length."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from allegro_desktop.services.stats import Granularity
from allegro_desktop.ui.stats.periods import StatsPeriod, auto_granularity, period_range

WARSAW = ZoneInfo("Europe/Warsaw")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


@pytest.mark.parametrize(("period", "start", "end"), [
    (StatsPeriod.TODAY, local(2026, 11, 24), local(2026, 11, 25)),
    (StatsPeriod.YESTERDAY, local(2026, 11, 23), local(2026, 11, 24)),
    (StatsPeriod.LAST_7_DAYS, local(2026, 11, 18), local(2026, 11, 25)),
    # crosses the end of summer time (25 October): still local midnights
    (StatsPeriod.LAST_30_DAYS, local(2026, 10, 26), local(2026, 11, 25)),
    (StatsPeriod.THIS_MONTH, local(2026, 11, 1), local(2026, 11, 25)),
    (StatsPeriod.LAST_MONTH, local(2026, 10, 1), local(2026, 11, 1)),
    (StatsPeriod.THIS_YEAR, local(2026, 1, 1), local(2026, 11, 25)),
    (StatsPeriod.LAST_12_MONTHS, local(2025, 12, 1), local(2026, 11, 25)),
])
def test_period_presets_are_local_days(period: StatsPeriod, start: datetime,
                                       end: datetime) -> None:
    found = period_range(period, date(2026, 11, 24), WARSAW)
    assert found == (start, end)
    assert found is not None
    # the UTC moments: a Polish midnight is 23:00 (winter) or 22:00 (summer) UTC the day before
    assert found[0].utcoffset() == start.utcoffset()


def test_period_presets_in_summer_and_special_cases() -> None:
    july = date(2026, 7, 15)
    start, end = period_range(StatsPeriod.THIS_MONTH, july, WARSAW) or (None, None)
    assert start is not None
    assert end is not None
    assert start.astimezone(UTC) == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 7, 15, 22, 0, tzinfo=UTC)
    # last month of January is December of the year before
    assert period_range(StatsPeriod.LAST_MONTH, date(2026, 1, 10), WARSAW) == (
        local(2025, 12, 1), local(2026, 1, 1))
    # custom: both days included, in either order
    assert period_range(StatsPeriod.CUSTOM, july, WARSAW,
                        custom=(date(2026, 3, 31), date(2026, 3, 1))) == (
        local(2026, 3, 1), local(2026, 4, 1))
    # all time: from the first order's day; no order, no period
    assert period_range(StatsPeriod.ALL_TIME, july, WARSAW, first_day=date(2025, 2, 3)) == (
        local(2025, 2, 3), local(2026, 7, 16))
    assert period_range(StatsPeriod.ALL_TIME, july, WARSAW) is None


def test_auto_granularity_by_length() -> None:
    assert auto_granularity(date(2026, 11, 1), date(2026, 11, 30)) is Granularity.DAY
    assert auto_granularity(date(2026, 6, 1), date(2026, 11, 30)) is Granularity.WEEK
    assert auto_granularity(date(2025, 12, 1), date(2026, 11, 30)) is Granularity.MONTH
