"""A damaged order database in the window: found by the full integrity check after start (in the
background), by any read that meets the damage, or by another process (a failed sync); then the
banner shows — syncing has stopped, as the database refuses writes — offering the newest backup
or a file to restore."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, QDateTime, QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.backup import restorable_backups
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.integrity import Damage
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.banner import Banner
from allegro_desktop.ui.tasks import Cancelled, Task, TaskQueue

__all__ = ["DamageBanner", "DamageWatch"]

log = logging.getLogger("allegro_desktop.ui")


class DamageBanner(Banner):
    """The banner over the window's tabs while `database` is known to be damaged: since when,
    what the app does about it, and the way back — `restore_newest_button` (shown when there
    is an automatic backup) and `restore_file_button`, wired by the banner's owner.
    `refresh()` shows or hides it."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(name="damageBanner", tone="alert", parent=parent)
        self._database = database
        self.message.setObjectName("damageText")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        row = self.row
        self.restore_newest_button = QPushButton(self)
        self.restore_newest_button.setObjectName("restoreNewestButton")
        row.addWidget(self.restore_newest_button)
        self.restore_file_button = QPushButton(self.tr("Restore from a file…"), self)
        self.restore_file_button.setObjectName("restoreFileButton")
        row.addWidget(self.restore_file_button)
        self.hide()

    def refresh(self) -> None:
        """Show the damage known now (with the newest backup, if any), or hide."""
        damage = self._database.damage
        self.setVisible(damage is not None)
        if damage is None:
            return
        found = QLocale().toString(QDateTime.fromSecsSinceEpoch(
            int(damage.detected_at.timestamp())), QLocale.FormatType.ShortFormat)
        self.message.setText(self.tr(
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


class DamageWatch(QObject):
    """Refreshes `banner` whenever the database may have been found damaged (see the module
    doc); `start()` the full check, on `tasks`, once the window shows.

    Signals:
        damage_found(object): the database was found damaged (a `Damage`): the banner shows.
        verified(object): the full check ended: True sound, False damaged, None stopped or
            not possible.
    """

    damage_found = Signal(object)
    verified = Signal(object)

    def __init__(self, *, database: Database, worker: SyncWorker, banner: DamageBanner,
                 tasks: TaskQueue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._banner = banner
        self._tasks = tasks
        worker.sync_failed.connect(self._on_worker_sync_failed)
        database.add_damage_listener(self._on_damage)
        self.damage_found.connect(self._on_damage_found)
        self.verified.connect(self._on_verified)

    def start(self) -> None:
        """Show what is known (a damaged database's banner) and check every page of the
        database in the background."""
        self._banner.refresh()
        database = self._database

        def check(task: Task[None]) -> bool | None:
            try:
                return database.verify(stop=task.is_cancelled)
            except RuntimeError:
                if task.is_cancelled():  # the window closed, and the database with it
                    raise Cancelled from None
                raise

        self._tasks.submit(check, done=self.verified.emit, failed=self._on_check_failed)

    def _on_check_failed(self, error: Exception) -> None:
        if isinstance(error, AppError):  # locked for long, an I/O error: the next start checks
            log.warning("the order database could not be checked: %s", error)
        # else a bug, logged by the queue; the window goes on
        self.verified.emit(None)

    def _on_damage(self, damage: Damage) -> None:
        if not self._tasks.is_shut_down:  # any thread: queued to the window's
            self.damage_found.emit(damage)

    def _on_damage_found(self, _damage: Damage) -> None:
        self._banner.refresh()

    def _on_verified(self, sound: object) -> None:
        if sound is not None:
            log.info("order database check: %s", "sound" if sound else "DAMAGED")
        self._banner.refresh()

    def _on_worker_sync_failed(self, _key: str, _message: object) -> None:
        self._banner.refresh()  # another process may have found the damage
