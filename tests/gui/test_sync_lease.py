"""The window's sync and the profile's sync lease: while another process (a `sync` from cron)
holds it, the window's syncs wait calmly — no run, no failure, no back-off, a line in the status
bar — and a disconnect's deletion waits for it; once it is free, everything goes on. The other
holder is a real process; the window, its sync thread and the emulator are real."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from allegro_desktop.sync import SyncProblem
from allegro_desktop.sync.lease import LeaseHolder
from tests.helpers.lease_holder import LeaseHolderProcess
from tests.helpers.sync_app import WAIT, MakeSyncApp
from tests.helpers.sync_rounds import sync_round
from tests.helpers.wired_window import window_with_sync


def test_the_window_defers_its_sync_while_another_process_syncs(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    window, _accounts, sync = window_with_sync(qtbot, app, interval=300)
    with LeaseHolderProcess(app.paths.database, LeaseHolder.COMMAND) as holder:
        with qtbot.waitSignal(app.worker.sync_deferred, timeout=WAIT) as deferred:
            sync_round(qtbot, sync, sync.start)  # the start-up catch-up
        assert deferred.args is not None
        assert deferred.args[0] == app.account.key
        assert f"allegro-desktop sync (pid {holder.pid})" in str(deferred.args[1])
        assert app.state.runs(app.account.key) == []  # it did not run at all
        assert sync.problem is not None
        assert sync.problem[0] is SyncProblem.BUSY
        assert sync.failures == 0  # not a failure: no back-off
        assert "Another copy of Allegro Desktop is syncing these orders" in window.status_text
        assert "Next try:" in window.status_text
        holder.release()

    sync_round(qtbot, sync, sync.sync_now)
    assert app.stored() == 300
    assert sync.problem is None
    assert "Another copy" not in window.status_text


def test_a_deletion_waits_for_the_other_process(
        qtbot: QtBot, make_sync_app: MakeSyncApp, caplog: pytest.LogCaptureFixture) -> None:
    app = make_sync_app()
    with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
        app.worker.request_sync(app.account.key)
    assert app.stored() == 300
    caplog.set_level(logging.INFO, logger="allegro_desktop.sync")
    with LeaseHolderProcess(app.paths.database) as holder:
        app.worker.delete_account_data(app.account.key)
        qtbot.waitUntil(lambda: any("after the other sync" in r.getMessage()
                                    for r in caplog.records), timeout=WAIT)
        assert app.stored() == 300  # the other process may still be writing them
        with qtbot.waitSignal(app.worker.account_data_deleted, timeout=WAIT) as deleted:
            holder.release()
    assert deleted.args == [app.account.key, 300]
    assert app.stored() == 0
