"""`Notifier`: what the seller is told outside the window — new orders, problems that need
them, and how many orders wait to be processed. No tray here: the tray (`ui/window/tray.py`) shows
what this decides, so the decisions are testable on a machine without one.

- **New orders**, batched: the orders each sync *announces* (`SyncReport.announced_order_ids`:
  never a first back-fill's history, only orders bought in the last few days) are collected
  for `batch_ms` after the first of them, then told in one message — "3 new orders ·
  245,00 zł" (sums per currency), with the first few buyers and items below. Clicking it
  (`message_clicked`) asks for the window with those orders selected (`orders_requested`).
  The settings `notify_new_orders` and `notify_sound` are read when a message is due, so a
  change applies at once. The sound is the desktop's own "new message" sound
  (`ui/window/sound.py`).
- **Alerts**, once per episode: an account Allegro no longer accepts ("must be connected
  again"), or an account whose syncs failed `failure_threshold` times in a row. The episode
  ends when that account syncs successfully again; only then can it alert again. (The window
  says the same in its status bar and reconnect banner: `SyncController`.)
- **Orders to process** (paid, not started: the quick filter "To process"), counted on a
  background thread (a `TaskQueue`) after every sync, deletion and prune: the tray's badge
  and tooltip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.domain.orders import Money
from allegro_desktop.storage import RunOutcome
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.sync import SyncProblem, SyncResult
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.formatting import count_grouped, money_text
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.tasks import TaskQueue
from allegro_desktop.ui.window.sound import play_new_order_sound

__all__ = ["BATCH_MS", "FAILURE_THRESHOLD", "Notification", "Notifier"]

log = logging.getLogger("allegro_desktop.ui")

#: New orders arriving within this many milliseconds of the first become one message.
BATCH_MS: Final = 4000
#: Failed syncs of an account in a row before the seller is alerted.
FAILURE_THRESHOLD: Final = 3
#: Orders named one by one in a message (then "and N more").
_LISTED: Final = 3


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for the seller: `kind` "orders" (new orders, `order_ids`) or "alert"
    (`account_key` needs attention)."""

    kind: str
    title: str
    text: str
    order_ids: tuple[str, ...] = ()
    account_key: str | None = None


class Notifier(QObject):
    """Decides the notifications (see the module). `account_login(key)` names accounts.

    Call `shutdown()` before the database closes (it waits for a count under way).

    Signals:
        notification_ready(Notification): show this message now (the tray does).
        to_process_changed(int): the number of orders to process was counted anew.
        orders_requested(list): the seller clicked a new-orders message: show these order
            ids in the window.
        window_requested(): the seller clicked an alert: show the window.
    """

    notification_ready = Signal(object)
    to_process_changed = Signal(int)
    orders_requested = Signal(list)
    window_requested = Signal()

    def __init__(self, *, worker: SyncWorker, queries: OrderQueries, settings: Settings,
                 account_login: Callable[[str], str | None] = lambda _key: None,
                 batch_ms: int = BATCH_MS, failure_threshold: int = FAILURE_THRESHOLD,
                 play_sound: Callable[[], None] = play_new_order_sound,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._play_sound = play_sound
        self._queries = queries
        self._settings = settings
        self._account_login = account_login
        self.failure_threshold = failure_threshold
        self._pending: dict[str, None] = {}  # announced ids of the batch being collected
        self._last: Notification | None = None
        self._to_process: int | None = None
        self._failures: dict[str, int] = {}  # failed syncs in a row, per account
        self._alerted: set[str] = set()  # accounts alerted in their current episode
        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(batch_ms)
        self._batch_timer.timeout.connect(self._on_batch_timer_timeout)
        self._tasks = TaskQueue("to-process count", threads=1, parent=self)
        self._counting = False
        self._count_again = False
        self._stopped = False
        worker.sync_finished.connect(self._on_worker_sync_finished)
        worker.sync_failed.connect(self._on_worker_sync_failed)
        worker.account_data_deleted.connect(self._on_worker_account_data_deleted)
        worker.orders_pruned.connect(self._on_worker_orders_pruned)

    # -- state ----------------------------------------------------------------------------

    @property
    def pending_ids(self) -> list[str]:
        """New orders waiting for the batch's message."""
        return list(self._pending)

    @property
    def last_notification(self) -> Notification | None:
        return self._last

    @property
    def to_process(self) -> int | None:
        """Orders to process, as last counted (None: not counted yet)."""
        return self._to_process

    # -- public ---------------------------------------------------------------------------

    def refresh_count(self) -> None:
        """Count the orders to process again (on a background thread)."""
        if self._stopped:
            return
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        queries = self._queries
        self._tasks.submit(
            lambda _task: queries.count(OrderFilter(quick=QuickFilter.TO_PROCESS)),
            done=self._on_counted, failed=self._on_count_failed)

    def flush(self) -> None:
        """Tell the batch of new orders now (instead of at the end of its window)."""
        self._batch_timer.stop()
        ids, self._pending = list(self._pending), {}
        if not ids:
            return
        if not self._settings.notify_new_orders:
            log.debug("%d new orders; notifications are off", len(ids))
            return
        try:
            rows = self._rows(ids)
        except AppError as exc:
            log.warning("cannot read the new orders: %s", exc)
            rows = []
        self._show(Notification(kind="orders", title=self._orders_title(len(ids), rows),
                                text=self._orders_text(len(ids), rows),
                                order_ids=tuple(ids)))
        if self._settings.notify_sound:
            self._play_sound()

    def message_clicked(self) -> None:
        """The last message was clicked: its orders (or the window, for an alert)."""
        last = self._last
        if last is None:
            self.window_requested.emit()
        elif last.kind == "orders":
            self.orders_requested.emit(list(last.order_ids))
        else:
            self.window_requested.emit()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """No more counts; wait for one under way (before the database closes)."""
        self._stopped = True
        self._batch_timer.stop()
        return self._tasks.shutdown(timeout_ms)

    # -- messages -------------------------------------------------------------------------

    def _rows(self, ids: Sequence[str]) -> list[OrderRow]:
        found_seqs = self._queries.seqs_of(ids)
        seqs = [found_seqs[order_id] for order_id in ids if order_id in found_seqs]
        found = self._queries.rows(seqs)
        return [found[seq] for seq in seqs if seq in found]

    def _orders_title(self, count: int, rows: Sequence[OrderRow]) -> str:
        sums: dict[str, Decimal] = {}
        for row in rows:
            sums[row.total.currency] = sums.get(row.total.currency, Decimal(0)) \
                + row.total.amount
        locale = QLocale()
        parts = [self.tr("1 new order") if count == 1
                 else count_grouped(self.tr("%Ln new orders", "", count), count, locale)]
        parts += [money_text(Money(amount, currency), locale)
                  for currency, amount in sorted(sums.items(), key=lambda item: -item[1])]
        return " · ".join(parts)

    def _orders_text(self, count: int, rows: Sequence[OrderRow]) -> str:
        locale = QLocale()
        lines = []
        for row in rows[:_LISTED]:
            buyer = row.buyer_login or row.display_name or ""
            lines.append(self.tr("%1 from %2: %3").replace("%1", money_text(row.total, locale))
                         .replace("%2", buyer).replace("%3", row.items_summary or ""))
        if count > len(lines) and lines:
            more = count - len(lines)
            lines.append(count_grouped(self.tr("and %Ln more", "", more), more, locale))
        return "\n".join(lines)

    def _alert(self, key: str, text: str) -> None:
        if key in self._alerted:
            return
        self._alerted.add(key)
        self._show(Notification(kind="alert", title=self.tr("Allegro Desktop"), text=text,
                                account_key=key))

    def _show(self, notification: Notification) -> None:
        self._last = notification
        log.info("notification: %s", notification.title)
        self.notification_ready.emit(notification)

    def _login(self, key: str) -> str:
        return self._account_login(key) or key

    def _failed(self, key: str, detail: str) -> None:
        failures = self._failures.get(key, 0) + 1
        self._failures[key] = failures
        if failures >= self.failure_threshold:
            self._alert(key, self.tr("Syncing %1 has failed %n times in a row: %2", "",
                                     failures).replace("%1", self._login(key))
                        .replace("%2", detail))

    # -- slots ----------------------------------------------------------------------------

    def _on_worker_sync_finished(self, result: SyncResult) -> None:
        report = result.report
        key = report.account_key
        if report.outcome == RunOutcome.SUCCEEDED:
            self._failures.pop(key, None)
            self._alerted.discard(key)  # the episode is over
        elif report.outcome == RunOutcome.FAILED:
            if result.problem is SyncProblem.RECONNECT_NEEDED:
                self._alert(key, self.tr("%1 must be connected again: open Allegro Desktop "
                                         "and click Reconnect.").replace("%1", self._login(key)))
            else:
                self._failed(key, translated(result.message or report.error or ""))
        if report.announced_order_ids and not self._stopped:
            self._pending.update(dict.fromkeys(report.announced_order_ids))
            if not self._batch_timer.isActive():
                self._batch_timer.start()
        self.refresh_count()

    def _on_worker_sync_failed(self, key: str, message: object) -> None:
        self._failed(key, translated(message))

    def _on_worker_account_data_deleted(self, key: str, _deleted: int) -> None:
        self._failures.pop(key, None)
        self._alerted.discard(key)
        self.refresh_count()

    def _on_worker_orders_pruned(self, _count: int) -> None:
        self.refresh_count()

    def _on_batch_timer_timeout(self) -> None:
        self.flush()

    def _on_count_failed(self, error: Exception) -> None:
        if isinstance(error, AppError):  # a locked or damaged database: the window says so
            log.warning("cannot count the orders to process: %s", error)
        self._on_counted(-1)  # (a bug is logged with its traceback by the queue)

    def _on_counted(self, number: int) -> None:
        self._counting = False
        if number >= 0 and number != self._to_process:
            self._to_process = number
            self.to_process_changed.emit(number)
        elif number >= 0:
            self._to_process = number
        if self._count_again:
            self._count_again = False
            self.refresh_count()
