"""The Orders tab, offscreen, over real SQLite files of the emulator's Polish orders: what the
table lists for each filter, search and sort is checked against the stored rows themselves
(filtered and sorted in Python here), and refreshes after a sync against what a seller sees."""

from __future__ import annotations

import copy
import dataclasses
import threading
from array import array
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QMenu, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import (
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
    quick_filter_of,
)
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.storage.search import fold
from allegro_desktop.ui.formatting import allegro_order_url
from allegro_desktop.ui.orders.columns import DEFAULT_HIDDEN, WINDOW_COLUMNS
from allegro_desktop.ui.orders.details.panel import OrderDetailsPanel
from allegro_desktop.ui.orders.filter_bar import QUICK_ORDER
from allegro_desktop.ui.orders.list_state import DatePreset, date_range
from allegro_desktop.ui.orders.model import SEQ_ROLE
from allegro_desktop.ui.orders.saved_views import SavedView
from allegro_desktop.ui.orders.workspace import OrdersWorkspace
from allegro_desktop.ui.stats.periods import StatsPeriod, period_range

ACCOUNT = "production|48213377"
OTHER = "production|60324418"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEARCHED = ("id", "buyer_login", "buyer_name", "buyer_email", "buyer_phone", "city")


def shop_forms(orders: int, seed: int) -> list[dict[str, Any]]:
    """An emulated shop's checkout forms, newest first."""
    emulator = Emulator(EmulatorConfig(orders=orders, seed=seed, now=NOW))
    return [orjson.loads(body) for body in emulator.store.all_forms(emulator.default_seller_id)]


FORMS = shop_forms(600, 11)
OTHER_FORMS = shop_forms(100, 5)


def store(database: Database, forms: list[dict[str, Any]], account: str = ACCOUNT) -> None:
    OrderRepository(database=database).apply_batch(
        account_key=account, orders=[parse_checkout_form(f, account_key=account) for f in forms],
        events=[], cursor=None)


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Two accounts: 600 orders and 100 orders."""
    database = Database.open(tmp_path_factory.mktemp("workspace") / "orders.sqlite3")
    store(database, FORMS)
    store(database, OTHER_FORMS, OTHER)
    yield database
    database.close()


@pytest.fixture(scope="module")
def all_rows(shop_db: Database) -> list[OrderRow]:
    """Every stored order, read once: the independent side of the comparisons."""
    queries = OrderQueries(database=shop_db)
    rows = queries.rows(queries.seqs(OrderFilter(), OrderSort()))
    return list(rows.values())


def newest_first(rows: list[OrderRow]) -> list[int]:
    return [r.seq for r in sorted(rows, key=lambda r: (r.bought_at, r.seq), reverse=True)]


MakeWorkspace = Callable[..., OrdersWorkspace]


@pytest.fixture
def make_workspace(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeWorkspace]:
    made: list[OrdersWorkspace] = []

    def make(database: Database, *, state: UiState | None = None, size: tuple[int, int] = (
            1280, 800), sandbox: bool = False) -> OrdersWorkspace:
        workspace = OrdersWorkspace(
            queries=OrderQueries(database=database),
            ui_state=state or UiState(tmp_path / "ui-state.ini"), sandbox=sandbox,
            clock=lambda: NOW)
        qtbot.addWidget(workspace)
        made.append(workspace)
        workspace.resize(*size)
        workspace.show()
        wait_loaded(qtbot, workspace)
        return workspace

    yield make
    for workspace in made:
        workspace.shutdown()


def wait_loaded(qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.list_state.counts is not None)


@pytest.fixture
def workspace(make_workspace: MakeWorkspace, shop_db: Database) -> OrdersWorkspace:
    return make_workspace(shop_db)


def shown(workspace: OrdersWorkspace) -> list[int]:
    return list(workspace.model.seqs)


def count_on(workspace: OrdersWorkspace, quick: QuickFilter) -> int:
    button = workspace.findChild(QWidget, f"quick:{quick.value}")
    assert button is not None
    return int(button.text().split()[-1].replace(",", "").replace("\u00a0", ""))


def assert_default_columns(workspace: OrdersWorkspace, *, several_accounts: bool = False,
                           ) -> None:
    """The default columns, those that fit the table's width: the order, when, how much and
    where it stands among them, every one whole."""
    table = workspace.table
    shown = table.visible_columns()
    defaults = [c for c in TABLE_COLUMNS if c not in DEFAULT_HIDDEN
                or (several_accounts and c is OrderColumn.ACCOUNT)]
    assert shown == [c for c in defaults if c in shown]
    assert {OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.TOTAL,
            OrderColumn.STAGE} <= set(shown)
    header = table.horizontalHeader()
    assert sum(header.sectionSize(workspace.model.column_of(c)) for c in shown) \
        <= table.viewport().width()


def local_midnight(day: datetime) -> datetime:
    """Midnight starting `day`'s date in the local time zone (Python's view of it)."""
    return datetime.combine(day.date(), time(0)).astimezone()


# -- the list and its filters ----------------------------------------------------------------

def test_at_start_every_order_newest_first(workspace: OrdersWorkspace,
                                           all_rows: list[OrderRow]) -> None:
    assert shown(workspace) == newest_first(all_rows)
    assert workspace.result_count() == 700
    assert workspace.filter_bar.result_label.text() == "700 orders"
    assert workspace.current_filter() == OrderFilter()
    assert workspace.list_state.sort == OrderSort()
    assert_default_columns(workspace)
    assert workspace.table.model() is workspace.model
    first = workspace.model.index(0, workspace.model.column_of(OrderColumn.BUYER_NAME))
    assert first.data() == next(r for r in all_rows if r.seq == shown(workspace)[0]).buyer_name


def test_quick_filters_list_their_orders_and_show_live_counts(
        qtbot: QtBot, workspace: OrdersWorkspace, all_rows: list[OrderRow]) -> None:
    for quick in QUICK_ORDER:
        button = workspace.findChild(QWidget, f"quick:{quick.value}")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
        expected = newest_first([r for r in all_rows
                                 if quick is QuickFilter.ALL or r.quick_filter is quick])
        assert shown(workspace) == expected, quick
        assert count_on(workspace, quick) == len(expected), quick
        assert workspace.current_filter().quick is quick
        if quick is not QuickFilter.ALL:
            assert all(quick_filter_of(r.status, r.fulfillment_status) is quick
                       for r in all_rows if r.seq in set(expected))
    assert count_on(workspace, QuickFilter.SENT) > 500


def test_counts_follow_the_other_filters(qtbot: QtBot, workspace: OrdersWorkspace,
                                         all_rows: list[OrderRow]) -> None:
    workspace.set_quick_filter(QuickFilter.SENT)
    workspace.set_account_filter(OTHER)
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and count_on(workspace, QuickFilter.ALL) == 100)
    other = [r for r in all_rows if r.account_key == OTHER]
    for quick in QUICK_ORDER:
        assert count_on(workspace, quick) == sum(
            1 for r in other if quick is QuickFilter.ALL or r.quick_filter is quick)
    assert shown(workspace) == newest_first([r for r in other
                                             if r.quick_filter is QuickFilter.SENT])
    workspace.set_account_filter(None)
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and count_on(workspace, QuickFilter.ALL) == 700)


@pytest.mark.parametrize("preset", list(DatePreset))
def test_date_presets_count_from_the_local_day_of_the_query(
        qtbot: QtBot, workspace: OrdersWorkspace, all_rows: list[OrderRow],
        preset: DatePreset) -> None:
    today = local_midnight(NOW.astimezone())
    first = today.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    ranges = {
        DatePreset.ALL: (None, None),
        DatePreset.TODAY: (today, local_midnight(today + timedelta(days=1, hours=3))),
        DatePreset.YESTERDAY: (local_midnight(today - timedelta(hours=12)), today),
        DatePreset.LAST_7_DAYS: (local_midnight(today - timedelta(days=6, hours=-3)),
                                 local_midnight(today + timedelta(days=1, hours=3))),
        DatePreset.THIS_MONTH: (first, local_midnight(first + timedelta(days=32))
                                .replace(day=1)),
        DatePreset.LAST_MONTH: (previous, first),
        # 1–15 October, both days included
        DatePreset.CUSTOM: (datetime(2026, 10, 1).astimezone(),
                            datetime(2026, 10, 16).astimezone()),
    }
    low, high = ranges[preset]
    dates = workspace.filter_bar.date_filter
    if preset is DatePreset.CUSTOM:
        dates.date_from.setDate(QDate(2026, 10, 1))
        dates.date_to.setDate(QDate(2026, 10, 15))
    dates.combo.setCurrentIndex(dates.combo.findData(preset.value))
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert dates.date_from.isVisible() is (preset is DatePreset.CUSTOM)
    expected = newest_first([r for r in all_rows
                             if (low is None or r.bought_at >= low)
                             and (high is None or r.bought_at < high)])
    assert shown(workspace) == expected
    assert workspace.result_count() == len(expected)
    if preset in (DatePreset.LAST_7_DAYS, DatePreset.THIS_MONTH, DatePreset.LAST_MONTH,
                  DatePreset.CUSTOM):
        assert 0 < len(expected) < 700
    if preset is not DatePreset.ALL:
        assert workspace.filter_bar.clear_button.isVisible()
        assert count_on(workspace, QuickFilter.ALL) == len(expected)



def test_date_presets_are_the_statistics_periods_in_the_pinned_zone() -> None:
    """The presets and the Statistics tab's periods come from one source of local time: the
    same days give the same bounds; a preset's days are local days of the pinned zone, here
    across the end of summer time (25 October in Warsaw: a day of 25 hours)."""
    warsaw = ZoneInfo("Europe/Warsaw")
    moment = datetime(2026, 10, 30, 23, 30, tzinfo=UTC)  # 00:30 on the 31st in Warsaw
    local = LocalTime(clock=lambda: moment, zone=warsaw)
    today = date(2026, 10, 31)
    for preset, period in ((DatePreset.LAST_7_DAYS, StatsPeriod.LAST_7_DAYS),
                           (DatePreset.LAST_MONTH, StatsPeriod.LAST_MONTH)):
        assert date_range(preset, local) == period_range(period, today, warsaw), preset
    start, end = date_range(DatePreset.TODAY, local)
    assert (start, end) == (datetime(2026, 10, 30, 23, tzinfo=UTC),
                            datetime(2026, 10, 31, 23, tzinfo=UTC))
    assert date_range(DatePreset.LAST_7_DAYS, local) == (  # 7 days and an hour
        datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    assert date_range(DatePreset.THIS_MONTH, local) == (  # the whole calendar month
        datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    assert date_range(DatePreset.CUSTOM, local, date(2026, 3, 29), date(2026, 3, 28)) == (
        datetime(2026, 3, 27, 23, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC))
    assert date_range(DatePreset.CUSTOM, local, None, date(2026, 3, 28)) == (
        None, datetime(2026, 3, 28, 23, tzinfo=UTC))
    assert date_range(DatePreset.ALL, local) == (None, None)

def test_search_lodz_finds_lodz(qtbot: QtBot, workspace: OrdersWorkspace,
                                all_rows: list[OrderRow]) -> None:
    qtbot.keyClicks(workspace.filter_bar.search_edit, "lodz")
    qtbot.waitUntil(lambda: workspace.current_filter().search == "lodz"
                    and not workspace.list_state.is_loading())
    in_lodz = {r.seq for r in all_rows if r.city == "Łódź"}
    assert len(in_lodz) >= 10
    listed = shown(workspace)
    assert in_lodz <= set(listed)
    by_seq = {r.seq: r for r in all_rows}
    for seq in listed:  # every other hit has the word somewhere it searches
        order = by_seq[seq]
        fields = [fold(getattr(order, name) or "") for name in SEARCHED]
        fields.append(fold(order.items_summary))
        assert any("lodz" in text for text in fields), order
    assert listed == newest_first([by_seq[s] for s in listed])


def test_typing_runs_one_query_after_a_pause(qtbot: QtBot, workspace: OrdersWorkspace,
                                             all_rows: list[OrderRow]) -> None:
    resets: list[bool] = []
    workspace.model.modelReset.connect(lambda: resets.append(True))
    qtbot.keyClicks(workspace.filter_bar.search_edit, "kubek")
    assert workspace.current_filter().search == ""  # not yet: the 250 ms pause
    assert not workspace.list_state.is_loading()
    qtbot.waitUntil(lambda: workspace.current_filter().search == "kubek"
                    and not workspace.list_state.is_loading())
    assert resets == [True]
    expected = newest_first([r for r in all_rows if "kubek" in fold(r.items_summary)])
    assert expected
    assert shown(workspace) == expected
    qtbot.keyClick(workspace.filter_bar.search_edit, Qt.Key.Key_Escape)  # clears, at once
    assert workspace.filter_bar.search_edit.text() == ""
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert workspace.result_count() == 700
    assert resets == [True, True]


def test_one_character_says_the_search_needs_another(qtbot: QtBot,
                                                    workspace: OrdersWorkspace) -> None:
    everything = shown(workspace)
    workspace.set_search_text("k")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert shown(workspace) == everything
    assert workspace.filter_bar.result_label.text() == "700 orders · search from 2 characters"
    workspace.set_search_text("kubek")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert len(shown(workspace)) < 700
    assert "2 characters" not in workspace.filter_bar.result_label.text()


class SlowCounts(OrderQueries):
    """The real queries, the counts held back until the test lets them go: what the
    workspace says while a result is complete and its counts are not."""

    def __init__(self, *, database: Database) -> None:
        super().__init__(database=database)
        self.hold = threading.Event()
        self.hold.set()

    def quick_counts(self, order_filter: OrderFilter) -> dict[QuickFilter, int]:
        assert self.hold.wait(20)
        return super().quick_counts(order_filter)


def test_loading_lasts_until_the_counts_arrive(qtbot: QtBot, shop_db: Database,
                                               tmp_path: Path,
                                               all_rows: list[OrderRow]) -> None:
    queries = SlowCounts(database=shop_db)
    workspace = OrdersWorkspace(queries=queries, ui_state=UiState(tmp_path / "ui.ini"),
                                clock=lambda: NOW)
    qtbot.addWidget(workspace)
    try:
        wait_loaded(qtbot, workspace)
        queries.hold.clear()
        with qtbot.waitSignal(workspace.model.modelReset):
            workspace.set_account_filter(OTHER)
        qtbot.waitUntil(lambda: workspace.filter_bar.result_label.text() == "100 orders")
        assert workspace.model.rowCount() == 100
        assert workspace.list_state.is_loading()  # the list is complete, the counts are not
        assert count_on(workspace, QuickFilter.ALL) == 700  # the old ones, still shown
        queries.hold.set()
        qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
        assert count_on(workspace, QuickFilter.ALL) == 100
    finally:
        queries.hold.set()
        workspace.shutdown()


def test_only_the_newest_of_quick_changes_shows(qtbot: QtBot, workspace: OrdersWorkspace,
                                                shop_db: Database,
                                                all_rows: list[OrderRow]) -> None:
    resets: list[bool] = []
    workspace.model.modelReset.connect(lambda: resets.append(True))
    workspace.set_search_text("k")
    workspace.set_search_text("kr")
    workspace.set_search_text("krak")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert resets == [True]  # the two older results never reached the table
    expected = OrderQueries(database=shop_db).seqs(OrderFilter(search="krak"), OrderSort())
    assert shown(workspace) == list(expected)
    assert {r.seq for r in all_rows if r.city == "Kraków"} <= set(expected)


def check(panel: QWidget, *values: str) -> None:
    for value in values:
        box = panel.findChild(QCheckBox, f"filter:{value}")
        assert box is not None, value
        box.setChecked(True)


def set_amounts(panel: Any) -> None:
    panel.min_total.setValue(50)
    panel.max_total.setValue(99.99)


#: Each extra filter: how the seller sets it in the popup, which orders it keeps.
EXTRA_FILTERS: dict[str, tuple[Callable[[Any], None], Callable[[OrderRow], bool]]] = {
    "delivery": (lambda panel: check(panel, "Allegro Paczkomaty InPost"),
                 lambda r: r.delivery_method == "Allegro Paczkomaty InPost"),
    "payment": (lambda panel: check(panel, "CASH_ON_DELIVERY"),
                lambda r: r.payment_type == "CASH_ON_DELIVERY"),
    "marketplace": (lambda panel: check(panel, "allegro-cz", "allegro-hu"),
                    lambda r: r.marketplace_id in ("allegro-cz", "allegro-hu")),
    "invoice": (lambda panel: panel.invoice.setCurrentIndex(1),
                lambda r: r.invoice_required),
    "no invoice": (lambda panel: panel.invoice.setCurrentIndex(2),
                   lambda r: not r.invoice_required),
    "amounts": (set_amounts, lambda r: Decimal(50) <= r.total.amount <= Decimal("99.99")),
}


@pytest.mark.parametrize("extra", list(EXTRA_FILTERS))
def test_each_extra_filter(qtbot: QtBot, workspace: OrdersWorkspace,
                           all_rows: list[OrderRow], extra: str) -> None:
    panel = workspace.filter_bar.filter_panel
    set_filter, keep = EXTRA_FILTERS[extra]
    set_filter(panel)
    assert workspace.filter_bar.filters_button.text() == "Filters (1)"
    qtbot.waitUntil(lambda: workspace.current_filter() != OrderFilter()
                    and not workspace.list_state.is_loading() and workspace.result_count() < 700)
    expected = newest_first([r for r in all_rows if keep(r)])
    assert 0 < len(expected) < 700
    assert shown(workspace) == expected
    assert count_on(workspace, QuickFilter.ALL) == len(expected)
    panel.clear_button.click()
    assert workspace.filter_bar.filters_button.text() == "Filters"
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.result_count() == 700)


def test_filters_offer_the_stored_values(workspace: OrdersWorkspace,
                                         all_rows: list[OrderRow]) -> None:
    panel = workspace.filter_bar.filter_panel
    offered = {box.objectName().removeprefix("filter:")
               for box in panel.findChildren(QCheckBox)}
    assert offered == ({r.delivery_method for r in all_rows if r.delivery_method}
                       | {r.payment_type for r in all_rows if r.payment_type}
                       | {r.marketplace_id for r in all_rows if r.marketplace_id})
    labels = {box.objectName(): box.text() for box in panel.findChildren(QCheckBox)}
    assert labels["filter:CASH_ON_DELIVERY"] == "Cash on delivery"
    assert labels["filter:allegro-cz"] == "Allegro.cz"
    assert labels["filter:Allegro Paczkomaty InPost"] == "Allegro Paczkomaty InPost"


@pytest.mark.parametrize("descending", [False, True])
def test_sort_on_every_column(qtbot: QtBot, workspace: OrdersWorkspace, shop_db: Database,
                              all_rows: list[OrderRow], descending: bool) -> None:
    queries = OrderQueries(database=shop_db)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    keys: dict[OrderColumn, Callable[[OrderRow], Any]] = {
        OrderColumn.BOUGHT_AT: lambda r: r.bought_at,
        OrderColumn.ORDER_ID: lambda r: r.id,
        OrderColumn.QUANTITY: lambda r: r.quantity,
        OrderColumn.TOTAL: lambda r: (r.total.currency, r.total.amount),
        OrderColumn.CITY: lambda r: fold(r.city or ""),
    }
    for column in TABLE_COLUMNS:
        workspace.table.sortByColumn(workspace.model.column_of(column), order)
        qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
        assert workspace.list_state.sort == OrderSort(column, descending)
        sort = OrderSort(column, descending)
        assert shown(workspace) == list(queries.seqs(OrderFilter(), sort)), column
        if column in keys:  # independently: the listed values are in order
            by_seq = {r.seq: r for r in all_rows}
            values = [keys[column](by_seq[seq]) for seq in shown(workspace)]
            assert values == sorted(values, reverse=descending), column


def test_a_header_click_sorts(qtbot: QtBot, workspace: OrdersWorkspace,
                              all_rows: list[OrderRow]) -> None:
    header = workspace.table.horizontalHeader()
    logical = workspace.model.column_of(OrderColumn.TOTAL)
    x = header.sectionViewportPosition(logical) + header.sectionSize(logical) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.list_state.sort.column is OrderColumn.TOTAL)
    assert workspace.list_state.sort == OrderSort(OrderColumn.TOTAL, descending=True)
    by_seq = {r.seq: r for r in all_rows}
    listed = [(by_seq[s].total.currency, by_seq[s].total.amount) for s in shown(workspace)]
    assert listed == sorted(listed, reverse=True)  # within each currency (6,98 € < 14,98 zł?)
    assert len({currency for currency, _ in listed}) >= 2, "one currency: nothing checked"
    tip = workspace.model.headerData(logical, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.ToolTipRole)
    assert "currency, then amount" in tip  # and says so


# -- refresh after a sync --------------------------------------------------------------------

@pytest.fixture
def growing_db(tmp_path: Path) -> Iterator[Database]:
    """The shop before its newest 100 orders arrived."""
    database = Database.open(tmp_path / "growing.sqlite3")
    store(database, FORMS[100:])
    yield database
    database.close()


def test_refresh_keeps_the_selection_and_the_top_row(
        qtbot: QtBot, make_workspace: MakeWorkspace, growing_db: Database) -> None:
    workspace = make_workspace(growing_db, size=(900, 600))
    table, model = workspace.table, workspace.model
    assert model.rowCount() == 500
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2 + 7)  # mid-list, a row cut at the top
    top_row = table.rowAt(0)
    top_seq, top_y = model.seq_at(top_row), table.rowViewportPosition(top_row)
    chosen = [model.seq_at(top_row + 2), model.seq_at(top_row + 3), model.seq_at(top_row + 9)]
    workspace.table.select_seqs(chosen, current=chosen[1])
    assert workspace.selected_seqs() == chosen
    assert workspace.current_seq() == chosen[1]
    changed: list[Any] = []
    workspace.current_order_changed.connect(changed.append)
    workspace.selection_changed.connect(changed.append)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    # the sync: 100 new orders on top, and one listed order changes status
    queries = OrderQueries(database=growing_db)
    moved = copy.deepcopy(next(f for f in FORMS[100:] if f["id"] ==
                               queries.rows([chosen[0]])[chosen[0]].id))
    moved["fulfillment"]["status"] = "PICKED_UP" \
        if moved["fulfillment"]["status"] != "PICKED_UP" else "RETURNED"
    store(growing_db, [*FORMS[:100], moved])
    workspace.refresh()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading() and model.rowCount() == 600)

    assert resets == []
    assert workspace.selected_seqs() == chosen
    assert workspace.current_seq() == chosen[1]
    assert changed == []  # the same orders: nothing to tell the details panel
    assert model.seq_at(table.rowAt(0)) == top_seq
    assert table.rowViewportPosition(table.rowAt(0)) == top_y
    assert workspace.result_count() == 600
    assert shown(workspace) == list(queries.seqs(OrderFilter(), OrderSort()))
    # The changed order's row: its old version stays on screen until the new one, read in
    # the background as the view asks for it, arrives (or it is read for the first time: a
    # row scrolled to is read after it is first shown).
    fresh = model.texts(queries.rows([chosen[0]])[chosen[0]])
    fulfillment = fresh[model.column_of(OrderColumn.FULFILLMENT)]
    assert fulfillment in ("Picked up", "Returned")
    status = model.index(model.row_of(chosen[0]), model.column_of(OrderColumn.FULFILLMENT))
    qtbot.waitUntil(lambda: status.data() == fulfillment)
    assert fulfillment != fresh[model.column_of(OrderColumn.STATUS)]


def test_at_the_top_new_orders_appear(qtbot: QtBot, make_workspace: MakeWorkspace,
                                      growing_db: Database) -> None:
    workspace = make_workspace(growing_db)
    table, model = workspace.table, workspace.model
    first = model.seq_at(0)
    workspace.table.select_seqs([first], current=first)
    assert table.verticalScrollBar().value() == 0
    store(growing_db, FORMS[:100])
    workspace.refresh()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading() and model.rowCount() == 600)
    assert table.verticalScrollBar().value() == 0
    queries = OrderQueries(database=growing_db)
    newest = queries.seq_of(FORMS[0]["id"])
    assert model.seq_at(table.rowAt(0)) == newest
    assert workspace.selected_seqs() == [first]
    assert model.row_of(first) == 100


def test_everything_selected_stays_everything_after_a_refresh(
        qtbot: QtBot, make_workspace: MakeWorkspace, growing_db: Database) -> None:
    workspace = make_workspace(growing_db)
    workspace.table.selectAll()
    assert workspace.table.selected_count() == 500
    store(growing_db, FORMS[:100])
    with qtbot.waitSignal(workspace.selection_changed) as selection:
        workspace.refresh()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert selection.args == [600]
    assert workspace.selected_seqs() == shown(workspace)


def test_refreshes_during_a_refresh_become_one_more(
        qtbot: QtBot, make_workspace: MakeWorkspace, growing_db: Database) -> None:
    """A sync may report stored orders faster than a million-order query runs: each refresh
    abandoning the one before would never show anything until the sync stopped. So a
    refresh asked for during one runs once, after it, however many were asked for."""
    workspace = make_workspace(growing_db)
    loader = workspace._loader  # counting the queries it runs
    before = loader.generation
    resets: list[bool] = []
    workspace.model.modelReset.connect(lambda: resets.append(True))
    store(growing_db, FORMS[50:100])
    workspace.refresh()
    store(growing_db, FORMS[:50])
    workspace.refresh()
    workspace.refresh()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.model.rowCount() == 600)
    assert resets == []
    assert loader.generation == before + 2
    assert shown(workspace) == list(OrderQueries(database=growing_db).seqs(OrderFilter(),
                                                                           OrderSort()))


# -- selection, copy, menus ------------------------------------------------------------------

def test_selection_signals_and_order(qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    table, model = workspace.table, workspace.model
    with qtbot.waitSignal(workspace.current_order_changed) as current:
        table.selectRow(4)
    assert current.args == [model.seq_at(4)]
    assert workspace.table.selected_count() == 1
    with qtbot.waitSignal(workspace.selection_changed) as selection:
        workspace.table.select_seqs([model.seq_at(9), model.seq_at(2), model.seq_at(3)])
    assert selection.args == [3]
    assert workspace.selected_seqs() == [model.seq_at(2), model.seq_at(3), model.seq_at(9)]
    table.selectAll()
    assert workspace.table.selected_count() == 700
    assert workspace.selected_seqs() == shown(workspace)


def test_copy_gives_tab_separated_rows_of_the_visible_columns(
        qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    model = workspace.model
    workspace.table.select_seqs([model.seq_at(1), model.seq_at(0), model.seq_at(5)])
    workspace.order_actions.copy_action.trigger()
    lines = QGuiApplication.clipboard().text().split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    columns = workspace.table.visible_columns()
    assert lines[0].split("\t") == [model.header_text(c) for c in columns]
    assert lines[0].startswith("Purchased\tOrder\tBuyer")  # the order number by default
    assert len(lines) == 4
    for line, row in zip(lines[1:], (0, 1, 5), strict=True):
        cells = line.split("\t")
        order = model.order_at(row)
        assert order is not None
        assert cells == [order.id if c is OrderColumn.ORDER_ID  # the whole id
                         else model.index(row, model.column_of(c)).data() for c in columns]
    workspace.table.setFocus()
    workspace.activateWindow()
    qtbot.waitUntil(workspace.table.hasFocus)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(workspace.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().split("\n")[:4] == lines


def test_column_chooser_hides_and_restores_columns(workspace: OrdersWorkspace) -> None:
    def action(menu: QMenu, text: str) -> Any:
        return next(a for a in menu.actions() if a.text() == text)

    menu = workspace.order_actions.build_column_menu()
    assert [a.text() for a in menu.actions() if a.isCheckable()] == [
        workspace.model.header_text(c) for c in WINDOW_COLUMNS]  # the labels' too
    city = action(menu, "City")
    assert city.isChecked()
    city.trigger()
    assert OrderColumn.CITY not in workspace.table.visible_columns()
    assert workspace.table.isColumnHidden(workspace.model.column_of(OrderColumn.CITY))
    account = action(menu, "Account")
    assert not account.isChecked()
    account.trigger()
    assert workspace.table.visible_columns()[-1] is OrderColumn.ACCOUNT
    workspace.table.select_seqs([workspace.model.seq_at(0)])
    header_line = workspace.order_actions.selection_as_tsv().split("\n")[0]
    assert "City" not in header_line.split("\t")
    assert header_line.endswith("\tAccount")
    reset = action(workspace.order_actions.build_column_menu(), "Reset columns")
    reset.trigger()
    assert_default_columns(workspace)


def test_the_last_visible_column_cannot_be_hidden(workspace: OrdersWorkspace) -> None:
    workspace.table.set_visible_columns([OrderColumn.TOTAL])
    assert workspace.table.visible_columns() == [OrderColumn.TOTAL]
    menu = workspace.order_actions.build_column_menu()
    total = next(a for a in menu.actions() if a.text() == "Total")
    assert not total.isEnabled()
    total.trigger()
    assert workspace.table.visible_columns() == [OrderColumn.TOTAL]


def test_row_menu_copy_id_and_open_in_allegro(qtbot: QtBot, make_workspace: MakeWorkspace,
                                              shop_db: Database) -> None:
    workspace = make_workspace(shop_db, sandbox=True)
    menu = workspace.order_actions.build_row_menu()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Copy", "Copy order &id", "&Open in Allegro", "&Export selected…",
        "Print &packing slips…", "Print pic&k list…"]  # these print the view when none is selected
    assert not any(a.isEnabled() for a in menu.actions()[:5] if not a.isSeparator())
    workspace.table.selectRow(3)
    order = workspace.model.order_at(3)
    assert order is not None
    menu = workspace.order_actions.build_row_menu()
    assert all(a.isEnabled() for a in menu.actions() if not a.isSeparator())
    assert workspace.order_actions.open_action.toolTip() == allegro_order_url(order.id, True)
    assert "allegrosandbox" in workspace.order_actions.open_action.toolTip()
    workspace.order_actions.copy_id_action.trigger()
    assert QGuiApplication.clipboard().text() == order.id
    with qtbot.waitSignal(workspace.open_in_allegro_requested) as opened:
        workspace.order_actions.open_action.trigger()
    assert opened.args == [order.id]
    with qtbot.waitSignal(workspace.export_requested):
        workspace.order_actions.export_selected_action.trigger()


def test_shortcuts(qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    workspace.activateWindow()
    workspace.table.setFocus()
    qtbot.waitUntil(workspace.table.hasFocus)
    qtbot.keyClick(workspace.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.filter_bar.search_edit.hasFocus()
    with qtbot.waitSignal(workspace.export_requested):
        qtbot.keyClick(workspace.filter_bar.search_edit, Qt.Key.Key_E,
                       Qt.KeyboardModifier.ControlModifier)
    assert workspace.order_actions.export_action.shortcut().toString() == "Ctrl+E"


# -- views and state -------------------------------------------------------------------------

def set_up_a_view(qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    workspace.set_quick_filter(QuickFilter.SENT)
    workspace.set_search_text("kubek")
    workspace.set_date_preset(DatePreset.LAST_MONTH)
    # the filter's choices come from the stored orders, read in the background
    panel = workspace.filter_bar.filter_panel
    qtbot.waitUntil(lambda: panel.findChild(QCheckBox, "filter:ONLINE") is not None)
    panel.findChild(QCheckBox, "filter:ONLINE").setChecked(True)
    panel.invoice.setCurrentIndex(2)
    panel.min_total.setValue(10)
    workspace.set_sort(OrderSort(OrderColumn.TOTAL, descending=False))
    workspace.table.set_visible_columns([OrderColumn.TOTAL, OrderColumn.BUYER_NAME,
                                         OrderColumn.ITEMS, OrderColumn.ACCOUNT])
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.current_filter().min_total == Decimal(10))


def test_a_saved_view_round_trip(qtbot: QtBot, workspace: OrdersWorkspace,
                                 tmp_path: Path) -> None:
    set_up_a_view(qtbot, workspace)
    saved_filter, saved_sort = workspace.current_filter(), workspace.list_state.sort
    saved_rows, saved_columns = shown(workspace), workspace.table.visible_columns()
    assert saved_filter.payment_types == {"ONLINE"}
    assert saved_filter.invoice is False
    assert 0 < len(saved_rows) < 100
    workspace.save_view_as("Kubki")
    assert workspace.current_view_name() == "Kubki"

    workspace.clear_filters()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading()
                    and workspace.result_count() == 700)
    assert workspace.current_filter() == OrderFilter()
    assert workspace.list_state.sort == saved_sort  # clearing filters keeps sort and columns
    workspace.table.set_visible_columns(list(TABLE_COLUMNS))

    menu = QMenu()
    workspace.order_actions.fill_views_menu(menu)
    view_action = next(a for a in menu.actions() if a.text() == "Kubki")
    assert not view_action.isChecked()
    view_action.trigger()
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert workspace.current_filter() == saved_filter
    assert workspace.list_state.sort == saved_sort
    assert workspace.table.visible_columns() == saved_columns
    assert shown(workspace) == saved_rows
    assert workspace.current_view_name() == "Kubki"
    workspace.set_search_text("kubek termiczny")  # the view no longer shows exactly
    assert workspace.current_view_name() is None
    workspace.save_view_as("Kubki termiczne")
    assert workspace.current_view_name() == "Kubki termiczne"
    workspace.apply_saved_view("Kubki")
    assert workspace.current_view_name() == "Kubki"
    assert workspace.saved_views.names() == ["Kubki", "Kubki termiczne"]
    workspace.saved_views.delete("Kubki termiczne")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())

    stored = UiState(tmp_path / "ui-state.ini").saved_view("Kubki")
    assert stored is not None
    assert stored["date"] == {"preset": "last_month", "from": None, "to": None}
    assert SavedView.from_dict(stored) == workspace.current_view()

    menu = QMenu()
    workspace.order_actions.fill_views_menu(menu)
    delete = next(a for a in menu.actions() if a.text() == "Delete view").menu()
    next(a for a in delete.actions() if a.text() == "Kubki").trigger()
    assert workspace.saved_views.names() == []
    assert workspace.current_view_name() is None


def test_a_custom_range_is_saved_with_its_days(qtbot: QtBot,
                                               workspace: OrdersWorkspace) -> None:
    workspace.set_date_preset(DatePreset.CUSTOM, QDate(2026, 9, 1), QDate(2026, 9, 30))
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    view = workspace.current_view()
    data = view.to_dict()
    assert data["date"] == {"preset": "custom", "from": "2026-09-01", "to": "2026-09-30"}
    assert SavedView.from_dict(orjson.loads(orjson.dumps(data))) == view


def test_the_state_comes_back_at_the_next_start(
        qtbot: QtBot, make_workspace: MakeWorkspace, shop_db: Database,
        tmp_path: Path) -> None:
    state = UiState(tmp_path / "state.ini")
    first = make_workspace(shop_db, state=state)
    set_up_a_view(qtbot, first)
    header = first.table.horizontalHeader()
    header.resizeSection(first.model.column_of(OrderColumn.ITEMS), 333)
    details = QLabel("details")
    first.set_details_widget(details)
    expected_filter = first.current_filter()
    first.save_state(state)
    first.shutdown()

    second = make_workspace(shop_db, state=UiState(tmp_path / "state.ini"))
    assert second.table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.BUYER_NAME,
                                              OrderColumn.ITEMS, OrderColumn.ACCOUNT]
    assert second.table.horizontalHeader().sectionSize(
        second.model.column_of(OrderColumn.ITEMS)) == 333
    assert second.list_state.sort == OrderSort(OrderColumn.TOTAL, descending=False)
    header = second.table.horizontalHeader()
    assert header.sortIndicatorSection() == second.model.column_of(OrderColumn.TOTAL)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    # the search box starts empty; the rest of the filter is back
    assert second.current_filter() == dataclasses.replace(expected_filter, search="")
    assert second.filter_bar.search_edit.text() == ""
    assert second.filter_bar.date_filter.preset() is DatePreset.LAST_MONTH
    assert shown(second) == list(OrderQueries(database=shop_db).seqs(
        second.current_filter(), second.list_state.sort))
    second.shutdown()
    second.refresh()  # a sync ending while the window closes: nothing runs any more
    second.set_quick_filter(QuickFilter.ALL)
    assert not second.list_state.is_loading()


def test_columns_the_seller_never_chose_follow_the_window_after_a_restart(
        qtbot: QtBot, make_workspace: MakeWorkspace, shop_db: Database,
        tmp_path: Path) -> None:
    """The fitted default columns follow the window's width; saved and started again, they
    still do (saving the columns this width showed froze them, as if the seller had chosen)."""
    state = UiState(tmp_path / "state.ini")
    first = make_workspace(shop_db, state=state)
    first.table.reset_columns()
    assert first.table.follows_width()
    first.save_state(state)
    first.shutdown()

    second = make_workspace(shop_db, state=UiState(tmp_path / "state.ini"))
    assert second.table.follows_width()
    second.table.set_visible_columns([OrderColumn.TOTAL, OrderColumn.BUYER_NAME])
    assert not second.table.follows_width()  # the seller chose: kept as chosen
    second.save_state(state)
    second.shutdown()
    third = make_workspace(shop_db, state=UiState(tmp_path / "state.ini"))
    assert not third.table.follows_width()
    assert third.table.visible_columns() == [OrderColumn.TOTAL, OrderColumn.BUYER_NAME]
    third.shutdown()


def test_a_damaged_state_file_is_ignored(qtbot: QtBot, make_workspace: MakeWorkspace,
                                         shop_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "damaged.ini"
    path.write_text(
        "[header]\norders=not bytes at all\n"
        "[columns]\norders=\"[\\\"bought_at\\\", 5, \\\"nonsense\\\"\"\n"
        "[views]\nsaved={broken json\n"
        "last=\"{\\\"quick\\\": \\\"nope\\\", \\\"sort\\\": {\\\"column\\\": \\\"nope\\\"}, "
        "\\\"min_total\\\": \\\"abc\\\", \\\"date\\\": {\\\"preset\\\": \\\"sometime\\\", "
        "\\\"from\\\": \\\"2026-13-45\\\"}}\"\n"
        "current=@Invalid()\n"
        "[geometry]\nmain=12\n[tabs]\nmain=second\n", encoding="utf-8")
    state = UiState(path)
    assert state.header_state("orders") is None
    assert state.visible_columns("orders") is None
    assert state.saved_views() == {}
    assert state.geometry("main") is None
    assert state.current_tab("main") is None
    assert state.current_view_name() is None
    last = state.last_view()
    assert last is not None
    view = SavedView.from_dict(last)
    assert view.order_filter.quick is QuickFilter.ALL
    assert view.sort == OrderSort()
    assert view.order_filter.min_total is None
    assert view.date_preset is DatePreset.ALL
    assert view.date_from is None
    workspace = make_workspace(shop_db, state=state)
    assert workspace.result_count() == 700
    assert_default_columns(workspace)


def test_ui_state_round_trips(tmp_path: Path) -> None:
    state = UiState(tmp_path / "ui.ini")
    state.set_geometry("main/window", b"\x01\x02\x00geometry")
    state.set_window_state("main", b"state")
    state.set_splitter_state("orders", b"split")
    state.set_visible_columns("orders", ["total", "city"])
    state.save_view("Dziś", {"quick": "to_process"})
    state.save_view("Zwroty", {"quick": "sent"})
    state.save_view("Dziś", {"quick": "unpaid"})  # replaced, keeps its place
    state.set_current_view_name("Zwroty")
    state.set_last_view({"search": "łódź"})
    state.set_current_tab("main", 2)
    state.sync()
    again = UiState(tmp_path / "ui.ini")
    assert again.geometry("main/window") == b"\x01\x02\x00geometry"
    assert again.window_state("main") == b"state"
    assert again.splitter_state("orders") == b"split"
    assert again.visible_columns("orders") == ["total", "city"]
    assert again.saved_views() == {"Dziś": {"quick": "unpaid"}, "Zwroty": {"quick": "sent"}}
    assert again.current_view_name() == "Zwroty"
    assert again.last_view() == {"search": "łódź"}
    assert again.current_tab("main") == 2
    assert again.current_tab("other") is None
    again.set_current_tab("main", None)
    assert again.current_tab("main") is None
    again.delete_view("Zwroty")
    assert again.current_view_name() is None
    assert list(again.saved_views()) == ["Dziś"]
    again.set_geometry("main/window", None)
    assert again.geometry("main/window") is None
    with pytest.raises(ValueError, match="name"):
        again.save_view("", {})


# -- empty states and the details hook -------------------------------------------------------

def test_an_empty_database_says_orders_come_with_the_first_sync(
        make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    database = Database.open(tmp_path / "empty.sqlite3")
    try:
        workspace = make_workspace(database)
        assert workspace.result_count() == 0
        assert workspace.filter_bar.result_label.text() == "0 orders"
        empty = workspace.findChild(QLabel, "emptyText")
        assert empty.isVisible()
        assert "No orders yet" in empty.text()
        assert "first sync" in empty.text()
        assert not workspace.table.isVisible()
        assert count_on(workspace, QuickFilter.TO_PROCESS) == 0
        workspace.shutdown()
    finally:
        database.close()


def test_nothing_matching_offers_to_clear_the_filters(
        qtbot: QtBot, workspace: OrdersWorkspace) -> None:
    workspace.set_search_text("zzzqqq")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    empty = workspace.findChild(QLabel, "emptyText")
    assert empty.isVisible()
    assert "No orders match these filters" in empty.text()
    assert "Clear filters" in empty.text()
    assert not workspace.table.isVisible()
    empty.linkActivated.emit("clear")
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert workspace.result_count() == 700
    assert workspace.table.isVisible()
    assert workspace.filter_bar.search_edit.text() == ""
    assert not workspace.filter_bar.clear_button.isVisible()


def test_the_details_widget_sits_right_of_the_table(workspace: OrdersWorkspace) -> None:
    details = QLabel("details")
    workspace.set_details_widget(details)
    assert details.isVisible()
    assert details.mapTo(workspace, details.rect().topLeft()).x() > \
        workspace.table.mapTo(workspace, workspace.table.rect().topRight()).x()
    assert workspace.model.index(0, 0).data(SEQ_ROLE) == shown(workspace)[0]


def test_the_details_panel_fits_the_order_id_and_keeps_the_width_dragged_to(
        qtbot: QtBot, make_workspace: MakeWorkspace, shop_db: Database,
        tmp_path: Path) -> None:
    """The default window (1100 px): the panel is as wide as the order id on one line asks;
    dragged wider, it is as wide at the next start (UiState)."""
    state = UiState(tmp_path / "state.ini")
    workspace = make_workspace(shop_db, state=state, size=(1084, 650))
    panel = OrderDetailsPanel()
    workspace.set_details_widget(panel)
    queries = OrderQueries(database=shop_db)
    details = queries.details(shown(workspace)[0])
    assert details is not None
    panel.show_order(details)
    order_id = panel.findChild(QLabel, "orderId")
    assert order_id is not None
    qtbot.waitUntil(lambda: order_id.width() > 0)
    assert order_id.fontMetrics().horizontalAdvance(details.row.id) <= order_id.width()
    assert_default_columns(workspace)  # the table beside it still shows its main columns
    splitter = workspace.findChild(QSplitter, "ordersSplitter")
    assert splitter is not None
    dragged = splitter.sizes()[1] + 120
    splitter.setSizes([sum(splitter.sizes()) - dragged, dragged])
    workspace.save_state(state)
    workspace.shutdown()

    again = make_workspace(shop_db, state=UiState(tmp_path / "state.ini"), size=(1084, 650))
    again.set_details_widget(OrderDetailsPanel())
    splitter = again.findChild(QSplitter, "ordersSplitter")
    assert splitter is not None
    assert splitter.sizes()[1] == dragged


def test_a_second_account_shows_the_account_column_once(
        make_workspace: MakeWorkspace, shop_db: Database, tmp_path: Path) -> None:
    """One account: no Account column. A second connected: shown (and among the defaults
    "Reset columns" gives); hidden by the seller, it stays hidden at the next call and the
    next start; a saved view's own columns win."""
    state = UiState(tmp_path / "state.ini")
    workspace = make_workspace(shop_db, state=state)
    names = {"allegro:1": "DomOgrodPlus", "allegro:2": "TechKącik"}
    workspace.set_account_names({"allegro:1": "DomOgrodPlus"}, connected=1)
    assert OrderColumn.ACCOUNT not in workspace.table.visible_columns()
    workspace.set_account_names(names, connected=2)
    assert OrderColumn.ACCOUNT in workspace.table.visible_columns()
    workspace.table.show_column(OrderColumn.ACCOUNT, False)
    workspace.set_account_names(names, connected=2)
    assert OrderColumn.ACCOUNT not in workspace.table.visible_columns()
    workspace.table.reset_columns()
    assert OrderColumn.ACCOUNT in workspace.table.visible_columns()
    assert_default_columns(workspace, several_accounts=True)
    workspace.table.show_column(OrderColumn.ACCOUNT, False)
    workspace.save_state(state)
    workspace.shutdown()

    again = make_workspace(shop_db, state=UiState(tmp_path / "state.ini"))
    again.set_account_names(names, connected=2)
    assert OrderColumn.ACCOUNT not in again.table.visible_columns()
    again.save_view_as("Mine")
    again.table.show_column(OrderColumn.ACCOUNT, True)
    assert again.apply_saved_view("Mine")
    assert OrderColumn.ACCOUNT not in again.table.visible_columns()

    # the seller's own columns: the account's is added to them
    own = make_workspace(shop_db, state=UiState(tmp_path / "own.ini"))
    own.table.show_column(OrderColumn.CITY, False)
    own.set_account_names(names, connected=2)
    assert own.table.visible_columns()[-1] is OrderColumn.ACCOUNT
    assert OrderColumn.CITY not in own.table.visible_columns()


def test_start_up_streams_a_big_result_without_resetting_per_piece(
        qtbot: QtBot, make_workspace: MakeWorkspace, shop_db: Database) -> None:
    """The first piece resets the table; the rest arrive as inserted rows."""
    workspace = make_workspace(shop_db)
    resets: list[bool] = []
    inserted: list[int] = []
    workspace.model.modelReset.connect(lambda: resets.append(True))
    workspace.model.rowsInserted.connect(lambda _p, a, b: inserted.append(b - a + 1))
    workspace.set_quick_filter(QuickFilter.SENT)
    qtbot.waitUntil(lambda: not workspace.list_state.is_loading())
    assert resets == [True]
    assert workspace.model.rowCount() == 256 + sum(inserted)
    assert sum(inserted) > 0
    assert array("q", shown(workspace)) == OrderQueries(database=shop_db).seqs(
        OrderFilter(quick=QuickFilter.SENT), OrderSort())
