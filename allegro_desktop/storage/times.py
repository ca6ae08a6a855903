"""Datetimes <-> the database's INTEGER milliseconds since the Unix epoch (UTC), and local times
that never overflow.

Integer arithmetic only: `datetime.timestamp() * 1000` goes through a float and can be off by
one millisecond, which would make a stored time differ from the one Allegro sent.

Every moment of the years 1-9999 in UTC can be stored (Allegro may send 9999-12-31 or
0001-01-01: legal, so kept). Its local time may fall outside them — 9999-12-31 23:00 UTC is in
year 10000 at +14:00, 0001-01-01 05:00 UTC in year 0 at -12:00 — which Python's `datetime`
cannot hold: `local_time` then says None and the caller shows the moment in UTC, saying so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

__all__ = ["MAX_MS", "MIN_MS", "clamp_ms", "from_ms", "from_ms_or_none", "local_time", "to_ms",
           "to_ms_or_none", "utc_now"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch (sub-millisecond digits are dropped, toward the past)."""
    if moment.tzinfo is None:
        raise ValueError(f"a naive datetime cannot be stored: {moment!r}")
    return (moment - _EPOCH) // _MS


def to_ms_or_none(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def from_ms(ms: int) -> datetime:
    return _EPOCH + ms * _MS


def from_ms_or_none(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)


#: The first and the last millisecond a `datetime` holds (0001-01-01 and 9999-12-31, UTC).
MIN_MS = to_ms(datetime.min.replace(tzinfo=UTC))
MAX_MS = to_ms(datetime.max.replace(tzinfo=UTC))


def clamp_ms(ms: int) -> int:
    """`ms` moved into [MIN_MS, MAX_MS] (a period reaching past year 1 or 9999)."""
    return min(max(ms, MIN_MS), MAX_MS)


def local_time(moment: datetime, zone: tzinfo | None) -> datetime | None:
    """`moment` in `zone` (None: the computer's own), or None when that local time falls
    outside the years 1-9999 (show the moment in UTC then, saying so)."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, OSError, ValueError):  # OSError: the OS's own local time, far out
        return None
