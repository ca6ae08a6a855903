"""Sync state and run history, over a real SQLite file."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from allegro_desktop.storage import (
    OrderRepository,
    RunKind,
    RunMetrics,
    RunOutcome,
    SyncState,
    SyncStateRepository,
)
from tests.helpers.served_orders import ACCOUNT, NOW, OTHER_ACCOUNT, FakeClock


def test_a_new_account_has_an_empty_state(states: SyncStateRepository) -> None:
    assert states.get_sync_state(ACCOUNT) == SyncState(account_key=ACCOUNT)


def test_the_state_round_trips(states: SyncStateRepository) -> None:
    state = SyncState(
        account_key=ACCOUNT, event_cursor="1790335759659363",
        cursor_saved_at=datetime(2026, 11, 20, 11, 59, 58, 123000, tzinfo=UTC),
        backfill_done=True, backfill_progress='{"cursor": "1", "covered": []}',
        last_rescan_at=NOW, last_success_at=NOW, last_error="Allegro is having trouble")
    states.save_sync_state(state)
    assert states.get_sync_state(ACCOUNT) == state
    assert states.get_sync_state(OTHER_ACCOUNT) == SyncState(account_key=OTHER_ACCOUNT)
    cleared = dataclasses.replace(state, last_error=None, backfill_done=False)
    states.save_sync_state(cleared)
    assert states.get_sync_state(ACCOUNT) == cleared


def test_apply_batch_keeps_the_rest_of_the_state(states: SyncStateRepository,
                                                 repo: OrderRepository) -> None:
    read_to_end = NOW - timedelta(days=50)
    states.save_sync_state(SyncState(account_key=ACCOUNT, backfill_done=True, last_error="x",
                                     cursor_saved_at=read_to_end))
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor="42")
    state = states.get_sync_state(ACCOUNT)
    # The cursor moves; when the journal was last read to its end does not (a page committed
    # midway must not make an old cursor look fresh to the 55-day retention check).
    assert (state.event_cursor, state.cursor_saved_at) == ("42", read_to_end)
    assert state.backfill_done
    assert state.last_error == "x"


def test_runs_are_recorded_with_their_metrics(states: SyncStateRepository,
                                              clock: FakeClock) -> None:
    run = states.start_run(account_key=ACCOUNT, kind=RunKind.INCREMENTAL)
    assert states.runs(ACCOUNT)[0].outcome == RunOutcome.RUNNING
    clock.advance(seconds=2.5)
    metrics = RunMetrics(new=3, updated=2, unchanged=40, events=51, requests=8, retries=1)
    states.finish_run(run, outcome=RunOutcome.SUCCEEDED, metrics=metrics)
    failed = states.start_run(account_key=ACCOUNT, kind=RunKind.RESCAN)
    clock.advance(seconds=1)
    states.finish_run(failed, outcome=RunOutcome.FAILED, error="offline")
    latest, first = states.runs(ACCOUNT)
    assert (first.id, first.kind, first.outcome) == (run, RunKind.INCREMENTAL,
                                                     RunOutcome.SUCCEEDED)
    assert first.started_at == NOW
    assert first.duration_ms == 2500
    assert first.metrics == metrics
    assert first.error is None
    assert (latest.outcome, latest.error, latest.metrics) == (RunOutcome.FAILED, "offline",
                                                             RunMetrics())
    assert states.runs(OTHER_ACCOUNT) == []
    assert len(states.runs(limit=1)) == 1


def test_a_run_left_running_is_marked_interrupted(states: SyncStateRepository) -> None:
    killed = states.start_run(account_key=ACCOUNT, kind=RunKind.BACKFILL)
    other = states.start_run(account_key=OTHER_ACCOUNT, kind=RunKind.BACKFILL)
    states.start_run(account_key=ACCOUNT, kind=RunKind.BACKFILL)
    outcomes = {run.id: run.outcome for run in states.runs()}
    assert outcomes[killed] == RunOutcome.INTERRUPTED
    assert outcomes[other] == RunOutcome.RUNNING
