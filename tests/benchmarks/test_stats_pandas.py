"""The pandas variant of the statistics' exact path (benchmarks/stats_pandas.py, measured by
bench_stats_pandas.py) gives the very result of `StatsService`'s exact path on the realistic
shop: four currencies, two accounts, time zones with whole-hour, half-hour and changing
offsets, filters the rollups cannot answer, and empty periods. Without this the benchmark
could compare the SQL with a faster but different computation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.services.stats import Granularity, StatsRequest, StatsResult, StatsService
from allegro_desktop.storage import Database
from benchmarks.stats_pandas import compute_with_pandas
from tests.helpers.stored_shop import ACCOUNT, OTHER_ACCOUNT, realistic_forms, store_shop

WARSAW = ZoneInfo("Europe/Warsaw")
KOLKATA = ZoneInfo("Asia/Kolkata")  # +05:30: the quarter-hour units


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = store_shop(tmp_path_factory.mktemp("shop") / "orders.sqlite3",
                          realistic_forms())
    yield database
    database.close()


def _differing(a: StatsResult, b: StatsResult) -> list[str]:
    return [f.name for f in fields(a) if f.name not in ("seconds", "request")
            and getattr(a, f.name) != getattr(b, f.name)]


PERIODS: dict[str, tuple[datetime, datetime]] = {
    "last 30 days": (datetime(2026, 10, 21, tzinfo=WARSAW), datetime(2026, 11, 20, tzinfo=WARSAW)),
    "12 months": (datetime(2025, 12, 1, tzinfo=WARSAW), datetime(2026, 12, 1, tzinfo=WARSAW)),
    "all": (datetime(2020, 1, 1, tzinfo=WARSAW), datetime(2027, 1, 1, tzinfo=WARSAW)),
    "odd edges": (datetime(2026, 3, 14, 7, 13, 5, 123000, tzinfo=UTC),
                  datetime(2026, 9, 2, 19, 59, 1, 1000, tzinfo=UTC)),
    "empty": (datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)),
    "no orders": (datetime(2010, 1, 1, tzinfo=UTC), datetime(2010, 3, 1, tzinfo=UTC)),
}
FILTERS = {
    "none": OrderFilter(),
    "search": OrderFilter(search="kabel"),
    "search nothing matches": OrderFilter(search="zzzqqq"),
    "unpaid+account": OrderFilter(quick=QuickFilter.UNPAID, accounts=frozenset({ACCOUNT})),
    "payment": OrderFilter(payment_types=frozenset({"CASH_ON_DELIVERY"})),
    "total+account": OrderFilter(min_total=Decimal("50"), max_total=Decimal("300"),
                                 accounts=frozenset({OTHER_ACCOUNT})),
    "dates": OrderFilter(bought_from=datetime(2026, 5, 1, 12, tzinfo=UTC),
                         bought_to=datetime(2026, 8, 1, tzinfo=UTC)),
}
ZONES: tuple[tuple[Granularity, tzinfo], ...] = (
    (Granularity.DAY, WARSAW), (Granularity.WEEK, UTC), (Granularity.DAY, KOLKATA))


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_pandas_gives_the_exact_paths_result(database: Database, period: str,
                                             filter_name: str) -> None:
    start, end = PERIODS[period]
    exact = StatsService(database=database, use_rollups=False)
    for granularity, tz in ZONES:
        request = StatsRequest(start=start, end=end, time_zone=tz, granularity=granularity,
                               order_filter=FILTERS[filter_name], top=5)
        assert _differing(compute_with_pandas(database, request),
                          exact.compute(request)) == []


def test_a_period_from_year_1_in_local_mean_time(database: Database) -> None:
    """Warsaw's offset was +01:24 before 1915: quarter-hour units, and the previous period
    cut at year 1."""
    request = StatsRequest(start=datetime(1, 1, 1, tzinfo=UTC),
                           end=datetime(2027, 1, 1, tzinfo=UTC), time_zone=WARSAW,
                           granularity=Granularity.MONTH,
                           order_filter=OrderFilter(quick=QuickFilter.CANCELLED))
    assert _differing(compute_with_pandas(database, request),
                      StatsService(database=database, use_rollups=False).compute(request)) == []


def test_the_comparison_is_not_vacuous(database: Database) -> None:
    start, end = PERIODS["all"]
    result = compute_with_pandas(database, StatsRequest(start=start, end=end,
                                                             time_zone=WARSAW))
    assert len(result.totals.revenue) == 4
    assert result.totals.cancelled
    assert result.totals.unpaid
    assert result.totals.sold
    assert len(result.by_marketplace) > 1
    assert len(result.top_by_revenue) == 10
    assert sum(map(sum, result.heatmap)) == result.totals.orders == 300
