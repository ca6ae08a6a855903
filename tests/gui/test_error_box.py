"""An exception nothing caught while the window runs (a bug in a slot, on a thread): logged
with its traceback, told in one short box over the window, never a storm of boxes.

pytest-qt catches such exceptions itself to fail the test they happen in; these tests are
about the app's own hooks, so they switch that off (`qt_no_exception_capture`)."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot

from allegro_desktop.config.logging_setup import configure_logging
from allegro_desktop.ui.window.error_box import UncaughtErrorBox
from allegro_desktop.ui.window.main_window import MainWindow

pytestmark = [pytest.mark.qt_no_exception_capture, pytest.mark.usefixtures("restore_logging")]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Trigger(QObject):
    """A signal whose slot runs later, from the event loop (a queued call), as a button's or a
    timer's does."""

    fire = Signal()


def _fail_in_a_slot() -> None:
    raise RuntimeError("a bug in a slot")


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _logged(log_file: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8")


def test_a_slot_that_raises_is_logged_and_shown_once(qtbot: QtBot, tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "allegro-desktop.log"
    configure_logging(level="INFO", log_file=log_file, console=False)
    window = _window(qtbot, tmp_path)
    clock = FakeClock()
    errors = UncaughtErrorBox(quiet_seconds=60, clock=clock, parent=window)
    errors.window = window
    trigger = Trigger()
    trigger.fire.connect(_fail_in_a_slot, Qt.ConnectionType.QueuedConnection)
    earlier = sys.excepthook
    errors.install()
    try:
        with qtbot.waitSignal(errors.caught, timeout=5000) as caught:
            trigger.fire.emit()
        assert caught.args == ["RuntimeError: a bug in a slot"]
        qtbot.waitUntil(lambda: errors.box is not None and errors.box.isVisible())
        box = errors.box
        assert box is not None
        assert box.parent() is window
        assert box.objectName() == "uncaughtErrorBox"
        assert "RuntimeError: a bug in a slot" in box.text()
        assert "Help → Diagnostics…" in box.informativeText()
        logged = _logged(log_file)
        assert "CRITICAL allegro_desktop: an unexpected error in the main thread" in logged
        assert "Traceback (most recent call last)" in logged
        assert "in _fail_in_a_slot" in logged

        # The same bug again, while the box is open: logged, no second box.
        trigger.fire.emit()
        qtbot.waitUntil(lambda: errors.not_shown == 1)
        assert errors.box is box
        assert _logged(log_file).count("in _fail_in_a_slot") == 2

        # Closed: for the next minute further errors are only logged.
        box.accept()
        qtbot.waitUntil(lambda: errors.box is None)
        clock.now += 59
        trigger.fire.emit()
        qtbot.waitUntil(lambda: errors.not_shown == 2)
        assert errors.box is None

        # A minute later a bug on another thread shows again, counting the ones not shown.
        clock.now += 2
        thread = threading.Thread(target=_fail_in_a_slot, name="allegro-helper")
        with qtbot.waitSignal(errors.caught, timeout=5000):
            thread.start()
            thread.join()
        qtbot.waitUntil(lambda: errors.box is not None and errors.box.isVisible())
        assert errors.box is not None
        assert "2 more unexpected error(s) since the last message." in errors.box.informativeText()
        assert errors.not_shown == 0
        assert "an unexpected error in the thread allegro-helper" in _logged(log_file)
    finally:
        errors.uninstall()
    assert sys.excepthook is earlier
