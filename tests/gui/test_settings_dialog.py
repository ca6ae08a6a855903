"""The Settings dialog, the theme and the welcome page, offscreen with real widgets: values go
through the dialog into settings.ini and come back after a "restart"; secrets go to the
(in-memory) keyring and never into the file; what cannot be used is refused under its field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import Settings
from allegro_desktop.ui.dialogs.settings.controller import SettingsController
from allegro_desktop.ui.dialogs.settings.dialog import SettingsDialog
from allegro_desktop.ui.theme import ThemeManager, colour, is_dark
from allegro_desktop.ui.window.main_window import DemoInfo, MainWindow
from allegro_desktop.ui.window.welcome import demo_command, launch_demo
from tests.helpers.memory_keyring import MemoryKeyring

CLIENT_SECRET = "s3cr3t-client-VALUE"
WEBHOOK_SECRET = "hmac-KEY-42"


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    """Non-portable paths (the data folder can be chosen), all inside tmp_path."""
    folders = {name: tmp_path / name for name in ("data", "config", "cache", "logs")}
    for folder in folders.values():
        folder.mkdir()
    return AppPaths(data_dir=folders["data"], config_dir=folders["config"],
                    cache_dir=folders["cache"], log_dir=folders["logs"], portable=False)


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(keyring: MemoryKeyring) -> TokenStore:
    return TokenStore(backend=keyring)


def _dialog(qtbot: QtBot, paths: AppPaths, store: TokenStore | None,
            demo: bool = False) -> SettingsDialog:
    dialog = SettingsDialog(settings=Settings(paths.settings_file), store=store, paths=paths,
                            demo=demo)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _button(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> QPushButton:
    button = dialog.buttons.button(which)
    assert button is not None
    return button


def _ok(qtbot: QtBot, dialog: SettingsDialog) -> list[str]:
    with qtbot.waitSignal(dialog.settings_changed) as changed:
        _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    return list(changed.args[0])


def _select(combo: object, data: object) -> None:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_values_round_trip_through_the_dialog_and_a_restart(
        qtbot: QtBot, paths: AppPaths, store: TokenStore) -> None:
    dialog = _dialog(qtbot, paths, store)
    apply = _button(dialog, QDialogButtonBox.StandardButton.Apply)
    assert not apply.isEnabled()  # nothing changed yet
    _select(dialog.sync_page.auto_sync, 300)
    assert apply.isEnabled()
    dialog.sync_page.history.setValue(24)
    dialog.sync_page.keep_months.setChecked(True)
    dialog.sync_page.retention.setValue(36)
    dialog.notifications_page.notify.setChecked(False)
    assert not dialog.notifications_page.sound.isEnabled()  # a sound only comes with a notification
    qtbot.keyClicks(dialog.notifications_page.webhook_url, "https://hooks.example.com/allegro")
    _select(dialog.appearance_page.language, "en")
    _select(dialog.appearance_page.theme, "dark")
    qtbot.keyClicks(dialog.data_page.data_dir, str(paths.data_dir.parent / "elsewhere"))
    _select(dialog.data_page.log_level, "WARNING")
    _select(dialog.connection_page.environment, "sandbox")
    qtbot.keyClicks(dialog.connection_page.client_id, "sandbox-app")

    changed = _ok(qtbot, dialog)
    assert set(changed) == {"auto_sync_interval", "history_months", "retention_months",
                            "notify_new_orders", "webhook_url", "language", "theme",
                            "data_dir", "log_level", "environment", "client_id:sandbox"}

    restarted = Settings(paths.settings_file)  # what the next start reads
    assert restarted.auto_sync_interval == 300
    assert restarted.history_months == 24
    assert restarted.retention_months == 36
    assert restarted.notify_new_orders is False
    assert restarted.notify_sound is False
    # the address is a credential (Slack, Discord): in the keyring, not in settings.ini
    assert store.load_webhook_url() == "https://hooks.example.com/allegro"
    assert "hooks.example.com" not in paths.settings_file.read_text(encoding="utf-8")
    assert restarted.language == "en"
    assert restarted.theme == "dark"
    assert restarted.data_dir == paths.data_dir.parent / "elsewhere"
    assert restarted.log_level == "WARNING"
    assert restarted.environment == "sandbox"
    assert restarted.client_id("sandbox") == "sandbox-app"

    again = _dialog(qtbot, paths, store)  # the dialog shows what is stored
    assert again.sync_page.auto_sync.currentData() == 300
    assert again.sync_page.history.value() == 24
    assert again.sync_page.keep_months.isChecked()
    assert again.sync_page.retention.value() == 36
    assert not again.notifications_page.notify.isChecked()
    assert again.notifications_page.webhook_url.text() == "https://hooks.example.com/allegro"
    assert again.appearance_page.language.currentData() == "en"
    assert again.appearance_page.theme.currentData() == "dark"
    assert again.data_page.data_dir.text() == str(paths.data_dir.parent / "elsewhere")
    assert again.data_page.log_level.currentData() == "WARNING"
    assert again.connection_page.environment.currentData() == "sandbox"
    assert again.connection_page.client_id.text() == "sandbox-app"
    _select(again.connection_page.environment, "production")
    assert again.connection_page.client_id.text() == ""


def test_cancel_writes_nothing(qtbot: QtBot, paths: AppPaths, store: TokenStore) -> None:
    dialog = _dialog(qtbot, paths, store)
    _select(dialog.appearance_page.theme, "light")
    qtbot.keyClicks(dialog.connection_page.client_secret, CLIENT_SECRET)
    with qtbot.assertNotEmitted(dialog.settings_changed):
        _button(dialog, QDialogButtonBox.StandardButton.Cancel).click()
    assert Settings(paths.settings_file).theme == "system"
    assert store.load_client_secret("production") is None


def test_secrets_go_to_the_keyring_never_to_the_file(
        qtbot: QtBot, paths: AppPaths, store: TokenStore, keyring: MemoryKeyring) -> None:
    dialog = _dialog(qtbot, paths, store)
    _select(dialog.connection_page.environment, "sandbox")
    qtbot.keyClicks(dialog.connection_page.client_secret, CLIENT_SECRET)
    secret = dialog.connection_page.client_secret
    assert secret.echoMode() is secret.EchoMode.Password
    qtbot.keyClicks(dialog.notifications_page.webhook_url, "https://hooks.example.com/a")
    qtbot.keyClicks(dialog.notifications_page.webhook_secret, WEBHOOK_SECRET)
    changed = _ok(qtbot, dialog)
    assert {"client_secret", "webhook_secret", "webhook_url", "environment"} <= set(changed)

    assert store.load_client_secret("sandbox") == CLIENT_SECRET
    assert store.load_webhook_secret() == WEBHOOK_SECRET
    assert CLIENT_SECRET in keyring.entries.values()
    text = paths.settings_file.read_text()
    assert CLIENT_SECRET not in text
    assert WEBHOOK_SECRET not in text
    assert "secret" not in text.lower()

    again = _dialog(qtbot, paths, store)  # a stored secret is never shown, only said
    _select(again.connection_page.environment, "sandbox")
    assert again.connection_page.client_secret.text() == ""
    assert "keyring" in again.connection_page.client_secret.placeholderText()
    assert again.notifications_page.webhook_secret.text() == ""
    assert "keyring" in again.notifications_page.webhook_secret.placeholderText()
    assert again.notifications_page.forget_webhook_secret.isEnabled()
    again.notifications_page.forget_webhook_secret.click()
    again.connection_page.forget_client_secret.click()
    assert set(_ok(qtbot, again)) == {"client_secret", "webhook_secret"}
    assert store.load_webhook_secret() is None
    assert store.load_client_secret("sandbox") is None


def test_a_locked_keyring_is_said_and_nothing_breaks(
        qtbot: QtBot, paths: AppPaths, store: TokenStore, keyring: MemoryKeyring) -> None:
    keyring.locked = True
    dialog = _dialog(qtbot, paths, store)
    assert not dialog.connection_page.client_secret.isEnabled()
    assert "cannot be used" in dialog.connection_page.client_secret.placeholderText()
    _select(dialog.appearance_page.theme, "light")
    assert _ok(qtbot, dialog) == ["theme"]


def test_invalid_input_is_refused_under_its_field(
        qtbot: QtBot, paths: AppPaths, store: TokenStore) -> None:
    dialog = _dialog(qtbot, paths, store)
    qtbot.keyClicks(dialog.notifications_page.webhook_url, "hooks.example.com/allegro")
    dialog.sync_page.keep_months.setChecked(True)
    dialog.sync_page.retention.setValue(6)
    _select(dialog.appearance_page.theme, "dark")
    dialog.tabs.setCurrentIndex(4)
    with qtbot.assertNotEmitted(dialog.settings_changed):
        _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()  # not accepted
    assert dialog.tabs.currentIndex() == 1  # the first tab with a problem: Sync
    retention = dialog.findChild(QLabel, "retentionError")
    webhook = dialog.findChild(QLabel, "webhookUrlError")
    assert retention is not None
    assert webhook is not None
    assert retention.isVisible()
    assert "12 months" in retention.text()
    assert not webhook.isHidden()
    assert "https://" in webhook.text()
    assert not paths.settings_file.exists() or "theme" not in paths.settings_file.read_text()

    dialog.sync_page.retention.setValue(10)  # below the first sync's depth
    dialog.sync_page.history.setValue(11)
    dialog.notifications_page.webhook_url.setText("https://hooks.example.com/allegro")
    dialog.sync_page.retention.setValue(12)
    dialog.sync_page.history.setValue(24)
    _button(dialog, QDialogButtonBox.StandardButton.Apply).click()
    assert retention.isVisible()
    assert "24" in retention.text()
    dialog.sync_page.retention.setValue(24)
    changed = _ok(qtbot, dialog)
    assert "theme" in changed
    assert "webhook_url" in changed
    assert not retention.isVisible()
    assert Settings(paths.settings_file).retention_months == 24


def test_a_webhook_secret_needs_an_address(qtbot: QtBot, paths: AppPaths,
                                           store: TokenStore) -> None:
    dialog = _dialog(qtbot, paths, store)
    qtbot.keyClicks(dialog.notifications_page.webhook_secret, WEBHOOK_SECRET)
    _button(dialog, QDialogButtonBox.StandardButton.Apply).click()
    error = dialog.findChild(QLabel, "webhookSecretError")
    assert error is not None
    assert error.isVisible()
    assert store.load_webhook_secret() is None


def test_portable_and_demo_runs_fix_what_they_must(qtbot: QtBot, tmp_path: Path,
                                                   store: TokenStore) -> None:
    from allegro_desktop.config.paths import resolve_paths

    portable = resolve_paths(tmp_path / "portable")
    dialog = _dialog(qtbot, portable, store, demo=True)
    assert not dialog.data_page.data_dir.isEnabled()
    assert not dialog.data_page.browse.isEnabled()
    assert not dialog.connection_page.environment.isEnabled()
    assert not dialog.connection_page.client_secret.isEnabled()
    dialog.sync_page.history.setValue(6)
    assert _ok(qtbot, dialog) == ["history_months"]


def test_the_controller_applies_changes_live(qtbot: QtBot, paths: AppPaths,
                                             store: TokenStore) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    seen: dict[str, object] = {}
    controller = SettingsController(
        window=window, settings=Settings(paths.settings_file), store=store, paths=paths,
        apply_theme=lambda theme: seen.__setitem__("theme", theme),
        reschedule_sync=lambda: seen.__setitem__("rescheduled", True),
        set_retention=lambda months: seen.__setitem__("retention", months),
        set_history_days=lambda days: seen.__setitem__("history_days", days))
    dialog = controller.open()
    assert controller.open() is dialog  # one at a time
    _select(dialog.appearance_page.theme, "dark")
    _select(dialog.sync_page.auto_sync, 0)
    dialog.sync_page.history.setValue(24)
    dialog.sync_page.keep_months.setChecked(True)
    dialog.sync_page.retention.setValue(48)
    _select(dialog.connection_page.environment, "sandbox")
    with qtbot.waitSignals([controller.settings_changed, controller.connection_changed]):
        _button(dialog, QDialogButtonBox.StandardButton.Ok).click()
    assert seen == {"theme": "dark", "rescheduled": True, "retention": 48,
                    "history_days": 730}


def test_settings_menu_action_and_shortcut(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    with qtbot.waitSignal(window.settings_requested):
        window.settings_action.trigger()


# -- theme ---------------------------------------------------------------------------------


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeManager]:
    style = qapp.style().name()
    manager = ThemeManager(app=qapp)
    yield manager
    manager.apply("system")
    qapp.setStyle(style)
    manager.deleteLater()


def _window_colour() -> str:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).name()


def test_theme_switches_the_palette_live(qtbot: QtBot, theme: ThemeManager,
                                         tmp_path: Path) -> None:
    system = _window_colour()
    demo = DemoInfo(base_url="http://127.0.0.1:1", sellers=("Shop",), orders=10,
                    consent_url="http://127.0.0.1:1/x")
    window = MainWindow(demo=demo, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    banner = window.findChild(QLabel, "demoBanner")
    assert banner is not None
    assert colour("note.background", dark=False) in banner.styleSheet()

    with qtbot.waitSignal(theme.theme_applied):
        theme.apply("dark")
    assert is_dark()
    assert _window_colour() != system
    # Where the platform ignores the scheme (offscreen here), Fusion with our palette.
    if theme.uses_fallback:
        assert QApplication.style().name().lower() == "fusion"
    # Restyled when Qt tells the window (a posted event).
    qtbot.waitUntil(lambda: colour("note.background", dark=True) in banner.styleSheet())

    theme.apply("light")
    assert not is_dark()
    qtbot.waitUntil(lambda: colour("note.background", dark=False) in banner.styleSheet())
    theme.apply("system")
    assert _window_colour() == system
    assert not theme.uses_fallback
    theme.apply("purple")  # unknown: the system's
    assert theme.theme == "system"


# -- the welcome page ------------------------------------------------------------------------


def test_welcome_offers_connect_and_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    launched: list[bool] = []

    def launcher() -> bool:
        launched.append(True)
        return True

    window = MainWindow(demo=None, data_dir=str(tmp_path), demo_launcher=launcher)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    connect = window.findChild(QPushButton, "connectButton")
    demo = window.findChild(QPushButton, "demoButton")
    assert connect is not None
    assert demo is not None
    assert connect.isVisible()
    assert demo.isVisible()
    connect_text = window.findChild(QLabel, "connectCardText")
    demo_text = window.findChild(QLabel, "demoCardText")
    assert connect_text is not None
    assert demo_text is not None
    assert "allegro.pl" in connect_text.text()
    assert "code" in connect_text.text()
    assert "emulator" in demo_text.text()
    assert "real Allegro" in demo_text.text()
    with qtbot.waitSignal(window.connect_requested):
        connect.click()
    with qtbot.waitSignal(window.demo_requested):
        demo.click()
    assert launched == [True]
    status = window.findChild(QLabel, "demoStatus")
    assert status is not None
    assert status.isVisible()
    assert "separate window" in status.text()


def test_welcome_cards_wrap_in_a_narrow_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path), demo_launcher=lambda: False)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    connect = window.findChild(QWidget, "connectCard")
    demo = window.findChild(QWidget, "demoCard")
    assert connect is not None
    assert demo is not None
    qtbot.waitUntil(lambda: connect.y() == demo.y() and connect.x() < demo.x())
    window.resize(720, 700)  # the minimum width: one above the other
    qtbot.waitUntil(lambda: demo.y() > connect.y() + connect.height() - 1)
    demo_button = window.findChild(QPushButton, "demoButton")
    assert demo_button is not None
    demo_button.click()
    status = window.findChild(QLabel, "demoStatus")
    assert status is not None
    assert "could not be started" in status.text()


def test_welcome_in_demo_mode_offers_only_connect(qtbot: QtBot, tmp_path: Path) -> None:
    demo = DemoInfo(base_url="http://127.0.0.1:1", sellers=("DomOgrodPlus", "TechKącik"),
                    orders=1500, consent_url="http://127.0.0.1:1/x")
    window = MainWindow(demo=demo, data_dir=str(tmp_path), demo_launcher=lambda: True)
    qtbot.addWidget(window)
    assert window.findChild(QPushButton, "demoButton") is None
    text = window.findChild(QLabel, "connectCardText")
    assert text is not None
    assert "DomOgrodPlus" in text.text()


def test_without_a_launcher_there_is_no_demo_card(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    demo = window.findChild(QPushButton, "demoButton")
    assert demo is not None
    assert not demo.isVisible()


def test_the_demo_is_this_app_again_with_demo(tmp_path: Path) -> None:
    program, args = demo_command(data_dir=tmp_path, language="pl", executable="/py",
                                 frozen=False)
    assert (program, args) == ("/py", ["-m", "allegro_desktop", "--data-dir", str(tmp_path),
                                       "--language", "pl", "--demo"])
    program, args = demo_command(data_dir=None, language=None, executable="/app/Allegro",
                                 frozen=True)
    assert (program, args) == ("/app/Allegro", ["--demo"])

    started: list[tuple[str, list[str]]] = []

    def start(program: str, arguments: list[str]) -> bool:
        started.append((program, arguments))
        return False

    assert launch_demo(data_dir=None, language="en", start=start) is False
    assert started
    assert started[0][1][-3:] == ["--language", "en", "--demo"]


def test_keyboard_focus_starts_on_connect(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path), demo_launcher=lambda: True)
    qtbot.addWidget(window)
    connect = window.findChild(QPushButton, "connectButton")
    assert connect is not None
    assert connect.isDefault()
    assert Qt.FocusPolicy.StrongFocus & connect.focusPolicy()
