"""The sync thread for real: a `SyncWorker` on its own QThread and event loop, syncing an account
over real HTTP from the emulator into a real SQLite file; its signals awaited with qtbot."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from allegro_desktop.app import stop_sync_thread
from allegro_desktop.domain.accounts import AccountState
from allegro_desktop.storage import RunOutcome
from allegro_desktop.sync import SyncProblem, SyncResult
from allegro_desktop.sync.worker import JobKind, SyncActivity
from tests.helpers.sync_app import PAGED, WAIT, MakeSyncApp, SyncApp, after_a_page


def _record(app: SyncApp) -> list[tuple[str, Any]]:
    """Every signal of the worker, in the order the GUI thread received them."""
    seen: list[tuple[str, Any]] = []
    worker = app.worker
    worker.sync_started.connect(lambda key: seen.append(("started", key)))
    worker.phase_changed.connect(lambda key, phase: seen.append(("phase", phase)))
    worker.sync_progressed.connect(lambda activity: seen.append(("progress", activity)))
    worker.orders_arrived.connect(lambda key, ids: seen.append(("orders", ids)))
    worker.sync_finished.connect(lambda result: seen.append(("finished", result)))
    worker.sync_failed.connect(lambda key, message: seen.append(("failed", message)))
    worker.account_data_deleted.connect(lambda key, n: seen.append(("deleted", n)))
    worker.queue_emptied.connect(lambda: seen.append(("emptied", None)))
    return seen


def _sync(qtbot: QtBot, app: SyncApp) -> SyncResult:
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)  # a job ending after its signal
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        assert app.worker.request_sync(app.account.key)
    result: SyncResult = finished.args[0]
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)  # the job is over, too
    return result


def _emulator_ids(app: SyncApp) -> set[str]:
    return {form["id"] for form in app.emu.control("GET", "/checkout-forms")["checkoutForms"]}


def test_sync_stores_the_orders_and_reports(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    seen = _record(app)
    with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
        result = _sync(qtbot, app)
    report = result.report
    assert report.succeeded, report.error
    assert result.problem is None
    assert report.account_key == app.account.key
    assert report.new == 300
    assert report.requests > 0
    assert report.duration > 0
    assert app.stored() == 300
    assert {f["id"] for f in app.orders.raw_forms(app.account.key)} == _emulator_ids(app)
    assert app.state.get_sync_state(app.account.key).last_success_at is not None

    kinds = [kind for kind, _ in seen]
    assert kinds[0] == "started"
    assert kinds[-2:] == ["finished", "emptied"]
    assert ("phase", "backfill") in seen
    progress = [value for kind, value in seen if kind == "progress"]
    assert progress
    assert all(isinstance(p, SyncActivity) for p in progress)
    assert progress[-1].orders >= 300
    assert progress[-1].per_second > 0
    [new_ids] = [value for kind, value in seen if kind == "orders"]
    assert sorted(new_ids) == sorted(_emulator_ids(app))
    assert kinds.index("orders") < kinds.index("finished")

    # Nothing changed on Allegro: the next run is incremental, adds nothing, says so.
    again = _sync(qtbot, app).report
    assert again.succeeded
    assert again.kind == "incremental"
    assert again.new == 0


def test_a_second_request_does_not_start_a_parallel_sync(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED)
    app.slow()
    seen = _record(app)
    key = app.account.key
    with qtbot.waitSignal(app.worker.sync_started, timeout=WAIT):
        assert app.worker.request_sync(key)
    assert app.worker.syncing == key
    assert not app.worker.request_sync(key)  # running: ignored
    assert app.worker.request_syncs([key, key]) == []
    with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
        pass
    assert [kind for kind, _ in seen].count("started") == 1
    assert [run.outcome for run in app.state.runs(key)] == [RunOutcome.SUCCEEDED]
    assert app.stored() == 300
    assert not app.worker.busy


def test_sync_now_the_moment_a_sync_ends_is_queued_not_swallowed(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    """A request the moment a sync's outcome is told — while its job still sends the seller's
    actions, applies the retention and checkpoints — is a sync of its own, run after that:
    the seller's "Sync now" is never lost in the tail of the sync before."""
    app = make_sync_app()
    key = app.account.key
    queued: list[bool] = []
    finished: list[SyncResult] = []

    def request_at_once(result: SyncResult) -> None:
        if not queued:
            queued.append(app.worker.request_sync(key))

    # Directly: on the sync thread, inside the signal's emit, before the job's tail.
    app.worker.sync_finished.connect(request_at_once, Qt.ConnectionType.DirectConnection)
    app.worker.sync_finished.connect(finished.append)
    assert app.worker.request_sync(key)
    qtbot.waitUntil(lambda: len(finished) >= 1, timeout=WAIT)
    assert queued == [True]
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=WAIT)
    assert [result.report.kind for result in finished] == ["backfill", "incremental"]
    assert all(result.report.succeeded for result in finished)
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)


def test_cancel_mid_sync_keeps_a_consistent_database(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED)
    app.slow()
    key = app.account.key
    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        app.worker.request_sync(key)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        app.worker.cancel()
    report = finished.args[0].report
    assert report.outcome == RunOutcome.CANCELLED
    stored = app.stored()
    assert 0 < stored < 300
    assert stored == report.new  # every page it counted is committed, nothing else
    [run] = app.state.runs(key)
    assert run.outcome == RunOutcome.CANCELLED
    assert not app.state.get_sync_state(key).backfill_done

    app.emu.control("DELETE", "/faults")
    result = _sync(qtbot, app)  # the next sync completes the back-fill
    assert result.report.succeeded
    assert app.stored() == 300
    assert {f["id"] for f in app.orders.raw_forms(key)} == _emulator_ids(app)


def test_a_sync_stuck_past_the_grace_is_cancelled_outright(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED, cancel_grace=0.2)
    app.slow(latency_ms=3000)  # far longer than the grace: it never reaches a page boundary
    with qtbot.waitSignal(app.worker.sync_started, timeout=WAIT):
        app.worker.request_sync(app.account.key)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        app.worker.cancel()
    assert finished.args[0].report.outcome == RunOutcome.CANCELLED
    [run] = app.state.runs(app.account.key)
    assert run.outcome == RunOutcome.CANCELLED


def test_delete_during_a_sync_leaves_nothing_of_the_account(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(PAGED)
    app.slow()
    seen = _record(app)
    key = app.account.key
    with qtbot.waitSignal(app.worker.sync_progressed, timeout=WAIT,
                          check_params_cb=after_a_page):
        app.worker.request_sync(key)
    with qtbot.waitSignal(app.worker.account_data_deleted, timeout=WAIT) as deleted:
        app.worker.delete_account_data(key)
    assert deleted.args[0] == key
    kinds = [kind for kind, _ in seen]
    assert kinds.index("finished") < kinds.index("deleted")  # the sync ended first
    assert app.stored() == 0
    assert app.orders.count_events(key) == 0
    assert app.state.runs(key) == []
    assert app.state.get_sync_state(key).event_cursor is None
    assert deleted.args[1] > 0  # what the cancelled sync had stored


def test_offline_is_a_calm_state_and_the_data_stays(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    assert _sync(qtbot, app).report.succeeded
    app.emu.control("POST", "/faults", {"drop_rate": 1.0})
    result = _sync(qtbot, app)
    assert result.report.outcome == RunOutcome.FAILED
    assert result.problem is SyncProblem.OFFLINE
    assert result.message is not None
    assert "internet" in str(result.message)
    assert app.stored() == 300


def test_rate_limited_says_until_when(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    app.emu.control("POST", "/faults", {"script": ["429"]})
    result = _sync(qtbot, app)
    assert result.problem is SyncProblem.RATE_LIMITED
    assert result.retry_at is not None
    assert result.retry_at > datetime.now(UTC)


def test_revoked_tokens_need_reconnecting(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    app.emu.control("POST", "/tokens/revoke", {})
    result = _sync(qtbot, app)
    assert result.problem is SyncProblem.RECONNECT_NEEDED
    account = app.services.registry.get(app.account.key)
    assert account is not None
    assert account.state is AccountState.RECONNECT_NEEDED
    # An account that needs connecting again is not synced (nothing is even started).
    with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
        assert app.worker.request_sync(app.account.key)
    assert len(app.state.runs(app.account.key)) == 1


def test_a_sync_applies_the_retention_setting(qtbot: QtBot,
                                              make_sync_app: MakeSyncApp) -> None:
    from allegro_desktop.api.parsing import parse_time
    from allegro_desktop.storage.retention import orders_cutoff
    from allegro_desktop.sync import SyncSettings

    app = make_sync_app(settings=SyncSettings(history_days=480), history_days=470)
    app.worker.retention_months = 12
    with qtbot.waitSignal(app.worker.orders_pruned, timeout=WAIT) as pruned:
        assert _sync(qtbot, app).report.succeeded
    cutoff = orders_cutoff(app.emu.emulator.clock.now(), 12)
    forms = app.emu.control("GET", "/checkout-forms")["checkoutForms"]
    young = {f["id"] for f in forms
             if max(parse_time(i["boughtAt"]) for i in f["lineItems"]) >= cutoff}
    assert pruned.args[0] == len(forms) - len(young) > 0
    assert {f["id"] for f in app.orders.raw_forms(app.account.key)} == young


class _GatedRestore:
    """An exclusive job standing for a restore — the database's only writer, not stoppable
    half-way — held at a gate for as long as the test wants it under way."""

    def __init__(self) -> None:
        self.running = threading.Event()
        self.gate = threading.Event()
        self.done = False

    def __call__(self) -> None:
        self.running.set()
        assert self.gate.wait(WAIT / 1000)  # bounded: a broken test must not hang the run
        self.done = True

    def start(self, app: SyncApp) -> None:
        assert app.worker.run_exclusive(self, refused=lambda text: None)
        assert self.running.wait(WAIT / 1000)
        assert app.worker.running_job is JobKind.EXCLUSIVE


class _OpenOnLogRecord(logging.Handler):
    def __init__(self, text: str, gate: threading.Event) -> None:
        super().__init__()
        self.text = text
        self.gate = gate

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.gate.set()


def test_shutdown_waits_for_a_restore_past_its_timeout(
        qtbot: QtBot, make_sync_app: MakeSyncApp, caplog: pytest.LogCaptureFixture) -> None:
    """The thread is never left running under a database about to close: the restore is
    waited for however long it takes (here: until shutdown says it waits past its timeout)."""
    app = make_sync_app(orders=10)
    restore = _GatedRestore()
    restore.start(app)
    caplog.set_level(logging.INFO, logger="allegro_desktop.sync")
    opener = _OpenOnLogRecord("waiting for the exclusive job under way", restore.gate)
    logging.getLogger("allegro_desktop.sync").addHandler(opener)
    try:
        assert app.worker.shutdown(timeout=0.2)
    finally:
        logging.getLogger("allegro_desktop.sync").removeHandler(opener)
        restore.gate.set()
    assert restore.done
    assert not app.worker.isRunning()


def test_quitting_during_a_restore_says_why_it_waits(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    """The app's quit (`app.stop_sync_thread`) lets the restore finish, the event loop
    running and a box saying so; then the thread has ended."""
    app = make_sync_app(orders=10)
    restore = _GatedRestore()
    restore.start(app)
    shown: list[str] = []

    def open_the_gate_once_the_box_shows() -> None:
        box = next((widget for widget in QApplication.topLevelWidgets()
                    if widget.objectName() == "finishingBox" and widget.isVisible()), None)
        if isinstance(box, QProgressDialog) and not restore.gate.is_set():
            shown.append(box.labelText())
            restore.gate.set()

    watch = QTimer()
    watch.timeout.connect(open_the_gate_once_the_box_shows)
    watch.start(20)
    try:
        assert stop_sync_thread(app.worker)
    finally:
        watch.stop()
        restore.gate.set()
    assert shown == ["Finishing the restore of the order database before quitting…"]
    assert restore.done
    assert not app.worker.isRunning()
