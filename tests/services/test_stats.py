"""`StatsService` against an independent computation in Python over the same real SQLite file
(the emulator's shop in four currencies and two accounts, stored as the sync stores it), and
its fast path (the rollups) against its exact path (the orders) for many filters and periods."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter, quick_filter_of
from allegro_desktop.services.stats import (
    Granularity,
    ProductRow,
    SplitRow,
    StatsCancelledError,
    StatsRequest,
    StatsResult,
    StatsService,
    Totals,
)
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.stored_shop import ACCOUNT, NOW, OTHER_ACCOUNT

WARSAW = ZoneInfo("Europe/Warsaw")
KOLKATA = ZoneInfo("Asia/Kolkata")  # +05:30: local days are not whole UTC hours


# -- an independent computation -----------------------------------------------------------


@dataclass
class _Order:
    seq: int
    id: str
    bought: datetime
    status: str
    fulfillment: str | None
    currency: str
    total: int
    quantity: int
    marketplace: str
    delivery: str

    @property
    def sold(self) -> bool:
        return self.status == "READY_FOR_PROCESSING" and self.fulfillment != "CANCELLED"


def _orders(database: Database) -> dict[int, _Order]:
    with database.read() as connection:
        rows = connection.execute(text(
            "SELECT seq, id, bought_at, status, fulfillment_status, currency, total_minor, "
            "quantity, marketplace_id, delivery_method_name FROM orders WHERE NOT gone")).all()
    return {r[0]: _Order(r[0], r[1], datetime.fromtimestamp(r[2] / 1000, UTC), r[3], r[4],
                         r[5], r[6], r[7], r[8] or "", r[9] or "") for r in rows}


def _items(database: Database) -> list[tuple[str, str, str, str, int, int, int]]:
    with database.read() as connection:
        return [tuple(r) for r in connection.execute(text(
            "SELECT order_id, offer_id, offer_name, currency, quantity, price_minor, "
            "bought_at FROM line_items"))]


def _money(minor: int) -> Decimal:
    return Decimal(minor).scaleb(-2)


def _selected(database: Database, request: StatsRequest, start: datetime,
              end: datetime, *, clip: bool = True) -> list[_Order]:
    """The orders of [start, end) the filter selects (the order list's own answer to "which
    orders": its SQL is tested on its own); `clip`: within the filter's own dates too (not for
    the previous period, which is as long as the period and just before it)."""
    f = request.order_filter
    seqs = set(OrderQueries(database=database).seqs(
        OrderFilter(**{**{x.name: getattr(f, x.name) for x in fields(f)},
                       "bought_from": None, "bought_to": None}), OrderSort()))
    low = max(start, f.bought_from) if f.bought_from and clip else start
    high = min(end, f.bought_to) if f.bought_to and clip else end
    return [o for s, o in _orders(database).items() if s in seqs and low <= o.bought < high]


def _totals(chosen: list[_Order]) -> Totals:
    revenue: Counter[str] = Counter()
    sold_by: Counter[str] = Counter()
    orders_by: Counter[str] = Counter()
    for o in chosen:
        orders_by[o.currency] += 1
        if o.sold:
            revenue[o.currency] += o.total
            sold_by[o.currency] += 1
    return Totals(
        orders=len(chosen), sold=sum(o.sold for o in chosen),
        cancelled=sum(quick_filter_of(o.status, o.fulfillment) is QuickFilter.CANCELLED
                      for o in chosen),
        unpaid=sum(quick_filter_of(o.status, o.fulfillment) is QuickFilter.UNPAID
                   for o in chosen),
        units=sum(o.quantity for o in chosen if o.sold),
        revenue={c: _money(m) for c, m in sorted(revenue.items())},
        sold_by_currency=dict(sorted(sold_by.items())),
        orders_by_currency=dict(sorted(orders_by.items())))


def _bucket(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def independent(database: Database, request: StatsRequest) -> dict[str, Any]:
    f = request.order_filter
    start = max(request.start, f.bought_from) if f.bought_from else request.start
    end = min(request.end, f.bought_to) if f.bought_to else request.end
    end = max(start, end)
    tz = request.time_zone
    chosen = _selected(database, request, start, end)
    previous = _selected(database, request, start - (end - start), start, clip=False)
    totals = _totals(chosen)
    # series: every bucket between the first and the last local day
    series: dict[date, list[Any]] = {}
    if start < end:
        day = _bucket(start.astimezone(tz).date(), request.granularity)
        last = (end - timedelta(milliseconds=1)).astimezone(tz).date()
        while day <= last:
            series[day] = [0, 0, Counter()]
            day = _bucket(day + timedelta(days=32 if request.granularity is Granularity.MONTH
                                          else 7 if request.granularity is Granularity.WEEK
                                          else 1), request.granularity)
    heat = [[0] * 24 for _ in range(7)]
    for o in chosen:
        local = o.bought.astimezone(tz)
        point = series[_bucket(local.date(), request.granularity)]
        point[0] += 1
        heat[local.weekday()][local.hour] += 1
        if o.sold:
            point[1] += 1
            point[2][o.currency] += o.total
    # splits
    splits: dict[str, dict[str, list[Any]]] = {"delivery": {}, "marketplace": {}}
    for o in chosen:
        for name, key in (("delivery", o.delivery), ("marketplace", o.marketplace)):
            row = splits[name].setdefault(key, [0, 0, Counter()])
            row[0] += 1
            if o.sold:
                row[1] += 1
                row[2][o.currency] += o.total

    def split_rows(name: str) -> list[SplitRow]:
        return sorted((SplitRow(key=k, orders=v[0], sold=v[1],
                                revenue={c: _money(m) for c, m in sorted(v[2].items())})
                       for k, v in splits[name].items()), key=lambda r: (-r.orders, r.key))

    # products: line items of the sold orders
    sold_ids = {o.id for o in chosen if o.sold}
    units: Counter[str] = Counter()
    money: dict[str, Counter[str]] = defaultdict(Counter)
    for order_id, offer_id, _name, currency, quantity, price, _bought in _items(database):
        if order_id in sold_ids:
            units[offer_id] += quantity
            money[offer_id][currency] += quantity * price
    names: dict[str, tuple[int, str]] = {}
    for _order_id, offer_id, name, _currency, _quantity, _price, bought in _items(database):
        if offer_id not in names or bought > names[offer_id][0]:
            names[offer_id] = (bought, name)
    main = (min(totals.orders_by_currency,
                key=lambda c: (-totals.sold_by_currency.get(c, 0),
                               -totals.orders_by_currency[c], c))
            if totals.orders else None)

    def product(offer_id: str) -> ProductRow:
        return ProductRow(offer_id=offer_id, name=names[offer_id][1], units=units[offer_id],
                          revenue={c: _money(m) for c, m in sorted(money[offer_id].items())
                                   if m})

    def main_revenue(offer_id: str) -> int:
        return money[offer_id].get(main, 0) if main else 0

    offers = list(units)
    return {
        "totals": totals,
        "previous": _totals(previous),
        "series": [(d, v[0], v[1], {c: _money(m) for c, m in sorted(v[2].items())})
                   for d, v in series.items()],
        "heatmap": heat,
        "by_delivery": split_rows("delivery"),
        "by_marketplace": split_rows("marketplace"),
        "main_currency": main,
        "top_by_revenue": [product(o) for o in sorted(
            offers, key=lambda o: (-main_revenue(o), -units[o], o))[:request.top]],
        "top_by_units": [product(o) for o in sorted(
            offers, key=lambda o: (-units[o], -main_revenue(o), o))[:request.top]],
    }


def assert_matches(result: StatsResult, want: dict[str, Any]) -> None:
    got_series = [(p.start, p.orders, p.sold, p.revenue) for p in result.series]
    assert got_series == want["series"]
    for name in ("totals", "previous", "heatmap", "by_delivery", "by_marketplace",
                 "main_currency", "top_by_units"):
        assert getattr(result, name) == want[name], name
    # ties in revenue may order differently only where the names differ: compare by offer
    assert ([(p.offer_id, p.units, p.revenue) for p in result.top_by_revenue]
            == [(p.offer_id, p.units, p.revenue) for p in want["top_by_revenue"]])


def _same(a: StatsResult, b: StatsResult) -> list[str]:
    return [f.name for f in fields(a) if f.name not in ("seconds", "fast_path", "request")
            and getattr(a, f.name) != getattr(b, f.name)]


# -- requests -----------------------------------------------------------------------------


def _local(tz: tzinfo, year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=tz)


PERIODS = {
    "last 30 days": (_local(WARSAW, 2026, 10, 21), _local(WARSAW, 2026, 11, 20)),
    "12 months": (_local(WARSAW, 2025, 12, 1), _local(WARSAW, 2026, 12, 1)),
    "all": (_local(WARSAW, 2020, 1, 1), _local(WARSAW, 2027, 1, 1)),
    "odd edges": (datetime(2026, 3, 14, 7, 13, 5, 123000, tzinfo=UTC),
                  datetime(2026, 9, 2, 19, 59, 1, 1000, tzinfo=UTC)),
}
FILTERS = {
    "none": OrderFilter(),
    "account": OrderFilter(accounts=frozenset({OTHER_ACCOUNT})),
    "sent": OrderFilter(quick=QuickFilter.SENT),
    "cancelled": OrderFilter(quick=QuickFilter.CANCELLED),
    "unpaid+account": OrderFilter(quick=QuickFilter.UNPAID, accounts=frozenset({ACCOUNT})),
    "marketplace": OrderFilter(marketplaces=frozenset({"allegro-cz"})),
    "delivery": OrderFilter(delivery_methods=frozenset({"Allegro Paczkomaty InPost"})),
    "search": OrderFilter(search="kabel"),
    "payment": OrderFilter(payment_types=frozenset({"CASH_ON_DELIVERY"})),
    "total": OrderFilter(min_total=Decimal("50"), max_total=Decimal("300")),
    "dates": OrderFilter(bought_from=datetime(2026, 5, 1, 12, tzinfo=UTC),
                         bought_to=datetime(2026, 8, 1, tzinfo=UTC)),
}


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_statistics_equal_an_independent_computation(database: Database, period: str,
                                                     filter_name: str) -> None:
    start, end = PERIODS[period]
    for granularity, tz in ((Granularity.DAY, WARSAW), (Granularity.WEEK, UTC),
                            (Granularity.MONTH, KOLKATA)):
        request = StatsRequest(start=start, end=end, time_zone=tz, granularity=granularity,
                               order_filter=FILTERS[filter_name], top=5)
        assert_matches(StatsService(database=database).compute(request),
                       independent(database, request))


def test_the_shop_exercises_what_is_compared(database: Database) -> None:
    """The comparisons above are not vacuous: several currencies, sold, cancelled and
    unpaid orders, splits and top products are all there."""
    start, end = PERIODS["all"]
    result = StatsService(database=database).compute(
        StatsRequest(start=start, end=end, time_zone=WARSAW))
    assert result.fast_path
    assert len(result.totals.revenue) == 4
    assert result.totals.cancelled
    assert result.totals.unpaid
    assert result.totals.sold
    assert len(result.by_delivery) > 3
    assert len(result.by_marketplace) > 1
    assert len(result.top_by_revenue) == 10
    assert result.top_by_units[0].units > 1
    assert result.main_currency == "PLN"
    assert sum(map(sum, result.heatmap)) == result.totals.orders == 300


@pytest.mark.parametrize("filter_name", list(FILTERS))
@pytest.mark.parametrize("period", list(PERIODS))
def test_the_fast_path_equals_the_exact_path(database: Database, period: str,
                                             filter_name: str) -> None:
    start, end = PERIODS[period]
    request = StatsRequest(start=start, end=end, time_zone=WARSAW,
                           order_filter=FILTERS[filter_name])
    fast = StatsService(database=database).compute(request)
    exact = StatsService(database=database, use_rollups=False).compute(request)
    assert not exact.fast_path
    assert fast.fast_path == (filter_name in ("none", "account", "sent", "cancelled",
                                              "unpaid+account", "dates"))
    assert _same(fast, exact) == []


moments = st.integers(int(datetime(2025, 9, 1, tzinfo=UTC).timestamp() * 1000),
                      int(datetime(2026, 12, 1, tzinfo=UTC).timestamp() * 1000))


def test_during_a_first_fill_the_statistics_read_the_orders(database: Database,
                                                           tmp_path: Path) -> None:
    """While a first fill has the rollups' upkeep set aside (storage/first_fill.py), the
    statistics take the exact path, names of offers included, and say what they say after."""
    with database.read() as connection:
        stored = connection.execute(text(
            "SELECT o.account_key, f.raw FROM orders o JOIN order_forms f ON f.seq = o.seq "
            "WHERE o.gone = 0")).all()
    filling = Database.open(tmp_path / "filling.sqlite3")
    try:
        repo = OrderRepository(database=filling)
        start, end = PERIODS["all"]
        request = StatsRequest(start=start, end=end, time_zone=WARSAW)
        with repo.first_fill() as set_aside:
            assert set_aside
            for account in (ACCOUNT, OTHER_ACCOUNT):
                repo.apply_batch(account_key=account, events=[], cursor=None, orders=[
                    parse_checkout_form(orjson.loads(raw), account_key=account)
                    for key, raw in stored if key == account])
            during = StatsService(database=filling).compute(request)
        after = StatsService(database=filling).compute(request)
    finally:
        filling.close()
    assert not during.fast_path
    assert after.fast_path
    assert during.totals.orders == len(stored)
    assert during.top_by_revenue[0].name
    assert _same(during, after) == []


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=moments, b=moments, quick=st.sampled_from(list(QuickFilter)),
       accounts=st.sets(st.sampled_from([ACCOUNT, OTHER_ACCOUNT, "nobody"]), max_size=2),
       granularity=st.sampled_from(list(Granularity)))
def test_any_period_is_exact_on_the_fast_path(database: Database, a: int, b: int,
                                              quick: QuickFilter, accounts: set[str],
                                              granularity: Granularity) -> None:
    start, end = sorted((datetime.fromtimestamp(a / 1000, UTC),
                         datetime.fromtimestamp(b / 1000, UTC)))
    request = StatsRequest(start=start, end=end, time_zone=WARSAW, granularity=granularity,
                           order_filter=OrderFilter(quick=quick, accounts=frozenset(accounts)))
    fast = StatsService(database=database).compute(request)
    assert fast.fast_path
    assert _same(fast, StatsService(database=database, use_rollups=False).compute(request)) == []


# -- time: DST, empty buckets, week and month starts ---------------------------------------


@pytest.fixture
def dst_database(tmp_path: Path, database: Database) -> Database:
    """Four orders around the spring-forward night of 2026 in Warsaw (29 March, 02:00 CET
    -> 03:00 CEST) and one in May: the days after it are 23 hours long."""
    with database.read() as connection:
        raw = connection.execute(text(
            "SELECT f.raw FROM orders o JOIN order_forms f ON f.seq = o.seq "
            "WHERE o.status = 'READY_FOR_PROCESSING' AND o.fulfillment_status = 'SENT' "
            "AND o.currency = 'PLN' LIMIT 1")).scalar_one()
    import orjson

    base = orjson.loads(raw)
    times = ["2026-03-28T22:59:59.000Z",  # 23:59:59 CET, 28 March
             "2026-03-28T23:00:00.000Z",  # 00:00 CET, 29 March
             "2026-03-29T21:59:59.000Z",  # 23:59:59 CEST, 29 March
             "2026-03-29T22:00:00.000Z",  # 00:00 CEST, 30 March
             "2026-05-04T10:00:00.000Z"]  # a Monday in May
    forms = []
    for n, moment in enumerate(times):
        form = copy.deepcopy(base)
        form["id"] = f"00000000-0000-0000-0000-00000000000{n}"
        for item in form["lineItems"]:
            item["boughtAt"] = moment
        forms.append(form)
    db = Database.open(tmp_path / "dst.sqlite3", clock=lambda: NOW)
    OrderRepository(database=db).apply_batch(
        account_key=ACCOUNT, events=[], cursor=None,
        orders=[parse_checkout_form(f, account_key=ACCOUNT) for f in forms])
    return db


def test_local_days_follow_daylight_saving_time(dst_database: Database) -> None:
    request = StatsRequest(start=_local(WARSAW, 2026, 3, 27), end=_local(WARSAW, 2026, 4, 1),
                           time_zone=WARSAW)
    result = StatsService(database=dst_database).compute(request)
    assert [(p.start.day, p.orders) for p in result.series] == [
        (27, 0), (28, 1), (29, 2), (30, 1), (31, 0)]
    assert result.heatmap[6][0] == 1
    assert result.heatmap[6][23] == 1
    assert result.heatmap[5][23] == 1
    assert result.heatmap[0][0] == 1
    assert result.previous.orders == 0
    assert_matches(result, independent(dst_database, request))
    exact = StatsService(database=dst_database, use_rollups=False).compute(request)
    assert _same(result, exact) == []
    dst_database.close()


def test_weeks_start_on_monday_and_months_on_the_first(dst_database: Database) -> None:
    start, end = _local(WARSAW, 2026, 3, 25), _local(WARSAW, 2026, 5, 6)
    weeks = StatsService(database=dst_database).compute(StatsRequest(
        start=start, end=end, time_zone=WARSAW, granularity=Granularity.WEEK))
    assert [p.start for p in weeks.series][:2] == [date(2026, 3, 23), date(2026, 3, 30)]
    assert all(p.start.weekday() == 0 for p in weeks.series)
    assert weeks.series[-1].start == date(2026, 5, 4)
    assert weeks.series[-1].orders == 1
    assert [p.orders for p in weeks.series] == [3, 1, 0, 0, 0, 0, 1]  # empty weeks too
    months = StatsService(database=dst_database).compute(StatsRequest(
        start=start, end=end, time_zone=WARSAW, granularity=Granularity.MONTH))
    assert [(p.start, p.orders) for p in months.series] == [
        (date(2026, 3, 1), 4), (date(2026, 4, 1), 0), (date(2026, 5, 1), 1)]
    assert months.series[0].revenue
    assert not months.series[1].revenue
    dst_database.close()


def test_an_empty_period_has_no_buckets_and_nothing_counted(database: Database) -> None:
    moment = _local(WARSAW, 2026, 6, 1)
    result = StatsService(database=database).compute(
        StatsRequest(start=moment, end=moment, time_zone=WARSAW))
    assert result.series == []
    assert result.totals.orders == 0
    assert result.main_currency is None
    assert result.top_by_units == []
    assert result.by_delivery == []
    assert result.totals.cancellation_rate is None
    assert result.totals.average == {}


def test_a_period_without_orders_lists_every_empty_day(database: Database) -> None:
    result = StatsService(database=database).compute(StatsRequest(
        start=_local(WARSAW, 2024, 1, 1), end=_local(WARSAW, 2024, 2, 1), time_zone=WARSAW))
    assert len(result.series) == 31
    assert not any(p.orders for p in result.series)
    assert result.series[0].start == date(2024, 1, 1)
    assert result.totals.orders == 0


def test_the_previous_period_is_as_long_and_ends_where_the_period_starts(
        database: Database) -> None:
    start, end = _local(WARSAW, 2026, 7, 1), _local(WARSAW, 2026, 8, 1)
    result = StatsService(database=database).compute(
        StatsRequest(start=start, end=end, time_zone=WARSAW))
    earlier = StatsService(database=database).compute(
        StatsRequest(start=start - (end - start), end=start, time_zone=WARSAW))
    assert result.previous == earlier.totals
    assert result.previous.orders > 0


def test_a_cancelled_computation_stops(database: Database) -> None:
    start, end = PERIODS["all"]
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(StatsCancelledError):
        StatsService(database=database).compute(
            StatsRequest(start=start, end=end, time_zone=WARSAW), cancelled=cancelled)
    assert len(asked) == 2
