"""`OrderActionQueue`: the durable queue of the seller's actions on orders (table
`order_actions`, docs/ORDER-ACTIONS.md).

An action is written here before anything is sent — in one short transaction that also checks
it against the order as stored (`domain.order_actions.status_refusal`) — so the order table
shows it at once (`marks`) and a restart or a kill never loses it. The sender
(`sync/actions.py`) walks each order's actions in `sequence` order and records every step:
`mark_sending` before a request goes out, then `mark_sent`, `mark_failed` or `reschedule`.
An invoice's PDF is copied into `order_action_files` with its action (one transaction) and
deleted once the action is sent or discarded; Allegro's id of the invoice, once created, is
noted in the payload (`note_invoice_id`) before its file is sent.
Every write is one small transaction (`BEGIN IMMEDIATE`, milliseconds), like the webhook's
outbox: safe from any thread beside the sync thread.

A status change sent stays the order's shown status (`ActionMark.pending_status`) until the
journal confirms it: the sync stored a FULFILLMENT_STATUS_CHANGED event of the order after it
was sent (`order_events.seq` > `sent_event_seq`), or the stored status is the target. So a
sync that has not seen the change yet never makes the table jump back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import and_, bindparam, delete, exists, func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection, Row

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.order_actions import (
    ActionKind,
    ActionMark,
    ActionState,
    InvoiceAttachment,
    OrderAction,
    StatusChange,
    TrackingNumber,
    status_refusal,
)
from allegro_desktop.domain.orders import EventType, FulfillmentStatus
from allegro_desktop.storage.chunks import in_chunks
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.schema import (
    order_action_files,
    order_actions,
    order_events,
    orders,
)
from allegro_desktop.storage.times import from_ms, to_ms

__all__ = [
    "OrderActionQueue",
    "OrderFacts",
    "Queued",
    "action_marks",
    "orders_with_actions",
    "pending_status_condition",
    "read_error",
    "stored_error",
]

log = logging.getLogger("allegro_desktop.storage")

_UNFINISHED = [str(s) for s in ActionState if s.unfinished]
_ON_THE_WAY = [str(ActionState.WAITING), str(ActionState.SENDING)]

# The statements the sender runs for every action, built once: building a statement cost
# more of its CPU than SQLite's work, on the thread whose hold on Python's lock the window
# waits for while a bulk run is sent (docs/PERFORMANCE.md, "The window during a bulk change").
_MARK_SENDING: Final = (
    update(order_actions)
    .where(order_actions.c.id == bindparam("action_id"),
           order_actions.c.state.in_(_ON_THE_WAY))
    .values(state=str(ActionState.SENDING), attempts=order_actions.c.attempts + 1,
            updated_at=bindparam("now_ms")))
_LAST_EVENT: Final = select(func.max(order_events.c.seq))
_MARK_SENT: Final = (
    update(order_actions).where(order_actions.c.id == bindparam("action_id"))
    .values(state=str(ActionState.SENT), last_error=None, updated_at=bindparam("now_ms"),
            sent_event_seq=bindparam("event_seq")))
_DROP_FILE: Final = delete(order_action_files).where(
    order_action_files.c.action_id == bindparam("action_id"))
_FACTS: Final = (
    select(orders.c.id, orders.c.account_key, orders.c.status, orders.c.fulfillment_status,
           orders.c.revision, orders.c.invoice_required)
    .where(orders.c.id.in_(bindparam("ids", expanding=True)), orders.c.gone.is_(False)))
_FSC = str(EventType.FULFILLMENT_STATUS_CHANGED)


@dataclass(frozen=True, slots=True)
class Queued:
    """What became of one order's request: the action queued, or why it was not."""

    order_id: str
    action: OrderAction | None = None
    refusal: Text | None = None


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the queue and the sender need of a stored order."""

    order_id: str
    account_key: str
    status: str
    fulfillment_status: str | None
    revision: str | None
    invoice_required: bool = False


def stored_error(error: Text | str) -> str:
    """A reason as the `last_error` column keeps it (a `Text` as JSON)."""
    if isinstance(error, Text):
        return json.dumps(error.stored(), ensure_ascii=False, separators=(",", ":"))
    return error[:2000]


def read_error(stored: str | None) -> Text | str | None:
    """The reason `stored_error` wrote (a plain string when it is not a stored `Text`)."""
    if stored is None or not stored.startswith("["):
        return stored
    try:
        text = Text.from_stored(json.loads(stored))
    except (ValueError, RecursionError):
        return stored
    return text if text is not None else stored


def _action(row: Row[Any]) -> OrderAction:
    values: Any = row._mapping
    kind = str(values["kind"])
    try:
        payload = json.loads(values["payload"])
    except ValueError:
        payload = {}
    return OrderAction(
        id=int(values["id"]), account_key=str(values["account_key"]),
        order_id=str(values["order_id"]), sequence=int(values["sequence"]),
        kind=ActionKind(kind) if kind in set(ActionKind) else kind,
        payload=payload if isinstance(payload, dict) else {},
        state=ActionState(str(values["state"])), attempts=int(values["attempts"]),
        last_error=read_error(values["last_error"]), revision_seen=values["revision_seen"],
        created_at=from_ms(int(values["created_at"])),
        updated_at=from_ms(int(values["updated_at"])),
        next_attempt_at=from_ms(int(values["next_attempt_at"])))


class OrderActionQueue:
    """Reads and short writes of the action queue, from any thread (see the module)."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    # -- queueing -------------------------------------------------------------------------------

    def queue_status(self, order_ids: Sequence[str], target: str) -> list[Queued]:
        """Queue a change of each order's fulfillment status to `target`, in one transaction;
        an order the change does not fit (`status_refusal`, or not stored) gets its refusal
        instead. The status the seller sees — Allegro's, or the target of an earlier action
        still on its way — is the change's `base`. Asked again for the status an action is
        already giving the order, the result is that action (a command run again waits for
        it instead of failing)."""
        now = to_ms(self._db.clock())
        results: list[Queued] = []
        with self._db.write() as connection:
            facts = _facts(connection, order_ids)
            shown = _pending_statuses(connection, list(facts))
            for order_id in dict.fromkeys(order_ids):
                fact = facts.get(order_id)
                if fact is None:
                    results.append(Queued(order_id, refusal=_not_stored(order_id)))
                    continue
                current = shown.get(order_id, fact.fulfillment_status)
                refusal = status_refusal(fact.status, current, target)
                under_way = (_pending_action(connection, order_id)
                             if order_id in shown and current == target else None)
                if under_way is not None:  # asked again: that very action
                    results.append(Queued(order_id, action=under_way))
                    continue
                if refusal is not None:
                    results.append(Queued(order_id, refusal=refusal))
                    continue
                change = StatusChange(target=target, base=current)
                results.append(Queued(order_id, action=_insert(
                    connection, fact, ActionKind.FULFILLMENT_STATUS, change.to_json(), now)))
        return results

    def queue_tracking(self, order_id: str, tracking: TrackingNumber, *,
                       mark_sent: bool = False) -> list[Queued]:
        """Queue a tracking number for the order and, with `mark_sent`, then the status SENT
        (left out, without a refusal, when the order has or is being given that status). The
        same number with the same carrier queued before (not discarded) is that action, not a
        second one: the same request made again never adds the number twice."""
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            fact = _facts(connection, [order_id]).get(order_id)
            if fact is None:
                return [Queued(order_id, refusal=_not_stored(order_id))]
            same = _same_tracking(connection, order_id, tracking)
            results = [Queued(order_id, action=same or _insert(
                connection, fact, ActionKind.TRACKING_NUMBER, tracking.to_json(), now))]
            if mark_sent:
                current = _pending_statuses(connection, [order_id]).get(
                    order_id, fact.fulfillment_status)
                sent = str(FulfillmentStatus.SENT)
                refusal = status_refusal(fact.status, current, sent)
                if refusal is not None and current != sent:
                    results.append(Queued(order_id, refusal=refusal))
                elif refusal is None:
                    change = StatusChange(target=sent, base=current)
                    results.append(Queued(order_id, action=_insert(
                        connection, fact, ActionKind.FULFILLMENT_STATUS, change.to_json(),
                        now)))
        return results

    def queue_invoice(self, order_id: str, invoice: InvoiceAttachment,
                      data: bytes) -> list[Queued]:
        """Queue attaching an invoice, its PDF (`data`) kept with the action; refused when the
        buyer did not ask for an invoice. The same file under the same name and number
        queued before (not discarded) is that action, not a second one: attaching it again
        never makes a second invoice. The file's checks (a PDF, not empty, not too large) are
        the caller's (`services.order_actions`)."""
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            fact = _facts(connection, [order_id]).get(order_id)
            if fact is None:
                return [Queued(order_id, refusal=_not_stored(order_id))]
            if not fact.invoice_required:
                return [Queued(order_id, refusal=Text(QT_TRANSLATE_NOOP(
                    "Errors", "The buyer did not ask for an invoice for this order.")))]
            same = _same_invoice(connection, order_id, invoice)
            if same is not None:
                return [Queued(order_id, action=same)]
            action = _insert(connection, fact, ActionKind.INVOICE, invoice.to_json(), now)
            connection.execute(order_action_files.insert().values(action_id=action.id,
                                                                   data=data))
        return [Queued(order_id, action=action)]

    # -- the seller's hand ----------------------------------------------------------------------

    def retry(self, action_id: int) -> bool:
        """A failed action waits to be sent again, now. False when it is not failed."""
        return self._move(action_id, [str(ActionState.FAILED)], ActionState.WAITING)

    def discard(self, action_id: int) -> bool:
        """Drop a failed or waiting action (the order's later ones then go on). False when it
        is neither (one being sent cannot be taken back)."""
        return self._move(action_id, [str(ActionState.FAILED), str(ActionState.WAITING)],
                          ActionState.DISCARDED)

    def _move(self, action_id: int, states: list[str], to: ActionState) -> bool:
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            result = connection.execute(
                update(order_actions)
                .where(order_actions.c.id == action_id, order_actions.c.state.in_(states))
                .values(state=str(to), updated_at=now, next_attempt_at=now))
            if result.rowcount and to is ActionState.DISCARDED:
                _drop_file(connection, action_id)
        return bool(result.rowcount)

    # -- the sender's steps ---------------------------------------------------------------------

    def mark_sending(self, action_id: int) -> bool:
        """Written before the request goes out: found so later, the action is looked up on
        Allegro before it is sent again. False when the action is no longer the sender's (the
        seller discarded it since it was read): then it must not be sent."""
        with self._db.write() as connection:
            result = connection.execute(_MARK_SENDING, {
                "action_id": action_id, "now_ms": to_ms(self._db.clock())})
        return bool(result.rowcount)

    def mark_sent(self, action_id: int) -> None:
        """Allegro took it. The journal's last event is noted: a later status-change event of
        the order confirms it (see the module)."""
        with self._db.write() as connection:
            last_event = connection.scalar(_LAST_EVENT)
            connection.execute(_MARK_SENT, {
                "action_id": action_id, "now_ms": to_ms(self._db.clock()),
                "event_seq": last_event or 0})
            _drop_file(connection, action_id)  # an invoice's PDF: Allegro has it now

    def note_invoice_id(self, action_id: int, invoice_id: str) -> None:
        """Allegro created the action's invoice (`invoice_id`): only its file is left to send,
        to that invoice."""
        with self._db.write() as connection:
            connection.execute(
                update(order_actions).where(order_actions.c.id == action_id)
                .values(payload=func.json_set(order_actions.c.payload, "$.invoice_id",
                                              invoice_id),
                        updated_at=to_ms(self._db.clock())))

    def file_of(self, action_id: int) -> bytes | None:
        """The file the action carries (an invoice's PDF); None when there is none (sent,
        discarded)."""
        with self._db.read() as connection:
            data = connection.scalar(select(order_action_files.c.data)
                                     .where(order_action_files.c.action_id == action_id))
        return None if data is None else bytes(data)

    def mark_failed(self, action_id: int, reason: Text | str) -> None:
        self._set(action_id, state=ActionState.FAILED, last_error=stored_error(reason))

    def reschedule(self, action_id: int, *, state: ActionState, at: datetime,
                   reason: Text | str) -> None:
        """Not sent for now (offline, Allegro's trouble, a rate limit): tried again at `at`;
        `state` SENDING when the outcome of a request is not known (looked up first then)."""
        self._set(action_id, state=state, next_attempt_at=to_ms(at),
                  last_error=stored_error(reason))

    def _set(self, action_id: int, **values: Any) -> None:
        values["state"] = str(values["state"])
        with self._db.write() as connection:
            connection.execute(update(order_actions).where(order_actions.c.id == action_id)
                               .values(updated_at=to_ms(self._db.clock()), **values))

    # -- reads ----------------------------------------------------------------------------------

    def get(self, action_id: int) -> OrderAction | None:
        with self._db.read() as connection:
            row = connection.execute(
                select(order_actions).where(order_actions.c.id == action_id)).first()
        return None if row is None else _action(row)

    def for_order(self, order_id: str) -> list[OrderAction]:
        """Every action of the order, in sending order (the details panel's history)."""
        with self._db.read() as connection:
            return [_action(row) for row in connection.execute(
                select(order_actions).where(order_actions.c.order_id == order_id)
                .order_by(order_actions.c.sequence))]

    def unfinished(self, account_key: str | None = None) -> list[OrderAction]:
        """The actions still waiting, being sent or failed, by order and sequence."""
        statement = (select(order_actions).where(order_actions.c.state.in_(_UNFINISHED))
                     .order_by(order_actions.c.order_id, order_actions.c.sequence))
        if account_key is not None:
            statement = statement.where(order_actions.c.account_key == account_key)
        with self._db.read() as connection:
            return [_action(row) for row in connection.execute(statement)]

    def has_unfinished(self, account_key: str) -> bool:
        """Whether the account has an action waiting, being sent or failed (one row read,
        not every action built)."""
        with self._db.read() as connection:
            return connection.scalar(
                select(order_actions.c.id).where(order_actions.c.state.in_(_UNFINISHED),
                                                 order_actions.c.account_key == account_key)
                .limit(1)) is not None

    def failed(self, account_key: str | None = None) -> list[OrderAction]:
        return [a for a in self.unfinished(account_key) if a.state is ActionState.FAILED]

    def accounts_with_work(self) -> list[str]:
        """The accounts with actions waiting or being sent."""
        with self._db.read() as connection:
            return sorted(str(key) for key in connection.scalars(
                select(order_actions.c.account_key)
                .where(order_actions.c.state.in_(_ON_THE_WAY)).distinct()))

    def next_due_at(self, account_key: str | None = None) -> datetime | None:
        """When the earliest action on its way is due (None: nothing waits). An action behind
        a failed one of its order counts too: it is not due, but it waits."""
        statement = (select(func.min(order_actions.c.next_attempt_at))
                     .where(order_actions.c.state.in_(_ON_THE_WAY)))
        if account_key is not None:
            statement = statement.where(order_actions.c.account_key == account_key)
        with self._db.read() as connection:
            value = connection.scalar(statement)
        return None if value is None else from_ms(int(value))

    def order_facts(self, order_ids: Sequence[str]) -> dict[str, OrderFacts]:
        with self._db.read() as connection:
            return _facts(connection, order_ids)

    def marks(self, order_ids: Iterable[str]) -> dict[str, ActionMark]:
        """What the order table shows of these orders' actions (`action_marks`)."""
        with self._db.read() as connection:
            return action_marks(connection, order_ids)


# -- in a transaction ------------------------------------------------------------------------


def _not_stored(order_id: str) -> Text:
    return Text(QT_TRANSLATE_NOOP("Errors", "Order %1 is not in the local database: sync "
                                  "first."), order_id)


def _facts(connection: Connection, order_ids: Sequence[str]) -> dict[str, OrderFacts]:
    found: dict[str, OrderFacts] = {}
    for piece in in_chunks(list(dict.fromkeys(order_ids))):
        for row in connection.execute(_FACTS, {"ids": piece}):
            found[row.id] = OrderFacts(order_id=row.id, account_key=row.account_key,
                                       status=row.status,
                                       fulfillment_status=row.fulfillment_status,
                                       revision=row.revision,
                                       invoice_required=bool(row.invoice_required))
    return found


def pending_status_condition() -> Any:
    """SQL: the action (a row of `order_actions`) is a status change the order is being
    given — on its way, or sent and not yet confirmed by the journal or the stored order."""
    confirmed = exists(select(order_events.c.seq).where(
        order_events.c.checkout_form_id == order_actions.c.order_id,
        order_events.c.type == _FSC,
        order_events.c.seq > func.coalesce(order_actions.c.sent_event_seq, 0)))
    target = func.json_extract(order_actions.c.payload, "$.target")
    stored = select(orders.c.fulfillment_status).where(
        orders.c.id == order_actions.c.order_id).scalar_subquery()
    return and_(order_actions.c.kind == str(ActionKind.FULFILLMENT_STATUS),
                (order_actions.c.state.in_(_ON_THE_WAY))
                | and_(order_actions.c.state == str(ActionState.SENT), ~confirmed,
                       func.coalesce(stored, "") != target))


def _pending_statuses(connection: Connection, order_ids: Sequence[str]) -> dict[str, str]:
    """The fulfillment status each order is being given (its latest such status change)."""
    found: dict[str, str] = {}
    for piece in in_chunks(list(order_ids)):
        for order_id, payload in connection.execute(
                select(order_actions.c.order_id, order_actions.c.payload)
                .where(order_actions.c.order_id.in_(piece), pending_status_condition())
                .order_by(order_actions.c.order_id, order_actions.c.sequence)):
            try:
                found[order_id] = str(json.loads(payload)["target"])
            except (ValueError, KeyError, TypeError):
                log.warning("order action of %s has an unreadable payload", order_id)
    return found


def _live_actions(connection: Connection, order_id: str,
                  kind: ActionKind) -> Iterator[OrderAction]:
    """The order's actions of `kind` not discarded, in their sending order."""
    for row in connection.execute(
            select(order_actions).where(
                order_actions.c.order_id == order_id,
                order_actions.c.kind == str(kind),
                order_actions.c.state != str(ActionState.DISCARDED))
            .order_by(order_actions.c.sequence)):
        yield _action(row)


def _same_tracking(connection: Connection, order_id: str,
                   tracking: TrackingNumber) -> OrderAction | None:
    for action in _live_actions(connection, order_id, ActionKind.TRACKING_NUMBER):
        held = action.tracking_number
        if held is not None and (held.carrier_id, held.waybill) == (tracking.carrier_id,
                                                                    tracking.waybill):
            return action
    return None


def _same_invoice(connection: Connection, order_id: str,
                  invoice: InvoiceAttachment) -> OrderAction | None:
    for action in _live_actions(connection, order_id, ActionKind.INVOICE):
        try:
            held = action.invoice
        except (KeyError, TypeError, ValueError):
            continue  # an unreadable payload is nobody's twin
        if held is not None and (held.sha256, held.file_name, held.invoice_number) == (
                invoice.sha256, invoice.file_name, invoice.invoice_number):
            return action
    return None


def _drop_file(connection: Connection, action_id: int) -> None:
    connection.execute(_DROP_FILE, {"action_id": action_id})


def _pending_action(connection: Connection, order_id: str) -> OrderAction | None:
    """The order's latest status change it is being given (see `pending_status_condition`)."""
    row = connection.execute(
        select(order_actions).where(order_actions.c.order_id == order_id,
                                    pending_status_condition())
        .order_by(order_actions.c.sequence.desc()).limit(1)).first()
    return None if row is None else _action(row)


def _insert(connection: Connection, fact: OrderFacts, kind: ActionKind,
            payload: dict[str, Any], now: int) -> OrderAction:
    sequence = int(connection.scalar(
        select(func.coalesce(func.max(order_actions.c.sequence), 0))
        .where(order_actions.c.order_id == fact.order_id)) or 0) + 1
    row = connection.execute(insert(order_actions).values(
        account_key=fact.account_key, order_id=fact.order_id, sequence=sequence,
        kind=str(kind), payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        state=str(ActionState.WAITING), attempts=0, revision_seen=fact.revision,
        created_at=now, updated_at=now, next_attempt_at=now).returning(order_actions)).one()
    return _action(row)


def action_marks(connection: Connection, order_ids: Iterable[str]) -> dict[str, ActionMark]:
    """What the order table shows of these orders' actions (orders without any are left
    out): see `ActionMark` and the module."""
    wanted = list(dict.fromkeys(order_ids))
    if not wanted or connection.scalar(select(order_actions.c.id).limit(1)) is None:
        return {}  # no action at all (most shops, most of the time): one probe
    counts: dict[str, list[int]] = {}
    for piece in in_chunks(wanted):
        for order_id, state, number in connection.execute(
                select(order_actions.c.order_id, order_actions.c.state, func.count())
                .where(order_actions.c.order_id.in_(piece),
                       order_actions.c.state.in_(_UNFINISHED))
                .group_by(order_actions.c.order_id, order_actions.c.state)):
            pair = counts.setdefault(order_id, [0, 0])
            pair[1 if state == ActionState.FAILED else 0] += number
    pending = _pending_statuses(connection, wanted)
    marks: dict[str, ActionMark] = {}
    for order_id in wanted:
        waiting, failed = counts.get(order_id, (0, 0))
        status = pending.get(order_id)
        if waiting or failed or status is not None:
            marks[order_id] = ActionMark(pending_status=status, waiting=waiting, failed=failed)
    return marks


def orders_with_actions(states: Iterable[ActionState]) -> Any:
    """SQL: the ids of the orders with an action in one of `states` (WAITING includes the
    ones being sent) — the order list's filter."""
    wanted = {str(state) for state in states}
    if str(ActionState.WAITING) in wanted:
        wanted.add(str(ActionState.SENDING))
    return select(order_actions.c.order_id).where(order_actions.c.state.in_(sorted(wanted)))
