"""`SyncEngine`: one account's orders from Allegro into the local database (DESIGN.md §4).

Pure asyncio and storage, no Qt: the GUI runs it on the sync thread (`sync/worker.py`), the
headless `allegro-desktop sync` runs it directly, tests run it against the emulator.

One `run()`:

1. **Bootstrap** (no cursor yet, or the back-fill never finished): read `/order/event-stats`
   FIRST and keep `latestEvent.id` as the starting cursor (FACTS.md §4.2, §7.2), then back-fill
   `/order/checkout-forms` in `lineItems.boughtAt` windows over `history_days`, sorted
   ascending (orders bought meanwhile land at the end of the last window, never shifting a page
   that is still to come), pages of 100. A window whose `totalCount` is above `window_target`
   is split into equal parts (so it stays well under the 10 000 `offset+limit` cap and big
   months are fetched in parallel); windows run on `window_concurrency` tasks, the
   `RequestGovernor` paces them all. Each page is one `apply_batch(cursor=None)`. Only when every
   window is done is the starting cursor saved (with `backfill_done`): a back-fill killed half
   way simply runs again — upserts are idempotent and unchanged forms are not rewritten.
2. **Incremental**: `/order/events?from=cursor&limit=1000` until an empty page. Per page: the
   distinct checkout-form ids; each form is fetched (`form_concurrency` at a time) unless the
   stored copy has the revision of every event of the page for it and none of them is
   FULFILLMENT_STATUS_CHANGED (revision does not move on fulfillment changes, FACTS.md §4.4);
   a 404 is a gone form (merged purchase), recorded, never blocking; forms already recorded as
   gone are not asked again. Then ONE `apply_batch(orders, events, cursor=<last event id of the
   page>, gone_ids)`: the cursor is the id of the last event processed, never a later
   event-stats id, and it moves in the transaction of the orders it stands for.
3. **Safety nets**:
   - the journal keeps 60 days. When the journal was last read to its end more than
     `cursor_max_age` (55 days) ago, events may be lost: the engine reads a fresh event-stats
     id, then re-scans the WHOLE history depth like the back-fill (not just the days since the
     cursor: an old order may have changed meanwhile, and a fulfillment change moves neither
     `boughtAt` nor `updatedAt`), then continues from the fresh id;
   - a periodic re-scan, at most every `rescan_interval` (default 1 hour; `timedelta(0)` =
     every run; never in a run that just back-filled or recovered, which re-scanned anyway):
     the last `rescan_days` of `lineItems.boughtAt`, and every form whose `updatedAt` is at or
     after the previous re-scan minus a day (at least the last `rescan_days`). It catches
     events Allegro lost or delayed; fulfillment changes are left to
     the journal, which is why the journal is primary;
   - every fully listed `boughtAt` window (back-fill, recovery, re-scan) is reconciled: stored
     orders of that window the list no longer has are asked for one by one, and a 404 marks
     them gone. That is how a purchase merged after it was stored is noticed — no event names
     the old ids (the emulator's `orders/merge` records only the new form's FILLED_IN).
4. Each run is recorded with `SyncStateRepository.start_run` / `finish_run`. Expected failures
   (offline, rate limited, Allegro's 5xx after retries, reconnect needed, database errors) end
   the run calmly: outcome FAILED, the reason in the report and the run history, the cursor at
   the last committed page. `cancel` is honoured between pages (outcome CANCELLED).

`cursor_saved_at` of the sync state is rewritten (same cursor) whenever the journal has been
read to its end, so it means "journal known complete up to here" — what the 55-day check needs.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

import httpx

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.errors import MalformedResponseError, NotFoundError
from allegro_desktop.api.parsing import parse_checkout_form, parse_event
from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.orders import EventType, Order, OrderEvent
from allegro_desktop.storage import (
    BatchResult,
    Database,
    OrderRepository,
    RunKind,
    RunMetrics,
    RunOutcome,
    SyncState,
    SyncStateRepository,
)
from allegro_desktop.sync.queries import ids_bought_between, stored_revisions

__all__ = [
    "RequestCounter",
    "SyncEngine",
    "SyncPhase",
    "SyncProgress",
    "SyncReport",
    "SyncSettings",
]

log = logging.getLogger("allegro_desktop.sync")

#: Allegro refuses `offset + limit > 10000` on /order/checkout-forms (FACTS.md §4.3).
MAX_RESULT_WINDOW: Final = 10_000
PAGE_SIZE: Final = 100
EVENTS_PAGE: Final = 1000
BOUGHT_AT: Final = "lineItems.boughtAt"
UPDATED_AT: Final = "updatedAt"
#: A window is never split below this span (a second of orders cannot hold 10 000 orders).
_MIN_SPAN: Final = timedelta(seconds=1)

Clock = Callable[[], datetime]
_T = TypeVar("_T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class SyncPhase:
    """Names of the phases of a run, as they appear in progress and in `SyncReport.phases`."""

    BOOTSTRAP: Final = "bootstrap"
    BACKFILL: Final = "backfill"
    RECOVERY: Final = "recovery"  # the full re-scan after an expired cursor
    INCREMENTAL: Final = "incremental"
    RESCAN: Final = "rescan"


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """How the engine syncs. The defaults are what the app uses."""

    history_days: int = 365  # Allegro guarantees 12 months (FACTS.md §4.3)
    window_days: int = 30  # the back-fill's first windows; big ones are split
    window_target: int = 2500  # split a window holding more orders than this
    window_concurrency: int = 4
    form_concurrency: int = 8
    rescan_days: int = 3
    rescan_interval: timedelta = timedelta(hours=1)
    cursor_max_age: timedelta = timedelta(days=55)  # the journal keeps 60 days

    def __post_init__(self) -> None:
        if min(self.history_days, self.window_days, self.window_concurrency,
               self.form_concurrency) < 1:
            raise ValueError("history_days, window_days and concurrencies must be >= 1")
        if not PAGE_SIZE <= self.window_target <= MAX_RESULT_WINDOW:
            raise ValueError(f"window_target must be between {PAGE_SIZE} and "
                             f"{MAX_RESULT_WINDOW}")


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a run stands, handed to the `progress` callback after every page."""

    account_key: str
    phase: str
    pages: int
    forms: int
    events: int
    new: int
    updated: int


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
    malformed: int = 0  # forms or events the app could not read (skipped, logged)
    requests: int = 0  # HTTP requests sent (API calls when no RequestCounter was given)
    retries: int | None = None  # requests repeated by the client; None when not counted
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    cursor: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.outcome == RunOutcome.SUCCEEDED

    def to_json(self) -> dict[str, Any]:
        return {
            "account_key": self.account_key, "kind": self.kind, "outcome": self.outcome,
            "started_at": self.started_at.isoformat(), "duration": round(self.duration, 3),
            "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "gone": self.gone, "events": self.events, "events_stored": self.events_stored,
            "malformed": self.malformed, "requests": self.requests, "retries": self.retries,
            "phases": {name: round(seconds, 3) for name, seconds in self.phases.items()},
            "cursor": self.cursor, "error": self.error,
        }

    def add(self, result: BatchResult) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.gone += result.gone_added
        self.events_stored += result.events_added


class RequestCounter:
    """Counts the HTTP requests an `httpx.AsyncClient` really sends (retries included), through
    its event hooks. Give the same counter to the engine to get `requests` and `retries`."""

    def __init__(self) -> None:
        self.sent = 0

    def install(self, http: httpx.AsyncClient) -> None:
        hooks = http.event_hooks
        hooks.setdefault("request", []).append(self._on_request)
        http.event_hooks = hooks

    async def _on_request(self, _request: httpx.Request) -> None:
        self.sent += 1


class _Cancelled(Exception):  # noqa: N818 - internal signal, not an error
    """The `cancel` event was set: stop at the next page boundary."""


@dataclass(frozen=True, slots=True)
class _Window:
    """A time window of `/order/checkout-forms`: `field` between `start` and `end` (both
    inclusive: an order on a boundary is fetched twice, which costs nothing)."""

    field: str
    start: datetime
    end: datetime

    def filters(self) -> dict[str, str]:
        return {f"{self.field}.gte": _iso(self.start), f"{self.field}.lte": _iso(self.end)}

    def split(self, parts: int) -> list[_Window]:
        step = (self.end - self.start) / parts
        bounds = [self.start + step * i for i in range(parts)] + [self.end]
        return [_Window(self.field, bounds[i], bounds[i + 1]) for i in range(parts)]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _windows(field_name: str, start: datetime, end: datetime, days: int) -> list[_Window]:
    """Consecutive windows of `days` from `start` to `end`, newest first (a seller wants this
    month's orders before last year's)."""
    windows = []
    step = timedelta(days=days)
    upper = end
    while upper > start:
        lower = max(upper - step, start)
        windows.append(_Window(field_name, lower, upper))
        upper = lower
    return windows


class SyncEngine:
    """Syncs one account. Create one per run or reuse it; runs of one engine must not overlap.

    `database` serves two reads `OrderRepository` lacks (`sync/queries.py`); `clock` gives the
    current UTC time (the history depth, re-scan and cursor-age decisions);
    `counter` (optional) is installed on the client's httpx client by whoever made it.
    """

    def __init__(self, *, account_key: str, client: AllegroClient, database: Database,
                 orders: OrderRepository, state: SyncStateRepository,
                 settings: SyncSettings | None = None, clock: Clock = utc_now,
                 counter: RequestCounter | None = None) -> None:
        self.account_key = account_key
        self._client = client
        self._db = database
        self._orders = orders
        self._state = state
        self.settings = settings or SyncSettings()
        self._clock = clock
        self._counter = counter
        # per run
        self._report = SyncReport(account_key, "", "", utc_now())
        self._calls = 0
        self._pages = 0
        self._forms = 0
        self._phase = ""
        self._progress: Callable[[SyncProgress], None] | None = None
        self._cancel: asyncio.Event | None = None

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
        elif self._cursor_expired(state, now):
            kind = RunKind.RESCAN
        else:
            kind = RunKind.INCREMENTAL
        self._report = report = SyncReport(self.account_key, str(kind), RunOutcome.RUNNING,
                                           now)
        self._calls = self._pages = self._forms = 0
        self._progress, self._cancel = progress, cancel
        sent_before = self._counter.sent if self._counter else 0
        started = time.perf_counter()
        run_id = self._state.start_run(account_key=self.account_key, kind=kind)
        outcome, error = RunOutcome.SUCCEEDED, None
        try:
            await self._run(state, kind)
        except _Cancelled:
            outcome = RunOutcome.CANCELLED
        except asyncio.CancelledError:
            self._finish(run_id, RunOutcome.CANCELLED, None, started, sent_before)
            raise
        except AppError as exc:
            outcome, error = RunOutcome.FAILED, f"{exc.user_message} ({exc})"
            log.warning("sync of %s failed: %s", self.account_key, error)
        except Exception as exc:
            self._finish(run_id, RunOutcome.FAILED, f"internal error: {exc!r}", started,
                         sent_before)
            raise
        self._finish(run_id, outcome, error, started, sent_before)
        return report

    def _finish(self, run_id: int, outcome: RunOutcome, error: str | None, started: float,
                sent_before: int) -> None:
        report = self._report
        report.outcome = str(outcome)
        report.error = error
        report.duration = time.perf_counter() - started
        if self._counter is not None:
            report.requests = self._counter.sent - sent_before
            report.retries = max(report.requests - self._calls, 0)
        else:
            report.requests = self._calls
        report.cursor = self._state.get_sync_state(self.account_key).event_cursor
        metrics = RunMetrics(new=report.new, updated=report.updated,
                             unchanged=report.unchanged, events=report.events,
                             requests=report.requests, retries=report.retries or 0)
        self._state.finish_run(run_id, outcome=outcome, metrics=metrics, error=error)
        state = self._state.get_sync_state(self.account_key)
        if outcome is RunOutcome.SUCCEEDED:
            state = replace(state, last_success_at=self._clock(), last_error=None)
        elif error is not None:
            state = replace(state, last_error=error)
        self._state.save_sync_state(state)
        log.info("sync of %s: %s in %.1f s (new %d, updated %d, unchanged %d, gone %d, "
                 "events %d, requests %d)", self.account_key, outcome, report.duration,
                 report.new, report.updated, report.unchanged, report.gone, report.events,
                 report.requests)

    async def _run(self, state: SyncState, kind: RunKind) -> None:
        if kind is RunKind.BACKFILL:
            state = await self._bootstrap(state, SyncPhase.BACKFILL)
        elif kind is RunKind.RESCAN:
            log.warning("the event journal of %s was last read %s: more than the retention "
                        "allows; re-scanning the whole history", self.account_key,
                        state.cursor_saved_at)
            state = await self._bootstrap(state, SyncPhase.RECOVERY)
        state = await self._incremental(state)
        now = self._clock()
        if kind is RunKind.INCREMENTAL and (state.last_rescan_at is None or (
                now - state.last_rescan_at >= self.settings.rescan_interval)):
            await self._rescan(state, now)

    def _cursor_expired(self, state: SyncState, now: datetime) -> bool:
        # `cursor_saved_at` is when the journal was last read to its end (a page committed
        # midway does not move it), so events after the cursor are at most this old. The
        # cursor event's own age says nothing: a quiet shop's last event may be months old.
        seen = state.cursor_saved_at or state.last_success_at
        return seen is None or now - seen > self.settings.cursor_max_age

    # -- bootstrap and back-fill ------------------------------------------------------------------

    async def _bootstrap(self, state: SyncState, phase: str) -> SyncState:
        """Starting cursor first, then every window of the history depth."""
        began = time.perf_counter()
        self._phase = SyncPhase.BOOTSTRAP
        # The journal is complete up to the moment event-stats answered (not the end of the
        # back-fill, which can take a while): that is the age the 55-day check must see.
        stats_read_at = self._clock()
        latest = await self._call(self._client.event_stats())
        start_cursor = latest.get("id") if latest else None
        start_cursor = str(start_cursor) if start_cursor is not None else None
        self._timed(SyncPhase.BOOTSTRAP, began)
        began = time.perf_counter()
        self._phase = phase
        now = self._clock()
        # A day past now: a local clock behind Allegro's must not cut off today's orders.
        windows = _windows(BOUGHT_AT, now - timedelta(days=self.settings.history_days),
                           now + timedelta(days=1), self.settings.window_days)
        await self._fetch_windows(windows)
        state = replace(self._state.get_sync_state(self.account_key),
                        event_cursor=start_cursor, cursor_saved_at=stats_read_at,
                        backfill_done=True,
                        backfill_oldest_window=windows[-1].start if windows else None,
                        last_rescan_at=now)
        self._state.save_sync_state(state)
        self._timed(phase, began)
        return state

    async def _fetch_windows(self, windows: Sequence[_Window],
                             extra: Mapping[str, str] | None = None) -> None:
        """Every window, `window_concurrency` at a time; too big ones are split and queued."""
        queue: asyncio.Queue[_Window] = asyncio.Queue()
        for window in windows:
            queue.put_nowait(window)
        failures: list[BaseException] = []

        async def worker() -> None:
            while True:
                window = await queue.get()
                try:
                    if not failures:
                        for child in await self._fetch_window(window, extra, failures):
                            queue.put_nowait(child)
                except Exception as exc:
                    failures.append(exc)
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker())
                   for _ in range(self.settings.window_concurrency)]
        try:
            await queue.join()
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if failures:
            raise failures[0]

    async def _fetch_window(self, window: _Window, extra: Mapping[str, str] | None,
                            failures: list[BaseException]) -> list[_Window]:
        """Fetch and store one window page by page; or, when it holds more than
        `window_target` orders, return its parts instead (nothing stored)."""
        filters = {**window.filters(), **(extra or {})}
        offset = 0
        total: int | None = None
        seen: set[str] = set()
        complete = True
        while total is None or offset < total:
            self._check_cancel()
            if failures:
                return []
            body = await self._call(self._client.checkout_forms(
                filters, offset=offset, limit=PAGE_SIZE, sort=window.field))
            if total is None:
                total = int(body["totalCount"])
                if total > self.settings.window_target and window.end - window.start > _MIN_SPAN:
                    parts = max(2, math.ceil(total / self.settings.window_target))
                    return window.split(parts)
                if total > MAX_RESULT_WINDOW:
                    complete = False
                    log.warning("%d orders bought within %s..%s: only the first %d can be "
                                "listed", total, window.start, window.end, MAX_RESULT_WINDOW)
                    total = MAX_RESULT_WINDOW
            forms = body["checkoutForms"]
            seen.update(str(form.get("id")) for form in forms)
            self._store(self._parse_forms(forms), (), None, ())
            offset += PAGE_SIZE
            if not forms:  # fewer orders than totalCount promised ([#3740]): done
                break
        if complete and window.field == BOUGHT_AT and not extra:
            await self._reconcile(window, seen)
        return []

    async def _reconcile(self, window: _Window, seen: set[str]) -> None:
        """Stored orders of a fully listed `boughtAt` window that the list no longer has were
        merged into another purchase (no event names them, [#2141]), or the list skipped them
        while it changed under our paging: ask for each; a 404 marks it gone."""
        missing = ids_bought_between(self._db, self.account_key, window.start,
                                     window.end) - seen
        if missing:
            log.info("%d stored orders missing from %s..%s: checking them", len(missing),
                     window.start, window.end)
            orders, gone = await self._fetch_forms(sorted(missing))
            self._store(orders, (), None, gone)

    # -- incremental --------------------------------------------------------------------------

    async def _incremental(self, state: SyncState) -> SyncState:
        began = time.perf_counter()
        self._phase = SyncPhase.INCREMENTAL
        cursor = state.event_cursor
        while True:
            self._check_cancel()
            page = await self._call(self._client.order_events(from_id=cursor, limit=EVENTS_PAGE))
            if not page:
                break
            self._report.events += len(page)
            events = self._parse_events(page)
            orders, gone = await self._fetch_changed(events)
            last_id = page[-1].get("id")
            if not isinstance(last_id, str | int) or isinstance(last_id, bool):
                raise MalformedResponseError("/order/events: the last event has no id")
            cursor = str(last_id)
            self._store(orders, events, cursor, gone)
        # The journal is read to its end: it is complete up to now (see the module doc).
        state = replace(self._state.get_sync_state(self.account_key), event_cursor=cursor,
                        cursor_saved_at=self._clock())
        self._state.save_sync_state(state)
        self._timed(SyncPhase.INCREMENTAL, began)
        return state

    def _parse_events(self, page: Sequence[Mapping[str, Any]]) -> list[OrderEvent]:
        events = []
        for data in page:
            try:
                events.append(parse_event(data))
            except MalformedResponseError as exc:
                self._report.malformed += 1
                log.warning("skipped an unreadable order event: %s", exc)
        return events

    async def _fetch_changed(self, events: Sequence[OrderEvent]) -> tuple[list[Order],
                                                                           list[str]]:
        """The forms the events say changed (see the module doc); 404s as gone ids."""
        by_form: dict[str, list[OrderEvent]] = {}
        for event in events:
            if event.checkout_form_id:
                by_form.setdefault(event.checkout_form_id, []).append(event)
        gone_known = self._orders.gone_form_ids(self.account_key) if by_form else set()
        revisions = stored_revisions(self._db, self.account_key, list(by_form))
        wanted = []
        for form_id, form_events in by_form.items():
            if form_id in gone_known:
                continue
            revision = revisions.get(form_id)
            if (revision is None or any(e.revision != revision for e in form_events)
                    or any(e.type == EventType.FULFILLMENT_STATUS_CHANGED
                           for e in form_events)):
                wanted.append(form_id)
        return await self._fetch_forms(wanted)

    async def _fetch_forms(self, wanted: Sequence[str]) -> tuple[list[Order], list[str]]:
        """GET each form, `form_concurrency` at a time; a 404 is a gone id."""
        limit = asyncio.Semaphore(self.settings.form_concurrency)
        gone: list[str] = []

        async def fetch(form_id: str) -> dict[str, Any] | None:
            async with limit:
                try:
                    return await self._call(self._client.checkout_form(form_id))
                except NotFoundError as exc:
                    if exc.code != "CheckoutFormNotFoundException":
                        raise  # a 404 of a gateway or proxy says nothing about the order
                    log.info("checkout form %s is gone (404: merged or too old)", form_id)
                    gone.append(form_id)
                    return None

        results = await _gather(fetch(form_id) for form_id in wanted)
        forms = [data for data in results if data is not None]
        return self._parse_forms(forms), gone

    # -- periodic re-scan ---------------------------------------------------------------------

    async def _rescan(self, state: SyncState, now: datetime) -> None:
        began = time.perf_counter()
        self._phase = SyncPhase.RESCAN
        days = timedelta(days=self.settings.rescan_days)
        bought = _Window(BOUGHT_AT, now - days, now + timedelta(days=1))
        since = now - days
        if state.last_rescan_at is not None:
            since = min(since, state.last_rescan_at - timedelta(days=1))
        since = max(since, now - timedelta(days=self.settings.history_days))
        updated = _Window(UPDATED_AT, since, now + timedelta(days=1))
        await self._fetch_windows([bought, updated])
        self._state.save_sync_state(replace(self._state.get_sync_state(self.account_key),
                                            last_rescan_at=now))
        self._timed(SyncPhase.RESCAN, began)

    # -- helpers ------------------------------------------------------------------------------

    def _parse_forms(self, forms: Sequence[Mapping[str, Any]]) -> list[Order]:
        orders = []
        for data in forms:
            try:
                orders.append(parse_checkout_form(data, account_key=self.account_key))
            except MalformedResponseError as exc:
                self._report.malformed += 1
                log.warning("skipped an unreadable checkout form: %s", exc)
        self._forms += len(forms)
        return orders

    def _store(self, orders: Sequence[Order], events: Sequence[OrderEvent],
               cursor: str | None, gone: Sequence[str]) -> None:
        result = self._orders.apply_batch(account_key=self.account_key, orders=orders,
                                          events=events, cursor=cursor, gone_ids=gone)
        self._report.add(result)
        self._pages += 1
        if self._progress is not None:
            report = self._report
            self._progress(SyncProgress(
                account_key=self.account_key, phase=self._phase, pages=self._pages,
                forms=self._forms, events=report.events, new=report.new,
                updated=report.updated))

    async def _call(self, request: Awaitable[_T]) -> _T:
        self._calls += 1
        return await request

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise _Cancelled

    def _timed(self, phase: str, began: float) -> None:
        phases = self._report.phases
        phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - began


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
