"""`OrderRepository`, the sync's write side of the order database (the table's read side is
`order_query.py`): orders, their line items, search index and event journal in SQLite. Its
one write, `apply_batch`, is the sync's commit step: a page's orders, events, gone markers and
cursor in ONE transaction (ARCHITECTURE.md "Sync"), idempotent, and a record SQLite refuses
kept aside per record, never costing the batch (ARCHITECTURE.md "The order database").
"""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, Final, TypeVar, cast

import orjson
from sqlalchemy import Table, bindparam, delete, func, literal_column, select, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.orders import EXACT_LIMIT, LineItem, Order, OrderEvent
from allegro_desktop.domain.received import Inexact, received_text
from allegro_desktop.domain.safe_text import storable_text, text_id
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason, read_reason
from allegro_desktop.storage import first_fill
from allegro_desktop.storage.chunks import in_chunks
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import StorageError
from allegro_desktop.storage.outbox import enqueue as enqueue_webhooks
from allegro_desktop.storage.schema import (
    FTS_COLUMNS,
    app_meta,
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

__all__ = ["BatchResult", "KeptAside", "KeptRecord", "OrderRepository", "PendingForm",
           "UnreadableRecord", "dump_json", "items_summary", "kept_text"]

log = logging.getLogger("allegro_desktop.storage")

# Why a record is set aside here (`_set_aside`). Before any "#:" comment: lupdate gives them all
# to the first text after them, as a note for the translator.
_CANNOT_BE_STORED: Final = QT_TRANSLATE_NOOP("Errors", "cannot be stored exactly in the database")

#: The `app_meta` key of the orders the seller was told of before the database was last
#: restored from a backup (`told_before_restore`).
TOLD_BEFORE_RESTORE_KEY: Final = "told_before_restore"

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
    #: Orders and events the storage could not keep exactly: kept aside in `unreadable` (the
    #: orders' forms pending) instead of failing the batch (ARCHITECTURE.md "The order database").
    set_aside: int = 0


@dataclass(frozen=True, slots=True)
class PendingForm:
    """A checkout form to ask for again at the next sync, and why: "failed" (Allegro kept
    answering 5xx or a broken body for it) or "unreadable" (the app cannot read what came)."""

    form_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnreadableRecord:
    """An event or form the app could not read: its raw JSON kept, with the reason."""

    reason: UnreadableReason
    raw: Mapping[str, Any] | Sequence[Any] | str | int | float | bool | None
    form_id: str | None = None

    @property
    def kind(self) -> str:
        """"event" or "form"."""
        return self.reason.kind.value


@dataclass(frozen=True, slots=True)
class KeptRecord:
    """One record kept aside, as Diagnostics shows it (`OrderRepository.kept_aside`): its
    `reason`, or for a row an earlier version wrote, the English line it holds."""

    account_key: str
    kind: str  # "event" or "form"
    form_id: str | None
    reason: UnreadableReason | str
    raw: str
    recorded_at: datetime

    @property
    def error(self) -> str:
        """The reason's English line (the log, the command line, the report)."""
        return str(self.reason)

    @property
    def text(self) -> Text | str:
        """The reason as the window shows it, translated (an earlier version's row: as it
        is)."""
        return self.reason.text if isinstance(self.reason, UnreadableReason) else self.reason


@dataclass(frozen=True, slots=True)
class KeptAside:
    """What one account has kept aside: its unreadable records, its forms waiting to be asked
    for again (unreadable or failing), and the latest records, newest first."""

    account_key: str
    records: int
    pending: int
    latest: tuple[KeptRecord, ...]


def dump_json(value: Mapping[str, Any]) -> str:
    """Compact JSON text of a checkout form or event, keys in the order received.

    The parsed form holds exactly what Allegro's JSON held (amounts are strings; numbers
    round-trip through their shortest repr), so this text is the form as received. Raises
    `TypeError` for what orjson cannot write (see `kept_text` for records kept aside).
    """
    return orjson.dumps(value, default=_plain).decode()


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def kept_text(raw: object) -> str:
    """The text kept for a record set aside: exactly as received when the exact reading of
    `api/exact_json.py` kept it (`received_text`), else its compact JSON, else — when orjson
    cannot write it — the standard library's JSON of it (surrogates escaped). Bytes that were
    not UTF-8 show as `\\xff`, lone surrogates as `\\ud800`: SQLite stores only UTF-8 text."""
    found = received_text(raw)
    if found is None:
        try:
            found = orjson.dumps(raw, default=_plain).decode()
        except TypeError:
            try:
                found = json.dumps(raw, default=_inexact_text)
            except (TypeError, ValueError, RecursionError) as exc:
                found = f"(this {type(raw).__name__} cannot be written as JSON: {exc})"
    return storable_text(found)


def _inexact_text(value: object) -> object:
    if isinstance(value, Inexact):
        return value.text
    return _plain(value)


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
    if len(names) == 1:
        only = names[0]
        values = [(row[only],) for row in rows]
    else:
        values = list(map(itemgetter(*names), rows))  # a tuple a row, at C speed
    result = connection.exec_driver_sql(compiled.string, values)
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


@dataclass(frozen=True, slots=True)
class _OrderRows:
    """An order turned into its rows, checked (`_order_rows`)."""

    row: dict[str, Any]
    items: list[dict[str, Any]]
    search: dict[str, str]


class _UnstorableError(Exception):
    """A record the database cannot keep exactly; the message says why."""


@dataclass(slots=True)
class _Batch:
    """What `apply_batch` writes, prepared before its transaction: each order with its JSON
    text, each event with its row, and the records already set aside."""

    account_key: str
    latest: dict[str, Order]
    cursor: str | None
    gone_ids: Sequence[str]
    pending: Sequence[PendingForm]
    unreadable_records: Sequence[UnreadableRecord]
    announce_since: datetime | None
    told: frozenset[str]  # never announced (`apply_batch`)
    now: int
    run_id: int | None  # the sync run whose counts the batch adds to (`apply_batch`)
    events_read: int
    backfill_progress: str | None
    unchanged_ids: Sequence[str]
    raws: dict[str, tuple[Order, str]] = field(default_factory=dict)
    event_rows: list[tuple[OrderEvent, dict[str, Any]]] = field(default_factory=list)
    aside: list[UnreadableRecord] = field(default_factory=list)


_Record = TypeVar("_Record", Order, OrderEvent)
_T = TypeVar("_T")


def _raw_text(order: Order) -> str:
    """The order's form as stored, or `_UnstorableError` when orjson cannot write it."""
    try:
        return dump_json(order.raw)
    except TypeError as exc:
        raise _UnstorableError(f"its JSON cannot be stored exactly ({exc})") from None


def _order_rows(order: Order, now: int) -> _OrderRows:
    """The rows of `order`, or `_UnstorableError` when one of them cannot be stored exactly:
    what SQLite would take but not keep exactly (an integer past `EXACT_LIMIT`, which it
    stores but cannot sum, show or export exactly; a line item repeated, which would replace
    its twin). What SQLite itself refuses (a lone surrogate, an integer past 64 bits) is found
    by the SAVEPOINT of `_isolated`. Only for an order to be written: an unchanged one costs
    nothing more than its JSON."""
    try:
        row = _order_row(order, now)
        items = [_item_row(order.id, position, item)
                 for position, item in enumerate(order.line_items)]
        search = fts_values(order)
    except (ValueError, OverflowError) as exc:
        raise _UnstorableError(str(exc)) from None
    _check_integers("", row, _ORDER_INTEGERS)
    ids: set[str] = set()
    for position, item in enumerate(items):
        _check_integers(f"line item {position}: ", item, _ITEM_INTEGERS)
        if item["id"] in ids:
            raise _UnstorableError(f"line item {position}: its id {item['id']!r} repeats")
        ids.add(item["id"])
        if abs(item["price_minor"]) * item["quantity"] >= EXACT_LIMIT:
            raise _UnstorableError(f"line item {position}: price × quantity is too large")
    return _OrderRows(row, items, search)


#: The integer columns of an order's and a line item's rows (times included: years 1-9999
#: are well within the limit).
_ORDER_INTEGERS: Final = ("total_minor", "delivery_cost_minor", "quantity", "items_count",
                          "paid_at", "bought_at", "updated_at")
_ITEM_INTEGERS: Final = ("quantity", "price_minor", "original_price_minor", "bought_at")


def _check_integers(where: str, row: Mapping[str, Any], names: Sequence[str]) -> None:
    for name in names:
        value = row[name]
        if value is not None and not -EXACT_LIMIT < value < EXACT_LIMIT:
            raise _UnstorableError(f"{where}{name} is too large to store exactly: {value}")


def _set_aside(record: Order | OrderEvent, detail: str) -> UnreadableRecord:
    """A record the storage could not keep (`detail`: why, for support), as an unreadable
    record (its form pending)."""
    form_id: str | None
    if isinstance(record, Order):
        kind, form_id = RecordKind.FORM, record.id
    else:
        kind, form_id = RecordKind.EVENT, record.checkout_form_id
    reason = UnreadableReason(
        kind=kind, record_id=record.id, field=None,
        problem=Text(_CANNOT_BE_STORED), detail=detail)
    log.warning("kept aside %s", reason)
    return UnreadableRecord(reason=reason, raw=record.raw, form_id=text_id(form_id))


def _form_ids(records: Iterable[UnreadableRecord]) -> set[str]:
    return {record.form_id for record in records if record.kind == "form" and record.form_id}


def _refused_value(exc: BaseException) -> bool:
    """Whether SQLite (or the driver) refused a value — not the database itself failing
    (locked, full, damaged: those fail the whole batch, rightly)."""
    cause = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    return isinstance(cause, OverflowError | UnicodeEncodeError | sqlite3.DataError
                      | sqlite3.IntegrityError | sqlite3.InterfaceError
                      | sqlite3.ProgrammingError)


def _isolated(connection: Connection, items: Sequence[tuple[_Record, _T]],
              aside: list[UnreadableRecord],
              write: Callable[[Sequence[tuple[_Record, _T]]], int], one_by_one: bool) -> int:
    """`write(items)`, returning what it returns. At once, as a rule: should SQLite refuse a
    value, `_RefusedValueError` (the caller rolls the transaction back and comes again with
    `one_by_one`). `one_by_one`: each item in its own SAVEPOINT, those SQLite refuses added to
    `aside` and the others written."""
    if not items:
        return 0
    if not one_by_one:
        try:
            return write(items)
        except _REFUSALS as exc:
            if not _refused_value(exc):
                raise
            raise _RefusedValueError(str(exc)) from exc
    done = 0
    for item in items:
        try:
            with _savepoint(connection):
                done += write([item])
        except _REFUSALS as exc:
            if not _refused_value(exc):
                raise
            aside.append(_set_aside(item[0], f"the database refused it ({exc})"))
    return done


class _RefusedValueError(Exception):
    """SQLite refused a value of a batch written at once (see `_isolated`)."""


_REFUSALS = (OverflowError, UnicodeEncodeError, sqlite3.Error, sa_exc.DBAPIError)


@contextmanager
def _savepoint(connection: Connection) -> Iterator[None]:
    """A SAVEPOINT, rolled back when SQLite refused a value. Any other failure (a full disk,
    a lock) leaves it alone: SQLite may have rolled back the whole transaction already, and
    `Database.write` rolls back the rest."""
    connection.exec_driver_sql("SAVEPOINT apply_batch")
    try:
        yield
    except _REFUSALS as exc:
        if _refused_value(exc):
            connection.exec_driver_sql("ROLLBACK TO apply_batch")
            connection.exec_driver_sql("RELEASE apply_batch")
        raise
    connection.exec_driver_sql("RELEASE apply_batch")


class OrderRepository:
    """Reads and writes of orders. Writes come from the sync thread only (ARCHITECTURE.md
    "Threads and event loops"); reads may come from any thread, each call on its own pooled
    connection."""

    def __init__(self, *, database: Database) -> None:
        self._db = database

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def first_fill(self) -> Iterator[bool]:
        """Around a back-fill: into a database without orders, the indexes and statistics
        triggers that can be built at its end are set aside until it ends, however it ends
        (storage/first_fill.py; a killed run's are built by the next `Database.open`).
        Yields whether they were."""
        with self._db.write() as connection:
            set_aside = first_fill.set_aside(connection)
        try:
            yield set_aside
        finally:
            if set_aside:
                self.catch_up()

    def catch_up(self) -> None:
        """Build what a first fill set aside, if anything is (storage/first_fill.py). A
        failure is logged, not raised: the orders are stored, and the next run or open tries
        again."""
        try:
            with self._db.read() as connection:
                if not first_fill.catch_up_due(connection):
                    return
            with self._db.write() as connection:
                first_fill.catch_up(connection)
        except StorageError as exc:
            log.warning("the indexes and statistics set aside for a first fill could not be "
                        "built yet: %s", exc)

    def apply_batch(self, *, account_key: str, orders: Sequence[Order],
                    events: Sequence[OrderEvent], cursor: str | None,
                    gone_ids: Sequence[str] = (), pending: Sequence[PendingForm] = (),
                    unreadable_records: Sequence[UnreadableRecord] = (),
                    announce_since: datetime | None = None,
                    told: frozenset[str] = frozenset(),
                    run_id: int | None = None,
                    backfill_progress: str | None = None,
                    unchanged_ids: Sequence[str] = ()) -> BatchResult:
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
        - `told`: orders the seller was already told of (before a restore, see
          `told_before_restore`): stored as new to the database, never announced again.
        - `run_id`: the sync run (`SyncStateRepository.start_run`) whose counters of new,
          updated and unchanged orders and events grow by this batch's, in this transaction:
          a run killed midway still shows what it stored.
        - `backfill_progress`: the back-fill's progress (`sync/windows.py`, `BackfillProgress`)
          as far as these orders take it, saved with them; None leaves it as it is.
        - `unchanged_ids`: forms received exactly as stored (`unchanged_forms`), not parsed:
          counted as unchanged, and no longer pending.

        Raises a `StorageError` (locked, disk full, …) with nothing written.
        """
        latest: dict[str, Order] = {}
        for order in orders:
            if order.account_key != account_key:
                raise ValueError(f"order {order.id} belongs to {order.account_key!r}, "
                                 f"not {account_key!r}")
            latest[order.id] = order
        now = to_ms(self._db.clock())
        batch = _Batch(account_key=account_key, latest=latest, cursor=cursor,
                       gone_ids=gone_ids, pending=pending,
                       unreadable_records=unreadable_records, announce_since=announce_since,
                       told=told, now=now, run_id=run_id, events_read=len(events),
                       backfill_progress=backfill_progress,
                       unchanged_ids=[i for i in dict.fromkeys(unchanged_ids) if i not in latest])
        for order_id, order in latest.items():
            try:
                batch.raws[order_id] = (order, _raw_text(order))
            except _UnstorableError as exc:
                batch.aside.append(_set_aside(order, str(exc)))
        for event in {event.id: event for event in events}.values():
            try:
                batch.event_rows.append((event, _event_row(account_key, event, now)))
            except _UnstorableError as exc:
                batch.aside.append(_set_aside(event, str(exc)))
        try:
            result = self._write(batch, one_by_one=False)
        except _RefusedValueError as exc:
            # Rare (the checks above find what SQLite would refuse, as a rule): the bulk write
            # is rolled back and done again record by record, each in a SAVEPOINT — kept out
            # of the usual path, where SAVEPOINTs would cost a third more time.
            log.warning("the database refused a value of a batch of %s (%s): writing it "
                        "again record by record", account_key, exc)
            result = self._write(batch, one_by_one=True)
        log.debug("batch of %s: %s", account_key, result)
        return result

    def _write(self, batch: _Batch, *, one_by_one: bool) -> BatchResult:
        """The transaction of `apply_batch` (see `_isolated` for `one_by_one`)."""
        account_key, now = batch.account_key, batch.now
        aside = list(batch.aside)
        with self._db.write() as connection:
            if batch.cursor is not None:
                _save_cursor(connection, account_key, batch.cursor, now)
            if batch.backfill_progress is not None:
                _save_backfill_progress(connection, account_key, batch.backfill_progress)
            events_added = _isolated(connection, batch.event_rows, aside, lambda rows: (
                _append_events(connection, [row for _event, row in rows])), one_by_one)
            new_ids: list[str] = []
            updated, unchanged = 0, len(batch.unchanged_ids)

            def upsert(items: Sequence[tuple[Order, str]]) -> int:
                nonlocal updated, unchanged
                new, changed, same, refused = self._upsert(connection, account_key, items, now)
                new_ids.extend(new)
                updated += changed
                unchanged += same
                aside.extend(refused)
                return len(new)

            _isolated(connection, list(batch.raws.values()), aside, upsert, one_by_one)
            stored = [*(order_id for order_id in batch.raws if order_id not in _form_ids(aside)),
                      *batch.unchanged_ids]
            gone_added = _mark_gone(connection, account_key, batch.gone_ids, now)
            _record_pending(connection, account_key, [*batch.pending, *(
                PendingForm(record.form_id, "unreadable") for record in aside
                if record.kind == "form" and record.form_id)], [*stored, *batch.gone_ids], now)
            _record_unreadable(connection, account_key, [*batch.unreadable_records, *aside],
                               now)
            announced = [] if batch.announce_since is None else [
                order_id for order_id in new_ids
                if batch.latest[order_id].bought_at >= batch.announce_since
                and order_id not in batch.told]
            enqueue_webhooks(connection, account_key, announced, now)
            if batch.run_id is not None:
                counts = sync_runs.c
                connection.execute(update(sync_runs).where(counts.id == batch.run_id).values(
                    new_orders=counts.new_orders + len(new_ids),
                    updated_orders=counts.updated_orders + updated,
                    unchanged_orders=counts.unchanged_orders + unchanged,
                    events=counts.events + batch.events_read))
        return BatchResult(new=len(new_ids), updated=updated, unchanged=unchanged,
                           events_added=events_added, gone_added=gone_added,
                           new_ids=tuple(new_ids), announced_ids=tuple(announced),
                           set_aside=len(aside))

    def _upsert(self, connection: Connection, account_key: str,
                batch: Sequence[tuple[Order, str]], now: int,
                ) -> tuple[list[str], int, int, list[UnreadableRecord]]:
        """Write the orders of `batch` (each with its JSON text) that differ from the stored
        ones. Returns the new ids, how many changed, how many were unchanged, and the orders
        set aside because a row of theirs cannot be stored exactly (nothing of them written)."""
        latest = {order.id: (order, raw) for order, raw in batch}
        stored = _stored(connection, list(latest))
        rows: list[dict[str, Any]] = []
        forms: list[dict[str, str]] = []
        changed: list[str] = []
        prepared: dict[str, _OrderRows] = {}
        refused: list[UnreadableRecord] = []
        unchanged = 0
        for order_id, (order, raw) in latest.items():
            before = stored.get(order_id)
            if before is not None and _same(before, account_key, raw, order):
                unchanged += 1
                continue
            try:
                prepared[order_id] = _order_rows(order, now)
            except _UnstorableError as exc:
                refused.append(_set_aside(order, str(exc)))
                continue
            if before is not None:
                changed.append(order_id)
            rows.append(prepared[order_id].row)
            forms.append({"order_id": order_id, "raw": raw})
        if not rows:
            return [], 0, unchanged, refused
        statement = insert(orders)
        columns = [c.name for c in orders.columns if c.name not in ("seq", "first_seen_at")]
        _executemany(connection, statement.on_conflict_do_update(
            index_elements=[orders.c.id],
            set_={name: statement.excluded[name] for name in columns if name != "id"}), rows)
        _executemany(connection, _FORM_UPSERT, forms)
        new_ids = [row["id"] for row in rows if row["id"] not in stored]
        search = {order_id: prepared[order_id].search for order_id in new_ids + changed}
        items = {order_id: prepared[order_id].items for order_id in new_ids + changed}
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
        return new_ids, len(changed), unchanged, refused

    def unchanged_forms(self, account_key: str, forms: Mapping[str, Mapping[str, Any]]
                        ) -> set[str]:
        """The ids of `forms` (checkout form id -> the form as received) whose stored form,
        of this account and not gone, is exactly the same JSON text: a sync need not even
        parse them (`apply_batch`'s `unchanged_ids`)."""
        texts: dict[str, str] = {}
        for order_id, form in forms.items():
            with suppress(TypeError):  # not JSON orjson writes: never stored as it is
                texts[order_id] = dump_json(form)
        if not texts:
            return set()
        with self._db.read() as connection:
            stored = _stored(connection, list(texts))
        return {order_id for order_id, before in stored.items()
                if before.raw == texts[order_id] and not before.gone
                and before.account_key == account_key}

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
            for chunk in in_chunks(ids):
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
            for chunk in in_chunks(ids):
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

    def kept_aside(self, latest: int = 3) -> list[KeptAside]:
        """Per account with any: the records kept aside and the forms still pending (what
        Diagnostics shows), with the `latest` records, by account key."""
        with self._db.read() as connection:
            records: dict[str, int] = dict(connection.execute(
                select(unreadable.c.account_key, func.count())
                .group_by(unreadable.c.account_key)).all())
            pending: dict[str, int] = dict(connection.execute(
                select(pending_forms.c.account_key, func.count())
                .group_by(pending_forms.c.account_key)).all())
            found = []
            for account_key in sorted(records.keys() | pending.keys()):
                rows = connection.execute(
                    select(unreadable).where(unreadable.c.account_key == account_key)
                    .order_by(unreadable.c.seq.desc()).limit(latest))
                found.append(KeptAside(
                    account_key=account_key, records=records.get(account_key, 0),
                    pending=pending.get(account_key, 0),
                    latest=tuple(KeptRecord(
                        account_key=account_key, kind=row.kind, form_id=row.checkout_form_id,
                        reason=read_reason(row.error), raw=row.raw,
                        recorded_at=from_ms(row.recorded_at))
                        for row in rows)))
        return found

    def told_before_restore(self) -> tuple[datetime, frozenset[str]] | None:
        """When the database was last restored from a backup, and the ids of the recent orders
        the seller had been told of before (`storage/backup.py`): when the next sync stores
        them again, they are not new. None if never restored (or unreadable)."""
        with self._db.read() as connection:
            value = connection.scalar(select(app_meta.c.value).where(
                app_meta.c.key == TOLD_BEFORE_RESTORE_KEY))
        try:
            data = orjson.loads(value) if value is not None else None
            if data is None:
                return None
            return from_ms(int(data["at"])), frozenset(str(i) for i in data["ids"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, OverflowError):
            log.warning("ignoring the unreadable %s of the database", TOLD_BEFORE_RESTORE_KEY)
            return None

    def gone_form_ids(self, account_key: str) -> set[str]:
        """Checkout forms recorded as gone (404) for the account."""
        statement = select(gone_forms.c.checkout_form_id).where(
            gone_forms.c.account_key == account_key)
        with self._db.read() as connection:
            return set(connection.scalars(statement))


# -- statements -------------------------------------------------------------------------------


def _stored(connection: Connection, ids: Sequence[str]) -> dict[str, _Stored]:
    found: dict[str, _Stored] = {}
    for chunk in in_chunks(ids):
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
    for chunk in in_chunks(ids):
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
    for chunk in in_chunks(ids):
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


def _save_backfill_progress(connection: Connection, account_key: str, progress: str) -> None:
    """Save the back-fill's progress (`apply_batch`'s `backfill_progress`)."""
    statement = insert(sync_state).values(account_key=account_key, backfill_progress=progress)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[sync_state.c.account_key], set_={"backfill_progress": progress}))


def _event_row(account_key: str, event: OrderEvent, now: int) -> dict[str, Any]:
    """The journal row of `event`, or `_UnstorableError` when it cannot be stored exactly."""
    try:
        row = {
            "account_key": account_key,
            "event_id": event.id,
            "event_seq": event.sequence,
            "type": str(event.type),
            "occurred_at": to_ms(event.occurred_at),
            "checkout_form_id": event.checkout_form_id,
            "revision": event.revision,
            "recorded_at": now,
            "raw": dump_json(event.raw),
        }
    except (TypeError, ValueError, OverflowError) as exc:
        raise _UnstorableError(f"its JSON cannot be stored exactly ({exc})") from None
    if not 0 <= event.sequence < 2**63:
        raise _UnstorableError(f"its id is past 64 bits: {event.id}")
    return row


def _append_events(connection: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    return _executemany(connection, insert(order_events).on_conflict_do_nothing(
        index_elements=[order_events.c.account_key, order_events.c.event_id]), rows)


def _delete_forms(connection: Connection, table: Table, account_key: str,
                  form_ids: Sequence[str]) -> None:
    """Delete the rows of these checkout forms of an account from `table` (gone or pending
    forms): one statement per chunk of ids, not one per id (a page of the first sync deletes
    100 ids that are almost never there). An id that is not text is in no table."""
    for chunk in in_chunks(_text_ids(form_ids)):
        connection.execute(delete(table).where(table.c.account_key == account_key,
                                               table.c.checkout_form_id.in_(chunk)))


def _record_pending(connection: Connection, account_key: str, pending: Sequence[PendingForm],
                    resolved: Sequence[str], now: int) -> None:
    """Add (or count another attempt of) the pending forms; forget the resolved ones."""
    if resolved:
        _delete_forms(connection, pending_forms, account_key, resolved)
    rows = {item.form_id: {"account_key": account_key, "checkout_form_id": item.form_id,
                           "reason": item.reason, "attempts": 1, "first_seen_at": now,
                           "last_tried_at": now}
            for item in pending if text_id(item.form_id) is not None}
    if rows:
        statement = insert(pending_forms)
        _executemany(connection, statement.on_conflict_do_update(
            index_elements=[pending_forms.c.account_key, pending_forms.c.checkout_form_id],
            set_={"reason": statement.excluded.reason,
                  "attempts": pending_forms.c.attempts + literal_column("1"),
                  "last_tried_at": statement.excluded.last_tried_at}), list(rows.values()))


def _record_unreadable(connection: Connection, account_key: str,
                       records: Sequence[UnreadableRecord], now: int) -> None:
    """Keep the records; one kept before is replaced by its latest copy — the same form id, or
    for an event or a form without an id the same raw text — so a bad record met at every
    sync (a pending form asked for again, an event re-read) is one row, not one per sync."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        raw = kept_text(record.raw)
        form_id = text_id(record.form_id)
        key = (record.kind, form_id) if record.kind == "form" and form_id \
            else (record.kind + " raw", raw)
        rows[key] = {"account_key": account_key, "kind": record.kind,
                     "checkout_form_id": form_id,
                     "error": storable_text(record.reason.stored()),
                     "raw": raw, "recorded_at": now}
    if not rows:
        return
    _executemany(connection, delete(unreadable).where(
        unreadable.c.account_key == bindparam("account_key"),
        unreadable.c.kind == bindparam("kind"),
        unreadable.c.checkout_form_id == bindparam("form_id")),
        [{"account_key": account_key, "kind": kind, "form_id": value}
         for kind, value in rows if kind == "form"])
    _executemany(connection, delete(unreadable).where(
        unreadable.c.account_key == bindparam("account_key"),
        unreadable.c.kind == bindparam("kind"),
        unreadable.c.raw == bindparam("raw")),
        [{"account_key": account_key, "kind": row["kind"], "raw": row["raw"]}
         for (kind, _value), row in rows.items() if kind != "form"])
    _executemany(connection, insert(unreadable), list(rows.values()))


def _text_ids(form_ids: Iterable[str]) -> list[str]:
    """The ids that are text (`text_id`), each once: one that is not is in no table."""
    return [form_id for form_id in dict.fromkeys(form_ids) if text_id(form_id) is not None]


def _mark_gone(connection: Connection, account_key: str, gone_ids: Sequence[str],
               now: int) -> int:
    ids = _text_ids(gone_ids)
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
