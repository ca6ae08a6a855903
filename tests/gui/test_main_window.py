"""The main window, offscreen, against a real demo emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.app import start_demo_emulator
from allegro_desktop.config.assets import app_icon_path
from allegro_desktop.ui.window.main_window import DemoInfo, MainWindow


@pytest.fixture
def demo() -> Iterator[DemoInfo]:
    server, info = start_demo_emulator(orders=60)
    try:
        yield info
    finally:
        server.stop()


def test_demo_emulator_is_reachable(demo: DemoInfo) -> None:
    stats = httpx.get(f"{demo.base_url}/__emulator__/stats", timeout=10).json()
    assert sum(s["orders"] for s in stats["sellers"]) >= demo.orders
    assert len(demo.sellers) == 2
    assert httpx.get(demo.consent_url, timeout=10).status_code == 200


def test_demo_window_says_it_is_a_demo(qtbot: QtBot, demo: DemoInfo, tmp_path: Path) -> None:
    window = MainWindow(demo=demo, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "demo" in window.windowTitle()
    banner = window.findChild(QLabel, "demoBanner")
    assert banner is not None
    assert banner.isVisible()
    details = window.findChild(QLabel, "demoDetails")
    assert details is not None
    assert demo.base_url in details.text()
    assert demo.sellers[0] in details.text()
    assert window.status_text == "Not connected to Allegro"
    where = window.findChild(QLabel, "dataDir")
    assert where is not None
    assert str(tmp_path) in where.text()


def test_plain_window_has_no_demo_banner(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    assert window.findChild(QLabel, "demoBanner") is None
    assert window.status_text == "Not connected to Allegro"


def test_app_icon_is_found() -> None:
    assert app_icon_path().is_file()


def test_accounts_menu_and_states(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QPushButton

    from allegro_desktop.domain.accounts import Account, AccountState

    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    connect = window.findChild(QPushButton, "connectButton")
    assert connect is not None
    assert connect.isVisible()
    with qtbot.waitSignal(window.connect_requested):
        connect.click()

    shop = Account(seller_id="1", login="DomOgrodPlus", environment="production")
    other = Account(seller_id="2", login="TechKącik", environment="production",
                    state=AccountState.RECONNECT_NEEDED)
    window.show_accounts([shop, other], shop.key)
    assert not connect.isVisible()
    assert window.current_account == shop
    assert "DomOgrodPlus" not in window.windowTitle()  # the orders of both accounts show
    banner = window.findChild(QWidget, "reconnectBanner")
    assert banner is not None
    assert not banner.isVisible()
    titles = [a.text() for a in window.findChildren(QAction)]
    assert "TechKącik (connect again)" in titles

    switch = next(a for a in window.findChildren(QAction) if a.data() == other.key)
    with qtbot.waitSignal(window.account_selected) as selected:
        switch.trigger()
    assert selected.args == [other.key]
    assert window.current_account == other
    assert banner.isVisible()  # this one needs connecting again
    again = window.findChild(QPushButton, "reconnectButton")
    assert again is not None
    with qtbot.waitSignal(window.reconnect_requested) as reconnect:
        again.click()
    assert reconnect.args == [other.key]


def test_show_all_accounts_resets_the_account_chooser(qtbot: QtBot, tmp_path: Path) -> None:
    """A clicked new-order notification lists orders of any account: the toolbar's chooser,
    set to one account, must go back to all of them (else the new orders stay hidden)."""
    from PySide6.QtWidgets import QComboBox

    from allegro_desktop.domain.accounts import Account

    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    shop = Account(seller_id="1", login="DomOgrodPlus", environment="production")
    other = Account(seller_id="2", login="TechKącik", environment="production")
    window.show_accounts([shop, other], shop.key)
    chooser = window.findChild(QComboBox, "accountFilter")
    assert chooser is not None
    with qtbot.waitSignal(window.account_filter_changed) as chosen:
        chooser.setCurrentIndex(chooser.findData(other.key))
    assert chosen.args == [other.key]
    with qtbot.waitSignal(window.account_filter_changed) as reset:
        window.show_all_accounts()
    assert reset.args == [None]
    assert window.account_filter is None


def test_the_title_names_an_account_only_while_the_window_shows_its_orders(
        qtbot: QtBot, tmp_path: Path) -> None:
    """One account: its login in the title. Two, the chooser at "All accounts": no login (the
    table lists both accounts' orders); one of them chosen: its login."""
    from PySide6.QtWidgets import QComboBox

    from allegro_desktop.domain.accounts import Account

    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    shop = Account(seller_id="1", login="DomOgrodPlus", environment="production")
    other = Account(seller_id="2", login="TechKącik", environment="production")
    window.show_accounts([shop], shop.key)
    assert window.windowTitle().startswith("DomOgrodPlus — ")
    window.show_accounts([shop, other], shop.key)
    assert window.account_filter is None
    assert "DomOgrodPlus" not in window.windowTitle()
    assert "TechKącik" not in window.windowTitle()
    chooser = window.findChild(QComboBox, "accountFilter")
    assert chooser is not None
    with qtbot.waitSignal(window.account_filter_changed):
        chooser.setCurrentIndex(chooser.findData(other.key))
    assert window.windowTitle().startswith("TechKącik — ")
    with qtbot.waitSignal(window.account_filter_changed):
        window.show_all_accounts()
    assert "TechKącik" not in window.windowTitle()
    assert window.windowTitle().startswith("Allegro Desktop")
