"""Attaching an invoice (PDF) from the window (ui/orders/processing/): the real window with its
tabs, a real sync worker, SQLite file and emulator over HTTP, the file dialog answered by the
test. "Attach invoice (PDF)…" is offered for one order whose buyer asked for an invoice (in the
rows' context menu and on the details bar), the PDF reaches Allegro byte for byte and the
details bar lists the invoice sent; a file that is not a PDF is refused with the reason."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.window.tabs import TabsController
from tests.helpers.file_dialogs import FileDialogs, SeenDialog
from tests.helpers.invoices import PDF, new_paid_order
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs


def _shop(qtbot: QtBot, make_sync_app: MakeSyncApp,
          tmp_path: Path) -> tuple[SyncApp, TabsController, str, str]:
    """A window over a synced shop: 10 orders, one more whose buyer asked for an invoice and
    one whose buyer did not (their ids)."""
    app = make_sync_app(orders=10, history_days=30)
    wanted = new_paid_order(app.emu, invoice=True)
    unwanted = new_paid_order(app.emu, invoice=False)
    _window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        app.worker.request_sync(app.account.key)
    orders_loaded(qtbot, tabs, 12)
    return app, tabs, wanted, unwanted


def _select(qtbot: QtBot, tabs: TabsController, app: SyncApp, order_id: str) -> None:
    seq = OrderQueries(database=app.database).seqs_of([order_id])[order_id]
    tabs.orders.table.select_seqs([seq], current=seq)
    qtbot.waitUntil(lambda: tabs.orders.selected_seqs() == [seq])
    qtbot.waitUntil(lambda: tabs.details.order_id == order_id)


def _answer_file_dialog(request: pytest.FixtureRequest, path: Path) -> list[SeenDialog]:
    """The file dialog answers `path`; the dialogs seen are collected."""
    dialogs = FileDialogs(lambda _seen: path).start()
    request.addfinalizer(dialogs.stop)
    return dialogs.seen


def test_an_invoice_from_the_rows_menu_reaches_allegro_and_is_shown_sent(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    app, tabs, wanted, unwanted = _shop(qtbot, make_sync_app, tmp_path)
    processing = tabs.processing
    pdf = tmp_path / "FV 3-2026.pdf"
    pdf.write_bytes(PDF)
    asked = _answer_file_dialog(request, pdf)

    _select(qtbot, tabs, app, unwanted)  # the buyer did not ask: offered, not enabled
    menu = tabs.orders.order_actions.build_row_menu()
    (attach,) = [a for a in menu.actions() if a.objectName() == "attachInvoiceAction"]
    assert attach.text() == "Attach &invoice (PDF)…"
    assert not attach.isEnabled()
    assert attach.toolTip() == "The buyer did not ask for an invoice for this order"

    _select(qtbot, tabs, app, wanted)
    menu = tabs.orders.order_actions.build_row_menu()
    (attach,) = [a for a in menu.actions() if a.objectName() == "attachInvoiceAction"]
    assert attach.isEnabled()
    assert attach.shortcut().toString() == "Ctrl+I"
    assert processing.bar.invoice_button is not None
    assert processing.bar.invoice_button.defaultAction() is attach  # the details bar's too

    attach.trigger()
    assert [seen.filters for seen in asked] == [["PDF files (*.pdf *.PDF)"]]
    dialog = processing.invoice_dialog
    assert dialog is not None
    assert dialog.file_label.text().startswith("FV 3-2026.pdf (")
    dialog.number_edit.setText("FV 3/2026")
    with qtbot.waitSignal(app.worker.actions_sent, timeout=WAIT) as sent:
        dialog.attach_button.click()
    assert [(o.order_id, o.state) for o in sent.args[0]] == [(wanted, ActionState.SENT)]
    (held,) = app.emu.control("GET", f"/orders/{wanted}/invoices")["invoices"]
    assert held["invoiceNumber"] == "FV 3/2026"
    assert held["file"]["name"] == "FV 3-2026.pdf"
    assert held["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()

    bar = processing.bar
    qtbot.waitUntil(lambda: [a.state for a in bar.actions_shown] == [ActionState.SENT])
    text = bar.row_text(bar.actions_shown[0].id)
    assert "Invoice FV 3/2026 (FV 3-2026.pdf)" in text
    assert "Sent" in text
    tabs.shutdown()


def test_a_file_that_is_not_a_pdf_is_refused_with_the_reason(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    app, tabs, wanted, _unwanted = _shop(qtbot, make_sync_app, tmp_path)
    processing = tabs.processing
    not_pdf = tmp_path / "faktura.pdf"
    not_pdf.write_bytes(b"PK\x03\x04 a zip, named .pdf")
    _answer_file_dialog(request, not_pdf)
    _select(qtbot, tabs, app, wanted)

    processing.invoice_action.trigger()
    dialog = processing.invoice_dialog
    assert dialog is not None
    dialog.attach_button.click()
    qtbot.waitUntil(lambda: processing.message is not None and processing.message.isVisible())
    assert processing.message is not None
    assert processing.message.text() == (
        "faktura.pdf is not a PDF file: Allegro takes invoices only as PDF.")
    assert processing.bar.actions_shown == []
    assert app.emu.control("GET", f"/orders/{wanted}/invoices")["invoices"] == []
    tabs.shutdown()
