"""The Settings dialog's "Allegro connection" tab: the environment new connections use and, per
environment, the client id and the client secret of the seller's own Allegro app (the secret in
the keyring, never in a file).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from allegro_desktop.api.environments import PRODUCTION_KEY, SANDBOX_KEY
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.dialogs.settings.page import SettingsPage, keyring_holds, secret_field
from allegro_desktop.ui.i18n import translated

__all__ = ["CLIENT_SECRET", "ConnectionPage"]

#: Pseudo-names in `settings_changed` for the secrets (which are not settings).
CLIENT_SECRET = "client_secret"
#: The environment chooser's one item in demo mode (never written to the settings).
DEMO = "demo"


class ConnectionPage(SettingsPage):
    """The "Allegro connection" tab: the environment new connections use and, per environment,
    the client id (a setting) and the client secret (in the keyring) of the seller's own app;
    greyed out in demo mode. What is typed is kept per environment until the dialog writes it.
    """

    def __init__(self, *, settings: Settings, store: TokenStore | None, demo: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self._demo = demo
        self._client_ids: dict[str, str] = {}  # per environment, as edited
        self._client_secrets: dict[str, str | None] = {}  # typed (None: remove)
        form = self.form
        self.environment = QComboBox(self)
        self.environment.setObjectName("environment")
        if demo:  # the one environment of the demo, whatever its settings say
            self.environment.addItem(self.tr("The demo's built-in Allegro emulator"), DEMO)
        else:
            self.environment.addItem(self.tr("Allegro (production)"), PRODUCTION_KEY)
            self.environment.addItem(self.tr("Allegro Sandbox (for testing)"), SANDBOX_KEY)
        current = settings.environment
        if current and current not in (PRODUCTION_KEY, SANDBOX_KEY) and not demo:
            self.environment.addItem(current.removeprefix("custom:"), current)
        form.addRow(self.tr("Environment:"), self.environment)
        self.client_id = QLineEdit(self)
        self.client_id.setObjectName("clientId")
        self.client_id.setPlaceholderText(self.tr("The app's built-in client ID"))
        form.addRow(self.tr("Client ID:"), self.client_id)
        self.client_secret = secret_field("clientSecret", self)
        self.forget_client_secret = QPushButton(self.tr("Remove"), self)
        self.forget_client_secret.setObjectName("forgetClientSecret")
        self.forget_client_secret.setToolTip(self.tr(
            "Remove the client secret stored in the system keyring"))
        row = QHBoxLayout()
        row.addWidget(self.client_secret, 1)
        row.addWidget(self.forget_client_secret)
        form.addRow(self.tr("Client secret:"), row)
        form.addRow(self.error_label("clientSecret"))
        form.addRow(self.note(self.tr(
            "Only needed for your own app registered at apps.developer.allegro.pl (a "
            "device-type app); leave empty to use the app's built-in one. The secret is kept in "
            "the system keyring, never in a file. Changes apply to the next connection.")))
        if demo:
            for widget in (self.environment, self.client_id, self.client_secret,
                           self.forget_client_secret):
                widget.setEnabled(False)
            form.addRow(self.note(self.tr(
                "Demo mode connects to the built-in emulator of Allegro: nothing to set "
                "here.")))
        self.environment.currentIndexChanged.connect(self._on_environment_changed)
        self.client_id.textEdited.connect(self._on_client_id_edited)
        self.client_secret.textEdited.connect(self._on_client_secret_edited)
        self.forget_client_secret.clicked.connect(self._on_forget_client_secret_clicked)

        env = DEMO if demo else settings.environment or PRODUCTION_KEY
        self.environment.setCurrentIndex(max(self.environment.findData(env), 0))
        self.show_stored()

    def values(self) -> dict[str, Any]:
        if self._demo:  # nothing to set (the fields are greyed out)
            return {}
        env = str(self.environment.currentData())
        return {"environment": None if env == PRODUCTION_KEY else env}

    def show_stored(self) -> None:
        """The chosen environment's client id, and whether the keyring holds its secret."""
        env = str(self.environment.currentData())
        self.client_id.setText(self._client_ids.get(env, self._settings.client_id(env) or ""))
        self.client_secret.setText(self._client_secrets.get(env) or "")
        store = self._store
        stored: bool | None = None
        if store is not None:
            stored = False if env in self._client_secrets else keyring_holds(
                lambda: store.load_client_secret(env))
        self.show_secret_state(self.client_secret, stored)
        self.forget_client_secret.setEnabled(bool(stored) and not self._demo)

    def write_client_ids(self) -> list[str]:
        """Write the client ids edited into the settings; the names changed
        ("client_id:<environment>"). Raises what the settings raise when they cannot be
        written."""
        settings = self._settings
        changed: list[str] = []
        for env, client_id in self._client_ids.items():
            if (settings.client_id(env) or "") != client_id.strip():
                settings.set_client_id(env, client_id.strip() or None)
                changed.append(f"client_id:{env}")
        self._client_ids.clear()
        return changed

    def save_secrets(self) -> list[str]:
        """Write the typed client secrets to the keyring; a refusal is shown under the field."""
        store = self._store
        changed: list[str] = []
        if store is None:
            return changed
        for env, secret in list(self._client_secrets.items()):
            try:
                if secret:
                    store.save_client_secret(env, secret)
                else:
                    store.delete_client_secret(env)
            except AppError as exc:
                self.show_error("clientSecret", translated(exc))
                continue
            del self._client_secrets[env]
            if CLIENT_SECRET not in changed:
                changed.append(CLIENT_SECRET)
        return changed

    def _on_environment_changed(self, _index: int) -> None:
        self.show_stored()
        self._on_field_edited()

    def _on_client_id_edited(self, text: str) -> None:
        self._client_ids[str(self.environment.currentData())] = text
        self._on_field_edited()

    def _on_client_secret_edited(self, text: str) -> None:
        env = str(self.environment.currentData())
        if text:
            self._client_secrets[env] = text
        else:
            self._client_secrets.pop(env, None)
        self._on_field_edited()

    def _on_forget_client_secret_clicked(self) -> None:
        self._client_secrets[str(self.environment.currentData())] = None
        self.client_secret.clear()
        self.show_stored()
        self._on_field_edited()
