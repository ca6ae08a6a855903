"""One window per profile, the desktop convention: a second start brings the first to the front.

Two windows on one data folder would both sync it, both deliver the webhook and, once the app
acts on orders, both act. So the first window of a profile takes a `QLockFile` in its data
folder (`window.lock`; the demo, a profile of its own, `demo-window.lock`) and listens on a
`QLocalServer` whose name is a hash of the user and that lock's path (short, the same at every
start, another user's never the same). A second start finds the lock taken, connects, sends
"show" with its pid and arguments, waits for the answer and exits; the first window shows,
raises and activates itself (also from the tray). The first start listens before its window
exists (while the database opens: a lock waited for, a migration); until `window_ready()` it
answers "starting" — the second start says the window is on its way — and brings the window to
the front once it is built.

A killed window leaves its lock file behind, naming a process that no longer runs: `QLockFile`
sees that it is stale and the next start takes it over. Its age is no reason (a window runs for
weeks), so the stale-lock time is off. A window that is quitting has stopped answering but still
holds the lock: a second start waits for it to let go, then becomes the window itself.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QLockFile,
    QObject,
    QTimer,
    Signal,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMessageBox

from allegro_desktop.files.names import DEMO_WINDOW_LOCK, WINDOW_LOCK

__all__ = ["OtherWindow", "WindowClaim", "claim_window", "server_name", "window_lock_file"]

log = logging.getLogger("allegro_desktop.ui")

SHOW: Final = "show"
_SHOWN: Final = b"shown\n"
_STARTING: Final = b"starting\n"
#: The most a request may hold; anything longer is not ours.
_MAX_REQUEST: Final = 64 * 1024
#: How long the first window gives a connection to say what it wants (ms).
_REQUEST_DEADLINE_MS: Final = 5_000
#: How long a second start waits for the first window to answer (seconds): the first may still
#: be starting (migrating its database) or quitting.
ANSWER_WAIT: Final = 20.0
_RETRY_S: Final = 0.1


def window_lock_file(data_dir: Path, *, demo: bool) -> Path:
    """The lock file of the window of the profile in `data_dir` (its demo is another profile,
    whose folder is emptied at every start — so its lock lives beside it, not in it)."""
    return data_dir / (DEMO_WINDOW_LOCK if demo else WINDOW_LOCK)


def server_name(lock_file: Path) -> str:
    """The local server's name of the window holding `lock_file`: short (a Unix socket path is
    limited to about 100 bytes), the same for every start of the profile, the user's own."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name: the uid (POSIX) is as unique
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    key = f"{user}\0{os.path.normcase(lock_file.resolve())}"
    return "allegro-desktop-" + hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class OtherWindow:
    """The window that already runs on the profile: what a second start found."""

    data_dir: Path
    shown: bool  # it answered and came to the front
    pid: int | None  # from its lock file, when readable
    host: str
    starting: bool = False  # it answered, but its window is still being built

    def report(self) -> int:
        """Tell the seller (one line on stderr; a message box too when the first window did
        not answer, since a start from the desktop has no terminal) and return the exit code:
        0 when the first window came to the front or is on its way, 1 when it did not
        answer."""
        if self.shown:
            print(f"Allegro Desktop is already running with the data folder {self.data_dir}: "
                  "its window was brought to the front.", file=sys.stderr, flush=True)
            return 0
        if self.starting:
            print(f"Allegro Desktop is already starting with the data folder {self.data_dir}: "
                  "its window appears as soon as it has opened the order database.",
                  file=sys.stderr, flush=True)
            return 0
        who = f"pid {self.pid}" if self.pid is not None else "another process"
        if self.host and self.host != socket.gethostname():
            who += f" on {self.host}"
        print(f"Allegro Desktop is already running with the data folder {self.data_dir} "
              f"({who}) but does not answer. Close it (or end that process) and start again.",
              file=sys.stderr, flush=True)
        text = QCoreApplication.translate(
            "OtherWindow",
            "Allegro Desktop is already running with the data folder %1, but it does not "
            "answer. Close it, or end that process, then start Allegro Desktop again.")
        QMessageBox.warning(None, QCoreApplication.translate("OtherWindow", "Allegro Desktop"),
                            text.replace("%1", str(self.data_dir)))
        return 1


class WindowClaim(QObject):
    """The first window's hold on its profile: the lock, and the server later starts talk to.

    Call `window_ready()` once the window exists, and `release()` last thing before exiting
    (after the database is closed).

    Signals:
        show_requested(int, list): a second start (its pid and its arguments) asked for the
            window: show it, raise it, activate it. Emitted only once the window is ready (a
            request that came before, at `window_ready()`).
    """

    show_requested = Signal(int, list)

    def __init__(self, lock: QLockFile, lock_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = lock
        self.lock_file = lock_file
        self.name = server_name(lock_file)
        self._ready = False
        self._pending: tuple[int, list[str]] | None = None  # asked for while starting
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        QLocalServer.removeServer(self.name)  # a killed window's socket file (we hold the lock)
        if self._server.listen(self.name):
            log.info("this window answers further starts on %s", lock_file.parent)
        else:  # still the only window (the lock); a second start is told it does not answer
            log.warning("further starts cannot reach this window: %s",
                        self._server.errorString())

    @property
    def listening(self) -> bool:
        return bool(self._server.isListening())

    @property
    def ready(self) -> bool:
        """The window exists (`window_ready()` was called)."""
        return self._ready

    def window_ready(self) -> None:
        """The window exists: from now on a second start's request brings it to the front
        (`show_requested`) and is answered "shown"; one that came while the app was still
        starting is passed on now."""
        self._ready = True
        if self._pending is not None:
            pid, arguments = self._pending
            self._pending = None
            log.info("bringing the window to the front for the start (pid %d) that asked "
                     "while it started", pid)
            self.show_requested.emit(pid, arguments)

    def release(self) -> None:
        """Stop answering, and let the profile go."""
        self._server.close()
        self._lock.unlock()

    def _on_server_new_connection(self) -> None:
        while (connection := self._server.nextPendingConnection()) is not None:
            _Request(connection, self)

    def answer_show(self, pid: int, arguments: list[str]) -> bytes:
        """A second start (its pid and arguments) asked for the window: what it is told."""
        if not self._ready:
            log.info("another start (pid %d) asked for this window while it starts: it comes "
                     "to the front once it is built", pid)
            self._pending = (pid, arguments)
            return _STARTING
        log.info("another start (pid %d, arguments: %s) asked for this window: bringing it "
                 "to the front", pid, " ".join(arguments) or "none")
        self.show_requested.emit(pid, arguments)
        return _SHOWN


class _Request(QObject):
    """One connection to the first window: a line of JSON in, "shown" (or "starting") out,
    within a deadline; anything else is dropped."""

    def __init__(self, connection: QLocalSocket, claim: WindowClaim) -> None:
        super().__init__(connection)  # lives and dies with the connection
        self._connection = connection
        self._claim = claim
        self._data = b""
        connection.readyRead.connect(self._on_connection_ready_read)
        connection.disconnected.connect(connection.deleteLater)
        QTimer.singleShot(_REQUEST_DEADLINE_MS, self, self._on_deadline)

    def _on_connection_ready_read(self) -> None:
        self._data += bytes(self._connection.readAll().data())
        if b"\n" in self._data:
            self._connection.readyRead.disconnect(self._on_connection_ready_read)
            self._answer(self._data.split(b"\n", 1)[0])
        elif len(self._data) > _MAX_REQUEST:
            log.warning("ignored an over-long request from another start")
            self._connection.abort()

    def _answer(self, line: bytes) -> None:
        connection = self._connection
        try:
            request = json.loads(line)
            command, pid, arguments = request["command"], request["pid"], request["arguments"]
            if (command != SHOW or not isinstance(pid, int) or not isinstance(arguments, list)
                    or not all(isinstance(a, str) for a in arguments)):
                raise ValueError(f"not a show request: {line[:200]!r}")
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("ignored a request from another start: %s", exc)
            connection.abort()
            return
        connection.write(QByteArray(self._claim.answer_show(pid, arguments)))
        connection.flush()
        connection.disconnectFromServer()

    def _on_deadline(self) -> None:
        if self._connection.state() is not QLocalSocket.LocalSocketState.UnconnectedState:
            log.warning("a connection from another start said nothing in time: closed")
            self._connection.abort()


def claim_window(data_dir: Path, *, demo: bool, arguments: list[str],
                 wait: float = ANSWER_WAIT) -> WindowClaim | OtherWindow:
    """Become the window of the profile in `data_dir` (a `WindowClaim`), or ask the window
    that already is to come to the front (an `OtherWindow`: whether it answered within
    `wait` seconds). Needs the QApplication."""
    lock_file = window_lock_file(data_dir, demo=demo)
    lock = QLockFile(str(lock_file))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    request = json.dumps({"command": SHOW, "pid": os.getpid(), "arguments": arguments})
    deadline = time.monotonic() + wait
    name = server_name(lock_file)
    while True:
        if lock.tryLock(0):
            return WindowClaim(lock, lock_file)
        if lock.error() != QLockFile.LockError.LockFailedError:
            # The folder cannot hold a lock (read-only, a vanished disk): no second window can
            # be kept out, but the database will say what is wrong.
            log.warning("cannot lock %s (%s): starting without the one-window check",
                        lock_file, lock.error().name)
            return WindowClaim(lock, lock_file)
        remaining = deadline - time.monotonic()
        answer = _ask_to_show(name, request.encode() + b"\n", remaining)
        if answer is not None:
            pid, host = _holder(lock)
            return OtherWindow(data_dir=data_dir, shown=answer == _SHOWN, pid=pid, host=host,
                               starting=answer == _STARTING)
        if time.monotonic() >= deadline:
            pid, host = _holder(lock)
            return OtherWindow(data_dir=data_dir, shown=False, pid=pid, host=host)
        time.sleep(_RETRY_S)  # starting (not listening yet) or quitting (lock not yet free)


def _ask_to_show(name: str, request: bytes, seconds: float) -> bytes | None:
    """Send the request to the window's server and wait for its answer ("shown" or
    "starting", each with its end of line); None when no server listens under `name`, or it
    did not answer in time, or not as expected."""
    connection = QLocalSocket()
    connection.connectToServer(name)
    try:
        if not connection.waitForConnected(_ms(min(seconds, 1.0))):
            return None
        connection.write(QByteArray(request))
        connection.waitForBytesWritten(_ms(seconds))
        answer = b""
        deadline = time.monotonic() + seconds
        while b"\n" not in answer:
            left = deadline - time.monotonic()
            if left <= 0 or not connection.waitForReadyRead(_ms(left)):
                return None
            answer += bytes(connection.readAll().data())
        line = answer.split(b"\n", 1)[0] + b"\n"
        return line if line in (_SHOWN, _STARTING) else None
    finally:
        connection.abort()


def _holder(lock: QLockFile) -> tuple[int | None, str]:
    """The pid and host name written in a held lock, as far as they can be read."""
    pid, host, _program = lock.getLockInfo()  # (0, "", "") when it cannot be read
    return (pid or None), host


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)
