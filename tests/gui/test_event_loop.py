"""`ui/event_loop.py`: the GUI thread's asyncio loop (qasync) — the app's quit cancels a login
under way and closes its httpx client without hanging and leaves Qt's event loop usable; an
error no task handled is logged; qasync is bound to PySide6 whatever `QT_API` says; Python's
switch interval is shortened."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QEventLoop, QTimer
from pytestqt.qtbot import QtBot

from allegro_desktop.api.client import make_http_client
from allegro_desktop.api.environments import environment_from_key
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.ui.accounts.connect_dialog import ConnectDialog
from allegro_desktop.ui.event_loop import TaskSet, close_event_loop
from tests.helpers.emulator import StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sync_app import WAIT


def _qt_event_loop_runs() -> bool:
    """Whether a local Qt event loop runs until it is told to end (not at once, as after a
    `QApplication.exit()` called while no `exec()` ran)."""
    local = QEventLoop()
    QTimer.singleShot(0, lambda: local.exit(7))
    return local.exec() == 7


def test_quitting_cancels_a_login_under_way_and_closes_its_client(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop, start_emulator: StartEmulator,
        tmp_path: Path) -> None:
    # Polls far apart: the login can end in time only by being cancelled.
    emu = start_emulator(device_interval=3000, orders=0)
    clients: list[httpx.AsyncClient] = []

    def http_factory() -> httpx.AsyncClient:
        clients.append(make_http_client())
        return clients[-1]

    def new_session() -> DeviceLogin:
        return DeviceLogin(
            environment=environment_from_key(emu.base_url).with_credentials(
                "allegro-desktop-demo", "demo-secret"),
            store=TokenStore(backend=MemoryKeyring()),
            registry=AccountRegistry(tmp_path / "accounts.json"), governor=RequestGovernor(),
            http_factory=http_factory)

    dialog = ConnectDialog(new_session=new_session, environment_label="Allegro (emulator)")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.state == "waiting")
    assert dialog.pending_work
    [client] = clients
    assert not client.is_closed

    # As `run_gui` quits: Qt's event loop has ended (the loop no longer marked running).
    asyncio._set_running_loop(None)
    close_event_loop(gui_loop)
    assert gui_loop.is_closed()
    assert not dialog.pending_work
    assert client.is_closed
    assert emu.control("GET", "/device")[0]["state"] == "pending"  # the code was never used
    assert _qt_event_loop_runs()


def _quit_with_a_task_that_will_not_stop(qtbot: QtBot,
                                         loop: asyncio.AbstractEventLoop) -> asyncio.Task[None]:
    started, release = asyncio.Event(), asyncio.Event()

    async def stubborn() -> None:
        started.set()
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue  # a bug: it swallows the cancel

    task = loop.create_task(stubborn(), name="stubborn")
    qtbot.waitUntil(started.is_set)
    asyncio._set_running_loop(None)  # as `run_gui` quits: Qt's event loop has ended
    close_event_loop(loop, grace=0.5)  # a short deadline: real time passes
    return task


def test_a_task_that_will_not_stop_does_not_hang_the_quit(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop,
        caplog: pytest.LogCaptureFixture) -> None:
    task = _quit_with_a_task_that_will_not_stop(qtbot, gui_loop)
    assert gui_loop.is_closed()
    assert not task.done()
    assert "did not stop in time: stubborn" in caplog.text
    assert _qt_event_loop_runs()
    del task
    gc.collect()  # now, not in another test: the task left behind is logged as it goes
    assert "Task was destroyed but it is pending" in caplog.text


def test_a_task_ending_by_itself_as_the_app_quits_is_no_error(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop) -> None:
    """A task whose last step was already due when the quit began ends before it could be
    cancelled: nothing is left to wait for, and closing the loop goes on calmly (an error
    there would skip the rest of the quit)."""
    async def nearly_done() -> None:
        return None

    gui_loop.create_task(nearly_done())  # due, never stepped yet
    asyncio._set_running_loop(None)  # as `run_gui` quits: Qt's event loop has ended
    close_event_loop(gui_loop)
    assert gui_loop.is_closed()


def test_a_blocking_call_that_never_returns_does_not_hold_up_the_quit(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop) -> None:
    """A call handed to a thread (a keyring save waiting for an unlock prompt, a name lookup)
    that never returns: the loop closes without waiting for it."""
    started, release = threading.Event(), threading.Event()

    def blocked() -> None:
        started.set()
        release.wait()

    future = gui_loop.run_in_executor(None, blocked)
    assert started.wait(WAIT / 1000)
    asyncio._set_running_loop(None)
    close_event_loop(gui_loop, grace=0.5)  # a short deadline: real time passes
    assert gui_loop.is_closed()
    assert any(thread.name == "gui-loop-call" and thread.is_alive()
               for thread in threading.enumerate())  # the call still waits; the quit did not
    release.set()
    del future


def test_an_error_no_task_handled_is_logged(
        qtbot: QtBot, gui_loop: asyncio.AbstractEventLoop,
        caplog: pytest.LogCaptureFixture) -> None:
    tasks = TaskSet("a test's work")

    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("a bug")

    tasks.start(fails())
    qtbot.waitUntil(lambda: not tasks.pending)
    [record] = [r for r in caplog.records if r.getMessage() == "a test's work failed"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)

    done = asyncio.Event()

    def callback_bug() -> None:
        done.set()
        raise KeyError("another bug")

    gui_loop.call_soon(callback_bug)
    qtbot.waitUntil(done.is_set)
    [record] = [r for r in caplog.records
                if r.exc_info is not None and isinstance(r.exc_info[1], KeyError)]
    assert record.levelno == logging.ERROR
    assert record.name == "allegro_desktop.ui"


def test_qasync_serves_pyside6_whatever_qt_api_says() -> None:
    """And the window's loop shortens Python's switch interval from its default 5 ms."""
    script = (
        "import asyncio, os, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from allegro_desktop.ui.event_loop import close_event_loop, new_event_loop\n"
        "app = QApplication([])\n"
        "print(round(sys.getswitchinterval() * 1000, 3))\n"
        "loop = new_event_loop(app)\n"
        "print(round(sys.getswitchinterval() * 1000, 3))\n"
        "print(loop.run_until_complete(asyncio.sleep(0, 'ok')))\n"
        "close_event_loop(loop)\n"
        "print(os.environ['QT_API'])\n")
    env = {**os.environ, "QT_API": "pyqt5", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    # the user's setting is left as it was
    assert result.stdout.split() == ["5.0", "1.0", "ok", "pyqt5"]
