"""The window's tabs wired to the sync: a real emulator, a real sync worker and SQLite file,
the real window with its Orders and Sync log tabs (offscreen)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort
from allegro_desktop.services.export import ExportFormat
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.sync.worker import SyncActivity
from allegro_desktop.ui.orders.export_dialog import ExportDialog
from tests.helpers.sync_app import PAGED, WAIT, MakeSyncApp, after_a_page
from tests.helpers.wired_window import orders_loaded, window_with_tabs


def test_orders_appear_after_a_sync_and_details_follow_the_selection(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app()
    window, workspace = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Orders", "Statistics", "Sync log"]
    assert window.tabs.isVisible()  # an account is connected: the workspace, not the welcome
    orders_loaded(qtbot, workspace, 0)

    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        window.sync_action.trigger()
    orders_loaded(qtbot, workspace, 300)
    assert workspace.sync_log.model.rowCount() == 1

    queries = OrderQueries(database=app.database)
    newest = queries.seqs(OrderFilter(), OrderSort())
    workspace.orders.table.select_seqs([newest[3]], current=newest[3])
    qtbot.waitUntil(lambda: workspace.details.order_id is not None)
    assert workspace.details.order_id == queries.rows([newest[3]])[newest[3]].id
    workspace.orders.table.select_seqs(newest[:4], current=newest[0])
    qtbot.waitUntil(lambda: workspace.details.state == "many")

    # new orders arrive with the next sync: they appear, the selection stays
    workspace.orders.table.select_seqs([newest[3]], current=newest[3])
    for _ in range(3):
        app.emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT"}})
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        window.sync_action.trigger()
    orders_loaded(qtbot, workspace, 303)
    assert workspace.orders.selected_seqs() == [newest[3]]
    assert workspace.details.order_id == queries.rows([newest[3]])[newest[3]].id
    assert workspace.sync_log.model.rowCount() == 2


def test_a_first_sync_shows_its_orders_while_it_runs(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                                     tmp_path: Path) -> None:
    """A long first sync fills the table as it goes, not only at its end. The sync waits,
    after a page it stored, until the table lists orders: without the refresh it would wait
    for ever (here: until the test's limit)."""
    app = make_sync_app(settings=PAGED)
    window, workspace = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    orders_loaded(qtbot, workspace, 0)
    listed = threading.Event()
    held: list[int] = []

    def hold(activity: SyncActivity) -> None:  # on the sync thread, inside the run
        if after_a_page(activity) and not held:
            held.append(activity.new)
            listed.wait(WAIT / 1000)

    app.worker.sync_progressed.connect(hold, Qt.ConnectionType.DirectConnection)
    try:
        window.sync_action.trigger()
        qtbot.waitUntil(lambda: bool(held) and workspace.orders.result_count() > 0,
                        timeout=WAIT)
        assert app.worker.busy  # still the first sync, held after its first page
        assert 0 < workspace.orders.result_count() < 300
        with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
            listed.set()
    finally:
        listed.set()  # never a sync left waiting past the test
    orders_loaded(qtbot, workspace, 300)
    workspace.shutdown()


def test_export_opens_on_the_tables_view_and_state_is_remembered(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app = make_sync_app()
    state = tmp_path / "ui-state.ini"
    window, workspace = window_with_tabs(qtbot, app, state)
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        window.sync_action.trigger()
    orders_loaded(qtbot, workspace, 300)
    assert window.export_action.isEnabled()
    window.export_action.trigger()
    dialog = workspace.export_dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitUntil(dialog.isVisible)
    # the seller's choices are the next dialog's
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.XLSX.value))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT):
        dialog.start_export(tmp_path / "orders.xlsx")
    dialog.reject()
    window.export_action.trigger()
    again_dialog = workspace.export_dialog
    assert isinstance(again_dialog, ExportDialog)
    assert again_dialog is not dialog
    assert again_dialog.format_box.currentData() == ExportFormat.XLSX.value
    assert OrderColumn.ORDER_ID in again_dialog.choices().columns
    again_dialog.reject()

    window.tabs.setCurrentIndex(1)
    window.resize(760, 540)  # within the offscreen screen (800 x 600)
    workspace.save_state()
    workspace.shutdown()

    again, workspace2 = window_with_tabs(qtbot, app, state)
    assert again.tabs.currentIndex() == 1
    assert (again.width(), again.height()) == (760, 540)
    workspace2.shutdown()
