"""Fixtures of the GUI tests: `qtbot` with waits that end at their condition and give up only
on a hang (`PatientQtBot`), the background asyncio bridge, an emulator that answers the device
flow with a 1-second polling interval (so a whole login takes a second or two), and a
connected account with a sync worker (`make_sync_app`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from pytestqt.wait_signal import CallbackBlocker, MultiSignalBlocker, SignalBlocker

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.connection import open_connection
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.storage import Database
from allegro_desktop.sync import SyncSettings
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.async_bridge import AsyncBridge
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.synced_shop import FAST_RETRY, connect


class PatientQtBot(QtBot):
    """pytest-qt's `QtBot`, its waits giving up after `WAIT` unless a test says otherwise."""

    def waitSignal(self, signal: Any, *, timeout: int = WAIT,  # noqa: N802 - pytest-qt's name
                   **options: Any) -> SignalBlocker:
        return super().waitSignal(signal, timeout=timeout, **options)

    def waitSignals(self, signals: Any, *, timeout: int = WAIT,  # noqa: N802 - pytest-qt's name
                    **options: Any) -> MultiSignalBlocker:
        return super().waitSignals(signals, timeout=timeout, **options)

    def waitUntil(self, callback: Callable[[], bool | None], *,  # noqa: N802 - pytest-qt's name
                  timeout: int = WAIT) -> None:
        super().waitUntil(callback, timeout=timeout)

    def waitCallback(self, *, timeout: int = WAIT,  # noqa: N802 - pytest-qt's name
                     raising: bool | None = None) -> CallbackBlocker:
        return super().waitCallback(timeout=timeout, raising=raising)

    def waitExposed(self, widget: QWidget, *, timeout: int = WAIT) -> Any:  # noqa: N802
        return super().waitExposed(widget, timeout=timeout)

    def waitActive(self, widget: QWidget, *, timeout: int = WAIT) -> Any:  # noqa: N802
        return super().waitActive(widget, timeout=timeout)


@pytest.fixture
def qtbot(qapp: QApplication, request: pytest.FixtureRequest) -> PatientQtBot:
    """pytest-qt's fixture, its waits patient (`PatientQtBot`)."""
    return PatientQtBot(request)


@pytest.fixture
def bridge() -> Iterator[AsyncBridge]:
    bridge = AsyncBridge()
    yield bridge
    bridge.shutdown()


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator(device_interval=1, orders=0)


@pytest.fixture
def make_sync_app(start_emulator: StartEmulator, tmp_path: Path) -> Iterator[MakeSyncApp]:
    """`make_sync_app(settings=…, cancel_grace=…, **emulator_config)`; everything stops after
    the test (the worker before its database)."""
    made: list[SyncApp] = []

    def make(settings: SyncSettings | None = None, cancel_grace: float = 5.0,
             **config: Any) -> SyncApp:
        config.setdefault("orders", 300)
        config.setdefault("history_days", 200)
        config.setdefault("seed", 11)
        config.setdefault("device_interval", 1)
        emu = start_emulator(**config)
        paths = resolve_paths(tmp_path / f"app{len(made)}")
        connection = open_connection(paths, store=TokenStore(backend=MemoryKeyring()))
        account = connect(emu, connection)
        database = Database.open(paths.database, clock=emu.emulator.clock.now)
        worker = SyncWorker(source=connection, database=database, settings=settings,
                            clock=emu.emulator.clock.now, retry=FAST_RETRY,
                            cancel_grace=cancel_grace)
        app = SyncApp(emu, paths, connection, account, database, worker)
        made.append(app)
        worker.start()
        return app

    yield make
    for app in made:
        assert app.worker.shutdown(timeout=20)
        app.database.close()
