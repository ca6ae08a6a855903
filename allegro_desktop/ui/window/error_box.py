"""`UncaughtErrorBox`: an exception nothing caught (a bug in a slot, on a thread) is logged
with its traceback (`config/uncaught.py`) and told in a short box over the window, so the
seller knows something did not happen and where the details are — instead of nothing at all.

One box at a time, and after it closes none for `quiet_seconds`: an error that repeats (in a
timer, on every repaint) fills the log, not the screen. The next box counts the errors not
shown meanwhile.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from allegro_desktop.config.uncaught import UncaughtExceptions, describe

__all__ = ["QUIET_SECONDS", "UncaughtErrorBox"]

# After an error box closes, how long further errors are only logged (seconds).
QUIET_SECONDS: Final = 60.0


class UncaughtErrorBox(QObject):
    """Logs what nothing caught and shows it in a box over `window` (a box of its own while
    there is no window yet), from `install()` until `uninstall()`. Create it on the GUI
    thread: an error on another thread reaches the box through the event loop.

    Signals:
        caught(str): an uncaught exception was logged (its one-line description); the box
            follows from the event loop.
    """

    caught = Signal(str)

    def __init__(self, *, quiet_seconds: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None
        self._quiet_seconds = quiet_seconds
        self._clock = clock
        self._hooks = UncaughtExceptions(self._on_exception)
        self._box: QMessageBox | None = None
        self._quiet_until = -math.inf
        self._not_shown = 0
        # Queued even on the GUI thread: the box opens once the failed slot is over.
        self.caught.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @property
    def box(self) -> QMessageBox | None:
        """The box on screen, if one is."""
        return self._box

    @property
    def not_shown(self) -> int:
        """The errors logged but not shown since the last box opened (one was open, or the
        quiet time after it ran)."""
        return self._not_shown

    def install(self) -> None:
        self._hooks.install()

    def uninstall(self) -> None:
        self._hooks.uninstall()

    def _on_exception(self, exc: BaseException, _where: str) -> None:  # any thread
        self.caught.emit(describe(exc))

    def _show(self, description: str) -> None:
        if self._box is not None or self._clock() < self._quiet_until:
            self._not_shown += 1
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical, self.tr("Allegro Desktop"),
            self.tr("Something went wrong inside Allegro Desktop (%1). The app goes on, but "
                    "what you just did may not have been done.").replace("%1", description),
            QMessageBox.StandardButton.Ok, self.window)
        details = self.tr("The details are in the log file (Help → Diagnostics…). Please "
                          "report it.")
        if self._not_shown:
            details = self.tr("%n more unexpected error(s) since the last message.", "",
                              self._not_shown) + " " + details
        box.setInformativeText(details)
        box.setObjectName("uncaughtErrorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_box_finished)
        self._box = box
        self._not_shown = 0
        box.open()

    def _on_box_finished(self, _result: int) -> None:
        self._box = None
        self._quiet_until = self._clock() + self._quiet_seconds
