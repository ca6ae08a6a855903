"""Restore from backup…: the backup the seller chose (or the newest automatic one that passes its
checks) checked in a private copy in the background, the seller asked, then restored. The
restore writes the whole database, so it runs as an exclusive job of the sync thread
(`SyncWorker.run_exclusive`) — the database's only writer — and no sync writes during it; the
orders as they were are saved first; afterwards the tabs are read again and a sync fetches what
is newer than the backup."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.storage.backup import (
    BackupCancelled,
    BackupStep,
    RestoreReport,
    StagedBackup,
    backup_folder,
    newest_backup,
    restorable_backups,
    restore,
    stage_backup,
)
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import BackupDamagedError, BackupError
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.database.operation import (
    OperationProgress,
    Step,
    message_box,
    reporting,
)
from allegro_desktop.ui.formatting import count_grouped, unbroken
from allegro_desktop.ui.save_path import ask_open_path
from allegro_desktop.ui.tasks import Task, TaskQueue

__all__ = ["RestoreController", "stage_newest_sound"]

log = logging.getLogger("allegro_desktop.ui")


def stage_newest_sound(database_path: Path, stop: Callable[[], bool] | None = None
                       ) -> StagedBackup:
    """The newest automatic backup that passes its checks, staged; `BackupError` if none."""
    damaged: BackupDamagedError | None = None
    for _day, candidate in restorable_backups(database_path):
        try:
            return stage_backup(database_path, candidate, stop=stop)
        except BackupDamagedError as exc:
            log.warning("the backup %s is damaged; trying an older one", candidate)
            damaged = damaged or exc
    if damaged is not None:
        raise damaged
    folder = backup_folder(database_path)
    raise BackupError(f"{folder}: no automatic backup", path=folder, user_message=Text(
        QT_TRANSLATE_NOOP("Errors", "There is no automatic backup in %1."), folder))


class RestoreController(QObject):
    """Restores a backup of the running window's database (see the module doc): checked on
    `tasks`, restored by `worker`, shown by `operation`.

    `after_restore` is called on the GUI thread once a backup is in place, before the seller
    is told. `confirm_box` is the question on screen, if any.

    Signals:
        finished(object): a backup was restored (`RestoreReport`).
        failed(object): a restore was refused or failed (why: a str or `Text`); nothing
            changed.
    """

    finished = Signal(object)
    failed = Signal(object)
    _progressed = Signal(str, int, int)  # from the restore, a job of the sync thread

    def __init__(self, *, database: Database, worker: SyncWorker, app_version: str,
                 operation: OperationProgress, tasks: TaskQueue, window: QWidget,
                 after_restore: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._worker = worker
        self._app_version = app_version
        self._operation = operation
        self._tasks = tasks
        self._window = window
        self._after_restore = after_restore
        self.confirm_box: QMessageBox | None = None
        self._progressed.connect(self._on_progressed)
        self.finished.connect(self._on_finished)
        self.failed.connect(self._operation.fail)

    def choose_file(self) -> None:
        """Ask for the backup (in the automatic backups' folder, else Documents), then
        restore it."""
        chosen = ask_open_path(
            self._window, self.tr("Restore from backup"),
            self.tr("Allegro Desktop backups (*.sqlite3);;All files (*)"),
            folder=backup_folder(self._database.path))
        if chosen is not None:
            self.restore_from(chosen)

    def restore_newest(self) -> None:
        """Restore the newest sound automatic backup, if there is one."""
        if newest_backup(self._database.path) is not None:
            self.restore_from(None)

    def restore_from(self, path: Path | None) -> bool:
        """Check the backup at `path` (None: the newest sound automatic backup) in the
        background, then ask the seller (`confirm_box`) and restore it; False when another
        backup or restore is under way."""
        operation = self._operation
        if not operation.begin(self.tr("Checking the backup…"), cancel=True):
            return False
        database_path = self._database.path

        def work(task: Task[Step]) -> StagedBackup | None:
            try:
                return (stage_backup(database_path, path, progress=reporting(task),
                                     stop=operation.stop_for(task))
                        if path is not None else
                        stage_newest_sound(database_path, stop=operation.stop_for(task)))
            except BackupCancelled:
                return None

        self._tasks.submit(work, progress=operation.show_step, done=self._on_staged,
                           failed=lambda error: self.failed.emit(operation.failure(error)))
        return True

    def _on_staged(self, staged: StagedBackup | None) -> None:
        if staged is None:  # cancelled
            self._operation.end()
            return
        self._operation.hide()
        info = staged.info
        made = QLocale().toString(QDateTime.fromSecsSinceEpoch(
            int(info.modified_at.timestamp())), QLocale.FormatType.ShortFormat)
        question = count_grouped(self.tr(
            "Restore the backup made %2, with %Ln order(s)?\n%1", "", info.orders), info.orders,
            QLocale()).replace("%1", unbroken(str(staged.source))).replace("%2", made)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Restore from backup"), question,
                          parent=self._window)
        box.setObjectName("restoreConfirmBox")
        box.setInformativeText(self.tr(
            "The orders now on this computer are saved first, in the folder below. Orders that "
            "arrived after the backup are downloaded from Allegro again by the next sync.\n%1")
            .replace("%1", unbroken(str(backup_folder(self._database.path)))))
        restore_button = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is restore_button:
                self._restore(staged)
            else:
                staged.discard()
                self._operation.end()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _restore(self, staged: StagedBackup) -> None:
        """The restore itself, as the sync thread's exclusive job (see the module doc)."""
        self._operation.show_restoring()
        database = self._database
        operation = self._operation

        def work() -> None:
            try:
                report = restore(database.path, staged, exclusive=False,
                                 busy_timeout=database.busy_timeout,
                                 progress=self._report_progress)
            except AppError as exc:
                self.failed.emit(exc.user_text)
                return
            except Exception as exc:  # a bug: said, and the operation ends all the same
                log.exception("the restore from %s broke", staged.source)
                self.failed.emit(operation.failure(exc))
                return
            finally:
                staged.discard()
            # Another database is in place: checks and reads begun on the old one say
            # nothing of it (Database.replaced), and it is marked as this version's.
            database.replaced()
            try:
                database.upgrade_schema(self._app_version)
            except AppError as exc:  # restored all the same: only the version is not noted
                log.warning("the restored database's version could not be recorded: %s", exc)
            except Exception:
                log.exception("recording the restored database's version broke")
            self.finished.emit(report)

        def refused(text: str | Text) -> None:
            staged.discard()
            self.failed.emit(text)

        if not self._worker.run_exclusive(work, refused=refused):  # the app is closing
            staged.discard()
            self._operation.end()

    def _report_progress(self, step: BackupStep, done: int, total: int) -> None:
        """The restore's progress, from the sync thread."""
        self._progressed.emit(str(step), done, total)

    def _on_progressed(self, step: str, done: int, total: int) -> None:
        self._operation.show_step((BackupStep(step), done, total))

    def _on_finished(self, report: RestoreReport) -> None:
        self._operation.end()
        if self._after_restore is not None:
            self._after_restore()
        orders = report.restored.orders
        text = count_grouped(self.tr("Restored %Ln order(s) from:\n%1", "", orders), orders,
                             QLocale()).replace("%1", unbroken(str(report.source)))
        if report.saved_current is not None:
            text += "\n" + self.tr("The orders as they were before are kept in:\n%1").replace(
                "%1", unbroken(str(report.saved_current)))
        message_box(self._window, QMessageBox.Icon.Information, "restoreDoneBox", text)
