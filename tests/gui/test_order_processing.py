"""Processing orders from the window (ui/orders/processing/): the real window with its tabs, a
real sync worker, SQLite file and emulator over HTTP. A status set on one order from the rows'
context menu, and by its shortcut; a bulk status change with its progress and a per-order
refusal; a tracking number and "mark as sent" through the dialog, reaching Allegro's shipments;
a failed action shown on the details panel, retried and discarded; Cancel of a bulk run; the
"Actions waiting / failed" quick filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.filters import OrderColumn
from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.services.order_actions import OrderActions
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.ui.formatting import fulfillment_label
from allegro_desktop.ui.orders.processing.run import Step
from allegro_desktop.ui.orders.processing.texts import FAILED_MARK
from allegro_desktop.ui.window.tabs import TabsController
from tests.helpers.lease_holder import LeaseHolderProcess
from tests.helpers.sync_app import WAIT, MakeSyncApp, SyncApp
from tests.helpers.wired_window import orders_loaded, window_with_tabs


def _paid(app: SyncApp, count: int) -> list[str]:
    return [app.emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}})[
        "checkoutForms"][0]["id"] for _ in range(count)]


def _unpaid(app: SyncApp) -> str:
    return str(app.emu.control("POST", "/orders", {"checkoutForm": {"status": "BOUGHT"}})[
        "checkoutForms"][0]["id"])


def _shop(qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path, paid: int,
          unpaid: int = 0) -> tuple[SyncApp, TabsController, list[str]]:
    """A window over a synced shop of 10 orders plus `paid` paid and `unpaid` unpaid new
    ones (their ids, paid first)."""
    app = make_sync_app(orders=10, history_days=30)
    ids = _paid(app, paid) + [_unpaid(app) for _ in range(unpaid)]
    _window, tabs = window_with_tabs(qtbot, app, tmp_path / "ui-state.ini")
    with qtbot.waitSignal(app.worker.sync_finished, timeout=WAIT):
        app.worker.request_sync(app.account.key)
    orders_loaded(qtbot, tabs, 10 + paid + unpaid)
    return app, tabs, ids


def _select(qtbot: QtBot, tabs: TabsController, app: SyncApp, order_ids: list[str]) -> None:
    seqs = OrderQueries(database=app.database).seqs_of(order_ids)
    wanted = [seqs[order_id] for order_id in order_ids]
    tabs.orders.table.select_seqs(wanted, current=wanted[0])
    qtbot.waitUntil(lambda: sorted(tabs.orders.selected_seqs()) == sorted(wanted))
    if len(wanted) == 1:
        qtbot.waitUntil(lambda: tabs.details.order_id == order_ids[0])


def _fulfillment(app: SyncApp, order_id: str) -> str:
    forms = app.emu.control("GET", "/checkout-forms")["checkoutForms"]
    return str(next(f["fulfillment"]["status"] for f in forms if f["id"] == order_id))


def _cell(tabs: TabsController, app: SyncApp, order_id: str) -> str:
    """The fulfillment cell of the order's row as the table shows it."""
    model = tabs.orders.model
    seq = OrderQueries(database=app.database).seqs_of([order_id])[order_id]
    row = model.row_of(seq)
    assert row is not None
    order = model.order_at(row)
    assert order is not None
    return model.texts(order)[model.column_of(OrderColumn.FULFILLMENT)]


def test_one_orders_status_from_the_context_menu_and_a_shortcut_reaches_allegro(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, (order_id,) = _shop(qtbot, make_sync_app, tmp_path, paid=1)
    _select(qtbot, tabs, app, [order_id])
    processing = tabs.processing

    menu = tabs.orders.order_actions.build_row_menu()
    titles = [a.text() for a in menu.actions()]
    assert "Set &status" in titles
    assert "Add &tracking number…" in titles
    new = processing.status_actions["NEW"]
    assert not new.isEnabled()  # refused here, and said why
    # the status by its name, as the window shows it, never Allegro's code
    assert new.toolTip() == f"The order already has the status {fulfillment_label('NEW')}."
    assert "NEW" not in new.toolTip()
    assert "RETURNED" not in processing.status_actions  # only Allegro sets it
    assert processing.status_actions["PROCESSING"].shortcut().toString() == "Ctrl+1"

    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        processing.status_actions["PROCESSING"].trigger()
    assert [(o.order_id, o.state) for o in sent.args[0]] == [(order_id, ActionState.SENT)]
    assert _fulfillment(app, order_id) == "PROCESSING"
    # The table shows the status set at once (the sync's journal confirms it later).
    qtbot.waitUntil(lambda: _cell(tabs, app, order_id) == "Processing")

    # The shortcut of "Ready for shipment" on the table, the Orders tab focused.
    tabs.orders.window().activateWindow()
    tabs.orders.table.setFocus()
    qtbot.waitUntil(processing.status_actions["READY_FOR_SHIPMENT"].isEnabled)
    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        qtbot.keyClick(tabs.orders.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert [o.state for o in sent.args[0]] == [ActionState.SENT]
    assert _fulfillment(app, order_id) == "READY_FOR_SHIPMENT"
    qtbot.waitUntil(lambda: _cell(tabs, app, order_id) == "Ready for shipment")
    tabs.shutdown()


def test_a_bulk_status_change_shows_its_progress_and_what_was_refused(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path, paid=3, unpaid=1)
    paid, unpaid = ids[:3], ids[3]
    _select(qtbot, tabs, app, ids)
    processing = tabs.processing
    assert tabs.details.state == "many"
    assert processing.bar.isVisibleTo(tabs.details)
    assert not processing.tracking_action.isEnabled()  # one parcel number per order

    processing.status_actions["READY_FOR_SHIPMENT"].trigger()
    qtbot.waitUntil(lambda: len(processing.runs) == 1)
    run, dialog = processing.runs[0]
    qtbot.waitUntil(dialog.isVisible)  # shown at the event loop's next turn
    qtbot.waitUntil(lambda: run.finished)
    steps = {entry.order_id: entry.step for entry in run.entries}
    assert steps == {**dict.fromkeys(paid, Step.SENT), unpaid: Step.REFUSED}
    assert [entry.order_id for entry in run.problems()] == [unpaid]
    row = [e.order_id for e in run.entries].index(unpaid)
    assert (dialog.lines.index(row, 1).data(), dialog.lines.index(row, 2).data()) == (
        "Not possible", "The order is not paid yet.")
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == 4
    assert "4 of 4 done" in dialog.summary_label.text()
    assert "1 not possible" in dialog.summary_label.text()
    assert not dialog.cancel_button.isEnabled()
    assert [_fulfillment(app, order_id) for order_id in paid] == ["READY_FOR_SHIPMENT"] * 3
    assert _fulfillment(app, unpaid) == "NEW"
    tabs.shutdown()


def test_a_bulk_runs_sending_waits_until_the_window_shows_the_run(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sending's first moments are its busiest on Python's lock, which every cell the
    window paints needs: it begins once the run's dialog is painted and the rows on screen
    are read again with their waiting marks — not before. At its end the list is read again a
    moment after the rows on screen."""
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path, paid=25)
    _select(qtbot, tabs, app, ids)
    processing, model = tabs.processing, tabs.orders.model
    seen: list[tuple[bool, bool, bool]] = []  # (a run held, its dialog painted, rows reading)
    send = app.worker.send_actions

    def noted() -> bool:
        dialogs = [dialog for _run, dialog in processing.runs]
        seen.append((bool(dialogs), bool(dialogs) and dialogs[-1]._painted,
                     model.is_reading()))
        return send()

    monkeypatch.setattr(app.worker, "send_actions", noted)
    processing.status_actions["PROCESSING"].trigger()
    box = processing.message
    assert box is not None
    assert box.objectName() == "confirmBulk"  # more than CONFIRM_ABOVE
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: len(processing.runs) == 1)
    run, _dialog = processing.runs[0]
    qtbot.waitUntil(lambda: run.finished)
    assert seen[0] == (True, True, False)
    assert [_fulfillment(app, order_id) for order_id in ids] == ["PROCESSING"] * 25
    # its end likewise: the rows on screen at once, the list's query and counts a moment later
    qtbot.waitUntil(lambda: not processing.list_refresh_pending()
                    and not tabs.orders.list_state.is_loading())
    assert {_cell(tabs, app, order_id) for order_id in ids} == {fulfillment_label("PROCESSING")}
    tabs.shutdown()


def test_a_tracking_number_and_mark_as_sent_reach_allegro(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, (order_id,) = _shop(qtbot, make_sync_app, tmp_path, paid=1)
    _select(qtbot, tabs, app, [order_id])
    processing = tabs.processing
    assert processing.tracking_action.isEnabled()

    processing.tracking_action.trigger()
    dialog = processing.tracking_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.carrier_combo.findData("INPOST") >= 0)  # read from Allegro
    assert not dialog.add_button.isEnabled()  # no number yet
    assert dialog.choose_carrier("OTHER")
    assert dialog.carrier_name_edit.isVisibleTo(dialog)
    assert dialog.choose_carrier("INPOST")
    assert not dialog.carrier_name_edit.isVisibleTo(dialog)
    dialog.waybill_edit.setText("620000000000000000000042")
    assert dialog.mark_sent_check.isChecked()
    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        dialog.add_button.click()
    assert [o.state for o in sent.args[0]] == [ActionState.SENT, ActionState.SENT]
    held = app.emu.control("GET", f"/orders/{order_id}/shipments")["shipments"]
    assert [(s["carrierId"], s["waybill"]) for s in held] == [
        ("INPOST", "620000000000000000000042")]
    assert _fulfillment(app, order_id) == "SENT"
    # The details panel lists both, sent; the carrier by its name.
    qtbot.waitUntil(lambda: [a.state for a in processing.bar.actions_shown]
                    == [ActionState.SENT, ActionState.SENT])
    texts = [processing.bar.row_text(a.id) for a in processing.bar.actions_shown]
    assert any("Tracking number 620000000000000000000042 (InPost)" in t for t in texts), texts
    assert processing.carriers.last_chosen() == "INPOST"  # offered first next time
    tabs.shutdown()


def test_a_failed_action_is_shown_on_the_order_retried_and_discarded(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, (order_id,) = _shop(qtbot, make_sync_app, tmp_path, paid=1)
    _select(qtbot, tabs, app, [order_id])
    processing = tabs.processing
    processing.tracking_action.trigger()
    dialog = processing.tracking_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.choose_carrier("DPD"))
    dialog.waybill_edit.setText("BAD*NUMBER")  # Allegro refuses its format
    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        dialog.add_button.click()
    assert [o.state for o in sent.args[0]] == [ActionState.FAILED]  # "sent" waits behind it

    bar = processing.bar
    qtbot.waitUntil(lambda: [a.state for a in bar.actions_shown]
                    == [ActionState.FAILED, ActionState.WAITING])
    failed = bar.actions_shown[0]
    text = bar.row_text(failed.id)
    assert "Failed" in text
    assert "BAD*NUMBER" in text
    assert str(failed.last_error) in text  # Allegro's reason, as it said it
    qtbot.waitUntil(lambda: _cell(tabs, app, order_id).startswith(FAILED_MARK))
    row = bar.findChild(QPushButton, "retryAction")
    assert row is not None

    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        row.click()  # Retry: sent again, refused again
    assert [o.state for o in sent.args[0]] == [ActionState.FAILED]
    # Failed again, as the bar shows it: a snapshot read while it was being sent (SENDING,
    # attempts 2 already, no Discard) may be on the bar for a moment first.
    qtbot.waitUntil(lambda: bool(bar.actions_shown)
                    and bar.actions_shown[0].state is ActionState.FAILED
                    and bar.actions_shown[0].attempts == 2)

    with qtbot.waitSignal(app.worker.actions_sent) as sent:
        discard = bar.findChild(QPushButton, "discardAction")
        assert discard is not None
        discard.click()  # Discard: the order's next action ("mark as sent") goes on
    assert [o.state for o in sent.args[0]] == [ActionState.SENT]
    assert _fulfillment(app, order_id) == "SENT"
    assert app.emu.control("GET", f"/orders/{order_id}/shipments")["shipments"] == []
    qtbot.waitUntil(lambda: not _cell(tabs, app, order_id).startswith(FAILED_MARK))
    tabs.shutdown()


def test_cancel_discards_what_a_bulk_run_has_not_sent_and_the_quick_filter_lists_it(
        qtbot: QtBot, make_sync_app: MakeSyncApp, tmp_path: Path) -> None:
    app, tabs, ids = _shop(qtbot, make_sync_app, tmp_path, paid=3)
    processing = tabs.processing
    workspace = tabs.orders
    _select(qtbot, tabs, app, ids)
    # Another process holds the profile's lease: the window cannot send for now.
    with LeaseHolderProcess(app.database.path) as holder:
        with qtbot.waitSignal(app.worker.queue_emptied):  # its send job ran and sent nothing
            processing.status_actions["PROCESSING"].trigger()
        run, dialog = processing.runs[0]
        assert [entry.step for entry in run.entries] == [Step.QUEUED] * 3
        assert dialog.cancel_button.isEnabled()

        # The quick filter lists the orders whose actions wait.
        assert workspace.filter_bar.actions_button.text() == "Actions waiting / failed"
        workspace.filter_bar.actions_button.click()
        orders_loaded(qtbot, tabs, 3)
        assert workspace.current_filter().actions == {"waiting", "failed"}

        dialog.cancel_button.click()
        qtbot.waitUntil(lambda: run.finished)
        assert [entry.step for entry in run.entries] == [Step.CANCELLED] * 3
        assert "3 cancelled" in dialog.summary_label.text()
        orders_loaded(qtbot, tabs, 0)  # nothing waits any more
        holder.release()

    with qtbot.waitSignal(app.worker.queue_emptied):
        app.worker.send_actions()
    assert [_fulfillment(app, order_id) for order_id in ids] == ["NEW"] * 3
    actions = OrderActions(app.database)
    assert all(actions.pending(order_id) == [] for order_id in ids)
    workspace.filter_bar.actions_button.click()  # off again: every order
    orders_loaded(qtbot, tabs, 13)
    tabs.shutdown()
