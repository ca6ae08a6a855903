"""The Diagnostics dialog's controller: opens the dialog when the window asks (Help →
Diagnostics…), one at a time, and owns the background queue its checks and reports run on, so
that the app's exit can wait for them before the database closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from allegro_desktop.ui.dialogs.diagnostics.dialog import DiagnosticsDialog
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.tasks import TaskQueue

if TYPE_CHECKING:
    from allegro_desktop.ui.window.main_window import MainWindow

__all__ = ["DiagnosticsController"]


class DiagnosticsController(QObject):
    """Opens the Diagnostics dialog when the window asks (Help → Diagnostics…): one at a time —
    asked again while it is open, it comes to the front.

    Signals: none.
    """

    def __init__(self, *, source: DiagnosticsSource, window: MainWindow,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._window = window
        self._tasks = TaskQueue("diagnostics", threads=1, parent=self)
        self.dialog: DiagnosticsDialog | None = None
        window.diagnostics_requested.connect(self._on_window_diagnostics_requested)

    def open(self) -> DiagnosticsDialog:
        if self.dialog is None:
            dialog = DiagnosticsDialog(source=self._source, tasks=self._tasks,
                                       parent=self._window)
            dialog.finished.connect(self._on_dialog_finished)
            self.dialog = dialog
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def shutdown(self) -> bool:
        """Drop what waits and wait for a check or report still running (before the database
        closes); False if it still ran at the deadline."""
        return self._tasks.shutdown()

    def _on_window_diagnostics_requested(self) -> None:
        self.open()

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
