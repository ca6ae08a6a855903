"""The window's account actions carried out for real: connect, refresh, disconnect, and what the
seller sees without a keyring or without client credentials."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.auth.errors import MissingCredentialsError
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import AppServices, open_app_services
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_repository import OrderRepository
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.accounts.controller import AccountsController
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.gui_loop import run_on
from tests.helpers.memory_keyring import MemoryKeyring


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def workers() -> Iterator[list[SyncWorker]]:
    started: list[SyncWorker] = []
    yield started
    for worker in started:
        assert worker.shutdown()


def _controller(qtbot: QtBot, services: AppServices, paths: AppPaths,
                emu: RunningEmulator | None, workers: list[SyncWorker],
                ) -> tuple[MainWindow, AccountsController]:
    window = MainWindow(demo=None, data_dir=str(paths.data_dir))
    qtbot.addWidget(window)
    environment, error = None, None
    if emu is not None:
        environment = services.environment(emu.base_url)
    else:
        error = MissingCredentialsError("no client ID for production", user_message=(
            "This copy of Allegro Desktop has no client ID for Allegro."))
    database = Database.open(paths.database)
    worker = SyncWorker(source=services, database=database)
    worker.start()
    workers.append(worker)

    def closed() -> None:
        worker.shutdown()  # the sync thread stops before its database closes
        database.close()

    window.destroyed.connect(closed)
    controller = AccountsController(window=window, services=services,
                                    worker=worker, environment=environment,
                                    environment_error=error, parent=window)
    window.show()
    return window, controller


def _connect(qtbot: QtBot, window: MainWindow, controller: AccountsController,
             emu: RunningEmulator) -> None:
    button = window.findChild(QPushButton, "connectButton")
    assert button is not None
    button.click()
    dialog = controller.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.state == "waiting")
    [pending] = emu.control("GET", "/device")
    emu.control("POST", "/device/approve", {"user_code": pending["user_code"]})
    qtbot.waitUntil(lambda: window.current_account is not None)


def _error_box(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None
    return box


def test_connect_refresh_and_no_secret_on_disk_or_in_logs(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop, emu: RunningEmulator,
        paths: AppPaths, caplog: pytest.LogCaptureFixture, workers: list[SyncWorker]) -> None:
    caplog.set_level(logging.DEBUG)
    services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()))
    window, controller = _controller(qtbot, services, paths, emu, workers)
    _connect(qtbot, window, controller, emu)
    account = window.current_account
    assert account is not None
    seller = emu.emulator.store.sellers[account.seller_id].seller
    assert account.login == seller.login
    assert seller.login in window.windowTitle()
    assert services.settings.current_account == account.key

    provider = services.token_provider(account)
    first = run_on(gui_loop, qtbot, provider.access_token())
    refreshed = run_on(gui_loop, qtbot, provider.token_rejected(first))
    assert refreshed != first
    assert emu.control("GET", "/stats")["oauth"]["refreshes"] == 1

    secrets = [*emu.emulator.oauth.access, *emu.emulator.oauth.refresh, "demo-secret"]
    files = [p for p in paths.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "settings.ini" for p in files)
    assert any(p.name == "accounts.json" for p in files)
    texts = [p.read_text(errors="replace") for p in files] + [caplog.text]
    for secret in secrets:
        assert not any(secret in text for text in texts)


@pytest.mark.parametrize("keep_orders", [True, False])
@pytest.mark.usefixtures("gui_loop")
def test_disconnect_forgets_the_tokens_and_the_current_account(
        qtbot: QtBot, start_emulator: StartEmulator, paths: AppPaths, keep_orders: bool,
        workers: list[SyncWorker]) -> None:
    emu = start_emulator(device_interval=1, orders=40)
    keyring = MemoryKeyring()
    services = open_app_services(paths, store=TokenStore(backend=keyring))
    window, controller = _controller(qtbot, services, paths, emu, workers)
    _connect(qtbot, window, controller, emu)
    account = window.current_account
    assert account is not None
    assert services.store.load(account.key) is not None
    with Database.open(paths.database) as database:
        repository = OrderRepository(database=database)
        forms = emu.control("GET", "/checkout-forms")["checkoutForms"]
        repository.apply_batch(account_key=account.key, events=[], cursor=None, orders=[
            parse_checkout_form(f, account_key=account.key) for f in forms])
        assert repository.count_orders(account.key) == 40
        if keep_orders:
            window.disconnect_requested.emit(account.key, keep_orders)
        else:  # the sync thread deletes them (it is the database's only writer)
            with qtbot.waitSignal(workers[-1].account_data_deleted) as deleted:
                window.disconnect_requested.emit(account.key, keep_orders)
            assert deleted.args == [account.key, 40]
        assert repository.count_orders(account.key) == (40 if keep_orders else 0)
    assert services.registry.all() == []
    assert services.store.load(account.key) is None
    assert keyring.values() == []
    assert services.settings.current_account is None
    assert window.current_account is None
    button = window.findChild(QPushButton, "connectButton")
    assert button is not None
    assert button.isVisible()


def test_no_keyring_is_explained_before_a_code_is_spent(
        qtbot: QtBot, emu: RunningEmulator, paths: AppPaths, workers: list[SyncWorker]) -> None:
    services = open_app_services(paths, store=TokenStore(backend=fail.Keyring()),
                                 require_keyring=False)
    window, controller = _controller(qtbot, services, paths, emu, workers)
    button = window.findChild(QPushButton, "connectButton")
    assert button is not None
    button.click()
    assert "keyring" in _error_box(qtbot, window).text().lower()
    assert controller.dialog is None
    assert emu.control("GET", "/stats")["oauth"]["device_authorizations"] == 0


def test_missing_client_credentials_are_explained(
        qtbot: QtBot, paths: AppPaths, workers: list[SyncWorker]) -> None:
    services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()))
    window, controller = _controller(qtbot, services, paths, None, workers)
    button = window.findChild(QPushButton, "connectButton")
    assert button is not None
    button.click()
    assert "client ID" in _error_box(qtbot, window).text()
    assert controller.dialog is None
