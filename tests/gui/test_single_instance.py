"""`ui/window/single_instance.py` in one process: the first window's claim, its server's answers to
a well-formed request (before and after its window exists) and to a hostile one, and a second
claim that gets no answer. (Two real processes: tests/test_instance.py.)"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from allegro_desktop.ui.window.single_instance import (
    OtherWindow,
    WindowClaim,
    claim_window,
    server_name,
    window_lock_file,
)

WAIT = 30_000  # ms


@pytest.fixture
def claim(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowClaim]:
    first = claim_window(tmp_path, demo=False, arguments=[])
    assert isinstance(first, WindowClaim)
    assert first.listening
    yield first
    first.release()


def _connect(qtbot: QtBot, claim: WindowClaim) -> QLocalSocket:
    socket = QLocalSocket()
    socket.connectToServer(claim.name)
    qtbot.waitUntil(lambda: socket.state() is QLocalSocket.LocalSocketState.ConnectedState,
                    timeout=WAIT)
    return socket


def _ended(socket: QLocalSocket) -> bool:
    return socket.state() is QLocalSocket.LocalSocketState.UnconnectedState


def test_names_are_per_profile_and_per_demo(tmp_path: Path) -> None:
    normal = window_lock_file(tmp_path, demo=False)
    demo = window_lock_file(tmp_path, demo=True)
    assert normal != demo
    assert demo.parent == tmp_path  # not in the demo's folder, which each start empties
    assert server_name(normal) != server_name(demo)
    assert server_name(normal) == server_name(tmp_path / "." / "window.lock")
    assert server_name(normal) != server_name(tmp_path / "other" / "window.lock")
    assert len(server_name(normal)) < 40  # a Unix socket path has room for ~100 bytes


def _ask(qtbot: QtBot, claim: WindowClaim, pid: int, arguments: list[str]) -> bytes:
    """A second start's request; the first window's answer."""
    socket = _connect(qtbot, claim)
    socket.write(QByteArray(json.dumps(
        {"command": "show", "pid": pid, "arguments": arguments}).encode() + b"\n"))
    qtbot.waitUntil(lambda: _ended(socket), timeout=WAIT)
    return bytes(socket.readAll().data())


def test_a_show_request_is_answered_and_signalled(qtbot: QtBot, claim: WindowClaim) -> None:
    claim.window_ready()
    with qtbot.waitSignal(claim.show_requested, timeout=WAIT) as shown:
        answer = _ask(qtbot, claim, 4242, ["--demo"])
    assert shown.args == [4242, ["--demo"]]
    assert answer == b"shown\n"


def test_before_the_window_exists_it_says_starting(qtbot: QtBot, claim: WindowClaim) -> None:
    """While the first start opens its database there is no window to bring to the front: the
    second start is told so, and the window comes to the front once it is built."""
    shown: list[object] = []
    claim.show_requested.connect(lambda *args: shown.append(args))
    assert _ask(qtbot, claim, 4242, ["--language", "en"]) == b"starting\n"
    assert _ask(qtbot, claim, 4343, []) == b"starting\n"
    assert shown == []
    claim.window_ready()
    assert shown == [(4343, [])]  # the latest request, once
    assert _ask(qtbot, claim, 4444, []) == b"shown\n"
    assert shown == [(4343, []), (4444, [])]


@pytest.mark.parametrize("request_line", [
    b"not json\n",
    b'{"command": "quit", "pid": 1, "arguments": []}\n',
    b'{"command": "show", "pid": "1", "arguments": []}\n',
    b'{"command": "show", "pid": 1, "arguments": [1, 2]}\n',
    b'["show"]\n',
    b"x" * (70 * 1024),  # no end of line, ever
])
def test_anything_else_is_dropped(qtbot: QtBot, claim: WindowClaim,
                                  request_line: bytes) -> None:
    shown: list[object] = []
    claim.show_requested.connect(lambda *args: shown.append(args))
    socket = _connect(qtbot, claim)
    socket.write(QByteArray(request_line))
    qtbot.waitUntil(lambda: _ended(socket), timeout=WAIT)
    assert shown == []
    assert bytes(socket.readAll().data()) == b""


def test_a_connection_that_says_nothing_is_closed_after_a_while(
        qtbot: QtBot, claim: WindowClaim) -> None:
    socket = _connect(qtbot, claim)
    qtbot.waitUntil(lambda: _ended(socket), timeout=WAIT)  # the window's 5-second deadline


def test_a_second_claim_on_a_window_that_does_not_answer(
        qtbot: QtBot, claim: WindowClaim, tmp_path: Path) -> None:
    # This process's event loop does not run while the second claim waits: the first window
    # is, for it, one that hangs.
    second = claim_window(tmp_path, demo=False, arguments=[], wait=1.0)
    assert isinstance(second, OtherWindow)
    assert not second.shown
    assert second.pid == os.getpid()
    assert second.data_dir == tmp_path
    # The demo of the same folder is another profile: claimed at once.
    demo = claim_window(tmp_path, demo=True, arguments=[], wait=1.0)
    assert isinstance(demo, WindowClaim)
    demo.release()


def test_a_released_profile_is_claimed_again(qtbot: QtBot, tmp_path: Path) -> None:
    first = claim_window(tmp_path, demo=False, arguments=[])
    assert isinstance(first, WindowClaim)
    first.release()
    again = claim_window(tmp_path, demo=False, arguments=[])
    assert isinstance(again, WindowClaim)
    assert again.listening
    again.release()
