"""`TerminationSignals`: SIGTERM, SIGHUP and SIGINT as a Qt signal, so the window can quit
cleanly when the session ends (logout, shutdown, a service manager, Ctrl+C in the terminal).

Python runs a signal handler only between bytecodes, and while Qt's event loop waits no Python
runs at all: a bare handler would wait for the next mouse move. So the signals' handler only
records, and `signal.set_wakeup_fd` makes the interpreter also write the signal's number to a
socket pair whose other end a `QSocketNotifier` watches: the event loop wakes up at once and
`received` is emitted on the GUI thread, where the window quits the way File → Quit does.

On Windows nothing is installed: a window there gets no SIGTERM (the session ends with window
messages Qt already turns into a close), and Ctrl+C belongs to a console the window has none of.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from types import FrameType
from typing import Final

from PySide6.QtCore import QObject, QSocketNotifier, Signal

__all__ = ["TerminationSignals"]

log = logging.getLogger("allegro_desktop.ui")

#: The signals that end the window, as a quit.
QUIT_SIGNALS: Final = ("SIGTERM", "SIGHUP", "SIGINT")


class TerminationSignals(QObject):
    """Watches the quit signals from `install()` until `uninstall()` (both on the main thread;
    uninstall puts the previous handlers back). Signals that arrive before the event loop
    runs are delivered once it does.

    Signals:
        received(str): one of the signals arrived (its name, e.g. "SIGTERM").
    """

    received = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._previous: dict[signal.Signals, object] = {}
        self._previous_fd = -1

    @property
    def installed(self) -> bool:
        return self._reader is not None

    def install(self) -> None:
        if sys.platform == "win32" or self.installed:
            return
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._reader, self._writer = reader, writer
        for name in QUIT_SIGNALS:
            number = signal.Signals[name]
            self._previous[number] = signal.signal(number, self._on_signal)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def uninstall(self) -> None:
        if not self.installed:
            return
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]  # what signal() returned
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        for end in (self._reader, self._writer):
            if end is not None:
                end.close()
        self._reader = self._writer = None

    @staticmethod
    def _on_signal(number: int, _frame: FrameType | None) -> None:
        """The Python-level handler: the wake-up fd carries the news; this only notes it."""
        log.debug("received %s", signal.Signals(number).name)

    def _on_notifier_activated(self) -> None:
        if self._reader is None:
            return
        try:
            numbers = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):  # nothing after all
            return
        for number in numbers:
            try:
                name = signal.Signals(number).name
            except ValueError:  # not a signal number
                continue
            if name in QUIT_SIGNALS:
                self.received.emit(name)
