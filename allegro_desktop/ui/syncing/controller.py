"""`SyncController`: when to sync, and what the window shows about it.

It asks the `SyncWorker` (the sync thread) for **rounds**: a sync of every CONNECTED account,
one after another. A round starts

- right after start-up (catching up on what happened while the app was closed),
- every `auto_sync_interval` seconds while the app runs (a setting; 0 turns it off),
- on **Sync now** (toolbar, File menu, F5),
- for an account just connected (or connected again) on its own.

A round that failed (offline, rate limited, Allegro's 5xx, …) doubles the wait before the next
automatic one, up to `max_backoff` (15 minutes); a rate limit waits at least until Allegro takes
requests again; the first successful round returns to the normal interval. An account Allegro
no longer accepts is marked "reconnect needed" in the registry (the window's banner offers to
connect it again) and is left out of rounds until it is connected again — that is not a reason
to back off. Every such state is shown calmly in the status bar; the local orders stay usable.

A sync deferred because another process holds the profile's sync lease (`allegro-desktop sync`
from cron) is not a failure either: the status bar says another copy is syncing, and the next
round comes at the usual interval.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from allegro_desktop.config.app_services import AppServices
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import RunOutcome, SyncStateRepository
from allegro_desktop.storage.errors import DatabaseDamagedError
from allegro_desktop.sync import SyncProblem, SyncResult
from allegro_desktop.sync.worker import SyncActivity, SyncWorker
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.window.main_window import MainWindow

log = logging.getLogger("allegro_desktop.ui")

#: The longest wait between automatic syncs after failures (seconds).
MAX_BACKOFF = 15 * 60.0
#: How often the stored-orders count is re-read while a sync of the current account runs.


class SyncController(QObject):
    """Drives the sync thread for the window: rounds, Cancel, automatic syncs with back-off,
    and the sync state, progress and stored-order count in the window.

    `interval` (seconds) overrides the `auto_sync_interval` setting (tests); `orders` and
    `state` are read on the GUI thread (counts and the last sync; small indexed queries).
    Call `set_accounts` whenever the account list changes, and `start()` once the window is up.

    Signals:
        account_states_changed(): an account was found to need connecting again and is marked
            so in the registry: the account list should be shown anew.
        round_finished(): every sync of a round has ended (whatever their outcome).
    """

    account_states_changed = Signal()
    round_finished = Signal()

    def __init__(self, *, window: MainWindow, worker: SyncWorker, services: AppServices,
                 state: SyncStateRepository,
                 interval: float | None = None, max_backoff: float = MAX_BACKOFF,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._worker = worker
        self._services = services
        self._state = state
        self._fixed_interval = interval
        self.max_backoff = max_backoff
        self._accounts: dict[str, Account] = {}
        self._connected: set[str] | None = None  # None until the first account list
        self._failures = 0  # failed rounds in a row
        self._problem: tuple[SyncProblem, str] | None = None  # of the last round that ended
        self._retry_at: datetime | None = None
        self._next_at: datetime | None = None
        # the round under way
        self._in_round = False
        self._round_problem: tuple[SyncProblem, str] | None = None
        self._round_failed = False
        self._round_cancelled = False
        self._round_deferred: str | None = None  # who else is syncing, when a sync was deferred
        self._round_retry_at: datetime | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        window.sync_requested.connect(self._on_window_sync_requested)
        window.sync_cancel_requested.connect(self._on_window_sync_cancel_requested)
        window.account_selected.connect(self._on_window_account_selected)
        worker.sync_started.connect(self._on_worker_sync_started)
        worker.sync_progressed.connect(self._on_worker_sync_progressed)
        worker.sync_finished.connect(self._on_worker_sync_finished)
        worker.sync_failed.connect(self._on_worker_sync_failed)
        worker.sync_deferred.connect(self._on_worker_sync_deferred)
        worker.queue_emptied.connect(self._on_worker_queue_emptied)

    # -- public ---------------------------------------------------------------------------

    @property
    def interval(self) -> float:
        """Seconds between automatic syncs; 0 = off."""
        if self._fixed_interval is not None:
            return self._fixed_interval
        return float(self._services.settings.auto_sync_interval)

    @property
    def next_sync_at(self) -> datetime | None:
        """When the next automatic round is due (None: none scheduled, or one is running)."""
        return self._next_at

    @property
    def failures(self) -> int:
        """Failed rounds in a row (what the back-off doubles on)."""
        return self._failures

    @property
    def problem(self) -> tuple[SyncProblem, str] | None:
        """Why the last round failed, and the seller-facing detail."""
        return self._problem

    def start(self) -> None:
        """Catch up right away when automatic syncs are on and accounts are connected."""
        try:
            accounts = self._services.registry.all()
        except AppError as exc:  # the AccountsController shows it
            log.warning("cannot read the accounts: %s", exc)
            accounts = []
        self.set_accounts(accounts)
        if self.interval > 0 and self._connected_keys():
            self.sync_now()
        else:
            self._schedule()
            self._update_view()

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        """The registry's accounts changed: a newly connected one is synced at once."""
        accounts = list(accounts)
        self._accounts = {a.key: a for a in accounts}
        connected = set(self._connected_keys())
        if self._connected is not None:
            new = [key for key in self._connected_keys() if key not in self._connected]
            if new:
                log.info("syncing newly connected account(s): %s", ", ".join(new))
                self._start_round(new)
        self._connected = connected
        if not connected and not self._in_round:
            self._timer.stop()
            self._next_at = None
        self._update_view()

    def interval_changed(self) -> None:
        """The automatic-sync setting changed (Settings dialog): the next automatic round is
        planned anew from now (none when it is off); a round under way plans it when it ends."""
        if not self._in_round:
            self._schedule()
        self._update_view()

    def sync_now(self) -> None:
        """A round over every connected account now (ignored for accounts already syncing)."""
        self._start_round(self._connected_keys())

    # -- rounds ---------------------------------------------------------------------------

    def _connected_keys(self) -> list[str]:
        return [key for key, account in self._accounts.items()
                if account.state is AccountState.CONNECTED]

    def _start_round(self, keys: list[str]) -> None:
        if not keys:
            return
        queued = self._worker.request_syncs(keys)
        if not queued and not self._worker.busy:
            return
        if not self._in_round:
            self._in_round = True
            self._round_problem = None
            self._round_failed = self._round_cancelled = False
            self._round_deferred = None
            self._round_retry_at = None
        self._timer.stop()
        self._next_at = None
        self._update_view()

    def _end_round(self) -> None:
        self._in_round = False
        if self._round_failed:
            self._failures += 1
            self._problem = self._round_problem
            self._retry_at = self._round_retry_at
        elif self._round_deferred is not None:  # not a failure: no back-off
            self._problem = (SyncProblem.BUSY, self._round_deferred)
            self._retry_at = None
        elif not self._round_cancelled:
            self._failures = 0
            self._problem = None
            self._retry_at = None
        self._schedule()
        self._update_view()
        self.round_finished.emit()

    def _schedule(self) -> None:
        """The next automatic round: the interval, doubled per failed round (up to the
        maximum), and never before a rate limit ends."""
        interval = self.interval
        if interval <= 0 or not self._connected_keys():
            self._timer.stop()
            self._next_at = None
            return
        delay = interval
        if self._failures:
            delay = min(interval * 2 ** self._failures, max(self.max_backoff, interval))
        now = datetime.now(UTC)
        if self._retry_at is not None:
            delay = max(delay, (self._retry_at - now).total_seconds() + 1)
        self._timer.start(max(int(delay * 1000), 1))
        self._next_at = now + timedelta(seconds=delay)

    # -- view -----------------------------------------------------------------------------

    def _login(self, key: str) -> str:
        account = self._accounts.get(key)
        return account.login if account is not None else key

    def _update_view(self) -> None:
        window = self._window
        current = window.current_account
        if current is None:
            return
        try:
            last = self._state.get_sync_state(current.key).last_success_at
        except AppError as exc:  # a locked or broken database: the sync reports it too
            log.warning("cannot read the sync state: %s", exc)
            last = None
        problem, detail = self._problem or (None, "")
        if problem is None:
            # The current account's own state is in the banner and the connection text.
            waiting = [a.login for a in self._accounts.values()
                       if a.state is AccountState.RECONNECT_NEEDED and a.key != current.key]
            if waiting:
                problem, detail = SyncProblem.RECONNECT_NEEDED, ", ".join(waiting)
        window.show_sync_state(last_success=last, next_at=self._next_at,
                               auto=self.interval > 0, problem=problem, detail=detail)

    # -- slots ----------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        self._next_at = None
        self.sync_now()

    def _on_window_sync_requested(self) -> None:
        self.sync_now()

    def _on_window_sync_cancel_requested(self) -> None:
        if self._worker.busy:
            self._worker.cancel()
            self._window.show_sync_cancelling()

    def _on_window_account_selected(self, _key: str) -> None:
        self._update_view()

    def _on_worker_sync_started(self, key: str) -> None:
        self._window.show_sync_started(self._login(key))

    def _on_worker_sync_progressed(self, activity: SyncActivity) -> None:
        self._window.show_sync_progress(self._login(activity.account_key), activity)

    def _on_worker_sync_finished(self, result: SyncResult) -> None:
        report = result.report
        if report.outcome == RunOutcome.CANCELLED:
            self._round_cancelled = True
        elif report.outcome == RunOutcome.FAILED:
            problem = result.problem or SyncProblem.ERROR
            if problem is SyncProblem.RECONNECT_NEEDED:
                self._mark_reconnect_needed(report.account_key)
            else:
                self._round_failed = True
                self._round_problem = (problem, translated(result.message or report.error or ""))
                if result.retry_at is not None:
                    self._round_retry_at = max(result.retry_at,
                                               self._round_retry_at or result.retry_at)
        self._update_view()

    def _on_worker_sync_failed(self, key: str, message: object) -> None:
        log.warning("the sync of %s failed: %s", key, message)
        self._round_failed = True
        # A damaged database says so in its own banner, with what to do: the status bar only
        # names the state (the whole text would not fit it).
        problem = (SyncProblem.DAMAGED if isinstance(message, DatabaseDamagedError)
                   else SyncProblem.ERROR)
        self._round_problem = (problem, translated(message))

    def _on_worker_sync_deferred(self, key: str, message: object) -> None:
        log.info("the sync of %s waits: %s", self._login(key), message)
        self._round_deferred = translated(message)

    def _on_worker_queue_emptied(self) -> None:
        if self._worker.busy:  # more was asked for meanwhile: the round goes on
            return
        self._window.show_sync_idle()
        if self._in_round:
            self._end_round()
        else:
            self._update_view()

    def _mark_reconnect_needed(self, key: str) -> None:
        """Allegro refused the account's authorization: the token provider has usually marked
        it already (a refused refresh); a refused fresh token is marked here."""
        try:
            self._services.registry.set_state(key, AccountState.RECONNECT_NEEDED)
        except AppError as exc:
            log.warning("cannot mark %s as needing a new connection: %s", key, exc)
        log.info("%s must be connected again", self._login(key))
        self.account_states_changed.emit()
