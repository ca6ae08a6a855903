"""Saved views on their own: the JSON form ui-state.ini holds stays the one earlier versions
wrote (read and written alike), damaged values read as defaults, and the views are kept by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.ui.orders.list_state import DatePreset
from allegro_desktop.ui.orders.saved_views import SavedView, SavedViews

#: A view as the version before `SavedView` (`OrdersView`) wrote it.
STORED: dict[str, Any] = {
    "version": 1,
    "quick": "sent",
    "search": "kubek termiczny",
    "date": {"preset": "custom", "from": "2026-09-01", "to": "2026-09-30"},
    "delivery_methods": ["Allegro Paczkomaty InPost", "Kurier DPD"],
    "payment_types": ["ONLINE"],
    "marketplaces": ["allegro-pl"],
    "invoice": True,
    "min_total": "10.50",
    "max_total": None,
    "sort": {"column": "total", "descending": False},
    "columns": ["total", "buyer_name", "items"],
}
VIEW = SavedView(
    order_filter=OrderFilter(
        quick=QuickFilter.SENT, search="kubek termiczny",
        delivery_methods=frozenset({"Allegro Paczkomaty InPost", "Kurier DPD"}),
        payment_types=frozenset({"ONLINE"}), marketplaces=frozenset({"allegro-pl"}),
        invoice=True, min_total=Decimal("10.50")),
    date_preset=DatePreset.CUSTOM, date_from=date(2026, 9, 1), date_to=date(2026, 9, 30),
    sort=OrderSort(OrderColumn.TOTAL, descending=False),
    columns=(OrderColumn.TOTAL, OrderColumn.BUYER_NAME, OrderColumn.ITEMS))


def test_the_stored_form_is_the_one_earlier_versions_wrote() -> None:
    assert SavedView.from_dict(STORED) == VIEW
    assert VIEW.to_dict() == STORED


def test_damaged_values_read_as_their_defaults() -> None:
    view = SavedView.from_dict({
        "quick": "nope", "search": 5, "date": {"preset": "sometime", "from": "2026-13-45",
                                                "to": "20260901"},
        "delivery_methods": "Kurier", "payment_types": [1, "", "ONLINE"], "invoice": "yes",
        "min_total": "abc", "max_total": -3, "sort": {"column": "nope", "descending": 0},
        "columns": ["nonsense", 5, "items", "items"]})
    assert view == SavedView(
        order_filter=OrderFilter(payment_types=frozenset({"ONLINE"})),
        sort=OrderSort(OrderColumn.BOUGHT_AT, descending=True),
        columns=(OrderColumn.ITEMS,))
    assert SavedView.from_dict({"date": [], "sort": None, "columns": []}) == SavedView()


def test_views_are_kept_by_name(tmp_path: Path) -> None:
    state = UiState(tmp_path / "ui-state.ini")
    views = SavedViews(state)
    views.save("  ", VIEW)
    assert views.names() == []
    views.save(" Wysłane ", VIEW)
    views.save("Wszystko", SavedView())
    assert views.names() == ["Wysłane", "Wszystko"]
    assert state.saved_view("Wysłane") == STORED
    assert views.get("Wysłane") == VIEW
    assert views.get("Nie ma") is None
    assert views.name_of(SavedView()) == "Wszystko"
    views.delete("Wszystko")
    assert views.name_of(SavedView()) is None

    SavedViews.set_last(state, VIEW)
    state.sync()
    assert SavedViews.last(UiState(tmp_path / "ui-state.ini")) == VIEW
    assert SavedViews.last(UiState(tmp_path / "other.ini")) == SavedView()


def test_tags_and_notes_round_trip_by_tag_id() -> None:
    """The seller's tags (by id: a renamed tag stays in the view) and the note filter are kept;
    a view without them is stored as before; damaged values read as none."""
    view = SavedView(order_filter=OrderFilter(tags=frozenset({3, 1}), has_note=False))
    stored = view.to_dict()
    assert (stored["tags"], stored["has_note"]) == ([1, 3], False)
    assert SavedView.from_dict(stored) == view
    assert "tags" not in VIEW.to_dict()
    assert "has_note" not in VIEW.to_dict()
    damaged = SavedView.from_dict({"tags": [True, "2", 2, -1, 2**70, 5.0], "has_note": "yes"})
    assert damaged.order_filter == OrderFilter(tags=frozenset({2}))
    assert SavedView.from_dict({"tags": "1"}).order_filter == OrderFilter()
