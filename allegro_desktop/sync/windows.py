"""Time windows of `/order/checkout-forms` (`Window`: a `boughtAt` or `updatedAt` span, split for
parallelism within bounds) and what a resumable back-fill has listed (`BackfillProgress`)."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from allegro_desktop.api.parsing import parse_time
from allegro_desktop.sync.event_ids import event_id_text

__all__ = [
    "BOUGHT_AT",
    "MAX_RESULT_WINDOW",
    "PAGE_SIZE",
    "UPDATED_AT",
    "BackfillProgress",
    "Window",
    "form_time",
    "from_ms",
    "iso",
    "merged_spans",
    "ms",
    "span_texts",
    "windows_between",
]

log = logging.getLogger("allegro_desktop.sync")

#: Allegro refuses `offset + limit > 10000` on /order/checkout-forms (ALLEGRO-API.md §9.3).
MAX_RESULT_WINDOW: Final = 10_000
PAGE_SIZE: Final = 100
BOUGHT_AT: Final = "lineItems.boughtAt"
UPDATED_AT: Final = "updatedAt"
#: Splitting a window is only for parallelism (keyset paging lists any window), so it is
#: bounded: a window is split only when its first page is full, into at most this many parts,
#: at most this many times over (a part of a part of a window), never below this span.
_MAX_SPLIT_PARTS: Final = 16
_MAX_SPLIT_LEVEL: Final = 2
_MIN_SPAN: Final = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Window:
    """A time window of `/order/checkout-forms`: `field` between `start` and `end` (both
    inclusive: an order on a boundary is fetched twice, which costs nothing). `level`: how
    many splits made it (the bound of `_MAX_SPLIT_LEVEL`)."""

    field: str
    start: datetime
    end: datetime
    level: int = 0

    def filters(self) -> dict[str, str]:
        return {f"{self.field}.gte": iso(self.start), f"{self.field}.lte": iso(self.end)}

    def split(self, parts: int) -> list[Window]:
        step = (self.end - self.start) / parts
        bounds = [self.start + step * i for i in range(parts)] + [self.end]
        return [Window(self.field, bounds[i], bounds[i + 1], self.level + 1)
                for i in range(parts)]

    def parts_for(self, total: int, *, full: bool, target: int) -> int:
        """Into how many parts to split this window when its first page said `totalCount` =
        `total` (1: none), for at most `target` orders a part. Only a full first page can
        hide more orders, and the bounds hold whatever `totalCount` claims:
        `_MAX_SPLIT_PARTS`, `_MAX_SPLIT_LEVEL`, `_MIN_SPAN`."""
        if not full or total <= target or self.level >= _MAX_SPLIT_LEVEL:
            return 1
        return max(min(math.ceil(total / target), _MAX_SPLIT_PARTS,
                       (self.end - self.start) // _MIN_SPAN), 1)

    def minus(self, covered: Sequence[tuple[datetime, datetime]]) -> list[Window]:
        """The parts of this window outside the `covered` spans."""
        parts = [self]
        for low, high in covered:
            rest = []
            for part in parts:
                if high < part.start or low > part.end:
                    rest.append(part)
                    continue
                if part.start < low:
                    rest.append(Window(self.field, part.start, low))
                if high < part.end:
                    rest.append(Window(self.field, high, part.end))
            parts = rest
        return parts


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def form_time(form: object, field_name: str) -> int | None:
    """The form's sort key in a list sorted by `field_name`, in whole ms (the precision of
    our filters): the latest line item's `boughtAt` (ALLEGRO-API.md §9.7), or `updatedAt`."""
    if not isinstance(form, Mapping):
        return None
    if field_name == UPDATED_AT:
        moment = parse_time(form.get("updatedAt"))
    else:
        items = form.get("lineItems")
        times = [parse_time(item.get("boughtAt")) for item in items
                 if isinstance(item, Mapping)] if isinstance(items, list) else []
        moment = max((t for t in times if t is not None), default=None)
    return None if moment is None else ms(moment)


@dataclass(slots=True)
class BackfillProgress:
    """A resumable back-fill (`sync_state.backfill_progress`, JSON): the starting cursor, when
    event-stats gave it, and the spans already listed — a whole window once listed to its
    end, and for a window under way the part up to its keyset position (saved with every
    page, so a stop resumes inside the window)."""

    cursor: str | None
    stats_read_at: datetime
    covered: list[tuple[datetime, datetime]] = field(default_factory=list)
    #: Windows under way: (start, end) -> the time up to which their pages were read.
    partial: dict[tuple[datetime, datetime], datetime] = field(default_factory=dict)

    def listed(self, window: Window) -> None:
        self.partial.pop((window.start, window.end), None)
        self.covered = merged_spans([*self.covered, (window.start, window.end)])

    def read_up_to(self, window: Window, reached: datetime) -> None:
        self.partial[(window.start, window.end)] = reached

    def spans(self) -> list[tuple[datetime, datetime]]:
        return merged_spans([*self.covered, *((start, reached) for (start, _), reached
                                              in self.partial.items() if reached > start)])

    def dump(self) -> str:
        return json.dumps({"cursor": self.cursor, "stats_read_at": ms(self.stats_read_at),
                           "covered": [[ms(a), ms(b)] for a, b in self.spans()]})

    @classmethod
    def load(cls, text: str | None) -> BackfillProgress | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            cursor = data["cursor"]
            if cursor is not None and event_id_text(cursor) is None:
                raise ValueError(f"the cursor {str(cursor)[:40]!r} is not an event id")
            return cls(cursor=cursor,
                       stats_read_at=from_ms(int(data["stats_read_at"])),
                       covered=merged_spans([(from_ms(int(a)), from_ms(int(b)))
                                             for a, b in data["covered"]]))
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            log.warning("ignoring unreadable back-fill progress (%s): starting over", exc)
            return None


def merged_spans(spans: Iterable[tuple[datetime, datetime]]
                 ) -> list[tuple[datetime, datetime]]:
    """The spans, overlapping or touching ones joined, in time order."""
    result: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def windows_between(field_name: str, start: datetime, end: datetime, days: int
                    ) -> list[Window]:
    """Consecutive windows of `days` from `start` to `end`, newest first (a seller wants this
    month's orders before last year's)."""
    windows = []
    step = timedelta(days=days)
    upper = end
    while upper > start:
        lower = max(upper - step, start)
        windows.append(Window(field_name, lower, upper))
        upper = lower
    return windows


def span_texts(windows: Sequence[Window]) -> list[str]:
    """The windows as a message names them."""
    return [f"{window.field} {iso(window.start)}..{iso(window.end)}" for window in windows]
