"""The one backup or restore the seller asked for at a time (File → Back up…, Restore from
backup…): its progress dialog — the step under way, Cancel — with the File menu's backup actions
disabled meanwhile, and the boxes that tell how it ended."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from allegro_desktop import APP_NAME
from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.storage.backup import BackupStep
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.tasks import Task

__all__ = ["OperationProgress", "Step", "message_box", "reporting"]

#: What a backup, a check or a restore reports: the step, what is done of it, of how much.
Step = tuple[BackupStep, int, int]


def reporting(task: Task[Step]) -> Callable[[BackupStep, int, int], None]:
    """The `progress` of a backup or a check run by `task`: reported to the GUI thread."""
    return lambda step, done, total: task.report((step, done, total))


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, name: str,
                text: str) -> QMessageBox:
    """A non-blocking message box that deletes itself when closed."""
    box = QMessageBox(icon, APP_NAME, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class OperationProgress(QObject):
    """One operation at a time, in a window-modal progress dialog over `window`; `actions`
    (the File menu's Back up… and Restore from backup…) are disabled while it runs.

    `begin()` it (False while another runs), `show_step()` what it reports, and `end()` it —
    or `fail()` it, which also tells why. GUI thread (but `failure` and what `stop_for`
    returns: any thread).

    Signals: none.
    """

    def __init__(self, *, window: QWidget, actions: Sequence[QAction],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._actions = tuple(actions)
        self._cancel = threading.Event()  # the dialog's Cancel, read by the operation's thread
        self._busy = False
        self._dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        """A backup or a restore the seller asked for is under way."""
        return self._busy

    def stop_for(self, task: Task[Step]) -> Callable[[], bool]:
        """The `stop` of the operation's work, run by `task`: true once the task is cancelled
        (the window closes) or the seller clicked Cancel."""
        return lambda: task.is_cancelled() or self._cancel.is_set()

    def begin(self, label: str, *, cancel: bool) -> bool:
        """Show the progress dialog saying `label` (with Cancel if `cancel`); False, and
        nothing shown, while another operation runs."""
        if self._busy:
            return False
        self._busy = True
        self._cancel.clear()
        for action in self._actions:
            action.setEnabled(False)
        dialog = QProgressDialog(label, self.tr("Cancel") if cancel else "", 0, 0, self._window)
        dialog.setObjectName("backupProgress")
        dialog.setWindowTitle(APP_NAME)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancel:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel.set)
        self._dialog = dialog
        dialog.show()
        return True

    def end(self) -> None:
        """The operation is over: the dialog goes, the actions come back."""
        self._busy = False
        for action in self._actions:
            action.setEnabled(True)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def fail(self, message: object) -> None:
        """End, telling why (a str or `Text`) in a warning box."""
        self.end()
        message_box(self._window, QMessageBox.Icon.Warning, "backupErrorBox",
                    translated(message))

    def failure(self, error: Exception) -> str | Text:
        """What the seller is told of `error`: an `AppError`'s own text, or that something
        nobody foresaw broke (a bug, whose traceback the log has). Any thread: `tr` is
        thread-safe."""
        if isinstance(error, AppError):
            return error.user_text
        return self.tr("The operation stopped because of an unexpected error (%1). The order "
                       "database was not changed; the log has the details.").replace(
                           "%1", repr(error))

    def show_step(self, report: Step) -> None:
        """Say the step under way and how far it got."""
        step, done, total = report
        dialog = self._dialog
        if dialog is None:
            return
        labels = {BackupStep.COPY: self.tr("Copying the orders…"),
                  BackupStep.CHECK: self.tr("Checking the backup…"),
                  BackupStep.SAVE_CURRENT: self.tr("Saving the current orders…"),
                  BackupStep.RESTORE: self.tr("Restoring the backup…")}
        dialog.setLabelText(labels.get(step, dialog.labelText()))
        dialog.setRange(0, total)
        dialog.setValue(min(done, total))

    def hide(self) -> None:
        """Out of the way while the seller is asked something (the operation goes on)."""
        if self._dialog is not None:
            self._dialog.hide()

    def show_restoring(self) -> None:
        """Back, for the restore itself: it cannot be cancelled."""
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("Restoring the backup…"))
            self._dialog.setCancelButton(None)
            self._dialog.setRange(0, 0)
            self._dialog.show()
