"""The order database's care in the window: opening it, backups, restores and damage.

- `DatabaseOpener` opens the database before the window shows: while another program holds a
  lock on it (a backup tool, a second copy creating or migrating it) a small box says so and
  the open waits (`Database.open`'s bounded wait; Quit gives up); a database too damaged to be
  opened is explained, with the newest automatic backup offered.
- `DatabaseCare` serves the running window: File → Back up… (a file chosen, progress, done)
  and Restore from backup… (the file checked, the seller asked, then restored), the full
  integrity check on a background thread after start, the automatic backups after successful
  syncs (the backup settings), and the banner shown once the database is found damaged —
  syncing has then stopped (the database refuses writes) and the banner offers the newest
  backup.

Backups and checks only read, on a `TaskQueue` (ui/tasks.py; WAL: the sync goes on
meanwhile); the opener waits for its own with a local event loop. A restore writes the whole
database, so it runs as an exclusive job of the sync thread (`SyncWorker.run_exclusive`) — the
database's only writer — and no sync writes during it; afterwards the tabs are read again and a
sync fetches what is newer than the backup.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEventLoop,
    QLocale,
    QObject,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from allegro_desktop import APP_NAME
from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.storage.backup import (
    BackupCancelled,
    BackupInfo,
    BackupStep,
    RestoreReport,
    StagedBackup,
    back_up,
    backup_folder,
    newest_backup,
    restorable_backups,
    restore,
    stage_backup,
    take_automatic_backup,
)
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import (
    BackupDamagedError,
    BackupError,
    DatabaseCorruptError,
    DatabaseLockedError,
)
from allegro_desktop.storage.integrity import Damage
from allegro_desktop.sync import SyncResult
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.tasks import Cancelled, Task, TaskQueue
from allegro_desktop.ui.theme import colour, follow_palette
from allegro_desktop.ui.window.main_window import MainWindow

__all__ = ["DatabaseCare", "DatabaseOpener"]

log = logging.getLogger("allegro_desktop.ui")

#: How long `DatabaseCare.shutdown` waits for the background work to stop (ms).
_SHUTDOWN_TIMEOUT_MS = 10_000

R = TypeVar("R")

#: What a backup, a restore or a check reports: the step, what is done of it, of how much.
_Step = tuple[BackupStep, int, int]


def _stage_newest_sound(database_path: Path, stop: Callable[[], bool] | None = None
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


def _reporter(task: Task[_Step]) -> Callable[[BackupStep, int, int], None]:
    """The `progress` of a backup or a check: reported by `task` to the GUI thread."""
    return lambda step, done, total: task.report((step, done, total))


def _message_box(parent: QWidget | None, icon: QMessageBox.Icon, name: str,
                 text: str) -> QMessageBox:
    """A non-blocking message box that deletes itself when closed."""
    box = QMessageBox(icon, APP_NAME, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


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
            with _stage_newest_sound(self.path) as staged:
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


class DatabaseCare(QObject):
    """Backups, restores and damage of the running window's database (see the module doc).

    `after_restore` is called on the GUI thread once a backup is in place (the app reads the
    tabs again and syncs). Call `start()` once the window shows and `shutdown()` before the
    sync thread stops.

    Signals:
        damage_found(object): the database was found damaged (a `Damage`): the banner shows.
        verified(object): the background check ended: True sound, False damaged, None
            stopped or not possible.
        backup_finished(object): a backup the seller asked for is written (`BackupInfo`).
        backup_failed(object): it failed (why: a str or `Text`); nothing was written.
        restore_finished(object): a backup was restored (`RestoreReport`).
        restore_failed(object): a restore was refused or failed (why); nothing changed.
        automatic_backup_finished(object): an automatic backup was taken (`BackupInfo`).
    """

    damage_found = Signal(object)
    verified = Signal(object)
    backup_finished = Signal(object)
    backup_failed = Signal(object)
    restore_finished = Signal(object)
    restore_failed = Signal(object)
    automatic_backup_finished = Signal(object)
    _progressed = Signal(str, int, int)  # from the restore, a job of the sync thread

    def __init__(self, *, window: MainWindow, database: Database, worker: SyncWorker,
                 settings: Settings, app_version: str,
                 after_restore: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._database = database
        self._worker = worker
        self._settings = settings
        self._app_version = app_version
        self._after_restore = after_restore
        # The check after start, an automatic backup and the seller's backup (or the check of
        # a backup to restore) run side by side, each one at a time.
        self._tasks = TaskQueue("database care", threads=3, parent=self)
        self._cancel = threading.Event()  # the progress dialog's Cancel
        self._automatic_running = False
        self._busy = False  # a backup or a restore the seller asked for is under way
        self._progress: QProgressDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.banner = self._build_banner()
        window.add_banner(self.banner)
        window.backup_requested.connect(self._on_window_backup_requested)
        window.restore_requested.connect(self._on_window_restore_requested)
        worker.sync_finished.connect(self._on_worker_sync_finished)
        worker.sync_failed.connect(self._on_worker_sync_failed)
        database.add_damage_listener(self._on_damage)
        self.damage_found.connect(self._on_damage_found)
        self.verified.connect(self._on_verified)
        self._progressed.connect(self._on_progressed)
        self.backup_finished.connect(self._on_backup_finished)
        self.backup_failed.connect(self._on_failed)
        self.restore_finished.connect(self._on_restore_finished)
        self.restore_failed.connect(self._on_failed)

    # -- public -----------------------------------------------------------------------------

    def start(self) -> None:
        """Show what is known (a damaged database's banner) and check every page of the
        database in the background."""
        self._show_banner()
        database = self._database

        def check(task: Task[None]) -> bool | None:
            try:
                return database.verify(stop=task.is_cancelled)
            except RuntimeError:
                if task.is_cancelled():  # the window closed, and the database with it
                    raise Cancelled from None
                raise

        self._tasks.submit(check, done=self.verified.emit, failed=self._on_check_failed)

    def shutdown(self) -> bool:
        """Stop the background checks and backups, and wait for them (before the database
        closes); False if some still ran at the deadline."""
        return self._tasks.shutdown(_SHUTDOWN_TIMEOUT_MS)

    @property
    def busy(self) -> bool:
        """A backup or a restore the seller asked for is under way."""
        return self._busy

    def back_up_to(self, path: Path) -> bool:
        """Write a backup to `path` in the background, with progress; False when another
        backup or restore is under way. Ends with `backup_finished` or `backup_failed` (or
        nothing, if the seller cancelled)."""
        if not self._begin_operation(self.tr("Backing up the orders…"), cancel=True):
            return False
        database = self._database

        def work(task: Task[_Step]) -> BackupInfo | None:
            try:
                return back_up(database, path, progress=_reporter(task),
                               stop=self._stopper(task))
            except BackupCancelled:
                return None

        self._tasks.submit(work, progress=self._show_progress, done=self._on_backed_up,
                           failed=lambda error: self.backup_failed.emit(self._failure(error)))
        return True

    def restore_from(self, path: Path | None) -> bool:
        """Check the backup at `path` (None: the newest sound automatic backup) in the
        background, then ask the seller (`confirm_box`) and restore it; False when another
        backup or restore is under way."""
        if not self._begin_operation(self.tr("Checking the backup…"), cancel=True):
            return False
        database_path = self._database.path

        def work(task: Task[_Step]) -> StagedBackup | None:
            try:
                return (stage_backup(database_path, path, progress=_reporter(task),
                                     stop=self._stopper(task))
                        if path is not None else
                        _stage_newest_sound(database_path, stop=self._stopper(task)))
            except BackupCancelled:
                return None

        self._tasks.submit(work, progress=self._show_progress, done=self._on_staged,
                           failed=lambda error: self.restore_failed.emit(self._failure(error)))
        return True

    # -- operations -----------------------------------------------------------------------

    def _stopper(self, task: Task[_Step]) -> Callable[[], bool]:
        """The `stop` of a backup or a check: the window closes, or the seller cancelled."""
        return lambda: task.is_cancelled() or self._cancel.is_set()

    def _failure(self, error: Exception) -> str | Text:
        """What the seller is told of a failed backup or check (a bug: logged by the queue)."""
        return error.user_text if isinstance(error, AppError) else self._unexpected(error)

    def _unexpected(self, exc: Exception) -> str:
        """What the seller is told of a failure nobody foresaw (a bug; the log has the
        traceback). Any thread: `tr` is thread-safe."""
        return self.tr("The operation stopped because of an unexpected error (%1). The order "
                       "database was not changed; the log has the details.").replace(
                           "%1", repr(exc))

    def _report_progress(self, step: BackupStep, done: int, total: int) -> None:
        """The restore's progress, from the sync thread."""
        self._progressed.emit(str(step), done, total)

    def _begin_operation(self, label: str, *, cancel: bool) -> bool:
        if self._busy:
            return False
        self._busy = True
        self._cancel.clear()
        self._window.backup_action.setEnabled(False)
        self._window.restore_action.setEnabled(False)
        progress = QProgressDialog(label, self.tr("Cancel") if cancel else "", 0, 0,
                                   self._window)
        progress.setObjectName("backupProgress")
        progress.setWindowTitle(APP_NAME)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        if not cancel:
            progress.setCancelButton(None)
        progress.canceled.connect(self._cancel.set)
        self._progress = progress
        progress.show()
        return True

    def _end_operation(self) -> None:
        self._busy = False
        self._window.backup_action.setEnabled(True)
        self._window.restore_action.setEnabled(True)
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_progressed(self, step: str, done: int, total: int) -> None:
        self._show_progress((BackupStep(step), done, total))

    def _show_progress(self, report: _Step) -> None:
        step, done, total = report
        progress = self._progress
        if progress is None:
            return
        labels = {BackupStep.COPY: self.tr("Copying the orders…"),
                  BackupStep.CHECK: self.tr("Checking the backup…"),
                  BackupStep.SAVE_CURRENT: self.tr("Saving the current orders…"),
                  BackupStep.RESTORE: self.tr("Restoring the backup…")}
        progress.setLabelText(labels.get(step, progress.labelText()))
        progress.setRange(0, total)
        progress.setValue(min(done, total))

    def _on_backed_up(self, info: BackupInfo | None) -> None:
        if info is None:  # cancelled
            self._end_operation()
        else:
            self.backup_finished.emit(info)

    def _on_backup_finished(self, info: BackupInfo) -> None:
        self._end_operation()
        _message_box(self._window, QMessageBox.Icon.Information, "backupDoneBox", self.tr(
            "Backed up %n order(s) to %1. The backup was checked and is complete.", "",
            info.orders).replace("%1", str(info.path)))

    def _on_failed(self, message: object) -> None:
        self._end_operation()
        _message_box(self._window, QMessageBox.Icon.Warning, "backupErrorBox",
                     translated(message))

    def _on_staged(self, staged: StagedBackup | None) -> None:
        if staged is None:  # cancelled
            self._end_operation()
            return
        if self._progress is not None:
            self._progress.hide()
        info = staged.info
        made = QLocale().toString(QDateTime.fromSecsSinceEpoch(
            int(info.modified_at.timestamp())), QLocale.FormatType.ShortFormat)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Restore from backup"), self.tr(
            "Restore the backup %1, made %2, with %n order(s)?", "", info.orders)
            .replace("%1", str(staged.source)).replace("%2", made), parent=self._window)
        box.setObjectName("restoreConfirmBox")
        box.setInformativeText(self.tr(
            "The orders now on this computer are saved first, in %1. Orders that arrived "
            "after the backup are downloaded from Allegro again by the next sync.")
            .replace("%1", str(backup_folder(self._database.path))))
        restore_button = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is restore_button:
                self._restore(staged)
            else:
                staged.discard()
                self._end_operation()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _restore(self, staged: StagedBackup) -> None:
        """The restore itself, as the sync thread's exclusive job (see the module doc)."""
        if self._progress is not None:
            self._progress.setLabelText(self.tr("Restoring the backup…"))
            self._progress.setCancelButton(None)
            self._progress.setRange(0, 0)
            self._progress.show()
        database = self._database

        def work() -> None:
            try:
                report = restore(database.path, staged, exclusive=False,
                                 busy_timeout=database.busy_timeout,
                                 progress=self._report_progress)
            except AppError as exc:
                self.restore_failed.emit(exc.user_text)
                return
            except Exception as exc:  # a bug: said, and the operation ends all the same
                log.exception("the restore from %s broke", staged.source)
                self.restore_failed.emit(self._unexpected(exc))
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
            self.restore_finished.emit(report)

        def refused(text: str | Text) -> None:
            staged.discard()
            self.restore_failed.emit(text)

        if not self._worker.run_exclusive(work, refused=refused):  # the app is closing
            staged.discard()
            self._end_operation()

    def _on_restore_finished(self, report: RestoreReport) -> None:
        self._end_operation()
        self._show_banner()
        if self._after_restore is not None:
            self._after_restore()
        text = self.tr("Restored %n order(s) from %1.", "", report.restored.orders).replace(
            "%1", str(report.source))
        if report.saved_current is not None:
            text += " " + self.tr("The orders as they were before are kept in %1.").replace(
                "%1", str(report.saved_current))
        _message_box(self._window, QMessageBox.Icon.Information, "restoreDoneBox", text)

    # -- damage ---------------------------------------------------------------------------

    def _on_check_failed(self, error: Exception) -> None:
        if isinstance(error, AppError):  # locked for long, an I/O error: the next start checks
            log.warning("the order database could not be checked: %s", error)
        # else a bug, logged by the queue; the window goes on
        self.verified.emit(None)

    def _on_damage(self, damage: Damage) -> None:
        if not self._tasks.is_shut_down:  # any thread: queued to the window's
            self.damage_found.emit(damage)

    def _on_damage_found(self, _damage: Damage) -> None:
        self._show_banner()

    def _on_verified(self, sound: object) -> None:
        if sound is not None:
            log.info("order database check: %s", "sound" if sound else "DAMAGED")
        self._show_banner()

    def _on_worker_sync_failed(self, _key: str, _message: object) -> None:
        self._show_banner()  # another process may have found the damage

    def _build_banner(self) -> QFrame:
        banner = QFrame(self._window)
        banner.setObjectName("damageBanner")
        follow_palette(banner, lambda dark: (
            f"#damageBanner {{ background: {colour('alert.background', dark)}; "
            f"border-bottom: 1px solid {colour('alert.border', dark)}; }}"))
        row = QHBoxLayout(banner)
        row.setContentsMargins(16, 6, 16, 6)
        self.banner_text = QLabel(banner)
        self.banner_text.setObjectName("damageText")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.RichText)
        follow_palette(self.banner_text, lambda dark: f"color: {colour('alert.text', dark)};")
        row.addWidget(self.banner_text, 1)
        self.restore_newest_button = QPushButton(banner)
        self.restore_newest_button.setObjectName("restoreNewestButton")
        self.restore_newest_button.clicked.connect(self._on_restore_newest_clicked)
        row.addWidget(self.restore_newest_button)
        restore_file = QPushButton(self.tr("Restore from a file…"), banner)
        restore_file.setObjectName("restoreFileButton")
        restore_file.clicked.connect(self._on_window_restore_requested)
        row.addWidget(restore_file)
        banner.hide()
        return banner

    def _show_banner(self) -> None:
        damage = self._database.damage
        self.banner.setVisible(damage is not None)
        if damage is None:
            return
        found = QLocale().toString(QDateTime.fromSecsSinceEpoch(
            int(damage.detected_at.timestamp())), QLocale.FormatType.ShortFormat)
        self.banner_text.setText(self.tr(
            "<b>The order database is damaged</b> (found %1). The app has stopped syncing and "
            "writing to it, so the damage does not spread; your orders can still be viewed. "
            "Restore a backup to go on.").replace("%1", found))
        newest = restorable_backups(self._database.path)
        self.restore_newest_button.setVisible(bool(newest))
        if newest:
            newest_day = newest[0][0]
            day = QLocale().toString(QDate(newest_day.year, newest_day.month, newest_day.day),
                                     QLocale.FormatType.ShortFormat)
            self.restore_newest_button.setText(
                self.tr("Restore the newest backup (%1)").replace("%1", day))

    # -- automatic backups ----------------------------------------------------------------

    def _on_worker_sync_finished(self, result: SyncResult) -> None:
        if not result.report.succeeded or self._automatic_running:
            return
        policy = self._settings.backup_policy()
        today = date.today()
        if not policy.due(backup_folder(self._database.path), today):
            return
        database = self._database

        def work(task: Task[None]) -> BackupInfo | None:
            try:
                return take_automatic_backup(database, policy, today=today,
                                             stop=task.is_cancelled)
            except BackupCancelled:
                return None

        self._automatic_running = True
        self._tasks.submit(work, done=self._on_automatic_backup_done,
                           failed=self._on_automatic_backup_failed)

    def _on_automatic_backup_done(self, info: BackupInfo | None) -> None:
        self._automatic_running = False
        if info is not None:
            self.automatic_backup_finished.emit(info)

    def _on_automatic_backup_failed(self, error: Exception) -> None:
        self._automatic_running = False
        if isinstance(error, AppError):  # a full disk, a damaged database (the banner says so)
            log.warning("no automatic backup: %s", error)
        # else a bug, logged by the queue; the next sync tries again

    # -- window actions -------------------------------------------------------------------

    def _on_window_backup_requested(self) -> None:
        folder = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        suggested = folder / f"allegro-desktop-backup-{date.today().isoformat()}.sqlite3"
        chosen, _filter = QFileDialog.getSaveFileName(
            self._window, self.tr("Back up the orders"), str(suggested),
            self.tr("Allegro Desktop backups (*.sqlite3)"))
        if chosen:
            self.back_up_to(Path(chosen))

    def _on_window_restore_requested(self) -> None:
        folder = backup_folder(self._database.path)
        chosen, _filter = QFileDialog.getOpenFileName(
            self._window, self.tr("Restore from backup"),
            str(folder if folder.is_dir() else Path.home()),
            self.tr("Allegro Desktop backups (*.sqlite3);;All files (*)"))
        if chosen:
            self.restore_from(Path(chosen))

    def _on_restore_newest_clicked(self) -> None:
        if newest_backup(self._database.path) is not None:
            self.restore_from(None)
