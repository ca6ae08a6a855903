"""`SyncEngine`: one account's orders from Allegro into the local database, once per `run()` — the
orchestrator: which kind of run, the bootstrap and back-fill, recovery from an expired or refused
cursor, the periodic re-scan. Each run's state is a `SyncRun` (run.py); the incremental step is
planner.py, fetching forms fetch.py. Pure asyncio and storage, no Qt. ARCHITECTURE.md "The sync
engine" explains every choice.
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
from allegro_desktop.sync.collector import fewer_collections
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
    form_time,
    from_ms,
    iso,
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
        """Sync once. Failures of the sync itself (offline, rate limited, …; ARCHITECTURE.md
        "The sync engine", 5.) do not raise: the report says what happened. A database that
        cannot even record the run raises its `StorageError`; bugs are recorded as a failed
        run and re-raised; a cancelled task is recorded as CANCELLED and re-raised."""
        self._orders.catch_up()  # a first fill's, if its end could not
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
            with fewer_collections():
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
        oldest = now - timedelta(days=self.settings.history_days)
        if self.settings.older_history:
            oldest = await self._oldest_order(run, before=oldest, now=now)
        # A day past now: a local clock behind Allegro's must not cut off today's orders.
        windows = [part for window in windows_between(
            BOUGHT_AT, oldest, now + timedelta(days=1), self.settings.window_days)
            for part in window.minus(progress.covered)]

        # Saved with the pages stored next (`SyncRun.backfill_moved`), never ahead of them.
        def listed(window: Window) -> None:
            progress.listed(window)
            run.backfill_moved(progress)

        def read_up_to(window: Window, reached: datetime) -> None:
            progress.read_up_to(window, reached)
            run.backfill_moved(progress)

        with self._orders.first_fill():
            unverified = await list_windows(run, windows, on_listed=listed,
                                            on_page=read_up_to)
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

    async def _oldest_order(self, run: SyncRun, *, before: datetime, now: datetime
                            ) -> datetime:
        """How far back the back-fill lists when it also takes the history Allegro still
        answers from before the guaranteed depth (`SyncSettings.older_history`): the purchase
        time of the oldest order bought before `before`, found with one request (the list
        sorted oldest first, one order) — so a quiet stretch of the shop, however long, never
        cuts the history short. `before` when there is none; at most `max_history_days` back:
        also when the oldest order's time cannot be read (listing to the bound loses
        nothing). ARCHITECTURE.md "The sync engine", 1."""
        floor = now - timedelta(days=self.settings.max_history_days)
        if floor >= before:
            return before
        body = await run.call(self._client.checkout_forms(
            Window(BOUGHT_AT, floor, before).filters(), limit=1, sort=BOUGHT_AT))
        forms = body["checkoutForms"]
        if not forms:
            log.info("Allegro has no order of %s bought before %s", self.account_key,
                     iso(before))
            return before
        at = form_time(forms[0], BOUGHT_AT)
        if at is None:
            log.warning("the oldest order of %s has no usable purchase time: listing its "
                        "history back to %s", self.account_key, iso(floor))
            return floor
        oldest = min(max(from_ms(at), floor), before)
        log.info("Allegro still has orders of %s from %s: listing them too",
                 self.account_key, iso(oldest))
        return oldest

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
