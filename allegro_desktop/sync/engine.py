"""`SyncEngine`: an account's orders from Allegro into the local database (ARCHITECTURE.md "Sync").

Pure asyncio and storage, no Qt: the GUI runs it on the sync thread (`sync/worker.py`), the
headless `allegro-desktop sync` runs it directly, tests run it against the emulator.

One `run()`:

1. **Bootstrap** (no cursor yet, or the back-fill never finished): read `/order/event-stats`
   FIRST and keep `latestEvent.id` as the starting cursor (ALLEGRO-API.md §8.2) — if it is a
   plausible event id (below); an unusable answer (not an id, or far ahead) is never stored:
   the cursor is then None like after `latestEvent: null`, and the journal is read from its
   start (the 60 days Allegro keeps). Then back-fill
   `/order/checkout-forms` in `lineItems.boughtAt` windows over `history_days`, pages of 100.
   A window whose first page is full and whose `totalCount` is above `window_target` is split
   into equal parts for parallelism — bounded whatever `totalCount` claims: at most
   `_MAX_SPLIT_PARTS` parts, `_MAX_SPLIT_LEVEL` splits deep, never below `_MIN_SPAN`; windows
   run on `window_concurrency` tasks, the `RequestGovernor` paces them all. Pages are read by
   **keyset**, not by deep offsets: sorted ascending, each next page starts at the last page's
   time (`.gte`), skipping the *distinct* orders at exactly that time already read. An order
   that leaves the list meanwhile (a merged purchase) cannot shift an unread order onto a page
   already read, and the 10 000 `offset+limit` cap is never reached (ALLEGRO-API.md §9.3, §9.4,
   [#3740]).
   Each page is one `apply_batch(cursor=None)`, an order repeated in it stored once.
   A window counts as listed only when what was read adds up, not by `totalCount`: its last
   page is not full, no page repeated an order (what a repeat displaced is unknown) and each
   full page moved the keyset position on. A window that does not add up is listed once more
   at the end; still not, it is left for the next run (see 5.).
   The back-fill is **resumable**: the starting cursor, every window listed to its end and,
   with every page, the keyset position of each window under way are saved in
   `sync_state.backfill_progress`; a back-fill stopped half way continues with the same cursor
   and only the spans still missing, from inside a window (unless that cursor has become too
   old, then it starts over). Only when every window is done is the starting cursor saved as
   the event cursor (with `backfill_done`).
2. **Incremental**: first the *pending* forms (below) are asked for again; then
   `/order/events?from=cursor&limit=1000` until an empty page. Per page: the distinct
   checkout-form ids; a form is wanted unless the stored copy has the revision of every event
   of the page for it and none of them is FULFILLMENT_STATUS_CHANGED (whether revision moves on a
   fulfillment change is unsettled, ALLEGRO-API.md §10.7); forms recorded as gone are not asked
   again. Wanted forms are fetched the cheapest way (`_plan`): one GET each (`form_concurrency` at a
   time), or — when many of them lie close together in `boughtAt` — by listing their `boughtAt`
   span, 100 per request, GETting only those the list did not hold. A 404 is a gone form (merged
   purchase), recorded, never blocking. Then ONE `apply_batch(orders, events,
   cursor=<the page's last event id the cursor may take>, gone_ids, pending)`: the cursor is
   the id of an event processed, never a later event-stats id, and it moves in the
   transaction of the orders it stands for.
   **The cursor moves only to a plausible event id** (`plausible_event_id`): ASCII digits
   without sign or leading zero that fit a signed 64-bit number (Allegro's ids are 16 digits,
   ALLEGRO-API.md §7.5), above the current cursor, and — read as microseconds since the epoch,
   which is what Allegro's ids look like — at most `EVENT_ID_LEEWAY` (a day) past the newest of the
   engine's clock and the page's `occurredAt` values (an upper bound only: a smaller counter
   passes; the `occurredAt` values let a local clock behind Allegro's through). An event whose
   id fails that is kept aside like an unreadable one (its form still fetched), and the cursor
   moves to the page's last event that passes. A page with none ends the reading (asking
   from the same cursor would bring it back for ever): the orders it names are stored, the
   journal is not marked as read to its end, and the run ends FAILED (`JournalStuckError`,
   see 5.) after its re-scan; the same stuck event is kept aside once, not at every sync.
3. **Nothing read is dropped, nothing blocks the cursor**:
   - an event the app cannot read is kept aside (table `unreadable`); if its checkout-form id
     can still be made out, that form is fetched like any other;
   - a form the app cannot read is kept aside too, and its id becomes *pending*;
   - an id that is not text (a lone surrogate, a byte that was not UTF-8: `text_id`) is no
     id, wherever the engine takes one (a listed form's, an event's form's): such a form is
     kept aside without one (it cannot be asked for again), such an event names no form;
   - a form Allegro keeps failing on (5xx, a dropped or cut-off answer, a timeout — after the
     client's retries) while
     the others of the page arrive becomes *pending*. When every wanted form of a page fails,
     Allegro is in trouble rather than that form: the run fails and the cursor stays;
   - pending forms are asked for again at the start of every incremental run, until stored
     or gone.
4. **Safety nets**:
   - the journal keeps 60 days. When the journal was last read to its end more than
     `cursor_max_age` (55 days) ago, events may be lost: the engine reads a fresh event-stats
     id, then re-scans the WHOLE history depth like the back-fill (not just the days since the
     cursor: an old order may have changed meanwhile, and a fulfillment change moves neither
     `boughtAt` nor `updatedAt`), then continues from the fresh id;
   - the same recovery when Allegro refuses the cursor (422 on `from`, "query parameters are
     incorrect") and when the stored cursor cannot be Allegro's (not an id, or more than
     `_STORED_CURSOR_LEEWAY` past the clock — what older versions could store). A cursor
     refused again right after the re-scan is dropped: the journal is read from its start,
     which needs no `from`; only a 422 to that fails the run (`CursorRejectedError`);
   - a periodic re-scan, at most every `rescan_interval` (default 1 hour; `timedelta(0)` =
     every run; never in a run that just back-filled or recovered, which re-scanned anyway):
     the last `rescan_days` of `lineItems.boughtAt`, and every form whose `updatedAt` is at or
     after the previous re-scan minus a day (at least the last `rescan_days`). It catches
     events Allegro lost or delayed; fulfillment changes are left to the journal, which is
     why the journal is primary;
   - every fully listed `boughtAt` window (back-fill, recovery, re-scan, incremental listing)
     is reconciled: stored orders of that window the list no longer has are asked for one by
     one, and a 404 marks them gone. That is how a purchase merged after it was stored is
     noticed — no event names the old ids (the emulator's `orders/merge` records only the new
     form's FILLED_IN).
5. Each run is recorded with `SyncStateRepository.start_run` / `finish_run`, and every page
   adds its new, updated and unchanged orders and its events to the run's row in the page's
   own transaction (`apply_batch(run_id=…)`): a run killed midway is shown as interrupted with
   what it stored. Expected failures (offline, rate limited, Allegro's 5xx after retries,
   reconnect needed, database errors) end the run calmly: outcome FAILED, the reason (one
   line, `AppError.detailed_message`) in the report and the run history, the cursor at the
   last committed page. `cancel` is honoured between pages (outcome CANCELLED).
   **A run that cannot finish** ends FAILED with an `IncompleteSyncError` whose message says
   what is stored and that the next sync continues — never as a plain success, never in a
   loop: a journal stuck on an implausible id (after the rest of the run, re-scan included),
   list windows that do not add up even when listed again (the back-fill stays unfinished
   and its progress keeps only what added up; a re-scan is not marked done), and the request
   budget (`SyncSettings.max_requests` API calls per run, far above a big shop's first
   back-fill), a bound on what lying answers (a `totalCount` of a million, endless pages) can
   make a run send. FAILED rather than a success with a warning: the seller and the run
   history must see that orders may be missing, and the next sync (the back-fill's progress,
   the unmoved cursor) picks up exactly what is left.

`cursor_saved_at` of the sync state is rewritten (same cursor) whenever the journal has been
read to its end, so it means "journal known complete up to here" — what the 55-day check needs.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

import httpx

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.errors import (
    ApiError,
    MalformedResponseError,
    NetworkError,
    NotAcceptableError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from allegro_desktop.api.parsing import (
    MalformedOrderError,
    parse_checkout_form,
    parse_event,
    parse_time,
)
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Moment, Text
from allegro_desktop.domain.orders import EventType, Order, OrderEvent
from allegro_desktop.domain.safe_text import escaped, text_id
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason
from allegro_desktop.storage import (
    BatchResult,
    OrderRepository,
    PendingForm,
    RunKind,
    RunMetrics,
    RunOutcome,
    SyncState,
    SyncStateRepository,
    UnreadableRecord,
)
from allegro_desktop.sync.errors import (
    CursorRejectedError,
    IncompleteSyncError,
    InconsistentListError,
    JournalStuckError,
    RequestBudgetError,
)

__all__ = [
    "RequestCounter",
    "SyncEngine",
    "SyncPhase",
    "SyncProgress",
    "SyncReport",
    "SyncSettings",
    "plausible_event_id",
]


log = logging.getLogger("allegro_desktop.sync")

_T = TypeVar("_T")


# -- event_ids ---------------------------------------------------------------------------------

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


# -- windows -----------------------------------------------------------------------------------

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


# -- settings ----------------------------------------------------------------------------------

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """How the engine syncs. The defaults are what the app uses."""

    history_days: int = 365  # Allegro guarantees 12 months (ALLEGRO-API.md §9.6)
    window_days: int = 30  # the back-fill's first windows; big ones are split
    window_target: int = 2500  # split a window holding more orders than this
    window_concurrency: int = 4
    form_concurrency: int = 8
    #: Unpaid orders are cancelled after 7 days, and only unpaid ones can be merged: a
    #: re-scan of 8 days of purchases sees every merge (whose old forms no event names).
    rescan_days: int = 8
    rescan_interval: timedelta = timedelta(hours=1)
    cursor_max_age: timedelta = timedelta(days=55)  # the journal keeps 60 days
    #: A new order is announced (notification, webhook) when bought this recently and stored
    #: by a run other than the first back-fill: history found later is not "new".
    announce_within: timedelta = timedelta(days=3)
    #: The most API calls one run may make (retries not counted): far more than a first
    #: back-fill of a big shop needs (a million orders is 10 000 list pages), a bound on what
    #: lying answers can make it send. A run that reaches it stops calmly, its progress saved.
    max_requests: int = 20_000

    def __post_init__(self) -> None:
        if min(self.history_days, self.window_days, self.window_concurrency,
               self.form_concurrency, self.max_requests) < 1:
            raise ValueError("history_days, window_days, concurrencies and max_requests "
                             "must be >= 1")
        if not PAGE_SIZE <= self.window_target <= MAX_RESULT_WINDOW:
            raise ValueError(f"window_target must be between {PAGE_SIZE} and "
                             f"{MAX_RESULT_WINDOW}")


# -- report ------------------------------------------------------------------------------------

class SyncPhase:
    """Names of the phases of a run, as they appear in progress and in `SyncReport.phases`."""

    BOOTSTRAP: Final = "bootstrap"
    BACKFILL: Final = "backfill"
    RECOVERY: Final = "recovery"  # the full re-scan after an expired cursor
    INCREMENTAL: Final = "incremental"
    RESCAN: Final = "rescan"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a run stands, handed to the `progress` callback after every page."""

    account_key: str
    phase: str
    pages: int
    forms: int  # forms received so far in this run
    expected: int | None  # forms the run knows it will receive (grows as windows are counted)
    events: int
    new: int
    updated: int

    @property
    def fraction(self) -> float | None:
        """Done share between 0 and 1, when the run knows its total."""
        if not self.expected:
            return None
        return min(self.forms / self.expected, 1.0)


@dataclass(slots=True)
class SyncReport:
    """The outcome of one run; `to_json()` gives plain JSON types."""

    account_key: str
    kind: str
    outcome: str
    started_at: datetime
    duration: float = 0.0  # seconds
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0  # checkout forms newly recorded as gone (404)
    events: int = 0  # events read from the journal
    events_stored: int = 0  # of them, new to the local journal
    malformed: int = 0  # forms or events the app could not read (kept aside, see module doc)
    pending: int = 0  # forms still waiting to be fetched again when the run ended
    requests: int = 0  # HTTP requests sent (API calls when no RequestCounter was given)
    retries: int | None = None  # requests repeated by the client; None when not counted
    rate_limited: int | None = None  # answers 429; None when not counted
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    new_order_ids: list[str] = field(default_factory=list)  # the new orders, as stored
    #: Of them, the ones announced as new (`SyncSettings.announce_within`; never a first
    #: back-fill's): what notifications and the webhook tell the seller about.
    announced_order_ids: list[str] = field(default_factory=list)
    cursor: str | None = None
    error: str | None = None
    #: The expected failure that ended the run (offline, rate limited, …), for callers that
    #: show a state per kind of failure; not part of `to_json()`.
    cause: AppError | None = field(default=None, repr=False, compare=False)

    @property
    def succeeded(self) -> bool:
        return self.outcome == RunOutcome.SUCCEEDED

    def to_json(self) -> dict[str, Any]:
        return {
            "account_key": self.account_key, "kind": self.kind, "outcome": self.outcome,
            "started_at": self.started_at.isoformat(), "duration": round(self.duration, 3),
            "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "gone": self.gone, "events": self.events, "events_stored": self.events_stored,
            "malformed": self.malformed, "pending": self.pending,
            "requests": self.requests, "retries": self.retries,
            "rate_limited": self.rate_limited,
            "phases": {name: round(seconds, 3) for name, seconds in self.phases.items()},
            "cursor": self.cursor, "error": self.error,
        }

    def add(self, result: BatchResult) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.gone += result.gone_added
        self.events_stored += result.events_added
        self.malformed += result.set_aside  # records the storage kept aside
        self.new_order_ids.extend(result.new_ids)
        self.announced_order_ids.extend(result.announced_ids)


class RequestCounter:
    """Counts the HTTP requests an `httpx.AsyncClient` really sends (retries included) and the
    429 answers among them, through its event hooks. Give the same counter to the engine to
    get `requests`, `retries` and `rate_limited`."""

    def __init__(self) -> None:
        self.sent = 0
        self.rate_limited = 0

    def install(self, http: httpx.AsyncClient) -> None:
        hooks = http.event_hooks
        hooks.setdefault("request", []).append(self._on_request)
        hooks.setdefault("response", []).append(self._on_response)
        http.event_hooks = hooks

    async def _on_request(self, _request: httpx.Request) -> None:
        self.sent += 1

    async def _on_response(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            self.rate_limited += 1


# -- records -----------------------------------------------------------------------------------

# Why a record is kept aside where the parser does not say it (the predicate of "<field> …",
# `domain.unreadable`).
_CANNOT_BE_READ: Final = QT_TRANSLATE_NOOP("Errors", "cannot be read")


@dataclass(slots=True)
class Batch:
    """What one step gathered for `apply_batch`."""

    orders: list[Order] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    pending: list[PendingForm] = field(default_factory=list)
    unreadable: list[UnreadableRecord] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.orders.extend(other.orders)
        self.gone.extend(other.gone)
        self.pending.extend(other.pending)
        self.unreadable.extend(other.unreadable)


def event_form_id(data: object) -> str | None:
    """The checkout-form id of an event that could not be read, if it can be made out (and
    is text: `text_id`)."""
    if not isinstance(data, Mapping):
        return None
    order = data.get("order")
    form = order.get("checkoutForm") if isinstance(order, Mapping) else None
    return text_id(form.get("id")) if isinstance(form, Mapping) else None


def form_id(form: object) -> str | None:
    """A form's id, when it has a usable one: a non-empty string that is text (`text_id`).
    One that is not can be neither stored nor asked for: the form is id-less."""
    return text_id(form.get("id")) if isinstance(form, Mapping) else None


def logged(form_id: str | None) -> str:
    """A form id for a log line: escaped, one line."""
    return "(no id)" if form_id is None else escaped(form_id)


def unreadable_reason(exc: MalformedResponseError, kind: RecordKind,
                      record_id: str | None) -> UnreadableReason:
    """Why a record `kind` was kept aside: the parser's reason; for any other broken answer
    (none is expected: the parser says why), "cannot be read", with the error as its
    detail."""
    if isinstance(exc, MalformedOrderError):
        return exc.reason
    return UnreadableReason(kind=kind, record_id=record_id, field=None,
                            problem=Text(_CANNOT_BE_READ),
                            detail=str(exc))


def shown(value: object) -> str:
    """A value Allegro sent, short enough for a log line or an error."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def canonical(raw: object) -> str:
    """One text per JSON value, whatever its key order."""
    return json.dumps(raw, sort_keys=True, default=str)


# -- run ---------------------------------------------------------------------------------------

class RunCancelled(Exception):  # noqa: N818 - internal signal, not an error
    """The run's `cancel` event was set: stop at the next page boundary."""


class SyncRun:
    """One run of `SyncEngine` for one account, from `start()` to `finish()`: what the engine
    works with (its client, repositories, settings and clock) and the run's own state.

    `kind` may change during the run (an incremental run whose cursor Allegro refuses becomes
    a re-scan); `told` are the orders not to announce again (told before a restore)."""

    def __init__(self, *, account_key: str, client: AllegroClient, orders: OrderRepository,
                 state: SyncStateRepository, settings: SyncSettings, clock: Clock,
                 counter: RequestCounter | None, kind: RunKind, now: datetime,
                 progress: Callable[[SyncProgress], None] | None,
                 cancel: asyncio.Event | None, told: frozenset[str]) -> None:
        self.account_key = account_key
        self.client = client
        self.orders = orders
        self.state = state
        self.settings = settings
        self.clock = clock
        self.kind = kind
        self.report = SyncReport(account_key, str(kind), RunOutcome.RUNNING, now)
        #: Forms the run knows it will receive (grows as windows are counted), None: unknown.
        self.expected: int | None = None
        #: What keeps the run from succeeding although it went on to the end (the first).
        self.incomplete: IncompleteSyncError | None = None
        self._counter = counter
        self._progress = progress
        self._cancel = cancel
        #: A new order bought since then is announced; never in a first back-fill.
        self._announce_since = (None if kind is RunKind.BACKFILL
                                else now - settings.announce_within)
        self._told = told
        self._run_id: int | None = None
        self._phase = ""
        self._calls = 0
        self._budget_spent = False
        self._pages = 0
        self._forms = 0
        self._sent_before = counter.sent if counter else 0
        self._limited_before = counter.rate_limited if counter else 0
        self._started = time.perf_counter()

    def __repr__(self) -> str:
        return f"SyncRun({self.account_key!r}, {self.kind})"

    # -- the run's record -----------------------------------------------------------------

    def start(self) -> None:
        """Record the run as under way (`SyncStateRepository.start_run`)."""
        self._started = time.perf_counter()
        self._run_id = self.state.start_run(account_key=self.account_key, kind=self.kind)

    def finish(self, outcome: RunOutcome, error: str | None) -> None:
        """Complete the report and record the run's end: its outcome, counts and error, and
        the account's last success or error."""
        assert self._run_id is not None, "finish() before start()"
        report = self.report
        report.kind = str(self.kind)
        report.outcome = str(outcome)
        report.error = error
        report.duration = time.perf_counter() - self._started
        if self._counter is not None:
            report.requests = self._counter.sent - self._sent_before
            report.retries = max(report.requests - self._calls, 0)
            report.rate_limited = self._counter.rate_limited - self._limited_before
        else:
            report.requests = self._calls
        report.cursor = self.state.get_sync_state(self.account_key).event_cursor
        report.pending = len(self.orders.pending_form_ids(self.account_key))
        metrics = RunMetrics(new=report.new, updated=report.updated,
                             unchanged=report.unchanged, events=report.events,
                             requests=report.requests, retries=report.retries or 0,
                             rate_limited=report.rate_limited or 0)
        self.state.finish_run(self._run_id, outcome=outcome, metrics=metrics, error=error,
                              kind=self.kind)
        state = self.state.get_sync_state(self.account_key)
        if outcome is RunOutcome.SUCCEEDED:
            state = replace(state, last_success_at=self.clock(), last_error=None)
        elif error is not None:
            state = replace(state, last_error=error)
        self.state.save_sync_state(state)
        log.info("sync of %s: %s in %.1f s (new %d, updated %d, unchanged %d, gone %d, "
                 "events %d, malformed %d, pending %d, requests %d)", self.account_key,
                 outcome, report.duration, report.new, report.updated, report.unchanged,
                 report.gone, report.events, report.malformed, report.pending,
                 report.requests)

    def defer(self, problem: IncompleteSyncError) -> None:
        """The run goes on, but ends FAILED with `problem` (the first one deferred)."""
        log.warning("sync of %s: %s", self.account_key, problem)
        if self.incomplete is None:
            self.incomplete = problem

    # -- the steps of every phase ---------------------------------------------------------

    async def call(self, request: Coroutine[Any, Any, _T]) -> _T:
        """Every API call of the run goes through here: counted, and refused past the run's
        budget (`SyncSettings.max_requests`)."""
        budget = self.settings.max_requests
        if self._calls >= budget:
            request.close()
            if not self._budget_spent:
                self._budget_spent = True
                log.warning("sync of %s: %d requests sent, the most one run may send: "
                            "stopping", self.account_key, budget)
            raise RequestBudgetError(budget)
        self._calls += 1
        return await request

    def check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise RunCancelled

    def expect(self, forms: int) -> None:
        """The run now knows of `forms` more forms it will receive (the progress's total)."""
        self.expected = (self.expected or 0) + forms

    def parse_forms(self, forms: Sequence[Mapping[str, Any]],
                    asked: Sequence[str] | None = None) -> Batch:
        """The orders of `forms`; the ones the app cannot read kept aside, and pending when
        their id is known — theirs, or for a form GET on its own (`asked`: the id each was
        asked for) the id asked for when its own is not usable."""
        batch = Batch()
        for index, data in enumerate(forms):
            try:
                batch.orders.append(parse_checkout_form(data, account_key=self.account_key))
            except MalformedResponseError as exc:
                self.report.malformed += 1
                known_id = form_id(data) or (asked[index] if asked is not None else None)
                log.warning("kept aside an unreadable checkout form %s: %s", logged(known_id),
                            exc)
                batch.unreadable.append(UnreadableRecord(
                    reason=unreadable_reason(exc, RecordKind.FORM, known_id), raw=data,
                    form_id=known_id))
                if known_id is not None:
                    batch.pending.append(PendingForm(known_id, "unreadable"))
        self._forms += len(forms)
        return batch

    def store(self, batch: Batch, events: Sequence[OrderEvent], cursor: str | None) -> None:
        """One page into the database: one `apply_batch` (the cursor moves with it, when
        given), its counts added to the run's report and row."""
        result = self.orders.apply_batch(
            account_key=self.account_key, orders=batch.orders, events=events, cursor=cursor,
            gone_ids=batch.gone, pending=batch.pending, unreadable_records=batch.unreadable,
            announce_since=self._announce_since, run_id=self._run_id)
        if self._told and result.announced_ids:
            result = replace(result, announced_ids=tuple(
                order_id for order_id in result.announced_ids if order_id not in self._told))
        self.report.add(result)
        self._pages += 1
        self._tell()

    def enter(self, phase: str) -> None:
        """Start a phase, and say so to the `progress` callback at once (a page may take a
        while to come)."""
        self._phase = phase
        self._tell()

    def timed(self, phase: str, began: float) -> None:
        """Add the time since `began` (`time.perf_counter()`) to the phase's in the report."""
        phases = self.report.phases
        phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - began

    def _tell(self) -> None:
        if self._progress is not None:
            report = self.report
            self._progress(SyncProgress(
                account_key=self.account_key, phase=self._phase, pages=self._pages,
                forms=self._forms, expected=self.expected, events=report.events,
                new=report.new, updated=report.updated))


# -- fetch -------------------------------------------------------------------------------------

async def list_windows(run: SyncRun, windows: Sequence[Window],
                       extra: Mapping[str, str] | None = None, *,
                       seen: set[str] | None = None,
                       on_listed: Callable[[Window], None] | None = None,
                       on_page: Callable[[Window, datetime], None] | None = None
                       ) -> list[Window]:
    """Every window, `window_concurrency` at a time; too big ones are split and queued.
    The ids listed are added to `seen`; `on_listed` hears of each window listed to its
    end and verified (a split window through its parts), `on_page` of each keyset
    position reached by a window still verified. A window whose pages did not add up
    (`_list_window`) is listed once more at the end; the ones still not verified then
    are returned."""
    unverified = await _list_all(run, windows, extra, seen=seen, on_listed=on_listed,
                                  on_page=on_page)
    if unverified:
        log.warning("%d list windows repeated orders within a page: listing them again",
                    len(unverified))
        unverified = await _list_all(run, unverified, extra, seen=seen, on_listed=on_listed,
                                  on_page=on_page)
    return unverified


async def _list_all(run: SyncRun, windows: Sequence[Window], extra: Mapping[str, str] | None,
                    *, seen: set[str] | None,
                    on_listed: Callable[[Window], None] | None,
                    on_page: Callable[[Window, datetime], None] | None
                    ) -> list[Window]:
    queue: asyncio.Queue[Window] = asyncio.Queue()
    for window in windows:
        queue.put_nowait(window)
    failures: list[BaseException] = []
    unverified: list[Window] = []

    async def worker() -> None:
        while True:
            window = await queue.get()
            try:
                if not failures:
                    parts, verified = await _list_window(run, window, extra, failures,
                                                         seen_sink=seen, on_page=on_page)
                    for child in parts:
                        queue.put_nowait(child)
                    if not parts and not failures:
                        if not verified:
                            unverified.append(window)
                        elif on_listed is not None:
                            on_listed(window)
            except Exception as exc:
                failures.append(exc)
            finally:
                queue.task_done()

    workers = [asyncio.create_task(worker())
               for _ in range(run.settings.window_concurrency)]
    try:
        await queue.join()
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    if failures:
        raise failures[0]
    return unverified


async def _list_window(run: SyncRun, window: Window, extra: Mapping[str, str] | None,
                       failures: list[BaseException], *,
                       seen_sink: set[str] | None = None,
                       on_page: Callable[[Window, datetime], None] | None = None
                       ) -> tuple[list[Window], bool]:
    """List and store one window page by page (keyset paging: ARCHITECTURE.md "The sync
    engine"): `([], verified)`; or, when it is too big (`Window.parts_for`), `(its parts,
    True)` with nothing stored. Verified: no page repeated an order and the keyset position
    moved on with every full page — what was read adds up, whatever `totalCount` said."""
    start_ms, end = ms(window.start), window.end
    skip = 0  # orders at exactly `start_ms` already read
    at_start: set[str] = set()  # their ids
    seen: set[str] = set()
    complete = verified = True
    first = True
    while True:
        run.check_cancel()
        if failures:
            return [], False
        page_window = Window(window.field, from_ms(start_ms), end)
        body = await run.call(run.client.checkout_forms(
            {**page_window.filters(), **(extra or {})}, offset=skip, limit=PAGE_SIZE,
            sort=window.field))
        forms = body["checkoutForms"]
        ids = [form_id(form) for form in forms]
        distinct = {one_id for one_id in ids if one_id is not None}
        full = len(forms) >= PAGE_SIZE
        if first:
            first = False
            total = max(int(body["totalCount"]), 0)
            parts = window.parts_for(total, full=full, target=run.settings.window_target)
            if parts > 1:
                log.info("%s %s..%s holds %d orders: split into %d parts", window.field,
                         iso(window.start), iso(window.end), total, parts)
                return window.split(parts), True
            if not full and total != len(distinct):
                log.warning("%s %s..%s: totalCount %d, but the list holds %d orders",
                            window.field, iso(window.start), iso(window.end), total,
                            len(distinct))
            run.expect(total if full else len(distinct))
        if len(distinct) < len(forms) - ids.count(None):
            if verified:
                log.warning("%s %s..%s: a page of %d orders repeats %d of them: the "
                            "window will be listed again", window.field,
                            iso(window.start), iso(window.end), len(forms),
                            len(forms) - ids.count(None) - len(distinct))
            verified = False
        unique = {id(form) if one_id is None else one_id: form
                  for one_id, form in zip(ids, forms, strict=True)}
        run.store(run.parse_forms(list(unique.values())), (), None)
        seen.update(distinct)
        if not full:
            break  # the last page (or fewer orders than totalCount promised, [#3740])
        times = [form_time(form, window.field) for form in forms]
        known = [at for at in times if at is not None]
        if verified and any(b < a for a, b in itertools.pairwise(known)):
            log.warning("%s %s..%s: a page is not in time order: the window will be "
                        "listed again", window.field, iso(window.start), iso(window.end))
            verified = False
        last = times[-1]
        if last is None or not start_ms <= last <= ms(end):
            # No usable time (or one outside the window, which a keyset position there
            # would skip the rest of the window for): page on by offset.
            skip += len(forms)
        else:
            # Distinct ids: a page repeating an order at its last time must not make the
            # next page skip an order not read yet.
            at_last = {one_id for one_id, at in zip(ids, times, strict=True)
                       if at == last and one_id is not None}
            if last == start_ms:
                at_last |= at_start
            if last == start_ms and len(at_last) <= skip:
                log.warning("%s %s..%s: a full page brought no new order at %s: the "
                            "window will be listed again", window.field,
                            iso(window.start), iso(window.end), iso(from_ms(last)))
                verified = False
                break
            start_ms, skip, at_start = last, len(at_last), at_last
            if verified and on_page is not None:
                on_page(window, from_ms(start_ms))
        if skip + PAGE_SIZE > MAX_RESULT_WINDOW:
            complete = False
            log.warning("more than %d orders at %s: not all can be listed",
                        MAX_RESULT_WINDOW, from_ms(start_ms))
            break
    if seen_sink is not None:
        seen_sink.update(seen)
    if complete and verified and window.field == BOUGHT_AT and not extra:
        await _reconcile(run, window, seen)
    return [], verified


async def _reconcile(run: SyncRun, window: Window, seen: set[str]) -> None:
    """Stored orders of a fully listed `boughtAt` window that the list no longer has were
    merged into another purchase (no event names them, [#2141]): ask for each; a 404
    marks it gone."""
    missing = run.orders.ids_bought_between(run.account_key, window.start,
                                            window.end) - seen
    if missing:
        log.info("%d stored orders missing from %s..%s: checking them", len(missing),
                 window.start, window.end)
        run.store(await fetch_forms(run, sorted(missing)), (), None)


async def fetch_forms(run: SyncRun, wanted: Sequence[str], *,
                      all_may_fail: bool = False) -> Batch:
    """GET each form, `form_concurrency` at a time. A 404 is a gone id; a form Allegro
    refuses (another 4xx) becomes pending; so does a form Allegro keeps failing on (5xx,
    network) — unless every one failed so (and not `all_may_fail`): then Allegro is in
    trouble, and the error is raised."""
    limit = asyncio.Semaphore(run.settings.form_concurrency)
    gone: list[str] = []
    failed: list[tuple[str, AppError]] = []
    refused: list[str] = []

    async def fetch(one_id: str) -> dict[str, Any] | None:
        async with limit:
            run.check_cancel()
            try:
                return await run.call(run.client.checkout_form(one_id))
            except NotFoundError as exc:
                if exc.code != "CheckoutFormNotFoundException":
                    # A 404 of a gateway or proxy says nothing about the order: asked
                    # for again, like any other refusal of this one form.
                    log.warning("checkout form %s refused, to be asked again: %s",
                                logged(one_id), exc)
                    refused.append(one_id)
                else:
                    log.info("checkout form %s is gone (404: merged or too old)",
                             logged(one_id))
                    gone.append(one_id)
            except NotAcceptableError:
                raise  # the app's media type, not this form: every request gets it
            except ApiError as exc:
                # A 4xx about this one form (an id Allegro finds invalid, another
                # seller's order): it never holds the others, the cursor or later syncs
                # back, and is asked for again at every sync.
                log.warning("checkout form %s refused, to be asked again: %s",
                            logged(one_id), exc)
                refused.append(one_id)
            except (ServerError, MalformedResponseError, NetworkError) as exc:
                log.warning("checkout form %s failed, to be asked again: %s",
                            logged(one_id), exc)
                failed.append((one_id, exc))
            return None

    results = await _gather(fetch(one_id) for one_id in wanted)
    if failed and len(failed) == len(wanted) and not all_may_fail:
        raise failed[0][1]
    batch = run.parse_forms(
        [data for data in results if data is not None],
        asked=[one_id for one_id, data in zip(wanted, results, strict=True)
               if data is not None])
    batch.gone.extend(gone)
    batch.pending.extend(PendingForm(one_id, "failed")
                         for one_id in [*(one_id for one_id, _ in failed), *refused])
    return batch


async def _gather(coroutines: Iterable[Awaitable[_T]]) -> list[_T]:
    """Run every coroutine; the first failure cancels the rest and is raised."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


# -- planner -----------------------------------------------------------------------------------

# Why an event is kept aside, where the parser does not say it (the predicate of "<field> …",
# `domain.unreadable`).
_IMPLAUSIBLE_EVENT_ID: Final = QT_TRANSLATE_NOOP(
    "Errors", "is not one Allegro can have given (digits of a 64-bit number, at most a day "
    "past %1): %2")

EVENTS_PAGE: Final = 1000
#: Below this many wanted forms, one GET each is always the way (no planning).
_PLAN_MIN: Final = 24
#: What one list page (100 forms) costs against one single-form GET: more bytes to read.
_LIST_PAGE_COST: Final = 2
#: How far before its first event a form the app has never stored may have been bought, for
#: the list windows of the incremental planner (a miss costs one GET, nothing else).
_UNKNOWN_SLACK: Final = timedelta(minutes=10)


class CursorRefused(Exception):  # noqa: N818 - internal signal, not an error
    """Allegro answered 400/422 to `/order/events?from=cursor` (or without `from`)."""

    def __init__(self, cursor: str | None, cause: AppError) -> None:
        super().__init__(cursor)
        self.cursor = cursor
        self.cause = cause


async def read_journal(run: SyncRun, state: SyncState) -> SyncState:
    """The incremental step: first the pending forms asked for again, then the journal's
    pages from the cursor to its end, each page's changed forms fetched and stored in one
    transaction with the cursor. Raises `CursorRefused` when Allegro refuses the cursor."""
    began = time.perf_counter()
    run.enter(SyncPhase.INCREMENTAL)
    pending = run.orders.pending_form_ids(run.account_key)
    if pending:
        log.info("asking again for %d pending checkout forms", len(pending))
        run.expect(len(pending))
        run.store(await fetch_forms(run, pending, all_may_fail=True), (), None)
    cursor = state.event_cursor
    at_end = True
    while True:
        run.check_cancel()
        try:
            page = await run.call(run.client.order_events(from_id=cursor, limit=EVENTS_PAGE))
        except ValidationError as exc:
            raise CursorRefused(cursor, exc) from None
        if not page:
            break
        run.report.events += len(page)
        events, unreadable, extra_ids, advanced = read_events(run, page, cursor)
        batch = await _fetch_changed(run, events, extra_ids)
        batch.unreadable.extend(unreadable)
        run.store(batch, events, advanced)
        if advanced is None:
            # Asking from the same cursor would bring the same page for ever.
            at_end = False
            run.defer(JournalStuckError(cursor))
            break
        cursor = advanced
    state = replace(run.state.get_sync_state(run.account_key), event_cursor=cursor)
    if at_end:
        # The journal is read to its end: it is complete up to now (`cursor_saved_at`).
        state = replace(state, cursor_saved_at=run.clock())
    run.state.save_sync_state(state)
    run.timed(SyncPhase.INCREMENTAL, began)
    return state


def read_events(run: SyncRun, page: Sequence[Any], cursor: str | None
                ) -> tuple[list[OrderEvent], list[UnreadableRecord], list[str], str | None]:
    """The readable events of a page; the others kept aside, with the form ids still made
    out; and the cursor after the page: the id of its last event that the cursor may
    take (`plausible_event_id`, which also keeps aside an event whose id it refuses),
    None when none may."""
    now = run.clock()
    occurred = [parse_time(data.get("occurredAt")) for data in page
                if isinstance(data, Mapping)]
    newest = max([now, *(moment for moment in occurred if moment is not None)])
    events: list[OrderEvent] = []
    unreadable: list[UnreadableRecord] = []
    form_ids: list[str] = []
    advanced: str | None = None
    for data in page:
        raw_id = data.get("id") if isinstance(data, Mapping) else None
        event_id = plausible_event_id(raw_id, newest=newest)
        try:
            if isinstance(data, Mapping) and event_id is None:
                raise MalformedOrderError(UnreadableReason(
                    kind=RecordKind.EVENT, record_id=None, field="id",
                    problem=Text(_IMPLAUSIBLE_EVENT_ID, Moment(newest.timestamp()),
                                 shown(raw_id))))
            events.append(parse_event(data))  # one that is not an object is refused
        except MalformedResponseError as exc:
            form_id = event_form_id(data)
            log.warning("kept aside an unreadable order event (form %s): %s",
                        logged(form_id), exc)
            unreadable.append(UnreadableRecord(
                reason=unreadable_reason(exc, RecordKind.EVENT, None), raw=data,
                form_id=form_id))
            if form_id is not None:
                form_ids.append(form_id)
        if event_id is not None and plausible_event_id(event_id, newest=newest,
                                                       after=cursor) is not None:
            advanced = event_id
    run.report.malformed += len(unreadable)
    return events, _not_kept_yet(run, unreadable), form_ids, advanced


def _not_kept_yet(run: SyncRun, records: list[UnreadableRecord]) -> list[UnreadableRecord]:
    """The event records not already kept aside as they are: a journal stuck on an event
    brings it again at every sync, and it is kept once."""
    if not records:
        return records
    kept = set()
    for row in run.orders.unreadable_records(run.account_key):
        if row.get("kind") == "event":
            try:
                kept.add(canonical(json.loads(row["raw"])))
            except (ValueError, TypeError, KeyError):
                continue
    return [record for record in records if canonical(record.raw) not in kept]


async def _fetch_changed(run: SyncRun, events: Sequence[OrderEvent],
                         extra_ids: Sequence[str]) -> Batch:
    """The forms the events say changed: a form is wanted unless the stored copy has the
    revision of every event of the page for it and none of them is
    FULFILLMENT_STATUS_CHANGED; forms recorded as gone are not asked for again."""
    by_form: dict[str, list[OrderEvent]] = {form_id: [] for form_id in extra_ids}
    for event in events:
        if event.checkout_form_id:
            by_form.setdefault(event.checkout_form_id, []).append(event)
    if not by_form:
        return Batch()
    gone_known = run.orders.gone_form_ids(run.account_key)
    revisions = run.orders.stored_revisions(run.account_key, list(by_form))
    wanted: dict[str, list[OrderEvent]] = {}
    for form_id, form_events in by_form.items():
        if form_id in gone_known:
            continue
        revision = revisions.get(form_id)
        if (revision is None or not form_events
                or any(e.revision != revision for e in form_events)
                or any(e.type == EventType.FULFILLMENT_STATUS_CHANGED
                       for e in form_events)):
            wanted[form_id] = form_events
    run.expect(len(wanted))
    windows, singles = plan(run, wanted)
    log.debug("%d changed forms: %d to list in %d windows, %d to fetch one by one",
              len(wanted), len(wanted) - len(singles), len(windows), len(singles))
    batch = Batch()
    if windows:
        listed: set[str] = set()
        await list_windows(run, windows, seen=listed)
        missed = [form_id for form_id in wanted if form_id not in listed
                  and form_id not in singles]
        if missed:
            log.debug("%d changed forms were not in the lists: fetching them one by one",
                      len(missed))
        singles += missed
    batch.extend(await fetch_forms(run, singles))
    return batch


def plan(run: SyncRun, wanted: Mapping[str, Sequence[OrderEvent]]
         ) -> tuple[list[Window], list[str]]:
    """How to fetch the wanted forms: `boughtAt` windows to list, and ids to GET one by
    one. A stored form is placed at its `bought_at`, a new one a little before its first
    event; a group of them is listed when its span holds few enough orders that listing
    costs fewer requests than the GETs would, else it is split at its widest gap."""
    if len(wanted) < _PLAN_MIN:
        return [], list(wanted)
    bought = run.orders.bought_at_of(run.account_key, list(wanted))
    points: list[tuple[datetime, str, bool]] = []
    for form_id, form_events in wanted.items():
        if form_id in bought:
            points.append((bought[form_id], form_id, True))
        elif form_events:
            first = min(e.occurred_at for e in form_events)
            points.append((first - _UNKNOWN_SLACK, form_id, False))
    placed = {form_id for _, form_id, _ in points}
    singles = [form_id for form_id in wanted if form_id not in placed]
    points.sort()
    if not points:
        return [], singles
    stored_times = run.orders.bought_at_times(
        run.account_key, points[0][0], points[-1][0] + _UNKNOWN_SLACK)

    def stored_between(start: datetime, end: datetime) -> int:
        return (bisect.bisect_right(stored_times, ms(end))
                - bisect.bisect_left(stored_times, ms(start)))

    windows: list[Window] = []
    groups = [points]
    while groups:
        group = groups.pop()
        if len(group) < _PLAN_MIN:
            singles += [form_id for _, form_id, _ in group]
            continue
        # A new form was bought up to its first event (its point + the slack), not after.
        start = group[0][0]
        end = max(at if known else at + _UNKNOWN_SLACK
                  for at, _, known in group) + timedelta(milliseconds=1)
        new = sum(1 for point in group if not point[2])
        pages = math.ceil(
            (stored_between(start, end) + new + 1)
            / PAGE_SIZE)
        if pages * _LIST_PAGE_COST <= len(group):
            windows.append(Window(BOUGHT_AT, start, end))
            continue
        gaps = [group[i + 1][0] - group[i][0] for i in range(len(group) - 1)]
        cut = gaps.index(max(gaps)) + 1
        groups += [group[:cut], group[cut:]]
    return windows, singles


class SyncEngine:
    """Syncs one account. Create one per run or reuse it; runs of one engine must not overlap
    (each `run()` keeps its state in a `SyncRun` of its own).

    `orders` and `state` are the repositories of the account's database; `clock` gives the
    current UTC time (the history depth, re-scan and cursor-age decisions);
    `counter` (optional) is installed on the client's httpx client by whoever made it.
    """

    def __init__(self, *, account_key: str, client: AllegroClient, orders: OrderRepository,
                 state: SyncStateRepository,
                 settings: SyncSettings | None = None, clock: Clock = utc_now,
                 counter: RequestCounter | None = None) -> None:
        self.account_key = account_key
        self._client = client
        self._orders = orders
        self._state = state
        self.settings = settings or SyncSettings()
        self._clock = clock
        self._counter = counter

    def __repr__(self) -> str:
        return f"SyncEngine({self.account_key!r})"

    # -- the run ------------------------------------------------------------------------------

    async def run(self, progress: Callable[[SyncProgress], None] | None = None,
                  cancel: asyncio.Event | None = None) -> SyncReport:
        """Sync once. Failures of the sync itself (offline, rate limited, …; see the module
        doc) do not raise: the report says what happened. A database that cannot even record
        the run raises its `StorageError`; bugs are recorded as a failed run and re-raised;
        a cancelled task is recorded as CANCELLED and re-raised."""
        state = self._state.get_sync_state(self.account_key)
        now = self._clock()
        if not state.backfill_done:
            kind = RunKind.BACKFILL
        elif (self._cursor_expired(state, now)
              or not stored_cursor_usable(state.event_cursor, now)):
            kind = RunKind.RESCAN
        else:
            kind = RunKind.INCREMENTAL
        run = SyncRun(account_key=self.account_key, client=self._client, orders=self._orders,
                      state=self._state, settings=self.settings, clock=self._clock,
                      counter=self._counter, kind=kind, now=now, progress=progress,
                      cancel=cancel, told=self._told_before_restore(now))
        run.start()
        outcome, error = RunOutcome.SUCCEEDED, None
        try:
            await self._run(run, state)
        except RunCancelled:
            outcome = RunOutcome.CANCELLED
        except asyncio.CancelledError:
            run.finish(RunOutcome.CANCELLED, None)
            raise
        except AppError as exc:
            outcome, error = RunOutcome.FAILED, exc.detailed_message
            run.report.cause = exc
            log.warning("sync of %s failed: %s", self.account_key, error)
        except Exception as exc:
            run.finish(RunOutcome.FAILED, f"internal error: {exc!r}")
            raise
        run.finish(outcome, error)
        return run.report

    async def _run(self, run: SyncRun, state: SyncState) -> None:
        if run.kind is RunKind.BACKFILL:
            state = await self._bootstrap(run, state, SyncPhase.BACKFILL)
        elif run.kind is RunKind.RESCAN:
            if stored_cursor_usable(state.event_cursor, self._clock()):
                log.warning("the event journal of %s was last read %s: more than the retention "
                            "allows; re-scanning the whole history", self.account_key,
                            state.cursor_saved_at)
            else:
                log.warning("the stored event cursor of %s (%.40r) is not an event id Allegro "
                            "can have given; re-scanning the whole history", self.account_key,
                            state.event_cursor)
            state = await self._bootstrap(run, state, SyncPhase.RECOVERY)
        state = await self._read_journal(run, state)
        now = self._clock()
        if run.kind is RunKind.INCREMENTAL and (state.last_rescan_at is None or (
                now - state.last_rescan_at >= self.settings.rescan_interval)):
            await self._rescan(run, state, now)
        if run.incomplete is not None:
            raise run.incomplete

    async def _read_journal(self, run: SyncRun, state: SyncState) -> SyncState:
        """The incremental step, recovering from a cursor Allegro refuses (422 on `from`):
        first as from an expired cursor (a fresh event-stats id and a re-scan of the whole
        history, unless this run just did that), then — refused again — from the journal's
        start, which needs no `from` at all."""
        from_start = False
        while True:
            try:
                return await read_journal(run, state)
            except CursorRefused as refused:
                if refused.cursor is None:  # nothing else to try
                    raise CursorRejectedError(refused.cause) from None
                if run.kind is RunKind.INCREMENTAL:
                    log.warning("Allegro refused the event cursor %s of %s (%s): re-scanning "
                                "the whole history as for an expired cursor", refused.cursor,
                                self.account_key, refused.cause)
                    run.kind = RunKind.RESCAN
                    state = await self._bootstrap(run, state, SyncPhase.RECOVERY)
                elif not from_start:
                    log.warning("Allegro refused the event cursor %s of %s right after a "
                                "re-scan (%s): reading the journal from its start",
                                refused.cursor, self.account_key, refused.cause)
                    state = replace(state, event_cursor=None)
                    from_start = True
                else:
                    raise CursorRejectedError(refused.cause) from None

    def _told_before_restore(self, now: datetime) -> frozenset[str]:
        """The orders the seller was told of before the database was restored from a backup
        (`OrderRepository.told_before_restore`): stored again by a sync, they are not
        announced again. Only while such an order could still be announced."""
        told = self._orders.told_before_restore()
        if told is None or now - told[0] > self.settings.announce_within:
            return frozenset()
        return told[1]

    def _cursor_expired(self, state: SyncState, now: datetime) -> bool:
        # `cursor_saved_at` is when the journal was last read to its end (a page committed
        # midway does not move it), so events after the cursor are at most this old. The
        # cursor event's own age says nothing: a quiet shop's last event may be months old.
        seen = state.cursor_saved_at or state.last_success_at
        return seen is None or now - seen > self.settings.cursor_max_age

    # -- bootstrap and back-fill ------------------------------------------------------------------

    async def _bootstrap(self, run: SyncRun, state: SyncState, phase: str) -> SyncState:
        """Starting cursor first, then every window of the history depth not yet listed."""
        began = time.perf_counter()
        run.enter(SyncPhase.BOOTSTRAP)
        now = self._clock()
        progress = BackfillProgress.load(state.backfill_progress)
        if progress is not None and now - progress.stats_read_at > self.settings.cursor_max_age:
            log.info("the interrupted back-fill of %s is too old to resume", self.account_key)
            progress = None
        if progress is None:
            # The journal is complete up to the moment event-stats answered (not the end of
            # the back-fill, which can take a while): the age the 55-day check must see.
            stats_read_at = self._clock()
            progress = BackfillProgress(cursor=await self._starting_cursor(run, stats_read_at),
                                        stats_read_at=stats_read_at)
            self._save_progress(progress)
        else:
            log.info("resuming the back-fill of %s (%d spans already listed)",
                     self.account_key, len(progress.covered))
        run.timed(SyncPhase.BOOTSTRAP, began)
        began = time.perf_counter()
        run.enter(phase)
        # A day past now: a local clock behind Allegro's must not cut off today's orders.
        windows = [part for window in windows_between(
            BOUGHT_AT, now - timedelta(days=self.settings.history_days), now + timedelta(days=1),
            self.settings.window_days) for part in window.minus(progress.covered)]

        def listed(window: Window) -> None:
            progress.listed(window)
            self._save_progress(progress)

        def read_up_to(window: Window, reached: datetime) -> None:
            progress.read_up_to(window, reached)
            self._save_progress(progress)

        unverified = await list_windows(run, windows, on_listed=listed, on_page=read_up_to)
        if unverified:
            # The back-fill is not done: its progress keeps what was listed consistently,
            # the next run lists the rest again with the same starting cursor.
            raise InconsistentListError(span_texts(unverified))
        state = replace(self._state.get_sync_state(self.account_key),
                        event_cursor=progress.cursor, cursor_saved_at=progress.stats_read_at,
                        backfill_done=True, backfill_progress=None, last_rescan_at=now)
        self._state.save_sync_state(state)
        run.timed(phase, began)
        return state

    async def _starting_cursor(self, run: SyncRun, now: datetime) -> str | None:
        """`latestEvent.id` of event-stats when it is plausible (`plausible_event_id`). None —
        the journal is then read from its start, 60 days of events — when nothing happened in
        60 days, and also when the answer is unusable: a cursor Allegro never gave would fail
        every later sync (422) or skip events for good (an id far ahead)."""
        try:
            latest = await run.call(self._client.event_stats())
        except MalformedResponseError as exc:
            log.warning("unusable /order/event-stats answer for %s (%s): the event journal "
                        "will be read from its start", self.account_key, exc)
            return None
        if latest is None:
            return None
        occurred = parse_time(latest.get("occurredAt"))
        cursor = plausible_event_id(latest.get("id"),
                                    newest=max(now, occurred) if occurred else now)
        if cursor is None:
            log.warning("/order/event-stats gave %s an implausible latest event id %.40r "
                        "(occurred at %.40r): the event journal will be read from its start",
                        self.account_key, latest.get("id"), latest.get("occurredAt"))
        return cursor

    def _save_progress(self, progress: BackfillProgress) -> None:
        self._state.save_sync_state(replace(self._state.get_sync_state(self.account_key),
                                            backfill_progress=progress.dump()))

    # -- periodic re-scan ---------------------------------------------------------------------

    async def _rescan(self, run: SyncRun, state: SyncState, now: datetime) -> None:
        began = time.perf_counter()
        run.enter(SyncPhase.RESCAN)
        days = timedelta(days=self.settings.rescan_days)
        oldest = now - timedelta(days=self.settings.history_days)
        # Purchases since `rescan_days` before the previous re-scan: a merge of orders bought
        # just before a long pause is still seen (no event names the merged-away forms).
        bought_since = now - days
        if state.last_rescan_at is not None:
            bought_since = min(bought_since, state.last_rescan_at - days)
        bought = Window(BOUGHT_AT, max(bought_since, oldest), now + timedelta(days=1))
        since = now - days
        if state.last_rescan_at is not None:
            since = min(since, state.last_rescan_at - timedelta(days=1))
        updated = Window(UPDATED_AT, max(since, oldest), now + timedelta(days=1))
        unverified = await list_windows(run, [bought, updated])
        if unverified:
            # Not done: the next run re-scans (what was read is stored).
            run.defer(InconsistentListError(span_texts(unverified)))
        else:
            self._state.save_sync_state(replace(self._state.get_sync_state(self.account_key),
                                                last_rescan_at=now))
        run.timed(SyncPhase.RESCAN, began)
