"""`OrderQueries`, the read side of the order database (the sync's write side is
`order_repository.py`): the order list as the workspace and the export ask for it, in SQL.

ARCHITECTURE.md "The orders workspace": filtering and sorting happen in SQLite, never over
Python lists of orders. The table asks for the ordered *ids* of the orders a filter selects
(`iter_seqs`, streamed: the first screen arrives before a million ids are read) and then for the
rows it shows (`rows`, a few dozen at a time). Every sortable column has an index (migration 0003),
so the first rows of any sort come from walking an index.

An order is named here by `orders.seq` (its rowid: an int, cheap to hold a million of and the
fastest key to fetch by); `OrderRow.id` is Allegro's checkout-form id.

The seller's own tags and private notes (storage/labels.py) filter (`OrderFilter.tags`,
`has_note`) through their tables' indexes, and the search finds an order by its note too
(`order_notes_fts`, streamed with `orders_fts`'s matches). Sorting by them is the exception
to the indexed sorts: their values live in other tables, so such a sort reads every order.

One more sort reads every matching order instead of walking an index: the seller-facing status
(`seller_status_rank`, a CASE over the two status columns: no index holds its order), a scan
of the table and a sort of its matches — 0.23-0.30 s to the first rows of 200 000 orders
(benchmarks/million.py), so about 1.5 s at a million. Filtering by it is the quick filters'
(the stage index). The amount sorts by currency, then amount, walking
`ix_orders_currency_total` (migration 0011; 1 ms to the first rows, ~15 MB a million orders).

Reads only; safe from any thread (each call takes its own pooled connection, WAL lets it read
while the sync writes).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import orjson
from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from allegro_desktop.domain.filters import (
    PROCESSING_FULFILLMENT,
    SELLER_STATUSES,
    SENT_FULFILLMENT,
    UNPAID_STATUSES,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
    quick_filter_of,
    seller_status,
)
from allegro_desktop.domain.labels import Tag, first_line, tag_key
from allegro_desktop.domain.order_actions import ActionMark, ActionState
from allegro_desktop.domain.orders import (
    MINOR_PER_UNIT,
    FulfillmentStatus,
    Money,
    OrderStatus,
)
from allegro_desktop.storage.chunks import in_chunks
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.labels import tag_of
from allegro_desktop.storage.order_actions import action_marks, orders_with_actions
from allegro_desktop.storage.schema import (
    GONE,
    line_items,
    order_events,
    order_forms,
    order_notes,
    order_notes_fts,
    order_tags,
    orders,
    orders_fts,
    tags,
)
from allegro_desktop.storage.search import match_query, too_short
from allegro_desktop.storage.times import from_ms, from_ms_or_none, to_ms

__all__ = [
    "FEW_MATCHES",
    "EventRow",
    "Facets",
    "LineItemRow",
    "OrderDetails",
    "OrderQueries",
    "OrderRow",
    "few_statement",
    "filter_conditions",
    "ids_statement",
    "searches",
    "seller_status_rank",
    "stage_condition",
]

_ROW_COLUMNS = (
    orders.c.seq, orders.c.id, orders.c.account_key, orders.c.bought_at, orders.c.updated_at,
    orders.c.buyer_login, orders.c.buyer_name, orders.c.buyer_company, orders.c.buyer_email,
    orders.c.buyer_phone, orders.c.buyer_guest, orders.c.items_summary, orders.c.items_count,
    orders.c.quantity, orders.c.total_minor, orders.c.currency, orders.c.payment_type,
    orders.c.payment_provider, orders.c.paid_at, orders.c.status, orders.c.fulfillment_status,
    orders.c.delivery_method_name, orders.c.delivery_cost_minor, orders.c.city,
    orders.c.zip_code, orders.c.country_code, orders.c.pickup_point_id,
    orders.c.pickup_point_name, orders.c.invoice_required, orders.c.invoice_company,
    orders.c.invoice_nip, orders.c.marketplace_id, orders.c.message_to_seller, orders.c.note,
    # the seller's labels, two probes of the links' own indexes per row (no statement more)
    select(func.group_concat(order_tags.c.tag_id)).where(order_tags.c.order_id == orders.c.id)
    .scalar_subquery().label("tag_ids"),
    select(order_notes.c.text).where(order_notes.c.order_id == orders.c.id)
    .scalar_subquery().label("private_note"),
)

def seller_status_rank(status: ColumnElement[Any] = orders.c.status,
                       fulfillment: ColumnElement[Any] = orders.c.fulfillment_status,
                       ) -> ColumnElement[int]:
    """SQL for the place of `seller_status(status, fulfillment_status)` in `SELLER_STATUSES`
    (its length for a combination the app does not know): the same branches as the quick
    filters' conditions, in the same order (a test holds the two to the same answer on every
    combination)."""
    rank = {code: place for place, code in enumerate(SELLER_STATUSES)}
    cancelled = FulfillmentStatus.CANCELLED.value
    ready = status == OrderStatus.READY_FOR_PROCESSING.value
    fulfilled = sorted(PROCESSING_FULFILLMENT | SENT_FULFILLMENT)
    return case(
        (or_(status == OrderStatus.CANCELLED.value, fulfillment == cancelled),
         rank[OrderStatus.CANCELLED.value]),
        (status.in_(sorted(UNPAID_STATUSES)), rank["UNPAID"]),
        (and_(ready, or_(fulfillment.is_(None), fulfillment == FulfillmentStatus.NEW.value)),
         rank["TO_SEND"]),
        *((and_(ready, fulfillment == code), rank[code]) for code in fulfilled),
        else_=len(SELLER_STATUSES))


#: What each column sorts by: its own value, or a folded key for text people read.
_SORT_KEYS: Final[Mapping[OrderColumn, tuple[ColumnElement[Any], ...]]] = {
    OrderColumn.BOUGHT_AT: (orders.c.bought_at,),
    OrderColumn.ORDER_ID: (orders.c.id,),
    OrderColumn.BUYER_LOGIN: (orders.c.buyer_login,),
    OrderColumn.BUYER_NAME: (orders.c.buyer_key,),
    OrderColumn.ITEMS: (orders.c.items_key,),
    OrderColumn.QUANTITY: (orders.c.quantity,),
    # within each currency (6,98 EUR is not less than 14,98 PLN): `ix_orders_currency_total`
    OrderColumn.TOTAL: (orders.c.currency, orders.c.total_minor),
    OrderColumn.PAYMENT: (orders.c.payment_type,),
    # no index holds this order: a scan and a sort of the matches (see the module's docstring)
    OrderColumn.STAGE: (seller_status_rank().label("seller_status_key"), orders.c.bought_at),
    # the stage index: status, then fulfillment, then newest first — all from one index
    OrderColumn.STATUS: (orders.c.status, orders.c.fulfillment_status, orders.c.bought_at),
    OrderColumn.FULFILLMENT: (orders.c.fulfillment_status,),
    OrderColumn.DELIVERY: (orders.c.delivery_method_name,),
    OrderColumn.CITY: (orders.c.city_key,),
    OrderColumn.INVOICE: (orders.c.invoice_required, orders.c.bought_at),
    OrderColumn.MARKETPLACE: (orders.c.marketplace_id,),
    OrderColumn.ACCOUNT: (orders.c.account_key, orders.c.bought_at),
    OrderColumn.CURRENCY: (orders.c.currency,),
    OrderColumn.PAID: (orders.c.paid_at,),
    OrderColumn.PAID_AT: (orders.c.paid_at,),
    OrderColumn.BUYER_EMAIL: (orders.c.buyer_email,),
    OrderColumn.BUYER_PHONE: (orders.c.buyer_phone,),
    OrderColumn.BUYER_COMPANY: (orders.c.buyer_company,),
    OrderColumn.ZIP_CODE: (orders.c.zip_code,),
    OrderColumn.COUNTRY: (orders.c.country_code,),
    OrderColumn.PICKUP_POINT: (orders.c.pickup_point_name,),
    OrderColumn.DELIVERY_COST: (orders.c.delivery_cost_minor,),
    OrderColumn.INVOICE_COMPANY: (orders.c.invoice_company,),
    OrderColumn.INVOICE_NIP: (orders.c.invoice_nip,),
    OrderColumn.MESSAGE: (orders.c.message_to_seller,),
    OrderColumn.NOTE: (orders.c.note,),
    OrderColumn.UPDATED_AT: (orders.c.updated_at,),
    # The seller's labels live in their own tables: no index of `orders` sorts by them, so a
    # sort by them reads every order (see the module's docstring).
    OrderColumn.TAGS: (
        select(func.min(tags.c.name_key))
        .join_from(order_tags, tags, tags.c.id == order_tags.c.tag_id)
        .where(order_tags.c.order_id == orders.c.id)
        .scalar_subquery().label("tags_key"),),
    OrderColumn.PRIVATE_NOTE: (
        select(order_notes.c.text).where(order_notes.c.order_id == orders.c.id)
        .scalar_subquery().label("private_note_key"),),
}


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One order as the table and the export show it (no line items, no raw form)."""

    seq: int
    id: str
    account_key: str
    bought_at: datetime
    updated_at: datetime | None
    buyer_login: str | None
    buyer_name: str | None
    buyer_company: str | None
    buyer_email: str | None
    buyer_phone: str | None
    buyer_guest: bool
    items_summary: str
    items_count: int
    quantity: int
    total: Money
    payment_type: str | None
    payment_provider: str | None
    paid_at: datetime | None
    status: str
    fulfillment_status: str | None
    delivery_method: str | None
    delivery_cost: Money | None
    city: str | None
    zip_code: str | None
    country_code: str | None
    pickup_point_id: str | None
    pickup_point_name: str | None
    invoice_required: bool
    invoice_company: str | None
    invoice_nip: str | None
    marketplace_id: str | None
    message_to_seller: str | None
    note: str | None  # Allegro's note field of the form
    #: The seller's actions on the order (storage/order_actions.py): the fulfillment status
    #: it is being given (show it instead of `fulfillment_status`, marked as not yet on
    #: Allegro) and whether actions wait or failed; None: no action under way.
    actions: ActionMark | None = None
    #: The seller's own tags, by name, and private note (domain/labels.py): local only.
    tags: tuple[Tag, ...] = ()
    private_note: str | None = None

    @property
    def private_note_line(self) -> str | None:
        """The private note's first line that is not blank (what the table's column shows)."""
        return first_line(self.private_note)

    @property
    def paid(self) -> bool:
        """Paid online, or ready for processing (cash on delivery is paid on delivery, but the
        seller ships it as they would a paid order)."""
        return self.paid_at is not None

    @property
    def display_name(self) -> str | None:
        """The buyer's name, or the company's when there is no personal name."""
        return self.buyer_name or self.buyer_company

    @property
    def quick_filter(self) -> QuickFilter | None:
        return quick_filter_of(self.status, self.fulfillment_status)

    @property
    def seller_status(self) -> str:
        """The one status the seller reads (`domain.filters.seller_status`)."""
        return seller_status(self.status, self.fulfillment_status)


@dataclass(frozen=True, slots=True)
class LineItemRow:
    order_seq: int
    order_id: str
    id: str
    position: int
    offer_id: str
    offer_name: str
    external_id: str | None
    quantity: int
    price: Money
    original_price: Money
    bought_at: datetime | None

    @property
    def total(self) -> Money:
        return self.price * self.quantity


@dataclass(frozen=True, slots=True)
class EventRow:
    """One journal entry of an order's timeline."""

    event_id: str
    type: str
    occurred_at: datetime
    revision: str | None


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """Everything the details panel shows of one order. `form` is the checkout form as Allegro
    sent it (the address lines, the pickup point's address and the invoice address live only
    there)."""

    row: OrderRow
    line_items: tuple[LineItemRow, ...]
    events: tuple[EventRow, ...]
    form: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Facets:
    """The values the filters offer, from the stored orders (not gone)."""

    accounts: tuple[str, ...]
    delivery_methods: tuple[str, ...]
    payment_types: tuple[str, ...]
    marketplaces: tuple[str, ...]
    currencies: tuple[str, ...]


def _plus(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`+column`: the same value, but SQLite will not use an index for a term on it (the
    documented way to steer its planner)."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _not_gone() -> ColumnElement[bool]:
    """"Not gone", answered from the tiny partial index of the gone orders (migration 0004)
    instead of each order's row: walking a sort index then never reads the table."""
    return orders.c.seq.not_in(select(orders.c.seq).where(GONE))


def _quick_condition(quick: QuickFilter, status: ColumnElement[Any] = orders.c.status,
                     fulfillment: ColumnElement[Any] = orders.c.fulfillment_status,
                     ) -> ColumnElement[bool]:
    """SQL for `quick_filter_of(status, fulfillment_status) == quick` (a test holds the two
    to the same answer on every combination). To process is two equality branches, so the
    stage index serves both (an OR inside one branch limits it to its first column)."""
    cancelled = FulfillmentStatus.CANCELLED.value
    not_cancelled = or_(fulfillment.is_(None), fulfillment != cancelled)
    ready = status == OrderStatus.READY_FOR_PROCESSING.value
    if quick is QuickFilter.ALL:
        return true()
    if quick is QuickFilter.CANCELLED:
        return or_(status == OrderStatus.CANCELLED.value, fulfillment == cancelled)
    if quick is QuickFilter.UNPAID:
        return and_(status.in_(sorted(UNPAID_STATUSES)), not_cancelled)
    if quick is QuickFilter.TO_PROCESS:
        return or_(and_(ready, fulfillment == FulfillmentStatus.NEW.value),
                   and_(ready, fulfillment.is_(None)))
    if quick is QuickFilter.PROCESSING:
        return and_(ready, fulfillment.in_(sorted(PROCESSING_FULFILLMENT)))
    if quick is QuickFilter.SENT:
        return and_(ready, fulfillment.in_(sorted(SENT_FULFILLMENT)))
    raise ValueError(f"unknown quick filter {quick!r}")  # pragma: no cover


def stage_condition(quick: QuickFilter, status: ColumnElement[Any],
                    fulfillment: ColumnElement[Any]) -> ColumnElement[bool]:
    """The quick filter's condition on another table's status columns (the statistics'
    rollups, storage/stats_queries.py), the very same SQL as the order list's."""
    return _quick_condition(quick, status, fulfillment)


def searches(order_filter: OrderFilter) -> bool:
    """Whether the filter's search is a condition at all (not nothing typed, nor only words
    of one character so far)."""
    return _match(order_filter) is not None


def _minor_at_least(amount: Decimal) -> int:
    return math.ceil(amount * MINOR_PER_UNIT)


def _minor_at_most(amount: Decimal) -> int:
    return math.floor(amount * MINOR_PER_UNIT)


def filter_conditions(order_filter: OrderFilter, *, with_quick: bool = True,
                      walk: OrderSort | None = None, fts_joined: bool = False,
                      by_seq: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a filter (ANDed). `with_quick=False` leaves out the quick
    filter (the counts shown on the quick-filter buttons are over everything else).
    `walk`: the conditions of the many-matches plan for this sort (see `FEW_MATCHES`): no
    index but the sort column's may serve them. `fts_joined`: the statement joins
    `orders_fts` to `orders` (the search is then a MATCH on it, not a list of its rowids).
    `by_seq`: no index of a column may serve them (a list of seqs drives the plan)."""
    f = order_filter
    sort_keys = ({key.name for key in _SORT_KEYS[walk.column] if isinstance(key, Column)}
                 if walk is not None else set() if by_seq else None)

    def c(column: Column[Any]) -> ColumnElement[Any]:
        return column if sort_keys is None or column.name in sort_keys else _plus(column)

    conditions: list[ColumnElement[bool]] = [_not_gone()]
    if with_quick and f.quick is not QuickFilter.ALL:
        conditions.append(_quick_condition(f.quick, c(orders.c.status),
                                           c(orders.c.fulfillment_status)))
    if f.bought_from is not None:
        conditions.append(c(orders.c.bought_at) >= to_ms(f.bought_from))
    if f.bought_to is not None:
        conditions.append(c(orders.c.bought_at) < to_ms(f.bought_to))
    for values, column in ((f.accounts, orders.c.account_key),
                           (f.delivery_methods, orders.c.delivery_method_name),
                           (f.payment_types, orders.c.payment_type),
                           (f.marketplaces, orders.c.marketplace_id)):
        if values:
            conditions.append(c(column).in_(sorted(values)))
    if f.invoice is not None:
        conditions.append(c(orders.c.invoice_required).is_(f.invoice))
    if f.min_total is not None:
        conditions.append(c(orders.c.total_minor) >= _minor_at_least(f.min_total))
    if f.max_total is not None:
        conditions.append(c(orders.c.total_minor) <= _minor_at_most(f.max_total))
    seq = orders.c.seq if walk is None else _plus(orders.c.seq)
    conditions.extend(_local_conditions(f, c(orders.c.id), seq))
    match = _match(f)
    if match == "":
        conditions.append(false())
    elif match is not None and fts_joined:
        conditions.append(_matches(match))
    elif match is not None:
        conditions.append(seq.in_(
            select(orders_fts.c.rowid).where(_matches(match))
            .union_all(_note_matches(match))))
    return conditions


def _local_conditions(f: OrderFilter, order_id: ColumnElement[Any],
                      seq: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    """The conditions on what the seller keeps locally: actions under way, tags, notes."""
    conditions: list[ColumnElement[bool]] = []
    if f.actions:
        conditions.append(order_id.in_(
            orders_with_actions(ActionState(state) for state in f.actions)))
    if f.tags:
        # the tagged orders' seqs, collected once (a list SQLite tests each order against,
        # or walks in the few-matches plan)
        conditions.append(seq.in_(
            select(orders.c.seq)
            .join_from(order_tags, orders, orders.c.id == order_tags.c.order_id)
            .where(order_tags.c.tag_id.in_(sorted(f.tags)))))
    if f.has_note is not None:
        noted = (select(orders.c.seq)
                 .join_from(order_notes, orders, orders.c.id == order_notes.c.order_id))
        conditions.append(seq.in_(noted) if f.has_note else seq.not_in(noted))
    if f.order_ids:
        # one JSON parameter however many ids (SQLite caps the parameters of a statement)
        named = func.json_each(orjson.dumps(sorted(f.order_ids)).decode()).table_valued(
            "value")
        conditions.append(order_id.in_(select(named.c.value)))
    return conditions


def _matches(match: str) -> ColumnElement[bool]:
    """`orders_fts MATCH :match` (the table's own name is the column FTS5 matches on)."""
    return literal_column(orders_fts.name).bool_op("MATCH")(match)


def _note_matches(match: str) -> Select[tuple[int]]:
    """The seqs of the orders whose private note matches `match` (`order_notes_fts`)."""
    return (select(orders.c.seq)
            .select_from(order_notes_fts
                         .join(order_notes, order_notes.c.seq == order_notes_fts.c.rowid)
                         .join(orders, orders.c.id == order_notes.c.order_id))
            .where(literal_column(order_notes_fts.name).bool_op("MATCH")(match)))


def _match(order_filter: OrderFilter) -> str | None:
    """The FTS5 MATCH expression of the filter's search: None if it does not search (nothing
    typed, or so far only words of one character: `search.too_short`), "" if nothing can
    match what it searches (only punctuation)."""
    typed = order_filter.search
    if not typed.strip() or too_short(typed):
        return None
    return match_query(typed) or ""


def _order_by(sort: OrderSort) -> list[ColumnElement[Any]]:
    """The sort keys and the rowid as the last tie-breaker, all in one direction (so SQLite
    can walk the column's index backwards for a descending sort)."""
    keys = [*_SORT_KEYS[sort.column], orders.c.seq]
    return [key.desc() if sort.descending else key.asc() for key in keys]


# -- the two plans of the ordered ids ---------------------------------------------------------
#
# SQLite's planner has two ways to the first rows of a filtered, sorted list, and with only
# averages to go on (the app never runs ANALYZE) it often picks the wrong one:
#
# - walk the sort column's index and test each order: cost ~ first rows / share matching,
#   fast for common matches but a scan of every order for rare ones ("Unpaid, by login");
# - collect every match through the filter's index (or the search) and sort them: cost ~
#   matches, fast for rare matches but seconds for common ones ("etui", "total 100-200").
#
# So `iter_seqs` decides itself and tells the planner with unary `+` (which keeps SQLite from
# using an index for a term): first the few-matches plan, the matches through the filter's
# indexes, at most FEW_MATCHES + 1 of them (an inner query with LIMIT and no ORDER BY),
# sorted; if more come back, the many-matches plan, in which every filter column but the sort
# keys gets `+`, so the sort column's index is walked. The two costs meet near
# sqrt(first piece x orders), 16 000 for a million: neither plan then reads more than a few
# ten thousand rows (benchmarks/bench_workspace.py measured 70 actions: p95 ~100 ms instead
# of ~320 ms, max 1.3 s before).

#: Matches the few-matches plan collects before it gives way to the many-matches plan.
FEW_MATCHES: Final = 16_384


def few_statement(order_filter: OrderFilter, sort: OrderSort, *,
                  limit: int = FEW_MATCHES) -> Select[tuple[int]]:
    """At most `limit + 1` matches, found through the filter's indexes, then sorted."""
    keys = [*_SORT_KEYS[sort.column], orders.c.seq]
    columns = dict.fromkeys(keys)
    match = _match(order_filter)
    if not match:
        inner = (select(*columns).where(*filter_conditions(order_filter))
                 .limit(limit + 1).subquery())
    else:
        # A search drives the plan from the full-text index: its matches stream (a list of
        # their rowids would first be built whole: 264 000 for "etui" in a million). Then
        # the orders found by their note alone (a handful: the notes' index, by seq).
        by_fields = (select(*columns)
                     .select_from(orders.join(orders_fts, orders_fts.c.rowid == orders.c.seq))
                     .where(*filter_conditions(order_filter, fts_joined=True)))
        by_note = (select(*columns)
                   .where(*filter_conditions(replace(order_filter, search=""), by_seq=True),
                          orders.c.seq.in_(_note_matches(match)),
                          ~select(orders_fts.c.rowid).where(
                              _matches(match), orders_fts.c.rowid == orders.c.seq).exists()))
        inner = by_fields.union_all(by_note).limit(limit + 1).subquery()
    return (select(inner.c.seq)
            .order_by(*(inner.c[key.name].desc() if sort.descending else inner.c[key.name]
                        for key in dict.fromkeys(keys))))


def ids_statement(order_filter: OrderFilter, sort: OrderSort) -> Select[tuple[int]]:
    """Every match in sort order, by walking the sort column's index (the many-matches
    plan; also the whole answer on its own)."""
    return (select(orders.c.seq).where(*filter_conditions(order_filter, walk=sort))
            .order_by(*_order_by(sort)))


def _driver_query(connection: Connection, statement: Select[Any]) -> tuple[str, list[Any]]:
    """The SQL and positional parameters of a Core statement, for the sqlite3 cursor itself:
    a million ids go through SQLAlchemy's result rows three times slower."""
    # render_postcompile: `IN (...)` lists are "expanding" parameters, spelled out only when
    # SQLAlchemy itself executes; for the driver they must be rendered at compile time.
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    names = compiled.positiontup or []
    return compiled.string, [params[name] for name in names]


def _row(values: Sequence[Any], known_tags: dict[int, Tag]) -> OrderRow:
    (seq, order_id, account_key, bought_at, updated_at, buyer_login, buyer_name, buyer_company,
     buyer_email, buyer_phone, buyer_guest, items_summary, items_count, quantity, total_minor,
     currency, payment_type, payment_provider, paid_at, status, fulfillment_status,
     delivery_method, delivery_cost_minor, city, zip_code, country_code, pickup_point_id,
     pickup_point_name, invoice_required, invoice_company, invoice_nip, marketplace_id,
     message, note, tag_ids, private_note) = values
    return OrderRow(
        seq=seq, id=order_id, account_key=account_key, bought_at=from_ms(bought_at),
        updated_at=from_ms_or_none(updated_at), buyer_login=buyer_login,
        buyer_name=buyer_name, buyer_company=buyer_company, buyer_email=buyer_email,
        buyer_phone=buyer_phone, buyer_guest=bool(buyer_guest),
        items_summary=items_summary or "", items_count=items_count, quantity=quantity,
        total=Money.from_minor(total_minor, currency), payment_type=payment_type,
        payment_provider=payment_provider, paid_at=from_ms_or_none(paid_at), status=status,
        fulfillment_status=fulfillment_status, delivery_method=delivery_method,
        delivery_cost=(None if delivery_cost_minor is None
                       else Money.from_minor(delivery_cost_minor, currency)),
        city=city, zip_code=zip_code, country_code=country_code,
        pickup_point_id=pickup_point_id, pickup_point_name=pickup_point_name,
        invoice_required=bool(invoice_required), invoice_company=invoice_company,
        invoice_nip=invoice_nip, marketplace_id=marketplace_id, message_to_seller=message,
        note=note, tags=_order_tags(tag_ids, known_tags), private_note=private_note)


def _tags_by_id(connection: Connection) -> dict[int, Tag]:
    return {tag.id: tag for tag in map(tag_of, connection.execute(
        select(tags.c.id, tags.c.name, tags.c.colour, tags.c.created_at)))}


def _order_tags(tag_ids: str | None, known: dict[int, Tag]) -> tuple[Tag, ...]:
    """An order's tags from its `group_concat` of tag ids, by name (case ignored)."""
    if not tag_ids:
        return ()
    found = [known[int(i)] for i in tag_ids.split(",") if int(i) in known]
    return tuple(sorted(found, key=lambda tag: (tag_key(tag.name), tag.id)))


class OrderQueries:
    """Filtered, sorted reads of the order list (see the module's docstring)."""

    def __init__(self, *, database: Database, few_matches: int = FEW_MATCHES) -> None:
        self._db = database
        self._few_matches = few_matches

    def iter_seqs(self, order_filter: OrderFilter, sort: OrderSort, *, first: int = 256,
                  chunk: int = 65536) -> Generator[array[int]]:
        """The seqs of the orders `order_filter` selects, in `sort` order, in pieces: the
        first `first` as soon as SQLite has them, then `chunk` at a time — each plan is one
        statement, so one snapshot (a sync committing meanwhile changes nothing of it).
        Closing the iterator early stops the query. The plan is chosen as described above
        `FEW_MATCHES`."""
        with self._db.read() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            if self._maybe_few(connection, order_filter):
                sql, params = _driver_query(connection, few_statement(
                    order_filter, sort, limit=self._few_matches))
                found = [row[0] for row in driver.execute(sql, params)]
                if len(found) <= self._few_matches:
                    if found:
                        yield array("q", found[:first])
                    for start in range(first, len(found), chunk):
                        yield array("q", found[start:start + chunk])
                    return
            sql, params = _driver_query(connection, ids_statement(order_filter, sort))
            cursor = driver.execute(sql, params)
            try:
                size = first
                while rows := cursor.fetchmany(size):
                    yield array("q", [row[0] for row in rows])
                    size = chunk
            finally:
                cursor.close()

    def _maybe_few(self, connection: Connection, order_filter: OrderFilter) -> bool:
        """Whether the few-matches plan is worth trying: not when nothing is filtered, and
        not for a search alone whose words the full-text index finds more often than that
        (counting them there is cheaper than the plan's collecting: "etui" is in a quarter
        of a million orders)."""
        if replace(order_filter, search="") != OrderFilter():
            return True
        match = _match(order_filter)
        if match is None:  # nothing filtered (no search, or one character so far)
            return False
        if not match:  # nothing can match
            return True
        hits = connection.scalar(
            select(func.count()).select_from(
                select(orders_fts.c.rowid).where(_matches(match))
                .limit(self._few_matches + 1).subquery()))
        return int(hits or 0) <= self._few_matches

    def seqs(self, order_filter: OrderFilter, sort: OrderSort) -> array[int]:
        """All of `iter_seqs` at once."""
        found = array("q")
        for piece in self.iter_seqs(order_filter, sort):
            found.extend(piece)
        return found

    def count(self, order_filter: OrderFilter) -> int:
        with self._db.read() as connection:
            return int(connection.scalar(
                select(func.count()).select_from(orders)
                .where(*filter_conditions(order_filter))) or 0)

    def any_orders(self) -> bool:
        """Whether any order is stored (one index probe, cheap enough for the GUI thread)."""
        with self._db.read() as connection:
            return connection.scalar(
                select(orders.c.seq).where(_not_gone()).limit(1)) is not None

    def quick_counts(self, order_filter: OrderFilter) -> dict[QuickFilter, int]:
        """How many orders each quick filter would show, with every other condition of
        `order_filter` applied (what the quick-filter buttons say)."""
        counts = dict.fromkeys(QuickFilter, 0)
        statement = (select(orders.c.status, orders.c.fulfillment_status, func.count())
                     .where(*filter_conditions(order_filter, with_quick=False))
                     .group_by(orders.c.status, orders.c.fulfillment_status))
        with self._db.read() as connection:
            for status, fulfillment, number in connection.execute(statement):
                counts[QuickFilter.ALL] += number
                stage = quick_filter_of(status, fulfillment)
                if stage is not None:
                    counts[stage] += number
        return counts

    def rows(self, seqs: Iterable[int]) -> dict[int, OrderRow]:
        """The rows of these orders by seq (a seq no longer stored is simply absent)."""
        wanted = list(seqs)
        found: dict[int, OrderRow] = {}
        known: dict[int, Tag] | None = None
        with self._db.read() as connection:
            for piece in in_chunks(wanted):
                for values in connection.execute(
                        select(*_ROW_COLUMNS).where(orders.c.seq.in_(piece))):
                    if values[-2] and known is None:  # the first tagged order: the tags
                        known = _tags_by_id(connection)
                    found[values[0]] = _row(values, known or {})
            marks = action_marks(connection, (row.id for row in found.values()))
        if marks:
            found = {seq: replace(row, actions=marks[row.id]) if row.id in marks else row
                     for seq, row in found.items()}
        return found

    def line_items(self, seqs: Iterable[int]) -> dict[int, list[LineItemRow]]:
        """The line items of these orders by seq, in the order Allegro lists them."""
        wanted = list(seqs)
        found: dict[int, list[LineItemRow]] = {}
        statement_columns = (orders.c.seq, line_items.c.order_id, line_items.c.id,
                             line_items.c.position, line_items.c.offer_id,
                             line_items.c.offer_name, line_items.c.external_id,
                             line_items.c.quantity, line_items.c.price_minor,
                             line_items.c.original_price_minor, line_items.c.currency,
                             line_items.c.bought_at)
        with self._db.read() as connection:
            for piece in in_chunks(wanted):
                result = connection.execute(
                    select(*statement_columns)
                    .join_from(orders, line_items, line_items.c.order_id == orders.c.id)
                    .where(orders.c.seq.in_(piece))
                    .order_by(orders.c.seq, line_items.c.position))
                for (seq, order_id, item_id, position, offer_id, offer_name, external_id,
                     quantity, price, original, currency, bought_at) in result:
                    found.setdefault(seq, []).append(LineItemRow(
                        order_seq=seq, order_id=order_id, id=item_id, position=position,
                        offer_id=offer_id, offer_name=offer_name, external_id=external_id,
                        quantity=quantity, price=Money.from_minor(price, currency),
                        original_price=Money.from_minor(original, currency),
                        bought_at=from_ms_or_none(bought_at)))
        return found

    def details(self, seq: int) -> OrderDetails | None:
        """One order with its items, its journal and its form; None if no longer stored."""
        row = self.rows([seq]).get(seq)
        if row is None:
            return None
        items = self.line_items([seq]).get(seq, [])
        with self._db.read() as connection:
            raw = connection.scalar(select(order_forms.c.raw).where(order_forms.c.seq == seq))
            events = connection.execute(
                select(order_events.c.event_id, order_events.c.type,
                       order_events.c.occurred_at, order_events.c.revision)
                .where(order_events.c.checkout_form_id == row.id,
                       order_events.c.account_key == row.account_key)
                .order_by(order_events.c.occurred_at, order_events.c.event_seq)).all()
        return OrderDetails(
            row=row, line_items=tuple(items),
            events=tuple(EventRow(event_id=e.event_id, type=e.type,
                                  occurred_at=from_ms(e.occurred_at), revision=e.revision)
                         for e in events),
            form=orjson.loads(raw) if raw else {})

    def forms(self, seqs: Iterable[int]) -> dict[int, str]:
        """The checkout forms of these orders by seq, as stored (JSON text, unparsed: a
        printout parses each on its own, so one unreadable form spoils only its order)."""
        wanted = list(seqs)
        found: dict[int, str] = {}
        with self._db.read() as connection:
            for piece in in_chunks(wanted):
                for seq, raw in connection.execute(
                        select(order_forms.c.seq, order_forms.c.raw)
                        .where(order_forms.c.seq.in_(piece))):
                    found[int(seq)] = raw
        return found

    def seq_of(self, order_id: str) -> int | None:
        """The seq of a checkout-form id (a new-order notification names orders by id)."""
        with self._db.read() as connection:
            value = connection.scalar(select(orders.c.seq).where(orders.c.id == order_id))
        return None if value is None else int(value)

    def seqs_of(self, order_ids: Iterable[str]) -> dict[str, int]:
        """The seqs of many checkout-form ids at once (those stored), a few statements for
        thousands of ids (the orders a first sync after days offline announces)."""
        wanted = list(dict.fromkeys(order_ids))
        found: dict[str, int] = {}
        with self._db.read() as connection:
            for chunk in in_chunks(wanted):
                found.update((str(order_id), int(seq)) for order_id, seq in connection.execute(
                    select(orders.c.id, orders.c.seq).where(orders.c.id.in_(chunk))))
        return found

    def facets(self) -> Facets:
        def distinct(column: ColumnElement[Any]) -> tuple[str, ...]:
            statement = (select(column).where(column.is_not(None)).distinct()
                         .order_by(column))
            return tuple(connection.scalars(statement))

        with self._db.read() as connection:
            return Facets(accounts=distinct(orders.c.account_key),
                          delivery_methods=distinct(orders.c.delivery_method_name),
                          payment_types=distinct(orders.c.payment_type),
                          marketplaces=distinct(orders.c.marketplace_id),
                          currencies=distinct(orders.c.currency))
