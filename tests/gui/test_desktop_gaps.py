"""Where the desktop lacks something, the window makes up for it: no system tray — the
new-orders notification shows inside the window (and Settings says so); no browser — the link
to open is shown to copy; no window manager to hand the keyboard back after a dialog — the
window takes it back, so Ctrl+Q still quits. Offscreen (the tests' platform) has neither a
tray nor a browser, as such a desktop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from allegro_desktop.app import build_controllers, wire_notifications
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.config.settings import Settings
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.accounts.connect_dialog import ConnectDialog
from allegro_desktop.ui.dialogs.settings.dialog import SettingsDialog
from allegro_desktop.ui.links import LinkDialog
from allegro_desktop.ui.window.main_window import MainWindow
from allegro_desktop.ui.window.notifications import Notifier
from allegro_desktop.ui.window.tabs import TabsController
from tests.helpers.emulator import RunningEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sync_app import WAIT, MakeSyncApp


@pytest.fixture
def workers() -> Iterator[list[SyncWorker]]:
    started: list[SyncWorker] = []
    yield started
    for worker in started:
        assert worker.shutdown()


def test_without_a_tray_new_orders_show_inside_the_window(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    """As `run_gui` wires it: no tray here, so the message is a bar in the window, whose
    Show selects the new orders and goes away; ✕ dismisses the next one."""
    app = make_sync_app(orders=50)
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    accounts, sync = build_controllers(
        window=window, services=app.services, worker=app.worker,
        database=app.database, environment=app.services.environment(app.emu.base_url),
        environment_error=None, sync_interval=0)
    tabs = TabsController(window=window, database=app.database, worker=app.worker,
                          ui_state=UiState(tmp_path / "ui.ini"), parent=window)
    accounts.accounts_changed.connect(tabs.set_accounts)
    tabs.set_accounts(app.services.registry.all())
    window.show()
    stop = wire_notifications(window=window, tabs=tabs, worker=app.worker, sync=sync,
                              services=app.services, database=app.database)
    try:
        notice = window.findChild(QFrame, "windowNotice")
        assert notice is not None, "no in-window notice without a tray"
        notifier = window.findChild(Notifier)
        assert notifier is not None
        assert not notice.isVisible()
        with qtbot.waitSignal(app.worker.queue_emptied):
            app.worker.request_sync(app.account.key)
        ids = {form["id"] for form in app.emu.control(
            "POST", "/orders", {"count": 2})["checkoutForms"]}
        with qtbot.waitSignal(app.worker.queue_emptied):
            app.worker.request_sync(app.account.key)
        qtbot.waitUntil(lambda: set(notifier.pending_ids) == ids)
        notifier.flush()  # the batch's end, without waiting for it
        assert notice.isVisible()
        text = notice.findChild(QLabel, "windowNoticeText")
        assert text is not None
        assert "2 new orders" in text.text()
        show = notice.findChild(QPushButton, "windowNoticeShow")
        assert show is not None
        assert show.isVisible()
        show.click()
        assert not notice.isVisible()
        queries = OrderQueries(database=app.database)
        seqs = sorted(seq for seq in (queries.seq_of(i) for i in ids) if seq is not None)
        qtbot.waitUntil(lambda: sorted(tabs.orders.selected_seqs()) == seqs)

        app.emu.control("POST", "/orders", {"count": 1})
        with qtbot.waitSignal(app.worker.queue_emptied):
            app.worker.request_sync(app.account.key)
        qtbot.waitUntil(lambda: len(notifier.pending_ids) == 1)
        notifier.flush()
        assert notice.isVisible()
        assert text.text().startswith("<b>1 new order")
        dismiss = notice.findChild(QToolButton, "windowNoticeDismiss")
        assert dismiss is not None
        dismiss.click()
        assert not notice.isVisible()
    finally:
        stop()
        tabs.shutdown()


def test_settings_say_where_notifications_go_without_a_tray(qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "profile")
    dialog = SettingsDialog(settings=Settings(paths.settings_file),
                            store=TokenStore(backend=MemoryKeyring()), paths=paths)
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.notifications_page.findChild(QLabel, "noTrayNote")
    assert note is not None, "Settings do not say that this desktop has no tray"
    assert "inside the window" in note.text()


def _connect_window(qtbot: QtBot, paths: AppPaths, emu: RunningEmulator,
                    workers: list[SyncWorker]) -> MainWindow:
    """The window with its accounts controller on `emu`, as `run_gui` builds it."""
    services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()))
    window = MainWindow(demo=None, data_dir=str(paths.data_dir))
    qtbot.addWidget(window)
    database = Database.open(paths.database)
    worker = SyncWorker(source=services, database=database)
    worker.start()
    workers.append(worker)

    def closed() -> None:
        worker.shutdown()
        database.close()

    window.destroyed.connect(closed)
    build_controllers(window=window, services=services, worker=worker, database=database,
                      environment=services.environment(emu.base_url), environment_error=None,
                      sync_interval=0)
    window.show()
    qtbot.waitActive(window)
    return window


def _open_connect_dialog(qtbot: QtBot, window: MainWindow) -> ConnectDialog:
    window.connect_requested.emit()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ConnectDialog)))
    [dialog] = [d for d in window.findChildren(ConnectDialog) if d.isVisible()]
    qtbot.waitUntil(lambda: dialog.state == "waiting")
    return dialog


@pytest.mark.usefixtures("gui_loop")
def test_without_a_browser_the_link_is_shown_to_copy(
        qtbot: QtBot, emu: RunningEmulator, tmp_path: Path, workers: list[SyncWorker]) -> None:
    window = _connect_window(qtbot, resolve_paths(tmp_path / "data"), emu, workers)
    dialog = _open_connect_dialog(qtbot, window)
    open_button = dialog.findChild(QPushButton, "openButton")
    assert open_button is not None
    open_button.click()  # offscreen: no browser to start
    qtbot.waitUntil(lambda: dialog.findChild(LinkDialog) is not None)
    link = dialog.findChild(LinkDialog)
    assert link is not None
    assert link.isVisible()
    address = link.findChild(QLineEdit, "linkAddress")
    assert address is not None
    assert address.isReadOnly()
    [pending] = emu.control("GET", "/device")
    assert address.text() == pending["verification_uri_complete"]
    copy = link.findChild(QPushButton, "copyLink")
    assert copy is not None
    copy.click()
    assert QGuiApplication.clipboard().text() == address.text()
    link.reject()
    dialog.reject()


@pytest.mark.usefixtures("gui_loop")
def test_ctrl_q_quits_after_the_second_connect_dialog_closed(
        qtbot: QtBot, emu: RunningEmulator, tmp_path: Path, workers: list[SyncWorker]) -> None:
    """A closed dialog took the keyboard with it (nothing hands it back without a window
    manager): the window takes it back, and its shortcuts work again."""
    window = _connect_window(qtbot, resolve_paths(tmp_path / "data"), emu, workers)
    for _ in range(2):
        dialog = _open_connect_dialog(qtbot, window)
        qtbot.waitActive(dialog)
        cancel = dialog.findChild(QPushButton, "closeButton")
        assert cancel is not None
        cancel.click()
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
