"""The order table view on its own, over a small stored shop: columns by key (shown, hidden,
moved, reset), the sort indicator, and selections as row ranges."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderColumn, OrderFilter, OrderSort
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.columns import DEFAULT_HIDDEN, show_column
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
    assert table.visible_columns() == [c for c in TABLE_COLUMNS if c not in DEFAULT_HIDDEN]
    table.set_visible_columns([OrderColumn.TOTAL, OrderColumn.ACCOUNT, OrderColumn.TOTAL])
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.ACCOUNT]
    table.set_visible_columns([])  # the table needs a column: nothing changes
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.ACCOUNT]
    header = table.horizontalHeader()
    columns = list(TABLE_COLUMNS)
    show_column(header, columns, columns.index(OrderColumn.ACCOUNT), False)
    show_column(header, columns, columns.index(OrderColumn.TOTAL), False)  # the last one
    assert table.visible_columns() == [OrderColumn.TOTAL]
    show_column(header, columns, columns.index(OrderColumn.CITY), True)
    assert table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.CITY]
    table.reset_columns()
    assert table.visible_columns() == [c for c in TABLE_COLUMNS if c not in DEFAULT_HIDDEN]


def test_the_sort_indicator_shows_the_sort(table: OrdersTable) -> None:
    header = table.horizontalHeader()
    assert header.sortIndicatorSection() == list(TABLE_COLUMNS).index(OrderColumn.TOTAL)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    table.show_sort(OrderSort(OrderColumn.CITY, descending=True))
    assert header.sortIndicatorSection() == list(TABLE_COLUMNS).index(OrderColumn.CITY)
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
