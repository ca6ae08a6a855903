"""Tags and private notes in the window (ui/orders/labels/): the real window with its tabs, a
real SQLite file synced from the emulator over HTTP. Tagging many orders from the rows' Tags
menu (a new tag, ticks for "all" and "some", untagging), the Tags column and Ctrl+G; the tag
and note filters; a private note edited on the details panel, saved off the GUI thread and
found by the search, a note too long refused; Manage tags (rename, recolour, delete saying how
many orders have it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import OrderColumn
from allegro_desktop.domain.labels import MAX_NOTE_LENGTH, PALETTE
from allegro_desktop.services.order_labels import OrderLabels
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.window.tabs import TabsController
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs

ORDERS = 12


def _shop(qtbot: QtBot, make_sync_app: MakeSyncApp,
          tmp_path: Path) -> tuple[SyncApp, TabsController, list[str]]:
    """A window over a synced shop of ORDERS orders (their ids, newest first)."""
    app = make_sync_app(orders=ORDERS, history_days=30)
    _window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        app.worker.request_sync(app.account.key)
    orders_loaded(qtbot, tabs, ORDERS)
    qtbot.waitUntil(lambda: tabs.orders.model.order_at(ORDERS - 1) is not None)
    ids = [order.id for order in tabs.orders.model.orders_at(range(ORDERS)) if order]
    return app, tabs, ids


def _select(qtbot: QtBot, tabs: TabsController, app: SyncApp, order_ids: list[str]) -> None:
    seqs = OrderQueries(database=app.database).seqs_of(order_ids)
    wanted = [seqs[order_id] for order_id in order_ids]
    tabs.orders.table.select_seqs(wanted, current=wanted[0])
    qtbot.waitUntil(lambda: sorted(tabs.orders.selected_seqs()) == sorted(wanted))
    if len(wanted) == 1:
        qtbot.waitUntil(lambda: tabs.details.order_id == order_ids[0])


def _menu_action(tabs: TabsController, name: str) -> QAction:
    tabs.labelling.fill_tags_menu()
    return next(a for a in tabs.labelling.tags_menu.actions() if a.objectName() == name)


def _tag_cell(tabs: TabsController, app: SyncApp, order_id: str) -> str:
    model = tabs.orders.model
    seq = OrderQueries(database=app.database).seqs_of([order_id])[order_id]
    row = model.row_of(seq)
    assert row is not None
    index = model.index(row, model.column_of(OrderColumn.TAGS))
    return str(model.data(index) or "")


def test_tagging_many_orders_from_the_rows_menu(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                                 tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path)
    labels, labelling = OrderLabels(database=app.database), tabs.labelling
    assert OrderColumn.TAGS not in tabs.orders.table.visible_columns()  # no tag yet
    _select(qtbot, tabs, app, ids[:3])

    menu = tabs.orders.order_actions.build_row_menu()
    assert labelling.tags_menu.menuAction() in menu.actions()
    tabs.labelling.fill_tags_menu()
    assert [a.text() for a in labelling.tags_menu.actions() if a.text()] == [
        "No tags yet", "&New tag…", "&Manage tags…"]

    # New tag…: a name and a colour, put on the three selected orders.
    labelling.new_tag_action.trigger()
    dialog = labelling.tag_dialog
    assert dialog is not None
    assert dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.name_edit.setText("x" * 41)
    assert not ok.isEnabled()
    assert "at most 40" in dialog.problem.text()
    dialog.name_edit.setText("  do   spakowania ")
    dialog.findChild(QToolButton, f"colour:{PALETTE[1]}").click()
    assert ok.isEnabled()
    with qtbot.waitSignal(labelling.tags_loaded, timeout=WAIT):
        ok.click()
    (tag,) = labelling.tags
    assert (tag.name, tag.colour) == ("do spakowania", PALETTE[1])
    assert {i for i, tags in labels.tags_of(ids).items() if tag in tags} == set(ids[:3])
    # The first tag shows the Tags column, the rows show it.
    assert OrderColumn.TAGS in tabs.orders.table.visible_columns()
    qtbot.waitUntil(lambda: [_tag_cell(tabs, app, i) for i in ids[:4]]
                    == ["do spakowania"] * 3 + [""])

    # Ticked when every selected order has it; "2 of 4" when some have it: then all get it.
    assert _menu_action(tabs, f"tag:{tag.id}").isChecked()
    _select(qtbot, tabs, app, ids[1:5])
    action = _menu_action(tabs, f"tag:{tag.id}")
    assert not action.isChecked()
    assert action.text() == "do spakowania (2 of 4)"
    with qtbot.waitSignal(labelling.changed, timeout=WAIT):
        action.trigger()
    assert set(labels.tags_of(ids)) == set(ids[:5])
    # Ticked, chosen again: taken off the four.
    action = _menu_action(tabs, f"tag:{tag.id}")
    assert action.isChecked()
    with qtbot.waitSignal(labelling.changed, timeout=WAIT):
        action.trigger()
    assert set(labels.tags_of(ids)) == {ids[0]}
    qtbot.waitUntil(lambda: _tag_cell(tabs, app, ids[1]) == "")
    tabs.shutdown()


def test_ctrl_g_opens_the_tags_menu_and_clashes_with_nothing(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path)
    keys = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_G)
    window = tabs.orders.window()
    holders = [a for a in window.findChildren(QAction) if a.shortcut() == keys]
    assert holders == [tabs.labelling.tags_action]
    _select(qtbot, tabs, app, ids[:1])
    window.activateWindow()
    tabs.orders.table.setFocus()
    qtbot.keyClick(tabs.orders.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tabs.labelling.tags_menu.isVisible)
    assert tabs.labelling.new_tag_action in tabs.labelling.tags_menu.actions()
    tabs.labelling.tags_menu.close()
    tabs.shutdown()


def test_tag_and_note_filters(qtbot: QtBot, make_sync_app: MakeSyncApp,
                              tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path)
    labels, labelling = OrderLabels(database=app.database), tabs.labelling
    labels.tag(ids[:2], "pilne")
    labels.tag(ids[5:8], "czeka na towar")
    labels.tag([ids[9]], "bez związku")
    labels.set_note(ids[3], "Klient prosi o fakturę")
    with qtbot.waitSignal(labelling.tags_loaded, timeout=WAIT):
        labelling.reload_tags()
    panel = tabs.orders.filter_bar.filter_panel
    by_name = {t.name: t.id for t in labelling.tags}
    assert list(by_name) == ["bez związku", "czeka na towar", "pilne"]  # by name

    # Any of the chosen tags.
    panel.findChild(QCheckBox, f"tagFilter:{by_name['pilne']}").setChecked(True)
    panel.findChild(QCheckBox, f"tagFilter:{by_name['czeka na towar']}").setChecked(True)
    orders_loaded(qtbot, tabs, 5)
    assert tabs.orders.current_filter().tags == {by_name["pilne"], by_name["czeka na towar"]}
    assert panel.active_count() == 1
    panel.clear()
    panel.note.setCurrentIndex(panel.note.findData(True))
    orders_loaded(qtbot, tabs, 1)
    panel.note.setCurrentIndex(panel.note.findData(False))
    orders_loaded(qtbot, tabs, ORDERS - 1)
    tabs.shutdown()


def test_a_private_note_edited_on_the_details_panel_is_saved_and_found(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path)
    labels, box = OrderLabels(database=app.database), tabs.labelling.box
    _select(qtbot, tabs, app, [ids[2]])
    assert box.isVisibleTo(tabs.details)
    assert box.order_id == ids[2]
    assert box.note_edit.toPlainText() == ""

    box.note_edit.setFocus()
    box.note_edit.setPlainText("Zadzwonić przed wysyłką\nkod do bramy 1234")
    assert box.status.text().startswith("Not saved yet")
    with qtbot.waitSignal(tabs.labelling.changed, timeout=WAIT):
        qtbot.keyClick(box.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert box.status.text() == "✓ Saved"
    assert labels.note(ids[2]) == "Zadzwonić przed wysyłką\nkod do bramy 1234"
    assert box.note_edit.toPlainText() == "Zadzwonić przed wysyłką\nkod do bramy 1234"

    # The Private note column offers the first line; the search finds the note's words.
    model = tabs.orders.model
    note_column = model.column_of(OrderColumn.PRIVATE_NOTE)
    assert OrderColumn.PRIVATE_NOTE not in tabs.orders.table.visible_columns()
    qtbot.waitUntil(lambda: model.data(model.index(2, note_column))
                    == "Zadzwonić przed wysyłką")
    tabs.orders.set_search_text("bramy")
    orders_loaded(qtbot, tabs, 1)
    found = model.order_at(0)
    assert found is not None
    assert found.id == ids[2]

    # Too long: said so, not saved; shortened, saved on leaving the field.
    _select(qtbot, tabs, app, [ids[2]])
    box.note_edit.setPlainText("x" * (MAX_NOTE_LENGTH + 1))
    box.save_now()
    assert f"{MAX_NOTE_LENGTH + 1} of at most {MAX_NOTE_LENGTH}" in box.status.text()
    assert labels.note(ids[2]).startswith("Zadzwonić")
    box.note_edit.setPlainText("krótsza")
    with qtbot.waitSignal(tabs.labelling.changed, timeout=WAIT):
        box.save_now()
    assert labels.note(ids[2]) == "krótsza"
    tabs.shutdown()


def test_manage_tags_renames_recolours_and_deletes(qtbot: QtBot, make_sync_app: MakeSyncApp,
                                                   tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path)
    labels, labelling = OrderLabels(database=app.database), tabs.labelling
    labels.tag(ids[:3], "pilne")
    labels.tag([ids[4]], "zwrot")
    labelling.manage_action.trigger()
    dialog = labelling.manage_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tag_list.count() == 2)
    assert [dialog.tag_list.item(r).text() for r in range(2)] == [
        "pilne — 3 orders", "zwrot — 1 order"]

    dialog.tag_list.setCurrentRow(0)
    dialog.rename_button.click()
    assert dialog.tag_dialog is not None
    dialog.tag_dialog.name_edit.setText("Zwrot")  # another tag's name, case ignored
    ok = dialog.tag_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.tag_dialog.name_edit.setText("bardzo pilne")
    with qtbot.waitSignal(labelling.tags_loaded, timeout=WAIT):
        ok.click()
    qtbot.waitUntil(lambda: dialog.tag_list.item(0).text() == "bardzo pilne — 3 orders")

    dialog.colour_button.click()
    recolour = dialog.tag_dialog
    recolour.findChild(QToolButton, f"colour:{PALETTE[0]}").click()
    with qtbot.waitSignal(labelling.tags_loaded, timeout=WAIT):
        recolour.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert labels.tag_named("bardzo pilne").colour == PALETTE[0]  # type: ignore[union-attr]

    dialog.tag_list.setCurrentRow(0)
    dialog.delete_button.click()
    confirm = dialog.confirm
    assert confirm is not None
    assert "3 orders have it" in confirm.text()
    with qtbot.waitSignal(labelling.tags_loaded, timeout=WAIT):
        confirm.button(QMessageBox.StandardButton.Yes).click()
    assert [t.name for t in labels.tags()] == ["zwrot"]
    assert set(labels.tags_of(ids)) == {ids[4]}
    qtbot.waitUntil(lambda: dialog.tag_list.count() == 1)
    tabs.shutdown()


def _columns_fit(tabs: TabsController) -> list[OrderColumn]:
    """The visible columns of the Orders table, checked to fit its width (no horizontal
    scrollbar, every column at least its default width)."""
    table, model = tabs.orders.table, tabs.orders.model
    header = table.horizontalHeader()
    shown = table.visible_columns()
    used = sum(header.sectionSize(model.column_of(c)) for c in shown)
    assert used <= table.viewport().width(), (used, table.viewport().width(), shown)
    assert not table.horizontalScrollBar().isVisible()
    for column in shown:
        needed = header.fontMetrics().horizontalAdvance(model.header_text(column)) + 20
        assert header.sectionSize(model.column_of(column)) >= needed, column
    return shown


def test_the_first_tag_keeps_the_default_columns_fitted_to_the_window(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    """The Tags column the first tag adds is one of the fitted default columns: at the default
    window size the status and the amount stay whole (a less important column gives way), no
    horizontal scrollbar; a wider window shows more columns again."""
    app, tabs, _ids = _shop(qtbot, make_sync_app, tmp_path)
    window, table = tabs.orders.table.window(), tabs.orders.table
    window.resize(1100, 720)
    qtbot.waitUntil(lambda: window.width() == 1100)
    narrow = _columns_fit(tabs)
    assert OrderColumn.TAGS not in narrow
    OrderLabels(database=app.database).create_tag("do spakowania")
    with qtbot.waitSignal(tabs.labelling.tags_loaded, timeout=WAIT):
        tabs.labelling.reload_tags()
    qtbot.waitUntil(lambda: OrderColumn.TAGS in table.visible_columns())
    tagged = _columns_fit(tabs)
    assert {OrderColumn.ORDER_ID, OrderColumn.BOUGHT_AT, OrderColumn.TOTAL,
            OrderColumn.STAGE, OrderColumn.TAGS} <= set(tagged)
    assert table.follows_width()  # still the defaults: they follow the window

    window.resize(1900, 1000)
    qtbot.waitUntil(lambda: len(table.visible_columns()) > len(tagged))
    wide = _columns_fit(tabs)
    assert set(tagged) < set(wide)
    header, model = table.horizontalHeader(), tabs.orders.model
    used = sum(header.sectionSize(model.column_of(c)) for c in wide)
    assert used > table.viewport().width() * 0.8  # the room is used, not left blank
    tabs.shutdown()
