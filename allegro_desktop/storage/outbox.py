"""`WebhookOutbox`: the durable queue of the outgoing webhook (table `webhook_outbox`).

Why a table and not a list in memory: a new order must reach the seller's webhook exactly once
even if the app is killed between storing the order and sending it. So the row is written by
`enqueue`, called inside `OrderRepository.apply_batch`'s transaction — the order and its
delivery are committed together or not at all — and the deliverer (`services/webhook.py`, a
thread of its own) marks it delivered or failed afterwards in short transactions of its own.
A repeat after a crash between the receiver's answer and that mark is possible (at least
once), which is why every attempt carries the row's `delivery_id`.

Rows are queued only while the webhook is switched on (`set_enabled`, kept in `app_meta` so
the sync thread and the command-line sync see it within their transaction, without a
setting passed down to them): thousands of history orders are never queued for a webhook the
seller sets up later.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection, Row

from allegro_desktop.storage.database import Database
from allegro_desktop.storage.schema import app_meta, webhook_outbox
from allegro_desktop.storage.times import from_ms, from_ms_or_none, to_ms

__all__ = ["ENABLED_KEY", "ORDER_CREATED", "OutboxEntry", "OutboxState", "WebhookOutbox",
           "enqueue"]

log = logging.getLogger("allegro_desktop.storage")

#: The `app_meta` key that switches queueing on ("1").
ENABLED_KEY: Final = "webhook_outbox_enabled"
#: The one event the webhook sends so far.
ORDER_CREATED: Final = "order.created"


class OutboxState(enum.StrEnum):
    PENDING = "pending"  # to be sent at `next_attempt_at`
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # given up: refused (4xx), or still failing after the retry period


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued delivery and what happened to it so far."""

    seq: int
    delivery_id: str
    account_key: str
    order_id: str
    event: str
    state: OutboxState
    created_at: datetime
    next_attempt_at: datetime
    attempts: int
    last_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    finished_at: datetime | None


def enqueue(connection: Connection, account_key: str, order_ids: Sequence[str], now: int,
            event: str = ORDER_CREATED) -> int:
    """Queue `event` for these orders in the caller's transaction, if the webhook is on;
    an order already queued for it is left as it is. Returns the rows added."""
    if not order_ids:
        return 0
    if connection.scalar(select(app_meta.c.value).where(app_meta.c.key == ENABLED_KEY)) != "1":
        return 0
    rows = [{"delivery_id": str(uuid.uuid4()), "account_key": account_key,
             "order_id": order_id, "event": event, "state": str(OutboxState.PENDING),
             "created_at": now, "next_attempt_at": now, "attempts": 0}
            for order_id in dict.fromkeys(order_ids)]
    result = connection.execute(insert(webhook_outbox).on_conflict_do_nothing(
        index_elements=[webhook_outbox.c.account_key, webhook_outbox.c.order_id,
                        webhook_outbox.c.event]), rows)
    added = max(int(result.rowcount), 0)
    log.debug("queued %d webhook deliveries for %s", added, account_key)
    return added


def _entry(row: Row[Any]) -> OutboxEntry:
    values: Any = row._mapping
    return OutboxEntry(
        seq=int(values["seq"]), delivery_id=str(values["delivery_id"]),
        account_key=str(values["account_key"]), order_id=str(values["order_id"]),
        event=str(values["event"]), state=OutboxState(str(values["state"])),
        created_at=from_ms(int(values["created_at"])),
        next_attempt_at=from_ms(int(values["next_attempt_at"])),
        attempts=int(values["attempts"]),
        last_attempt_at=from_ms_or_none(values["last_attempt_at"]),
        last_status=values["last_status"], last_error=values["last_error"],
        finished_at=from_ms_or_none(values["finished_at"]))


class WebhookOutbox:
    """Reads and short writes of the outbox, from any thread (each call its own pooled
    connection; a write is one small transaction, so the sync thread — the main writer —
    never waits on it for more than a few milliseconds)."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    # -- the switch ---------------------------------------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        """Queue new orders from now on (True), or stop queueing (False: rows already queued
        stay, and are sent when the webhook is on again and they are not too old)."""
        with self._db.write() as connection:
            if enabled:
                statement = insert(app_meta).values(key=ENABLED_KEY, value="1")
                connection.execute(statement.on_conflict_do_update(
                    index_elements=[app_meta.c.key], set_={"value": "1"}))
            else:
                connection.execute(delete(app_meta).where(app_meta.c.key == ENABLED_KEY))

    def enabled(self) -> bool:
        with self._db.read() as connection:
            return connection.scalar(
                select(app_meta.c.value).where(app_meta.c.key == ENABLED_KEY)) == "1"

    # -- the deliverer's reads ------------------------------------------------------------------

    def due(self, now: datetime, *, limit: int = 20) -> list[OutboxEntry]:
        """Pending deliveries due at `now`, longest due first."""
        statement = (select(webhook_outbox)
                     .where(webhook_outbox.c.state == str(OutboxState.PENDING),
                            webhook_outbox.c.next_attempt_at <= to_ms(now))
                     .order_by(webhook_outbox.c.next_attempt_at, webhook_outbox.c.seq)
                     .limit(limit))
        with self._db.read() as connection:
            return [_entry(row) for row in connection.execute(statement)]

    def next_due_at(self) -> datetime | None:
        """When the next pending delivery is due (None: nothing pending)."""
        with self._db.read() as connection:
            value = connection.scalar(
                select(func.min(webhook_outbox.c.next_attempt_at))
                .where(webhook_outbox.c.state == str(OutboxState.PENDING)))
        return from_ms_or_none(value)

    def entries(self, *, limit: int = 100) -> list[OutboxEntry]:
        """The latest deliveries, newest first (diagnostics)."""
        statement = select(webhook_outbox).order_by(webhook_outbox.c.seq.desc()).limit(limit)
        with self._db.read() as connection:
            return [_entry(row) for row in connection.execute(statement)]

    def counts(self) -> dict[OutboxState, int]:
        """Deliveries per state."""
        counts = dict.fromkeys(OutboxState, 0)
        with self._db.read() as connection:
            for state, number in connection.execute(
                    select(webhook_outbox.c.state, func.count())
                    .group_by(webhook_outbox.c.state)):
                counts[OutboxState(state)] = int(number)
        return counts

    # -- the deliverer's writes -----------------------------------------------------------------

    def mark_delivered(self, seq: int, *, now: datetime, status: int) -> None:
        self._finish(seq, OutboxState.DELIVERED, now=now, status=status, error=None)

    def mark_failed(self, seq: int, *, now: datetime, status: int | None, error: str) -> None:
        self._finish(seq, OutboxState.FAILED, now=now, status=status, error=error)

    def reschedule(self, seq: int, *, now: datetime, next_attempt_at: datetime,
                   status: int | None, error: str) -> None:
        """An attempt failed in a way worth trying again at `next_attempt_at`."""
        with self._db.write() as connection:
            connection.execute(
                update(webhook_outbox)
                .where(webhook_outbox.c.seq == seq,
                       webhook_outbox.c.state == str(OutboxState.PENDING))
                .values(attempts=webhook_outbox.c.attempts + 1, last_attempt_at=to_ms(now),
                        last_status=status, last_error=error[:2000],
                        next_attempt_at=to_ms(next_attempt_at)))

    def _finish(self, seq: int, state: OutboxState, *, now: datetime, status: int | None,
                error: str | None) -> None:
        with self._db.write() as connection:
            connection.execute(
                update(webhook_outbox)
                .where(webhook_outbox.c.seq == seq,
                       webhook_outbox.c.state == str(OutboxState.PENDING))
                .values(state=str(state), attempts=webhook_outbox.c.attempts + 1,
                        last_attempt_at=to_ms(now), last_status=status,
                        last_error=None if error is None else error[:2000],
                        finished_at=to_ms(now)))

    def prune(self, finished_before: datetime) -> int:
        """Forget delivered and failed rows finished before this moment; returns how many."""
        with self._db.write() as connection:
            result = connection.execute(
                delete(webhook_outbox).where(
                    webhook_outbox.c.state != str(OutboxState.PENDING),
                    webhook_outbox.c.finished_at < to_ms(finished_before)))
        return int(result.rowcount)
