"""`OrderRepository`: orders, their line items, search index and event journal in SQLite.

The one write, `apply_batch`, is the commit step of the sync (DESIGN.md §4.4): the orders of a
batch, their events, the gone markers and the advanced cursor are written in ONE transaction, so
killing the app at any instant leaves either all of a batch or none of it, and the cursor never
runs ahead of the orders it stands for.

Re-running a sync is cheap and idempotent: an order whose stored checkout form equals the new
one (byte for byte, or as JSON structure) is "unchanged" and not written at all; an event
already in the journal is skipped by its unique (account, event id).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

import orjson
from sqlalchemy import Table, bindparam, delete, func, literal_column, select, text, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from allegro_desktop.domain.orders import LineItem, Order, OrderEvent
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.outbox import enqueue as enqueue_webhooks
from allegro_desktop.storage.schema import (
    FTS_COLUMNS,
    gone_forms,
    line_items,
    order_events,
    order_forms,
    orders,
    orders_fts,
    pending_forms,
    sync_runs,
    sync_state,
    unreadable,
    webhook_outbox,
)
from allegro_desktop.storage.search import fold, fts_values, match_query
from allegro_desktop.storage.times import from_ms, to_ms, to_ms_or_none

__all__ = ["BatchResult", "OrderRepository", "PendingForm", "UnreadableRecord", "dump_json",
           "items_summary"]

log = logging.getLogger("allegro_desktop.storage")

#: Ids per `IN (...)` query: well under SQLite's limit on bound parameters.
_CHUNK: Final = 500

_FTS_DELETE = text(
    "DELETE FROM orders_fts WHERE rowid = (SELECT seq FROM orders WHERE id = :order_id)")
_FTS_INSERT = text(
    f"INSERT INTO orders_fts (rowid, {', '.join(FTS_COLUMNS)}) "
    f"SELECT seq, {', '.join(':' + name for name in FTS_COLUMNS)} FROM orders "
    f"WHERE id = :order_id")
_FORM_UPSERT = text(
    "INSERT INTO order_forms (seq, raw) SELECT seq, :raw FROM orders WHERE id = :order_id "
    "ON CONFLICT (seq) DO UPDATE SET raw = excluded.raw")


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What `apply_batch` did: orders new / changed / identical to the stored copy, events new
    to the journal, checkout forms newly recorded as gone."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events_added: int = 0
    gone_added: int = 0
    new_ids: tuple[str, ...] = ()  # the new orders' ids, in the batch's order
    #: Of them, the ones to announce as new (see `apply_batch`'s `announce_since`).
    announced_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PendingForm:
    """A checkout form to ask for again at the next sync, and why: "failed" (Allegro kept
    answering 5xx or a broken body for it) or "unreadable" (the app cannot read what came)."""

    form_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnreadableRecord:
    """An event or form the app could not read: its raw JSON kept, with the reason."""

    kind: str  # "event" or "form"
    raw: Mapping[str, Any] | Sequence[Any] | str | int | float | bool | None
    error: str
    form_id: str | None = None


def dump_json(value: Mapping[str, Any]) -> str:
    """Compact JSON text of a checkout form or event, keys in the order received.

    The parsed form holds exactly what Allegro's JSON held (amounts are strings; numbers
    round-trip through their shortest repr), so this text is the form as received.
    """
    return orjson.dumps(value, default=_plain).decode()


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _executemany(connection: Connection, statement: ClauseElement,
                 rows: Sequence[Mapping[str, Any]]) -> int:
    """Run a Core statement once per row, handing the rows to the driver as plain tuples.

    Core builds and compiles the statement (once); the rows skip SQLAlchemy's per-row
    parameter processing, which costs as much as SQLite's own work for 10 000 orders (none of
    these columns needs a bind processor: text, integers and bools go to `sqlite3` as they
    are). Returns the driver's row count (the sum over all rows).
    """
    if not rows:
        return 0
    compiled = cast(SQLCompiler, statement.compile(dialect=connection.dialect,
                                                   column_keys=list(rows[0])))
    names = compiled.positiontup
    if names is None:  # pragma: no cover - pysqlite's paramstyle is positional (qmark)
        raise RuntimeError("expected a positional paramstyle")
    result = connection.exec_driver_sql(compiled.string,
                                        [tuple(row[name] for name in names) for row in rows])
    return int(result.rowcount)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building thousands of dicts at once triggers the cyclic GC over and over (it tripled
    the time of `raw_forms`); none of them is cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class _Stored:
    account_key: str
    raw: str
    gone: bool


class OrderRepository:
    """Reads and writes of orders. Writes come from the sync thread only (DESIGN.md §3);
    reads may come from any thread, each call on its own pooled connection."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    # -- writing ------------------------------------------------------------------------------

    def apply_batch(self, *, account_key: str, orders: Sequence[Order],
                    events: Sequence[OrderEvent], cursor: str | None,
                    gone_ids: Sequence[str] = (), pending: Sequence[PendingForm] = (),
                    unreadable_records: Sequence[UnreadableRecord] = (),
                    announce_since: datetime | None = None,
                    run_id: int | None = None) -> BatchResult:
        """Store one batch of the sync in one transaction.

        - `orders`: upserted with their line items and search text; one stored identical to
          the new form is left untouched ("unchanged"). If an id comes twice, the later wins.
          An order that was gone and is fetched again is no longer gone.
        - `events`: appended to the journal; ones already there are ignored.
        - `cursor`: the id of the last event processed; None leaves the stored cursor as it is.
        - `gone_ids`: checkout forms that answered 404 (applied after `orders`): recorded, and
          a stored order with that id is flagged `gone` — and kept, with all its history.
        - `pending`: forms to ask for again next time (see `PendingForm`); a form of `orders`
          or `gone_ids` is no longer pending.
        - `unreadable_records`: kept aside as received (table `unreadable`).
        - `announce_since`: new orders bought at or after this moment are *announced*
          (`BatchResult.announced_ids`: the notifications' new orders) and, while the webhook
          is on, queued in its outbox in this same transaction (`storage/outbox.py`). None
          (a first back-fill's history) announces nothing.
        - `run_id`: the sync run (`SyncStateRepository.start_run`) whose counters of new,
          updated and unchanged orders and events grow by this batch's, in this transaction:
          a run killed midway still shows what it stored.

        Raises a `StorageError` (locked, disk full, …) with nothing written.
        """
        latest: dict[str, Order] = {}
        for order in orders:
            if order.account_key != account_key:
                raise ValueError(f"order {order.id} belongs to {order.account_key!r}, "
                                 f"not {account_key!r}")
            latest[order.id] = order
        now = to_ms(self._db.clock())
        with self._db.write() as connection:
            if cursor is not None:
                _save_cursor(connection, account_key, cursor, now)
            events_added = _append_events(connection, account_key, events, now)
            new_ids, updated, unchanged = self._upsert(connection, account_key, latest, now)
            gone_added = _mark_gone(connection, account_key, gone_ids, now)
            _record_pending(connection, account_key, pending, [*latest, *gone_ids], now)
            _record_unreadable(connection, account_key, unreadable_records, now)
            announced = [] if announce_since is None else [
                order_id for order_id in new_ids
                if latest[order_id].bought_at >= announce_since]
            enqueue_webhooks(connection, account_key, announced, now)
            if run_id is not None:
                counts = sync_runs.c
                connection.execute(update(sync_runs).where(counts.id == run_id).values(
                    new_orders=counts.new_orders + len(new_ids),
                    updated_orders=counts.updated_orders + updated,
                    unchanged_orders=counts.unchanged_orders + unchanged,
                    events=counts.events + len(events)))
        result = BatchResult(new=len(new_ids), updated=updated, unchanged=unchanged,
                             events_added=events_added, gone_added=gone_added,
                             new_ids=tuple(new_ids), announced_ids=tuple(announced))
        log.debug("batch of %s: %s", account_key, result)
        return result

    def _upsert(self, connection: Connection, account_key: str, latest: dict[str, Order],
                now: int) -> tuple[list[str], int, int]:
        stored = _stored(connection, list(latest))
        rows: list[dict[str, Any]] = []
        forms: list[dict[str, str]] = []
        changed: list[str] = []
        unchanged = 0
        for order_id, order in latest.items():
            raw = dump_json(order.raw)
            before = stored.get(order_id)
            if before is not None and _same(before, account_key, raw, order):
                unchanged += 1
                continue
            if before is not None:
                changed.append(order_id)
            rows.append(_order_row(order, now))
            forms.append({"order_id": order_id, "raw": raw})
        if not rows:
            return [], 0, unchanged
        statement = insert(orders)
        columns = [c.name for c in orders.columns if c.name not in ("seq", "first_seen_at")]
        _executemany(connection, statement.on_conflict_do_update(
            index_elements=[orders.c.id],
            set_={name: statement.excluded[name] for name in columns if name != "id"}), rows)
        _executemany(connection, _FORM_UPSERT, forms)
        new_ids = [row["id"] for row in rows if row["id"] not in stored]
        search = {order_id: fts_values(latest[order_id]) for order_id in new_ids + changed}
        items = {order_id: [_item_row(order_id, position, item)
                            for position, item in enumerate(latest[order_id].line_items)]
                 for order_id in new_ids + changed}
        # A changed order usually changed its status, not its items or searchable text:
        # rewrite those only where they differ (an FTS5 delete is costly).
        stale_search = _differing(_stored_search(connection, changed), search, changed)
        stale_items = _differing(_stored_items(connection, changed), items, changed)
        if stale_items:
            _executemany(connection, delete(line_items).where(
                line_items.c.order_id == bindparam("order_id")),
                [{"order_id": order_id} for order_id in stale_items])
        if stale_search:
            _executemany(connection, _FTS_DELETE,
                         [{"order_id": order_id} for order_id in stale_search])
        if new_ids or changed:
            # A form that answered 404 once (a gateway error, a delay) and is stored now is
            # not gone: its later events must be followed again.
            _delete_forms(connection, gone_forms, account_key, new_ids + changed)
        _executemany(connection, insert(line_items),
                     [row for order_id in new_ids + stale_items for row in items[order_id]])
        _executemany(connection, _FTS_INSERT,
                     [search[order_id] for order_id in new_ids + stale_search])
        return new_ids, len(changed), unchanged

    def delete_account_data(self, account_key: str) -> int:
        """Forget an account's orders (with line items and search rows), events, gone forms,
        sync state and run history — when a seller disconnects and chooses to delete local
        orders. Returns the number of orders deleted."""
        with self._db.write() as connection:
            deleted = connection.execute(
                delete(orders).where(orders.c.account_key == account_key)).rowcount
            for table in (order_events, gone_forms, sync_state, sync_runs, pending_forms,
                          unreadable, webhook_outbox):
                connection.execute(delete(table).where(table.c.account_key == account_key))
        log.info("deleted the local data of %s (%d orders)", account_key, deleted)
        return int(deleted)

    # -- reading ------------------------------------------------------------------------------

    def count_orders(self, account_key: str | None = None) -> int:
        statement = select(func.count()).select_from(orders)
        if account_key is not None:
            statement = statement.where(orders.c.account_key == account_key)
        with self._db.read() as connection:
            return int(connection.scalar(statement) or 0)

    def count_events(self, account_key: str | None = None) -> int:
        statement = select(func.count()).select_from(order_events)
        if account_key is not None:
            statement = statement.where(order_events.c.account_key == account_key)
        with self._db.read() as connection:
            return int(connection.scalar(statement) or 0)

    def raw_forms(self, account_key: str | None = None, *,
                  include_gone: bool = True) -> list[dict[str, Any]]:
        """Every stored checkout form as received, newest (`bought_at`) first — what the
        emulator's authoritative dump is compared with. `include_gone=False` leaves out the
        forms Allegro no longer has (merged into another purchase)."""
        statement = (select(order_forms.c.raw)
                     .join_from(orders, order_forms, order_forms.c.seq == orders.c.seq)
                     .order_by(orders.c.bought_at.desc(), orders.c.id.desc()))
        if account_key is not None:
            statement = statement.where(orders.c.account_key == account_key)
        if not include_gone:
            statement = statement.where(orders.c.gone.is_(False))
        with self._db.read() as connection, _gc_paused():
            return [orjson.loads(raw) for raw in connection.scalars(statement)]

    def raw_form(self, order_id: str) -> dict[str, Any] | None:
        with self._db.read() as connection:
            raw = connection.scalar(
                select(order_forms.c.raw)
                .join_from(orders, order_forms, order_forms.c.seq == orders.c.seq)
                .where(orders.c.id == order_id))
        return None if raw is None else dict(orjson.loads(raw))

    def search_ids(self, query: str, *, account_key: str | None = None,
                   limit: int = 1000) -> list[str]:
        """Ids of orders matching what the seller typed (every word, as a prefix; case and
        diacritics ignored) in the order id, buyer login/name/e-mail/phone, city or offer
        titles — newest first."""
        expression = match_query(query)
        if expression is None:
            return []
        statement = (select(orders.c.id)
                     .select_from(orders_fts.join(orders, orders.c.seq == orders_fts.c.rowid))
                     .where(text("orders_fts MATCH :match").bindparams(match=expression))
                     .order_by(orders.c.bought_at.desc(), orders.c.id.desc())
                     .limit(limit))
        if account_key is not None:
            statement = statement.where(orders.c.account_key == account_key)
        with self._db.read() as connection:
            return list(connection.scalars(statement))

    def stored_revisions(self, account_key: str, ids: Sequence[str]) -> dict[str, str | None]:
        """`revision` of the stored, not gone orders among `ids`."""
        found: dict[str, str | None] = {}
        with self._db.read() as connection:
            for chunk in _chunks(ids):
                rows = connection.execute(
                    select(orders.c.id, orders.c.revision).where(
                        orders.c.account_key == account_key, orders.c.gone.is_(False),
                        orders.c.id.in_(chunk)))
                found.update({row.id: row.revision for row in rows})
        return found

    def bought_at_of(self, account_key: str, ids: Sequence[str]) -> dict[str, datetime]:
        """`bought_at` of the stored, not gone orders among `ids`."""
        found: dict[str, datetime] = {}
        with self._db.read() as connection:
            for chunk in _chunks(ids):
                rows = connection.execute(
                    select(orders.c.id, orders.c.bought_at).where(
                        orders.c.account_key == account_key, orders.c.gone.is_(False),
                        orders.c.id.in_(chunk)))
                found.update({row.id: from_ms(row.bought_at) for row in rows})
        return found

    def ids_bought_between(self, account_key: str, start: datetime,
                           end: datetime) -> set[str]:
        """Ids of the stored, not gone orders whose `bought_at` lies in [start, end]."""
        statement = select(orders.c.id).where(
            orders.c.account_key == account_key, orders.c.gone.is_(False),
            orders.c.bought_at >= to_ms(start), orders.c.bought_at <= to_ms(end))
        with self._db.read() as connection:
            return set(connection.scalars(statement))

    def bought_at_times(self, account_key: str, start: datetime, end: datetime) -> list[int]:
        """`bought_at` (ms) of the stored, not gone orders bought in [start, end], ascending:
        what the sync's planner counts with `bisect` (one index scan for many counts)."""
        statement = (select(orders.c.bought_at)
                     .where(orders.c.account_key == account_key, orders.c.gone.is_(False),
                            orders.c.bought_at >= to_ms(start), orders.c.bought_at <= to_ms(end))
                     .order_by(orders.c.bought_at))
        with self._db.read() as connection:
            return list(connection.scalars(statement))

    def pending_form_ids(self, account_key: str) -> list[str]:
        """Forms waiting to be asked for again (see `PendingForm`), longest waiting first."""
        statement = (select(pending_forms.c.checkout_form_id)
                     .where(pending_forms.c.account_key == account_key)
                     .order_by(pending_forms.c.first_seen_at,
                               pending_forms.c.checkout_form_id))
        with self._db.read() as connection:
            return list(connection.scalars(statement))

    def unreadable_records(self, account_key: str | None = None, *,
                           limit: int = 100) -> list[dict[str, Any]]:
        """The latest unreadable events and forms kept aside, newest first."""
        statement = select(unreadable).order_by(unreadable.c.seq.desc()).limit(limit)
        if account_key is not None:
            statement = statement.where(unreadable.c.account_key == account_key)
        with self._db.read() as connection:
            return [dict(row._mapping) for row in connection.execute(statement)]

    def gone_form_ids(self, account_key: str) -> set[str]:
        """Checkout forms recorded as gone (404) for the account."""
        statement = select(gone_forms.c.checkout_form_id).where(
            gone_forms.c.account_key == account_key)
        with self._db.read() as connection:
            return set(connection.scalars(statement))


# -- statements -------------------------------------------------------------------------------


def _stored(connection: Connection, ids: Sequence[str]) -> dict[str, _Stored]:
    found: dict[str, _Stored] = {}
    for chunk in _chunks(ids):
        result = connection.execute(
            select(orders.c.id, orders.c.account_key, order_forms.c.raw, orders.c.gone)
            .join_from(orders, order_forms, order_forms.c.seq == orders.c.seq)
            .where(orders.c.id.in_(chunk)))
        for order_id, account, raw, gone in result:
            found[order_id] = _Stored(account, raw, bool(gone))
    return found


def _stored_search(connection: Connection, ids: Sequence[str]) -> dict[str, Any]:
    """The search rows of stored orders, as `fts_values` returns them."""
    found: dict[str, Any] = {}
    for chunk in _chunks(ids):
        result = connection.execute(
            select(*(orders_fts.c[name] for name in FTS_COLUMNS))
            .select_from(orders_fts.join(orders, orders.c.seq == orders_fts.c.rowid))
            .where(orders.c.id.in_(chunk)))
        for row in result.mappings():
            found[row["order_id"]] = dict(row)
    return found


def _stored_items(connection: Connection, ids: Sequence[str]) -> dict[str, Any]:
    """The line-item rows of stored orders, as `_item_row` returns them, in order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(ids):
        result = connection.execute(select(line_items).where(line_items.c.order_id.in_(chunk))
                                    .order_by(line_items.c.order_id, line_items.c.position))
        for row in result.mappings():
            found.setdefault(row["order_id"], []).append(dict(row))
    return found


def _differing(stored: Mapping[str, Any], wanted: Mapping[str, Any],
               ids: Sequence[str]) -> list[str]:
    return [order_id for order_id in ids if stored.get(order_id) != wanted[order_id]]


def _same(before: _Stored, account_key: str, raw: str, order: Order) -> bool:
    """The stored row already says what `order` says (so writing it would change nothing)."""
    if before.gone or before.account_key != account_key:
        return False
    return before.raw == raw or bool(orjson.loads(before.raw) == order.raw)


def items_summary(items: Iterable[tuple[str, int]]) -> str:
    """The items of an order as one line for the table: "2 × Kubek, Talerz"."""
    return ", ".join(name if quantity == 1 else f"{quantity} × {name}"
                     for name, quantity in items)


def _order_row(order: Order, now: int) -> dict[str, Any]:
    buyer, delivery, payment = order.buyer, order.delivery, order.payment
    items = order.line_items
    return {
        "id": order.id,
        "account_key": order.account_key,
        "status": str(order.status),
        "fulfillment_status": _text(order.fulfillment_status),
        "marketplace_id": order.marketplace_id,
        "buyer_id": buyer.id,
        "buyer_login": buyer.login,
        "buyer_name": buyer.name,
        "buyer_email": buyer.email,
        "buyer_phone": buyer.phone,
        "buyer_company": buyer.company_name,
        "buyer_guest": buyer.guest,
        "delivery_method_id": delivery.method_id,
        "delivery_method_name": delivery.method_name,
        "delivery_cost_minor": delivery.cost.minor if delivery.cost else None,
        "city": delivery.city,
        "zip_code": delivery.zip_code,
        "country_code": delivery.country_code,
        "pickup_point_id": delivery.pickup_point_id,
        "pickup_point_name": delivery.pickup_point_name,
        "payment_type": _text(payment.type),
        "payment_provider": payment.provider,
        "paid_at": to_ms_or_none(payment.finished_at),
        "bought_at": to_ms(order.bought_at),
        "updated_at": to_ms_or_none(order.updated_at),
        "total_minor": order.total.minor,
        "currency": order.total.currency,
        "items_count": len(order.line_items),
        "quantity": order.quantity,
        "revision": order.revision,
        "invoice_required": order.invoice_required,
        "invoice_company": order.invoice_company,
        "invoice_nip": order.invoice_nip,
        "message_to_seller": order.message_to_seller,
        "note": order.note,
        "gone": False,
        "first_seen_at": now,
        "last_synced_at": now,
        "items_summary": items_summary((item.offer_name, item.quantity) for item in items),
        "items_key": fold(items[0].offer_name) if items else "",
        "buyer_key": fold(buyer.name or buyer.company_name or ""),
        "city_key": fold(delivery.city or ""),
    }


def _text(value: str | None) -> str | None:
    return None if value is None else str(value)


def _item_row(order_id: str, position: int, item: LineItem) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "id": item.id,
        "position": position,
        "offer_id": item.offer_id,
        "offer_name": item.offer_name,
        "external_id": item.external_id,
        "quantity": item.quantity,
        "price_minor": item.price.minor,
        "original_price_minor": item.original_price.minor,
        "currency": item.price.currency,
        "bought_at": to_ms_or_none(item.bought_at),
    }


def _save_cursor(connection: Connection, account_key: str, cursor: str, now: int) -> None:
    """Move the cursor. `cursor_saved_at` (when the journal was last read to its end, which
    the 55-day retention check reads) is set only for a new row: a page committed midway must
    not make an old cursor look fresh."""
    statement = insert(sync_state).values(account_key=account_key, event_cursor=cursor,
                                          cursor_saved_at=now)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[sync_state.c.account_key],
        set_={"event_cursor": cursor}))


def _append_events(connection: Connection, account_key: str, events: Iterable[OrderEvent],
                   now: int) -> int:
    rows = {event.id: {
        "account_key": account_key,
        "event_id": event.id,
        "event_seq": event.sequence,
        "type": str(event.type),
        "occurred_at": to_ms(event.occurred_at),
        "checkout_form_id": event.checkout_form_id,
        "revision": event.revision,
        "recorded_at": now,
        "raw": dump_json(event.raw),
    } for event in events}
    return _executemany(connection, insert(order_events).on_conflict_do_nothing(
        index_elements=[order_events.c.account_key, order_events.c.event_id]),
        list(rows.values()))


def _delete_forms(connection: Connection, table: Table, account_key: str,
                  form_ids: Sequence[str]) -> None:
    """Delete the rows of these checkout forms of an account from `table` (gone or pending
    forms): one statement per chunk of ids, not one per id (a page of the first sync deletes
    100 ids that are almost never there)."""
    for chunk in _chunks(list(dict.fromkeys(form_ids))):
        connection.execute(delete(table).where(table.c.account_key == account_key,
                                               table.c.checkout_form_id.in_(chunk)))


def _record_pending(connection: Connection, account_key: str, pending: Sequence[PendingForm],
                    resolved: Sequence[str], now: int) -> None:
    """Add (or count another attempt of) the pending forms; forget the resolved ones."""
    if resolved:
        _delete_forms(connection, pending_forms, account_key, resolved)
    rows = {item.form_id: {"account_key": account_key, "checkout_form_id": item.form_id,
                           "reason": item.reason, "attempts": 1, "first_seen_at": now,
                           "last_tried_at": now} for item in pending}
    if rows:
        statement = insert(pending_forms)
        _executemany(connection, statement.on_conflict_do_update(
            index_elements=[pending_forms.c.account_key, pending_forms.c.checkout_form_id],
            set_={"reason": statement.excluded.reason,
                  "attempts": pending_forms.c.attempts + literal_column("1"),
                  "last_tried_at": statement.excluded.last_tried_at}), list(rows.values()))


def _record_unreadable(connection: Connection, account_key: str,
                       records: Sequence[UnreadableRecord], now: int) -> None:
    """Keep the records; a form kept before is replaced by its latest copy (a pending form
    that stays unreadable is asked for at every sync: one row, not one per sync)."""
    forms = {record.form_id for record in records if record.kind == "form" and record.form_id}
    if forms:
        _executemany(connection, delete(unreadable).where(
            unreadable.c.account_key == bindparam("account_key"),
            unreadable.c.kind == bindparam("kind"),
            unreadable.c.checkout_form_id == bindparam("form_id")),
            [{"account_key": account_key, "kind": "form", "form_id": form_id}
             for form_id in sorted(forms)])
    _executemany(connection, insert(unreadable), [
        {"account_key": account_key, "kind": record.kind, "checkout_form_id": record.form_id,
         "error": record.error[:2000], "raw": orjson.dumps(record.raw, default=_plain).decode(),
         "recorded_at": now} for record in records])


def _mark_gone(connection: Connection, account_key: str, gone_ids: Sequence[str],
               now: int) -> int:
    ids = list(dict.fromkeys(gone_ids))
    if not ids:
        return 0
    added = _executemany(connection, insert(gone_forms).on_conflict_do_nothing(
        index_elements=[gone_forms.c.account_key, gone_forms.c.checkout_form_id]),
        [{"account_key": account_key, "checkout_form_id": form_id, "recorded_at": now}
         for form_id in ids])
    connection.execute(
        update(orders)
        .where(orders.c.account_key == account_key, orders.c.id == bindparam("form_id"),
               orders.c.gone.is_(False))
        .values(gone=True, last_synced_at=now),
        [{"form_id": form_id} for form_id in ids])
    return added
