"""The Settings dialog's controller: opens the dialog for the window (one at a time) and applies
what it changed live where that is possible — the automatic-sync interval (the `SyncController`),
the theme (`ThemeManager`), retention and history depth (the sync thread). The notifier and the
automatic backups read their settings on each use; the language and the data folder take effect
at the next start (the dialog says so).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import Settings
from allegro_desktop.ui.dialogs.settings.connection_page import CLIENT_SECRET
from allegro_desktop.ui.dialogs.settings.dialog import SettingsDialog

__all__ = ["SettingsController"]


class SettingsController(QObject):
    """Opens the Settings dialog for the window and applies what it changed, live where that
    is possible. `apply_theme`, `reschedule_sync`, `set_retention` and `set_history_days` are
    the app's hooks (each optional); `connection_changed` tells the app to resolve the Allegro
    environment again (a new client id or secret is used by the next connection).

    Signals:
        settings_changed(list): as the dialog's, after the live changes are applied.
        connection_changed(): the environment, a client id or a client secret changed.
    """

    settings_changed = Signal(list)
    connection_changed = Signal()

    def __init__(self, *, window: QWidget, settings: Settings, store: TokenStore | None,
                 paths: AppPaths, demo: bool = False,
                 apply_theme: Callable[[str], None] | None = None,
                 reschedule_sync: Callable[[], None] | None = None,
                 set_retention: Callable[[int | None], None] | None = None,
                 set_history_days: Callable[[int | None], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._settings = settings
        self._store = store
        self._paths = paths
        self._demo = demo
        self._apply_theme = apply_theme
        self._reschedule_sync = reschedule_sync
        self._set_retention = set_retention
        self._set_history_days = set_history_days
        self.dialog: SettingsDialog | None = None

    def open(self) -> SettingsDialog:
        """Show the dialog (window-modal), or raise the one already open."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = SettingsDialog(settings=self._settings, store=self._store, paths=self._paths,
                                demo=self._demo, parent=self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_changed.connect(self._on_dialog_settings_changed)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None  # it deletes itself (WA_DeleteOnClose)

    def _on_dialog_settings_changed(self, names: list[str]) -> None:
        settings = self._settings
        if "theme" in names and self._apply_theme is not None:
            self._apply_theme(settings.theme)
        if "auto_sync_interval" in names and self._reschedule_sync is not None:
            self._reschedule_sync()
        if "retention_months" in names and self._set_retention is not None:
            self._set_retention(settings.retention_months)
        if "history_months" in names and self._set_history_days is not None:
            self._set_history_days(settings.history_days)
        if any(n == "environment" or n.startswith("client_id:") or n == CLIENT_SECRET
               for n in names):
            self.connection_changed.emit()
        self.settings_changed.emit(names)

