"""`OrderProcessing`: what the seller does to orders from the Orders tab — "Set status" (a
submenu of the statuses a seller may set; for one order the refused ones are disabled, with the
reason as their tooltip), "Add tracking number…" and "Attach invoice (PDF)…" (one order whose
buyer asked for an invoice: a PDF chosen, `InvoiceDialog`), in the rows' context menu, on the
details panel's bar (`OrderActionsBar`) and as shortcuts (Ctrl+1…Ctrl+5, Ctrl+T, Ctrl+I); Retry
and Discard of an order's actions; the progress of a bulk action (`BulkProgressDialog`) with
Cancel.

Everything goes through the durable queue (`services.order_actions.OrderActions`, written on
this controller's one-thread `TaskQueue`, never on the GUI thread): queued, the table is
refreshed at once (the pending status and the waiting marker show), then the sync thread is
asked to send (`SyncWorker.send_actions()`). A bulk run spreads that moment over the event
loop's turns: the rows on screen first, its dialog, then (once the dialog is painted and the
rows read) the sending, the list's counts a second later. While it sends, `actions_progressed`
moves the bulk runs on and reads the rows on screen again (repainting those that changed);
`actions_sent`, at the end, refreshes the details panel and runs the list's query again (its
counts, the quick filters) — after a bulk run, a second later. The carriers of the tracking
dialog are `CarrierList`'s (read once a session on a queue of their own).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.order_actions import SELLER_STATUSES, OrderAction, status_refusal
from allegro_desktop.services.order_actions import OrderActions, Queued
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.sync.account_sync import AccountSource
from allegro_desktop.sync.actions import ActionOutcome
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.formatting import fulfillment_label
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.orders.details.panel import OrderDetailsPanel
from allegro_desktop.ui.orders.processing.carriers import CarrierList
from allegro_desktop.ui.orders.processing.details_bar import OrderActionsBar
from allegro_desktop.ui.orders.processing.invoice_dialog import (
    InvoiceDialog,
    InvoiceInput,
    choose_invoice_file,
)
from allegro_desktop.ui.orders.processing.progress_dialog import BulkProgressDialog
from allegro_desktop.ui.orders.processing.run import ActionRun
from allegro_desktop.ui.orders.processing.tracking_dialog import TrackingDialog, TrackingInput
from allegro_desktop.ui.orders.workspace import OrdersWorkspace
from allegro_desktop.ui.tasks import TaskQueue, failure_text

__all__ = ["BULK_LIMIT", "CONFIRM_ABOVE", "SHORTCUTS", "OrderProcessing"]

log = logging.getLogger("allegro_desktop.ui")

#: Orders one bulk action may take (more: narrow the selection; Allegro's limits make a bigger
#: run take many minutes).
BULK_LIMIT: Final = 2000
#: A status change of more orders than this is confirmed first.
CONFIRM_ABOVE: Final = 20
#: After a bulk run is queued, the list's query and counts wait this long, so as not to run
#: while the run's dialog is painted and its sending begins (the rows on screen show the run
#: at once).
LIST_REFRESH_AFTER_BULK_MS: Final = 1000
#: A bulk run's sending begins once its dialog is painted and the rows on screen read again,
#: or after this long.
SEND_AFTER_MS: Final = 300
#: The shortcuts of the statuses a seller sets most (the Orders tab's, Ctrl+digit).
SHORTCUTS: Final = {"PROCESSING": Qt.Key.Key_1, "READY_FOR_SHIPMENT": Qt.Key.Key_2,
                    "READY_FOR_PICKUP": Qt.Key.Key_3, "SENT": Qt.Key.Key_4,
                    "PICKED_UP": Qt.Key.Key_5}


def _label(row: OrderRow) -> str:
    return row.display_name or row.buyer_login or row.id


class OrderProcessing(QObject):
    """The Orders tab's processing actions (see the module). Its parts are attributes for the
    window and tests: `status_actions` (status -> QAction), `status_menu`, `tracking_action`,
    `invoice_action`, `bar` (on the details panel), `runs` (the bulk runs with their dialogs),
    `tracking_dialog`, `invoice_dialog` and `message` (the last ones opened). Call
    `shutdown()` before the database closes."""

    def __init__(self, *, workspace: OrdersWorkspace, details: OrderDetailsPanel,
                 database: Database, worker: SyncWorker, ui_state: UiState,
                 source: AccountSource | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._panel = details
        self._worker = worker
        self._service = OrderActions(database)
        self._queries = OrderQueries(database=database)
        # One thread: the seller's requests are queued in the order they were made.
        self._tasks = TaskQueue("order actions", parent=self)
        self._carrier_tasks = TaskQueue("carriers", parent=self)
        self.carriers = CarrierList(source=source, ui_state=ui_state, tasks=self._carrier_tasks,
                                    parent=self)
        self.runs: list[tuple[ActionRun, BulkProgressDialog]] = []
        self.tracking_dialog: TrackingDialog | None = None
        self.invoice_dialog: InvoiceDialog | None = None
        self._invoice_folder: Path | None = None  # where the last invoice was chosen
        self.message: QMessageBox | None = None
        #: The list's query and counts after a bulk run was queued (see `_on_queued`).
        self._list_refresh = QTimer(self)
        self._list_refresh.setSingleShot(True)
        self._list_refresh.setInterval(LIST_REFRESH_AFTER_BULK_MS)
        self._list_refresh.timeout.connect(lambda: self._workspace.refresh(after_sync=False))

        self.status_menu = QMenu(self.tr("Set &status"), workspace)
        self.status_menu.setObjectName("setStatusMenu")
        self.status_menu.setToolTipsVisible(True)
        self.status_menu.aboutToShow.connect(self.update_enabled)
        self.status_actions: dict[str, QAction] = {}
        for status in SELLER_STATUSES:
            action = QAction(fulfillment_label(status), workspace)
            action.setObjectName(f"setStatus:{status}")
            if status in SHORTCUTS:
                action.setShortcut(QKeySequence(Qt.Modifier.CTRL | SHORTCUTS[status]))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                workspace.addAction(action)
            action.triggered.connect(lambda _=False, status=status: self.set_status(status))
            self.status_menu.addAction(action)
            self.status_actions[status] = action
        self.tracking_action = QAction(self.tr("Add &tracking number…"), workspace)
        self.tracking_action.setObjectName("addTrackingAction")
        self.tracking_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_T))
        self.tracking_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tracking_action.triggered.connect(self.add_tracking)
        workspace.addAction(self.tracking_action)
        self.invoice_action = QAction(self.tr("Attach &invoice (PDF)…"), workspace)
        self.invoice_action.setObjectName("attachInvoiceAction")
        self.invoice_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_I))
        self.invoice_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.invoice_action.triggered.connect(self.attach_invoice)
        workspace.addAction(self.invoice_action)

        self.bar = OrderActionsBar(status_menu=self.status_menu,
                                   tracking_action=self.tracking_action,
                                   invoice_action=self.invoice_action)
        self.bar.retry_requested.connect(self.retry)
        self.bar.discard_requested.connect(self.discard)
        details.add_top_widget(self.bar)
        workspace.order_actions.row_menu_extensions.append(self.extend_row_menu)
        workspace.current_order_changed.connect(self._on_selection_changed)
        workspace.selection_changed.connect(self._on_selection_changed)
        worker.actions_sent.connect(self._on_worker_actions_sent)
        worker.actions_progressed.connect(self._on_worker_actions_progressed)
        self._on_selection_changed()

    # -- what may be done ------------------------------------------------------------------

    def extend_row_menu(self, menu: QMenu) -> None:
        """The rows' context menu: "Set status", "Add tracking number…" and "Attach invoice
        (PDF)…"."""
        self.update_enabled()
        menu.addSeparator()
        menu.addMenu(self.status_menu)
        menu.addAction(self.tracking_action)
        menu.addAction(self.invoice_action)

    def list_refresh_pending(self) -> bool:
        """Whether the list's query and counts are to run again in a moment (a bulk run has
        just begun or ended)."""
        return self._list_refresh.isActive()

    def update_enabled(self) -> None:
        """Enable what fits the selection: for one order, the statuses the app would refuse
        are disabled with the reason as their tooltip; for many, every status (each order's
        refusal is reported in the run)."""
        count = self._workspace.table.selected_count()
        row = self._single_row() if count == 1 else None
        for status, action in self.status_actions.items():
            refusal = None
            if row is not None:
                current = (row.actions.pending_status if row.actions is not None
                           and row.actions.pending_status else row.fulfillment_status)
                refusal = status_refusal(row.status, current, status)
            action.setEnabled(count > 0 and refusal is None)
            action.setToolTip(translated(refusal) if refusal is not None else
                              fulfillment_label(status))
        self.status_menu.setEnabled(count > 0)
        self.bar.status_button.setEnabled(count > 0)
        self.tracking_action.setEnabled(count == 1)
        self.tracking_action.setToolTip(
            self.tr("Add a parcel's tracking number to the order (Ctrl+T)") if count <= 1
            else self.tr("One order at a time: each parcel has its own number"))
        wanted = row is not None and row.invoice_required
        self.invoice_action.setEnabled(count == 1 and wanted)
        self.invoice_action.setToolTip(
            self.tr("One order at a time") if count > 1
            else self.tr("Attach the invoice's PDF to the order on Allegro (Ctrl+I)") if wanted
            or count == 0 else self.tr("The buyer did not ask for an invoice for this order"))

    def _single_row(self) -> OrderRow | None:
        ranges = self._workspace.table.selected_ranges()
        if not ranges:
            return None
        return self._workspace.model.order_at(ranges[0][0])

    # -- the seller's requests -------------------------------------------------------------

    def set_status(self, status: str) -> None:
        """Set the selected orders' fulfillment status (a bulk run with progress for many)."""
        seqs = self._workspace.selected_seqs()
        if not seqs:
            return
        if len(seqs) > BULK_LIMIT:
            self._tell(self.tr("Set status"), self.tr(
                "At most %1 orders at once: select fewer (Allegro's limits make a bigger run "
                "take many minutes).").replace("%1", str(BULK_LIMIT)))
            return
        label = fulfillment_label(status)
        title = self.tr("Status %1 for %n orders", "", len(seqs)).replace("%1", label)
        if len(seqs) <= CONFIRM_ABOVE:
            self._queue_status(seqs, status, title)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Set status"), self.tr(
            "Set the status of %n orders to %1 on Allegro?", "", len(seqs)).replace(
            "%1", label), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._parent_widget())
        box.setObjectName("confirmBulk")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self._queue_status(seqs, status, title)

        box.finished.connect(answered)
        box.finished.connect(box.deleteLater)
        self.message = box
        box.open()

    def _queue_status(self, seqs: Sequence[int], status: str, title: str) -> None:
        queries, service = self._queries, self._service

        def work(_task: Any) -> tuple[list[Queued], dict[str, str]]:
            rows = queries.rows(list(seqs))
            ordered = [rows[seq] for seq in seqs if seq in rows]
            labels = {row.id: _label(row) for row in ordered}
            return service.queue_status([row.id for row in ordered], status), labels

        self._tasks.submit(work, done=lambda result: self._on_queued(
            title, *result, bulk=len(seqs) > 1), failed=self._on_failed)

    def add_tracking(self) -> None:
        """The tracking dialog for the one selected order."""
        if self._workspace.table.selected_count() != 1:
            return
        row = self._single_row()
        if row is None:
            return
        dialog = TrackingDialog(carriers=self.carriers, account_key=row.account_key,
                                order_label=f"{_label(row)} ({row.id})",
                                parent=self._parent_widget())
        dialog.accepted.connect(lambda: self._queue_tracking(row, dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        self.tracking_dialog = dialog
        dialog.open()

    def _queue_tracking(self, row: OrderRow, values: TrackingInput) -> None:
        service = self._service
        title = self.tr("Add tracking number")

        def work(_task: Any) -> tuple[list[Queued], dict[str, str]]:
            return service.queue_tracking(
                row.id, carrier_id=values.carrier_id, waybill=values.waybill,
                carrier_name=values.carrier_name, mark_sent=values.mark_sent), {}

        self._tasks.submit(work, done=lambda result: self._on_queued(title, *result,
                                                                      bulk=False),
                           failed=self._on_failed)

    def attach_invoice(self) -> None:
        """Choose the invoice's PDF for the one selected order (whose buyer asked for an
        invoice), then its number in `InvoiceDialog`; queued when the seller attaches it."""
        if self._workspace.table.selected_count() != 1:
            return
        row = self._single_row()
        if row is None or not row.invoice_required:
            return
        path = choose_invoice_file(self._parent_widget(), self._invoice_folder)
        if path is None:
            return
        self._invoice_folder = path.parent
        dialog = InvoiceDialog(order_label=f"{_label(row)} ({row.id})", path=path,
                               parent=self._parent_widget())
        dialog.accepted.connect(lambda: self._queue_invoice(row, dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        self.invoice_dialog = dialog
        dialog.open()

    def _queue_invoice(self, row: OrderRow, values: InvoiceInput) -> None:
        service = self._service
        title = self.tr("Attach invoice (PDF)")

        def work(_task: Any) -> tuple[list[Queued], dict[str, str]]:
            return service.queue_invoice(row.id, values.path,
                                         invoice_number=values.invoice_number), {}

        self._tasks.submit(work, done=lambda result: self._on_queued(title, *result,
                                                                      bulk=False),
                           failed=self._on_failed)

    def retry(self, action_id: int) -> None:
        """Send a failed action again."""
        service = self._service
        self._tasks.submit(lambda _task: service.retry(action_id),
                           done=lambda moved: self._after_change(send=bool(moved)),
                           failed=self._on_failed)

    def discard(self, action_id: int) -> None:
        """Drop a failed or waiting action (the order's later ones then go on)."""
        service = self._service
        self._tasks.submit(lambda _task: service.discard(action_id),
                           done=lambda moved: self._after_change(send=bool(moved)),
                           failed=self._on_failed)

    def cancel(self, run: ActionRun) -> None:
        """Discard what the run has not sent yet (what is being sent right now goes on)."""
        service = self._service
        ids = run.unsent_action_ids()

        def work(_task: Any) -> list[int]:
            return [action_id for action_id in ids if service.discard(action_id)]

        def done(discarded: list[int]) -> None:
            run.cancelled(discarded)
            self._refresh_run(run)
            self._after_change(send=False)

        self._tasks.submit(work, done=done, failed=self._on_failed)

    # -- outcomes --------------------------------------------------------------------------

    def _on_queued(self, title: str, results: list[Queued], labels: dict[str, str], *,
                   bulk: bool) -> None:
        queued = any(result.action is not None for result in results)
        if not bulk:
            self._after_change(send=queued)
        else:
            # One step at a time, so that no two of them compete for the window's thread:
            # now the run, its dialog and the rows on screen read again (their waiting
            # marks); at the loop's next turn the dialog shown and painted, and only then
            # the sending begun; the list's query and counts a moment later
            # (docs/PERFORMANCE.md, "The window during a bulk change").
            run = ActionRun(title, results, labels)
            dialog = BulkProgressDialog(run, parent=self._parent_widget())
            dialog.cancel_requested.connect(lambda: self.cancel(run))
            self.runs.append((run, dialog))
            self._workspace.table.refresh_visible_rows()
            self._reload_details()
            QTimer.singleShot(0, self, lambda: self._begin_run(dialog, send=queued))
            self._list_refresh.start()
            return
        refusals = [translated(r.refusal) for r in results if r.refusal is not None]
        if refusals:
            self._tell(title, "\n".join(refusals))

    def _begin_run(self, dialog: BulkProgressDialog, *, send: bool) -> None:
        """A bulk run's dialog shown, and its sending begun once the window shows the run:
        the dialog painted and the rows on screen read again (their marks), then at the
        loop's next turn, after the repaints those asked for — at the latest `SEND_AFTER_MS`
        later (a window that paints nothing, minimized, must not hold the run back). The
        sending's first moments are its busiest on Python's lock, which the window's paints
        need for every cell. Not the dialog if the window shut down meanwhile: shutdown
        closes and forgets the runs' dialogs."""
        held = any(shown is dialog for _run, shown in self.runs)
        if not send or not held:
            if held:
                dialog.show()
            if send:
                self._worker.send_actions()
            return
        model = self._workspace.model
        waiting = {"dialog", "rows"} if model.is_reading() else {"dialog"}
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        begun = False

        def begin() -> None:
            nonlocal begun
            if not begun:
                begun = True
                timer.stop()
                self._worker.send_actions()

        def shown(what: str) -> None:
            waiting.discard(what)
            if not waiting and not begun and any(held is dialog for _run, held in self.runs):
                timer.start(0)

        dialog.painted.connect(lambda: shown("dialog"), Qt.ConnectionType.QueuedConnection)
        if "rows" in waiting:
            model.rows_read.connect(lambda: shown("rows"),
                                    Qt.ConnectionType.SingleShotConnection)
        timer.timeout.connect(begin)
        timer.start(SEND_AFTER_MS)
        dialog.show()

    def _on_worker_actions_sent(self, outcomes: list[ActionOutcome]) -> None:
        """The sending ended. After a bulk run, as at its start, one step at a time: the rows
        on screen and the details now, the list's query and counts a moment later — they
        came together with the end of the sending's work and the database's checkpoint, and
        kept the window waiting for Python's lock."""
        self._move_runs(outcomes)
        if len(outcomes) <= 1:
            self._after_change(send=False)
            return
        self._workspace.table.refresh_visible_rows()
        self._reload_details()
        self._list_refresh.start()

    def _on_worker_actions_progressed(self, outcomes: list[ActionOutcome]) -> None:
        """Half-way news while actions are sent (every half second of a bulk run): the runs
        and the rows on screen follow; the list's query and its counts run again only with
        `actions_sent`, at the end — every half second they kept the window's threads busy
        enough to stall it (docs/PERFORMANCE.md, "The window during a bulk change")."""
        self._move_runs(outcomes)
        self._workspace.table.refresh_visible_rows()
        current = self._panel.order_id
        if current is not None and any(o.order_id == current for o in outcomes):
            self._workspace.refresh(after_sync=False)
            self._reload_details()

    def _move_runs(self, outcomes: list[ActionOutcome]) -> None:
        for run, dialog in list(self.runs):
            if run.apply(outcomes):
                dialog.refresh()

    def _refresh_run(self, run: ActionRun) -> None:
        for held, dialog in self.runs:
            if held is run:
                dialog.refresh()

    def _after_change(self, *, send: bool) -> None:
        """Something of the queue changed: send (if asked), show it in the rows and the
        details, and what may be done now."""
        if send:
            self._worker.send_actions()
        self._list_refresh.stop()
        self._workspace.refresh(after_sync=False)
        self._reload_details()

    def _on_failed(self, error: Exception) -> None:
        log.warning("an order action could not be queued: %s", error)
        self._tell(self.tr("Order actions"), failure_text(error))

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self._parent_widget())
        box.setObjectName("actionMessage")
        box.finished.connect(box.deleteLater)
        self.message = box
        box.open()

    # -- the details bar -------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        self.update_enabled()
        self._reload_details()

    def _reload_details(self) -> None:
        panel = self._panel
        self.bar.setVisible(panel.state != "empty")
        details = panel.details
        if details is None:
            self.bar.show_actions([])
            return
        order_id, account_key = details.row.id, details.row.account_key
        service = self._service

        def done(actions: list[OrderAction]) -> None:
            if panel.order_id == order_id:
                self.bar.show_actions(actions, self.carriers.names(account_key))

        self._tasks.submit(lambda _task: service.history(order_id), lane="details",
                           done=done, failed=self._on_history_failed)

    def _on_history_failed(self, error: Exception) -> None:
        log.warning("the order's actions could not be read: %s", error)

    def _parent_widget(self) -> QWidget:
        return self._workspace.window()

    def shutdown(self) -> None:
        """Stop the background work (before the database closes); close the dialogs."""
        self._list_refresh.stop()
        for _run, dialog in self.runs:
            dialog.close()
        self.runs.clear()
        self._tasks.shutdown()
        self._carrier_tasks.shutdown()
