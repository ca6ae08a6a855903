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
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from allegro_desktop.api.client import AllegroClient
from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.api.parsing import parse_time
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import (
    OrderRepository,
    RunKind,
    RunOutcome,
    SyncState,
    SyncStateRepository,
)
from allegro_desktop.sync.errors import CursorRejectedError, InconsistentListError
from allegro_desktop.sync.event_ids import plausible_event_id, stored_cursor_usable
from allegro_desktop.sync.fetch import list_windows
from allegro_desktop.sync.planner import CursorRefused, read_journal
from allegro_desktop.sync.report import RequestCounter, SyncPhase, SyncProgress, SyncReport
from allegro_desktop.sync.run import RunCancelled, SyncRun
from allegro_desktop.sync.settings import Clock, SyncSettings, utc_now
from allegro_desktop.sync.windows import (
    BOUGHT_AT,
    UPDATED_AT,
    BackfillProgress,
    Window,
    span_texts,
    windows_between,
)

__all__ = ["SyncEngine"]

log = logging.getLogger("allegro_desktop.sync")


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

    async def _bootstrap(self, run: SyncRun, state: SyncState, phase: SyncPhase
                         ) -> SyncState:
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
