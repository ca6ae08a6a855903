"""`DatabaseCare`: the running window's care of its order database, assembled from this room's
parts — File → Back up… (backup.py) and Restore from backup… (restore.py), one at a time
(operation.py); the damage banner and the full check after start (damage.py); the automatic
backups after syncs (automatic_backups.py) — whose background work shares one `TaskQueue`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from allegro_desktop.config.settings import Settings
from allegro_desktop.storage.database import Database
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.database.automatic_backups import AutomaticBackups
from allegro_desktop.ui.database.backup import BackupController
from allegro_desktop.ui.database.damage import DamageBanner, DamageWatch
from allegro_desktop.ui.database.operation import OperationProgress
from allegro_desktop.ui.database.restore import RestoreController
from allegro_desktop.ui.tasks import TaskQueue
from allegro_desktop.ui.window.main_window import MainWindow

__all__ = ["DatabaseCare"]

#: How long `DatabaseCare.shutdown` waits for the background work to stop (ms).
_SHUTDOWN_TIMEOUT_MS = 10_000


class DatabaseCare(QObject):
    """Backups, restores and damage of the running window's database (see the module doc):
    `backups`, `restores` (sharing `operation`), `banner` with `damage_watch`, and
    `automatic_backups`, attached to `window`'s File menu and banner area.

    `after_restore` is called on the GUI thread once a backup is in place (the app reads the
    tabs again and syncs). Call `start()` once the window shows and `shutdown()` before the
    sync thread stops.

    Signals: none (the parts have theirs).
    """

    def __init__(self, *, window: MainWindow, database: Database, worker: SyncWorker,
                 settings: Settings, app_version: str,
                 after_restore: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._after_restore = after_restore
        # The check after start, an automatic backup and the seller's backup (or the check of
        # a backup to restore) run side by side, each one at a time.
        self._tasks = TaskQueue("database care", threads=3, parent=self)
        self.operation = OperationProgress(
            window=window, actions=(window.backup_action, window.restore_action), parent=self)
        self.backups = BackupController(database=database, operation=self.operation,
                                        tasks=self._tasks, window=window, parent=self)
        self.restores = RestoreController(
            database=database, worker=worker, app_version=app_version,
            operation=self.operation, tasks=self._tasks, window=window,
            after_restore=self._on_restored, parent=self)
        self.banner = DamageBanner(database, window)
        window.add_banner(self.banner)
        self.damage_watch = DamageWatch(database=database, worker=worker, banner=self.banner,
                                        tasks=self._tasks, parent=self)
        self.automatic_backups = AutomaticBackups(database=database, worker=worker,
                                                  settings=settings, tasks=self._tasks,
                                                  parent=self)
        window.backup_requested.connect(self.backups.choose_file)
        window.restore_requested.connect(self.restores.choose_file)
        self.banner.restore_newest_button.clicked.connect(self.restores.restore_newest)
        self.banner.restore_file_button.clicked.connect(self.restores.choose_file)

    def start(self) -> None:
        """Show what is known (a damaged database's banner) and check every page of the
        database in the background."""
        self.damage_watch.start()

    def shutdown(self) -> bool:
        """Stop the background checks and backups, and wait for them (before the database
        closes); False if some still ran at the deadline."""
        return self._tasks.shutdown(_SHUTDOWN_TIMEOUT_MS)

    def _on_restored(self) -> None:
        self.banner.refresh()
        if self._after_restore is not None:
            self._after_restore()
