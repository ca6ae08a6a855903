"""`TerminationSignals`: SIGTERM, SIGHUP and SIGINT as a Qt signal, so the window can quit
cleanly when the session ends (logout, shutdown, a service manager, Ctrl+C in the terminal).

Python runs a signal handler only between bytecodes, and while Qt's event loop waits no Python
runs at all: a bare handler would wait for the next mouse move. So the signals' handler only
records, and `signal.set_wakeup_fd` makes the interpreter also write the signal's number to a
socket pair whose other end a `QSocketNotifier` watches: the event loop wakes up at once and
`received` is emitted on the GUI thread, where the window quits the way File → Quit does.

A signal may arrive before anything listens: while the database opens (a lock waited for, a
check, a dialog — `DatabaseOpener` runs a local event loop) the window that quits does not exist
yet. So the first quit signal is remembered (`arrived`), and `connect_received` hands it to a
receiver connected later, once the event loop runs; the app checks `arrived` after the database
opens, and quits instead of showing the window.

On Windows nothing is installed: a window there gets no SIGTERM (the session ends with window
messages Qt already turns into a close), and Ctrl+C belongs to a console the window has none of.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType
from typing import Final

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

__all__ = ["TerminationSignals"]

log = logging.getLogger("allegro_desktop.ui")

#: The signals that end the window, as a quit.
QUIT_SIGNALS: Final = ("SIGTERM", "SIGHUP", "SIGINT")


class TerminationSignals(QObject):
    """Watches the quit signals from `install()` until `uninstall()` (both on the main thread;
    uninstall puts the previous handlers back). A signal is noticed whenever an event loop
    runs (a local one too) and remembered: `arrived` is the first quit signal so far, and
    `connect_received` passes it to a receiver connected after it arrived.

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
        self._arrived: str | None = None

    @property
    def installed(self) -> bool:
        return self._reader is not None

    @property
    def arrived(self) -> str | None:
        """The name of the first quit signal received so far (e.g. "SIGTERM"), or None."""
        return self._arrived

    def connect_received(self, receiver: Callable[[str], object]) -> None:
        """Connect `received` to `receiver`; when a quit signal has arrived already, the
        receiver gets it too, from the event loop (as soon as one runs), like a new one."""
        self.received.connect(receiver)
        if self._arrived is not None:
            name = self._arrived
            QTimer.singleShot(0, self, lambda: receiver(name))

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
                if self._arrived is None:
                    self._arrived = name
                self.received.emit(name)
