"""`SyncStateRepository`: where each account's sync stands, and the history of sync runs.

The state (cursor, backfill progress, last re-scan, last error) is what lets a sync resume after
the app was closed or killed (ARCHITECTURE.md "Sync"); the run history, with its metrics, is
what the seller (and support) look at when something seems off. The event cursor itself is normally
written by `OrderRepository.apply_batch`, in the transaction of the orders it stands for.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert

from allegro_desktop.storage.database import Database
from allegro_desktop.storage.schema import sync_runs, sync_state
from allegro_desktop.storage.times import from_ms, from_ms_or_none, to_ms, to_ms_or_none

__all__ = [
    "RunKind",
    "RunMetrics",
    "RunOutcome",
    "SyncRun",
    "SyncState",
    "SyncStateRepository",
]

log = logging.getLogger("allegro_desktop.storage")

_E = TypeVar("_E", bound=enum.StrEnum)


class RunKind(enum.StrEnum):
    BACKFILL = "backfill"  # windowed /order/checkout-forms over the history depth
    INCREMENTAL = "incremental"  # /order/events from the cursor
    RESCAN = "rescan"  # the safety net: recent windows again


class RunOutcome(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # still "running" when the next run started: the app died


@dataclass(frozen=True, slots=True)
class SyncState:
    """One account's sync position. A new account has all fields empty."""

    account_key: str
    event_cursor: str | None = None
    cursor_saved_at: datetime | None = None
    backfill_done: bool = False
    #: An unfinished back-fill's progress (JSON the engine writes and reads: its starting
    #: cursor and the windows already listed); None when no back-fill is under way.
    backfill_progress: str | None = None
    last_rescan_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class RunMetrics:
    """Counters of one sync run."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0  # answers 429 (too many requests)


@dataclass(frozen=True, slots=True)
class SyncRun:
    id: int
    account_key: str
    kind: RunKind | str
    outcome: RunOutcome | str
    started_at: datetime
    finished_at: datetime | None
    duration_ms: int | None
    metrics: RunMetrics = field(default_factory=RunMetrics)
    error: str | None = None


class SyncStateRepository:
    """Sync state and run history; written by the sync thread, read from anywhere."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    def get_sync_state(self, account_key: str) -> SyncState:
        with self._db.read() as connection:
            row = connection.execute(
                select(sync_state).where(sync_state.c.account_key == account_key)).first()
        if row is None:
            return SyncState(account_key=account_key)
        return SyncState(
            account_key=row.account_key,
            event_cursor=row.event_cursor,
            cursor_saved_at=from_ms_or_none(row.cursor_saved_at),
            backfill_done=bool(row.backfill_done),
            backfill_progress=row.backfill_progress,
            last_rescan_at=from_ms_or_none(row.last_rescan_at),
            last_success_at=from_ms_or_none(row.last_success_at),
            last_error=row.last_error,
        )

    def save_sync_state(self, state: SyncState) -> None:
        """Replace the account's state with `state` (read, `dataclasses.replace`, save)."""
        values: dict[str, Any] = {
            "event_cursor": state.event_cursor,
            "cursor_saved_at": to_ms_or_none(state.cursor_saved_at),
            "backfill_done": state.backfill_done,
            "backfill_progress": state.backfill_progress,
            "last_rescan_at": to_ms_or_none(state.last_rescan_at),
            "last_success_at": to_ms_or_none(state.last_success_at),
            "last_error": state.last_error,
        }
        statement = insert(sync_state).values(account_key=state.account_key, **values)
        with self._db.write() as connection:
            connection.execute(statement.on_conflict_do_update(
                index_elements=[sync_state.c.account_key], set_=values))

    def start_run(self, *, account_key: str, kind: RunKind | str) -> int:
        """Record a run as started; returns its id for `finish_run`. Runs of the account still
        marked running were cut short (the app was killed): they become INTERRUPTED, with the
        counts their pages had written."""
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            connection.execute(
                update(sync_runs)
                .where(sync_runs.c.account_key == account_key,
                       sync_runs.c.outcome == RunOutcome.RUNNING.value)
                .values(outcome=RunOutcome.INTERRUPTED.value))
            run_id = connection.execute(insert(sync_runs).values(
                account_key=account_key, kind=str(kind), outcome=RunOutcome.RUNNING.value,
                started_at=now)).inserted_primary_key
        if run_id is None:  # pragma: no cover - SQLite always reports the rowid
            raise RuntimeError("the new sync run has no id")
        return int(run_id[0])

    def finish_run(self, run_id: int, *, outcome: RunOutcome | str,
                   metrics: RunMetrics | None = None, error: str | None = None,
                   kind: RunKind | str | None = None) -> None:
        """Record how a run ended, with its final counters (they replace the ones its pages
        added, `OrderRepository.apply_batch(run_id=…)`); `kind` when the run turned into
        another kind on the way (an incremental run that had to re-scan)."""
        metrics = metrics or RunMetrics()
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            started = connection.scalar(
                select(sync_runs.c.started_at).where(sync_runs.c.id == run_id))
            if started is None:  # the account's data was deleted while it ran
                log.info("sync run %d no longer exists: not recorded", run_id)
                return
            connection.execute(update(sync_runs).where(sync_runs.c.id == run_id).values(
                outcome=str(outcome), finished_at=now, duration_ms=max(now - started, 0),
                new_orders=metrics.new, updated_orders=metrics.updated,
                unchanged_orders=metrics.unchanged, events=metrics.events,
                requests=metrics.requests, retries=metrics.retries,
                rate_limited=metrics.rate_limited, error=error,
                **({} if kind is None else {"kind": str(kind)})))

    def runs(self, account_key: str | None = None, *, limit: int = 100) -> list[SyncRun]:
        """The latest runs, newest first."""
        statement = select(sync_runs).order_by(sync_runs.c.id.desc()).limit(limit)
        if account_key is not None:
            statement = statement.where(sync_runs.c.account_key == account_key)
        with self._db.read() as connection:
            rows = connection.execute(statement).all()
        return [SyncRun(
            id=row.id, account_key=row.account_key, kind=_enum(RunKind, row.kind),
            outcome=_enum(RunOutcome, row.outcome), started_at=from_ms(row.started_at),
            finished_at=from_ms_or_none(row.finished_at), duration_ms=row.duration_ms,
            metrics=RunMetrics(new=row.new_orders, updated=row.updated_orders,
                               unchanged=row.unchanged_orders, events=row.events,
                               requests=row.requests, retries=row.retries,
                               rate_limited=row.rate_limited),
            error=row.error) for row in rows]


def _enum(kind: type[_E], value: str) -> _E | str:
    try:
        return kind(value)
    except ValueError:
        return value
