"""The SQL of the statistics: grouped sums of the orders of a period, from the rollups of
migration 0005 where they can answer, else straight from `orders` / `line_items`.

Every function returns *facts*: plain tuples of a grouping key and integer sums, the same
shape from either source, so `services/stats.py` assembles identical results from both:

- `time_facts`: per time unit (`bought_at // unit_ms`) and currency: orders, sold orders, their
  revenue and units, cancelled and unpaid orders;
- `split_facts`: per marketplace, delivery method and currency: orders, sold, revenue;
- `offer_facts`: per offer and currency: units and revenue of the line items of sold orders.

**Fast path** (`fast=True`, only for filters `rollup_can_answer` accepts): the whole units of
the period (UTC hours, UTC months) come from a rollup; the partial units at its edges (a
period starting at a Warsaw midnight starts at 23:00 UTC: a partial UTC day and month) are
summed exactly from `orders` through its `bought_at` index — a few thousand orders at most for
hours, a few weeks' for months. **Exact path**: everything from `orders` with the workspace
filter's own conditions (`order_query.filter_conditions`: search, payment, totals, …).

What counts (the definitions of services/stats.py): orders that are not gone; *sold*: status
READY_FOR_PROCESSING and fulfillment not CANCELLED; *cancelled* / *unpaid*: the quick stages.

Reads only, on the caller's connection (one snapshot for all the statistics of a request).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import MAXYEAR, UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.engine import Connection

from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage import first_fill
from allegro_desktop.storage.order_query import filter_conditions, searches, stage_condition
from allegro_desktop.storage.schema import (
    line_items,
    orders,
    stats_hourly,
    stats_monthly,
    stats_offer_names,
    stats_offers,
)
from allegro_desktop.storage.times import clamp_ms, from_ms

__all__ = [
    "HOUR_MS",
    "OfferFact",
    "SplitFact",
    "TimeFact",
    "month_starts",
    "offer_facts",
    "offer_names",
    "rollup_can_answer",
    "rollups_current",
    "split_facts",
    "time_facts",
]

HOUR_MS: Final = 3_600_000

#: (unit, currency, orders, sold, revenue_minor, units, cancelled, unpaid)
TimeFact = tuple[int, str, int, int, int, int, int, int]
#: (marketplace_id or "", delivery method name or "", currency, orders, sold, revenue_minor)
SplitFact = tuple[str, str, str, int, int, int]
#: (offer_id, currency, units, revenue_minor)
OfferFact = tuple[str, str, int, int]

_READY = OrderStatus.READY_FOR_PROCESSING.value
_CANCELLED = FulfillmentStatus.CANCELLED.value


def rollup_can_answer(order_filter: OrderFilter, *, splits: bool = False) -> bool:
    """Whether the rollups hold every condition of the filter apart from its dates: the quick
    stage and accounts (and, for the splits' monthly rollup, marketplaces and delivery
    methods, unless one of them is "" — the rollup's stand-in for none)."""
    f = order_filter
    rest = replace(f, quick=QuickFilter.ALL, accounts=frozenset(), bought_from=None,
                   bought_to=None, search=f.search if searches(f) else "")
    if splits and "" not in f.marketplaces and "" not in f.delivery_methods:
        rest = replace(rest, marketplaces=frozenset(), delivery_methods=frozenset())
    return rest == OrderFilter()


def _sold(status: ColumnElement[Any], fulfillment: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(status == _READY, or_(fulfillment.is_(None), fulfillment != _CANCELLED))


def _when(condition: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.sum(case((condition, value), else_=0))


def _measures(status: ColumnElement[Any], fulfillment: ColumnElement[Any],
              count: ColumnElement[Any], revenue: ColumnElement[Any],
              units: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    sold = _sold(status, fulfillment)
    return [func.sum(count), _when(sold, count), _when(sold, revenue), _when(sold, units),
            _when(stage_condition(QuickFilter.CANCELLED, status, fulfillment), count),
            _when(stage_condition(QuickFilter.UNPAID, status, fulfillment), count)]


def _in_period(order_filter: OrderFilter, start_ms: int, end_ms: int) -> OrderFilter:
    """The filter narrowed to [start, end) (cut to the years 1-9999: every stored order is)."""
    return replace(order_filter, bought_from=from_ms(clamp_ms(start_ms)),
                   bought_to=from_ms(clamp_ms(end_ms)))


def _rollup_conditions(table: Table, order_filter: OrderFilter) -> list[ColumnElement[bool]]:
    f = order_filter
    conditions: list[ColumnElement[bool]] = []
    if f.accounts:
        conditions.append(table.c.account_key.in_(sorted(f.accounts)))
    if f.quick is not QuickFilter.ALL:
        conditions.append(stage_condition(f.quick, table.c.status,
                                          func.nullif(table.c.fulfillment_status, "")))
    if "marketplace_id" in table.c and f.marketplaces:
        conditions.append(table.c.marketplace_id.in_(sorted(f.marketplaces)))
    if "delivery_method_name" in table.c and f.delivery_methods:
        conditions.append(table.c.delivery_method_name.in_(sorted(f.delivery_methods)))
    return conditions


def _fetch(connection: Connection, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows through the sqlite3 cursor itself (SQLAlchemy's result rows cost more than
    SQLite's own work for tens of thousands of small rows)."""
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    driver = connection.connection.driver_connection
    assert driver is not None
    return list(driver.execute(compiled.string,
                               [params[name] for name in compiled.positiontup or []]))


def _edges(start_ms: int, end_ms: int, first: int, last: int) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the whole units [first, last) (non-empty only)."""
    if first >= last:
        return [(start_ms, end_ms)] if start_ms < end_ms else []
    return [(a, b) for a, b in ((start_ms, first), (last, end_ms)) if a < b]


# -- time ---------------------------------------------------------------------------------------


def time_facts(connection: Connection, order_filter: OrderFilter, start_ms: int, end_ms: int,
               *, unit_ms: int = HOUR_MS, fast: bool) -> list[TimeFact]:
    """Sums per time unit and currency of the orders bought in [start, end) that the filter
    (apart from its dates) selects. `fast` (hourly units only): whole hours from
    `stats_hourly`. A unit may come in several rows (an edge and the rollup): add them up."""
    if start_ms >= end_ms:
        return []
    if not fast:
        return _time_exact(connection, order_filter, start_ms, end_ms, unit_ms)
    if unit_ms != HOUR_MS:
        raise ValueError("the hourly rollup answers for hours only")
    first = -(-start_ms // HOUR_MS)
    last = end_ms // HOUR_MS
    facts: list[TimeFact] = []
    for a, b in _edges(start_ms, end_ms, first * HOUR_MS, last * HOUR_MS):
        facts += _time_exact(connection, order_filter, a, b, unit_ms)
    if first < last:
        t = stats_hourly
        statement = (select(t.c.hour, t.c.currency, func.sum(t.c.order_count),
                            func.sum(t.c.order_count * t.c.sold),
                            func.sum(t.c.revenue_minor * t.c.sold),
                            func.sum(t.c.units * t.c.sold),
                            func.sum(t.c.order_count * t.c.cancelled),
                            func.sum(t.c.order_count * t.c.unpaid))
                     .where(t.c.hour >= first, t.c.hour < last,
                            *_rollup_conditions(t, order_filter))
                     .group_by(t.c.hour, t.c.currency))
        facts += _fetch(connection, statement)
    return facts


def _time_exact(connection: Connection, order_filter: OrderFilter, start_ms: int, end_ms: int,
                unit_ms: int) -> list[TimeFact]:
    unit: ColumnElement[int] = literal_column(f"orders.bought_at / {int(unit_ms)}")
    statement = (select(unit, orders.c.currency,
                        *_measures(orders.c.status, orders.c.fulfillment_status, literal(1),
                                   orders.c.total_minor, orders.c.quantity))
                 .where(*filter_conditions(_in_period(order_filter, start_ms, end_ms)))
                 .group_by(unit, orders.c.currency))
    return _fetch(connection, statement)


# -- months -------------------------------------------------------------------------------------


def month_starts(start_ms: int, end_ms: int) -> tuple[int, int]:
    """The first UTC month start at or after `start_ms` and the last at or before `end_ms`
    (the whole months of the period are [first, last) when first < last)."""
    start = from_ms(clamp_ms(start_ms))
    first = datetime(start.year, start.month, 1, tzinfo=UTC)
    if _ms(first) < start_ms:
        if first.year == MAXYEAR and first.month == 12:
            return end_ms, end_ms  # no whole month after December 9999
        first = datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)
    end = from_ms(clamp_ms(end_ms))
    last = datetime(end.year, end.month, 1, tzinfo=UTC)
    return _ms(first), _ms(last)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp()) * 1000


def split_facts(connection: Connection, order_filter: OrderFilter, start_ms: int, end_ms: int,
                *, fast: bool) -> list[SplitFact]:
    """Sums per marketplace, delivery method and currency ("" for none) of the orders bought in
    [start, end) that the filter selects. `fast`: whole UTC months from `stats_monthly`."""
    if start_ms >= end_ms:
        return []
    first, last = month_starts(start_ms, end_ms) if fast else (end_ms, end_ms)
    facts: list[SplitFact] = []
    for a, b in _edges(start_ms, end_ms, first, last):
        o = orders.c
        marketplace = func.coalesce(o.marketplace_id, "")
        delivery = func.coalesce(o.delivery_method_name, "")
        statement = (select(marketplace, delivery, o.currency,
                            *_measures(o.status, o.fulfillment_status, literal(1),
                                       o.total_minor, o.quantity)[:3])
                     .where(*filter_conditions(_in_period(order_filter, a, b)))
                     .group_by(marketplace, delivery, o.currency))
        facts += _fetch(connection, statement)
    if first < last:
        t = stats_monthly
        statement = (select(t.c.marketplace_id, t.c.delivery_method_name, t.c.currency,
                            *_measures(t.c.status, func.nullif(t.c.fulfillment_status, ""),
                                       t.c.order_count, t.c.revenue_minor, t.c.units)[:3])
                     .where(t.c.month >= first, t.c.month < last,
                            *_rollup_conditions(t, order_filter))
                     .group_by(t.c.marketplace_id, t.c.delivery_method_name, t.c.currency))
        facts += _fetch(connection, statement)
    return facts


def offer_facts(connection: Connection, order_filter: OrderFilter, start_ms: int, end_ms: int,
                *, fast: bool) -> list[OfferFact]:
    """Units and revenue (price × quantity) per offer and currency of the line items of the
    sold orders bought in [start, end) that the filter selects. `fast`: whole UTC months from
    `stats_offers`."""
    if start_ms >= end_ms:
        return []
    first, last = month_starts(start_ms, end_ms) if fast else (end_ms, end_ms)
    facts: list[OfferFact] = []
    li = line_items.c
    for a, b in _edges(start_ms, end_ms, first, last):
        statement = (select(li.offer_id, li.currency, func.sum(li.quantity),
                            func.sum(li.quantity * li.price_minor))
                     .join_from(orders, line_items, li.order_id == orders.c.id)
                     .where(*filter_conditions(_in_period(order_filter, a, b)),
                            _sold(orders.c.status, orders.c.fulfillment_status))
                     .group_by(li.offer_id, li.currency))
        facts += _fetch(connection, statement)
    if first < last:
        t = stats_offers
        statement = (select(t.c.offer_id, t.c.currency, func.sum(t.c.units),
                            func.sum(t.c.revenue_minor))
                     .where(t.c.month >= first, t.c.month < last,
                            *_rollup_conditions(t, order_filter))
                     .group_by(t.c.offer_id, t.c.currency))
        facts += _fetch(connection, statement)
    return facts


def offer_names(connection: Connection, offer_ids: Sequence[str], *,
                from_rollup: bool = True) -> dict[str, str]:
    """The title each offer was last bought under: from `stats_offer_names`, or, without
    `from_rollup`, from the line items stored (as the rollup is filled from them)."""
    if not offer_ids:
        return {}
    wanted = sorted(set(offer_ids))
    if from_rollup:
        t = stats_offer_names
        return dict(_fetch(connection, select(t.c.offer_id, t.c.offer_name)
                           .where(t.c.offer_id.in_(wanted))))
    li = line_items.c
    # max() makes SQLite take the bare offer_name from the row holding the maximum
    latest = func.max(func.coalesce(li.bought_at, orders.c.bought_at))
    rows = _fetch(connection, select(li.offer_id, li.offer_name, latest)
                  .join_from(line_items, orders, li.order_id == orders.c.id)
                  .where(li.offer_id.in_(wanted)).group_by(li.offer_id))
    return {offer_id: name for offer_id, name, _latest in rows}


def rollups_current(connection: Connection) -> bool:
    """Whether the rollups hold every stored order: not while a first fill has set their
    upkeep aside (storage/first_fill.py); the statistics then read the orders themselves."""
    return not first_fill.catch_up_due(connection)
