"""Printing from the Orders tab, offscreen, over real SQLite files: the print dialog saves
packing slips and pick lists as PDF (read back with poppler's `pdftotext`/`pdfinfo`), prints
onto a real `QPrinter` writing a PDF file (no printer needed), can be cancelled, leaves out an
order whose stored form is damaged with its reason, refuses what the export refuses — and,
in the Polish window wired to a real emulator and sync, opens from the File menu, the rows'
menu and Ctrl+P on the selected orders."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from allegro_desktop.config.assets import resource_dir
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.domain.filters import OrderFilter, OrderSort, QuickFilter
from allegro_desktop.services.printouts import SlipSize
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.orders.printing.dialog import PrintDialog
from allegro_desktop.ui.orders.printing.job import (
    MAX_ORDERS,
    PrintKind,
    PrintProgress,
    PrintReport,
    Stage,
)
from allegro_desktop.ui.orders.printing.printer import prepare_printer
from tests.helpers.stored_shop import realistic_forms, store_shop
from tests.helpers.sync_app import WAIT, MakeSyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None
                                or shutil.which("pdfinfo") is None,
                                reason="poppler-utils (scripts/bootstrap installs it)")

POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


def pdf_text(path: Path) -> str:
    """The PDF's text, whitespace run together."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.split())


def pdf_info(path: Path) -> dict[str, str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in info.splitlines())}


@pytest.fixture
def polish(qapp: QCoreApplication) -> Iterator[None]:
    """The app's Polish translation installed for the test (removed after)."""
    translator = QTranslator()
    assert translator.load("allegro_desktop_pl", str(resource_dir() / "translations"))
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(before)


@pytest.fixture
def english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderQueries]:
    database = store_shop(tmp_path_factory.mktemp("shop") / "orders.sqlite3",
                          realistic_forms())
    yield OrderQueries(database=database)
    database.close()


def make(qtbot: QtBot, queries: OrderQueries, *, selection: tuple[int, ...] = (),
         order_filter: OrderFilter | None = None,
         kind: PrintKind = PrintKind.PACKING_SLIPS) -> PrintDialog:
    order_filter = order_filter or OrderFilter()
    dialog = PrintDialog(queries=queries, order_filter=order_filter, sort=OrderSort(),
                         selection=selection, total=queries.count(order_filter), kind=kind)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def finished(qtbot: QtBot, dialog: PrintDialog) -> PrintReport:
    """Wait for the running job's end; its report (a failure or cancel fails the test)."""
    outcomes: list[tuple[str, object]] = []
    dialog.print_finished.connect(lambda report: outcomes.append(("finished", report)))
    dialog.print_failed.connect(lambda message: outcomes.append(("failed", message)))
    dialog.print_cancelled.connect(lambda: outcomes.append(("cancelled", None)))
    qtbot.waitUntil(lambda: bool(outcomes))
    kind, outcome = outcomes[0]
    assert kind == "finished", outcome
    assert isinstance(outcome, PrintReport)
    return outcome


@pytest.mark.usefixtures("english")
def test_packing_slips_of_the_selection_saved_as_pdf(qtbot: QtBot, shop: OrderQueries,
                                                     tmp_path: Path) -> None:
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    chosen = (seqs[5], seqs[1], seqs[40])
    dialog = make(qtbot, shop, selection=chosen)
    assert dialog.selected_radio.isChecked()
    assert dialog.selected_radio.text() == "The 3 selected orders"
    assert dialog.all_radio.text() == "All 300 orders in the current view"
    dialog.size_box.setCurrentIndex(dialog.size_box.findData(SlipSize.LABEL.value))
    assert dialog.suggested_name().startswith("packing-slips-")
    stages: list[Stage] = []
    threads: set[int] = set()

    def progressed(progress: PrintProgress) -> None:
        stages.append(progress.stage)
        threads.add(threading.get_ident())

    dialog.print_progressed.connect(progressed)
    path = tmp_path / "slips.pdf"
    dialog.start_saving(path)
    assert dialog.is_running()  # start_saving returned while the job runs
    assert not dialog.save_button.isEnabled()
    assert dialog.cancel_button.text() == "Cancel"
    report = finished(qtbot, dialog)

    assert threads == {threading.get_ident()}, "progress is shown on the GUI thread"
    assert stages[0] is Stage.READING
    assert Stage.LAYING_OUT in stages
    assert report.orders == 3
    assert report.path == path
    assert report.problems == ()
    info = pdf_info(path)
    assert int(info["Pages"]) == report.pages >= 3
    assert info["Page size"].startswith("283.46 x 425.2")  # 100 x 150 mm
    text = pdf_text(path)
    rows = shop.rows(chosen)
    for seq in chosen:
        assert rows[seq].id in text
    others = shop.rows([seq for seq in seqs[:50] if seq not in chosen])
    assert not any(row.id in text for row in others.values())
    assert dialog.status_label.text() == (
        f"Saved the packing slips of 3 order(s) to {path} ({report.pages} pages).")
    assert dialog.open_button.isVisibleTo(dialog)
    assert not dialog.problems_list.isVisibleTo(dialog)
    assert dialog.cancel_button.text() == "Close"
    assert dialog.save_button.isEnabled()


@pytest.mark.usefixtures("english")
def test_the_pick_list_of_the_current_view_when_nothing_is_selected(
        qtbot: QtBot, shop: OrderQueries, tmp_path: Path) -> None:
    sent = OrderFilter(quick=QuickFilter.SENT)
    dialog = make(qtbot, shop, order_filter=sent, kind=PrintKind.PICK_LIST)
    count = shop.count(sent)
    assert dialog.all_radio.isChecked()
    assert not dialog.selected_radio.isEnabled()
    assert not dialog.size_box.isEnabled()  # a pick list is A4
    assert dialog.chosen_count() == count
    path = tmp_path / "pick.pdf"
    dialog.start_saving(path)
    report = finished(qtbot, dialog)
    assert report.kind is PrintKind.PICK_LIST
    assert report.orders == count
    text = pdf_text(path)
    assert "Pick list" in text
    assert f"Orders: {count}" in text
    seqs = list(shop.seqs(sent, OrderSort()))
    assert all(row.id in text for row in shop.rows(seqs).values())
    assert int(pdf_info(path)["Pages"]) == report.pages
    assert "Saved the pick list of" in dialog.status_label.text()


@pytest.mark.usefixtures("english")
def test_printing_onto_a_printer(qtbot: QtBot, shop: OrderQueries, tmp_path: Path) -> None:
    """The printer path: a real `QPrinter` (its PDF output, so no printer is needed) painted
    page by page off the GUI thread."""
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    chosen = tuple(seqs[:4])
    dialog = make(qtbot, shop, selection=chosen)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, SlipSize.A4)
    output = tmp_path / "printer.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(output))
    pages_seen: list[tuple[int, int]] = []
    dialog.print_progressed.connect(
        lambda p: pages_seen.append((p.done, p.total)) if p.stage is Stage.PRINTING else None)
    dialog.start_printing(printer)
    report = finished(qtbot, dialog)
    assert report.path is None
    assert report.orders == 4
    assert pages_seen == [(n, report.pages) for n in range(1, report.pages + 1)]
    info = pdf_info(output)
    assert int(info["Pages"]) == report.pages >= 4
    assert info["Page size"].startswith("595")  # A4
    assert dialog.status_label.text() == (
        f"Sent the packing slips of 4 order(s) to the printer ({report.pages} pages).")
    assert not dialog.open_button.isVisibleTo(dialog)


@pytest.mark.usefixtures("english")
def test_print_button_through_the_systems_print_dialog(qtbot: QtBot, shop: OrderQueries,
                                                      tmp_path: Path) -> None:
    """Print…: the system's print dialog (Qt's own here, its "Print to File (PDF)" printer)
    opens without blocking; once accepted the labels print on the page chosen here, though
    that dialog sets its printer's default page."""
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    dialog = make(qtbot, shop, selection=tuple(seqs[:2]))
    dialog.size_box.setCurrentIndex(dialog.size_box.findData(SlipSize.LABEL.value))
    dialog.print_button.click()  # returns: the print dialog is window-modal, not exec()'d
    system = dialog.findChild(QPrintDialog, "systemPrintDialog")
    assert system is not None
    qtbot.waitUntil(system.isVisible)
    assert system.printer().docName().startswith("packing-slips-")
    output = tmp_path / "labels.pdf"
    file_name = system.findChild(QLineEdit, "filename")  # Qt's "Output file" field
    assert file_name is not None
    file_name.setText(str(output))
    system.accept()
    report = finished(qtbot, dialog)
    assert report.orders == 2
    info = pdf_info(output)
    assert int(info["Pages"]) == report.pages
    assert info["Page size"].startswith("283 x 425")  # 100 x 150 mm


@pytest.mark.usefixtures("english")
@pytest.mark.qt_log_ignore("QPainter::begin")  # Qt's own word on the printer that cannot start
def test_a_printer_that_cannot_start_is_reported(qtbot: QtBot, shop: OrderQueries,
                                                 tmp_path: Path) -> None:
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    dialog = make(qtbot, shop, selection=(seqs[0],))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no such folder" / "out.pdf"))
    with qtbot.waitSignal(dialog.print_failed) as failed:
        dialog.start_printing(printer)
    assert failed.args == ["The printer cannot be used now. Check that it is on and connected, "
                           "or choose another one."]
    assert dialog.status_label.text() == failed.args[0]
    assert dialog.print_button.isEnabled()


def test_cancel_while_reading_writes_nothing(qtbot: QtBot, shop: OrderQueries,
                                            tmp_path: Path) -> None:
    dialog = make(qtbot, shop)  # 300 orders: read in chunks
    path = tmp_path / "slips.pdf"
    path.write_bytes(b"the previous printout")
    dialog.print_progressed.connect(lambda _progress: dialog.cancel_printing())
    with qtbot.waitSignal(dialog.print_cancelled):
        dialog.start_saving(path)
    assert not dialog.is_running()
    assert path.read_bytes() == b"the previous printout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slips.pdf"]
    assert dialog.save_button.isEnabled()
    assert dialog.isVisible()


def test_cancel_between_printed_pages(qtbot: QtBot, shop: OrderQueries,
                                      tmp_path: Path) -> None:
    seqs = list(shop.seqs(OrderFilter(), OrderSort()))
    dialog = make(qtbot, shop, selection=tuple(seqs[:6]))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    output = tmp_path / "printer.pdf"
    printer.setOutputFileName(str(output))
    printed: list[int] = []

    def progressed(progress: PrintProgress) -> None:
        if progress.stage is Stage.PRINTING:
            printed.append(progress.done)
            dialog.cancel_printing()

    dialog.print_progressed.connect(progressed)
    with qtbot.waitSignal(dialog.print_cancelled):
        dialog.start_printing(printer)
    assert printed == [1], "the page after a Cancel is never printed"
    # Qt's PDF output cannot abort a print run (a real printer's spooler drops the job): what
    # was painted before the Cancel is all it holds.
    assert int(pdf_info(output)["Pages"]) == 1
    assert not dialog.is_running()


def test_closing_while_printing_cancels_first(qtbot: QtBot, shop: OrderQueries,
                                              tmp_path: Path) -> None:
    dialog = make(qtbot, shop)
    path = tmp_path / "slips.pdf"
    dialog.print_progressed.connect(lambda _progress: dialog.reject())
    with qtbot.waitSignal(dialog.rejected):
        dialog.start_saving(path)
    assert not dialog.is_running()
    assert not path.exists()


@pytest.mark.usefixtures("english")
def test_a_damaged_stored_form_is_reported_and_the_others_printed(
        qtbot: QtBot, tmp_path: Path) -> None:
    database = store_shop(tmp_path / "orders.sqlite3", realistic_forms()[:6])
    try:
        queries = OrderQueries(database=database)
        seqs = list(queries.seqs(OrderFilter(), OrderSort()))
        with database.write() as connection:
            connection.exec_driver_sql(
                "UPDATE order_forms SET raw = '{not json' WHERE seq = ?", (seqs[2],))
        ids = {seq: row.id for seq, row in queries.rows(seqs).items()}
        dialog = make(qtbot, queries)
        path = tmp_path / "slips.pdf"
        dialog.start_saving(path)
        report = finished(qtbot, dialog)
        assert report.orders == 5
        assert [problem.order_id for problem in report.problems] == [ids[seqs[2]]]
        text = pdf_text(path)
        assert ids[seqs[2]] not in text
        assert all(ids[seq] in text for seq in seqs if seq != seqs[2])
        assert dialog.problems_list.isVisibleTo(dialog)
        lines = [dialog.problems_list.item(n).text()
                 for n in range(dialog.problems_list.count())]
        assert lines == ["Orders left out (1):",
                         f"{ids[seqs[2]]}: The stored order cannot be read (its data is "
                         "damaged). Sync again to download it anew."]
        assert "Saved the packing slips of 5 order(s)" in dialog.status_label.text()
    finally:
        database.close()


@pytest.mark.usefixtures("english")
def test_nothing_printable_writes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    database = store_shop(tmp_path / "orders.sqlite3", realistic_forms()[:2])
    try:
        with database.write() as connection:
            connection.exec_driver_sql("UPDATE order_forms SET raw = '{not json'")
        dialog = make(qtbot, OrderQueries(database=database))
        path = tmp_path / "slips.pdf"
        dialog.start_saving(path)
        report = finished(qtbot, dialog)
        assert report.orders == 0
        assert len(report.problems) == 2
        assert not path.exists()
        assert dialog.status_label.text() == (
            "No order could be printed: nothing was printed or saved.")
        assert dialog.problems_list.count() == 3
    finally:
        database.close()


@pytest.mark.usefixtures("polish")
def test_refuses_the_live_database_as_the_export_does(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "profile")
    database = store_shop(paths.database, realistic_forms()[:5])
    try:
        before = paths.database.read_bytes()
        dialog = make(qtbot, OrderQueries(database=database))
        with qtbot.waitSignal(dialog.print_failed) as failed:
            dialog.start_saving(paths.database)
        message = str(failed.args[0])
        assert message.startswith(f"{paths.database} to baza zamówień Allegro Desktop")
        assert dialog.status_label.text() == message
        assert paths.database.read_bytes() == before
        assert OrderQueries(database=database).count(OrderFilter()) == 5
    finally:
        database.close()


@pytest.mark.usefixtures("english")
def test_too_many_orders_are_refused_up_front(qtbot: QtBot, shop: OrderQueries) -> None:
    dialog = PrintDialog(queries=shop, order_filter=OrderFilter(), sort=OrderSort(),
                         selection=(), total=MAX_ORDERS + 1)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert dialog.status_label.text() == (
        f"{MAX_ORDERS + 1} orders are too many to print at once (at most {MAX_ORDERS}). "
        "Select fewer orders or narrow the filter.")
    empty = PrintDialog(queries=shop, order_filter=OrderFilter(), sort=OrderSort(),
                        selection=(), total=0)
    qtbot.addWidget(empty)
    assert not empty.save_button.isEnabled()
    assert empty.status_label.text() == "There are no orders to print in the current view."


@pytest.mark.usefixtures("polish")
def test_the_polish_window_prints_the_selected_orders_to_pdf(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app()
    window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    try:
        with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
            window.sync_action.trigger()
        orders_loaded(qtbot, tabs, 300)
        queries = OrderQueries(database=app.database)
        newest = list(queries.seqs(OrderFilter(), OrderSort()))
        chosen = newest[2:5]
        tabs.orders.table.select_seqs(chosen, current=chosen[0])
        qtbot.waitUntil(lambda: tabs.orders.table.selected_count() == 3)

        # the File menu, the rows' menu and the shortcuts
        assert window.print_slips_action.text() == "Drukuj listy zawartości &paczek…"
        assert window.print_slips_action.isEnabled()
        actions = tabs.orders.order_actions
        assert actions.print_slips_action.shortcut() == QKeySequence(
            QKeySequence.StandardKey.Print)
        assert actions.print_pick_list_action.shortcut().toString() == "Ctrl+Shift+P"
        menu = tabs.orders.order_actions.build_row_menu()
        assert {actions.print_slips_action,
                actions.print_pick_list_action} <= set(menu.actions())
        menu.deleteLater()

        window.print_pick_list_action.trigger()
        dialog = tabs.printing.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        assert dialog.pick_list_radio.isChecked()
        dialog.reject()
        qtbot.waitUntil(lambda: tabs.printing.dialog is None)

        actions.print_slips_action.trigger()  # what Ctrl+P does
        dialog = tabs.printing.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        assert dialog.windowTitle() == "Drukuj zamówienia"
        assert dialog.slips_radio.isChecked()
        assert dialog.selected_radio.isChecked()
        assert dialog.selected_radio.text() == "Zaznaczone zamówienia (3)"
        path = tmp_path / "listy.pdf"
        dialog.start_saving(path)
        report = finished(qtbot, dialog)
        assert report.orders == 3
        text = pdf_text(path)
        rows = queries.rows(chosen)
        for seq in chosen:
            assert rows[seq].id in text
        assert "Lista zawartości paczki" in text  # the printout in the window's language
        assert any(letter in text for letter in POLISH_LETTERS)
        assert dialog.status_label.text().startswith(
            "Zapisano listy zawartości paczek 3 zamówień")
        dialog.reject()
    finally:
        tabs.shutdown()
