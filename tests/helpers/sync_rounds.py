"""A round of the window's syncs awaited (`sync_round`: every connected account synced once,
`SyncController.round_finished`) and when the controller planned the next one
(`plans_next_sync_in`), checked without depending on how fast the machine is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from allegro_desktop.ui.syncing.controller import SyncController
from tests.helpers.sync_app import WAIT


@dataclass(frozen=True)
class SyncRound:
    """The real time just before a round was asked for and just after it finished: the
    controller planned the next sync at some moment in between."""

    started: datetime
    finished: datetime


def sync_round(qtbot: QtBot, sync: SyncController,
               action: Callable[[], object] | None = None) -> SyncRound:
    """Do `action` (e.g. `sync.start`, `sync.sync_now`; None: the round is already under way
    or a timer starts it) and wait until the round it starts finishes."""
    started = datetime.now(UTC)
    with qtbot.waitSignal(sync.round_finished, timeout=WAIT):
        if action is not None:
            action()
    return SyncRound(started, datetime.now(UTC))


def plans_next_sync_in(sync: SyncController, after: SyncRound, seconds: float) -> bool:
    """Whether the next sync is planned `seconds` after the moment, during round `after`,
    the controller planned it (whenever that was: the check never depends on how fast the
    machine is)."""
    assert sync.next_sync_at is not None
    planned = timedelta(seconds=seconds)
    return after.started + planned <= sync.next_sync_at <= after.finished + planned
