"""`services/time_zone.py`: the computer's time zone with its summer-time rules, however the
OS says it (TZ, /etc/localtime, Windows' own setting through tzlocal)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import tzlocal

from allegro_desktop.services import time_zone
from allegro_desktop.services.time_zone import local_zone, system_time_zone


def test_tz_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":America/Santiago")
    assert system_time_zone() == ZoneInfo("America/Santiago")
    assert local_zone() == ZoneInfo("America/Santiago")


def test_the_time_zone_keeps_its_rules_where_there_is_no_tzif_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has neither TZ nor /etc/localtime: the zone must still be Warsaw with its
    summer time, not today's fixed offset (an order at 00:30 on a July night is on the 11th)."""

    def no_file(*_args: object, **_kwargs: object) -> None:
        raise FileNotFoundError("/etc/localtime")

    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(time_zone, "open", no_file, raising=False)
    monkeypatch.setattr(tzlocal, "get_localzone", lambda: ZoneInfo("Europe/Warsaw"))
    zone = system_time_zone()
    assert zone == ZoneInfo("Europe/Warsaw")
    summer = datetime(2026, 7, 10, 22, 30, tzinfo=UTC).astimezone(zone)
    winter = datetime(2026, 1, 10, 22, 30, tzinfo=UTC).astimezone(zone)
    assert (summer.day, summer.hour, winter.day, winter.hour) == (11, 0, 10, 23)
