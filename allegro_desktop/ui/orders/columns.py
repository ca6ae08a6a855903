"""The order table's columns on its header: the default layout (which are shown, how wide), and
which are visible in what order — read and set by column key, whatever the seller moved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtWidgets import QHeaderView

from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderColumn

__all__ = ["DEFAULT_HIDDEN", "DEFAULT_WIDTHS", "WINDOW_COLUMNS", "apply_default_columns",
           "show_column", "show_columns", "visible_columns"]

#: The table's columns in the window: `TABLE_COLUMNS` and the seller's own labels (tags, the
#: private note's first line).
WINDOW_COLUMNS: Final = (*TABLE_COLUMNS, OrderColumn.TAGS, OrderColumn.PRIVATE_NOTE)
#: Hidden until the seller shows them (the table is wide enough without). Tags are shown
#: once the profile has a tag (ui/orders/labels/controller.py); the private note is read on
#: the details panel, its column is offered for who wants it.
DEFAULT_HIDDEN: Final = frozenset({OrderColumn.ORDER_ID, OrderColumn.MARKETPLACE,
                                   OrderColumn.ACCOUNT, OrderColumn.TAGS,
                                   OrderColumn.PRIVATE_NOTE})
DEFAULT_WIDTHS: Final = {
    OrderColumn.BOUGHT_AT: 125, OrderColumn.ORDER_ID: 120, OrderColumn.BUYER_LOGIN: 120,
    OrderColumn.BUYER_NAME: 150, OrderColumn.ITEMS: 250, OrderColumn.QUANTITY: 45,
    OrderColumn.TOTAL: 95, OrderColumn.PAYMENT: 150, OrderColumn.STATUS: 150,
    OrderColumn.FULFILLMENT: 115, OrderColumn.DELIVERY: 170, OrderColumn.CITY: 120,
    OrderColumn.INVOICE: 60, OrderColumn.MARKETPLACE: 90, OrderColumn.ACCOUNT: 110,
    OrderColumn.TAGS: 160, OrderColumn.PRIVATE_NOTE: 180,
}


def apply_default_columns(header: QHeaderView, columns: Sequence[OrderColumn]) -> None:
    """The default order, widths and hidden columns (`columns`: the model's, by section)."""
    for logical, column in enumerate(columns):
        if header.visualIndex(logical) != logical:
            header.moveSection(header.visualIndex(logical), logical)
        header.resizeSection(logical, DEFAULT_WIDTHS.get(column, 100))
        header.setSectionHidden(logical, column in DEFAULT_HIDDEN)


def visible_columns(header: QHeaderView, columns: Sequence[OrderColumn]) -> list[OrderColumn]:
    """The visible columns in the order the seller sees them."""
    shown = [logical for logical in range(header.count())
             if not header.isSectionHidden(logical)]
    shown.sort(key=header.visualIndex)
    return [columns[logical] for logical in shown]


def show_columns(header: QHeaderView, columns: Sequence[OrderColumn],
                 wanted: Sequence[OrderColumn]) -> None:
    """Show `wanted`, in this order, after each other; hide the rest (none of `columns`
    wanted changes nothing: the table needs a column)."""
    shown = [c for c in dict.fromkeys(wanted) if c in columns]
    if not shown:
        return
    for position, column in enumerate(shown):
        logical = columns.index(column)
        header.setSectionHidden(logical, False)
        header.moveSection(header.visualIndex(logical), position)
    for logical, column in enumerate(columns):
        if column not in shown:
            header.setSectionHidden(logical, True)


def show_column(header: QHeaderView, columns: Sequence[OrderColumn], logical: int,
                shown: bool) -> None:
    """Show or hide one column (never the last visible one); a column shown again too
    narrow to see gets its default width."""
    if not shown and len(visible_columns(header, columns)) <= 1:
        return
    header.setSectionHidden(logical, not shown)
    if shown and header.sectionSize(logical) < 20:
        header.resizeSection(logical, DEFAULT_WIDTHS.get(columns[logical], 100))
