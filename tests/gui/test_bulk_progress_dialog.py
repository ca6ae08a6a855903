"""The bulk progress dialog (ui/orders/processing/progress_dialog.py) as a run moves on: each
line shows its order's state and reason after every refresh, however many moved at once, and
the State column still fits its longest text (it is fitted once per refresh, not at each line:
fitting it at each line stalled the window for seconds at 500 orders)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from allegro_desktop.domain.order_actions import ActionKind, ActionState, OrderAction
from allegro_desktop.services.order_actions import Queued
from allegro_desktop.sync.actions import ActionOutcome
from allegro_desktop.ui.orders.processing.progress_dialog import BulkProgressDialog
from allegro_desktop.ui.orders.processing.run import ActionRun
from allegro_desktop.ui.theme import colour

_NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _queued(number: int) -> Queued:
    order_id = f"order-{number}"
    return Queued(order_id=order_id, action=OrderAction(
        id=number, account_key="seller", order_id=order_id, sequence=1,
        kind=ActionKind.FULFILLMENT_STATUS, payload={"status": "PROCESSING"},
        state=ActionState.WAITING, attempts=0, last_error=None, revision_seen=None,
        created_at=_NOW, updated_at=_NOW, next_attempt_at=_NOW))


def _outcome(number: int, state: ActionState, message: str | None = None) -> ActionOutcome:
    return ActionOutcome(action_id=number, account_key="seller", order_id=f"order-{number}",
                         description="status PROCESSING", state=state, message=message)


def test_every_line_follows_the_run_and_the_state_column_fits_its_texts(qtbot: QtBot) -> None:
    run = ActionRun("Status In progress for 300 orders", [_queued(n) for n in range(300)])
    dialog = BulkProgressDialog(run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    lines = dialog.orders_list
    assert {lines.topLevelItem(n).text(1) for n in range(300)} == {"Queued"}

    run.apply([_outcome(n, ActionState.SENT) for n in range(298)]
              + [_outcome(298, ActionState.FAILED, "Allegro refused it."),
                 _outcome(299, ActionState.WAITING, "Allegro cannot be reached.")])
    dialog.refresh()
    texts = [(lines.topLevelItem(n).text(1), lines.topLevelItem(n).text(2)) for n in range(300)]
    assert texts == [("Sent", "")] * 298 + [("Failed", "Allegro refused it."),
                                            ("Waiting, tried again later",
                                             "Allegro cannot be reached.")]
    assert lines.topLevelItem(298).foreground(1).color() == QColor(colour("error.text"))
    assert "299 of 300 done" in dialog.summary_label.text()  # the failed one is done too
    qtbot.waitUntil(lambda: lines.columnWidth(1) >= lines.sizeHintForColumn(1))

    run.apply([_outcome(299, ActionState.SENT)])  # the waiting one went out later
    dialog.refresh()
    assert (lines.topLevelItem(299).text(1), lines.topLevelItem(299).text(2)) == ("Sent", "")
    assert (lines.topLevelItem(298).text(1), lines.topLevelItem(298).text(2)) == (
        "Failed", "Allegro refused it.")
    assert dialog.progress_bar.value() == 300
