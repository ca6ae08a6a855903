"""`OrdersTable`: the order table view — whole rows selected, columns movable and hideable (by
key: `columns.py`), the header's sort indicator, and selections kept as row ranges (a million
selected rows are a few ranges, never a million indexes).

It also puts a refreshed result in place of the old one keeping what the seller looks at: the
selection follows its orders (the model's business), the view keeps its top row where it was, or
stays at the very top (where new orders appear) if it was there.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSignalBlocker, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from allegro_desktop.domain.filters import OrderColumn, OrderSort
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.orders.columns import (
    apply_default_columns,
    show_columns,
    visible_columns,
)
from allegro_desktop.ui.orders.model import OrdersModel

__all__ = ["OrdersTable"]


class OrdersTable(QTableView):
    """The table of `model`'s orders (see the module's docstring), sorted by `sort` at first.
    Context menus are asked for (`customContextMenuRequested` of the table and its header),
    not built here."""

    def __init__(self, model: OrdersModel, sort: OrderSort,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("ordersTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setObjectName("ordersHeader")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reset_columns()
        header.setSortIndicator(model.column_of(sort.column), _order(sort.descending))
        self.setSortingEnabled(True)
        # The header asks the selection model whether each column it paints is selected,
        # which checks every selected row's flags: with a million selected rows that is a
        # million calls into Python per column and paint. Rows are selected, never columns:
        # the header gets a selection model of its own that stays empty.
        header.setSelectionModel(QItemSelectionModel(model, header))

    # -- columns and sort -----------------------------------------------------------------

    def visible_columns(self) -> list[OrderColumn]:
        """The visible columns in the order the seller sees them."""
        return visible_columns(self.horizontalHeader(), self._model.columns)

    def set_visible_columns(self, columns: Sequence[OrderColumn]) -> None:
        """Show these columns, in this order, after each other; hide the rest (an empty
        list changes nothing: the table needs a column)."""
        show_columns(self.horizontalHeader(), self._model.columns, columns)

    def reset_columns(self) -> None:
        """The default columns, order and widths."""
        apply_default_columns(self.horizontalHeader(), self._model.columns)

    def show_sort(self, sort: OrderSort) -> None:
        """Show `sort` on the header (no sort is asked for)."""
        header = self.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(self._model.column_of(sort.column),
                                    _order(sort.descending))

    # -- selection ------------------------------------------------------------------------

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected rows as sorted, disjoint [start, stop) ranges."""
        selection = self.selectionModel().selection()
        spans = sorted((selection.at(i).top(), selection.at(i).bottom() + 1)
                       for i in range(selection.count()))
        merged: list[tuple[int, int]] = []
        for start, stop in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            else:
                merged.append((start, stop))
        return merged

    def selected_count(self) -> int:
        return sum(stop - start for start, stop in self.selected_ranges())

    def select_seqs(self, seqs: Iterable[int], current: int | None = None) -> None:
        """Select these orders (those listed) and make `current` the current one."""
        model = self._model
        selection = QItemSelection()
        last = model.columnCount() - 1
        for start, stop in _spans(sorted(model.rows_of(seqs).values())):
            selection.select(model.index(start, 0), model.index(stop - 1, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
            | QItemSelectionModel.SelectionFlag.Rows
        selection_model = self.selectionModel()
        selection_model.select(selection, flags)
        if current is not None:
            current_row = model.row_of(current)
            if current_row is not None:
                selection_model.setCurrentIndex(
                    model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_and_show(self, seqs: Sequence[int]) -> None:
        """Select these orders (those listed) and scroll to the first of them."""
        rows = self._model.rows_of(seqs)
        if not rows:
            return
        top = min(rows, key=lambda seq: rows[seq])
        self.select_seqs(list(rows), current=top)
        self.scrollTo(self._model.index(rows[top], 0))

    def refresh_visible_rows(self) -> None:
        """The orders changed, the list did not: read the rows on screen again and repaint
        those that changed (the others are read again when shown)."""
        self._model.refresh_rows(*self._rows_on_screen())

    def _rows_on_screen(self) -> tuple[int, int]:
        """The first and last row the viewport shows (the last row if it is not filled)."""
        last = self.rowAt(self.viewport().height() - 1)
        return max(0, self.rowAt(0)), self._model.rowCount() - 1 if last < 0 else last

    def update_in_place(self, seqs: array[int], rows: dict[int, OrderRow]) -> None:
        """The new result in place of the old, the view's top row kept (see the module's
        docstring)."""
        model = self._model
        if seqs == model.seqs:  # nothing moved: the rows on screen are read again
            model.update_seqs(seqs, rows=rows)
            first, last = self._rows_on_screen()
            model.read_stale_rows(first, last)
            return
        bar = self.verticalScrollBar()
        at_top = bar.value() == bar.minimum()
        top_row = self.rowAt(0)
        top_seq = model.seq_at(top_row) if top_row >= 0 else None
        before = bar.value()
        everything = model.rowCount() > 0 and self.selected_count() == model.rowCount()
        model.update_seqs(seqs, rows=rows)
        self.doItemsLayout()
        if everything:  # "all of them" includes the new ones
            self.selectAll()
        if at_top or top_seq is None:
            bar.setValue(bar.minimum())
        else:
            new_row = model.row_of(top_seq)
            if new_row is not None:
                step = (self.verticalHeader().defaultSectionSize()
                        if self.verticalScrollMode() is QAbstractItemView.ScrollMode
                        .ScrollPerPixel else 1)
                bar.setValue(before + (new_row - top_row) * step)


def _spans(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as [start, stop) runs of consecutive rows."""
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and spans[-1][1] == row:
            spans[-1] = (spans[-1][0], row + 1)
        else:
            spans.append((row, row + 1))
    return spans


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
