"""`AccountsController`: carries out the window's account actions (connect through the Connect
dialog, reconnect, switch, disconnect) and keeps the window's account list in step with the
registry."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from allegro_desktop.auth.account_registry import disconnect
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.domain.errors import AppError, Text
from allegro_desktop.ui.i18n import translated

if TYPE_CHECKING:
    from allegro_desktop.api.environments import Environment
    from allegro_desktop.config.app_services import AppServices
    from allegro_desktop.domain.accounts import Account
    from allegro_desktop.sync.worker import SyncWorker
    from allegro_desktop.ui.accounts.connect_dialog import ConnectDialog
    from allegro_desktop.ui.window.main_window import MainWindow

__all__ = ["AccountsController"]

log = logging.getLogger("allegro_desktop.ui")


class AccountsController(QObject):
    """Carries out what the window's account actions ask for: connect (the dialog), switch,
    disconnect. Keeps the window's account list in step with the registry.

    Deleting a disconnected account's orders goes through the sync thread (`worker`), the only
    writer of the database: it first stops that account's sync, so none can write them back.

    Signals:
        accounts_changed(list): the registry's accounts, as just shown in the window.
    """

    accounts_changed = Signal(list)

    def __init__(self, *, window: MainWindow, services: AppServices, worker: SyncWorker,
                 environment: Environment | None, environment_error: AppError | None,
                 require_keyring: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._worker = worker
        self._services = services
        self._environment = environment
        self._environment_error = environment_error
        self._require_keyring = require_keyring
        self.dialog: ConnectDialog | None = None
        window.connect_requested.connect(self._on_window_connect_requested)
        window.reconnect_requested.connect(self._on_window_reconnect_requested)
        window.disconnect_requested.connect(self._on_window_disconnect_requested)
        window.account_selected.connect(self._on_window_account_selected)
        worker.account_data_deleted.connect(self._on_worker_account_data_deleted)
        worker.deletion_failed.connect(self._on_worker_deletion_failed)
        self.refresh()

    def refresh(self, current: str | None = None) -> None:
        """Show the registry's accounts; `current` (if given) becomes the one in use. A current
        account that no longer exists is forgotten."""
        try:
            accounts = self._services.registry.all()
        except AppError as exc:
            self._show_error(exc)
            accounts = []
        settings = self._services.settings
        if current is not None:
            settings.current_account = current
        if settings.current_account not in {a.key for a in accounts}:
            settings.current_account = accounts[0].key if accounts else None
        self._window.show_accounts(accounts, settings.current_account)
        self.accounts_changed.emit(accounts)

    def _open_dialog(self, environment: Environment) -> None:
        from allegro_desktop.ui.accounts.connect_dialog import ConnectDialog

        services = self._services
        if self._require_keyring:
            try:  # before the seller spends a code: tokens can only be kept in the keyring
                services.store.check_available()
            except AppError as exc:
                self._show_error(exc)
                return

        def new_session() -> DeviceLogin:
            return DeviceLogin(environment=environment, store=services.store,
                               registry=services.registry, governor=services.governor)

        dialog = ConnectDialog(new_session=new_session,
                               environment_label=translated(environment.name),
                               parent=self._window)
        dialog.account_connected.connect(self._on_dialog_account_connected)
        # Whatever way the dialog ends (even a cancel racing an approval that got saved),
        # show what the registry holds.
        dialog.finished.connect(lambda _result: self.refresh())
        self.dialog = dialog
        dialog.start()
        dialog.open()

    def set_environment(self, environment: Environment | None,
                        error: AppError | None = None) -> None:
        """The environment new connections use, resolved again (the Settings dialog changed
        it or its credentials); `error` says why there is none."""
        self._environment = environment
        self._environment_error = error

    def _on_window_connect_requested(self) -> None:
        if self._environment is None:
            self._show_error(self._environment_error or AppError("No Allegro environment."))
            return
        self._open_dialog(self._environment)

    def _on_window_reconnect_requested(self, key: str) -> None:
        try:
            account = self._services.registry.get(key)
            if account is None:
                return
            environment = self._services.environment(account.environment)
        except AppError as exc:
            self._show_error(exc)
            return
        self._open_dialog(environment)

    def _on_dialog_account_connected(self, account: Account) -> None:
        self.refresh(current=account.key)

    def _on_window_disconnect_requested(self, key: str, keep_orders: bool) -> None:
        try:
            account = self._services.registry.get(key)
            if account is None:
                return
            disconnect(account, store=self._services.store,
                       registry=self._services.registry)
        except AppError as exc:
            self._show_error(exc)
            return
        if keep_orders:
            self._worker.cancel(account.key)
        else:  # after its sync (if any) has stopped
            self._worker.delete_account_data(account.key)
        log.info("disconnected %s (local orders %s)", account.login,
                 "kept" if keep_orders else "to be deleted")
        self.refresh()

    def _on_worker_account_data_deleted(self, key: str, deleted: int) -> None:
        log.info("deleted the local data of %s: %d orders", key, deleted)

    def _on_worker_deletion_failed(self, _key: str, message: object) -> None:
        self._show_error(AppError(str(message), user_message=message
                                  if isinstance(message, str | Text) else str(message)))

    def _on_window_account_selected(self, key: str) -> None:
        self._services.settings.current_account = key

    def _show_error(self, error: AppError) -> None:
        """A non-blocking warning: the window stays usable (and testable) behind it."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Allegro Desktop"),
                          translated(error), QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
