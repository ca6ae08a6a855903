"""`TabsController` drives all of the window's tabs: what they show, kept in step with the sync.

It builds the Orders tab (the table of `OrdersWorkspace` with the `OrderDetailsPanel` beside it),
the Statistics tab (`StatsTab`) and the Sync log tab, installs them in the window, and wires them
to the rest of the app:

- a sync that stores orders refreshes the table in place (selection and scroll position kept):
  at most every `REFRESH_EVERY` seconds while it runs (a long first sync fills the table as it
  goes), and once when it ends; the Sync log reloads after every sync; the Statistics tab
  recomputes when a sync ends (shortly after, if it is on screen, else when next shown);
- the current order's details are read when the table's current row changes (one order by
  primary key: a few milliseconds), the panel says "N orders selected" for a multi-selection;
- Export (toolbar, File menu, Ctrl+E) opens the export dialog on the table's filter, sort and
  selection; Print packing slips / pick list (File menu, Ctrl+P, Ctrl+Shift+P) opens the print
  dialog on the same (`PrintController`); "Open in Allegro" and the panel's links open in the
  browser;
- the account list names the accounts in the table, the Sync log and the toolbar's chooser.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QObject, QTimer, QUrl

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.accounts import Account
from allegro_desktop.domain.errors import AppError
from allegro_desktop.services.stats import StatsService
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.sync import SyncResult
from allegro_desktop.sync.account_sync import AccountSource
from allegro_desktop.sync.worker import SyncActivity, SyncWorker
from allegro_desktop.ui.formatting import allegro_order_url
from allegro_desktop.ui.links import open_link
from allegro_desktop.ui.orders.details.panel import OrderDetailsPanel
from allegro_desktop.ui.orders.labels.controller import OrderLabelling
from allegro_desktop.ui.orders.printing.controller import PrintController
from allegro_desktop.ui.orders.processing.controller import OrderProcessing
from allegro_desktop.ui.orders.workspace import OrdersWorkspace
from allegro_desktop.ui.stats.tab import StatsTab
from allegro_desktop.ui.syncing.log_view import SyncLogView
from allegro_desktop.ui.tasks import TaskQueue
from allegro_desktop.ui.window.main_window import MainWindow

__all__ = ["REFRESH_EVERY", "TabsController"]

log = logging.getLogger("allegro_desktop.ui")

#: Seconds between refreshes of the table while a sync keeps storing orders.
REFRESH_EVERY: Final = 2.0


class TabsController(QObject):
    """Builds the tabs (Orders, Statistics, Sync log) into `window` and keeps them current (see
    the module)."""

    def __init__(self, *, window: MainWindow, database: Database, worker: SyncWorker,
                 ui_state: UiState, sandbox: bool = False,
                 source: AccountSource | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._state = ui_state
        self._sandbox = sandbox
        self._queries = OrderQueries(database=database)
        self._account_names: dict[str, str] = {}
        self.details = OrderDetailsPanel(sandbox=sandbox)
        self.orders = OrdersWorkspace(queries=self._queries, ui_state=ui_state, sandbox=sandbox)
        self.orders.setObjectName("ordersWorkspace")
        self.orders.set_details_widget(self.details)
        self.sync_log = SyncLogView(database=database, account_names={})
        self.sync_log.setObjectName("syncLog")
        # The Statistics tab computes on its own threads (off the GUI thread), when shown.
        self.stats = StatsTab(stats=StatsService(database=database), queries=self._queries,
                              workspace_filter=self.orders.current_filter)
        self.stats.setObjectName("statsTab")
        window.install_tabs([(self.orders, self.tr("Orders")),
                             (self.stats, self.tr("Statistics")),
                             (self.sync_log, self.tr("Sync log"))])
        self._refreshed_at = 0.0
        self._stored_in_run: dict[str, int] = {}  # per account: orders its sync stored so far
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

        self.orders.current_order_changed.connect(self._on_orders_current_order_changed)
        self.orders.selection_changed.connect(self._on_orders_selection_changed)
        self.orders.export_requested.connect(self.open_export)
        self.orders.open_in_allegro_requested.connect(self._on_orders_open_in_allegro_requested)
        self.orders.account_filter_restored.connect(window.show_account_filter)
        self.details.open_in_allegro_requested.connect(self._open_url)
        self.details.link_activated.connect(self._open_url)
        window.export_requested.connect(self.open_export)
        window.account_filter_changed.connect(self._on_window_account_filter_changed)
        worker.sync_progressed.connect(self._on_worker_sync_progressed)
        worker.sync_finished.connect(self._on_worker_sync_finished)
        worker.sync_failed.connect(self._on_worker_sync_failed)
        worker.account_data_deleted.connect(self._on_worker_account_data_deleted)
        worker.orders_pruned.connect(self._on_worker_orders_pruned)
        self.export_dialog: QObject | None = None
        # Set status, tracking numbers, bulk runs (`source` reads the carriers).
        self.processing = OrderProcessing(workspace=self.orders, details=self.details,
                                          database=database, worker=worker, ui_state=ui_state,
                                          source=source, parent=self)
        # Tags and private notes (the Tags menu, Ctrl+G, the details panel's note).
        self.labelling = OrderLabelling(workspace=self.orders, details=self.details,
                                        database=database, ui_state=ui_state, parent=self)
        self.printing = PrintController(workspace=self.orders, queries=self._queries,
                                        ui_state=ui_state, parent=self)
        self.orders.print_requested.connect(self.printing.open)
        window.print_requested.connect(self.printing.open)
        self._export_tasks = TaskQueue("export", parent=self)  # the export dialog's
        self._update_has_orders()

    # -- public ---------------------------------------------------------------------------

    def set_accounts(self, accounts: Sequence[Account]) -> None:
        """The connected accounts (the AccountsController's list)."""
        names = {account.key: account.login for account in accounts}
        self._account_names.update(names)  # a disconnected account's orders keep its name
        self.orders.set_account_names(self._account_names, connected=len(accounts))
        self.sync_log.set_account_names(self._account_names)
        self._update_has_orders()

    def restore_state(self) -> None:
        """The window's geometry and tab (the Orders tab restored its own view when built)."""
        self._window.restore_state(self._state)
        self.stats.restore_state(self._state)

    def save_state(self) -> None:
        self._window.save_state(self._state)
        self.orders.save_state(self._state)
        self.stats.save_state(self._state)
        self._state.sync()

    def shutdown(self) -> None:
        """Stop the background reads and an export under way (before the database closes)."""
        self._refresh_timer.stop()
        self.orders.shutdown()
        self.processing.shutdown()
        self.labelling.shutdown()
        self.stats.shutdown()
        self._export_tasks.shutdown()
        self.printing.shutdown()

    def refresh(self) -> None:
        """Read everything the tabs show again (the database was replaced by a restore)."""
        self._refresh_now()

    def show_orders(self, order_ids: Sequence[str]) -> None:
        """The Orders tab with these orders (checkout-form ids) listed on their own, newest
        first, and selected: the workspace's temporary "new orders" view, whose "Show all
        orders" brings back what the seller had (a clicked new-order notification). Orders no
        longer stored are left out; if none is, every order is listed."""
        found: dict[str, int] = {}
        try:
            found = self._queries.seqs_of(order_ids)
        except AppError as exc:
            log.warning("cannot read the new orders: %s", exc)
        stored = [order_id for order_id in order_ids if order_id in found]
        self._window.tabs.setCurrentWidget(self.orders)
        if stored:  # (the workspace keeps the account chosen, for "Show all orders")
            self.orders.show_new_orders(stored, [found[order_id] for order_id in stored])
        # New orders of any account: a chooser set to another account would hide them.
        self._window.show_all_accounts()
        if not stored:
            self.orders.clear_filters()

    def open_export(self) -> None:
        """The export dialog on what the table shows (its filter, sort and selection)."""
        from allegro_desktop.ui.orders.export_dialog import ExportDialog

        orders = self.orders
        dialog = ExportDialog(queries=self._queries, order_filter=orders.current_filter(),
                              sort=orders.list_state.sort, selection=orders.selected_seqs(),
                              total=orders.result_count(),
                              visible_columns=orders.table.visible_columns(),
                              account_names=self._account_names, tasks=self._export_tasks,
                              ui_state=self._state, parent=self._window)
        dialog.setObjectName("exportDialog")
        self.export_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- helpers --------------------------------------------------------------------------

    def _refresh_soon(self) -> None:
        """Refresh the table now, or when REFRESH_EVERY has passed since the last refresh."""
        wait = REFRESH_EVERY - (time.monotonic() - self._refreshed_at)
        if wait <= 0:
            self._refresh_table()
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start(int(wait * 1000))

    def _refresh_table(self) -> None:
        """The table's rows and counts read again (its filters' values and the statistics
        wait for the sync's end: `_refresh_now`)."""
        self._refresh_timer.stop()
        self._refreshed_at = time.monotonic()
        self._update_has_orders()
        self.orders.refresh(after_sync=False)

    def _refresh_now(self) -> None:
        self._refresh_timer.stop()
        self._refreshed_at = time.monotonic()
        self._update_has_orders()
        self.orders.refresh(after_sync=True)
        self.stats.refresh()

    def _update_has_orders(self) -> None:
        try:
            self._window.show_has_orders(self._queries.any_orders())
        except AppError as exc:  # a locked or damaged database: the sync says so too
            log.warning("cannot read the order database: %s", exc)

    def _open_url(self, url: str) -> None:
        open_link(QUrl(url), self._window)

    # -- slots ----------------------------------------------------------------------------

    def _on_orders_current_order_changed(self, seq: int | None) -> None:
        if self.orders.table.selected_count() > 1:
            self.details.show_many(self.orders.table.selected_count())
            return
        try:
            details = None if seq is None else self._queries.details(seq)
        except AppError as exc:
            log.warning("cannot read order %s: %s", seq, exc)
            details = None
        self.details.show_order(details)

    def _on_orders_selection_changed(self, count: int) -> None:
        if count > 1:
            self.details.show_many(count)
        else:
            self._on_orders_current_order_changed(self.orders.current_seq())

    def _on_orders_open_in_allegro_requested(self, order_id: str) -> None:
        self._open_url(allegro_order_url(order_id, self._sandbox))

    def _on_window_account_filter_changed(self, key: str | None) -> None:
        self.orders.set_account_filter(key)
        self.stats.set_account_filter(key)

    def _on_worker_sync_progressed(self, activity: SyncActivity) -> None:
        # Orders stored by a sync under way (`new` and `updated` count what is stored so far).
        stored = activity.new + activity.updated
        if stored and stored != self._stored_in_run.get(activity.account_key):
            self._stored_in_run[activity.account_key] = stored
            self._refresh_soon()

    def _on_worker_sync_finished(self, _result: SyncResult) -> None:
        # Changed orders matter as much as new ones (a status moved): always refresh.
        self._refresh_now()
        self.sync_log.reload()

    def _on_worker_sync_failed(self, _key: str, _message: object) -> None:
        self.sync_log.reload()

    def _on_worker_account_data_deleted(self, key: str, _deleted: int) -> None:
        self._account_names.pop(key, None)
        self.set_accounts([])
        self._refresh_now()
        self.sync_log.reload()

    def _on_worker_orders_pruned(self, _count: int) -> None:
        self._refresh_now()

    def _on_refresh_timer_timeout(self) -> None:
        self._refresh_table()
