"""The bulk progress dialog (ui/orders/processing/progress_dialog.py) as a run moves on: each
line shows its order's state and reason after every refresh, however many moved at once, and
the State column fits its longest text (measured once from its few texts: fitting it to the
lines at each change stalled the window for seconds at 500 orders)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
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


def _line(dialog: BulkProgressDialog, row: int) -> tuple[str, str]:
    lines = dialog.lines
    return lines.index(row, 1).data(), lines.index(row, 2).data()


def test_every_line_follows_the_run_and_the_state_column_fits_its_texts(qtbot: QtBot) -> None:
    run = ActionRun("Status In progress for 300 orders", [_queued(n) for n in range(300)])
    dialog = BulkProgressDialog(run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    lines = dialog.orders_list
    assert {_line(dialog, n)[0] for n in range(300)} == {"Queued"}

    run.apply([_outcome(n, ActionState.SENT) for n in range(298)]
              + [_outcome(298, ActionState.FAILED, "Allegro refused it."),
                 _outcome(299, ActionState.WAITING, "Allegro cannot be reached.")])
    dialog.refresh()
    texts = [_line(dialog, n) for n in range(300)]
    assert texts == [("Sent to Allegro", "")] * 298 + [("Failed", "Allegro refused it."),
                                            ("Waiting, tried again later",
                                             "Allegro cannot be reached.")]
    brush = dialog.lines.index(298, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    assert brush.color() == QColor(colour("error.text"))
    assert dialog.lines.index(297, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "299 of 300 done" in dialog.summary_label.text()  # the failed one is done too
    qtbot.waitUntil(lambda: lines.columnWidth(1) >= lines.sizeHintForColumn(1))

    run.apply([_outcome(299, ActionState.SENT)])  # the waiting one went out later
    dialog.refresh()
    assert _line(dialog, 299) == ("Sent to Allegro", "")
    assert _line(dialog, 298) == ("Failed", "Allegro refused it.")
    assert dialog.progress_bar.value() == 300
