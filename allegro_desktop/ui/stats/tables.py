"""The Statistics tab's tables, built from a `StatsResult`: the orders over time, the top
products, a split (delivery methods, marketplaces) and the weekday × hour counts.

Each is a typed `Table` (`services/table_export.py`): the panels show it through
`StatsTableModel` and export exactly it. Money has one revenue column per currency the table's
rows sold in, the main currency first. Functions, no widgets; their texts are translated in
the Statistics tab's context.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from allegro_desktop.domain.orders import Money
from allegro_desktop.services.stats import ProductRow, SplitRow, StatsResult
from allegro_desktop.services.table_export import Cell, Percent, Table

__all__ = [
    "currencies",
    "heat_table",
    "main_first",
    "products_table",
    "series_table",
    "split_table",
]


def main_first(codes: Iterable[str], result: StatsResult) -> list[str]:
    """Currency codes sorted, the result's main currency first."""
    return sorted(codes, key=lambda c: (c != result.main_currency, c))


def currencies(result: StatsResult) -> list[str]:
    """Every currency the period sold in, the main one first (the main one alone when nothing
    sold)."""
    found = set(result.totals.revenue)
    for point in result.series:
        found.update(point.revenue)
    if not found and result.main_currency:
        found.add(result.main_currency)
    return main_first(found, result)


def _revenue_headers(currencies: list[str]) -> list[str]:
    return [QCoreApplication.translate("StatsTab", "Revenue (%1)").replace("%1", c)
            for c in currencies]


def _used(currencies: list[str], revenues: list[dict[str, Decimal]]) -> list[str]:
    """The currencies some row of a table has revenue in (the main one at least): a column of
    zeros says nothing and pushes the table wider than the window."""
    used = [c for c in currencies if any(revenue.get(c) for revenue in revenues)]
    return used or currencies[:1]


def _revenue_cells(revenue: dict[str, Decimal], currencies: list[str]) -> list[Cell]:
    # An empty cell, not "0,00 Kč", where the row sold nothing in that currency: a row of
    # zeros in the other currencies hides the one amount that is there.
    return [Money(revenue[c], c) if revenue.get(c) else None for c in currencies]


def series_table(result: StatsResult, currencies: list[str]) -> Table:
    """One row per bucket of the time series: its first day, orders, units, revenue."""
    currencies = _used(currencies, [point.revenue for point in result.series])
    headers = [QCoreApplication.translate("StatsTab", "From"),
               QCoreApplication.translate("StatsTab", "Orders"),
               QCoreApplication.translate("StatsTab", "Sold"),
               *_revenue_headers(currencies)]
    rows = [[point.start, point.orders, point.sold,
             *_revenue_cells(point.revenue, currencies)] for point in result.series]
    return Table(QCoreApplication.translate("StatsTab", "Orders over time"), headers, rows)


def products_table(title: str, products: list[ProductRow], currencies: list[str]) -> Table:
    """One row per product: its name, offer, units and revenue."""
    currencies = _used(currencies, [product.revenue for product in products])
    headers = [QCoreApplication.translate("StatsTab", "Product"),
               QCoreApplication.translate("StatsTab", "Offer"),
               QCoreApplication.translate("StatsTab", "Units"),
               *_revenue_headers(currencies)]
    rows = [[product.name, product.offer_id, product.units,
             *_revenue_cells(product.revenue, currencies)] for product in products]
    return Table(title, headers, rows)


def split_table(title: str, what: str, split: list[SplitRow], *, names: list[str], total: int,
                currencies: list[str]) -> Table:
    """One row per key of a split (`what`: its column's header; `names`: the keys in words):
    orders, their share of `total`, units and revenue."""
    currencies = _used(currencies, [row.revenue for row in split])
    headers = [what, QCoreApplication.translate("StatsTab", "Orders"),
               QCoreApplication.translate("StatsTab", "Share of orders"),
               QCoreApplication.translate("StatsTab", "Sold"),
               *_revenue_headers(currencies)]
    rows: list[list[Cell]] = [
        [name, row.orders, Percent(row.orders / total if total else 0.0), row.sold,
         *_revenue_cells(row.revenue, currencies)]
        for name, row in zip(names, split, strict=True)]
    return Table(title, headers, rows)


def heat_table(result: StatsResult, locale: QLocale) -> Table:
    """One row per weekday (Monday first, named in `locale`), one column per hour."""
    headers = [QCoreApplication.translate("StatsTab", "Weekday"),
               *[f"{hour:02d}" for hour in range(24)]]
    rows: list[list[Cell]] = [
        [locale.standaloneDayName(day + 1, QLocale.FormatType.LongFormat),
         *result.heatmap[day]] for day in range(7)]
    return Table(QCoreApplication.translate("StatsTab", "Weekday and hour"), headers, rows)
