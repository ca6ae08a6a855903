"""The export dialog, offscreen, over a real database: it exports on a background thread,
reports progress, can be cancelled (also by closing) and shows what went wrong."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QLocale, QObject, Qt
from pytestqt.qtbot import QtBot

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import (
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.services.export import COLUMN_TITLES, ExportFormat, ExportPer, ItemColumn
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.export_dialog import ExportChoices, ExportDialog
from allegro_desktop.ui.tasks import TaskQueue
from tests.helpers.stored_shop import LOGINS, realistic_forms, store_shop

VISIBLE = (OrderColumn.BOUGHT_AT, OrderColumn.ORDER_ID, OrderColumn.BUYER_NAME,
           OrderColumn.TOTAL, OrderColumn.ACCOUNT)
#: The columns checked the first time: the visible ones, the currency next to the amount.
CHECKED = (OrderColumn.BOUGHT_AT, OrderColumn.ORDER_ID, OrderColumn.BUYER_NAME,
           OrderColumn.TOTAL, OrderColumn.CURRENCY, OrderColumn.ACCOUNT)


@pytest.fixture
def queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderQueries]:
    database = store_shop(tmp_path_factory.mktemp("db") / "orders.sqlite3", realistic_forms())
    yield OrderQueries(database=database)
    database.close()


@pytest.fixture
def english() -> Iterator[None]:
    """An English default locale for the dialog's CSV defaults (restored after)."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def make(qtbot: QtBot, queries: OrderQueries, *, selection: tuple[int, ...] = (),
         order_filter: OrderFilter | None = None, **options: object) -> ExportDialog:
    order_filter = order_filter or OrderFilter()
    dialog = ExportDialog(queries=queries, order_filter=order_filter, sort=OrderSort(),
                          selection=selection, total=queries.count(order_filter),
                          visible_columns=VISIBLE, account_names=LOGINS,
                          **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_export(qtbot: QtBot, dialog: ExportDialog, path: Path) -> list[object]:
    """Start an export and wait for its end; the `export_finished` arguments (a failure
    fails the test at once, with its message)."""
    outcomes: list[tuple[str, list[object]]] = []
    dialog.export_finished.connect(lambda *args: outcomes.append(("finished", list(args))))
    dialog.export_failed.connect(lambda *args: outcomes.append(("failed", list(args))))
    dialog.export_cancelled.connect(lambda: outcomes.append(("cancelled", [])))
    dialog.start_export(path)
    qtbot.waitUntil(lambda: bool(outcomes))
    kind, args = outcomes[0]
    assert kind == "finished", args
    return args


def csv_lines(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_exports_on_a_background_thread(qtbot: QtBot, queries: OrderQueries,
                                        tmp_path: Path) -> None:
    dialog = make(qtbot, queries)
    assert not dialog.selected_radio.isEnabled()
    assert dialog.all_radio.isChecked()
    assert dialog.all_radio.text() == "All 300 orders in the current view"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.XLSX.value))
    assert not dialog.csv_group.isEnabled()
    threads: set[int] = set()
    dialog.export_progressed.connect(lambda *_: threads.add(threading.get_ident()))
    path = tmp_path / "orders.xlsx"
    with qtbot.waitSignal(dialog.export_finished) as finished:
        dialog.start_export(path)
        assert dialog.is_running()  # start_export returned while the export runs
        assert not dialog.export_button.isEnabled()
        assert dialog.cancel_button.text() == "Cancel"
    assert finished.args == [str(path), 300]
    assert threads == {threading.get_ident()}, "progress is shown on the GUI thread"
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(COLUMN_TITLES[c] for c in CHECKED)
    assert len(rows) == 301
    assert {row[-1] for row in rows[1:]} == set(LOGINS.values())
    assert "Exported 300 orders to" in dialog.status_label.text()
    assert dialog.open_folder_button.isVisibleTo(dialog)
    assert dialog.export_button.isEnabled()
    assert dialog.cancel_button.text() == "Close"
    assert not dialog.is_running()


def test_the_selection_in_table_order(qtbot: QtBot, queries: OrderQueries, tmp_path: Path,
                                      english: None) -> None:
    seqs = list(queries.seqs(OrderFilter(), OrderSort()))
    chosen = (seqs[7], seqs[2], seqs[99])
    dialog = make(qtbot, queries, selection=chosen)
    assert dialog.selected_radio.isChecked()
    assert dialog.selected_radio.text() == "The 3 selected orders"
    assert dialog.separator_box.currentData() == ","
    assert not dialog.decimal_comma_box.isChecked()
    path = tmp_path / "selected.csv"
    run_export(qtbot, dialog, path)
    rows = queries.rows(chosen)
    assert [line[1] for line in csv_lines(path)[1:]] == [rows[s].id for s in chosen]
    dialog.all_radio.setChecked(True)
    assert run_export(qtbot, dialog, path)[1] == 300


def test_the_current_view_and_line_items(qtbot: QtBot, queries: OrderQueries,
                                         tmp_path: Path) -> None:
    sent = OrderFilter(quick=QuickFilter.SENT)
    dialog = make(qtbot, queries, order_filter=sent, selection=(1,), prefer_selection=False)
    assert dialog.all_radio.isChecked()
    assert dialog.selected_radio.isEnabled()
    items = [dialog.columns_list.item(r) for r in range(dialog.columns_list.count())]
    item_values = {c.value for c in ItemColumn}
    item_rows = [i for i in items if i.data(Qt.ItemDataRole.UserRole + 1) in item_values]
    assert all(i.isHidden() for i in item_rows)
    dialog.per_item_radio.setChecked(True)
    assert not any(i.isHidden() for i in item_rows)
    request = dialog.request()
    assert request.per is ExportPer.LINE_ITEM
    assert request.effective_columns == (*CHECKED, *ItemColumn)
    path = tmp_path / "items.csv"
    rows = run_export(qtbot, dialog, path)[1]
    seqs = list(queries.seqs(sent, OrderSort()))
    expected = sum(len(v) for v in queries.line_items(seqs).values())
    assert rows == expected
    lines = csv_lines(path)
    assert len(lines) == expected + 1
    assert lines[0][len(CHECKED):] == [COLUMN_TITLES[c] for c in ItemColumn]
    assert "rows (line items)" in dialog.status_label.text()


def test_columns_and_polish_defaults(qtbot: QtBot, queries: OrderQueries) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    try:
        dialog = make(qtbot, queries, column_titles={OrderColumn.TOTAL: "Razem"})
    finally:
        QLocale.setDefault(before)
    assert dialog.separator_box.currentData() == ";"
    assert dialog.decimal_comma_box.isChecked()
    titles = [dialog.columns_list.item(r).text() for r in range(len(TABLE_COLUMNS))]
    assert titles[:len(CHECKED)] == [COLUMN_TITLES[c] if c is not OrderColumn.TOTAL
                                     else "Razem" for c in CHECKED]
    headers = dialog.request().headers
    assert headers is not None
    assert [headers[c] for c in CHECKED] == titles[:len(CHECKED)]
    for row in range(dialog.columns_list.count()):
        dialog.columns_list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.export_button.isEnabled()
    dialog.columns_list.item(3).setCheckState(Qt.CheckState.Checked)
    assert dialog.export_button.isEnabled()
    assert dialog.suggested_name().startswith("orders-")
    assert dialog.suggested_name().endswith(".csv")


def test_cancel_leaves_no_file(qtbot: QtBot, queries: OrderQueries, tmp_path: Path) -> None:
    dialog = make(qtbot, queries)
    path = tmp_path / "orders.csv"
    path.write_text("the previous export")
    dialog.export_progressed.connect(lambda *_: dialog.cancel_export())
    with qtbot.waitSignal(dialog.export_cancelled):
        dialog.start_export(path)
    assert not dialog.is_running()
    assert path.read_text() == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]
    assert dialog.status_label.text() == "Export cancelled: no file was written."
    assert dialog.export_button.isEnabled()
    assert dialog.isVisible()


def test_closing_while_exporting_cancels_first(qtbot: QtBot, queries: OrderQueries,
                                               tmp_path: Path) -> None:
    dialog = make(qtbot, queries)
    path = tmp_path / "orders.xlsx"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.XLSX.value))
    dialog.export_progressed.connect(lambda *_: dialog.reject())
    with qtbot.waitSignal(dialog.rejected):
        dialog.start_export(path)
        assert dialog.isVisible()
    assert not dialog.is_running()
    assert not dialog.isVisible()
    assert list(tmp_path.iterdir()) == []


def test_a_queue_shut_down_stops_the_export(qtbot: QtBot, queries: OrderQueries,
                                            tmp_path: Path) -> None:
    """The app quits during an export: the opener shuts its queue down before the database
    closes, and the export stops (nothing written) instead of running on."""
    owner = QObject()
    tasks = TaskQueue("export", parent=owner)
    dialog = make(qtbot, queries, tasks=tasks)
    path = tmp_path / "orders.csv"
    path.write_text("the previous export")
    shut_down: list[bool] = []
    # at the first report, while the export waits for the window to take it
    dialog.export_progressed.connect(lambda *_: shut_down.append(tasks.shutdown()))
    dialog.start_export(path)
    qtbot.waitUntil(lambda: bool(shut_down))
    assert shut_down == [True]
    assert path.read_text() == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]


def test_errors_are_shown(qtbot: QtBot, queries: OrderQueries, tmp_path: Path) -> None:
    dialog = make(qtbot, queries)
    with qtbot.waitSignal(dialog.export_failed) as failed:
        dialog.start_export(tmp_path / "missing" / "orders.csv")
    assert "does not exist" in failed.args[0]
    assert dialog.status_label.text() == failed.args[0]
    assert not dialog.progress_bar.isVisibleTo(dialog)
    assert not dialog.is_running()
    assert dialog.export_button.isEnabled()


def test_a_database_error_is_reported_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    database = Database.open(tmp_path / "closed.sqlite3")
    queries = OrderQueries(database=database)
    dialog = make(qtbot, queries)
    database.close()  # the database is gone by the time the export runs: a bug's path
    with qtbot.waitSignal(dialog.export_failed) as failed:
        dialog.start_export(tmp_path / "orders.csv")
    assert "error in Allegro Desktop" in failed.args[0]
    assert not (tmp_path / "orders.csv").exists()


def choose_format(dialog: ExportDialog, fmt: ExportFormat) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt.value))


def test_the_csv_options_follow_the_format_after_every_export(
        qtbot: QtBot, queries: OrderQueries, tmp_path: Path) -> None:
    dialog = make(qtbot, queries)
    assert dialog.csv_group.isEnabled()
    choose_format(dialog, ExportFormat.XLSX)
    assert not dialog.csv_group.isEnabled()
    run_export(qtbot, dialog, tmp_path / "orders.xlsx")
    assert not dialog.csv_group.isEnabled(), "XLSX is still chosen: no CSV options"
    assert dialog.format_box.isEnabled()
    choose_format(dialog, ExportFormat.CSV)
    assert dialog.csv_group.isEnabled()
    choose_format(dialog, ExportFormat.JSON)
    assert not dialog.csv_group.isEnabled()
    run_export(qtbot, dialog, tmp_path / "orders.json")
    assert not dialog.csv_group.isEnabled()
    choose_format(dialog, ExportFormat.CSV)
    with qtbot.waitSignal(dialog.export_finished):
        dialog.start_export(tmp_path / "orders.csv")
        assert not dialog.csv_group.isEnabled()  # nothing changes while it runs
        assert not dialog.format_box.isEnabled()
    assert dialog.csv_group.isEnabled()
    assert not dialog.selected_radio.isEnabled()  # still no selection


def test_the_order_id_and_the_currency_are_checked_the_first_time(
        qtbot: QtBot, queries: OrderQueries, tmp_path: Path, english: None) -> None:
    """The table hides the order id: the export still ticks it, and a CSV amount gets its
    currency in the next column."""
    visible = (OrderColumn.BOUGHT_AT, OrderColumn.BUYER_NAME, OrderColumn.TOTAL)
    dialog = ExportDialog(queries=queries, order_filter=OrderFilter(), sort=OrderSort(),
                          selection=(), total=300, visible_columns=visible)
    qtbot.addWidget(dialog)
    assert dialog.choices().columns[:5] == (
        OrderColumn.BOUGHT_AT, OrderColumn.ORDER_ID, OrderColumn.BUYER_NAME,
        OrderColumn.TOTAL, OrderColumn.CURRENCY)
    path = tmp_path / "orders.csv"
    run_export(qtbot, dialog, path)
    header, *lines = csv_lines(path)
    assert header == ["Purchase date", "Order ID", "Buyer", "Total", "Currency"]
    rows = queries.rows(queries.seqs(OrderFilter(), OrderSort()))
    by_id = {row.id: row for row in rows.values()}
    assert len(lines) == 300
    for line in lines:
        total = by_id[line[1]].total
        assert (line[3], line[4]) == (f"{total.amount:.2f}", total.currency)
    assert {line[4] for line in lines} == {"PLN", "CZK", "EUR", "HUF"}


def test_the_choices_are_remembered_for_the_next_export(
        qtbot: QtBot, queries: OrderQueries, tmp_path: Path, english: None) -> None:
    state_file = tmp_path / "ui-state.ini"
    state = UiState(state_file)
    first = make(qtbot, queries, ui_state=state)
    assert first.choices().columns == (*CHECKED, *ItemColumn)  # nothing remembered yet
    first.per_item_radio.setChecked(True)
    rows = {OrderColumn(first.columns_list.item(r).data(Qt.ItemDataRole.UserRole + 1)): r
            for r in range(len(OrderColumn))}
    first.columns_list.item(rows[OrderColumn.BUYER_NAME]).setCheckState(
        Qt.CheckState.Unchecked)
    first.columns_list.item(rows[OrderColumn.BUYER_PHONE]).setCheckState(
        Qt.CheckState.Checked)
    first.separator_box.setCurrentIndex(first.separator_box.findData("\t"))
    first.decimal_comma_box.setChecked(True)
    chosen = first.choices()
    run_export(qtbot, first, tmp_path / "items.csv")
    first.reject()
    state.sync()

    second = make(qtbot, queries, ui_state=UiState(state_file))  # as at the next start
    assert second.choices() == chosen
    assert second.per_item_radio.isChecked()
    assert OrderColumn.ORDER_ID in second.choices().columns
    assert OrderColumn.BUYER_NAME not in second.choices().columns
    assert second.separator_box.currentData() == "\t"
    assert second.decimal_comma_box.isChecked()
    choose_format(second, ExportFormat.XLSX)
    run_export(qtbot, second, tmp_path / "items.xlsx")

    third = make(qtbot, queries, ui_state=UiState(state_file))
    assert third.format_box.currentData() == ExportFormat.XLSX.value
    assert not third.csv_group.isEnabled()
    assert third.separator_box.currentData() == "\t"  # kept for the next CSV


def test_damaged_remembered_choices_read_as_the_defaults(
        qtbot: QtBot, queries: OrderQueries, tmp_path: Path, english: None) -> None:
    state = UiState(tmp_path / "ui-state.ini")
    state.set_choices("export", {"format": ["xlsx"], "per": "sideways", "columns": [
        "no_such_column", 7, "order_id"], "delimiter": "x", "decimal_comma": "yes"})
    dialog = make(qtbot, queries, ui_state=state)
    assert dialog.choices() == ExportChoices(
        fmt=ExportFormat.CSV, per=ExportPer.ORDER, columns=(OrderColumn.ORDER_ID,),
        delimiter=",", decimal_comma=False)
