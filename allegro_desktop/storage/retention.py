"""Retention: `prune` deletes the old data a `RetentionPolicy` names, in short chunks that never
stall the sync. By default no order and no journal event is deleted, only old sync runs and
kept-aside records. What each limit deletes, why its minimum, and why no VACUUM:
ARCHITECTURE.md "Retention".
"""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.engine import Connection

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.schema import (
    gone_forms,
    order_events,
    orders,
    sync_runs,
    unreadable,
)
from allegro_desktop.storage.times import to_ms

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_KEEP_LATEST_RUNS",
    "DEFAULT_KEEP_RUNS_DAYS",
    "MAX_KEEP_ORDERS_MONTHS",
    "MIN_KEEP_EVENTS_DAYS",
    "MIN_KEEP_ORDERS_MONTHS",
    "PruneReport",
    "RetentionPolicy",
    "RetentionPolicyError",
    "orders_cutoff",
    "prune",
]

log = logging.getLogger("allegro_desktop.storage")

#: The sync fetches this much history (`SyncSettings.history_days` = 365 days, never more than
#: 12 calendar months): keeping less would make every back-fill or re-scan bring orders back.
MIN_KEEP_ORDERS_MONTHS: Final = 12
#: A hundred years: beyond it "keep forever" (None) is what is meant.
MAX_KEEP_ORDERS_MONTHS: Final = 1200
#: Allegro keeps its order-event journal this long: ours is never shorter.
MIN_KEEP_EVENTS_DAYS: Final = 60
DEFAULT_KEEP_RUNS_DAYS: Final = 90
DEFAULT_KEEP_LATEST_RUNS: Final = 100
#: Rows per transaction. An order costs most (its search row, line items, events): 1000 of
#: them take about 0.1 s on a laptop, short enough for a sync waiting on the write lock.
DEFAULT_BATCH_SIZE: Final = 1000

#: What one step of a prune deleted (counts by kind), and whether it found a full chunk (so
#: there may be more).
_Result = tuple[dict[str, int], bool]
_Step = Callable[[], _Result]


class RetentionPolicyError(AppError, ValueError):
    """A retention limit that cannot be used (e.g. fewer than 12 months of orders): raised when
    the policy is made, so nothing has been deleted."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long old data is kept (ARCHITECTURE.md "Retention"). The default deletes no order and
    no event: only sync runs beyond 90 days, keeping each account's latest 100."""

    keep_orders_months: int | None = None
    keep_events_days: int | None = None
    keep_runs_days: int | None = DEFAULT_KEEP_RUNS_DAYS
    keep_latest_runs: int = DEFAULT_KEEP_LATEST_RUNS

    def __post_init__(self) -> None:
        months = self.keep_orders_months
        if months is not None:
            if months < MIN_KEEP_ORDERS_MONTHS:
                raise RetentionPolicyError(
                    f"keep_orders_months={months}: at least {MIN_KEEP_ORDERS_MONTHS} months",
                    user_message=Text(QT_TRANSLATE_NOOP(
                        "Errors", "Orders can be deleted after %1 months at the earliest, not "
                        "after %2: the sync fetches the last 12 months of orders from Allegro "
                        "(at the start, and again after a long pause), so younger orders would "
                        "just come back. Choose 12 months or more, or keep orders forever."),
                        MIN_KEEP_ORDERS_MONTHS, months))
            if months > MAX_KEEP_ORDERS_MONTHS:
                raise RetentionPolicyError(
                    f"keep_orders_months={months}: at most {MAX_KEEP_ORDERS_MONTHS}",
                    user_message=Text(QT_TRANSLATE_NOOP(
                        "Errors", "Keeping orders for %1 months is keeping them forever: choose "
                        "that instead."), months))
        events = self.keep_events_days
        if events is not None and events < MIN_KEEP_EVENTS_DAYS:
            raise RetentionPolicyError(
                f"keep_events_days={events}: at least {MIN_KEEP_EVENTS_DAYS} days",
                user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "Order events can be deleted after %1 days at the earliest, not "
                    "after %2: Allegro's own event journal covers %1 days, and a sync may record "
                    "events that old."), MIN_KEEP_EVENTS_DAYS, events))
        if self.keep_runs_days is not None and self.keep_runs_days < 1:
            raise RetentionPolicyError(f"keep_runs_days={self.keep_runs_days}: at least 1",
                                       user_message=Text(QT_TRANSLATE_NOOP(
                                           "Errors", "Sync runs must be kept at least a day.")))
        if self.keep_latest_runs < 1:  # the run in progress is always an account's latest
            raise RetentionPolicyError(
                f"keep_latest_runs={self.keep_latest_runs}: at least 1",
                user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "At least the latest sync run of each account must be kept.")))


@dataclass(frozen=True, slots=True)
class PruneReport:
    """What `prune` deleted, and how long it took (seconds). `complete` is false when `stop`
    cut it short (what was deleted stays deleted; the next prune goes on)."""

    orders: int = 0
    events: int = 0
    gone_forms: int = 0
    runs: int = 0
    unreadable: int = 0
    duration: float = 0.0
    complete: bool = True

    @property
    def deleted(self) -> int:
        """Rows deleted in all (line items and search rows not counted: they follow orders)."""
        return self.orders + self.events + self.gone_forms + self.runs + self.unreadable


def orders_cutoff(now: datetime, months: int) -> datetime:
    """`months` calendar months before `now` (the 31st becomes the month's last day): orders
    bought before it are deleted."""
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def prune(database: Database, policy: RetentionPolicy, *, now: datetime | None = None,
          batch_size: int = DEFAULT_BATCH_SIZE,
          stop: Callable[[], bool] | None = None) -> PruneReport:
    """Delete what `policy` no longer keeps, as of `now` (default: the database's clock).

    Runs on the caller's thread (the sync thread, after a sync: it is the database's only
    writer), in transactions of at most `batch_size` rows. `stop`, polled between
    transactions, ends it early (e.g. the app is quitting). Raises a `StorageError` (locked,
    disk full, …) with the transaction in flight rolled back and earlier ones kept.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    now = database.clock() if now is None else now
    began = time.perf_counter()
    should_stop = stop or (lambda: False)
    counts = {"orders": 0, "events": 0, "gone_forms": 0, "runs": 0, "unreadable": 0}
    complete = True

    def run(step: _Step) -> bool:
        """Repeat one chunked step until it finds less than a chunk; False when stopped."""
        while not should_stop():
            deleted, full = step()
            for key, value in deleted.items():
                counts[key] += value
            if not full:
                return True
        return False

    orders_before = events_before = None
    if policy.keep_orders_months is not None:
        orders_before = to_ms(orders_cutoff(now, policy.keep_orders_months))
        events_before = orders_before
    if policy.keep_events_days is not None:
        by_days = to_ms(now - timedelta(days=policy.keep_events_days))
        events_before = by_days if events_before is None else max(events_before, by_days)

    def in_write(work: Callable[[Connection], _Result]) -> _Result:
        with database.write() as connection:
            return work(connection)

    steps: list[_Step] = []
    if orders_before is not None:
        cutoff = orders_before
        steps.append(lambda: in_write(lambda c: _delete_orders(c, cutoff, batch_size)))
        steps.append(lambda: in_write(
            lambda c: _delete_orphan_gone_forms(c, cutoff, batch_size)))
    if events_before is not None:
        event_cutoff = events_before
        steps.append(lambda: _delete_events(database, event_cutoff, batch_size))
    if policy.keep_runs_days is not None:
        runs_before = to_ms(now - timedelta(days=policy.keep_runs_days))
        steps.append(lambda: in_write(
            lambda c: _delete_runs(c, runs_before, policy.keep_latest_runs, batch_size)))
        steps.append(lambda: in_write(
            lambda c: _delete_unreadable(c, runs_before, batch_size)))
    for step in steps:
        if not run(step):
            complete = False
            break

    report = PruneReport(duration=time.perf_counter() - began, complete=complete, **counts)
    if report.deleted or not complete:
        log.info("retention: deleted %d orders, %d events, %d gone forms, %d sync runs in "
                 "%.2f s%s", report.orders, report.events, report.gone_forms, report.runs,
                 report.duration, "" if complete else " (stopped before the end)")
    else:
        log.debug("retention: nothing to delete (%.3f s)", report.duration)
    return report


# -- steps: each deletes at most `limit` rows of its kind, most in the caller's transaction ---


def _delete_orders(connection: Connection, before: int, limit: int) -> _Result:
    """The oldest orders bought before `before`, with their events and gone markers (line
    items and search rows follow through the cascade and the trigger)."""
    chunk = connection.execute(
        select(orders.c.seq, orders.c.id, orders.c.account_key)
        .where(orders.c.bought_at < before)
        .order_by(orders.c.bought_at)
        .limit(limit)).all()
    if not chunk:
        return {}, False
    keys: Sequence[dict[str, Any]] = [{"account": row.account_key, "form": row.id}
                                      for row in chunk]
    events = connection.execute(delete(order_events).where(
        order_events.c.account_key == bindparam("account"),
        order_events.c.checkout_form_id == bindparam("form")), keys).rowcount
    gone = connection.execute(delete(gone_forms).where(
        gone_forms.c.account_key == bindparam("account"),
        gone_forms.c.checkout_form_id == bindparam("form")), keys).rowcount
    deleted = connection.execute(delete(orders).where(orders.c.seq == bindparam("seq")),
                                 [{"seq": row.seq} for row in chunk]).rowcount
    return ({"orders": int(deleted), "events": int(events), "gone_forms": int(gone)},
            len(chunk) == limit)


def _delete_orphan_gone_forms(connection: Connection, before: int, limit: int) -> _Result:
    """Gone markers without a stored order, recorded before `before`: checkout forms that were
    already gone when the sync first asked, older than any order kept."""
    chunk = connection.execute(
        select(gone_forms.c.account_key, gone_forms.c.checkout_form_id)
        .where(gone_forms.c.recorded_at < before,
               ~select(orders.c.seq).where(orders.c.id == gone_forms.c.checkout_form_id)
               .exists())
        .limit(limit)).all()
    if not chunk:
        return {}, False
    deleted = connection.execute(delete(gone_forms).where(
        gone_forms.c.account_key == bindparam("account"),
        gone_forms.c.checkout_form_id == bindparam("form")),
        [{"account": row.account_key, "form": row.checkout_form_id} for row in chunk]).rowcount
    return {"gone_forms": int(deleted)}, len(chunk) == limit


def _delete_events(database: Database, before: int, limit: int) -> _Result:
    """Journal events that occurred before `before`, oldest first (`ix_order_events_occurred_at`
    gives them in that order, so a chunk reads only its own rows). They are looked for in a
    read transaction, then deleted by key (events are never changed, only added)."""
    with database.read() as connection:
        seqs = list(connection.scalars(
            select(order_events.c.seq).where(order_events.c.occurred_at < before)
            .order_by(order_events.c.occurred_at).limit(limit)))
    if not seqs:
        return {}, False
    with database.write() as connection:
        deleted = connection.execute(delete(order_events).where(
            order_events.c.seq == bindparam("event")), [{"event": seq} for seq in seqs]).rowcount
    return {"events": int(deleted)}, len(seqs) == limit


def _delete_runs(connection: Connection, before: int, keep_latest: int, limit: int) -> _Result:
    """Runs started before `before`, except each account's `keep_latest` latest."""
    ranked = select(
        sync_runs.c.id, sync_runs.c.started_at,
        func.row_number().over(partition_by=sync_runs.c.account_key,
                               order_by=(sync_runs.c.started_at.desc(), sync_runs.c.id.desc()))
        .label("rank")).subquery()
    old = (select(ranked.c.id)
           .where(ranked.c.rank > keep_latest, ranked.c.started_at < before)
           .limit(limit))
    deleted = int(connection.execute(delete(sync_runs).where(sync_runs.c.id.in_(old))).rowcount)
    return {"runs": deleted}, deleted == limit


def _delete_unreadable(connection: Connection, before: int, limit: int) -> _Result:
    """Unreadable events and forms kept aside before `before`."""
    old = (select(unreadable.c.seq).where(unreadable.c.recorded_at < before)
           .order_by(unreadable.c.seq).limit(limit))
    deleted = int(connection.execute(
        delete(unreadable).where(unreadable.c.seq.in_(old))).rowcount)
    return {"unreadable": deleted}, deleted == limit
