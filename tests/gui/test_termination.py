"""`ui/window/termination.py`: a quit signal that arrives before anything listens for it — while
the database opens, in a local event loop — is remembered and handed to a receiver connected
later. (The window quitting on SIGTERM, in real processes: tests/test_instance.py.)"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from allegro_desktop.ui.window.termination import TerminationSignals

WAIT = 30_000  # ms

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no quit signals on Windows")


@pytest.fixture
def termination(qtbot: QtBot) -> Iterator[TerminationSignals]:
    watcher = TerminationSignals()
    watcher.install()
    try:
        yield watcher
    finally:
        watcher.uninstall()
        watcher.deleteLater()


def test_a_signal_before_anyone_listens_is_passed_on(qtbot: QtBot,
                                                    termination: TerminationSignals) -> None:
    assert termination.arrived is None
    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(lambda: termination.arrived is not None, timeout=WAIT)  # an event loop ran
    assert termination.arrived == "SIGTERM"

    received: list[str] = []
    termination.connect_received(received.append)
    qtbot.waitUntil(lambda: received == ["SIGTERM"], timeout=WAIT)

    os.kill(os.getpid(), signal.SIGHUP)  # a later one: delivered as it comes
    qtbot.waitUntil(lambda: received == ["SIGTERM", "SIGHUP"], timeout=WAIT)
    assert termination.arrived == "SIGTERM"  # the first one counts


def test_a_receiver_connected_in_time_gets_it(qtbot: QtBot,
                                                  termination: TerminationSignals) -> None:
    received: list[str] = []
    termination.connect_received(received.append)
    with qtbot.waitSignal(termination.received, timeout=WAIT):
        os.kill(os.getpid(), signal.SIGINT)
    assert received == ["SIGINT"]
    assert termination.arrived == "SIGINT"
