"""`DatabaseOpener`: the order database opened before the window shows. While another program
holds a lock on it (a backup tool, a second copy creating or migrating it) a small box says so
and the open waits (`Database.open`'s bounded wait; Quit gives up); a database too damaged to be
opened is explained, with the newest automatic backup offered and restored if the seller wants.
The work runs on a `TaskQueue` while a local event loop keeps the app responsive."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from allegro_desktop import APP_NAME
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.backup import RestoreReport, restore
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import DatabaseCorruptError, DatabaseLockedError
from allegro_desktop.ui.database.restore import stage_newest_sound
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.tasks import Task, TaskQueue

__all__ = ["DatabaseOpener"]

log = logging.getLogger("allegro_desktop.ui")

R = TypeVar("R")


class DatabaseOpener(QObject):
    """Opens the order database for the window, before it shows (see the module doc).

    `open()` runs `Database.open` on a `TaskQueue` while a local event loop keeps the app
    responsive; `busy_timeout` is the database's (each try at the lock waits that long).

    Signals:
        waiting(float): another program holds a lock; the wait box (`wait_box`) is shown.
    """

    waiting = Signal(float)

    def __init__(self, path: Path, *, app_version: str, busy_timeout: float = 5.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._app_version = app_version
        self._busy_timeout = busy_timeout
        self._quit = threading.Event()
        self._tasks = TaskQueue("opening the database", parent=self)
        self.wait_box: QMessageBox | None = None
        self._dialog: QMessageBox | None = None  # the damage or error box on screen
        self.waiting.connect(self._on_waiting)

    def open(self) -> Database | None:
        """The database, or None when the app cannot start (the seller was told why, or chose
        Quit while waiting)."""
        while True:
            try:
                return self._open_waiting()
            except DatabaseLockedError as exc:
                if self._quit.is_set():
                    return None
                self._fail(exc)
                return None
            except DatabaseCorruptError as exc:
                log.error("cannot open the order database: %s", exc)
                if not self._offer_restore(exc):
                    return None
            except AppError as exc:
                self._fail(exc)
                return None

    def give_up(self, *_signal: object) -> None:
        """Stop as Quit does (the app is told to end, e.g. SIGTERM): the lock wait ends at its
        next try, the box on screen closes, and `open()` returns None — or the database, if
        it was opened meanwhile."""
        self._quit.set()
        for box in (self.wait_box, self._dialog):
            if box is not None:
                box.reject()

    def _fail(self, error: AppError) -> None:
        log.error("cannot open the order database: %s", error)
        if self._quit.is_set():
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, translated(error),
                          QMessageBox.StandardButton.Ok)
        box.setObjectName("databaseErrorBox")
        self._exec(box)

    def _exec(self, box: QMessageBox) -> None:
        self._dialog = box
        try:
            box.exec()
        finally:
            self._dialog = None

    def _wait_for(self, work: Callable[[Task[float]], R]) -> R:
        """`work` on the opener's `TaskQueue`, the Qt event loop running here until it ends:
        what it returns, or what it raised raised again here. What it reports is `waiting`."""
        loop = QEventLoop()
        outcome: list[R] = []
        errors: list[Exception] = []

        def done(result: R) -> None:
            outcome.append(result)
            loop.quit()

        def failed(error: Exception) -> None:
            errors.append(error)
            loop.quit()

        self._tasks.submit(work, done=done, failed=failed, progress=self.waiting.emit)
        loop.exec()
        self._tasks.wait(-1)
        if not outcome and not errors:  # the loop was ended from outside: deliver it now
            QCoreApplication.processEvents()
        if errors:
            raise errors[0]
        return outcome[0]

    def _open_waiting(self) -> Database:
        def work(task: Task[float]) -> Database:
            def on_wait(seconds: float) -> bool:
                task.report(seconds)
                return not self._quit.is_set()

            return Database.open(self.path, app_version=self._app_version,
                                 busy_timeout=self._busy_timeout, on_wait=on_wait)

        try:
            return self._wait_for(work)
        finally:
            if self.wait_box is not None:
                self.wait_box.done(0)
                self.wait_box = None

    def _on_waiting(self, _seconds: float) -> None:
        if self.wait_box is not None or self._quit.is_set():
            return
        box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, self.tr(
            "The order database is in use by another program — perhaps a backup tool or a "
            "second copy of Allegro Desktop. Waiting until it is free…"))
        box.setObjectName("databaseWaitBox")
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        quit_button = box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(self._quit.set)
        box.rejected.connect(self._quit.set)
        self.wait_box = box
        box.open()

    def _offer_restore(self, error: DatabaseCorruptError) -> bool:
        """Explain; offer the newest backup. True when one was restored (open again)."""
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, translated(error))
        box.setObjectName("databaseDamagedBox")
        restore_button = None
        if error.newest_backup is not None:
            restore_button = box.addButton(self.tr("Restore the newest backup"),
                                           QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        if self._quit.is_set():
            return False
        self._exec(box)
        if restore_button is None or box.clickedButton() is not restore_button:
            return False

        def work(_task: Task[float]) -> RestoreReport:
            with stage_newest_sound(self.path) as staged:
                return restore(self.path, staged, exclusive=True)

        progress = QProgressDialog(self.tr("Restoring the newest backup…"), "", 0, 0)
        progress.setObjectName("restoreProgress")
        progress.setCancelButton(None)
        progress.setWindowTitle(APP_NAME)
        progress.show()
        failure: AppError | None = None
        try:
            report = self._wait_for(work)
        except AppError as exc:
            failure = exc
        except Exception as exc:  # a bug (logged by the queue): said, and the app does not start
            failure = AppError(f"restore: {exc!r}", user_message=self.tr(
                "The restore stopped because of an unexpected error (%1). The log has "
                "the details.").replace("%1", repr(exc)))
        finally:
            progress.close()
        if failure is not None:
            self._fail(failure)
            return False
        log.info("restored the order database from %s", report.source)
        return True
