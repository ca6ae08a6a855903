"""The Settings dialog's "Notifications" tab: a notification (and a sound) when new orders
arrive, and the webhook that posts each new order to an address — the address and its signing
secret both kept in the keyring.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.settings import SettingError, Settings, check_webhook_url
from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.dialogs.settings.page import SettingsPage, keyring_holds, secret_field
from allegro_desktop.ui.i18n import translated

__all__ = ["NotificationsPage"]

log = logging.getLogger("allegro_desktop.ui")

#: Pseudo-names in `settings_changed` for the webhook's keyring entries (not settings).
WEBHOOK_SECRET = "webhook_secret"
WEBHOOK_URL = "webhook_url"


class NotificationsPage(SettingsPage):
    """The "Notifications" tab: a notification (and a sound) for new orders, and the webhook —
    its address and secret both kept in the keyring (the address is shown: the seller typed
    it and needs to check it; the secret never is)."""

    def __init__(self, *, settings: Settings, store: TokenStore | None,
                 tray_available: bool | None = None, parent: QWidget | None = None) -> None:
        """`tray_available`: whether the desktop has a system tray (None: ask it)."""
        super().__init__(parent)
        self._store = store
        self._webhook_secret: str | bool | None = False  # False: untouched, None: remove
        self._webhook_url: str | None = None  # as stored in the keyring
        form = self.form
        self.notify = QCheckBox(self.tr("Show a notification when new orders arrive"), self)
        self.notify.setObjectName("notifyNewOrders")
        form.addRow(self.notify)
        self.sound = QCheckBox(self.tr("Play a sound with it"), self)
        self.sound.setObjectName("notifySound")
        form.addRow(self.sound)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.no_tray_note: QLabel | None = None
        if not tray_available:
            self.no_tray_note = self.note(self.tr(
                "This desktop has no system tray, so the notification shows inside the "
                "window, in a bar at its top, rather than on the desktop."))
            self.no_tray_note.setObjectName("noTrayNote")
            form.addRow(self.no_tray_note)
        self.webhook_url = QLineEdit(self)
        self.webhook_url.setObjectName("webhookUrl")
        self.webhook_url.setPlaceholderText("https://hooks.example.com/allegro")
        form.addRow(self.tr("Webhook address:"), self.webhook_url)
        form.addRow(self.error_label("webhookUrl"))
        self.webhook_secret = secret_field("webhookSecret", self)
        self.forget_webhook_secret = QPushButton(self.tr("Remove"), self)
        self.forget_webhook_secret.setObjectName("forgetWebhookSecret")
        self.forget_webhook_secret.setToolTip(self.tr(
            "Remove the webhook secret stored in the system keyring"))
        row = QHBoxLayout()
        row.addWidget(self.webhook_secret, 1)
        row.addWidget(self.forget_webhook_secret)
        form.addRow(self.tr("Webhook secret:"), row)
        form.addRow(self.error_label("webhookSecret"))
        form.addRow(self.note(self.tr(
            "Optional: the app sends each new order as JSON in an HTTP POST to this address "
            "(Slack, Discord, an automation tool…), signed with the secret (HMAC-SHA256). "
            "The secret is kept in the system keyring.")))
        self.notify.toggled.connect(self._on_notify_toggled)
        self.sound.toggled.connect(self._on_field_edited)
        self.webhook_url.textEdited.connect(self._on_field_edited)
        self.webhook_secret.textEdited.connect(self._on_webhook_secret_edited)
        self.forget_webhook_secret.clicked.connect(self._on_forget_webhook_secret_clicked)

        self.notify.setChecked(settings.notify_new_orders)
        self.sound.setChecked(settings.notify_sound)
        self.sound.setEnabled(settings.notify_new_orders)
        self._show_webhook_url()
        self._show_webhook_secret()

    def values(self) -> dict[str, Any]:
        return {"notify_new_orders": self.notify.isChecked(),
                "notify_sound": self.sound.isChecked()}

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        url = self.webhook_url.text().strip() or None
        if url is not None:
            try:
                check_webhook_url(url)
            except SettingError:
                problems["webhookUrl"] = self.tr(
                    "This is not a web address. Enter one that starts with https:// (or "
                    "http://), for example https://hooks.example.com/allegro.")
        if url is None and isinstance(self._webhook_secret, str):
            problems["webhookSecret"] = self.tr(
                "Enter the webhook address too, or leave the secret empty.")
        return problems

    def save_secrets(self) -> list[str]:
        """Write the webhook's address and secret to the keyring (what changed of them); a
        refusal is shown under the field."""
        store = self._store
        changed: list[str] = []
        if store is None:
            return changed
        url = self.webhook_url.text().strip() or None
        if url != self._webhook_url:
            try:
                if url is not None:
                    store.save_webhook_url(url)
                else:
                    store.delete_webhook_url()
            except AppError as exc:
                self.show_error("webhookUrl", translated(exc))
            else:
                self._webhook_url = url
                changed.append(WEBHOOK_URL)
        if self._webhook_secret is not False:
            try:
                if isinstance(self._webhook_secret, str):
                    store.save_webhook_secret(self._webhook_secret)
                else:
                    store.delete_webhook_secret()
            except AppError as exc:
                self.show_error("webhookSecret", translated(exc))
            else:
                self._webhook_secret = False
                changed.append(WEBHOOK_SECRET)
        return changed

    def show_stored(self) -> None:
        """After saving: the secret's field empty again (unless the keyring refused it, to try
        again), saying whether one is stored."""
        if self._webhook_secret is False:
            self.webhook_secret.clear()
        self._show_webhook_secret()

    def _show_webhook_url(self) -> None:
        """The address stored in the keyring (it is a credential, like the secret)."""
        store = self._store
        url: str | None = None
        usable = store is not None
        if store is not None:
            try:
                url = store.load_webhook_url()
            except AppError as exc:
                log.warning("cannot read the keyring: %s", exc)
                usable = False
        self._webhook_url = url
        self.webhook_url.setText(url or "")
        self.webhook_url.setEnabled(usable)
        if not usable:
            self.webhook_url.setPlaceholderText(self.tr("The system keyring cannot be used"))

    def _show_webhook_secret(self) -> None:
        store = self._store
        stored = None if store is None else (
            False if self._webhook_secret is not False
            else keyring_holds(store.load_webhook_secret))
        self.show_secret_state(self.webhook_secret, stored)
        self.forget_webhook_secret.setEnabled(bool(stored))

    def _on_notify_toggled(self, on: bool) -> None:
        self.sound.setEnabled(on)
        self._on_field_edited()

    def _on_webhook_secret_edited(self, text: str) -> None:
        self._webhook_secret = text or False
        self._on_field_edited()

    def _on_forget_webhook_secret_clicked(self) -> None:
        self._webhook_secret = None
        self.webhook_secret.clear()
        self._show_webhook_secret()
        self._on_field_edited()
