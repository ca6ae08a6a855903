"""Fixtures of the GUI tests: `qtbot` with waits that end at their condition and give up only
on a hang (`PatientQtBot`), the GUI thread's asyncio loop (`gui_loop`: qasync, as in the app),
an emulator that answers the device flow with a 1-second polling interval (so a whole login
takes a second or two), and a connected account with a sync worker (`make_sync_app`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from pytestqt.wait_signal import CallbackBlocker, MultiSignalBlocker, SignalBlocker

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.storage import Database
from allegro_desktop.sync import SyncSettings
from allegro_desktop.sync.worker import SyncWorker
from allegro_desktop.ui.event_loop import close_event_loop, new_event_loop
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


#: Every test's GUI loop once closed, kept until the tests end. qasync's timer object (a QObject)
#: holds a Qt timer for each callback it was given until that timer expires (a cancelled poll's
#: too), and a closed loop sits in reference cycles: left to Python's garbage collector, it could
#: be destroyed on another thread (a sync worker's), where Qt cannot stop its timers — which then
#: fire at freed memory, crashing a later test. Kept, they expire harmlessly on the GUI thread.
#: (The app has one loop, for as long as it runs.)
_CLOSED_LOOPS: list[asyncio.AbstractEventLoop] = []


@pytest.fixture
def gui_loop(qtbot: PatientQtBot, qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """The GUI thread's asyncio loop as the window has it (`ui/event_loop.py`: qasync on
    pytest-qt's one QApplication), new for each test. In the app `run_forever` marks it the
    running loop while `exec()` runs Qt's event loop; here pytest-qt's waits run Qt's event loop
    (no `exec()`, so nothing may call `QApplication.quit()`), so it is marked running for the
    test, and its tasks advance whenever a wait runs. Afterwards it is closed as when the app
    quits: what still runs is cancelled and let end, then the loop closes. (A coroutine the
    test itself needs: `tests.helpers.gui_loop.run_on`; `asyncio.run` cannot be used while
    the loop is marked running.)"""
    loop = new_event_loop(qapp)
    asyncio._set_running_loop(loop)
    try:
        yield loop
    finally:
        asyncio._set_running_loop(None)
        _CLOSED_LOOPS.append(loop)
        close_event_loop(loop)


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
        services = open_app_services(paths, store=TokenStore(backend=MemoryKeyring()))
        account = connect(emu, services)
        database = Database.open(paths.database, clock=emu.emulator.clock.now)
        worker = SyncWorker(source=services, database=database, settings=settings,
                            clock=emu.emulator.clock.now, retry=FAST_RETRY,
                            cancel_grace=cancel_grace)
        app = SyncApp(emu, paths, services, account, database, worker)
        made.append(app)
        worker.start()
        return app

    yield make
    for app in made:
        assert app.worker.shutdown(timeout=20)
        app.database.close()
