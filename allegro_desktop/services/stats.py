"""Sales statistics of the stored orders: `StatsService.compute` answers a `StatsRequest` (a
period, a time zone, the workspace filter) with the figures the Statistics tab shows. No Qt: run
on a worker thread of the window, in benchmarks and in tests. What counts as an order, sold,
cancelled or unpaid, and the fast (rollups) and exact paths: ARCHITECTURE.md "Statistics".
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.domain.filters import OrderFilter
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.stats_queries import (
    HOUR_MS,
    OfferFact,
    SplitFact,
    TimeFact,
    offer_facts,
    offer_names,
    rollup_can_answer,
    rollups_current,
    split_facts,
    time_facts,
)
from allegro_desktop.storage.times import MIN_MS, clamp_ms, from_ms, local_time, to_ms

__all__ = [
    "Granularity",
    "ProductRow",
    "SeriesPoint",
    "SplitRow",
    "StatsCancelledError",
    "StatsOverflowError",
    "StatsRequest",
    "StatsResult",
    "StatsService",
    "Totals",
]

log = logging.getLogger("allegro_desktop.services")


class Granularity(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class StatsRequest:
    """`start`/`end`: aware datetimes, [start, end). `order_filter`: the workspace's filter
    (its own bought_from/bought_to narrow the period further). `top`: rows of each top list."""

    start: datetime
    end: datetime
    time_zone: tzinfo
    order_filter: OrderFilter = field(default_factory=OrderFilter)
    granularity: Granularity = Granularity.DAY
    top: int = 10


@dataclass(frozen=True)
class Totals:
    orders: int
    sold: int
    cancelled: int
    unpaid: int
    units: int
    revenue: dict[str, Decimal]  # currency -> sum of the sold orders' totals
    sold_by_currency: dict[str, int]  # currency -> sold orders
    orders_by_currency: dict[str, int] = field(default_factory=dict)  # currency -> orders

    @property
    def average(self) -> dict[str, Decimal]:
        """Average order value per currency (sold orders), rounded to 0.01."""
        return {currency: (amount / self.sold_by_currency[currency]).quantize(Decimal("0.01"))
                for currency, amount in self.revenue.items()
                if self.sold_by_currency.get(currency)}

    @property
    def cancellation_rate(self) -> float | None:
        return self.cancelled / self.orders if self.orders else None

    @property
    def unpaid_share(self) -> float | None:
        return self.unpaid / self.orders if self.orders else None


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket of the time series: `start` is its first local day (a Monday for weeks, the
    1st for months). Every bucket of the period is present, empty ones with zeros."""

    start: date
    orders: int
    sold: int
    revenue: dict[str, Decimal]


@dataclass(frozen=True)
class ProductRow:
    offer_id: str
    name: str  # the offer's most recent title
    units: int
    revenue: dict[str, Decimal]


@dataclass(frozen=True)
class SplitRow:
    """Orders of one delivery method (its name as Allegro shows it) or marketplace id; `key` is
    "" for orders without one."""

    key: str
    orders: int
    sold: int
    revenue: dict[str, Decimal]


@dataclass(frozen=True)
class StatsResult:
    request: StatsRequest
    totals: Totals
    previous: Totals
    series: list[SeriesPoint]
    top_by_revenue: list[ProductRow]  # by revenue in `main_currency`, then units
    top_by_units: list[ProductRow]
    by_delivery: list[SplitRow]  # most orders first
    by_marketplace: list[SplitRow]
    heatmap: list[list[int]]  # [weekday 0..6][hour 0..23] -> orders bought
    main_currency: str | None  # the currency with the most sold orders (None: no orders)
    seconds: float  # how long computing took
    #: Whether the rollups answered (time series and totals; ARCHITECTURE.md "Statistics").
    fast_path: bool = False


class StatsCancelledError(AppError):
    """`StatsService.compute` gave up because its `cancelled()` said so (a newer request)."""

    def __init__(self) -> None:
        super().__init__("statistics cancelled", user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The statistics were cancelled.")))


class StatsOverflowError(AppError):
    """A sum of the period is past SQLite's 64-bit integers (only thousands of amounts near
    the largest storable one add up to that)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"statistics overflow: {detail}", user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The amounts of this period add up to more than the statistics can count "
            "exactly. Choose a shorter period.")))


#: A quarter of an hour: every time zone's offset is a multiple of it.
_QUARTER_MS = 900_000
_DAY = timedelta(days=1)
_DAY_MS = 86_400_000


class StatsService:
    """Computes `StatsResult`s (ARCHITECTURE.md "Statistics"). Blocking: call it from a worker
    thread; each call reads on its own pooled connection, in one snapshot."""

    def __init__(self, *, database: Database, use_rollups: bool = True) -> None:
        """`use_rollups=False` always takes the exact path (tests and benchmarks compare)."""
        self._db = database
        self._use_rollups = use_rollups

    def compute(self, request: StatsRequest, *,
                cancelled: Callable[[], bool] | None = None) -> StatsResult:
        """All the statistics of `request`. Raises `StatsCancelledError` when `cancelled()` turns
        true between two of its queries, a `StorageError` when the database fails."""
        began = time.perf_counter()

        def check() -> None:
            if cancelled is not None and cancelled():
                raise StatsCancelledError

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
        with self._db.read() as connection, _overflow_reported():
            rollups = self._use_rollups and rollups_current(connection)
            fast = rollups and unit == HOUR_MS and rollup_can_answer(base)
            fast_splits = rollups and rollup_can_answer(base, splits=True)
            current = time_facts(connection, base, start, end, unit_ms=unit, fast=fast)
            check()
            before = time_facts(connection, base, max(start - (end - start), MIN_MS), start,
                                unit_ms=unit, fast=fast)
            check()
            splits = split_facts(connection, base, start, end, fast=fast_splits)
            check()
            offers = offer_facts(connection, base, start, end, fast=fast)
            check()
            totals, series, heatmap = _time_sums(current, unit, tz, start, end,
                                                 granularity=request.granularity)
            main = _main_currency(totals)
            top_revenue, top_units = _top(offers, main, request.top)
            names = offer_names(connection, [row[0] for row in (*top_revenue, *top_units)],
                                from_rollup=rollups)
        by_delivery, by_marketplace = _splits(splits)
        result = StatsResult(
            request=request, totals=totals, previous=_totals(before), series=series,
            top_by_revenue=[_product(row, names) for row in top_revenue],
            top_by_units=[_product(row, names) for row in top_units],
            by_delivery=by_delivery, by_marketplace=by_marketplace,
            heatmap=heatmap, main_currency=main,
            seconds=time.perf_counter() - began, fast_path=fast)
        log.debug("statistics in %.3f s (%s path)", result.seconds,
                  "fast" if fast else "exact")
        return result


@contextmanager
def _overflow_reported() -> Iterator[None]:
    """SQLite's "integer overflow" of a SUM as `StatsOverflowError`."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "overflow" not in str(exc):
            raise
        raise StatsOverflowError(str(exc)) from exc


def _amount(minor: int) -> Decimal:
    return Decimal(minor).scaleb(-2)


def _whole_hours(tz: tzinfo, start: int, end: int) -> bool:
    """Whether the zone's offset is a whole number of hours over the period (and a day
    around it, within the years 1-9999), looked at once a day: only then are local days made
    of whole UTC hours. A fixed offset is looked at once."""
    moment = from_ms(clamp_ms(start - _DAY_MS))
    last = from_ms(clamp_ms(end + _DAY_MS))
    if isinstance(tz, timezone):
        last = moment
    while True:
        local = local_time(moment, tz)  # None past year 1 or 9999: not whole hours then
        offset = None if local is None else local.utcoffset()
        if offset is None or offset % timedelta(hours=1):
            return False
        if moment >= last:
            return True
        moment = min(moment + _DAY, last)


def _totals(facts: Iterable[TimeFact]) -> Totals:
    """The totals alone (no series or heat map: nothing is placed in time)."""
    return _time_sums(facts, 0, UTC, 0, 0, granularity=Granularity.DAY)[0]


def _main_currency(totals: Totals) -> str | None:
    """The currency with the most sold orders, then the most orders, then alphabetical; None
    when there are no orders."""
    if not totals.orders:
        return None
    orders_by = totals.orders_by_currency
    return min(orders_by, key=lambda c: (-totals.sold_by_currency.get(c, 0), -orders_by[c], c))


def _local(ms: int, tz: tzinfo) -> datetime:
    """The moment `ms` in `tz`; in UTC when its local time is past year 1 or 9999."""
    moment = from_ms(clamp_ms(ms))
    return local_time(moment, tz) or moment


def _bucket_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def _next_bucket(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return day + timedelta(days=7)
    if granularity is Granularity.MONTH:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + _DAY


def _midnight_ms(day: date, tz: tzinfo) -> int:
    return to_ms(datetime(day.year, day.month, day.day, tzinfo=tz))


def _time_sums(facts: Iterable[TimeFact], unit: int, tz: tzinfo, start: int, end: int, *,
               granularity: Granularity) -> tuple[Totals, list[SeriesPoint], list[list[int]]]:
    """Totals, series and heat map in one pass over the time facts (tens of thousands of rows
    for years: one loop, each unit placed once). The series has every local bucket from the
    one holding `start` to the one holding the period's last instant, empty ones included.
    `unit` 0: totals only."""
    days: list[date] = []
    if start < end:
        day = _bucket_start(_local(start, tz).date(), granularity)
        last = _local(end - 1, tz).date()
        while day <= last:
            days.append(day)
            try:
                day = _next_bucket(day, granularity)
            except (OverflowError, ValueError):  # the last bucket of the year 9999
                break
    bounds = [_midnight_ms(day, tz) for day in days]
    n_buckets = max(len(days), 1)
    orders = [0] * n_buckets
    sold = [0] * n_buckets
    revenue: dict[tuple[int, str], int] = {}
    heat = [0] * (7 * 24)
    # currency -> [orders, sold, revenue, units, cancelled, unpaid]
    sums: dict[str, list[int]] = {}
    places: dict[int, tuple[int, int]] = {}
    for u, currency, n, n_sold, minor, n_units, n_cancelled, n_unpaid in facts:
        place = places.get(u) if unit else (0, 0)
        if place is None:
            ms = u * unit
            local = _local(ms, tz)
            place = places[u] = (max(bisect_right(bounds, ms) - 1, 0),
                                 local.weekday() * 24 + local.hour)
        bucket, cell = place
        orders[bucket] += n
        heat[cell] += n
        total = sums.get(currency)
        if total is None:
            total = sums[currency] = [0, 0, 0, 0, 0, 0]
        total[0] += n
        total[4] += n_cancelled
        total[5] += n_unpaid
        if n_sold:
            sold[bucket] += n_sold
            key = (bucket, currency)
            revenue[key] = revenue.get(key, 0) + minor
            total[1] += n_sold
            total[2] += minor
            total[3] += n_units
    by_bucket: list[dict[str, Decimal]] = [{} for _ in days]
    for (bucket, currency), minor in sorted(revenue.items()):
        if bucket < len(days):
            by_bucket[bucket][currency] = _amount(minor)
    series = [SeriesPoint(start=day, orders=orders[i], sold=sold[i], revenue=by_bucket[i])
              for i, day in enumerate(days)]
    currencies = sorted(sums)
    totals = Totals(
        orders=sum(sums[c][0] for c in currencies),
        sold=sum(sums[c][1] for c in currencies),
        cancelled=sum(sums[c][4] for c in currencies),
        unpaid=sum(sums[c][5] for c in currencies),
        units=sum(sums[c][3] for c in currencies),
        revenue={c: _amount(sums[c][2]) for c in currencies if sums[c][1]},
        sold_by_currency={c: sums[c][1] for c in currencies if sums[c][1]},
        orders_by_currency={c: sums[c][0] for c in currencies if sums[c][0]})
    return totals, series, [heat[day * 24:(day + 1) * 24] for day in range(7)]


def _splits(facts: Iterable[SplitFact]) -> tuple[list[SplitRow], list[SplitRow]]:
    delivery: dict[str, list[int]] = {}
    marketplace: dict[str, list[int]] = {}
    revenue_d: dict[str, dict[str, int]] = {}
    revenue_m: dict[str, dict[str, int]] = {}
    for market, method, currency, n, n_sold, minor in facts:
        for key, sums, revenue in ((method, delivery, revenue_d),
                                   (market, marketplace, revenue_m)):
            counts = sums.setdefault(key, [0, 0])
            counts[0] += n
            counts[1] += n_sold
            if n_sold:
                money = revenue.setdefault(key, {})
                money[currency] = money.get(currency, 0) + minor

    def rows(sums: dict[str, list[int]], revenue: dict[str, dict[str, int]]) -> list[SplitRow]:
        return sorted((SplitRow(key=key, orders=n, sold=n_sold,
                                revenue={c: _amount(m)
                                         for c, m in sorted(revenue.get(key, {}).items())})
                       for key, (n, n_sold) in sums.items() if n),
                      key=lambda row: (-row.orders, row.key))

    return rows(delivery, revenue_d), rows(marketplace, revenue_m)


_Offer = tuple[str, int, dict[str, int]]  # offer id, units, revenue per currency


def _top(facts: Iterable[OfferFact], main: str | None, top: int,
         ) -> tuple[list[_Offer], list[_Offer]]:
    units: dict[str, int] = {}
    revenue: dict[str, dict[str, int]] = {}
    for offer_id, currency, n_units, minor in facts:
        units[offer_id] = units.get(offer_id, 0) + n_units
        money = revenue.setdefault(offer_id, {})
        money[currency] = money.get(currency, 0) + minor
    offers = [(offer_id, n, revenue[offer_id]) for offer_id, n in units.items()
              if n or any(revenue[offer_id].values())]

    def main_revenue(offer: _Offer) -> int:
        return offer[2].get(main, 0) if main is not None else 0

    by_revenue = sorted(offers, key=lambda o: (-main_revenue(o), -o[1], o[0]))[:top]
    by_units = sorted(offers, key=lambda o: (-o[1], -main_revenue(o), o[0]))[:top]
    return by_revenue, by_units


def _product(offer: _Offer, names: dict[str, str]) -> ProductRow:
    offer_id, units, revenue = offer
    return ProductRow(offer_id=offer_id, name=names.get(offer_id, offer_id), units=units,
                      revenue={c: _amount(m) for c, m in sorted(revenue.items()) if m})
