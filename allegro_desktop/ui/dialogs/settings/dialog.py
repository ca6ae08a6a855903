"""The Settings dialog (File → Settings…, Ctrl+,).

Every field edits one declared setting (`config/settings.py`) or one keyring secret (the client
secret, the webhook's address and secret — through `TokenStore`, never into settings.ini; the
dialog never shows a stored secret, only that one is stored; the webhook's address is shown:
the seller typed it and needs to check it). Nothing is written until OK or Apply, and then
everything or nothing: a field the declaration refuses shows why under it, on its tab, and the
other fields wait with it.

What changed is announced (`settings_changed`) with the names of the settings, for
`SettingsController` (controller.py) to apply live where that is possible. The language and the
data folder take effect at the next start, and the dialog says so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import (
    LOG_LEVELS,
    MAX_BACKUPS_KEPT,
    SettingError,
    Settings,
)
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.backup import backup_folder
from allegro_desktop.ui.dialogs.settings.appearance_page import AppearancePage
from allegro_desktop.ui.dialogs.settings.connection_page import ConnectionPage
from allegro_desktop.ui.dialogs.settings.notifications_page import NotificationsPage
from allegro_desktop.ui.dialogs.settings.page import SettingsPage
from allegro_desktop.ui.dialogs.settings.sync_page import SyncPage
from allegro_desktop.ui.i18n import translated

__all__ = ["SettingsDialog"]

log = logging.getLogger("allegro_desktop.ui")

#: Automatic-backup choices, in days (0: off).
BACKUP_INTERVALS = (0, 1, 2, 3, 7, 14, 30)


class DataPage(SettingsPage):
    """The "Data" tab: the data folder (from the next start; fixed by --data-dir), the
    automatic backups, and how much the log says."""

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
        if paths.portable:
            note = self.tr("This run keeps everything in %1 (the --data-dir option), so the "
                           "data folder cannot be changed here.").replace(
                               "%1", str(paths.data_dir))
            self.data_dir.setEnabled(False)
            self.browse.setEnabled(False)
        else:
            note = self.tr(
                "Where the order database is kept (now: %1). A new folder is used from the "
                "next start. To take your orders along, quit the app and move the file "
                "orders.sqlite3 (and orders.sqlite3-wal and orders.sqlite3-shm, if present) "
                "into the new folder; otherwise the app starts there with no orders and syncs "
                "them from Allegro again.").replace("%1", str(paths.data_dir))
        form.addRow(self.note(note))
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
        form.addRow(self.note(self.tr("Logs are kept in %1. They never contain passwords or "
                                      "tokens.").replace("%1", str(paths.log_dir))))
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
        --data-dir)."""
        values: dict[str, Any] = {}
        if not self._paths.portable:
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


class SettingsDialog(QDialog):
    """Edits the settings and the keyring secrets; OK/Apply write them, Cancel forgets.

    `store` is the keyring (None: no secret fields, e.g. a keyring that cannot be used is
    reported in them); `paths` tells whether --data-dir fixed the data folder; `demo` greys out
    the connection (the demo's emulator needs none). Each tab is a page (`connection_page`,
    `sync_page`, `notifications_page`, `appearance_page`, `data_page`) holding its fields.

    Signals:
        settings_changed(list): OK or Apply wrote these settings (names of `Settings`
            attributes; "client_secret" / "webhook_url" / "webhook_secret" for the secrets).
    """

    settings_changed = Signal(list)

    def __init__(self, *, settings: Settings, store: TokenStore | None, paths: AppPaths,
                 demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs)
        self.connection_page = ConnectionPage(settings=settings, store=store, demo=demo,
                                              parent=self.tabs)
        self.sync_page = SyncPage(settings=settings, parent=self.tabs)
        self.notifications_page = NotificationsPage(settings=settings, store=store,
                                                    parent=self.tabs)
        self.appearance_page = AppearancePage(settings=settings, parent=self.tabs)
        self.data_page = DataPage(settings=settings, paths=paths, parent=self.tabs)
        self.tabs.addTab(self.connection_page, self.tr("Allegro connection"))
        self.tabs.addTab(self.sync_page, self.tr("Sync"))
        self.tabs.addTab(self.notifications_page, self.tr("Notifications"))
        self.tabs.addTab(self.appearance_page, self.tr("Appearance"))
        self.tabs.addTab(self.data_page, self.tr("Data"))
        self._pages: tuple[SettingsPage, ...] = (
            self.connection_page, self.sync_page, self.notifications_page,
            self.appearance_page, self.data_page)
        for page in self._pages:
            page.edited.connect(self._on_page_edited)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply, self)
        self.buttons.setObjectName("settingsButtons")
        self.buttons.clicked.connect(self._on_buttons_clicked)
        layout.addWidget(self.buttons)
        self._set_dirty(False)
        # Room for a two-line error under a field without the form squeezing its rows.
        self.resize(max(self.sizeHint().width(), 680), self.sizeHint().height() + 60)

    def apply(self) -> bool:
        """Check every field and write them all (settings, then secrets); False, with the
        reasons under the fields, when one cannot be used — then nothing is written."""
        for page in self._pages:
            page.clear_errors()
        problems = [(page, page.problems()) for page in self._pages]
        troubled = [page for page, found in problems if found]
        if troubled:
            for page, found in problems:
                for name, message in found.items():
                    page.show_error(name, message)
            self.tabs.setCurrentWidget(troubled[0])
            self._fit()
            return False
        settings = self._settings
        changed: list[str] = []
        try:
            for page in self._pages:
                for name, value in page.values().items():
                    if getattr(settings, name) != value:
                        setattr(settings, name, value)
                        changed.append(name)
            changed += self.connection_page.write_client_ids()
        except (SettingError, AppError) as exc:  # e.g. the file cannot be written
            self.data_page.show_error("dataDir", translated(exc))
            self.tabs.setCurrentWidget(self.data_page)
            return False
        for page in (self.connection_page, self.notifications_page):
            changed += page.save_secrets()
            if page.has_errors():
                self.tabs.setCurrentWidget(page)
        if changed:
            log.info("settings changed: %s", ", ".join(changed))
            self.settings_changed.emit(changed)
        # A secret the keyring refused stays typed in, to try again.
        failed = any(page.has_errors() for page in self._pages)
        self.connection_page.show_stored()
        self.notifications_page.show_stored()
        self._set_dirty(failed)
        return not failed

    def _fit(self) -> None:
        """Grow to show the error texts just shown (never shrink what the seller sized)."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def _set_dirty(self, dirty: bool) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        button.setEnabled(dirty)

    def _on_buttons_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply()
        elif role == QDialogButtonBox.ButtonRole.AcceptRole:
            if self.apply():
                self.accept()
        else:
            self.reject()

    def _on_page_edited(self) -> None:
        self._set_dirty(True)
