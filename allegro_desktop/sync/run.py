"""`SyncRun`: one run of the engine — its report, counters, progress callback, cancel event and
row in the run history — and the steps every phase takes through it: an API call within the
run's budget (`call`), a page's forms read (`parse_forms`) and stored (`store`; a listed page
with the ones listed after it, `store_listed`), the progress told, a cancel honoured between
pages (`check_cancel`)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.orders import OrderEvent
from allegro_desktop.domain.unreadable import RecordKind
from allegro_desktop.storage import (
    OrderRepository,
    PendingForm,
    RunKind,
    RunMetrics,
    RunOutcome,
    SyncStateRepository,
    UnreadableRecord,
)
from allegro_desktop.sync.errors import IncompleteSyncError, RequestBudgetError
from allegro_desktop.sync.records import Batch, form_id, logged, unreadable_reason
from allegro_desktop.sync.report import RequestCounter, SyncPhase, SyncProgress, SyncReport
from allegro_desktop.sync.settings import Clock, SyncSettings
from allegro_desktop.sync.windows import BackfillProgress

__all__ = ["RunCancelled", "SyncRun"]

log = logging.getLogger("allegro_desktop.sync")

_T = TypeVar("_T")


#: While several windows are being listed, their pages are stored together, in one transaction
#: once this many forms came — or sooner, when a page comes `GROUP_SECONDS` or more after the
#: first one waiting (a slow network). A transaction of 1 000 orders costs a third less an
#: order than ten of 100 (docs/PERFORMANCE.md).
GROUP_ORDERS = 1000
GROUP_SECONDS = 1.0


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
        self.report = SyncReport(account_key, kind, RunOutcome.RUNNING, now)
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
        self._phase: SyncPhase | None = None
        self._calls = 0
        self._budget_spent = False
        self._pages = 0
        self._forms = 0
        #: How many windows are being listed now (`fetch.list_windows` counts them).
        self.windows_open = 0
        #: Listed pages not stored yet (`store_listed`), and since when the first waits.
        self._listed = Batch()
        self._listed_since: float | None = None
        #: The back-fill's progress, when it moved since it was last saved (`backfill_moved`).
        self._backfill: BackfillProgress | None = None
        #: A write failed: what it held is lost to this run (`_write`).
        self._write_failed = False
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
        report.kind = self.kind
        report.outcome = outcome
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
        asked for) the id asked for when its own is not usable. A form received exactly as
        stored is not parsed (`Batch.unchanged`) — except in a first back-fill, which has next
        to nothing stored."""
        batch = Batch()
        ids = [form_id(data) for data in forms]
        unchanged: set[str] = set()
        if self.kind is not RunKind.BACKFILL:
            unchanged = self.orders.unchanged_forms(self.account_key, {
                known: data for known, data in zip(ids, forms, strict=True)
                if known is not None})
            batch.unchanged.extend(unchanged)
        for index, (own_id, data) in enumerate(zip(ids, forms, strict=True)):
            if own_id in unchanged:
                continue
            try:
                batch.orders.append(parse_checkout_form(data, account_key=self.account_key))
            except MalformedResponseError as exc:
                self.report.malformed += 1
                known_id = own_id or (asked[index] if asked is not None else None)
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
        given), its counts added to the run's report and row. The listed pages still waiting
        (`store_listed`) and the back-fill's progress go in the same transaction."""
        self._write(batch, events, cursor)
        self._pages += 1
        self._tell()

    def store_listed(self, batch: Batch) -> None:
        """A page of a listed window: while several windows are being listed
        (`windows_open`), stored with the pages listed after it, in one transaction of
        `GROUP_ORDERS` orders received, unchanged ones included (sooner when this page comes
        `GROUP_SECONDS` after the first one waiting) — at the latest by `flush`, which every
        listing ends with; one window alone: each page at once. The progress is told for
        every page (its `new` and `updated`: what is stored so far)."""
        listed = self._listed
        listed.extend(batch)
        if self._listed_since is None:
            self._listed_since = time.monotonic()
        self._pages += 1
        received = len(listed.orders) + len(listed.unchanged) + len(listed.unreadable)
        if (self.windows_open <= 1 or received >= GROUP_ORDERS
                or time.monotonic() - self._listed_since >= GROUP_SECONDS):
            self.flush()
        else:
            self._tell()

    def backfill_moved(self, progress: BackfillProgress) -> None:
        """The back-fill's progress moved on (a window listed, a keyset position reached):
        saved with the next pages stored — never before the pages it counts."""
        self._backfill = progress

    def flush(self) -> None:
        """Store the listed pages still waiting and the back-fill's progress, if any."""
        if self._listed_since is not None or self._backfill is not None:
            self._write(Batch(), (), None)
            self._tell()

    def _write(self, batch: Batch, events: Sequence[OrderEvent], cursor: str | None) -> None:
        if self._listed_since is not None:
            batch, listed = self._listed, batch
            batch.extend(listed)  # a later copy of an order wins (`apply_batch`)
        # Written or not, they are not written again: a failed write fails the run, and the
        # next one lists again what the saved progress does not count. So once a write
        # failed, no progress is saved any more: the progress is a whole (every window
        # listed so far), and the pages listed after the failure — still stored when they
        # can be, by `flush` — would save one counting the pages lost.
        progress = None if self._write_failed else self._backfill
        self._listed, self._listed_since = Batch(), None
        self._backfill = None
        try:
            self.report.add(self.orders.apply_batch(
                account_key=self.account_key, orders=batch.orders, events=events,
                cursor=cursor, gone_ids=batch.gone, pending=batch.pending,
                unreadable_records=batch.unreadable, announce_since=self._announce_since,
                told=self._told, run_id=self._run_id,
                backfill_progress=None if progress is None else progress.dump(),
                unchanged_ids=batch.unchanged))
        except BaseException:
            self._write_failed = True
            raise

    def enter(self, phase: SyncPhase) -> None:
        """Start a phase, and say so to the `progress` callback at once (a page may take a
        while to come)."""
        self._phase = phase
        self._tell()

    def timed(self, phase: SyncPhase, began: float) -> None:
        """Add the time since `began` (`time.perf_counter()`) to the phase's in the report."""
        phases = self.report.phases
        phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - began

    def _tell(self) -> None:
        if self._progress is not None and self._phase is not None:
            report = self.report
            self._progress(SyncProgress(
                account_key=self.account_key, phase=self._phase, pages=self._pages,
                forms=self._forms, expected=self.expected, events=report.events,
                new=report.new, updated=report.updated))
