"""Composition root: builds the app's parts, wires them, and runs the Qt event loop.

In demo mode it also starts the built-in Allegro emulator on a free loopback port (on a thread of
its own) and points the app at it, so a new user sees a working app without an Allegro account.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from allegro_desktop import APP_NAME, __version__
from allegro_desktop.config.paths import AppPaths

if TYPE_CHECKING:
    from allegro_desktop.emulator.runner import EmulatorServer
    from allegro_desktop.ui.main_window import DemoInfo

log = logging.getLogger("allegro_desktop.app")


def start_demo_emulator(*, orders: int) -> tuple[EmulatorServer, DemoInfo]:
    """The demo's Allegro: two seller accounts, realistic journal quirks, orders arriving live."""
    from allegro_desktop.emulator.core import Emulator, EmulatorConfig
    from allegro_desktop.emulator.runner import EmulatorServer
    from allegro_desktop.emulator.store import Quirks
    from allegro_desktop.ui.main_window import DemoInfo

    emulator = Emulator(EmulatorConfig(orders=orders, sellers=2, live=True,
                                       quirks=Quirks.realistic()))
    server = EmulatorServer(emulator)
    base_url = server.start()
    log.info("demo: Allegro emulator at %s", base_url)
    info = DemoInfo(
        base_url=base_url,
        sellers=tuple(s.seller.login for s in emulator.store.sellers.values()),
        orders=sum(len(s.orders) for s in emulator.store.sellers.values()),
        consent_url=f"{base_url}/skojarz-aplikacje",
    )
    return server, info


def run_gui(*, paths: AppPaths, demo: bool, demo_orders: int) -> int:
    """Open the main window and run until it closes; returns the process exit code."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from allegro_desktop.config.assets import app_icon_path
    from allegro_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("allegro-desktop")
    app.setDesktopFileName("allegro-desktop")
    app.setWindowIcon(QIcon(str(app_icon_path())))

    server, demo_info = start_demo_emulator(orders=demo_orders) if demo else (None, None)
    try:
        window = MainWindow(demo=demo_info, data_dir=str(paths.data_dir))
        window.show()
        return app.exec()
    finally:
        if server is not None:
            server.stop()
