"""Sales statistics of the stored orders (no Qt: computed on a worker thread of the window, in
benchmarks and in tests alike).

CONTRACT (agreed between the statistics engine and the Statistics tab; the engine fills in the
implementation of `StatsService.compute`, the tab only reads these dataclasses):

What counts, for the period [start, end) intersected with the workspace filter:

- **orders**: every order bought in the period that the filter selects (merged/gone orders never);
- **sold** orders: paid (or cash on delivery) and not cancelled — status READY_FOR_PROCESSING
  and fulfillment status not CANCELLED; the ones the seller ships. **Revenue** (per currency) is
  the sum of their totals, **units** the sum of their quantities, the **average order value**
  (per currency) revenue / sold orders of that currency; top products count their line items;
- **cancelled**: the CANCELLED stage of `QuickFilter` (buyer, Allegro or seller cancelled);
- **unpaid**: the UNPAID stage (BOUGHT, FILLED_IN, not cancelled);
- the **previous period** is as long as the period and ends where it starts;
- times are local to `StatsRequest.time_zone`: days start at local midnight, weeks on Monday,
  the heat map uses local weekday (Monday = 0) and hour.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal

from allegro_desktop.domain.filters import OrderFilter

__all__ = [
    "Granularity",
    "ProductRow",
    "SeriesPoint",
    "SplitRow",
    "StatsRequest",
    "StatsResult",
    "Totals",
]


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
