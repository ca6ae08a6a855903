"""The order table's columns on its header: the default layout (which are shown, in what order,
how wide), and which are visible in what order — read and set by column key, whatever the seller
moved.

The defaults fit the window they are applied to (the first start, "Reset columns"): each
column is as wide as its content in the table's font (`default_widths`), and on a narrow window
the least important of the default columns stay hidden until the rest fit (`PRIORITY`,
`fitting_columns`); the seller shows them from the header's menu. A right-aligned number keeps
a gap from the column after it (`NUMBER_GAP`: in its width, and the style's text margin).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView

from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderColumn

__all__ = ["DEFAULT_HIDDEN", "DEFAULT_ORDER", "NUMBER_GAP", "PRIORITY", "RIGHT_ALIGNED",
           "WINDOW_COLUMNS",
           "apply_default_columns", "default_shown", "default_widths", "fitting_columns",
           "show_column", "show_columns", "visible_columns", "widen_items"]

#: The table's columns in the window, by logical section: `TABLE_COLUMNS` and the seller's own
#: labels (tags, the private note's first line). Append-only: a saved header state names its
#: sections by position, so a new column goes last here and takes its place in
#: `DEFAULT_ORDER`.
WINDOW_COLUMNS: Final = (*(c for c in TABLE_COLUMNS if c is not OrderColumn.STAGE),
                         OrderColumn.TAGS, OrderColumn.PRIVATE_NOTE, OrderColumn.STAGE)
#: The columns in the order the seller first sees them: the tags beside the buyer, where they
#: are seen without scrolling.
_AFTER_BUYER: Final = TABLE_COLUMNS.index(OrderColumn.BUYER_NAME) + 1
DEFAULT_ORDER: Final = (*TABLE_COLUMNS[:_AFTER_BUYER], OrderColumn.TAGS,
                        *TABLE_COLUMNS[_AFTER_BUYER:], OrderColumn.PRIVATE_NOTE)
#: Hidden until the seller shows them. Allegro's two status fields are read through the one
#: Status column (and the details panel); the account is shown once there are two accounts,
#: the tags once the profile has a tag (`default_shown`); the
#: private note is read on the details panel, its column is offered for who wants it.
DEFAULT_HIDDEN: Final = frozenset({OrderColumn.STATUS, OrderColumn.FULFILLMENT,
                                   OrderColumn.MARKETPLACE, OrderColumn.ACCOUNT,
                                   OrderColumn.TAGS, OrderColumn.PRIVATE_NOTE})
#: The default columns, most important first: on a narrow window the last give way.
PRIORITY: Final = (OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.TOTAL,
                   OrderColumn.STAGE, OrderColumn.TAGS, OrderColumn.ACCOUNT, OrderColumn.BUYER_NAME,
                   OrderColumn.ITEMS, OrderColumn.PAYMENT, OrderColumn.DELIVERY,
                   OrderColumn.QUANTITY, OrderColumn.CITY, OrderColumn.BUYER_LOGIN,
                   OrderColumn.INVOICE)
#: Shown on the narrowest window too (the order, when, how much, where it stands).
_ALWAYS: Final = 4
#: The width of free text columns, in average characters (their content is any length: the
#: cell elides it, the tooltip has it whole).
_TEXT_CHARACTERS: Final = {
    OrderColumn.BUYER_LOGIN: 14, OrderColumn.BUYER_NAME: 15, OrderColumn.ITEMS: 14,
    OrderColumn.DELIVERY: 20, OrderColumn.CITY: 13, OrderColumn.ACCOUNT: 14,
    OrderColumn.TAGS: 14, OrderColumn.PRIVATE_NOTE: 22,
}
#: What a column drawn by its delegate (the tags' chips) may take at most, in average
#: characters (a longer chip is cut; the tooltip has the names).
_DRAWN_AT_MOST: Final = 26
#: What the items column may grow to when a wide window has room to spare.
_ITEMS_AT_MOST: Final = 48
#: A cell's padding left and right, and a header's room for its sort arrow.
_CELL_PADDING: Final = 16
_ARROW_ROOM: Final = 22
#: The columns whose numbers are right-aligned, and the pixels between such a number and the
#: text of the column after it (the table's style keeps them free at the cell's right).
RIGHT_ALIGNED: Final = frozenset({OrderColumn.QUANTITY, OrderColumn.TOTAL})
NUMBER_GAP: Final = 10


def default_shown(several_accounts: bool, tags: bool = False) -> list[OrderColumn]:
    """The columns shown by default on a window wide enough for them, in `DEFAULT_ORDER`
    (the account's with `several_accounts`, the tags' once the profile has `tags`)."""
    hidden = DEFAULT_HIDDEN - ({OrderColumn.ACCOUNT} if several_accounts else set()) \
        - ({OrderColumn.TAGS} if tags else set())
    return [c for c in DEFAULT_ORDER if c not in hidden]


def default_widths(columns: Sequence[OrderColumn], cells: QFontMetrics, headers: QFontMetrics,
                   widest: Callable[[OrderColumn], Sequence[str]],
                   header_text: Callable[[OrderColumn], str], *,
                   drawn: Mapping[OrderColumn, int] | None = None) -> dict[OrderColumn, int]:
    """Each column as wide as its header (and sort arrow) and its widest content: `widest`
    gives a column's longest texts (a date, an amount, every status…); a free text column
    gets room for its `_TEXT_CHARACTERS`; a right-aligned number its `NUMBER_GAP`; a column
    its delegate draws (the tags' chips) the pixels `drawn` says its content takes, up to
    `_DRAWN_AT_MOST` characters."""
    widths = {}
    for column in columns:
        header = headers.horizontalAdvance(header_text(column)) + _CELL_PADDING + _ARROW_ROOM
        samples = [cells.horizontalAdvance(text) for text in widest(column)]
        if column in _TEXT_CHARACTERS:
            samples.append(cells.averageCharWidth() * _TEXT_CHARACTERS[column])
        width = max(header, max(samples, default=0) + _CELL_PADDING)
        if drawn and column in drawn:  # its own margins included
            width = max(width, min(drawn[column], cells.averageCharWidth() * _DRAWN_AT_MOST))
        widths[column] = width + (NUMBER_GAP if column in RIGHT_ALIGNED else 0)
    return widths


def fitting_columns(shown: Sequence[OrderColumn], widths: Mapping[OrderColumn, int],
                    room: int) -> tuple[list[OrderColumn], int]:
    """Which of `shown` fit in `room` pixels, in `shown`'s order: by `PRIORITY`, each while it
    fits (the first `_ALWAYS` whatever the room); and the pixels left over."""
    kept: set[OrderColumn] = set()
    used = 0
    ranked = [c for c in PRIORITY if c in shown] + [c for c in shown if c not in PRIORITY]
    for place, column in enumerate(ranked):
        if place < _ALWAYS or used + widths[column] <= room:
            kept.add(column)
            used += widths[column]
    return [c for c in shown if c in kept], max(0, room - used)


def apply_default_columns(header: QHeaderView, columns: Sequence[OrderColumn],
                          widths: Mapping[OrderColumn, int],
                          shown: Sequence[OrderColumn]) -> None:
    """The default order and widths, `shown` visible and the rest hidden (`columns`: the
    model's, by section)."""
    for position, column in enumerate(c for c in DEFAULT_ORDER if c in columns):
        logical = columns.index(column)
        if header.visualIndex(logical) != position:
            header.moveSection(header.visualIndex(logical), position)
    for logical, column in enumerate(columns):
        header.resizeSection(logical, widths[column])
        header.setSectionHidden(logical, column not in shown)


def widen_items(header: QHeaderView, columns: Sequence[OrderColumn],
                widths: Mapping[OrderColumn, int], spare: int, cells: QFontMetrics) -> None:
    """Give the items column (the one whose text is always cut) the room a wide window has
    to spare, up to `_ITEMS_AT_MOST` characters."""
    if OrderColumn.ITEMS not in columns:
        return
    logical = columns.index(OrderColumn.ITEMS)
    if header.isSectionHidden(logical):
        return
    most = cells.averageCharWidth() * _ITEMS_AT_MOST + _CELL_PADDING
    width = widths[OrderColumn.ITEMS]
    header.resizeSection(logical, max(width, min(most, width + spare)))


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
                shown: bool, width: int = 100) -> None:
    """Show or hide one column (never the last visible one); a column shown again too
    narrow to see gets `width` (its default)."""
    if not shown and len(visible_columns(header, columns)) <= 1:
        return
    header.setSectionHidden(logical, not shown)
    if shown and header.sectionSize(logical) < 20:
        header.resizeSection(logical, width)
