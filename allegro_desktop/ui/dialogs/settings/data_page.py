"""The Settings dialog's "Data" tab: the data folder (used from the next start; fixed when
--data-dir chose it, and in the demo), the automatic backups of the order database, and how
much the log says — naming the log file actually written (`log_file_in_use`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from allegro_desktop.config.logging_setup import log_file_in_use
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import LOG_LEVELS, MAX_BACKUPS_KEPT, Settings
from allegro_desktop.storage.backup import backup_folder
from allegro_desktop.ui.dialogs.settings.page import SettingsPage

__all__ = ["DataPage"]

#: Automatic-backup choices, in days (0: off).
BACKUP_INTERVALS = (0, 1, 2, 3, 7, 14, 30)


class DataPage(SettingsPage):
    """The "Data" tab: the data folder (from the next start; fixed by --data-dir and in the
    demo), the automatic backups, and how much the log says (and where it is written)."""

    def __init__(self, *, settings: Settings, paths: AppPaths,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        form = self.form
        self.data_dir = QLineEdit(self)
        self.data_dir.setObjectName("dataDir")
        self.data_dir.setPlaceholderText(self.tr("The usual folder"))
        self.browse = QPushButton(self.tr("Browse…"), self)
        self.browse.setObjectName("browseDataDir")
        row = QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Data folder:"), row)
        form.addRow(self.error_label("dataDir"))
        if paths.demo:
            note = self.tr("The demo keeps its orders, settings and log apart from yours, in "
                           "%1, emptied at each start of the demo; the data folder cannot be "
                           "changed here.").replace("%1", str(paths.data_dir))
        elif paths.portable:
            note = self.tr("This run keeps everything in %1 (the --data-dir option), so the "
                           "data folder cannot be changed here.").replace(
                               "%1", str(paths.data_dir))
        else:
            note = self.tr(
                "Where the order database is kept (now: %1). A new folder is used from the "
                "next start. To take your orders along, quit the app and move the file "
                "orders.sqlite3 (and orders.sqlite3-wal and orders.sqlite3-shm, if present) "
                "into the new folder; otherwise the app starts there with no orders and syncs "
                "them from Allegro again.").replace("%1", str(paths.data_dir))
        form.addRow(self.note(note))
        self.data_dir.setEnabled(not paths.data_dir_fixed)
        self.browse.setEnabled(not paths.data_dir_fixed)
        self.backup_interval = QComboBox(self)
        self.backup_interval.setObjectName("backupInterval")
        for days in BACKUP_INTERVALS:
            self.backup_interval.addItem(self._backup_interval_text(days), days)
        form.addRow(self.tr("Back up automatically:"), self.backup_interval)
        self.backups_kept = QSpinBox(self)
        self.backups_kept.setObjectName("backupsKept")
        self.backups_kept.setRange(1, MAX_BACKUPS_KEPT)
        form.addRow(self.tr("Backups to keep:"), self.backups_kept)
        form.addRow(self.note(self.tr(
            "After a sync, a copy of the order database is saved in %1; the oldest go once "
            "there are more. File → Back up… saves one anywhere, File → Restore from backup… "
            "puts one back.").replace("%1", str(backup_folder(paths.database)))))
        self.backup_interval.currentIndexChanged.connect(self._on_field_edited)
        self.backups_kept.valueChanged.connect(self._on_field_edited)
        self.log_level = QComboBox(self)
        self.log_level.setObjectName("logLevel")
        names = {"DEBUG": self.tr("Debug (everything, for troubleshooting)"),
                 "INFO": self.tr("Information (default)"),
                 "WARNING": self.tr("Warnings and errors"),
                 "ERROR": self.tr("Errors only")}
        for level in LOG_LEVELS:
            self.log_level.addItem(names[level], level)
        form.addRow(self.tr("Log detail:"), self.log_level)
        log_file = log_file_in_use()
        self.log_note = self.note(
            self.tr("The log is written to %1. It never contains passwords or tokens.")
            .replace("%1", str(log_file)) if log_file is not None else
            self.tr("This run writes no log file."))
        self.log_note.setObjectName("logNote")
        self.log_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.log_note)
        self.data_dir.textEdited.connect(self._on_field_edited)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.log_level.currentIndexChanged.connect(self._on_field_edited)

        chosen = settings.data_dir
        self.data_dir.setText(str(chosen) if chosen is not None else "")
        self.log_level.setCurrentIndex(max(self.log_level.findData(settings.log_level), 0))
        days = settings.backup_interval_days
        index = self.backup_interval.findData(days)
        if index < 0:  # a value set by hand: shown as it is
            self.backup_interval.addItem(self._backup_interval_text(days), days)
            index = self.backup_interval.count() - 1
        self.backup_interval.setCurrentIndex(index)
        self.backups_kept.setValue(settings.backups_kept)

    def values(self) -> dict[str, Any]:
        """As the base's; the data folder only when this run lets it be chosen (not with
        --data-dir, nor in the demo)."""
        values: dict[str, Any] = {}
        if not self._paths.data_dir_fixed:
            data_dir = self.data_dir.text().strip()
            values["data_dir"] = Path(data_dir).expanduser() if data_dir else None
        values["log_level"] = str(self.log_level.currentData())
        values["backup_interval_days"] = int(self.backup_interval.currentData())
        values["backups_kept"] = self.backups_kept.value()
        return values

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        folder = self.values().get("data_dir")
        if folder is not None:
            if not folder.is_absolute():
                problems["dataDir"] = self.tr(
                    "Choose a full folder path (use Browse…).")
            elif folder.exists() and not folder.is_dir():
                problems["dataDir"] = self.tr("%1 is a file, not a folder.").replace(
                    "%1", str(folder))
        return problems

    def _backup_interval_text(self, days: int) -> str:
        if days == 0:
            return self.tr("Off")
        if days == 1:
            return self.tr("Every day")
        if days == 7:
            return self.tr("Every week")
        return self.tr("Every %n days", "", days)

    def _on_browse_clicked(self) -> None:
        start = self.data_dir.text().strip() or str(self._paths.data_dir)
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the data folder"),
                                                  start)
        if folder:
            self.data_dir.setText(folder)
            self._on_field_edited()
