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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.api.environments import PRODUCTION_KEY, SANDBOX_KEY
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import (
    LOG_LEVELS,
    MAX_BACKUPS_KEPT,
    MAX_HISTORY_MONTHS,
    SettingError,
    Settings,
    check_webhook_url,
)
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage.backup import backup_folder
from allegro_desktop.ui.i18n import translated
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["SettingsDialog"]

log = logging.getLogger("allegro_desktop.ui")

#: Automatic-sync choices, in seconds (0: off).
SYNC_INTERVALS = (0, 30, 60, 120, 300, 600, 900, 1800, 3600)
#: Automatic-backup choices, in days (0: off).
BACKUP_INTERVALS = (0, 1, 2, 3, 7, 14, 30)
#: Pseudo-names in `settings_changed` for the secrets (which are not settings).
CLIENT_SECRET = "client_secret"
WEBHOOK_SECRET = "webhook_secret"
WEBHOOK_URL = "webhook_url"
_MAX_RETENTION_MONTHS = 1200


class _Field:
    """A field's inline error label, shown under it."""

    def __init__(self, tab: int, label: QLabel) -> None:
        self.tab = tab
        self.label = label

    def show(self, message: str) -> None:
        self.label.setText(message)
        self.label.show()

    def clear(self) -> None:
        self.label.clear()
        self.label.hide()


class SettingsDialog(QDialog):
    """Edits the settings and the keyring secrets; OK/Apply write them, Cancel forgets.

    `store` is the keyring (None: no secret fields, e.g. a keyring that cannot be used is
    reported in them); `paths` tells whether --data-dir fixed the data folder; `demo` greys out
    the connection (the demo's emulator needs none).

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
        self._store = store
        self._paths = paths
        self._demo = demo
        self._errors: dict[str, _Field] = {}
        self._client_ids: dict[str, str] = {}  # per environment, as edited
        self._client_secrets: dict[str, str | None] = {}  # typed (None: remove)
        self._webhook_secret: str | bool | None = False  # False: untouched, None: remove
        self._webhook_url: str | None = None  # as stored in the keyring
        self._loading = True

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._connection_tab(), self.tr("Allegro connection"))
        self.tabs.addTab(self._sync_tab(), self.tr("Sync"))
        self.tabs.addTab(self._notifications_tab(), self.tr("Notifications"))
        self.tabs.addTab(self._appearance_tab(), self.tr("Appearance"))
        self.tabs.addTab(self._data_tab(), self.tr("Data"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply, self)
        self.buttons.setObjectName("settingsButtons")
        self.buttons.clicked.connect(self._on_buttons_clicked)
        layout.addWidget(self.buttons)
        self._load()
        self._loading = False
        self._set_dirty(False)
        # Room for a two-line error under a field without the form squeezing its rows.
        self.resize(max(self.sizeHint().width(), 680), self.sizeHint().height() + 60)

    # -- building --------------------------------------------------------------------------

    def _page(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget(self.tabs)
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return page, form

    def _note(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("color: palette(placeholder-text);")
        return label

    def _error_label(self, name: str, tab: int, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(f"{name}Error")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        follow_palette(label, lambda dark: f"color: {colour('error.text', dark)};")
        label.hide()
        self._errors[name] = _Field(tab, label)
        return label

    def _connection_tab(self) -> QWidget:
        page, form = self._page()
        tab = 0
        self.environment = QComboBox(page)
        self.environment.setObjectName("environment")
        self.environment.addItem(self.tr("Allegro (production)"), PRODUCTION_KEY)
        self.environment.addItem(self.tr("Allegro Sandbox (for testing)"), SANDBOX_KEY)
        current = self._settings.environment
        if current and current not in (PRODUCTION_KEY, SANDBOX_KEY):
            self.environment.addItem(current.removeprefix("custom:"), current)
        form.addRow(self.tr("Environment:"), self.environment)
        self.client_id = QLineEdit(page)
        self.client_id.setObjectName("clientId")
        self.client_id.setPlaceholderText(self.tr("The app's built-in client ID"))
        form.addRow(self.tr("Client ID:"), self.client_id)
        self.client_secret = QLineEdit(page)
        self.client_secret.setObjectName("clientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                               | Qt.InputMethodHint.ImhNoPredictiveText)
        self.forget_client_secret = QPushButton(self.tr("Remove"), page)
        self.forget_client_secret.setObjectName("forgetClientSecret")
        self.forget_client_secret.setToolTip(self.tr(
            "Remove the client secret stored in the system keyring"))
        row = QHBoxLayout()
        row.addWidget(self.client_secret, 1)
        row.addWidget(self.forget_client_secret)
        form.addRow(self.tr("Client secret:"), row)
        form.addRow(self._error_label("clientSecret", tab, page))
        form.addRow(self._note(self.tr(
            "Only needed for your own app registered at apps.developer.allegro.pl (a "
            "device-type app); leave empty to use the app's built-in one. The secret is kept in "
            "the system keyring, never in a file. Changes apply to the next connection."), page))
        if self._demo:
            for widget in (self.environment, self.client_id, self.client_secret,
                           self.forget_client_secret):
                widget.setEnabled(False)
            form.addRow(self._note(self.tr(
                "Demo mode connects to the built-in emulator of Allegro: nothing to set "
                "here."), page))
        self.environment.currentIndexChanged.connect(self._on_environment_changed)
        self.client_id.textEdited.connect(self._on_client_id_edited)
        self.client_secret.textEdited.connect(self._on_client_secret_edited)
        self.forget_client_secret.clicked.connect(self._on_forget_client_secret_clicked)
        return page

    def _sync_tab(self) -> QWidget:
        page, form = self._page()
        tab = 1
        self.auto_sync = QComboBox(page)
        self.auto_sync.setObjectName("autoSyncInterval")
        for seconds in SYNC_INTERVALS:
            self.auto_sync.addItem(self._interval_text(seconds), seconds)
        form.addRow(self.tr("Sync automatically:"), self.auto_sync)
        form.addRow(self._note(self.tr(
            "How often the app fetches new and changed orders while it runs. Sync now (F5) "
            "always works."), page))

        self.history = QSpinBox(page)
        self.history.setObjectName("historyMonths")
        self.history.setRange(1, MAX_HISTORY_MONTHS)
        self.history.setSuffix(self.tr(" months"))
        form.addRow(self.tr("First sync fetches:"), self.history)
        form.addRow(self._note(self.tr(
            "How far back the first sync of an account reads its orders. Allegro keeps orders "
            "for at least 12 months; older ones may no longer be available."), page))

        self.keep_forever = QRadioButton(self.tr("Keep orders forever"), page)
        self.keep_forever.setObjectName("keepForever")
        self.keep_months = QRadioButton(self.tr("Delete orders older than"), page)
        self.keep_months.setObjectName("keepMonths")
        group = QButtonGroup(page)
        group.addButton(self.keep_forever)
        group.addButton(self.keep_months)
        self.retention = QSpinBox(page)
        self.retention.setObjectName("retentionMonths")
        self.retention.setRange(1, _MAX_RETENTION_MONTHS)
        self.retention.setSuffix(self.tr(" months"))
        row = QHBoxLayout()
        row.addWidget(self.keep_months)
        row.addWidget(self.retention)
        row.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.keep_forever)
        box.addLayout(row)
        form.addRow(self.tr("Order history:"), box)
        form.addRow(self._error_label("retention", tab, page))
        form.addRow(self._note(self.tr(
            "The app keeps your orders longer than Allegro does. Deleting old ones only frees "
            "disk space on this computer; it never touches Allegro."), page))

        self.auto_sync.currentIndexChanged.connect(self._on_field_changed)
        self.history.valueChanged.connect(self._on_field_changed)
        self.keep_forever.toggled.connect(self._on_retention_toggled)
        self.retention.valueChanged.connect(self._on_field_changed)
        return page

    def _notifications_tab(self) -> QWidget:
        page, form = self._page()
        tab = 2
        self.notify = QCheckBox(self.tr("Show a notification when new orders arrive"), page)
        self.notify.setObjectName("notifyNewOrders")
        form.addRow(self.notify)
        self.sound = QCheckBox(self.tr("Play a sound with it"), page)
        self.sound.setObjectName("notifySound")
        form.addRow(self.sound)
        self.webhook_url = QLineEdit(page)
        self.webhook_url.setObjectName("webhookUrl")
        self.webhook_url.setPlaceholderText("https://hooks.example.com/allegro")
        form.addRow(self.tr("Webhook address:"), self.webhook_url)
        form.addRow(self._error_label("webhookUrl", tab, page))
        self.webhook_secret = QLineEdit(page)
        self.webhook_secret.setObjectName("webhookSecret")
        self.webhook_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.webhook_secret.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                                | Qt.InputMethodHint.ImhNoPredictiveText)
        self.forget_webhook_secret = QPushButton(self.tr("Remove"), page)
        self.forget_webhook_secret.setObjectName("forgetWebhookSecret")
        self.forget_webhook_secret.setToolTip(self.tr(
            "Remove the webhook secret stored in the system keyring"))
        row = QHBoxLayout()
        row.addWidget(self.webhook_secret, 1)
        row.addWidget(self.forget_webhook_secret)
        form.addRow(self.tr("Webhook secret:"), row)
        form.addRow(self._error_label("webhookSecret", tab, page))
        form.addRow(self._note(self.tr(
            "Optional: the app sends each new order as JSON in an HTTP POST to this address "
            "(Slack, Discord, an automation tool…), signed with the secret (HMAC-SHA256). "
            "The secret is kept in the system keyring."), page))
        self.notify.toggled.connect(self._on_notify_toggled)
        self.sound.toggled.connect(self._on_field_changed)
        self.webhook_url.textEdited.connect(self._on_field_changed)
        self.webhook_secret.textEdited.connect(self._on_webhook_secret_edited)
        self.forget_webhook_secret.clicked.connect(self._on_forget_webhook_secret_clicked)
        return page

    def _appearance_tab(self) -> QWidget:
        page, form = self._page()
        self.language = QComboBox(page)
        self.language.setObjectName("language")
        self.language.addItem(self.tr("System language"), "system")
        self.language.addItem("Polski", "pl")
        self.language.addItem("English", "en")
        form.addRow(self.tr("Language:"), self.language)
        self.language_note = self._note(self.tr(
            "The new language is used from the next start of the app."), page)
        form.addRow(self.language_note)
        self.theme = QComboBox(page)
        self.theme.setObjectName("theme")
        self.theme.addItem(self.tr("System"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        form.addRow(self.tr("Theme:"), self.theme)
        self.language.currentIndexChanged.connect(self._on_field_changed)
        self.theme.currentIndexChanged.connect(self._on_field_changed)
        return page

    def _data_tab(self) -> QWidget:
        page, form = self._page()
        tab = 4
        self.data_dir = QLineEdit(page)
        self.data_dir.setObjectName("dataDir")
        self.data_dir.setPlaceholderText(self.tr("The usual folder"))
        self.browse = QPushButton(self.tr("Browse…"), page)
        self.browse.setObjectName("browseDataDir")
        row = QHBoxLayout()
        row.addWidget(self.data_dir, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Data folder:"), row)
        form.addRow(self._error_label("dataDir", tab, page))
        if self._paths.portable:
            note = self.tr("This run keeps everything in %1 (the --data-dir option), so the "
                           "data folder cannot be changed here.").replace(
                               "%1", str(self._paths.data_dir))
            self.data_dir.setEnabled(False)
            self.browse.setEnabled(False)
        else:
            note = self.tr(
                "Where the order database is kept (now: %1). A new folder is used from the "
                "next start. To take your orders along, quit the app and move the file "
                "orders.sqlite3 (and orders.sqlite3-wal and orders.sqlite3-shm, if present) "
                "into the new folder; otherwise the app starts there with no orders and syncs "
                "them from Allegro again.").replace("%1", str(self._paths.data_dir))
        form.addRow(self._note(note, page))
        self.backup_interval = QComboBox(page)
        self.backup_interval.setObjectName("backupInterval")
        for days in BACKUP_INTERVALS:
            self.backup_interval.addItem(self._backup_interval_text(days), days)
        form.addRow(self.tr("Back up automatically:"), self.backup_interval)
        self.backups_kept = QSpinBox(page)
        self.backups_kept.setObjectName("backupsKept")
        self.backups_kept.setRange(1, MAX_BACKUPS_KEPT)
        form.addRow(self.tr("Backups to keep:"), self.backups_kept)
        form.addRow(self._note(self.tr(
            "After a sync, a copy of the order database is saved in %1; the oldest go once "
            "there are more. File → Back up… saves one anywhere, File → Restore from backup… "
            "puts one back.").replace("%1", str(backup_folder(self._paths.database))), page))
        self.backup_interval.currentIndexChanged.connect(self._on_field_changed)
        self.backups_kept.valueChanged.connect(self._on_field_changed)
        self.log_level = QComboBox(page)
        self.log_level.setObjectName("logLevel")
        names = {"DEBUG": self.tr("Debug (everything, for troubleshooting)"),
                 "INFO": self.tr("Information (default)"),
                 "WARNING": self.tr("Warnings and errors"),
                 "ERROR": self.tr("Errors only")}
        for level in LOG_LEVELS:
            self.log_level.addItem(names[level], level)
        form.addRow(self.tr("Log detail:"), self.log_level)
        form.addRow(self._note(self.tr("Logs are kept in %1. They never contain passwords or "
                                       "tokens.").replace("%1", str(self._paths.log_dir)),
                               page))
        self.data_dir.textEdited.connect(self._on_field_changed)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.log_level.currentIndexChanged.connect(self._on_field_changed)
        return page

    def _backup_interval_text(self, days: int) -> str:
        if days == 0:
            return self.tr("Off")
        if days == 1:
            return self.tr("Every day")
        if days == 7:
            return self.tr("Every week")
        return self.tr("Every %n days", "", days)

    def _interval_text(self, seconds: int) -> str:
        if seconds == 0:
            return self.tr("Off")
        if seconds < 60:
            return self.tr("Every %1 seconds").replace("%1", str(seconds))
        if seconds == 60:
            return self.tr("Every minute")
        if seconds < 3600:
            return self.tr("Every %1 minutes").replace("%1", str(seconds // 60))
        if seconds == 3600:
            return self.tr("Every hour")
        return self.tr("Every %1 hours").replace("%1", str(seconds // 3600))

    # -- loading and saving ------------------------------------------------------------------

    def _load(self) -> None:
        """The fields from the settings (and whether secrets are stored, not the secrets)."""
        settings = self._settings
        env = settings.environment or PRODUCTION_KEY
        index = self.environment.findData(env)
        self.environment.setCurrentIndex(max(index, 0))
        self._show_connection()

        seconds = settings.auto_sync_interval
        index = self.auto_sync.findData(seconds)
        if index < 0:  # a value set by hand: shown as it is
            self.auto_sync.addItem(self._interval_text(seconds), seconds)
            index = self.auto_sync.count() - 1
        self.auto_sync.setCurrentIndex(index)
        self.history.setValue(settings.history_months)
        months = settings.retention_months
        self.keep_forever.setChecked(months is None)
        self.keep_months.setChecked(months is not None)
        self.retention.setValue(months if months is not None else 24)
        self.retention.setEnabled(months is not None)

        self.notify.setChecked(settings.notify_new_orders)
        self.sound.setChecked(settings.notify_sound)
        self.sound.setEnabled(settings.notify_new_orders)
        self._show_webhook_url()
        self._show_webhook_secret()

        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.theme.setCurrentIndex(max(self.theme.findData(settings.theme), 0))
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

    def _stored(self, load: Callable[[], str | None]) -> bool | None:
        """Whether the keyring holds a secret (None: the keyring cannot be asked)."""
        try:
            return load() is not None
        except AppError as exc:
            log.warning("cannot read the keyring: %s", exc)
            return None

    def _show_connection(self) -> None:
        env = str(self.environment.currentData())
        self.client_id.setText(self._client_ids.get(env, self._settings.client_id(env) or ""))
        self.client_secret.setText(self._client_secrets.get(env) or "")
        store = self._store
        stored: bool | None = None
        if store is not None:
            stored = False if env in self._client_secrets else self._stored(
                lambda: store.load_client_secret(env))
        self._secret_placeholder(self.client_secret, stored)
        self.forget_client_secret.setEnabled(bool(stored) and not self._demo)

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
            else self._stored(store.load_webhook_secret))
        self._secret_placeholder(self.webhook_secret, stored)
        self.forget_webhook_secret.setEnabled(bool(stored))

    def _secret_placeholder(self, field: QLineEdit, stored: bool | None) -> None:
        if stored is None:
            field.setPlaceholderText(self.tr("The system keyring cannot be used"))
            field.setEnabled(False)
        elif stored:
            field.setPlaceholderText(self.tr("•••••••• (stored in the system keyring)"))
        else:
            field.setPlaceholderText(self.tr("Not set"))

    def _values(self) -> dict[str, Any]:
        """What the fields say, by setting name."""
        env = str(self.environment.currentData())
        data_dir = self.data_dir.text().strip()
        return {
            "environment": None if env == PRODUCTION_KEY else env,
            "auto_sync_interval": int(self.auto_sync.currentData()),
            "history_months": self.history.value(),
            "retention_months": None if self.keep_forever.isChecked()
            else self.retention.value(),
            "notify_new_orders": self.notify.isChecked(),
            "notify_sound": self.sound.isChecked(),
            "language": str(self.language.currentData()),
            "theme": str(self.theme.currentData()),
            "data_dir": Path(data_dir).expanduser() if data_dir else None,
            "log_level": str(self.log_level.currentData()),
            "backup_interval_days": int(self.backup_interval.currentData()),
            "backups_kept": self.backups_kept.value(),
        }

    def _validate(self, values: dict[str, Any]) -> dict[str, str]:
        """Field name → why the value cannot be used (in the seller's language)."""
        problems: dict[str, str] = {}
        months = values["retention_months"]
        if months is not None:
            try:
                Settings.retention_months.check(months)
            except AppError as exc:
                problems["retention"] = translated(exc)
            except ValueError as exc:
                problems["retention"] = str(exc)
            else:
                if months < values["history_months"]:
                    problems["retention"] = self.tr(
                        "Keep orders at least as long as the first sync fetches them (%1 "
                        "months), or they would be deleted and fetched again.").replace(
                            "%1", str(values["history_months"]))
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
        folder = values["data_dir"]
        if folder is not None and not self._paths.portable:
            if not folder.is_absolute():
                problems["dataDir"] = self.tr(
                    "Choose a full folder path (use Browse…).")
            elif folder.exists() and not folder.is_dir():
                problems["dataDir"] = self.tr("%1 is a file, not a folder.").replace(
                    "%1", str(folder))
        return problems

    def apply(self) -> bool:
        """Check every field and write them all (settings, then secrets); False, with the
        reasons under the fields, when one cannot be used — then nothing is written."""
        for field in self._errors.values():
            field.clear()
        values = self._values()
        problems = self._validate(values)
        if problems:
            first = min(problems, key=lambda name: self._errors[name].tab)
            for name, message in problems.items():
                self._errors[name].show(message)
            self.tabs.setCurrentIndex(self._errors[first].tab)
            self._fit()
            return False
        settings = self._settings
        changed: list[str] = []
        try:
            for name, value in values.items():
                if name == "data_dir" and self._paths.portable:
                    continue
                if getattr(settings, name) != value:
                    setattr(settings, name, value)
                    changed.append(name)
            for env, client_id in self._client_ids.items():
                if (settings.client_id(env) or "") != client_id.strip():
                    settings.set_client_id(env, client_id.strip() or None)
                    changed.append(f"client_id:{env}")
        except (SettingError, AppError) as exc:  # e.g. the file cannot be written
            self._errors["dataDir"].show(translated(exc))
            self.tabs.setCurrentIndex(self._errors["dataDir"].tab)
            return False
        self._client_ids.clear()
        changed += self._save_secrets()
        if changed:
            log.info("settings changed: %s", ", ".join(changed))
            self.settings_changed.emit(changed)
        # A secret the keyring refused stays typed in, to try again.
        failed = any(f.label.isVisible() for f in self._errors.values())
        self._show_connection()
        if self._webhook_secret is False:
            self.webhook_secret.clear()
        self._show_webhook_secret()
        self._set_dirty(failed)
        return not failed

    def _save_secrets(self) -> list[str]:
        """Write the typed secrets to the keyring; a refusal is shown under the field."""
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
                self._errors["clientSecret"].show(translated(exc))
                self.tabs.setCurrentIndex(self._errors["clientSecret"].tab)
                continue
            del self._client_secrets[env]
            if CLIENT_SECRET not in changed:
                changed.append(CLIENT_SECRET)
        url = self.webhook_url.text().strip() or None
        if url != self._webhook_url:
            try:
                if url is not None:
                    store.save_webhook_url(url)
                else:
                    store.delete_webhook_url()
            except AppError as exc:
                self._errors["webhookUrl"].show(translated(exc))
                self.tabs.setCurrentIndex(self._errors["webhookUrl"].tab)
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
                self._errors["webhookSecret"].show(translated(exc))
                self.tabs.setCurrentIndex(self._errors["webhookSecret"].tab)
            else:
                self._webhook_secret = False
                changed.append(WEBHOOK_SECRET)
        return changed

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

    # -- slots -----------------------------------------------------------------------------

    def _on_buttons_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply()
        elif role == QDialogButtonBox.ButtonRole.AcceptRole:
            if self.apply():
                self.accept()
        else:
            self.reject()

    def _on_field_changed(self, *_args: object) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _on_environment_changed(self, _index: int) -> None:
        self._show_connection()
        self._on_field_changed()

    def _on_client_id_edited(self, text: str) -> None:
        self._client_ids[str(self.environment.currentData())] = text
        self._on_field_changed()

    def _on_client_secret_edited(self, text: str) -> None:
        env = str(self.environment.currentData())
        if text:
            self._client_secrets[env] = text
        else:
            self._client_secrets.pop(env, None)
        self._on_field_changed()

    def _on_forget_client_secret_clicked(self) -> None:
        self._client_secrets[str(self.environment.currentData())] = None
        self.client_secret.clear()
        self._show_connection()
        self._on_field_changed()

    def _on_webhook_secret_edited(self, text: str) -> None:
        self._webhook_secret = text or False
        self._on_field_changed()

    def _on_forget_webhook_secret_clicked(self) -> None:
        self._webhook_secret = None
        self.webhook_secret.clear()
        self._show_webhook_secret()
        self._on_field_changed()

    def _on_notify_toggled(self, on: bool) -> None:
        self.sound.setEnabled(on)
        self._on_field_changed()

    def _on_retention_toggled(self, _checked: bool) -> None:
        self.retention.setEnabled(self.keep_months.isChecked())
        self._on_field_changed()

    def _on_browse_clicked(self) -> None:
        start = self.data_dir.text().strip() or str(self._paths.data_dir)
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the data folder"),
                                                  start)
        if folder:
            self.data_dir.setText(folder)
            self._on_field_changed()
