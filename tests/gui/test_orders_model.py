"""`OrdersModel`: the order table's model over a real SQLite file of the emulator's Polish
orders, checked by Qt's own model tester while results stream in and change in place."""

from __future__ import annotations

import dataclasses
import random
import threading
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import (
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.domain.labels import Tag
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.ui.formatting import (
    datetime_text,
    fulfillment_label,
    marketplace_label,
    money_text,
    payment_type_label,
    status_label,
)
from allegro_desktop.ui.orders.columns import WINDOW_COLUMNS
from allegro_desktop.ui.orders.list_loader import OrderListLoader
from allegro_desktop.ui.orders.model import (
    ROW_ROLE,
    SEQ_ROLE,
    OrdersModel,
    _moved_positions,
    _positions,
    short_order_id,
)
from tests.helpers.stored_shop import store_seller_shop

PL = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = store_seller_shop(tmp_path_factory.mktemp("model") / "orders.sqlite3")
    yield database
    database.close()


@pytest.fixture
def queries(database: Database) -> OrderQueries:
    return OrderQueries(database=database)


@pytest.fixture
def all_seqs(queries: OrderQueries) -> array[int]:
    return queries.seqs(OrderFilter(), OrderSort())


@pytest.fixture
def model(queries: OrderQueries) -> OrdersModel:
    return OrdersModel(queries=queries, locale=PL)


def cell(qtbot: QtBot, model: OrdersModel, row: int, column: int = 1,
         role: Qt.ItemDataRole = DISPLAY) -> Any:
    """What a view shows at (row, column) once the rows it asked for are read (the model
    reads uncached rows in the background and shows them empty meanwhile)."""
    value = model.data(model.index(row, column), role)
    if model.is_reading():
        qtbot.waitUntil(lambda: not model.is_reading())
        value = model.data(model.index(row, column), role)
    return value


class ThreadRecordingQueries(OrderQueries):
    """The real queries, noting the thread of each `rows()` call and what it read."""

    def __init__(self, *, database: Database) -> None:
        super().__init__(database=database)
        self.threads: list[int] = []
        self.reads: list[list[int]] = []

    def rows(self, seqs: Iterable[int]) -> dict[int, OrderRow]:
        wanted = list(seqs)
        self.threads.append(threading.get_ident())
        self.reads.append(wanted)
        return super().rows(wanted)


def stage_text(order: OrderRow) -> str:
    """The Status column: one status a seller reads, from Allegro's two."""
    if "CANCELLED" in (order.status, order.fulfillment_status):
        return "Cancelled"
    if order.status in ("BOUGHT", "FILLED_IN"):
        return "Unpaid"
    if order.fulfillment_status in (None, "NEW"):
        return "To send"
    return fulfillment_label(order.fulfillment_status)


def expected_text(order: OrderRow, column: OrderColumn) -> str:
    """What each column shows, written out independently of the model's code."""
    if column is OrderColumn.PAYMENT:
        if order.payment_type is None:
            return "Not paid" if order.paid_at is None else ""
        label = payment_type_label(order.payment_type)
        if order.payment_type == "CASH_ON_DELIVERY":
            return label
        return f"{label}, paid" if order.paid_at is not None else f"{label}, not paid"
    return {
        OrderColumn.BOUGHT_AT: lambda: datetime_text(order.bought_at, PL),
        OrderColumn.ORDER_ID: lambda: order.id[:8] + "…",
        OrderColumn.STAGE: lambda: stage_text(order),
        OrderColumn.BUYER_LOGIN: lambda: order.buyer_login or "",
        OrderColumn.BUYER_NAME: lambda: order.buyer_name or order.buyer_company or "",
        OrderColumn.ITEMS: lambda: order.items_summary,
        OrderColumn.QUANTITY: lambda: str(order.quantity),
        OrderColumn.TOTAL: lambda: money_text(order.total, PL),
        OrderColumn.STATUS: lambda: status_label(order.status),
        OrderColumn.FULFILLMENT: lambda: fulfillment_label(order.fulfillment_status),
        OrderColumn.DELIVERY: lambda: order.delivery_method or "",
        OrderColumn.CITY: lambda: order.city or "",
        OrderColumn.INVOICE: lambda: "Yes" if order.invoice_required else "",
        OrderColumn.MARKETPLACE: lambda: marketplace_label(order.marketplace_id),
        OrderColumn.ACCOUNT: lambda: order.account_key,
        OrderColumn.TAGS: lambda: ", ".join(tag.name for tag in order.tags),
        OrderColumn.PRIVATE_NOTE: lambda: order.private_note_line or "",
    }[column]()


def test_model_tester_while_a_result_streams_in_and_after(
        qtbot: QtBot, qtmodeltester: ModelTester, model: OrdersModel,
        queries: OrderQueries, all_seqs: array[int]) -> None:
    """A result arriving from the loader in pieces (a reset, then rows inserted at the end),
    then a second query: Qt's model tester watches every signal on the way."""
    qtmodeltester.check(model)
    loader = OrderListLoader(queries=queries, first_piece=16, chunk=50)
    loader.seqs_started.connect(lambda _g, piece: model.reset_seqs(piece))
    loader.seqs_extended.connect(lambda _g, piece: model.append_seqs(piece))
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    try:
        with qtbot.waitSignal(loader.seqs_finished):
            loader.load(OrderFilter(), OrderSort(), counts=False)
        assert model.seqs == all_seqs
        assert model.rowCount() == len(all_seqs) == 600
        assert inserted == [50] * 11 + [34]  # 16 first, then the chunks
        qtmodeltester.check(model)
        with qtbot.waitSignal(loader.seqs_finished):
            loader.load(OrderFilter(quick=QuickFilter.CANCELLED),
                        OrderSort(OrderColumn.CITY), counts=False)
        assert model.seqs == queries.seqs(OrderFilter(quick=QuickFilter.CANCELLED),
                                          OrderSort(OrderColumn.CITY))
        qtmodeltester.check(model)
    finally:
        assert loader.stop()


def test_every_cell_shows_its_orders_values(qtbot: QtBot, model: OrdersModel,
                                            queries: OrderQueries,
                                            all_seqs: array[int]) -> None:
    model.reset_seqs(all_seqs)
    rows = queries.rows(all_seqs)
    assert model.columnCount() == len(WINDOW_COLUMNS) == 18  # the table's and the labels
    for row_number, seq in enumerate(all_seqs):
        order = rows[seq]
        for column_number, column in enumerate(WINDOW_COLUMNS):
            assert cell(qtbot, model, row_number, column_number) == expected_text(
                order, column), column
        index = model.index(row_number, 0)
        assert model.data(index, SEQ_ROLE) == seq
        assert model.data(index, ROW_ROLE) == order
    shown = {cell(qtbot, model, r, model.column_of(OrderColumn.PAYMENT))
             for r in range(model.rowCount())}
    assert {"Online payment, paid", "Cash on delivery"} <= shown


def test_alignment_tooltips_and_headers(qtbot: QtBot, model: OrdersModel,
                                        queries: OrderQueries, all_seqs: array[int]) -> None:
    model.reset_seqs(all_seqs)
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for column in TABLE_COLUMNS:
        alignment = model.data(model.index(0, model.column_of(column)),
                               Qt.ItemDataRole.TextAlignmentRole)
        assert (alignment == right) == (column in (OrderColumn.QUANTITY, OrderColumn.TOTAL))
    several = next(r for r, seq in enumerate(all_seqs)
                   if queries.rows([seq])[seq].items_count > 1)
    tooltip = cell(qtbot, model, several, model.column_of(OrderColumn.ITEMS),
                   Qt.ItemDataRole.ToolTipRole)
    assert tooltip == queries.rows([all_seqs[several]])[all_seqs[several]].items_summary
    assert ", " in tooltip
    order_id = queries.rows([all_seqs[0]])[all_seqs[0]].id
    assert order_id in cell(qtbot, model, 0, model.column_of(OrderColumn.ORDER_ID),
                            Qt.ItemDataRole.ToolTipRole)  # the whole id, one hover away
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY)
               for c in range(model.columnCount())]
    assert headers[:4] == ["Purchased", "Order", "Buyer login", "Buyer"]
    assert all(headers)
    assert len(set(headers)) == 18
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None
    initial = Qt.ItemDataRole.InitialSortOrderRole
    assert model.headerData(model.column_of(OrderColumn.TOTAL), Qt.Orientation.Horizontal,
                            initial) == Qt.SortOrder.DescendingOrder
    assert model.headerData(model.column_of(OrderColumn.CITY), Qt.Orientation.Horizontal,
                            initial) == Qt.SortOrder.AscendingOrder


def test_account_names(model: OrdersModel, all_seqs: array[int], qtbot: QtBot) -> None:
    model.reset_seqs(all_seqs)
    index = model.index(3, model.column_of(OrderColumn.ACCOUNT))
    assert cell(qtbot, model, 3, index.column()) == "production|48213377"
    with qtbot.waitSignal(model.dataChanged):
        model.set_account_names({"production|48213377": "DomOgrodPlus"})
    assert model.data(index, DISPLAY) == "DomOgrodPlus"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "production|48213377"


def test_rows_are_read_in_blocks_off_the_gui_thread_and_the_cache_is_bounded(
        qtbot: QtBot, database: Database, all_seqs: array[int]) -> None:
    queries = ThreadRecordingQueries(database=database)
    model = OrdersModel(queries=queries, locale=PL, cache_size=100, block=40)
    model.reset_seqs(all_seqs)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append(
        (top.row(), bottom.row())))
    assert model.data(model.index(300, 0), DISPLAY) is None  # shown empty, asked for
    assert model.is_reading()
    for row in range(290, 330):  # the rest of the block is asked once only
        assert model.data(model.index(row, 1), DISPLAY) is None
    qtbot.waitUntil(lambda: not model.is_reading())
    assert queries.reads == [list(all_seqs[290:330])]
    assert threading.get_ident() not in queries.threads
    assert changed == [(290, 329)]  # the view repaints those rows
    assert set(model._cache) == set(all_seqs[290:330])
    rows = OrderQueries(database=database).rows(all_seqs)
    for row in range(len(all_seqs)):  # the whole list, top to bottom, then back up
        assert cell(qtbot, model, row) == short_order_id(rows[all_seqs[row]].id)
    for row in reversed(range(len(all_seqs))):
        assert cell(qtbot, model, row) == short_order_id(rows[all_seqs[row]].id)
    assert len(model._cache) <= 100
    assert len(queries.threads) >= 2 * 600 / 40
    assert threading.get_ident() not in queries.threads
    assert model.order_at(599) == rows[all_seqs[599]]  # at once, on this thread
    picked = [5, 599, 0, 300]
    assert model.orders_at(picked) == [rows[all_seqs[r]] for r in picked]
    assert model.stop()


def test_the_newest_rows_asked_are_read_first_and_old_asks_dropped(
        qtbot: QtBot, database: Database, all_seqs: array[int]) -> None:
    """Scrolling fast through a long list: the reader serves the rows on screen now, and
    blocks asked long ago (scrolled past) are dropped instead of read."""
    queries = ThreadRecordingQueries(database=database)
    gate, reading = threading.Event(), threading.Event()
    original = queries.rows

    def held_rows(seqs: Iterable[int]) -> dict[int, OrderRow]:
        reading.set()
        assert gate.wait(10)
        return original(seqs)

    queries.rows = held_rows  # type: ignore[method-assign]
    model = OrdersModel(queries=queries, locale=PL, block=20)
    model.reset_seqs(all_seqs)
    model.data(model.index(0, 1), DISPLAY)
    assert reading.wait(10)  # the reader is busy with the first block
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append(
        (top.row(), bottom.row())))
    for row in (100, 200, 300, 400, 500, 580):
        model.data(model.index(row, 1), DISPLAY)
    # the dropped asks repaint their rows: a view still showing them asks again
    assert changed == [(95, 114), (195, 214)]
    assert all(model.seq_at(row) not in model._reading for row in (100, 200))
    gate.set()
    qtbot.waitUntil(lambda: not model.is_reading())
    assert model.stop()
    first_blocks = [read[0] for read in queries.reads]
    # the first ask was already taken by the reader; of the six others only the newest
    # four were kept, read newest first
    assert first_blocks == [all_seqs[0], all_seqs[575], all_seqs[495], all_seqs[395],
                            all_seqs[295]]
    assert model.data(model.index(100, 1), DISPLAY) is None  # stopped: not read any more
    assert not model.is_reading()


def test_an_order_no_longer_stored_shows_an_empty_row(qtbot: QtBot, model: OrdersModel,
                                                      all_seqs: array[int]) -> None:
    model.reset_seqs([all_seqs[0], 999_999, all_seqs[1]])
    assert cell(qtbot, model, 1) is None
    assert model.data(model.index(1, 0), SEQ_ROLE) == 999_999
    assert model.data(model.index(1, 0), ROW_ROLE) is None
    assert model.order_at(1) is None
    assert cell(qtbot, model, 2) is not None
    assert model.order_at(0) is not None


def test_rows_read_with_a_result_are_shown_at_once(qtbot: QtBot, database: Database,
                                                   all_seqs: array[int]) -> None:
    queries = ThreadRecordingQueries(database=database)
    model = OrdersModel(queries=queries, locale=PL)
    first = queries.rows(all_seqs[:50])
    queries.reads.clear()
    model.reset_seqs(all_seqs, rows=first)
    assert [model.data(model.index(r, 1), DISPLAY) for r in range(50)] == [
        short_order_id(first[seq].id) for seq in all_seqs[:50]]
    assert not model.is_reading()
    assert queries.reads == []


def test_sort_asks_for_a_query_and_changes_nothing(qtbot: QtBot, model: OrdersModel,
                                                   all_seqs: array[int]) -> None:
    model.reset_seqs(all_seqs)
    with qtbot.waitSignal(model.sort_requested) as asked:
        model.sort(model.column_of(OrderColumn.TOTAL), Qt.SortOrder.DescendingOrder)
    assert asked.args == [OrderColumn.TOTAL, True]
    with qtbot.waitSignal(model.sort_requested) as asked:
        model.sort(model.column_of(OrderColumn.CITY), Qt.SortOrder.AscendingOrder)
    assert asked.args == [OrderColumn.CITY, False]
    assert model.seqs == all_seqs


def test_update_in_place_moves_persistent_indexes_with_their_orders(
        qtbot: QtBot, qtmodeltester: ModelTester, model: OrdersModel,
        queries: OrderQueries, all_seqs: array[int]) -> None:
    """After a sync: new orders on top, one gone, the rest in the same order. Indexes held
    on orders follow them; the gone one's index becomes invalid; no model reset."""
    old = all_seqs[100:]
    model.reset_seqs(old)
    qtmodeltester.check(model)
    held = {seq: QPersistentModelIndex(model.index(old.index(seq), 2))
            for seq in (old[0], old[7], old[250], old[-1])}
    gone = old[7]
    new = array("q", [*all_seqs[:100], *[s for s in old if s != gone]])
    cell(qtbot, model, 0)  # cached: it must be read again
    cached = model._cache[old[0]]
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.layoutChanged):
        model.update_seqs(new)
    assert resets == []
    assert model.rowCount() == 599
    for seq, index in held.items():
        if seq == gone:
            assert not index.isValid()
        else:
            assert index.isValid()
            assert index.row() == new.index(seq)
            assert index.column() == 2
            assert model.data(model.index(index.row(), 0), SEQ_ROLE) == seq
    # still shown as it was (no blank flash after every sync), read again meanwhile
    assert model.data(model.index(new.index(old[0]), 1), DISPLAY) == cached.texts[1]
    assert model.is_reading()
    qtbot.waitUntil(lambda: not model.is_reading())
    assert model._cache[old[0]] is not cached
    assert model.data(model.index(new.index(old[0]), 1), DISPLAY) == short_order_id(cached.row.id)
    qtmodeltester.check(model)


def test_the_same_result_again_repaints_only_the_rows_that_changed(
        qtbot: QtBot, model: OrdersModel, all_seqs: array[int]) -> None:
    """An order action's end refreshes the list while nothing moves: no layout change (the
    selection model would save and restore every selected cell of hundreds of rows), the
    rows read with the result repaint where they differ, the others become stale."""
    model.reset_seqs(all_seqs)
    cell(qtbot, model, 0)  # the first block cached
    painted_rows(model, 3)
    first, second, third = (model._cache[seq].row for seq in all_seqs[:3])
    held = QPersistentModelIndex(model.index(5, 3))
    layouts: list[bool] = []
    model.layoutAboutToBeChanged.connect(lambda *_: layouts.append(True))
    model.layoutChanged.connect(lambda *_: layouts.append(True))
    painted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: painted.append((top.row(), bottom.row())))
    changed = dataclasses.replace(second, city="Zmienione Miasto")

    model.update_seqs(array("q", all_seqs), rows={all_seqs[0]: first, all_seqs[1]: changed})
    assert layouts == []
    assert painted == [(1, 1)]
    assert held.isValid()
    assert (held.row(), held.column()) == (5, 3)
    assert model.order_at(1) == changed
    assert not model.is_reading()
    # stale: shown, read again
    assert model.data(model.index(2, 1), DISPLAY) == short_order_id(third.id)
    assert model.is_reading()
    qtbot.waitUntil(lambda: not model.is_reading())
    assert model._cache[all_seqs[2]].row == third
    assert painted == [(1, 1)]  # read again as it was: no repaint


def test_rows_on_screen_are_read_again_and_repaint_only_if_changed(
        qtbot: QtBot, model: OrdersModel, all_seqs: array[int]) -> None:
    """An order action's progress (every half second): the rows on screen are read again
    in the background; nothing repaints where nothing changed."""
    model.reset_seqs(all_seqs)
    cell(qtbot, model, 0)
    before = {seq: model._cache[seq] for seq in all_seqs[:20]}
    painted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: painted.append((top.row(), bottom.row())))

    painted_rows(model, 20)
    model.refresh_rows(0, 19)
    assert model.is_reading()
    qtbot.waitUntil(lambda: not model.is_reading())
    assert all(model._cache[seq] is not entry and model._cache[seq].row == entry.row
               for seq, entry in before.items())
    assert painted == []
    # read again as they were, they are still painted: a change on the next read repaints
    assert all(model._cache[seq].texts == before[seq].texts is not None for seq in before)
    model.refresh_rows(len(all_seqs) - 3, len(all_seqs) + 50)  # clipped to the result
    qtbot.waitUntil(lambda: not model.is_reading())
    assert all(model._cache[seq].row is not None for seq in all_seqs[-3:])
    assert painted == [(len(all_seqs) - 3, len(all_seqs) - 1)]  # not cached before: new


def test_a_changed_cell_repaints_its_column_only(
        qtbot: QtBot, model: OrdersModel, all_seqs: array[int]) -> None:
    """A bulk status change alters one column of the rows on screen: only those cells are
    repainted, one signal a column (for a range of columns Qt's views repaint every column in
    between: the whole width once columns are moved, several times the cost while the sync
    thread sends), both when a new result brings the rows and when the rows on screen are
    read again; a tag's chip counts as its column's."""
    model.reset_seqs(all_seqs)
    cell(qtbot, model, 0)
    painted_rows(model, 3)
    first, second = (model._cache[seq].row for seq in all_seqs[:2])
    painted: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: painted.append(
        (top.row(), bottom.row(), top.column(), bottom.column())))
    city = model.column_of(OrderColumn.CITY)
    tags = model.column_of(OrderColumn.TAGS)

    model.update_seqs(array("q", all_seqs), rows={
        all_seqs[0]: first, all_seqs[1]: dataclasses.replace(second, city="Zmienione Miasto")})
    assert painted == [(1, 1, city, city)]

    # shown with another city and a tag it does not have: read again, both cells repaint
    painted.clear()
    shown = model._cache[all_seqs[1]]
    shown.row = dataclasses.replace(
        second, city="Inne Miasto", tags=(Tag(id=1, name="Pilne", colour="#d32f2f"),))
    shown.texts = model.texts(shown.row)  # painted so
    model.refresh_rows(0, 3)
    qtbot.waitUntil(lambda: not model.is_reading())
    assert model.order_at(1) == second
    assert painted == sorted([(1, 1, city, city), (1, 1, tags, tags)],
                             key=lambda cells: cells[2])

    # a row changed but never painted (off screen) is not repainted
    painted.clear()
    off_screen = model._cache[all_seqs[5]]
    assert off_screen.texts is None
    model.update_seqs(array("q", all_seqs), rows={
        all_seqs[5]: dataclasses.replace(off_screen.row, city="Gdzie Indziej")})
    assert painted == []
    assert model.data(model.index(5, city), DISPLAY) == "Gdzie Indziej"


class GatedQueries(OrderQueries):
    """The real queries; while `gate` is set, `rows()` says it `entered` and waits until the
    gate is opened (a read in flight, held), and `city`, once set, is each row's city (the
    database changed; a read keeps the city of its start)."""

    def __init__(self, *, database: Database) -> None:
        super().__init__(database=database)
        self.gate: threading.Event | None = None
        self.entered = threading.Event()
        self.city: str | None = None

    def rows(self, seqs: Iterable[int]) -> dict[int, OrderRow]:
        city, gate = self.city, self.gate
        if gate is not None:
            self.entered.set()
            assert gate.wait(timeout=30)
        found = super().rows(seqs)
        return found if city is None else {
            seq: dataclasses.replace(row, city=city) for seq, row in found.items()}


def test_a_read_overtaken_by_a_change_reads_again_and_repaints_only_what_changed(
        qtbot: QtBot, database: Database, all_seqs: array[int]) -> None:
    """The rows on screen are being read when the orders change again (an order action's
    progress every half second): the refresh asked meanwhile skips rows being read, so the
    read that ends stale is read again at once — the newest values shown, only the changed
    cells repainted, not the whole rows (20-60 ms while orders are sent); `rows_read` once
    nothing is being read."""
    queries = GatedQueries(database=database)
    model = OrdersModel(queries=queries, locale=PL)
    model.reset_seqs(all_seqs)
    cell(qtbot, model, 0)
    painted_rows(model, 3)
    city = model.column_of(OrderColumn.CITY)
    painted: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: painted.append(
        (top.row(), bottom.row(), top.column(), bottom.column())))
    done: list[bool] = []
    model.rows_read.connect(lambda: done.append(model.is_reading()))

    gate = queries.gate = threading.Event()
    try:
        model.refresh_rows(0, 2)  # read with the values as they were
        assert queries.entered.wait(timeout=30)
        queries.city = "Nowe Miasto"  # the orders change before that read ends
        model.refresh_rows(0, 2)  # skips the rows being read
    finally:
        queries.gate = None
        gate.set()
    qtbot.waitUntil(lambda: bool(done))
    assert done == [False]
    assert [model.data(model.index(row, city), DISPLAY) for row in range(3)] \
        == ["Nowe Miasto"] * 3
    assert not model.is_reading()  # shown as read: nothing asked again
    assert painted == [(0, 2, city, city)]


def painted_rows(model: OrdersModel, count: int) -> None:
    """Ask for the first `count` rows' cells as a view painting them does."""
    for row in range(count):
        model.data(model.index(row, 0), DISPLAY)


def test_positions_find_whole_seqs_only() -> None:
    """A seq's bytes can appear across two neighbours (256 then 0 holds the bytes of 1 at
    offset 1): only whole, aligned elements count."""
    seqs = array("q", [256, 0, 1, 7, 2**40])
    assert _positions(seqs, {1}) == {1: 2}
    assert _positions(seqs, {1, 2**40, 5}) == {1: 2, 2**40: 4}
    assert _positions(array("q", [256, 0]), {1}) == {}
    many = array("q", range(1000, 0, -1))
    wanted = set(range(1, 1000, 7))
    assert _positions(many, wanted) == {seq: 1000 - seq for seq in wanted}  # the long way
    assert _positions(many, set(list(wanted)[:10])) == \
        {seq: 1000 - seq for seq in list(wanted)[:10]}


@pytest.mark.parametrize("seed", range(20))
def test_moved_positions_equal_a_plain_search(seed: int) -> None:
    """After a sync: orders inserted anywhere (mostly on top), some gone, a few moved
    (a changed sort key); every held order is found where it is, or not at all."""
    rng = random.Random(seed)
    old = array("q", rng.sample(range(1, 10_000), 2000))
    new = list(old)
    for _ in range(rng.randint(0, 50)):
        new.remove(rng.choice(new))
    for _ in range(rng.randint(0, 5)):
        new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    fresh = list(range(10_000, 10_000 + rng.randint(0, 300)))
    new = fresh[: len(fresh) // 2] + new
    for seq in fresh[len(fresh) // 2:]:
        new.insert(rng.randrange(len(new)), seq)
    held = rng.sample(range(len(old)), rng.choice([1, 10, 100, 1000]))
    was_at = {old[row]: row for row in held}
    expected = {seq: new.index(seq) for seq in was_at if seq in new}
    assert _moved_positions(array("q", new), was_at, shift=len(new) - len(old)) == expected


def test_row_lookups(model: OrdersModel, all_seqs: array[int]) -> None:
    model.reset_seqs(all_seqs)
    assert model.row_of(all_seqs[123]) == 123
    assert model.row_of(-5) is None
    assert model.rows_of([all_seqs[0], all_seqs[599], -1]) == {all_seqs[0]: 0,
                                                               all_seqs[599]: 599}
    assert model.seq_at(42) == all_seqs[42]
    model.clear()
    assert model.rowCount() == 0
    assert model.row_of(all_seqs[0]) is None
    assert model.index(0, 0) == QModelIndex()


def test_a_million_seqs_are_cheap(qtbot: QtBot, queries: OrderQueries) -> None:
    """The model holds seqs, not rows: a million rows appended in chunks cost their
    8 bytes each; lookups by seq stay fast enough to do on the GUI thread."""
    model = OrdersModel(queries=queries, locale=PL)
    big = array("q", range(2_000_000, 1_000_000, -1))
    model.reset_seqs(big[:256])
    for start in range(256, len(big), 65536):
        model.append_seqs(big[start:start + 65536])
    assert model.rowCount() == 1_000_000
    assert model.row_of(1_000_001) == 999_999
    assert cell(qtbot, model, 999_999) is None  # not stored: an empty row
