"""The Settings dialog (File → Settings…, Ctrl+,): a tab per page (the `*_page` modules), and
OK, Cancel and Apply.

Every field edits one declared setting (`config/settings.py`) or one keyring secret (through
`TokenStore`, never into settings.ini; a stored secret is never shown, only that one is stored).
Nothing is written until OK or Apply, and then everything or nothing: a field the declaration
refuses shows why under it, on its tab, and the other fields wait with it. What changed is
announced (`settings_changed`) for `SettingsController` (controller.py) to apply.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import SettingError, Settings
from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.dialogs.settings.appearance_page import AppearancePage
from allegro_desktop.ui.dialogs.settings.connection_page import ConnectionPage
from allegro_desktop.ui.dialogs.settings.data_page import DataPage
from allegro_desktop.ui.dialogs.settings.notifications_page import NotificationsPage
from allegro_desktop.ui.dialogs.settings.page import SettingsPage
from allegro_desktop.ui.dialogs.settings.sync_page import SyncPage
from allegro_desktop.ui.i18n import translated

__all__ = ["SettingsDialog"]

log = logging.getLogger("allegro_desktop.ui")


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
