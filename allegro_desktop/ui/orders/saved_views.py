"""Saved views of the order list: `SavedView`, what one restores, and `SavedViews`, the views
kept by name in `UiState` (and the one in use when the window last closed).

A view is the filter (with its date preset, not the dates a preset meant on the day it was
saved; the seller's tags by id, so renaming a tag keeps the view), the sort and the visible
columns. Its JSON form (`to_dict`/`from_dict`) is what
ui-state.ini holds; reading is tolerant: what is missing, unknown or damaged takes its default,
so a hand-edited file or an older version never stops the window.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import (
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.ui.orders.columns import WINDOW_COLUMNS
from allegro_desktop.ui.orders.list_state import DatePreset

__all__ = ["TABLE_VALUES", "VIEW_VERSION", "SavedView", "SavedViews"]

VIEW_VERSION: Final = 1
#: The keys of the table's columns (a stored column not among them is left out).
TABLE_VALUES: Final = frozenset(c.value for c in WINDOW_COLUMNS)


@dataclass(frozen=True)
class SavedView:
    """Everything a saved view restores (and `to_dict`/`from_dict`, its JSON form).

    `order_filter` holds the seller's choices but the dates and the account: its
    `bought_from`/`bought_to` and `accounts` are unused (the dates are the preset's, computed
    when a query runs; the account is the main window's choice). `date_from`/`date_to` are
    calendar days in the local time zone, both included; they only count for the CUSTOM
    preset. `columns` are the visible ones, in their visual order (None: leave the columns as
    they are)."""

    order_filter: OrderFilter = field(default_factory=OrderFilter)
    date_preset: DatePreset = DatePreset.ALL
    date_from: date | None = None
    date_to: date | None = None
    sort: OrderSort = field(default_factory=OrderSort)
    columns: tuple[OrderColumn, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        def day(value: date | None) -> str | None:
            return value.isoformat() if value is not None else None

        chosen = self.order_filter
        labels: dict[str, Any] = {}  # only when used: a view without them reads as before
        if chosen.tags:
            labels["tags"] = sorted(chosen.tags)  # by tag id: a renamed tag stays in the view
        if chosen.has_note is not None:
            labels["has_note"] = chosen.has_note
        return {
            "version": VIEW_VERSION,
            "quick": chosen.quick.value,
            "search": chosen.search,
            "date": {"preset": self.date_preset.value, "from": day(self.date_from),
                     "to": day(self.date_to)},
            "delivery_methods": sorted(chosen.delivery_methods),
            "payment_types": sorted(chosen.payment_types),
            "marketplaces": sorted(chosen.marketplaces),
            "invoice": chosen.invoice,
            "min_total": None if chosen.min_total is None else str(chosen.min_total),
            "max_total": None if chosen.max_total is None else str(chosen.max_total),
            "sort": {"column": self.sort.column.value, "descending": self.sort.descending},
            "columns": None if self.columns is None else [c.value for c in self.columns],
            **labels,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedView:
        """The view a dict describes; what is missing, unknown or damaged takes its default."""
        dates = data["date"] if isinstance(data.get("date"), dict) else {}
        sort = data["sort"] if isinstance(data.get("sort"), dict) else {}
        columns = data.get("columns")
        parsed_columns: tuple[OrderColumn, ...] | None = None
        if isinstance(columns, list):
            parsed_columns = tuple(dict.fromkeys(
                OrderColumn(c) for c in columns
                if isinstance(c, str) and c in TABLE_VALUES)) or None
        invoice = data.get("invoice")
        has_note = data.get("has_note")
        return cls(
            order_filter=OrderFilter(
                quick=_enum(QuickFilter, data.get("quick"), QuickFilter.ALL),
                search=data["search"] if isinstance(data.get("search"), str) else "",
                delivery_methods=_strings(data.get("delivery_methods")),
                payment_types=_strings(data.get("payment_types")),
                marketplaces=_strings(data.get("marketplaces")),
                invoice=invoice if isinstance(invoice, bool) else None,
                min_total=_amount(data.get("min_total")),
                max_total=_amount(data.get("max_total")),
                tags=_ids(data.get("tags")),
                has_note=has_note if isinstance(has_note, bool) else None),
            date_preset=_enum(DatePreset, dates.get("preset"), DatePreset.ALL),
            date_from=_day(dates.get("from")),
            date_to=_day(dates.get("to")),
            sort=OrderSort(
                column=_enum(OrderColumn, sort.get("column"), OrderColumn.BOUGHT_AT),
                descending=sort.get("descending") is not False),
            columns=parsed_columns)


class SavedViews:
    """The seller's saved views in `UiState`, by name in the order they were first saved, and
    the last view (what the window showed when it closed)."""

    def __init__(self, ui_state: UiState) -> None:
        self._ui_state = ui_state

    def names(self) -> list[str]:
        return list(self._ui_state.saved_views())

    def get(self, name: str) -> SavedView | None:
        data = self._ui_state.saved_view(name)
        return None if data is None else SavedView.from_dict(data)

    def save(self, name: str, view: SavedView) -> None:
        """Save `view` under `name` (stripped; replacing a view of that name; no name: not
        saved)."""
        name = name.strip()
        if name:
            self._ui_state.save_view(name, view.to_dict())

    def delete(self, name: str) -> None:
        self._ui_state.delete_view(name)

    def name_of(self, view: SavedView) -> str | None:
        """The name of the saved view equal to `view` (None: none is)."""
        for name, data in self._ui_state.saved_views().items():
            if SavedView.from_dict(data) == view:
                return name
        return None

    @staticmethod
    def last(state: UiState) -> SavedView:
        """The view of `state` in use when the window last closed (the default view if
        none)."""
        data = state.last_view()
        return SavedView() if data is None else SavedView.from_dict(data)

    @staticmethod
    def set_last(state: UiState, view: SavedView) -> None:
        state.set_last_view(view.to_dict())


_E = TypeVar("_E", bound=enum.Enum)
_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _enum(kind: type[_E], value: Any, default: _E) -> _E:
    try:
        return kind(value)
    except ValueError:
        return default


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _strings(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str) and v)


def _ids(value: Any) -> frozenset[int]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value
                     if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**63)


def _amount(value: Any) -> Decimal | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None
