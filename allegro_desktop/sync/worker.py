"""`SyncWorker`: the sync thread — the only Qt module of `sync/`. One `QThread` with its own
asyncio loop runs the window's jobs one at a time (sync an account through `AccountSync.run`,
delete an account's data, an exclusive job such as a restore), under the profile's sync lease,
and reports to the GUI thread by queued signals. Why it is the database's one writer, how it
cancels, checkpoints, prunes and shuts down: ARCHITECTURE.md "Threads and event loops".
"""

from __future__ import annotations

import asyncio
import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

from allegro_desktop.api.limits import QUIT_GRACE
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.storage import Database, OrderRepository, StorageError
from allegro_desktop.sync.account_sync import AccountSource, AccountSync
from allegro_desktop.sync.lease import LeaseHolder, ProfileBusyError, SyncLease
from allegro_desktop.sync.report import SyncPhase, SyncProgress
from allegro_desktop.sync.settings import Clock, SyncSettings, utc_now

if TYPE_CHECKING:
    from allegro_desktop.sync.actions import ActionOutcome

__all__ = ["JobKind", "SyncActivity", "SyncWorker"]

log = logging.getLogger("allegro_desktop.sync")

#: Seconds between two retention passes (each after a successful sync).
_PRUNE_EVERY = 3600.0
#: How often a deletion waiting for the sync lease tries again (seconds).
_LEASE_RETRY = 0.5


@dataclass(frozen=True, slots=True)
class SyncActivity:
    """A running sync's progress, after every page (`new` and `updated`: stored so far;
    `SyncProgress`). `total` is the number of orders the run knows it will read (it grows as
    back-fill windows are counted); None when it does not know (reading the event journal):
    an open-ended bar."""

    account_key: str
    phase: SyncPhase
    orders: int  # checkout forms read so far
    new: int
    updated: int
    events: int
    elapsed: float  # seconds
    total: int | None = None

    @property
    def per_second(self) -> float:
        return self.orders / self.elapsed if self.elapsed > 0 else 0.0


class JobKind(enum.StrEnum):
    """What a job of the sync thread does."""

    SYNC = "sync"  # sync one account: stopped at its next page boundary when asked
    DELETE = "delete"  # delete one account's local data: not stoppable half-way
    EXCLUSIVE = "exclusive"  # `run_exclusive`'s work (a restore): not stoppable half-way
    ACTIONS = "actions"  # send the seller's queued actions (sync/actions.py)


@dataclass(eq=False)
class _Job:
    kind: str  # a JobKind
    account_key: str
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: When it began by the database's clock (what the run history is stamped with).
    db_started_at: datetime | None = None
    #: An exclusive job's work (`run_exclusive`), and whom to tell when it cannot run.
    work: Callable[[], object] | None = None
    refused: Callable[[str | Text], None] | None = None
    #: A sync whose run is over, its outcome told: what the job still does (the actions
    #: sent, the retention, the checkpoint) is no sync of the account, and a request for one
    #: now is queued — the seller's "Sync now" right after a sync must not be swallowed.
    run_over: bool = False


_SYNC, _DELETE, _EXCLUSIVE = JobKind.SYNC, JobKind.DELETE, JobKind.EXCLUSIVE
_ACTIONS = JobKind.ACTIONS
#: The jobs a shutdown waits for, however long they take.
_UNSTOPPABLE = frozenset({_DELETE, _EXCLUSIVE})


class SyncWorker(QThread):
    """The sync thread: runs `SyncEngine`s and deletions one at a time on its own event loop.

    `source` gives the accounts, environments, token providers and the request governor
    (`config.app_services.AppServices` in the app); `database` is shared (its pool hands this
    thread its own connections). `settings`, `clock` and `retry` go to every engine and client
    (tests speed them up). `cancel_grace` is how long a cancelled sync may take to reach its
    next page boundary before its task is cancelled outright. `lease` is the profile's sync
    lease (default: the database's, held as the window).

    Call `start()` once and `shutdown()` before closing the database. The request methods are
    for the GUI thread; the signals are emitted on the sync thread and arrive queued.

    Signals:
        sync_started(str): a sync of the account with this key began.
        phase_changed(str, str): the account's sync entered this phase (`SyncPhase`).
        sync_progressed(SyncActivity): after every page stored.
        orders_arrived(str, list): ids of the orders a run added to the database (before
            its `sync_finished`; a back-fill's too).
        sync_finished(SyncResult): a run ended — succeeded, failed calmly or cancelled.
        sync_failed(str, object): the account's sync could not run or broke (the database
            could not record it, or a bug); for the seller: a str, a translatable `Text`, or
            the database's `StorageError` itself (a damaged database is a state of its own).
        sync_deferred(str, object): the account's sync did not run: another process holds
            the profile's sync lease (the text, a `Text`, says which).
        account_data_deleted(str, int): the account's local data is deleted (that many orders).
        deletion_failed(str, object): deleting the account's local data failed (why: a str or
            a `Text`).
        queue_emptied(): every requested job is done.
        orders_pruned(int): the retention policy deleted that many old orders.
        actions_sent(list): the outcome of each attempt at a queued seller action
            (`sync.actions.ActionOutcome`: sent, failed with why, or waiting until when) —
            after `send_actions()` and after each successful sync of an account.
        actions_progressed(list): while actions are being sent, the outcomes known since the
            last one (at most every `progress_every` seconds); `actions_sent` then tells all
            of them again.
    """

    sync_started = Signal(str)
    phase_changed = Signal(str, str)
    sync_progressed = Signal(object)
    orders_arrived = Signal(str, list)
    sync_finished = Signal(object)
    sync_failed = Signal(str, object)
    sync_deferred = Signal(str, object)
    account_data_deleted = Signal(str, int)
    deletion_failed = Signal(str, object)
    queue_emptied = Signal()
    orders_pruned = Signal(int)
    actions_sent = Signal(list)
    actions_progressed = Signal(list)

    def __init__(self, *, source: AccountSource, database: Database,
                 settings: SyncSettings | None = None, clock: Clock = utc_now,
                 retry: RetryPolicy | None = None, cancel_grace: float = 5.0,
                 retention_months: int | None = None, lease: SyncLease | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allegro-sync")
        self._source = source
        self._database = database
        self._orders = OrderRepository(database=database)
        self._lease = lease or SyncLease(database.path, holder=LeaseHolder.WINDOW)
        self._account_sync = AccountSync(source, database, settings=settings, clock=clock,
                                         retry=retry, lease=self._lease)
        self.cancel_grace = cancel_grace
        #: Seconds between `actions_progressed` signals while actions are being sent.
        self.progress_every = 0.5
        self._retry = retry
        #: Orders bought longer ago are deleted after syncs (None: kept forever). Set from the
        #: GUI thread when the setting changes; read here.
        self.retention_months = retention_months
        self._pruned_at: float | None = None
        self._loop = asyncio.new_event_loop()
        self._wakeup = asyncio.Event()
        # Shared with the GUI thread, under the lock:
        self._lock = threading.Lock()
        self._jobs: deque[_Job] = deque()
        self._current: _Job | None = None
        self._stopping = False
        # The sync thread's own:
        self._cancel: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._force: asyncio.TimerHandle | None = None
        self._serving: asyncio.Task[None] | None = None

    # -- requests (GUI thread) --------------------------------------------------------------

    @property
    def sync_settings(self) -> SyncSettings | None:
        """What every engine is given (None: the engine's defaults)."""
        return self._account_sync.settings

    @sync_settings.setter
    def sync_settings(self, settings: SyncSettings | None) -> None:
        """Set from the GUI thread when a setting changes (the history depth): the next run
        uses it (one reference swapped, read once per run)."""
        self._account_sync.settings = settings

    def request_sync(self, account_key: str) -> bool:
        """Queue a sync of the account; False when one is already queued or running (that
        one will do), or the worker is shutting down. A sync whose outcome was told is no
        longer running, though its job goes on a moment (`_Job.run_over`)."""
        return bool(self.request_syncs([account_key]))

    def request_syncs(self, account_keys: Iterable[str]) -> list[str]:
        """Queue a sync of each account, in order; returns the keys actually queued."""
        queued = []
        with self._lock:
            if self._stopping:
                return []
            for key in account_keys:
                if not self._has_sync(key):
                    self._jobs.append(_Job(_SYNC, key))
                    queued.append(key)
        if queued:
            self._wake()
        return queued

    def cancel(self, account_key: str | None = None) -> None:
        """Drop the queued syncs of the account (or all) and stop its (or any) running sync
        at its next page boundary: it ends CANCELLED, everything committed so far kept."""
        with self._lock:
            self._jobs = deque(job for job in self._jobs
                               if job.kind != _SYNC or account_key not in (None, job.account_key))
        self._call_soon(self._stop_current, account_key, self.cancel_grace)

    def delete_account_data(self, account_key: str) -> None:
        """Delete the account's local orders, events, sync state and run history — after its
        running sync (if any) has stopped; its queued syncs are dropped. Ends with
        `account_data_deleted` or `deletion_failed`."""
        with self._lock:
            if self._stopping:
                log.warning("not deleting the data of %s: the sync thread is stopping",
                            account_key)
                return
            self._jobs = deque(job for job in self._jobs if job.account_key != account_key)
            self._jobs.appendleft(_Job(_DELETE, account_key))
        self._call_soon(self._stop_current, account_key, self.cancel_grace)
        self._wake()

    def run_exclusive(self, work: Callable[[], object], *,
                      refused: Callable[[str | Text], None]) -> bool:
        """Run `work()` on a helper thread as the database's only writer, holding the
        profile's sync lease (a sync in another process is waited for): once the running sync
        (if any) has stopped at its next page boundary, before every queued job. `work`
        reports its own outcome (an exception escaping it is only logged); `refused(text)` is
        called instead when the lease cannot be used. False when the worker is shutting down
        (then it does not run)."""
        with self._lock:
            if self._stopping:
                return False
            self._jobs.appendleft(_Job(_EXCLUSIVE, "", work=work, refused=refused))
        self._call_soon(self._stop_current, None, self.cancel_grace)
        self._wake()
        return True

    def send_actions(self) -> bool:
        """Send the seller's queued actions that are due (after the running job; one such
        job is queued at most): call it when an action was queued or retried. Ends with
        `actions_sent` when anything was attempted. False when the worker is shutting down."""
        with self._lock:
            if self._stopping:
                return False
            if not any(job.kind == _ACTIONS for job in self._jobs):
                self._jobs.append(_Job(_ACTIONS, ""))
        self._wake()
        return True

    @property
    def busy(self) -> bool:
        """A job is running or queued."""
        with self._lock:
            return self._current is not None or bool(self._jobs)

    @property
    def syncing(self) -> str | None:
        """The key of the account being synced right now, if any."""
        with self._lock:
            current = self._current
        return current.account_key if current is not None and current.kind == _SYNC else None

    @property
    def running_job(self) -> JobKind | None:
        """The kind of the job running now, if any."""
        with self._lock:
            current = self._current
        return JobKind(current.kind) if current is not None else None

    def stop(self) -> None:
        """Begin shutting down, without waiting: the queue is dropped and no job starts any
        more; a running sync is stopped (cancelled after one second at most; what of it still
        waits on the network after `QUIT_GRACE` seconds is abandoned). A running deletion or
        exclusive job goes on to its end. The thread ends once nothing runs (`finished`)."""
        with self._lock:
            self._stopping = True
            self._jobs.clear()
        if not self.isRunning():
            return
        self._call_soon(self._stop_current, None, min(self.cancel_grace, 1.0))
        self._call_soon(self._loop.call_later, QUIT_GRACE, self._abandon_all)
        self._call_soon(self._wakeup.set)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """`stop()`, then wait until the thread has ended: a deletion or an exclusive job
        under way as long as it takes (bounded by the disk, not the network, and not to be
        cut short), anything else `timeout` seconds at most. False only when it did not end
        (a sync that a cancel cannot reach: a bug) — the thread then still runs and may use
        the database, which must stay open."""
        self.stop()
        if not self.isRunning():
            if not self._loop.is_closed():
                self._loop.close()
            return True
        while not self.wait(int(timeout * 1000)):
            kind = self.running_job
            if kind in _UNSTOPPABLE:
                log.info("waiting for the %s job under way to end before the sync thread "
                         "stops", kind)
            elif self.isRunning():
                log.warning("the sync thread did not stop within %.0f s", timeout)
                return False
        return True

    def _has_sync(self, key: str) -> bool:
        current = self._current
        return (current is not None and current.kind == _SYNC and current.account_key == key
                and not current.run_over
                ) or any(job.kind == _SYNC and job.account_key == key for job in self._jobs)

    def _run_over(self, job: _Job) -> None:
        """On the sync thread, before the run's outcome is told (`_Job.run_over`)."""
        with self._lock:
            job.run_over = True

    def _wake(self) -> None:
        self._call_soon(self._wakeup.set)

    def _call_soon(self, callback: Callable[..., object], *args: Any) -> None:
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: the thread has ended
            log.debug("sync thread gone; %s not delivered", callback)

    # -- the sync thread --------------------------------------------------------------------

    def run(self) -> None:
        """The thread's body: serve jobs until `shutdown()`."""
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    async def _serve(self) -> None:
        self._serving = asyncio.current_task()
        worked = False
        while True:
            with self._lock:
                if self._stopping:
                    return
                job = self._jobs.popleft() if self._jobs else None
                self._current = job
                if job is not None and job.kind == _SYNC:
                    # Created with the job taken, so a cancel can never fall in between.
                    self._cancel = asyncio.Event()
            if job is None:
                self._wakeup.clear()  # a request made after the pop sets it again
                if worked:
                    worked = False
                    self.queue_emptied.emit()
                await self._wakeup.wait()
                continue
            worked = True
            try:
                if job.kind == _DELETE:
                    await self._leased_delete(job.account_key)
                elif job.kind == _EXCLUSIVE and job.work is not None:
                    await self._leased_exclusive(job)
                elif job.kind == _ACTIONS:
                    await self._leased_actions()
                else:
                    await self._run_sync(job)
            except Exception as exc:  # a bug: reported; the thread keeps serving
                log.exception("the %s job of %s broke", job.kind, job.account_key)
                if job.kind != _EXCLUSIVE:
                    failed = self.deletion_failed if job.kind == _DELETE else self.sync_failed
                    failed.emit(job.account_key, f"internal error: {exc!r}")
            finally:
                self._cancel = None
                if self._force is not None:
                    self._force.cancel()
                    self._force = None
                if not self._stopping:
                    await asyncio.to_thread(self._checkpoint)
                with self._lock:
                    self._current = None

    def _checkpoint(self) -> None:
        """After each job: the write-ahead log into the database file (ARCHITECTURE.md "Damage
        and backups")."""
        try:
            self._database.checkpoint()
        except StorageError as exc:  # locked by another program: the next job's checkpoint
            log.info("no checkpoint after the job: %s", exc)

    def _stop_current(self, account_key: str | None, grace: float) -> None:
        """On the sync thread: ask the running sync (of `account_key`, or any) to stop; cancel
        its task if it has not stopped after `grace` seconds."""
        with self._lock:
            current = self._current
        if (current is None or current.kind != _SYNC or self._cancel is None
                or account_key not in (None, current.account_key)):
            return
        self._cancel.set()
        task, force = self._task, self._force
        if task is not None and (force is None or self._loop.time() + grace < force.when()):
            if force is not None:  # e.g. shutting down while a cancel is under way: sooner
                force.cancel()
            self._force = self._loop.call_later(grace, self._cancel_task, task)

    def _abandon_all(self) -> None:
        """On the sync thread, shutting down: cancel every task but the job loop's — what a
        cancelled sync still waits for (a token refresh it let finish) is given up."""
        tasks = [task for task in asyncio.all_tasks(self._loop)
                 if task not in (self._serving, self._task) and not task.done()]
        if tasks:
            log.warning("shutting down: abandoning %d task(s) the cancelled sync still waited "
                        "for (a token refresh under way?)", len(tasks))
        for task in tasks:
            task.cancel()
        if self._task is not None:
            self._task.cancel()

    def _cancel_task(self, task: asyncio.Task[None]) -> None:
        if not task.done():
            log.info("the sync did not stop at a page boundary in time: cancelling it")
            task.cancel()

    async def _run_sync(self, job: _Job) -> None:
        cancel = self._cancel or asyncio.Event()
        job.db_started_at = self._database.clock() - timedelta(milliseconds=1)
        # No await between taking the job and this: a cancel always finds the task.
        self._task = task = asyncio.ensure_future(self._sync(job, cancel))
        try:
            await asyncio.wait([task])
        finally:
            self._task = None
        self._run_over(job)
        if task.cancelled():  # the engine recorded the run as CANCELLED
            self.sync_finished.emit(self._account_sync.cancelled_result(
                job.account_key, job.started_at, job.db_started_at))
        elif (error := task.exception()) is not None:
            # _sync handles everything but a crash of its own: keep the thread serving.
            log.error("the sync of %s broke", job.account_key, exc_info=error)
            self.sync_failed.emit(job.account_key, f"internal error: {error!r}")

    async def _sync(self, job: _Job, cancel: asyncio.Event) -> None:
        """One account's `AccountSync.run` and, after a success, the retention policy, both
        under the profile's sync lease; the outcome told by the signals (deferred when
        another process holds the lease)."""
        key = job.account_key
        try:
            account = next((a for a in self._source.registry.all() if a.key == key), None)
        except AppError as exc:  # the accounts file cannot be read
            self.sync_failed.emit(key, exc.user_text)
            return
        if account is None or account.state is not AccountState.CONNECTED:
            log.info("not syncing %s: it is not (or no longer) connected", key)
            return
        try:
            with self._account_sync.holding_lease():  # the retention policy too
                result = await self._account_sync.run(
                    account, progress=self._progress_relay(key), cancel=cancel,
                    started=lambda: self.sync_started.emit(key))
                self._run_over(job)
                if result.report.new_order_ids:
                    self.orders_arrived.emit(key, list(result.report.new_order_ids))
                self.sync_finished.emit(result)
                if result.report.succeeded:
                    await self._send_actions(account)
                    await self._prune()
        except ProfileBusyError as exc:
            self._run_over(job)
            log.info("not syncing %s now: %s", key, exc)
            self.sync_deferred.emit(key, exc.user_text)
        except StorageError as exc:
            self._run_over(job)
            log.warning("the sync of %s could not be recorded: %s", key, exc)
            self.sync_failed.emit(key, exc)  # the error itself: the window tells damage apart
        except AppError as exc:  # the lease's lock file cannot be used
            self._run_over(job)
            log.warning("the sync of %s cannot start: %s", key, exc)
            self.sync_failed.emit(key, exc.user_text)
        except Exception as exc:  # a bug: reported, and the thread serves the next job
            self._run_over(job)
            log.exception("the sync of %s broke", key)
            self.sync_failed.emit(key, f"internal error: {exc!r}")

    def _progress_relay(self, key: str) -> Callable[[SyncProgress], None]:
        """The engine's progress as the worker's signals: `phase_changed` when the phase
        changes, `sync_progressed` after every page."""
        began = time.perf_counter()
        phase: SyncPhase | None = None

        def progress(step: SyncProgress) -> None:
            nonlocal phase
            if step.phase != phase:
                phase = step.phase
                self.phase_changed.emit(key, phase)
            self.sync_progressed.emit(SyncActivity(
                account_key=key, phase=step.phase, orders=step.forms, new=step.new,
                updated=step.updated, events=step.events,
                elapsed=time.perf_counter() - began, total=step.expected or None))

        return progress

    async def _prune(self) -> None:
        """Apply the retention policy, at most once an hour (ARCHITECTURE.md "Retention")."""
        from allegro_desktop.storage.retention import RetentionPolicy, prune

        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < _PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            policy = RetentionPolicy(keep_orders_months=self.retention_months)
            report = await asyncio.to_thread(prune, self._database, policy,
                                             stop=lambda: self._stopping)
        except AppError as exc:  # a refused setting, a locked or full database: next time
            log.warning("old data not deleted: %s", exc)
            return
        if report.orders:
            self.orders_pruned.emit(report.orders)

    async def _leased_actions(self) -> None:
        """Send every account's due actions holding the profile's sync lease; when another
        process holds it, not now (its own sending, or the next sync round, will)."""
        try:
            self._lease.acquire()
        except AppError as exc:  # busy, or the lock file cannot be used
            log.info("queued order actions not sent now: %s", exc)
            return
        try:
            await self._send_actions(None)
        finally:
            self._lease.release()

    async def _send_actions(self, account: Account | None) -> None:
        """The due actions of `account` (None: of every connected account), the lease held;
        their outcomes told by `actions_sent`. A failure is logged: they wait for next time."""
        from allegro_desktop.sync.actions import send_account_actions, send_all_actions

        loop = asyncio.get_running_loop()
        known: list[ActionOutcome] = []
        told_at = loop.time()

        def progressed(outcome: ActionOutcome) -> None:
            nonlocal told_at
            known.append(outcome)
            if loop.time() - told_at >= self.progress_every:
                self.actions_progressed.emit(list(known))
                known.clear()
                told_at = loop.time()

        try:
            if account is None:
                outcomes = await send_all_actions(self._source, self._database,
                                                  retry=self._retry, on_outcome=progressed)
            else:
                outcomes = await send_account_actions(self._source, self._database, account,
                                                      retry=self._retry, on_outcome=progressed)
        except AppError as exc:  # the database cannot record them now
            log.warning("queued order actions not sent: %s", exc)
            return
        if outcomes:
            self.actions_sent.emit(outcomes)

    async def _leased_delete(self, key: str) -> None:
        """`_delete` holding the profile's sync lease: a sync in another process may still be
        writing the account's orders, so the deletion waits for it (not past a shutdown)."""
        def refused(text: str | Text) -> None:
            self.deletion_failed.emit(key, text)

        if await self._wait_for_lease(f"deleting the data of {key}", refused):
            try:
                self._delete(key)
            finally:
                self._lease.release()

    async def _leased_exclusive(self, job: _Job) -> None:
        """An exclusive job's work (a restore) holding the profile's sync lease: another
        process's sync must not write into the database while it is replaced."""
        work, refused = job.work, job.refused
        assert work is not None
        assert refused is not None
        if await self._wait_for_lease("an exclusive job", refused):
            try:
                await asyncio.to_thread(work)
            finally:
                self._lease.release()

    async def _wait_for_lease(self, what: str, refused: Callable[[str | Text], None]) -> bool:
        """Take the profile's sync lease, waiting while another process holds it. False when
        the lease cannot be used (`refused` is told why) or the app closes meanwhile."""
        waiting = False
        while True:
            try:
                self._lease.acquire()
                return True
            except ProfileBusyError as exc:
                if not waiting:
                    log.info("%s after the other sync: %s", what, exc)
                    waiting = True
            except AppError as exc:
                log.warning("%s cannot run: %s", what, exc)
                refused(exc.user_text)
                return False
            with self._lock:
                if self._stopping:
                    log.warning("%s did not run: the app is closing", what)
                    return False
            await asyncio.sleep(_LEASE_RETRY)

    def _delete(self, key: str) -> None:
        try:
            deleted = self._orders.delete_account_data(key)
        except StorageError as exc:
            log.warning("could not delete the data of %s: %s", key, exc)
            self.deletion_failed.emit(key, exc.user_text)
            return
        self.account_data_deleted.emit(key, deleted)
