"""The order table view on its own, over a small stored shop: columns by key (shown, hidden,
moved, reset), the default columns fitted to the table's width, the sort indicator and its
arrow, selections as row ranges, and the same colours while a dialog is on top."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QEvent, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderColumn, OrderFilter, OrderSort
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.columns import DEFAULT_HIDDEN
from allegro_desktop.ui.orders.model import OrdersModel
from allegro_desktop.ui.orders.table import OrdersTable
from tests.helpers.stored_shop import store_seller_shop


@pytest.fixture
def table(qtbot: QtBot, tmp_path: Path) -> Iterator[OrdersTable]:
    database = store_seller_shop(tmp_path / "orders.sqlite3", orders=40)
    queries = OrderQueries(database=database)
    model = OrdersModel(queries=queries)
    model.reset_seqs(queries.seqs(OrderFilter(), OrderSort()))
    view = OrdersTable(model, OrderSort(OrderColumn.TOTAL, descending=False))
    qtbot.addWidget(view)
    yield view
    model.stop()
    database.close()


def test_columns_are_shown_hidden_and_moved_by_key(table: OrdersTable) -> None:
    defaults = [c for c in TABLE_COLUMNS if c not in DEFAULT_HIDDEN]
    assert table.visible_columns() == defaults  # not on screen: nothing left out yet
    table.set_visible_columns([OrderColumn.TOTAL, OrderColumn.ACCOUNT, OrderColumn.TOTAL])
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.ACCOUNT]
    table.set_visible_columns([])  # the table needs a column: nothing changes
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.ACCOUNT]
    table.show_column(OrderColumn.ACCOUNT, False)
    table.show_column(OrderColumn.TOTAL, False)  # the last one
    assert table.visible_columns() == [OrderColumn.TOTAL]
    table.show_column(OrderColumn.CITY, True)
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.CITY]
    table.reset_columns()
    assert table.visible_columns() == defaults


def test_the_order_number_and_one_status_are_default_columns(table: OrdersTable) -> None:
    """Which order comes first; one status a seller reads instead of Allegro's two fields,
    which stay offered (hidden) as columns of their own."""
    shown = table.visible_columns()
    assert shown[:2] == [OrderColumn.BOUGHT_AT, OrderColumn.ORDER_ID]
    assert OrderColumn.STAGE in shown
    assert OrderColumn.STATUS not in shown
    assert OrderColumn.FULFILLMENT not in shown
    model = table.model()
    assert isinstance(model, OrdersModel)
    assert model.header_text(OrderColumn.STAGE) == "Status"
    assert model.header_text(OrderColumn.STATUS) == "Purchase status"


def widths_on_screen(qtbot: QtBot, table: OrdersTable, width: int) -> list[OrderColumn]:
    """Show the table `width` pixels wide (its first time on screen) and check that the
    visible columns fit it and their texts fit them; returns them."""
    table.resize(width, 500)
    table.show()
    qtbot.waitExposed(table)
    model = table.model()
    assert isinstance(model, OrdersModel)
    header = table.horizontalHeader()
    shown = table.visible_columns()
    used = sum(header.sectionSize(model.column_of(c)) for c in shown)
    assert used <= table.viewport().width(), (used, table.viewport().width())
    cells, headers = table.fontMetrics(), header.fontMetrics()
    for column in shown:
        size = header.sectionSize(model.column_of(column))
        assert headers.horizontalAdvance(model.header_text(column)) + 20 <= size, column
        if column in (OrderColumn.BOUGHT_AT, OrderColumn.TOTAL, OrderColumn.STAGE,
                      OrderColumn.ORDER_ID, OrderColumn.QUANTITY, OrderColumn.PAYMENT):
            for row in range(model.rowCount()):
                text = model.index(row, model.column_of(column)).data()
                assert cells.horizontalAdvance(text) + 8 <= size, (column, text)
    return shown


def test_the_default_columns_fit_a_narrow_table(qtbot: QtBot, table: OrdersTable) -> None:
    """The table of an 1100 px window beside the details panel: the least important columns
    stay hidden, the rest are whole (the amount and its header not cut)."""
    shown = widths_on_screen(qtbot, table, 700)
    assert {OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.TOTAL,
            OrderColumn.STAGE} <= set(shown)
    assert OrderColumn.INVOICE not in shown
    table.show_column(OrderColumn.INVOICE, True)  # offered in the header's menu
    assert OrderColumn.INVOICE in table.visible_columns()


def test_a_wide_table_shows_every_default_column(qtbot: QtBot, table: OrdersTable) -> None:
    shown = widths_on_screen(qtbot, table, 1500)
    assert shown == [c for c in TABLE_COLUMNS if c not in DEFAULT_HIDDEN]


def arrow_points_up(table: OrdersTable, section: int) -> bool:
    """Whether the sort arrow drawn on `section` is wider at its bottom (▲) than its top."""
    header = table.horizontalHeader()
    image = header.grab().toImage()
    left = header.sectionViewportPosition(section)
    right = left + header.sectionSize(section)
    background = image.pixelColor(left + 2, 2).lightness()
    rows = [sum(1 for x in range(left + header.sectionSize(section) // 2, right - 2)
                if abs(image.pixelColor(x, y).lightness() - background) > 40)
            for y in range(2, image.height() - 3)]
    drawn = [count for count in rows if count]
    assert len(drawn) >= 2, rows
    assert drawn[0] != drawn[-1], rows
    return drawn[-1] > drawn[0]


def test_the_sort_arrow_points_up_for_ascending(qtbot: QtBot, table: OrdersTable) -> None:
    table.set_visible_columns([OrderColumn.CITY])
    table.resize(400, 300)
    table.show()
    qtbot.waitExposed(table)
    model = table.model()
    assert isinstance(model, OrdersModel)
    city = model.column_of(OrderColumn.CITY)
    table.show_sort(OrderSort(OrderColumn.CITY, descending=False))
    assert arrow_points_up(table, city)
    table.show_sort(OrderSort(OrderColumn.CITY, descending=True))
    assert not arrow_points_up(table, city)


def test_the_sort_indicator_shows_the_sort(table: OrdersTable) -> None:
    header = table.horizontalHeader()
    model = table.model()
    assert isinstance(model, OrdersModel)
    assert header.sortIndicatorSection() == model.column_of(OrderColumn.TOTAL)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    table.show_sort(OrderSort(OrderColumn.CITY, descending=True))
    assert header.sortIndicatorSection() == model.column_of(OrderColumn.CITY)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_selections_are_row_ranges(table: OrdersTable) -> None:
    model = table.model()
    assert isinstance(model, OrdersModel)
    seqs = list(model.seqs)
    table.select_seqs([seqs[2], seqs[3], seqs[4], seqs[10]], current=seqs[10])
    assert table.selected_ranges() == [(2, 5), (10, 11)]
    assert table.selected_count() == 4
    assert table.selectionModel().currentIndex().row() == 10
    table.select_and_show([seqs[30], seqs[20]])
    assert table.selected_ranges() == [(20, 21), (30, 31)]
    assert table.selectionModel().currentIndex().row() == 20
    table.select_and_show([-1])  # not listed: nothing changes
    assert table.selected_count() == 2


def ink_gap(image: QImage, left: int, right: int, rows: range) -> int:
    """How many pixels between `right` (exclusive) and the rightmost drawn text pixel of the
    columns left..right over `rows` (each row's background read at its right edge)."""
    gaps = []
    for y in rows:
        background = image.pixelColor(right - 1, y).lightness()
        ink = [x for x in range(left, right)
               if abs(image.pixelColor(x, y).lightness() - background) > 80]
        if ink:
            gaps.append(right - 1 - max(ink))
    assert gaps, "no text drawn"
    return min(gaps)


def test_a_right_aligned_number_keeps_a_gap_from_the_next_column(
        qtbot: QtBot, table: OrdersTable) -> None:
    """The amount (and its header) ends a few pixels before its column does, so "398,00 zł"
    never runs into the next column's text."""
    widths_on_screen(qtbot, table, 1500)
    model = table.model()
    assert isinstance(model, OrdersModel)
    header, total = table.horizontalHeader(), model.column_of(OrderColumn.TOTAL)
    left = header.sectionViewportPosition(total)
    right = left + header.sectionSize(total)
    row_height = table.rowHeight(0)
    qtbot.waitUntil(lambda: all(model.index(row, total).data() for row in range(10)))
    cells = table.viewport().grab().toImage()
    assert ink_gap(cells, left, right, range(row_height * 10)) >= 8
    titles = header.grab().toImage()
    assert ink_gap(titles, left, right, range(header.height() // 3,
                                               header.height() * 2 // 3)) >= 6


class CountingModel(OrdersModel):
    """The real model, counting the calls a paint makes into it (Python)."""

    def __init__(self, *, queries: OrderQueries) -> None:
        super().__init__(queries=queries)
        self.calls: Counter[str] = Counter()
        self._inside = False

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._inside:
            self.calls["data"] += 1
        return super().data(index, role)

    def multiData(self, index: Any, roleDataSpan: Any) -> None:  # noqa: N802, N803
        self.calls["multiData"] += 1
        self._inside = True
        try:
            super().multiData(index, roleDataSpan)
        finally:
            self._inside = False


def test_a_paint_calls_the_model_once_a_cell(qtbot: QtBot, tmp_path: Path) -> None:
    """Each call into Python waits for Python's lock while another thread holds it (the sync
    sending orders): a cell's paint asks for its roles in one call, and the flags are Qt's
    own, where Qt's delegate asked eight times."""
    assert OrdersModel.flags is QAbstractTableModel.flags  # Qt's own, no call into Python
    database = store_seller_shop(tmp_path / "orders.sqlite3", orders=40)
    queries = OrderQueries(database=database)
    model = CountingModel(queries=queries)
    model.reset_seqs(queries.seqs(OrderFilter(), OrderSort()))
    view = OrdersTable(model, OrderSort())
    qtbot.addWidget(view)
    try:
        view.resize(900, 400)
        view.show()
        qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: not model.is_reading()
                        and bool(model.index(0, 0).data()))
        model.calls.clear()
        image = view.viewport().grab().toImage()
        header = view.horizontalHeader()
        columns = sum(1 for section in range(model.columnCount())
                      if not header.isSectionHidden(section)
                      and 0 <= header.sectionViewportPosition(section) < view.viewport().width())
        shown = columns * (view.viewport().height() // view.rowHeight(0))
        assert model.calls["data"] == 0
        assert model.calls["multiData"] >= shown
        assert not image.isNull()
    finally:
        model.stop()
        database.close()


def test_the_selection_reads_the_same_while_a_dialog_is_on_top(
        qtbot: QtBot, table: OrdersTable) -> None:
    """A dialog over the window (a bulk run's progress) leaves the table as it was: its
    inactive colours are the active ones, so Qt repaints nothing when the window is
    deactivated or activated again (a whole repaint while orders are being sent) — and they
    follow a switch between light and dark."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette = table.palette()
    assert palette.isEqual(QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    assert not table.viewportEvent(QEvent(QEvent.Type.WindowDeactivate))

    before = app.palette()
    dark = QPalette(before)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        dark.setColor(group, QPalette.ColorRole.Base, QColor("#202124"))
        dark.setColor(group, QPalette.ColorRole.Highlight, QColor("#8ab4f8"))
    dark.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("#5f6368"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: table.palette().color(QPalette.ColorRole.Base)
                        == QColor("#202124"))
        palette = table.palette()
        assert palette.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight) \
            == QColor("#8ab4f8")
        assert palette.isEqual(QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    finally:
        app.setPalette(before)
