"""One computation of the Statistics tab: what it asks for, the job that runs it, what it brings.

`StatsPlan` is what the controls said when the seller asked (plain values, safe to hand to a
pool thread). `StatsComputation.run` — on a `StatsLoader` thread — turns it into the period's
local days (for "All time" from the first order the filter selects) and asks `StatsSource`
(`services/stats.py`) for the figures; the `StatsOutcome` goes back to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Final, Protocol

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort
from allegro_desktop.services.local_time import day_bounds
from allegro_desktop.services.stats import Granularity, StatsRequest, StatsResult
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.times import local_time
from allegro_desktop.ui.stats.periods import StatsPeriod, auto_granularity, period_days

__all__ = ["TOP_PRODUCTS", "StatsComputation", "StatsOutcome", "StatsPlan", "StatsSource"]

#: Rows of each top-products table.
TOP_PRODUCTS: Final = 10


class StatsSource(Protocol):
    """What computes the statistics (`services.stats.StatsService`); called on a pool
    thread."""

    def compute(self, request: StatsRequest, *,
                cancelled: Callable[[], bool] | None = None) -> StatsResult: ...


@dataclass(frozen=True)
class StatsPlan:
    """One computation as the GUI thread asked for it (plain values, safe to hand to a pool
    thread): the period on the local day `today`, the granularity (None: auto) and the
    filter."""

    period: StatsPeriod
    today: date
    custom: tuple[date, date]
    granularity: Granularity | None
    order_filter: OrderFilter
    time_zone: tzinfo


@dataclass(frozen=True)
class StatsOutcome:
    """What a computation brought: the days of the period (None: no order at all for "All
    time") and the result (None with them)."""

    plan: StatsPlan
    days: tuple[date, date] | None
    granularity: Granularity
    result: StatsResult | None


class StatsComputation:
    """Runs a `StatsPlan`: `stats` computes the figures, `queries` finds the first order for
    "All time". Its `run` is called on a pool thread."""

    def __init__(self, *, stats: StatsSource, queries: OrderQueries) -> None:
        self._stats = stats
        self._queries = queries

    def run(self, plan: StatsPlan, stale: Callable[[], bool]) -> StatsOutcome:
        """The period's days, then the statistics (given up, raising `StatsCancelledError`,
        once `stale()`)."""
        first_day = None
        if plan.period is StatsPeriod.ALL_TIME:
            first_day = self._first_day(plan.order_filter, plan.time_zone)
        days = period_days(plan.period, plan.today, custom=plan.custom, first_day=first_day)
        if days is None:
            return StatsOutcome(plan, None, plan.granularity or Granularity.DAY, None)
        granularity = plan.granularity or auto_granularity(*days)
        start, end = day_bounds(days, plan.time_zone)
        request = StatsRequest(start=start, end=end, time_zone=plan.time_zone,
                               order_filter=plan.order_filter, granularity=granularity,
                               top=TOP_PRODUCTS)
        return StatsOutcome(plan, days, granularity,
                            self._stats.compute(request, cancelled=stale))

    def _first_day(self, order_filter: OrderFilter, zone: tzinfo) -> date | None:
        """The local day of the first order the filter selects (None: no order)."""
        pieces = self._queries.iter_seqs(
            order_filter, OrderSort(OrderColumn.BOUGHT_AT, descending=False), first=1)
        try:
            first = next(iter(pieces), None)
        finally:
            pieces.close()
        if not first:
            return None
        row = self._queries.rows(first[:1]).get(first[0])
        # An order of the year 1 may have no local date in a far zone: its UTC one then.
        return None if row is None else (local_time(row.bought_at, zone) or row.bought_at).date()
