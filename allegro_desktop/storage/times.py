"""Datetimes <-> the database's INTEGER milliseconds since the Unix epoch (UTC).

Integer arithmetic only: `datetime.timestamp() * 1000` goes through a float and can be off by
one millisecond, which would make a stored time differ from the one Allegro sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["from_ms", "from_ms_or_none", "to_ms", "to_ms_or_none", "utc_now"]

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
