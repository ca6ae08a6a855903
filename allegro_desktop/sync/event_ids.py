"""Event ids and the event cursor: what an id Allegro can have given looks like
(`plausible_event_id`), and whether a stored cursor may be asked for (ARCHITECTURE.md
"The sync engine")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

__all__ = [
    "EVENT_ID_LEEWAY",
    "event_id_text",
    "micros",
    "plausible_event_id",
    "stored_cursor_usable",
]

#: Allegro's event ids (ALLEGRO-API.md §7.5): decimal digits of a signed 64-bit number, growing
#: with each recorded event; the digits look like the microseconds since the epoch of the
#: recording, which `plausible_event_id` uses only as an upper bound.
_MAX_EVENT_ID: Final = 2**63 - 1
#: How far an event id, read as microseconds since the epoch, may lie past the newest of the
#: engine's clock and the `occurredAt` values answered with it (`plausible_event_id`).
EVENT_ID_LEEWAY: Final = timedelta(days=1)
#: A cursor stored by an older version that lies this far past the clock cannot be Allegro's
#: (a clock that wrong breaks TLS anyway): the journal is re-scanned instead of being asked
#: for events after it (which would answer "nothing new" for ever).
_STORED_CURSOR_LEEWAY: Final = timedelta(days=30)

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def plausible_event_id(value: object, *, newest: datetime, after: str | None = None
                       ) -> str | None:
    """`value` as an event id the cursor may take, else None: a string of ASCII digits (or a
    JSON integer) without a sign or leading zeros that fits a signed 64-bit number, above
    `after` (the current cursor), and — read as microseconds since the epoch — at most
    `EVENT_ID_LEEWAY` past `newest` (the newest of the engine's clock and the `occurredAt`
    values answered with it). An upper bound only: a counter smaller than a timestamp
    passes."""
    text = event_id_text(value)
    if text is None:
        return None
    number = int(text)
    if after is not None and after.isdigit() and number <= int(after):
        return None
    if number > micros(newest) + EVENT_ID_LEEWAY // timedelta(microseconds=1):
        return None
    return text


def event_id_text(value: object) -> str | None:
    """`value` as an event id of Allegro's shape (no bounds), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (not isinstance(value, str) or not value.isascii() or not value.isdigit()
            or len(value) > len(str(_MAX_EVENT_ID)) or value != str(int(value))):
        return None
    return value if 0 < int(value) <= _MAX_EVENT_ID else None


def micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def stored_cursor_usable(cursor: str | None, now: datetime) -> bool:
    """A stored cursor is asked for only if it has Allegro's shape and does not lie far past
    the clock (`_STORED_CURSOR_LEEWAY`); an older version stored whatever it got."""
    if cursor is None:
        return True
    text = event_id_text(cursor)
    return text is not None and int(text) <= micros(now) + (
        _STORED_CURSOR_LEEWAY // timedelta(microseconds=1))
