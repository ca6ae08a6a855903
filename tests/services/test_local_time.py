"""`services/local_time.py`: "today" and the periods' local midnights, in pinned time zones and
at pinned moments (never the machine's zone or clock), across summer-time changes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allegro_desktop.services.local_time import (
    LocalTime,
    day_bounds,
    last_days,
    midnight,
    month_start,
    months_to_date,
    ordered_days,
    whole_month,
    year_to_date,
)

WARSAW = ZoneInfo("Europe/Warsaw")
#: Chile moves its clocks at midnight: 00:00 is skipped in September, repeated in April.
SANTIAGO = ZoneInfo("America/Santiago")
#: Across the date line: its local day is a UTC day ahead of most of the world's.
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")


def _at(moment: datetime) -> LocalTime:
    return LocalTime(clock=lambda: moment, zone=WARSAW)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_today_is_the_local_day_of_the_clock_s_moment() -> None:
    late = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 on the 29th in Warsaw
    assert _at(late).today() == date(2026, 3, 29)
    assert _at(late).now() == late
    assert _at(late).now().utcoffset() == timedelta(hours=1)
    assert LocalTime(clock=lambda: late, zone=ZoneInfo("America/New_York")).today() == \
        date(2026, 3, 28)
    assert LocalTime(clock=lambda: late, zone=KIRITIMATI).today() == date(2026, 3, 29)


def test_a_day_of_summer_time_change_is_23_or_25_hours() -> None:
    local = _at(datetime(2026, 11, 24, 12, tzinfo=UTC))
    spring = local.bounds((date(2026, 3, 29), date(2026, 3, 29)))
    autumn = local.bounds((date(2026, 10, 25), date(2026, 10, 25)))
    assert [_utc(moment) for moment in spring] == [
        datetime(2026, 3, 28, 23, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC)]
    assert [_utc(moment) for moment in autumn] == [
        datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 25, 23, tzinfo=UTC)]
    # A week across the autumn change: 7 days and an hour of real time.
    start, end = local.bounds(last_days(date(2026, 10, 28), 7))
    assert _utc(end) - _utc(start) == timedelta(days=7, hours=1)


def test_a_midnight_the_clocks_skip_is_the_first_moment_of_the_day() -> None:
    # 6 September 2026 in Chile: 00:00 (-04) is 01:00 (-03); the day starts at 04:00 UTC.
    skipped = midnight(date(2026, 9, 6), SANTIAGO)
    assert _utc(skipped) == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert _utc(skipped).astimezone(SANTIAGO).replace(tzinfo=None) == datetime(2026, 9, 6, 1)
    # The day before is 24 hours long, the day itself 23.
    before = midnight(date(2026, 9, 5), SANTIAGO)
    after = midnight(date(2026, 9, 7), SANTIAGO)
    assert _utc(skipped) - _utc(before) == timedelta(hours=24)
    assert _utc(after) - _utc(skipped) == timedelta(hours=23)
    # 5 April 2026: the hour before midnight is lived twice; the 4th is 25 hours long.
    assert _utc(midnight(date(2026, 4, 5), SANTIAGO)) - \
        _utc(midnight(date(2026, 4, 4), SANTIAGO)) == timedelta(hours=25)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 30)),
       zone=st.sampled_from([WARSAW, SANTIAGO, KIRITIMATI, ZoneInfo("Australia/Lord_Howe"),
                             ZoneInfo("America/St_Johns"), UTC]))
def test_every_local_day_starts_on_its_own_date_and_follows_the_last(
        day: date, zone: ZoneInfo) -> None:
    start, end = day_bounds((day, day), zone)
    assert _utc(start).astimezone(zone).date() == day
    assert _utc(end).astimezone(zone).date() == day + timedelta(days=1)
    assert timedelta(hours=22) <= _utc(end) - _utc(start) <= timedelta(hours=26)
    assert _utc(end) == _utc(midnight(day + timedelta(days=1), zone))
    assert (_utc(end) - timedelta(microseconds=1)).astimezone(zone).date() == day


def test_the_named_runs_of_days() -> None:
    today = date(2028, 3, 1)  # a leap year, the day after 29 February
    assert last_days(today, 7) == (date(2028, 2, 24), today)
    assert last_days(today, 1) == (today, today)
    assert whole_month(today) == (date(2028, 3, 1), date(2028, 3, 31))
    assert whole_month(today, months_back=1) == (date(2028, 2, 1), date(2028, 2, 29))
    assert whole_month(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert whole_month(date(2027, 1, 15), months_back=1) == (date(2026, 12, 1),
                                                             date(2026, 12, 31))
    assert months_to_date(today) == (date(2028, 3, 1), today)
    assert months_to_date(today, 12) == (date(2027, 4, 1), today)
    assert year_to_date(today) == (date(2028, 1, 1), today)
    assert month_start(date(2026, 1, 20), 13) == date(2024, 12, 1)
    assert month_start(date(2026, 12, 20), -1) == date(2027, 1, 1)
    assert ordered_days(date(2026, 5, 2), date(2026, 4, 1)) == (date(2026, 4, 1),
                                                                date(2026, 5, 2))


@pytest.fixture
def os_zone_is_warsaw(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own local time (what `time.localtime` and a naive `astimezone` use) set
    to Warsaw for the test, and put back after it."""
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.usefixtures("os_zone_is_warsaw")
def test_without_a_zone_the_os_rules_give_the_same_midnights() -> None:
    """`zone` None (a POSIX TZ rule the zone cannot be read from): each midnight is the OS's
    local time for that moment, summer time included — the same instants as with the zone."""
    moment = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    by_os = LocalTime(clock=lambda: moment, zone=None)
    by_zone = LocalTime(clock=lambda: moment, zone=WARSAW)
    assert by_os.today() == by_zone.today() == date(2026, 10, 25)
    for days in (last_days(date(2026, 10, 28), 7), whole_month(date(2026, 3, 10)),
                 (date(2026, 10, 25), date(2026, 10, 25))):
        assert [_utc(m) for m in by_os.bounds(days)] == [_utc(m) for m in by_zone.bounds(days)]
