"""Automatic backups in the window: after a successful sync, when the backup settings say one is
due, a backup into the backups folder — in the background (it only reads: syncs go on), one at
a time, the oldest beyond the number kept removed (storage/backup.py's
`take_automatic_backup`)."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QObject, Signal

from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.backup import (
    BackupCancelled,
    BackupInfo,
    backup_folder,
    take_automatic_backup,
)
from allegro_desktop.storage.database import Database
from allegro_desktop.sync import SyncResult
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.tasks import Task, TaskQueue

__all__ = ["AutomaticBackups"]

log = logging.getLogger("allegro_desktop.ui")


class AutomaticBackups(QObject):
    """Takes the automatic backups of `database` after `worker`'s syncs, on `tasks`, as
    `settings` say (read at each sync: a change applies at once).

    Signals:
        taken(object): an automatic backup was taken (`BackupInfo`).
    """

    taken = Signal(object)

    def __init__(self, *, database: Database, worker: SyncWorker, settings: Settings,
                 tasks: TaskQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._settings = settings
        self._tasks = tasks
        self._running = False
        worker.sync_finished.connect(self._on_worker_sync_finished)

    def _on_worker_sync_finished(self, result: SyncResult) -> None:
        if not result.report.succeeded or self._running:
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

        self._running = True
        self._tasks.submit(work, done=self._on_done, failed=self._on_failed)

    def _on_done(self, info: BackupInfo | None) -> None:
        self._running = False
        if info is not None:
            self.taken.emit(info)

    def _on_failed(self, error: Exception) -> None:
        self._running = False
        if isinstance(error, AppError):  # a full disk, a damaged database (the banner says so)
            log.warning("no automatic backup: %s", error)
        # else a bug, logged by the queue; the next sync tries again
