"""Syncing from the window: Sync now, progress and Cancel, automatic syncs and their back-off,
catch-up at start-up, and offline / rate-limited / reconnect-needed shown as calm states — with
the controllers wired as `run_gui` wires them, a real window offscreen, a real sync thread and a
real emulator over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.app import build_controllers
from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.storage import RunOutcome, integrity
from allegro_desktop.sync import SyncProblem
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.sync_app import PAGED, WAIT, MakeSyncApp, after_a_page
from tests.helpers.sync_rounds import plans_next_sync_in, sync_round
from tests.helpers.synced_shop import connect
from tests.helpers.wired_window import window_with_sync


def _child(window: MainWindow, kind: type[QWidget], name: str) -> QWidget:
    widget = window.findChild(kind, name)
    assert widget is not None, name
    return widget


def test_sync_now_shows_progress_then_the_stored_orders(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED)
    app.slow(20)
    window, _accounts, sync = window_with_sync(qtbot, app, interval=0)  # automatic syncs off
    sync.start()
    assert not app.worker.busy  # no catch-up with automatic syncs off
    assert window.sync_action.isEnabled()
    assert window.sync_action.shortcut() == QKeySequence(Qt.Key.Key_F5)
    assert "Not synced yet" in window.status_text
    assert "Automatic sync is off" in window.status_text
    assert app.stored() == 0
    bar = _child(window, QProgressBar, "syncProgress")
    cancel = _child(window, QPushButton, "syncCancelButton")
    assert not bar.isVisible()

    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        window.sync_action.trigger()
    assert bar.isVisible()
    assert cancel.isVisible()
    progress = _child(window, QLabel, "syncProgressText")
    assert isinstance(progress, QLabel)
    qtbot.waitUntil(lambda: "orders" in progress.text(), timeout=WAIT)
    assert app.account.login in progress.text()
    sync_round(qtbot, sync)

    assert not bar.isVisible()
    assert not cancel.isVisible()
    assert app.stored() == 300
    assert "Last sync:" in window.status_text
    assert sync.problem is None
    assert sync.next_sync_at is None  # automatic syncs are off


def test_catch_up_at_start_then_automatic_syncs(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    _window_, _accounts, sync = window_with_sync(qtbot, app, interval=0.5)
    sync_round(qtbot, sync, sync.start)  # no click: the start-up catch-up
    assert app.stored() == 300
    assert sync.next_sync_at is not None
    assert "Next sync:" in _window_.status_text
    with qtbot.waitSignal(app.worker.sync_started, timeout=WAIT):
        pass  # the timer's
    sync_round(qtbot, sync)
    kinds = [run.kind for run in reversed(app.state.runs(app.account.key))]
    assert kinds[:2] == ["backfill", "incremental"]


def test_offline_backs_off_calmly_and_recovers(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30, max_backoff=200)
    done = sync_round(qtbot, sync, sync.start)
    assert plans_next_sync_in(sync, done, 30)

    app.emu.control("POST", "/faults", {"drop_rate": 1.0})  # Allegro out of reach
    done = sync_round(qtbot, sync, window.sync_action.trigger)
    assert sync.problem is not None
    assert sync.problem[0] is SyncProblem.OFFLINE
    assert sync.failures == 1
    assert plans_next_sync_in(sync, done, 60)  # doubled
    assert "Offline" in window.status_text
    assert "Next try:" in window.status_text
    assert "Last sync:" in window.status_text  # the last good one is still named
    assert app.stored() == 300  # the local data stays
    assert window.findChild(QMessageBox) is None  # a state, not a pop-up

    done = sync_round(qtbot, sync, sync.sync_now)
    assert plans_next_sync_in(sync, done, 120)
    done = sync_round(qtbot, sync, sync.sync_now)
    assert plans_next_sync_in(sync, done, 200)  # capped

    app.emu.control("DELETE", "/faults")
    done = sync_round(qtbot, sync, sync.sync_now)
    assert sync.problem is None
    assert sync.failures == 0
    assert plans_next_sync_in(sync, done, 30)  # back to the interval
    assert "Offline" not in window.status_text


def test_rate_limited_waits_for_allegro(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=15)
    app.emu.control("POST", "/faults", {"script": ["429"]})
    sync_round(qtbot, sync, sync.start)
    assert sync.problem is not None
    assert sync.problem[0] is SyncProblem.RATE_LIMITED
    assert "slow down" in window.status_text
    # Allegro's block (about a minute), not 2 × 15 s: never before the block ends
    environment = app.services.environment(app.emu.base_url)
    blocked_until = app.services.governor.paused_until(environment.client_id)
    assert blocked_until is not None
    assert sync.next_sync_at is not None
    assert sync.next_sync_at.timestamp() > blocked_until
    assert window.findChild(QMessageBox) is None


def test_reconnect_needed_shows_the_banner(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30)
    sync_round(qtbot, sync, sync.start)
    banner = _child(window, QWidget, "reconnectBanner")
    assert not banner.isVisible()

    app.emu.control("POST", "/tokens/revoke", {})  # the seller unlinked the app on allegro.pl
    sync_round(qtbot, sync, sync.sync_now)
    qtbot.waitUntil(banner.isVisible)
    account = window.current_account
    assert account is not None
    assert account.state is AccountState.RECONNECT_NEEDED
    assert f"{app.account.login} (not connected)" in window.status_text
    assert sync.failures == 0  # retrying would not help: no back-off, no more syncs of it
    assert not window.sync_action.isEnabled()
    assert app.stored() == 300
    assert window.findChild(QMessageBox) is None


def test_a_damaged_database_stops_syncing_with_a_short_status(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    """Damage found in the order database (by the check after start): a sync writes nothing,
    and the status bar names the state in a few words — the banner says what to do."""
    app = make_sync_app()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30)
    sync_round(qtbot, sync, sync.start)
    integrity.record_damage(app.database.path, "page 7: garbage")
    sync_round(qtbot, sync, sync.sync_now)
    assert "Syncing stopped: the order database is damaged" in window.status_text
    assert app.stored() == 300


def test_cancel_button_stops_the_sync(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED)
    app.slow()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30)
    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        sync.start()
    cancel = _child(window, QPushButton, "syncCancelButton")
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert finished.args[0].report.outcome == RunOutcome.CANCELLED
    qtbot.waitUntil(lambda: not cancel.isVisible(), timeout=WAIT)
    assert 0 < app.stored() < 300
    assert sync.problem is None
    assert sync.failures == 0


def test_newly_connected_account_is_synced_at_once(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    registry = app.services.registry
    registry.remove(app.account.key)
    window, accounts, sync = window_with_sync(qtbot, app, interval=30)
    sync.start()
    assert not app.worker.busy
    assert not window.sync_action.isEnabled()
    registry.add_or_update(app.account)  # what the Connect dialog does, then refresh()
    sync_round(qtbot, sync, lambda: accounts.refresh(current=app.account.key))
    assert app.stored() == 300


@pytest.mark.parametrize("keep_orders", [True, False])
def test_disconnect_during_a_sync(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                  keep_orders: bool) -> None:
    app = make_sync_app(PAGED)
    app.slow()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30)
    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        sync.start()
    key = app.account.key
    if keep_orders:
        with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
            window.disconnect_requested.emit(key, True)
        assert app.stored() > 0
    else:
        with qtbot.waitSignal(app.worker.account_data_deleted, timeout=WAIT):
            window.disconnect_requested.emit(key, False)
        assert app.stored() == 0
        assert app.state.runs(key) == []
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    assert app.services.registry.all() == []
    assert window.current_account is None
    assert not window.sync_action.isEnabled()
    stored = app.stored()
    sync.sync_now()  # nothing left to sync: nothing comes back
    assert not app.worker.busy
    assert app.stored() == stored


def test_a_round_syncs_every_connected_account_in_turn(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(sellers=2)
    logins = [s.seller.login for s in app.emu.emulator.store.sellers.values()]
    other = connect(app.emu, app.services, seller=next(
        login for login in logins if login != app.account.login))
    window, _accounts, sync = window_with_sync(qtbot, app, interval=30)
    seen: list[tuple[str, str]] = []
    app.worker.sync_started.connect(lambda key: seen.append(("started", key)))
    app.worker.sync_finished.connect(lambda result: seen.append(("finished", result.account_key)))
    sync_round(qtbot, sync, sync.start)
    first, second = app.account.key, other.key
    assert seen == [("started", first), ("finished", first),
                    ("started", second), ("finished", second)]  # one after the other
    assert app.orders.count_orders(first) > 0
    assert app.orders.count_orders(second) > 0

    # The other account's tokens are revoked: the status bar names it, the banner (about the
    # account on screen) stays hidden, and the account on screen keeps syncing.
    app.emu.control("POST", "/tokens/revoke", {"seller": other.login})
    sync_round(qtbot, sync, sync.sync_now)
    assert f"{other.login} must be connected again" in window.status_text
    banner = _child(window, QWidget, "reconnectBanner")
    assert not banner.isVisible()
    assert sync.failures == 0
    seen.clear()
    sync_round(qtbot, sync, sync.sync_now)
    assert seen == [("started", first), ("finished", first)]


def test_auto_sync_interval_setting(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    assert settings.auto_sync_interval == 60
    settings.auto_sync_interval = 5
    assert settings.auto_sync_interval == 15  # the minimum
    settings.auto_sync_interval = 0
    assert Settings(path).auto_sync_interval == 0  # off, and kept
    settings.auto_sync_interval = 300
    assert Settings(path).auto_sync_interval == 300
    settings.auto_sync_interval = None
    assert settings.auto_sync_interval == 60
    path.write_text("[sync]\nauto_interval=soon\n")
    assert Settings(path).auto_sync_interval == 60
    path.write_text("[sync]\nauto_interval=3\n")
    assert Settings(path).auto_sync_interval == 15


def test_the_interval_comes_from_the_settings(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    app.services.settings.auto_sync_interval = 0
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    _accounts, sync = build_controllers(
        window=window, services=app.services, worker=app.worker,
        database=app.database, environment=None, environment_error=None)
    sync.start()
    assert sync.interval == 0
    assert not app.worker.busy  # off: no catch-up, no timer
    assert sync.next_sync_at is None
    app.services.settings.auto_sync_interval = 120
    done = sync_round(qtbot, sync, sync.sync_now)
    assert plans_next_sync_in(sync, done, 120)
