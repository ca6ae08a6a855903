"""The Statistics tab's figures in words (`ui/stats/figure_texts.py`) and the tables its panels
show and export (`ui/stats/tables.py`), from a result built by hand: one revenue column per
currency some row sold in, the main currency first, and an empty cell — not a zero — where a
row sold nothing in a currency."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QLocale

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.stats import (
    ProductRow,
    SeriesPoint,
    SplitRow,
    StatsRequest,
    StatsResult,
    Totals,
)
from allegro_desktop.services.table_export import Percent
from allegro_desktop.ui.stats import tables
from allegro_desktop.ui.stats.figure_texts import change_text, percent_text, points_change_text


def test_change_texts() -> None:
    polish = QLocale("pl_PL")
    assert change_text(112, 100, polish) == ("+12%", 1)
    assert change_text(95, 100, polish) == ("\u22125%", -1)
    assert change_text(100, 100, polish) == ("0%", 0)
    assert change_text(5, 0, polish) == ("—", 0)
    assert points_change_text(0.07, 0.055, polish) == ("+1,5 pp", 1)
    assert percent_text(0.125, polish) == "12,5%"


def a_result() -> StatsResult:
    """Sold in PLN (the main currency), EUR and CZK; the top products only in PLN and EUR."""
    totals = Totals(orders=5, sold=4, cancelled=1, unpaid=0, units=9,
                    revenue={"PLN": Decimal("300"), "EUR": Decimal("20"), "CZK": Decimal("50")},
                    sold_by_currency={"PLN": 2, "EUR": 1, "CZK": 1})
    nothing = Totals(orders=0, sold=0, cancelled=0, unpaid=0, units=0, revenue={},
                     sold_by_currency={})
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return StatsResult(
        request=StatsRequest(start=start, end=datetime(2026, 11, 3, tzinfo=UTC), time_zone=UTC),
        totals=totals, previous=nothing,
        series=[SeriesPoint(date(2026, 11, 1), 3, 2, {"PLN": Decimal("300")}),
                SeriesPoint(date(2026, 11, 2), 2, 2, {"EUR": Decimal("20"),
                                                      "CZK": Decimal("50")})],
        top_by_revenue=[ProductRow("1", "Etui", 3, {"PLN": Decimal("200")}),
                        ProductRow("2", "Kabel", 6, {"PLN": Decimal("100"),
                                                     "EUR": Decimal("20")})],
        top_by_units=[ProductRow("3", "Gratis", 1, {})],
        by_delivery=[SplitRow("InPost", 4, 3, {"PLN": Decimal("300")}),
                     SplitRow("", 1, 1, {"CZK": Decimal("50")})],
        by_marketplace=[],
        heatmap=[[day * 24 + hour for hour in range(24)] for day in range(7)],
        main_currency="PLN", seconds=0.0)


def test_revenue_columns_only_for_the_currencies_a_table_sold_in() -> None:
    result = a_result()
    currencies = tables.currencies(result)
    assert currencies == ["PLN", "CZK", "EUR"]  # the main one first

    products = tables.products_table("Top products by revenue", result.top_by_revenue,
                                     currencies)
    assert products.title == "Top products by revenue"
    assert list(products.headers) == ["Product", "Offer", "Units", "Revenue (PLN)",
                                      "Revenue (EUR)"]  # no product sold in CZK
    assert [list(row) for row in products.rows] == [
        ["Etui", "1", 3, Money(Decimal("200"), "PLN"), None],  # nothing in EUR: empty
        ["Kabel", "2", 6, Money(Decimal("100"), "PLN"), Money(Decimal("20"), "EUR")]]
    # a table that sold nothing keeps the main currency's column
    assert list(tables.products_table("Top products by units", result.top_by_units,
                                      currencies).headers)[-1] == "Revenue (PLN)"

    series = tables.series_table(result, currencies)
    assert series.title == "Orders over time"
    assert list(series.headers) == ["From", "Orders", "Sold", "Revenue (PLN)",
                                    "Revenue (CZK)", "Revenue (EUR)"]
    assert list(series.rows[1]) == [date(2026, 11, 2), 2, 2, None, Money(Decimal("50"), "CZK"),
                                    Money(Decimal("20"), "EUR")]


def test_split_and_heat_tables() -> None:
    result = a_result()
    split = tables.split_table("Delivery methods", "Delivery method", result.by_delivery,
                               names=["InPost", "(none)"], total=result.totals.orders,
                               currencies=tables.currencies(result))
    assert list(split.headers) == ["Delivery method", "Orders", "Share of orders", "Sold",
                                   "Revenue (PLN)", "Revenue (CZK)"]
    assert [list(row) for row in split.rows] == [
        ["InPost", 4, Percent(0.8), 3, Money(Decimal("300"), "PLN"), None],
        ["(none)", 1, Percent(0.2), 1, None, Money(Decimal("50"), "CZK")]]
    assert tables.split_table("Marketplaces", "Marketplace", [], names=[], total=0,
                              currencies=["PLN"]).rows == []

    heat = tables.heat_table(result, QLocale("en_US"))
    assert heat.title == "Weekday and hour"
    assert list(heat.headers) == ["Weekday", *[f"{hour:02d}" for hour in range(24)]]
    assert [row[0] for row in heat.rows] == ["Monday", "Tuesday", "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"]
    assert list(heat.rows[6][1:]) == result.heatmap[6]
