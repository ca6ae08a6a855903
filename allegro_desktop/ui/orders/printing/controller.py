"""`PrintController`: opens the print dialog on what the Orders tab shows, and owns the
"printing" `TaskQueue` its jobs run on (one thread; shut down at quit before the database
closes, which stops a job under way at its next step)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.printing.dialog import PrintDialog
from allegro_desktop.ui.orders.printing.job import PrintKind
from allegro_desktop.ui.orders.workspace import OrdersWorkspace
from allegro_desktop.ui.tasks import TaskQueue

__all__ = ["PrintController"]


class PrintController(QObject):
    """Opens `PrintDialog` on `workspace`'s filter, sort and selection (`open`); remembers
    the folder the last PDF went to for the session; the dialog keeps the seller's choice
    of page in `ui_state`. `dialog` is the one opened last."""

    def __init__(self, *, workspace: OrdersWorkspace, queries: OrderQueries,
                 ui_state: UiState | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ui_state = ui_state
        self._workspace = workspace
        self._queries = queries
        self._tasks = TaskQueue("printing", parent=self)
        self._folder: Path | None = None
        self.dialog: PrintDialog | None = None

    def open(self, kind: str = PrintKind.PACKING_SLIPS.value) -> None:
        """The print dialog for `kind` ("packing-slips" or "pick-list")."""
        workspace = self._workspace
        dialog = PrintDialog(queries=self._queries, order_filter=workspace.current_filter(),
                             sort=workspace.list_state.sort,
                             selection=workspace.selected_seqs(),
                             total=workspace.result_count(), kind=PrintKind(kind),
                             folder=self._folder, tasks=self._tasks, ui_state=self._ui_state,
                             parent=workspace.window())
        dialog.setObjectName("printDialog")
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def shutdown(self) -> None:
        """Stop a job under way (before the database closes)."""
        self._tasks.shutdown()

    def _on_dialog_finished(self, dialog: PrintDialog) -> None:
        self._folder = dialog.folder
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
