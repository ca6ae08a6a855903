"""The Connect dialog's states, offscreen, against a real emulator over HTTP; its login runs
on the GUI thread's asyncio loop (`gui_loop`).

The emulator answers with a 1-second polling interval, so a whole login takes a second or two.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from allegro_desktop.api.environments import environment_from_key
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.auth.device_flow import FlowState
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.ui.accounts.connect_dialog import ConnectDialog
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("gui_loop")


class Harness:
    def __init__(self, emu: RunningEmulator, tmp_path: Path, *,
                 client: tuple[str, str] = ("allegro-desktop-demo", "demo-secret")) -> None:
        self.emu = emu
        self.keyring = MemoryKeyring()
        self.store = TokenStore(backend=self.keyring)
        self.registry = AccountRegistry(tmp_path / "accounts.json")
        self.governor = RequestGovernor()
        self.environment = environment_from_key(emu.base_url).with_credentials(*client)
        self.sessions: list[DeviceLogin] = []

    def new_session(self) -> DeviceLogin:
        session = DeviceLogin(environment=self.environment, store=self.store,
                              registry=self.registry, governor=self.governor)
        self.sessions.append(session)
        return session

    def dialog(self, qtbot: QtBot, *, until: str = "waiting") -> ConnectDialog:
        """A shown, started dialog, once it has reached the state `until`."""
        dialog = ConnectDialog(new_session=self.new_session,
                               environment_label="Allegro (emulator)")
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.start()
        _wait_state(qtbot, dialog, until)
        return dialog

    def pending_code(self) -> str:
        [pending] = self.emu.control("GET", "/device")
        code: str = pending["user_code"]
        return code


def _wait_state(qtbot: QtBot, dialog: ConnectDialog, state: str) -> None:
    qtbot.waitUntil(lambda: dialog.state == state)


def _text(dialog: ConnectDialog, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_connects_an_account(qtbot: QtBot, emu: RunningEmulator, tmp_path: Path) -> None:
    harness = Harness(emu, tmp_path)
    dialog = harness.dialog(qtbot)
    code = harness.pending_code()
    assert _text(dialog, "userCode") == f"{code[:3]} {code[3:6]} {code[6:]}".upper()
    assert _text(dialog, "verificationLink") == f"{emu.base_url}/skojarz-aplikacje"
    assert "expires in 59:" in _text(dialog, "expiryLabel")
    qr = dialog.findChild(QLabel, "qrCode")
    assert qr is not None
    assert not qr.pixmap().isNull()
    assert qr.pixmap().width() >= 150  # big enough to scan from a screen

    with qtbot.waitSignal(dialog.account_connected) as connected:
        emu.control("POST", "/device/approve", {"user_code": code})
    account = connected.args[0]
    me = emu.emulator.store.sellers[account.seller_id].seller
    assert account.login == me.login
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert harness.registry.all() == [account]
    assert harness.store.load(account.key) is not None


def test_denied_then_try_again(qtbot: QtBot, emu: RunningEmulator, tmp_path: Path) -> None:
    harness = Harness(emu, tmp_path)
    dialog = harness.dialog(qtbot)
    first = harness.pending_code()
    emu.control("POST", "/device/deny", {"user_code": first})
    _wait_state(qtbot, dialog, "denied")
    assert "denied" in _text(dialog, "resultTitle").lower()
    retry = dialog.findChild(QPushButton, "retryButton")
    assert retry is not None
    assert retry.isVisible()
    retry.click()
    _wait_state(qtbot, dialog, "waiting")
    assert harness.pending_code() != first
    assert not retry.isVisible()


def test_expired_code(qtbot: QtBot, emu: RunningEmulator, tmp_path: Path) -> None:
    harness = Harness(emu, tmp_path)
    dialog = harness.dialog(qtbot)
    emu.advance(3601)
    _wait_state(qtbot, dialog, "expired")
    assert "expired" in _text(dialog, "resultTitle").lower()


def test_cancel_stops_polling(qtbot: QtBot, start_emulator: StartEmulator, tmp_path: Path) -> None:
    # A polling interval far longer than the waits below: the background work can end in
    # time only by being cancelled, never by its pending interval running out.
    emu = start_emulator(device_interval=3000)
    harness = Harness(emu, tmp_path)
    dialog = harness.dialog(qtbot)
    close = dialog.findChild(QPushButton, "closeButton")
    assert close is not None
    close.click()
    assert dialog.state == "cancelled"
    assert dialog.result() == QDialog.DialogCode.Rejected
    session = harness.sessions[-1]
    # The background work ends (not when the pending poll interval runs out), so nothing
    # can poll any more.
    qtbot.waitUntil(lambda: not dialog.pending_work)
    qtbot.waitUntil(lambda: session.state is FlowState.CANCELLED)
    polls = emu.control("GET", "/stats")["oauth"]["device_polls"]
    assert emu.control("GET", "/device")[0]["state"] == "pending"  # the code was never used
    assert emu.control("GET", "/stats")["oauth"]["device_polls"] == polls


@pytest.mark.parametrize(("client", "needle"), [
    (("allegro-desktop-web", "web-secret"), "device"),
    (("allegro-desktop-demo", "wrong-secret"), "client"),
])
def test_setup_mistakes_get_actionable_messages(
        qtbot: QtBot, emu: RunningEmulator, tmp_path: Path,
        client: tuple[str, str], needle: str) -> None:
    harness = Harness(emu, tmp_path, client=client)
    dialog = harness.dialog(qtbot, until="failed")
    assert needle in _text(dialog, "resultText").lower()
