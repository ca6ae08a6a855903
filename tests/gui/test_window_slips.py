"""The slips a last screenshot review of the window found (issue 16), offscreen with real
widgets, a real emulator and SQLite: Statistics tables that fit the default window in Polish,
a Tags column as wide as its chips, Qt's file dialog in the window's language and folder, an
error line that follows a theme switch, the new-orders view's way back (its account) and its
"Save current view as…", the print dialog's remembered page, the account column offered once,
and one form for phone numbers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QListView,
    QSplitter,
    QTableView,
    QTreeView,
)
from pytestqt.qtbot import QtBot

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.accounts import Account
from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort
from allegro_desktop.domain.labels import PALETTE
from allegro_desktop.domain.phones import phone_text
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.services.order_labels import OrderLabels
from allegro_desktop.services.printout_data import load_slips
from allegro_desktop.services.printouts import SlipSize
from allegro_desktop.services.stats import StatsService
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.backup import backup_folder
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.database.care import DatabaseCare
from allegro_desktop.ui.i18n import install_translators
from allegro_desktop.ui.message_line import MessageLine
from allegro_desktop.ui.orders.details.panel import OrderDetailsPanel
from allegro_desktop.ui.orders.printing.dialog import PrintDialog
from allegro_desktop.ui.orders.printing.job import PrintKind
from allegro_desktop.ui.save_path import ask_save_path, documents_folder
from allegro_desktop.ui.stats.periods import StatsPeriod
from allegro_desktop.ui.stats.tab import StatsTab
from allegro_desktop.ui.theme import ThemeManager, colour
from allegro_desktop.ui.window.main_window import MainWindow
from tests.helpers.file_dialogs import FileDialogs, SeenDialog
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs

PL = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)


@pytest.fixture
def polish(qapp: QCoreApplication) -> Iterator[None]:
    """The window in Polish as `--language pl` makes it: our and Qt's translations and the
    Polish locale (all removed after)."""
    before = QLocale()
    translators = install_translators(qapp, "pl")
    QLocale.setDefault(PL)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeManager]:
    style = qapp.style().name()
    manager = ThemeManager(app=qapp)
    yield manager
    manager.apply("system")
    qapp.setStyle(style)
    manager.deleteLater()


def _synced(qtbot: QtBot, app: SyncApp) -> None:
    """One sync, to its very end (the worker's queue empty)."""
    with qtbot.waitSignal(app.worker.queue_emptied, timeout=WAIT):
        assert app.worker.request_sync(app.account.key)


# -- 1. Statistics: the tables fit the default window -----------------------------------------


def _name_column(table: QTableView) -> int:
    header = table.horizontalHeader()
    return next(c for c in range(header.count())
                if header.sectionResizeMode(c) == QHeaderView.ResizeMode.Stretch)


def _fits(table: QTableView) -> bool:
    """Its figures whole (no sideways scrolling) and its names readable: at least 30
    characters, or the longest name."""
    header = table.horizontalHeader()
    name = _name_column(table)
    readable = min(table.sizeHintForColumn(name),
                   table.fontMetrics().averageCharWidth() * 30)
    return header.length() <= table.viewport().width() \
        and header.sectionSize(name) >= readable


#: The moment the stored shop's orders were generated at (never today).
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ACCOUNT = "production|48213377"


@pytest.fixture(scope="module")
def two_currencies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A shop selling on allegro.pl and allegro.cz only: its tables have two revenue
    columns (zł and Kč) — the width that was cut side by side."""
    emulator = Emulator(EmulatorConfig(orders=1500, seed=11, now=NOW))
    forms = [orjson.loads(body) for body in emulator.store.all_forms(emulator.default_seller_id)]
    forms = [form for form in forms
             if form["marketplace"]["id"] in ("allegro-pl", "allegro-cz")]
    database = Database.open(tmp_path_factory.mktemp("stats") / "orders.sqlite3")
    OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, events=[], cursor=None,
        orders=[parse_checkout_form(form, account_key=ACCOUNT) for form in forms])
    yield database
    database.close()


@pytest.mark.parametrize("width", [1100, 1920])
def test_the_statistics_tables_fit_the_window_in_polish(
        qtbot: QtBot, two_currencies: Database, polish: None, width: int) -> None:
    """At the default 1100 px the product tables, side by side, cut the names to a few words
    and hid the units behind a scroll bar: where they do not fit they go one under the other
    (and a table under its chart); at 1920 px they stay side by side."""
    stats = StatsTab(stats=StatsService(database=two_currencies),
                     queries=OrderQueries(database=two_currencies), clock=lambda: NOW,
                     time_zone=ZoneInfo("Europe/Warsaw"))
    qtbot.addWidget(stats)
    stats.resize(width - 16, 650)  # the tab's room in a window this wide
    with qtbot.waitSignal(stats.loader.computed, timeout=WAIT):
        stats.show()
    figures = stats.figures
    with qtbot.waitSignal(stats.loader.computed, timeout=WAIT):
        stats.controls.set_period(StatsPeriod.LAST_12_MONTHS)
    assert figures.top_revenue_model.columnCount() == 5  # zł and Kč
    tables = [panel.table for panel in (figures.top_revenue_panel, figures.top_units_panel,
                                        figures.delivery_panel, figures.marketplace_panel)]
    qtbot.waitUntil(lambda: all(_fits(table) for table in tables if table is not None),
                    timeout=WAIT)
    assert figures.tops_stacked() == (width == 1100)
    stats.shutdown()


# -- 2. the Tags column as wide as its chips --------------------------------------------------


def test_the_tags_column_shows_its_widest_chip_whole(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=20)
    OrderLabels(database=app.database).create_tag("Do spakowania", PALETTE[5])
    window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    window.resize(1920, 1080)
    _synced(qtbot, app)
    orders_loaded(qtbot, tabs, 20)
    table = tabs.orders.table
    column = tabs.orders.model.column_of(OrderColumn.TAGS)
    metrics = table.fontMetrics()
    chip = metrics.horizontalAdvance("Do spakowania") + 2 * 6  # the chip's own padding
    cell = chip + 2 * 3  # the cell's margins around it
    qtbot.waitUntil(lambda: OrderColumn.TAGS in table.visible_columns(), timeout=WAIT)
    assert table.horizontalHeader().sectionSize(column) >= cell
    tabs.shutdown()


# -- 3. Qt's file dialog ----------------------------------------------------------------------


def test_the_file_dialog_speaks_the_windows_language_and_fits(
        qtbot: QtBot, tmp_path: Path, polish: None) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    folder = tmp_path / "eksport"
    folder.mkdir()
    (folder / "zamówienia.sqlite3").write_bytes(b"x" * 9_100_000)
    looked: dict[str, object] = {}

    def look(seen: SeenDialog) -> None:
        dialog = seen.dialog
        files = dialog.findChild(QTreeView, "treeView")
        assert files is not None
        qtbot.waitUntil(lambda: files.model().rowCount(files.rootIndex()) == 1, timeout=WAIT)
        row = files.model().index(0, 1, files.rootIndex())
        looked["size"] = row.data()
        screen = dialog.screen().availableGeometry()
        looked["width"] = dialog.width() - min(960, int(screen.width() * 0.9))
        places = dialog.findChild(QListView, "sidebar")
        splitter = dialog.findChild(QSplitter, "splitter")
        assert places is not None
        assert splitter is not None
        model = places.model()
        looked["places"] = max(places.fontMetrics().horizontalAdvance(
            str(model.index(r, 0).data())) for r in range(model.rowCount()))
        looked["side"] = splitter.sizes()[0]

    with FileDialogs(lambda _seen: folder / "raport", look) as dialogs:
        chosen = ask_save_path(window, "Zapisz", "raport.csv", "Wszystkie pliki (*)",
                               folder=folder, suffix="csv")
    assert chosen == folder / "raport.csv"
    [seen] = dialogs.seen
    assert seen.folder == folder
    assert seen.name == "raport.csv"
    assert seen.locale.language() == QLocale.Language.Polish
    assert looked["size"] == "8,7\u00a0MB"  # the window's decimal comma (Qt's: "8.65 MiB")
    width, places, side = looked["width"], looked["places"], looked["side"]
    assert width == 0  # 960 px, or 90 % of a smaller screen
    assert isinstance(places, int)
    assert isinstance(side, int)
    assert side >= places  # "Komputer", not "Ko…"


def test_restore_opens_in_the_backups_folder_else_documents(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=5)
    app.services.settings.backup_interval_days = 0
    window = MainWindow(demo=None, data_dir=str(app.paths.data_dir))
    qtbot.addWidget(window)
    care = DatabaseCare(window=window, database=app.database, worker=app.worker,
                        settings=app.services.settings, app_version="0.1.0", parent=window)
    folder = backup_folder(app.database.path)
    try:
        with FileDialogs(lambda _seen: None) as dialogs:
            if folder.exists():
                folder.rmdir()
            care.restores.choose_file()
            folder.mkdir(parents=True)
            care.restores.choose_file()
        places = [seen.folder for seen in dialogs.seen]
        documents = documents_folder()
        assert places == [documents if documents.is_dir() else Path.home(), folder]
        assert Path.cwd() not in places
    finally:
        care.shutdown()


# -- 4. the error line follows a theme switch -------------------------------------------------


def test_the_message_lines_error_colour_follows_the_theme(
        qtbot: QtBot, tmp_path: Path, theme: ThemeManager) -> None:
    window = MainWindow(demo=None, data_dir=str(tmp_path))
    qtbot.addWidget(window)
    line = MessageLine(title="Sync", parent=window)
    line.set_message("The database is locked", error=True)
    theme.apply("light")
    qtbot.waitUntil(lambda: colour("error.text", dark=False) in line.label.styleSheet())
    theme.apply("dark")
    qtbot.waitUntil(lambda: colour("error.text", dark=True) in line.label.styleSheet())
    line.set_message("All good")
    assert line.label.styleSheet() == ""
    theme.apply("light")
    assert line.label.styleSheet() == ""


# -- 5, 6. the new-orders view: its way back and saving a view --------------------------------


def test_show_all_orders_brings_the_account_back_and_the_new_orders_are_no_view(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=40)
    window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    _synced(qtbot, app)
    orders = tabs.orders
    orders_loaded(qtbot, tabs, 40)
    other = Account(seller_id="2", login="TechKącik", environment="production")
    window.show_accounts([app.account, other], app.account.key)
    tabs.set_accounts([app.account, other])
    chooser = window.findChild(QComboBox, "accountFilter")
    assert chooser is not None
    chooser.setCurrentIndex(chooser.findData(app.account.key))
    assert orders.list_state.account == app.account.key

    queries = OrderQueries(database=app.database)
    rows = queries.rows(orders.model.seq_at(row) for row in range(3))
    tabs.show_orders([row.id for row in rows.values()])
    qtbot.waitUntil(lambda: orders.is_showing_new_orders()
                    and not orders.list_state.is_loading(), timeout=WAIT)
    assert window.account_filter is None

    # "Save current view as…": not while the new orders are shown, and the menu says why
    menu = orders.filter_bar.views_menu
    orders.order_actions.fill_views_menu(menu)
    [save] = [a for a in menu.actions() if a.objectName() == "saveViewAction"]
    [why] = [a for a in menu.actions() if a.objectName() == "saveViewWhy"]
    assert not save.isEnabled()
    assert "Show all orders" in why.text()

    orders.new_orders_bar.show_all_button.click()
    qtbot.waitUntil(lambda: not orders.list_state.is_loading(), timeout=WAIT)
    assert window.account_filter == app.account.key
    assert orders.list_state.account == app.account.key
    assert orders.current_filter() == OrderFilter(accounts=frozenset({app.account.key}))
    orders.order_actions.fill_views_menu(menu)
    [save] = [a for a in menu.actions() if a.objectName() == "saveViewAction"]
    assert save.isEnabled()
    assert not [a for a in menu.actions() if a.objectName() == "saveViewWhy"]
    tabs.shutdown()


# -- 7. the print dialog remembers the page ---------------------------------------------------


def test_the_print_dialog_remembers_the_slips_page(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app(orders=5)
    _synced(qtbot, app)
    state = UiState(tmp_path / "ui-state.ini")
    queries = OrderQueries(database=app.database)

    def dialog() -> PrintDialog:
        made = PrintDialog(queries=queries, order_filter=OrderFilter(),
                           sort=OrderSort(), selection=[], total=5, ui_state=state)
        qtbot.addWidget(made)
        return made

    first = dialog()
    assert SlipSize(first.size_box.currentData()) is SlipSize.A4
    first.size_box.setCurrentIndex(first.size_box.findData(SlipSize.LABEL.value))
    first.pick_list_radio.setChecked(True)  # a pick list is on A4…
    assert SlipSize(first.size_box.currentData()) is SlipSize.A4
    first.slips_radio.setChecked(True)  # …and the slips' label comes back
    assert first.request().size is SlipSize.LABEL
    with qtbot.waitSignal(first.print_finished, timeout=WAIT):
        first.start_saving(tmp_path / "slips.pdf")

    again = dialog()
    assert again.request().kind is PrintKind.PACKING_SLIPS
    assert again.request().size is SlipSize.LABEL
    assert UiState(tmp_path / "ui-state.ini").choices("print") == {"size": "label"}


# -- 8. the account column is offered once ----------------------------------------------------


def test_the_account_column_hidden_by_the_seller_is_not_forced_back(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    """Shown by itself when a second account arrives; hidden by the seller, it stays hidden
    when an account goes and another comes (the flag used to reset at one account)."""
    app = make_sync_app(orders=10)
    _window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    _synced(qtbot, app)
    orders = tabs.orders
    orders_loaded(qtbot, tabs, 10)
    orders.table.show_column(OrderColumn.CITY, False)  # the seller's own columns
    names = {app.account.key: app.account.login, "production|2": "TechKącik"}
    orders.set_account_names(names, connected=2)
    assert OrderColumn.ACCOUNT in orders.table.visible_columns()
    orders.table.show_column(OrderColumn.ACCOUNT, False)
    orders.set_account_names(names, connected=1)  # the second disconnected…
    orders.set_account_names(names, connected=2)  # …and another connected
    assert OrderColumn.ACCOUNT not in orders.table.visible_columns()
    tabs.shutdown()


# -- 9. one form for phones -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "shown"), [
    ("600100200", "600 100 200"), ("600 100 200", "600 100 200"),
    ("+48 600 100 200", "600 100 200"), ("+48600100200", "600 100 200"),
    ("221234567", "22 123 45 67"), ("+420601234567", "+420 601 234 567"),
    ("+36 20 123 4567", "+36 20 123 4567"), ("+421 912 345 678", "+421 912 345 678"),
    ("12", "12"), ("tel. nie podano", "tel. nie podano"), (" 600100200 ", "600 100 200"),
])
def test_a_phone_reads_one_way_however_it_was_typed(typed: str, shown: str) -> None:
    assert phone_text(typed) == shown


def test_the_details_panel_and_the_packing_slip_show_the_same_phone(
        qtbot: QtBot, make_sync_app: MakeSyncApp) -> None:
    app = make_sync_app(orders=40)
    _synced(qtbot, app)
    queries = OrderQueries(database=app.database)
    rows = queries.rows(range(1, 41))
    [(seq, row)] = [(s, r) for s, r in rows.items() if r.buyer_phone][:1]
    assert row.buyer_phone is not None
    panel = OrderDetailsPanel()
    qtbot.addWidget(panel)
    details = queries.details(seq)
    assert details is not None
    panel.show_order(details)
    shown = phone_text(row.buyer_phone)
    assert f"Phone: {shown}" in panel.section_text("buyer").splitlines()
    [slip] = load_slips(queries, [seq]).slips
    assert slip.buyer_phone == shown
