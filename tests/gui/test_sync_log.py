"""The Sync log tab: `SyncLogModel` over the `sync_runs` rows real syncs wrote (a `SyncWorker`
syncing from the emulator over HTTP into a real SQLite file), and `SyncLogView` offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from allegro_desktop.storage import Database, RunOutcome, SyncStateRepository
from allegro_desktop.storage.sync_state import RunKind, RunMetrics
from allegro_desktop.sync import SyncResult
from allegro_desktop.ui.formatting import datetime_text
from allegro_desktop.ui.syncing.log_view import (
    MAX_RUNS,
    SyncLogColumn,
    SyncLogModel,
    SyncLogView,
    duration_text,
)
from tests.helpers.served_orders import FakeClock
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp

PL = QLocale("pl_PL")
C = SyncLogColumn


def sync(qtbot: QtBot, app: SyncApp) -> SyncResult:
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT) as finished:
        assert app.worker.request_sync(app.account.key)
    qtbot.waitUntil(lambda: not app.worker.busy, timeout=WAIT)
    result: SyncResult = finished.args[0]
    return result


def cell(model: SyncLogModel, row: int, column: SyncLogColumn,
         role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, column), role)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def database(tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    database = Database.open(tmp_path / "orders.sqlite3", clock=clock)
    yield database
    database.close()


def test_the_log_shows_what_real_syncs_recorded(
        qtbot: QtBot, qtmodeltester: ModelTester, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app()
    assert sync(qtbot, app).report.succeeded
    app.emu.control("POST", "/faults", {"drop_rate": 1.0})  # Allegro out of reach
    assert sync(qtbot, app).report.outcome == RunOutcome.FAILED
    app.emu.control("DELETE", "/faults")

    login = app.account.login
    model = SyncLogModel(database=app.database, account_names={app.account.key: login})
    model.set_locale(PL)
    model.reload()
    qtmodeltester.check(model)
    runs = app.state.runs(app.account.key)
    assert model.rowCount() == len(runs) == 2

    failed, first = runs  # newest first
    assert cell(model, 0, C.OUTCOME) == "Failed"
    assert cell(model, 0, C.ACCOUNT) == login
    assert failed.error
    line = failed.error.splitlines()[0]  # cut, when long: the tooltip has it all
    assert cell(model, 0, C.ERROR) == (line if len(line) <= 160 else line[:159] + "…")
    for column in SyncLogColumn:  # the whole row says why it failed
        assert cell(model, 0, column, Qt.ItemDataRole.ToolTipRole) == failed.error
        assert cell(model, 0, column, Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")
    icon = cell(model, 0, C.OUTCOME, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    assert not icon.isNull()
    assert cell(model, 0, C.STARTED) == datetime_text(failed.started_at, PL, seconds=True)

    assert cell(model, 1, C.OUTCOME) == "Succeeded"
    assert cell(model, 1, C.KIND) == "Order history"  # the first sync reads the history
    assert cell(model, 1, C.NEW) == "300"
    assert cell(model, 1, C.UPDATED) == PL.toString(first.metrics.updated)
    assert cell(model, 1, C.EVENTS) == PL.toString(first.metrics.events)
    assert cell(model, 1, C.REQUESTS) == PL.toString(first.metrics.requests)
    assert first.metrics.requests > 0
    assert cell(model, 1, C.RETRIES) == PL.toString(first.metrics.retries)
    assert first.duration_ms is not None
    assert cell(model, 1, C.DURATION) == duration_text(first.duration_ms, PL)
    assert cell(model, 1, C.ERROR) == ""
    assert cell(model, 1, C.OUTCOME, Qt.ItemDataRole.ToolTipRole) is None
    assert cell(model, 1, C.OUTCOME, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(model, 1, C.NEW, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.run_at(1) == first
    assert cell(model, 1, C.KIND, Qt.ItemDataRole.UserRole) == first

    # The next sync (incremental) appears on top after a reload.
    assert sync(qtbot, app).report.succeeded
    with qtbot.waitSignal(model.modelReset):
        model.reload()
    assert model.rowCount() == 3
    assert cell(model, 0, C.KIND) == "New events"
    assert cell(model, 0, C.OUTCOME) == "Succeeded"


def test_a_rate_limited_sync_counts_its_429(qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    """Allegro's 429 is counted by the engine (a real answer of the emulator), stored with the
    run and shown in its column; a clean run shows 0."""
    app = make_sync_app(orders=20, history_days=30)
    assert sync(qtbot, app).report.succeeded
    app.emu.control("POST", "/faults", {"script": ["429"]})
    result = sync(qtbot, app)
    assert result.report.outcome == RunOutcome.FAILED
    assert result.report.rate_limited == 1

    model = SyncLogModel(database=app.database, account_names={})
    model.reload()
    limited, clean = app.state.runs(app.account.key)
    assert (limited.metrics.rate_limited, clean.metrics.rate_limited) == (1, 0)
    assert cell(model, 0, C.RATE_LIMITED) == "1"
    assert cell(model, 1, C.RATE_LIMITED) == "0"
    assert "429" in model.headerData(C.RATE_LIMITED, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.ToolTipRole)


def test_the_view_empty_then_refreshed(qtbot: QtBot, qtmodeltester: ModelTester,
                                       database: Database, clock: FakeClock) -> None:
    view = SyncLogView(database=database, account_names={})
    qtbot.addWidget(view)
    view.show()
    assert view.is_empty_shown
    qtmodeltester.check(view.model)

    states = SyncStateRepository(database=database)
    ok = states.start_run(account_key="production|1", kind=RunKind.BACKFILL)
    clock.advance(seconds=83, milliseconds=400)
    states.finish_run(ok, outcome=RunOutcome.SUCCEEDED,
                      metrics=RunMetrics(new=12345, updated=5, events=0, requests=17, retries=1,
                                         rate_limited=2))
    clock.advance(minutes=1)
    bad = states.start_run(account_key="sandbox|2", kind=RunKind.INCREMENTAL)
    clock.advance(seconds=2)
    states.finish_run(bad, outcome=RunOutcome.FAILED,
                      error="Nie można połączyć się z Allegro.\nSzczegóły: timeout")
    clock.advance(minutes=1)
    states.start_run(account_key="production|1", kind="future_kind")  # still running

    refresh = view.findChild(QPushButton, "syncLogRefreshButton")
    assert refresh is not None
    with qtbot.waitSignal(view.model.modelReset):
        qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)
    assert not view.is_empty_shown
    assert view.table.isVisible()
    model = view.model
    model.set_locale(PL)
    assert model.rowCount() == 3
    qtmodeltester.check(model)

    # the running one: a kind this version does not know, as stored; no figures yet
    assert cell(model, 0, C.KIND) == "future_kind"
    assert cell(model, 0, C.OUTCOME) == "Running"
    assert cell(model, 0, C.DURATION) == ""
    assert cell(model, 0, C.NEW) == ""
    # the failed one: its first line, the whole error as tooltip
    assert cell(model, 1, C.OUTCOME) == "Failed"
    assert cell(model, 1, C.ERROR) == "Nie można połączyć się z Allegro."
    assert cell(model, 1, C.ERROR, Qt.ItemDataRole.ToolTipRole) == \
        "Nie można połączyć się z Allegro.\nSzczegóły: timeout"
    assert cell(model, 1, C.DURATION) == "2,0 s"
    # the successful one
    assert cell(model, 2, C.NEW) == "12\u00a0345"
    assert cell(model, 2, C.DURATION) == "1 min 23 s"
    assert cell(model, 2, C.RETRIES) == "1"
    assert cell(model, 2, C.RATE_LIMITED) == "2"

    # accounts by login once known; an unknown key shows as itself
    assert cell(model, 2, C.ACCOUNT) == "production|1"
    with qtbot.waitSignal(model.dataChanged) as changed:
        view.set_account_names({"production|1": "sklep_źdźbło"})
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row()) == (0, 2)
    assert first.column() == last.column() == C.ACCOUNT
    assert cell(model, 2, C.ACCOUNT) == "sklep_źdźbło"
    assert cell(model, 1, C.ACCOUNT) == "sandbox|2"
    summary = view.findChild(QLabel, "syncLogSummary")
    assert summary is not None
    assert summary.text() == "3 syncs, 1 failed"


def test_headers_and_invalid_indexes(database: Database) -> None:
    model = SyncLogModel(database=database, account_names={})
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in SyncLogColumn]
    assert headers == ["Started", "Account", "Kind", "Outcome", "Duration", "New", "Updated",
                       "Events", "Calls", "Repeated", "Slow-downs", "Error"]
    for column in (C.NEW, C.UPDATED, C.EVENTS, C.REQUESTS, C.RETRIES, C.RATE_LIMITED):
        assert model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0


def test_the_log_reads_at_most_its_limit(database: Database) -> None:
    states = SyncStateRepository(database=database)
    for _ in range(MAX_RUNS + 3):
        run = states.start_run(account_key="production|1", kind=RunKind.INCREMENTAL)
        states.finish_run(run, outcome=RunOutcome.SUCCEEDED)
    model = SyncLogModel(database=database, account_names={})
    model.reload()
    assert model.rowCount() == MAX_RUNS
    assert model.run_at(0).id == run  # the newest first


@pytest.mark.parametrize(("milliseconds", "polish", "english"), [
    (0, "0,0 s", "0.0 s"),
    (840, "0,8 s", "0.8 s"),
    (9_949, "9,9 s", "9.9 s"),
    (12_400, "12 s", "12 s"),
    (125_000, "2 min 5 s", "2 min 5 s"),
    (3_780_000, "1 h 3 min", "1 h 3 min"),
])
def test_durations(milliseconds: int, polish: str, english: str) -> None:
    assert duration_text(milliseconds, PL) == polish
    assert duration_text(milliseconds, QLocale("en_US")) == english
