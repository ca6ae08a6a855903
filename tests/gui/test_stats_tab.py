"""The Statistics tab, offscreen, over a real SQLite file of the emulator's Polish orders and the
real `StatsService`: where it computes (thread ids), which results it shows (stale ones are
dropped), what the KPI cards say (the service's figures, formatted — and the order count
checked against the stored orders themselves), the periods it asks for, the files it writes
(tables to CSV/XLSX, charts to PNG) and its models (`qtmodeltester`)."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import orjson
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.domain.orders import Money
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.services.stats import Granularity, StatsRequest, StatsResult, StatsService
from allegro_desktop.services.table_export import Percent, TableFormat
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.formatting import money_text
from allegro_desktop.ui.stats.computation import StatsOutcome
from allegro_desktop.ui.stats.figure_texts import change_text, percent_text, points_change_text
from allegro_desktop.ui.stats.models import StatsTableModel, cell_text
from allegro_desktop.ui.stats.periods import StatsPeriod
from allegro_desktop.ui.stats.tab import StatsTab
from tests.helpers.file_dialogs import FileDialogs, SeenDialog
from tests.helpers.sync_app import WAIT, MakeSyncApp
from tests.helpers.wired_window import window_with_tabs

ACCOUNT = "production|48213377"
OTHER = "production|60324418"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WARSAW = ZoneInfo("Europe/Warsaw")


def shop_forms(orders: int, seed: int) -> list[dict[str, Any]]:
    emulator = Emulator(EmulatorConfig(orders=orders, seed=seed, now=NOW))
    return [orjson.loads(body) for body in emulator.store.all_forms(emulator.default_seller_id)]


def store(database: Database, forms: list[dict[str, Any]], account: str) -> None:
    OrderRepository(database=database).apply_batch(
        account_key=account, orders=[parse_checkout_form(f, account_key=account) for f in forms],
        events=[], cursor=None)


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Two accounts: 600 orders over about a year, and 100."""
    database = Database.open(tmp_path_factory.mktemp("stats") / "orders.sqlite3")
    store(database, shop_forms(600, 11), ACCOUNT)
    store(database, shop_forms(100, 5), OTHER)
    yield database
    database.close()


@pytest.fixture
def polish() -> Iterator[QLocale]:
    """Polish numbers and money for the test (the default locale restored after)."""
    before = QLocale()
    QLocale.setDefault(QLocale("pl_PL"))
    yield QLocale()
    QLocale.setDefault(before)


class Recording:
    """The real service, noting the thread of every call; `hold` makes the next call wait,
    after computing, until `release` is set (a request that is slow to come back)."""

    def __init__(self, service: StatsService) -> None:
        self.service = service
        self.threads: list[int] = []
        self.requests: list[StatsRequest] = []
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()

    def compute(self, request: StatsRequest, *,
                cancelled: Callable[[], bool] | None = None) -> StatsResult:
        self.threads.append(threading.get_ident())
        self.requests.append(request)
        result = self.service.compute(request, cancelled=cancelled)
        if self.hold:
            self.hold = False
            self.holding.set()
            assert self.release.wait(WAIT / 1000)
        return result


MakeTab = Callable[..., StatsTab]


@pytest.fixture
def make_tab(qtbot: QtBot, shop_db: Database) -> Iterator[MakeTab]:
    made: list[StatsTab] = []

    def make(*, database: Database | None = None, stats: Any = None,
             workspace_filter: Callable[[], OrderFilter] | None = None,
             clock: Callable[[], datetime] = lambda: NOW, show: bool = True) -> StatsTab:
        database = database or shop_db
        tab = StatsTab(stats=stats or StatsService(database=database),
                       queries=OrderQueries(database=database),
                       workspace_filter=workspace_filter, clock=clock, time_zone=WARSAW)
        qtbot.addWidget(tab)
        made.append(tab)
        tab.resize(1100, 700)
        if show:
            with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
                tab.show()
        return tab

    yield make
    for tab in made:
        tab.shutdown()


def outcome_of(tab: StatsTab) -> StatsOutcome:
    assert tab.outcome is not None
    return tab.outcome


def result_of(tab: StatsTab) -> StatsResult:
    result = outcome_of(tab).result
    assert result is not None
    return result


def choose(qtbot: QtBot, tab: StatsTab, period: StatsPeriod,
           custom: tuple[date, date] | None = None) -> StatsResult | None:
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.controls.set_period(period, custom)
    return outcome_of(tab).result


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


def test_the_tab_asks_for_the_chosen_period_in_local_time(qtbot: QtBot,
                                                         make_tab: MakeTab) -> None:
    tab = make_tab()
    request = result_of(tab).request
    # the default, last 30 days of 20 November 2026 in Warsaw
    assert (request.start, request.end) == (local(2026, 10, 22), local(2026, 11, 21))
    assert request.time_zone is WARSAW
    assert request.granularity is Granularity.DAY
    choose(qtbot, tab, StatsPeriod.LAST_12_MONTHS)
    request = result_of(tab).request
    assert (request.start, request.end) == (local(2025, 12, 1), local(2026, 11, 21))
    assert request.granularity is Granularity.MONTH
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.controls.set_granularity(Granularity.WEEK)
    assert result_of(tab).request.granularity is Granularity.WEEK
    choose(qtbot, tab, StatsPeriod.CUSTOM, (date(2026, 9, 1), date(2026, 9, 30)))
    request = result_of(tab).request
    assert (request.start, request.end) == (local(2026, 9, 1), local(2026, 10, 1))
    assert tab.files.default_file_name("marketplaces", "csv") == \
        "marketplaces_2026-09-01_2026-09-30.csv"


def test_all_time_starts_at_the_first_order(qtbot: QtBot, make_tab: MakeTab,
                                            shop_db: Database) -> None:
    tab = make_tab()
    choose(qtbot, tab, StatsPeriod.ALL_TIME)
    queries = OrderQueries(database=shop_db)
    rows = queries.rows(queries.seqs(OrderFilter(), OrderSort(OrderColumn.BOUGHT_AT)))
    first = min(row.bought_at for row in rows.values()).astimezone(WARSAW).date()
    request = result_of(tab).request
    assert request.start == local(first.year, first.month, first.day)
    assert result_of(tab).totals.orders == len(rows)


# -- threads and stale results ---------------------------------------------------------------

def test_computes_off_the_gui_thread(make_tab: MakeTab, shop_db: Database) -> None:
    recording = Recording(StatsService(database=shop_db))
    tab = make_tab(stats=recording)
    assert recording.threads
    assert threading.get_ident() not in recording.threads
    assert tab.outcome is not None
    assert not tab.is_busy()
    assert not tab.controls.busy_bar.isVisible()


def test_a_stale_result_is_dropped(qtbot: QtBot, make_tab: MakeTab, shop_db: Database) -> None:
    recording = Recording(StatsService(database=shop_db))
    tab = make_tab(stats=recording)
    shown: list[Any] = []
    tab.loader.computed.connect(lambda _generation, outcome: shown.append(outcome))
    recording.hold = True
    tab.controls.set_period(StatsPeriod.LAST_7_DAYS)
    tab.compute_now()  # the 7 days: computed, then held back on its thread
    assert recording.holding.wait(WAIT / 1000)
    assert tab.is_busy()
    assert tab.controls.busy_bar.isVisible()
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.controls.set_period(StatsPeriod.THIS_YEAR)  # a newer request overtakes it
        tab.compute_now()
    recording.release.set()
    assert tab.loader.wait_idle()
    QCoreApplication.processEvents()  # the held result's queued delivery, if any
    QCoreApplication.processEvents()
    assert [o.plan.period for o in shown] == [StatsPeriod.THIS_YEAR]
    assert outcome_of(tab).plan.period is StatsPeriod.THIS_YEAR
    assert len(recording.requests) == 3  # the first, the stale and the shown one
    assert not tab.is_busy()


# -- what the cards say ------------------------------------------------------------------------

def test_kpi_texts_are_the_services_figures(qtbot: QtBot, make_tab: MakeTab, shop_db: Database,
                                            polish: QLocale) -> None:
    tab = make_tab()
    choose(qtbot, tab, StatsPeriod.THIS_YEAR)
    shown = result_of(tab)
    figures = tab.figures
    # computed again, independently of the tab, from the same request
    expected = StatsService(database=shop_db).compute(shown.request)
    now, before = expected.totals, expected.previous
    assert now.orders > 50
    assert before.orders > 0
    # ...and the order count checked against the stored orders themselves
    assert now.orders == OrderQueries(database=shop_db).count(OrderFilter(
        bought_from=shown.request.start, bought_to=shown.request.end))

    assert figures.orders_card.value_texts() == [polish.toString(now.orders)]
    assert figures.orders_card.change_texts() == [change_text(now.orders, before.orders, polish)[0]]
    assert figures.orders_card.previous_text() == \
        "Previous period: " + polish.toString(before.orders)
    assert figures.units_card.value_texts() == [polish.toString(now.units)]
    main = expected.main_currency
    assert main == "PLN"
    revenue = figures.revenue_card.value_texts()
    assert revenue[0] == money_text(Money(now.revenue["PLN"], "PLN"), polish)
    assert revenue[0].endswith("zł")
    assert sorted(revenue) == sorted(money_text(Money(amount, currency), polish)
                                     for currency, amount in now.revenue.items())
    assert figures.revenue_card.change_texts()[0] == change_text(
        float(now.revenue["PLN"]), float(before.revenue.get("PLN", 0)), polish)[0]
    assert figures.average_card.value_texts()[0] == money_text(Money(now.average["PLN"], "PLN"),
                                                           polish)
    assert now.cancellation_rate is not None
    assert now.unpaid_share is not None
    assert figures.cancelled_card.value_texts() == [percent_text(now.cancellation_rate, polish)]
    assert figures.unpaid_card.value_texts() == [percent_text(now.unpaid_share, polish)]
    assert before.cancellation_rate is not None
    text, sign = points_change_text(now.cancellation_rate, before.cancellation_rate, polish)
    assert figures.cancelled_card.change_texts() == [text]
    colour = figures.cancelled_card.change_colours()[0]
    if sign:  # more cancellations is bad news: red; fewer, green
        assert colour is not None
        assert (colour.red() > colour.green()) == (sign > 0)


def test_no_previous_data_shows_a_dash(qtbot: QtBot, make_tab: MakeTab,
                                       shop_db: Database) -> None:
    tab = make_tab()
    result = choose(qtbot, tab, StatsPeriod.ALL_TIME)  # nothing before the first order
    assert result is not None
    assert result.previous.orders == 0
    for card in tab.figures.cards:
        assert set(card.change_texts()) == {"—"}, card.title
    assert tab.figures.orders_card.previous_text() == "Previous period: no orders"


def test_the_tables_and_charts_show_the_result(qtbot: QtBot, make_tab: MakeTab,
                                               polish: QLocale) -> None:
    tab = make_tab()
    result = choose(qtbot, tab, StatsPeriod.LAST_12_MONTHS)
    assert result is not None
    figures = tab.figures
    model = figures.top_revenue_model
    assert model.rowCount() == len(result.top_by_revenue) > 0
    assert [model.cell(row, 0) for row in range(model.rowCount())] == \
        [product.name for product in result.top_by_revenue]
    assert figures.delivery_model.rowCount() == len(result.by_delivery)
    assert sum(int(str(figures.delivery_model.cell(r, 1)))
               for r in range(figures.delivery_model.rowCount())) == result.totals.orders
    assert figures.delivery_chart.values == [row.orders for row in result.by_delivery[:8]]
    assert figures.marketplace_chart.labels[0] == "Allegro.pl"
    assert figures.series_chart.points == result.series
    assert figures.heat_map.counts == result.heatmap
    assert sum(map(sum, result.heatmap)) == result.totals.orders
    # the cells as shown: the locale's money and percentages
    share = figures.delivery_model.cell(0, 2)
    assert isinstance(share, Percent)
    assert figures.delivery_model.data(figures.delivery_model.index(0, 2)) == \
        percent_text(share.value, polish)


def test_empty_state(qtbot: QtBot, make_tab: MakeTab, tmp_path: Path) -> None:
    tab = make_tab()
    choose(qtbot, tab, StatsPeriod.CUSTOM, (date(2020, 1, 1), date(2020, 1, 31)))
    assert tab.is_empty_shown()
    assert "No orders in this period" in tab._empty.text()
    empty = Database.open(tmp_path / "empty.sqlite3")
    try:
        fresh = make_tab(database=empty)
        assert fresh.is_empty_shown()
        choose(qtbot, fresh, StatsPeriod.ALL_TIME)
        assert fresh.is_empty_shown()
        assert "No orders yet" in fresh._empty.text()
        fresh.shutdown()
    finally:
        empty.close()


# -- which orders -----------------------------------------------------------------------------

def test_account_and_workspace_filter(qtbot: QtBot, make_tab: MakeTab, shop_db: Database) -> None:
    workspace = OrderFilter(quick=QuickFilter.CANCELLED, accounts=frozenset({"ignored"}))
    tab = make_tab(workspace_filter=lambda: workspace)
    choose(qtbot, tab, StatsPeriod.ALL_TIME)
    everything = result_of(tab).totals
    assert tab.controls.filter_line.text() == "Not applied: Cancelled"

    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.controls.set_use_workspace_filter(True)
    cancelled = result_of(tab).totals
    assert tab.controls.filter_line.text() == "Counted: Cancelled"
    assert 0 < cancelled.orders == cancelled.cancelled == everything.cancelled
    assert result_of(tab).request.order_filter.accounts == frozenset()  # the toolbar's

    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.set_account_filter(OTHER)
    request = result_of(tab).request
    assert request.order_filter.accounts == frozenset({OTHER})
    assert result_of(tab).totals.orders == OrderQueries(database=shop_db).count(OrderFilter(
        quick=QuickFilter.CANCELLED, accounts=frozenset({OTHER}), bought_from=request.start,
        bought_to=request.end))


def test_recomputes_after_a_sync_only_when_seen(qtbot: QtBot, make_tab: MakeTab,
                                                shop_db: Database) -> None:
    recording = Recording(StatsService(database=shop_db))
    tab = make_tab(stats=recording)
    calls = len(recording.requests)
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.refresh()
        tab.refresh()  # several syncs in a row: one computation
    assert len(recording.requests) == calls + 1
    tab.hide()
    tab.refresh()
    tab.controls.set_period(StatsPeriod.LAST_MONTH)
    assert tab.loader.wait_idle()
    QCoreApplication.processEvents()
    assert len(recording.requests) == calls + 1  # not while hidden
    with qtbot.waitSignal(tab.loader.computed, timeout=WAIT):
        tab.show()
    assert len(recording.requests) == calls + 2
    assert outcome_of(tab).plan.period is StatsPeriod.LAST_MONTH


def test_an_error_shows_in_the_tab(qtbot: QtBot, make_tab: MakeTab, tmp_path: Path) -> None:
    broken = Database.open(tmp_path / "broken.sqlite3")
    tab = make_tab(show=False, database=broken)
    broken.close()  # the database goes away under the tab
    with qtbot.waitSignal(tab.loader.failed, timeout=WAIT):
        tab.show()
    assert tab.error_text
    assert tab._message.isVisible()
    assert "could not be computed" in tab._message.text()


# -- files ------------------------------------------------------------------------------------

def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def csv_text(cell: Any) -> str:
    """What the CSV of a Polish locale holds for a typed cell."""
    if cell is None:  # no amount in that currency
        return ""
    if isinstance(cell, Money):
        return f"{cell.amount:.2f}".replace(".", ",")
    if isinstance(cell, Percent):
        return f"{cell.value * 100:.1f}".replace(".", ",") + "%"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


@pytest.mark.parametrize("name", ["top-products-by-revenue", "delivery-methods",
                                  "orders-over-time", "weekday-hour"])
def test_table_export_writes_the_rows_of_the_table(qtbot: QtBot, make_tab: MakeTab,
                                                   tmp_path: Path, name: str,
                                                   polish: QLocale) -> None:
    tab = make_tab()
    choose(qtbot, tab, StatsPeriod.LAST_12_MONTHS)
    model = tab.figures.panels[name].model
    assert model is not None
    assert model.rowCount() > 0
    cells = [[model.cell(r, c) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]

    path = tmp_path / tab.files.default_file_name(name, "csv")
    assert tab.files.export_table(name, path, TableFormat.CSV)
    rows = read_csv(path)
    assert rows[0] == headers
    assert rows[1:] == [[csv_text(cell) for cell in row] for row in cells]
    assert "Saved" in tab._message.text()

    path = tmp_path / tab.files.default_file_name(name, "xlsx")
    assert tab.files.export_table(name, path, TableFormat.XLSX)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == headers
    assert len(values) == len(cells) + 1
    for got, row in zip(values[1:], cells, strict=True):
        for value, cell in zip(got, row, strict=True):
            if isinstance(cell, Money):
                assert value == pytest.approx(float(cell.amount))
            elif isinstance(cell, Percent):
                assert value == pytest.approx(cell.value)
            elif isinstance(cell, date):
                assert value == datetime(cell.year, cell.month, cell.day)
            else:
                assert value == cell
    # and the shown texts are those cells in the locale's words
    assert model.data(model.index(0, 0)) == cell_text(cells[0][0], polish)


def test_a_failed_export_says_why_in_the_tab(qtbot: QtBot, make_tab: MakeTab,
                                             tmp_path: Path) -> None:
    tab = make_tab()
    missing = tmp_path / "no such folder" / "x.csv"
    assert not tab.files.export_table("marketplaces", missing, TableFormat.CSV)
    assert "does not exist" in tab._message.text()
    assert not missing.parent.exists()


@pytest.mark.parametrize("name", ["orders-over-time", "delivery-methods", "weekday-hour"])
def test_chart_saved_as_png(qtbot: QtBot, make_tab: MakeTab, tmp_path: Path, name: str) -> None:
    tab = make_tab()
    path = tmp_path / tab.files.default_file_name(name, "png")
    assert path.name.startswith(name + "_2026-10-22_2026-11-20")
    assert tab.files.save_png(name, path)
    image = QImage(str(path))
    assert not image.isNull()
    chart = tab.figures.panels[name].chart
    assert chart is not None
    assert image.width() >= chart.width() > 100
    # not a blank picture: the bars / cells have colours besides the background
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 5


# -- models -----------------------------------------------------------------------------------

def test_models_pass_the_model_tester(qtbot: QtBot, make_tab: MakeTab, qtmodeltester: Any) -> None:
    assert isinstance(StatsTableModel(), StatsTableModel)
    qtmodeltester.check(StatsTableModel())
    tab = make_tab()
    choose(qtbot, tab, StatsPeriod.LAST_12_MONTHS)
    for name, panel in tab.figures.panels.items():
        assert panel.model is not None, name
        assert panel.model.rowCount() > 0, name
        qtmodeltester.check(panel.model, force_py=True)


def test_today_is_the_local_day(make_tab: MakeTab) -> None:
    """The clock and the zone decide "today": 23:30 UTC on the 20th is the 21st in Warsaw."""
    tab = make_tab(clock=lambda: datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    assert tab.current_plan().today == date(2026, 11, 21)
    assert result_of(tab).request.end == local(2026, 11, 22)


# -- in the window ------------------------------------------------------------------------------

def test_in_the_window_it_follows_the_sync_and_the_orders_tab(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app()
    window, workspace = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    stats = workspace.stats
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Orders", "Statistics", "Sync log"]
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        window.sync_action.trigger()
    stats.controls.set_period(StatsPeriod.ALL_TIME)
    with qtbot.waitSignal(stats.loader.computed, timeout=WAIT):
        window.tabs.setCurrentWidget(stats)
    assert result_of(stats).totals.orders == 300

    # a sync that brings orders recomputes the tab on screen
    for _ in range(3):
        app.emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT"}})
    with qtbot.waitSignal(stats.loader.computed, timeout=WAIT):
        window.sync_action.trigger()
    qtbot.waitUntil(lambda: result_of(stats).totals.orders == 303, timeout=WAIT)

    # the Orders tab's filter, when ticked: its quick filter counts
    window.tabs.setCurrentWidget(workspace.orders)
    workspace.orders.set_quick_filter(QuickFilter.UNPAID)
    with qtbot.waitSignal(stats.loader.computed, timeout=WAIT):
        window.tabs.setCurrentWidget(stats)
        stats.controls.set_use_workspace_filter(True)
    totals = result_of(stats).totals
    assert totals.orders == totals.unpaid >= 3
    assert stats.controls.filter_line.text() == "Counted: Unpaid"
    workspace.shutdown()


def test_buttons_and_context_menu_ask_where_and_save(qtbot: QtBot, make_tab: MakeTab,
                                                     tmp_path: Path,
                                                     request: pytest.FixtureRequest) -> None:
    tab = make_tab()
    asked: list[str] = []

    def ask(seen: SeenDialog) -> Path:
        asked.append(seen.name)
        return tmp_path / Path(seen.name).stem  # the seller drops the extension

    dialogs = FileDialogs(ask).start()
    request.addfinalizer(dialogs.stop)
    panel = tab.figures.panels["weekday-hour"]
    assert panel.chart is not None
    [action] = [a for a in panel.chart.actions() if a.text() == "Save as PNG…"]
    action.trigger()  # the chart's context menu
    assert Path(asked[-1]).name == "weekday-hour_2026-10-22_2026-11-20.png"
    assert (tmp_path / "weekday-hour_2026-10-22_2026-11-20.png").stat().st_size > 1000

    assert panel.export_button is not None
    menu = panel.export_button.menu()
    [xlsx] = [a for a in menu.actions() if "XLSX" in a.text()]
    xlsx.trigger()
    assert Path(asked[-1]).name == "weekday-hour_2026-10-22_2026-11-20.xlsx"
    sheet = openpyxl.load_workbook(tmp_path / "weekday-hour_2026-10-22_2026-11-20.xlsx").active
    assert sheet is not None
    assert sheet.max_row == 8  # the header and seven weekdays

