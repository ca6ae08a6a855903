"""File → Back up…: the orders backed up to a file the seller chooses — in the background, with
progress and Cancel (the sync goes on meanwhile: a backup only reads) — and the seller told
when it is written and checked, or why not (nothing is then written)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from allegro_desktop.storage.backup import BackupCancelled, BackupInfo, back_up
from allegro_desktop.storage.database import Database
from allegro_desktop.ui.database.operation import (
    OperationProgress,
    Step,
    message_box,
    reporting,
)
from allegro_desktop.ui.formatting import count_grouped, unbroken
from allegro_desktop.ui.save_path import ask_save_path
from allegro_desktop.ui.tasks import Task, TaskQueue

__all__ = ["BackupController"]


class BackupController(QObject):
    """Backs the database up to a file, on `tasks`, shown by `operation` (see the module doc).

    Signals:
        finished(object): the backup is written and checked (`BackupInfo`).
        failed(object): it failed (why: a str or `Text`); nothing was written.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, *, database: Database, operation: OperationProgress, tasks: TaskQueue,
                 window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._operation = operation
        self._tasks = tasks
        self._window = window
        self.finished.connect(self._on_finished)
        self.failed.connect(self._operation.fail)

    def choose_file(self) -> None:
        """Ask where to (the Documents folder suggested), then back up there."""
        chosen = ask_save_path(
            self._window, self.tr("Back up the orders"),
            f"allegro-desktop-backup-{date.today().isoformat()}.sqlite3",
            self.tr("Allegro Desktop backups (*.sqlite3)"))
        if chosen is not None:
            self.back_up_to(chosen)

    def back_up_to(self, path: Path) -> bool:
        """Write a backup to `path` in the background, with progress; False when another
        backup or restore is under way. Ends with `finished` or `failed` (or nothing, if the
        seller cancelled)."""
        operation = self._operation
        if not operation.begin(self.tr("Backing up the orders…"), cancel=True):
            return False
        database = self._database

        def work(task: Task[Step]) -> BackupInfo | None:
            try:
                return back_up(database, path, progress=reporting(task),
                               stop=operation.stop_for(task))
            except BackupCancelled:
                return None

        self._tasks.submit(work, progress=operation.show_step, done=self._on_backed_up,
                           failed=lambda error: self.failed.emit(operation.failure(error)))
        return True

    def _on_backed_up(self, info: BackupInfo | None) -> None:
        if info is None:  # cancelled
            self._operation.end()
        else:
            self.finished.emit(info)

    def _on_finished(self, info: BackupInfo) -> None:
        self._operation.end()
        text = count_grouped(self.tr(
            "Backed up %Ln order(s) to:\n%1\nThe backup was checked and is complete.", "",
            info.orders), info.orders, QLocale()).replace("%1", unbroken(str(info.path)))
        message_box(self._window, QMessageBox.Icon.Information, "backupDoneBox", text)
