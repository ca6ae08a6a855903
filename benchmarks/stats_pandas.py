"""The Statistics tab's exact path done with pandas, for `bench_stats_pandas.py` to measure
against the SQL of `services/stats.py` (issue 14, item 10). Benchmark-only: the app does not
use it (docs/PERFORMANCE.md, "Statistics with pandas", says why).

`compute_with_pandas(database, request)` returns the very `StatsResult` that
`StatsService(database=…, use_rollups=False).compute(request)` returns, apart from `seconds`:

- one read of the orders of the period and the previous one, with the workspace filter's own
  WHERE (`order_query.filter_conditions`, as the exact path) and the statistics' definitions
  of sold / cancelled / unpaid as 0/1 columns (`stage_condition`, the same SQL), into a
  DataFrame through `pandas.read_sql_query` on the pooled sqlite3 connection;
- one read of the line items of the period's sold orders (offer, currency, quantity, price);
- everything else in pandas/numpy: totals per currency (`groupby`), the series' local buckets
  (`searchsorted` on the local midnights, each order placed by the start of its UTC hour — or
  quarter hour where the zone's offsets are not whole hours — as the service does), the heat
  map (local weekday and hour of each distinct unit), the splits and the top products.

Unlike SQLite's SUM, numpy's int64 sums wrap around instead of failing: amounts past
`EXACT_LIMIT` would give wrong sums here, where the service raises `StatsOverflowError`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.engine import Connection

from allegro_desktop.domain.filters import QuickFilter
from allegro_desktop.services.stats import (
    _QUARTER_MS,
    ProductRow,
    SeriesPoint,
    SplitRow,
    StatsRequest,
    StatsResult,
    Totals,
    _amount,
    _bucket_start,
    _local,
    _main_currency,
    _midnight_ms,
    _next_bucket,
    _overflow_reported,
    _whole_hours,
)
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import filter_conditions, stage_condition
from allegro_desktop.storage.schema import line_items, orders
from allegro_desktop.storage.stats_queries import HOUR_MS, _sold, offer_names
from allegro_desktop.storage.times import MIN_MS, clamp_ms, from_ms, to_ms

__all__ = ["compute_with_pandas"]

_EMPTY = Totals(orders=0, sold=0, cancelled=0, unpaid=0, units=0, revenue={},
                sold_by_currency={}, orders_by_currency={})


def compute_with_pandas(database: Database, request: StatsRequest) -> StatsResult:
    """What `StatsService(use_rollups=False).compute(request)` computes, in pandas."""
    began = time.perf_counter()
    f = request.order_filter
    start, end = to_ms(request.start), to_ms(request.end)
    if f.bought_from is not None:
        start = max(start, to_ms(f.bought_from))
    if f.bought_to is not None:
        end = min(end, to_ms(f.bought_to))
    end = max(start, end)
    base = replace(f, bought_from=None, bought_to=None)
    tz = request.time_zone
    unit = HOUR_MS if _whole_hours(tz, start, end) else _QUARTER_MS
    earliest = max(start - (end - start), MIN_MS)
    with database.read() as connection, _overflow_reported():
        frame = _orders_frame(connection, base, earliest, end)
        current = frame[frame["bought_at"].to_numpy() >= start]
        previous = frame[frame["bought_at"].to_numpy() < start]
        del frame
        items = _items_frame(connection, base, start, end)
        totals = _totals(current)
        main = _main_currency(totals)
        top_revenue, top_units = _top(items, main, request.top)
        names = offer_names(connection, [row.offer_id for row in (*top_revenue, *top_units)])
    by_delivery = _split(current, "delivery")
    by_marketplace = _split(current, "marketplace")
    series, heatmap = _series_and_heatmap(current, unit, tz, start, end, request=request)
    return StatsResult(
        request=request, totals=totals, previous=_totals(previous), series=series,
        top_by_revenue=[replace(row, name=names.get(row.offer_id, row.offer_id))
                        for row in top_revenue],
        top_by_units=[replace(row, name=names.get(row.offer_id, row.offer_id))
                      for row in top_units],
        by_delivery=by_delivery, by_marketplace=by_marketplace, heatmap=heatmap,
        main_currency=main, seconds=time.perf_counter() - began, fast_path=False)


def _in_period(base: Any, start_ms: int, end_ms: int) -> Any:
    return replace(base, bought_from=from_ms(clamp_ms(start_ms)),
                   bought_to=from_ms(clamp_ms(end_ms)))


def _read(connection: Connection, statement: Select[Any]) -> pd.DataFrame:
    """The rows of `statement` as a DataFrame, read by pandas on the sqlite3 connection
    itself (as `stats_queries._fetch` reads them)."""
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    driver = connection.connection.driver_connection
    assert driver is not None
    return pd.read_sql_query(compiled.string, driver,
                             params=[params[name] for name in compiled.positiontup or []])


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _orders_frame(connection: Connection, base: Any, start_ms: int, end_ms: int,
                  ) -> pd.DataFrame:
    o = orders.c
    columns = ["bought_at", "currency", "sold", "cancelled", "unpaid", "revenue", "units",
               "marketplace", "delivery"]
    if start_ms >= end_ms:
        return pd.DataFrame({name: pd.Series(dtype="int64") for name in columns})
    sold = _sold(o.status, o.fulfillment_status)
    statement = (select(o.bought_at, o.currency,
                        _flag(sold).label("sold"),
                        _flag(stage_condition(QuickFilter.CANCELLED, o.status,
                                              o.fulfillment_status)).label("cancelled"),
                        _flag(stage_condition(QuickFilter.UNPAID, o.status,
                                              o.fulfillment_status)).label("unpaid"),
                        o.total_minor.label("revenue"), o.quantity.label("units"),
                        func.coalesce(o.marketplace_id, "").label("marketplace"),
                        func.coalesce(o.delivery_method_name, "").label("delivery"))
                 .where(*filter_conditions(_in_period(base, start_ms, end_ms))))
    frame = _read(connection, statement)
    sold_flag = frame["sold"].to_numpy()
    # revenue and units count for sold orders only
    frame["revenue"] = frame["revenue"].to_numpy() * sold_flag
    frame["units"] = frame["units"].to_numpy() * sold_flag
    return frame


def _items_frame(connection: Connection, base: Any, start_ms: int, end_ms: int,
                 ) -> pd.DataFrame:
    li = line_items.c
    if start_ms >= end_ms:
        return pd.DataFrame({"offer_id": pd.Series(dtype=object),
                             "currency": pd.Series(dtype=object),
                             "units": pd.Series(dtype="int64"),
                             "revenue": pd.Series(dtype="int64")})
    statement = (select(li.offer_id, li.currency, li.quantity.label("units"),
                        li.price_minor.label("revenue"))
                 .join_from(orders, line_items, li.order_id == orders.c.id)
                 .where(*filter_conditions(_in_period(base, start_ms, end_ms)),
                        _sold(orders.c.status, orders.c.fulfillment_status)))
    frame = _read(connection, statement)
    frame["revenue"] = frame["revenue"].to_numpy() * frame["units"].to_numpy()
    return frame


def _totals(frame: pd.DataFrame) -> Totals:
    if frame.empty:
        return _EMPTY
    sums = frame.groupby("currency", sort=True)[
        ["sold", "revenue", "units", "cancelled", "unpaid"]].sum()
    counts = frame.groupby("currency", sort=True).size()
    by: dict[str, dict[str, int]] = {
        currency: {"orders": int(counts[currency]),
                   **{name: int(value) for name, value in row.items()}}
        for currency, row in sums.to_dict("index").items()}
    return Totals(
        orders=sum(s["orders"] for s in by.values()),
        sold=sum(s["sold"] for s in by.values()),
        cancelled=sum(s["cancelled"] for s in by.values()),
        unpaid=sum(s["unpaid"] for s in by.values()),
        units=sum(s["units"] for s in by.values()),
        revenue={c: _amount(s["revenue"]) for c, s in by.items() if s["sold"]},
        sold_by_currency={c: s["sold"] for c, s in by.items() if s["sold"]},
        orders_by_currency={c: s["orders"] for c, s in by.items() if s["orders"]})


def _days(tz: Any, start: int, end: int, request: StatsRequest) -> list[date]:
    days: list[date] = []
    if start < end:
        day = _bucket_start(_local(start, tz).date(), request.granularity)
        last = _local(end - 1, tz).date()
        while day <= last:
            days.append(day)
            try:
                day = _next_bucket(day, request.granularity)
            except (OverflowError, ValueError):  # the last bucket of the year 9999
                break
    return days


def _series_and_heatmap(frame: pd.DataFrame, unit: int, tz: Any, start: int, end: int, *,
                        request: StatsRequest) -> tuple[list[SeriesPoint], list[list[int]]]:
    days = _days(tz, start, end, request)
    bounds = np.array([_midnight_ms(day, tz) for day in days], dtype=np.int64)
    n = len(days)
    units = frame["bought_at"].to_numpy() // unit
    distinct, where = np.unique(units, return_inverse=True)
    cells = np.array([local.weekday() * 24 + local.hour
                      for local in (_local(int(u) * unit, tz) for u in distinct)],
                     dtype=np.int64)
    heat = np.bincount(cells[where], minlength=7 * 24) if len(units) else np.zeros(7 * 24)
    bucket = np.maximum(np.searchsorted(bounds, units * unit, side="right") - 1, 0)
    orders_of = np.bincount(bucket, minlength=n)
    sold_flag = frame["sold"].to_numpy()
    sold_of = np.bincount(bucket, weights=sold_flag, minlength=n)
    sold_rows = frame[sold_flag == 1]
    revenue = (sold_rows.assign(bucket=bucket[sold_flag == 1])
               .groupby(["bucket", "currency"], sort=True)["revenue"].sum())
    by_bucket: list[dict[str, Any]] = [{} for _ in days]
    for (b, currency), minor in revenue.items():
        if b < n:
            by_bucket[b][currency] = _amount(int(minor))
    series = [SeriesPoint(start=day, orders=int(orders_of[i]), sold=int(sold_of[i]),
                          revenue=by_bucket[i]) for i, day in enumerate(days)]
    heat_list = [int(x) for x in heat]
    return series, [heat_list[day * 24:(day + 1) * 24] for day in range(7)]


def _split(frame: pd.DataFrame, key: str) -> list[SplitRow]:
    if frame.empty:
        return []
    grouped = frame.groupby([key, "currency"], sort=True).agg(
        orders=("sold", "size"), sold=("sold", "sum"), revenue=("revenue", "sum"))
    rows: dict[str, list[Any]] = {}
    for (name, currency), n, n_sold, minor in zip(
            grouped.index, grouped["orders"], grouped["sold"], grouped["revenue"], strict=True):
        row = rows.setdefault(name, [0, 0, {}])
        row[0] += int(n)
        row[1] += int(n_sold)
        if n_sold:
            row[2][currency] = _amount(int(minor))
    return sorted((SplitRow(key=name, orders=n, sold=n_sold, revenue=revenue)
                   for name, (n, n_sold, revenue) in rows.items() if n),
                  key=lambda row: (-row.orders, row.key))


def _top(items: pd.DataFrame, main: str | None, top: int,
         ) -> tuple[list[ProductRow], list[ProductRow]]:
    if items.empty:
        return [], []
    per_currency = items.groupby(["offer_id", "currency"], sort=False)[
        ["units", "revenue"]].sum()
    per_currency["earned"] = per_currency["revenue"] != 0
    per_offer = per_currency.groupby(level="offer_id").agg(
        units=("units", "sum"), any_revenue=("earned", "any"))
    if main is not None and main in per_currency.index.get_level_values("currency"):
        main_revenue = per_currency.xs(main, level="currency")["revenue"]
        per_offer["main"] = main_revenue.reindex(per_offer.index, fill_value=0)
    else:
        per_offer["main"] = 0
    per_offer = per_offer[(per_offer["units"] != 0) | per_offer["any_revenue"]]
    per_offer = per_offer.reset_index()
    by_revenue = per_offer.sort_values(["main", "units", "offer_id"],
                                       ascending=[False, False, True]).head(top)
    by_units = per_offer.sort_values(["units", "main", "offer_id"],
                                     ascending=[False, False, True]).head(top)

    def rows(chosen: pd.DataFrame) -> list[ProductRow]:
        money = per_currency.loc[list(chosen["offer_id"])]["revenue"]
        revenue: dict[str, dict[str, int]] = {}
        for (offer_id, currency), minor in money.items():
            revenue.setdefault(offer_id, {})[currency] = int(minor)
        return [ProductRow(offer_id=offer_id, name=offer_id, units=int(units),
                           revenue={c: _amount(m) for c, m in sorted(revenue[offer_id].items())
                                    if m})
                for offer_id, units in zip(chosen["offer_id"], chosen["units"], strict=True)]

    return rows(by_revenue), rows(by_units)
