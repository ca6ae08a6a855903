"""The real main window wired to a `SyncApp` as `run_gui` wires it, for GUI tests:
`window_with_sync` (the accounts and sync controllers), `window_with_tabs` (the Orders,
Statistics and Sync log tabs too), and a wait for the Orders tab to show its orders
(`orders_loaded`)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from allegro_desktop.app import build_controllers
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.ui.accounts.controller import AccountsController
from allegro_desktop.ui.syncing.controller import SyncController
from allegro_desktop.ui.window.main_window import MainWindow
from allegro_desktop.ui.window.tabs import TabsController
from tests.helpers.sync_app import WAIT, SyncApp


def window_with_sync(qtbot: QtBot, app: SyncApp, *, interval: float,
                     max_backoff: float | None = None,
                     ) -> tuple[MainWindow, AccountsController, SyncController]:
    """The window shown, its accounts and sync controllers on `app` (automatic syncs every
    `interval` seconds, 0: off; back-off capped at `max_backoff` when given). Its sync is not
    started: the test calls `sync.start()` (the start-up catch-up) when it is ready."""
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    accounts, sync = build_controllers(
        window=window, services=app.services, worker=app.worker,
        database=app.database, environment=app.services.environment(app.emu.base_url),
        environment_error=None, sync_interval=interval)
    if max_backoff is not None:
        sync.max_backoff = max_backoff
    window.show()
    return window, accounts, sync


def window_with_tabs(qtbot: QtBot, app: SyncApp, state: Path,
                     ) -> tuple[MainWindow, TabsController]:
    """The window shown with its tabs on `app`, their state restored from (and saved to) the
    file `state`, its sync started with automatic syncs off: only Sync now syncs. The test
    calls `tabs.shutdown()` when done."""
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    accounts, sync = build_controllers(
        window=window, services=app.services, worker=app.worker,
        database=app.database, environment=app.services.environment(app.emu.base_url),
        environment_error=None, sync_interval=0)
    tabs = TabsController(window=window, database=app.database, worker=app.worker,
                          ui_state=UiState(state), source=app.services, parent=window)
    accounts.accounts_changed.connect(tabs.set_accounts)
    tabs.set_accounts(app.services.registry.all())
    tabs.restore_state()
    window.show()
    sync.start()  # automatic syncs off (interval 0): only Sync now
    return window, tabs


def orders_loaded(qtbot: QtBot, tabs: TabsController, count: int) -> None:
    """Wait until the Orders tab has loaded and lists `count` orders."""
    qtbot.waitUntil(lambda: not tabs.orders.list_state.is_loading()
                    and tabs.orders.result_count() == count, timeout=WAIT)
