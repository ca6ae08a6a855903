"""`OrderActionsBar`: the top of the details panel — "Set status", "Add tracking number…" and
"Attach invoice (PDF)…" for the order shown (or the orders selected), and the order's actions:
what waits to be sent, is being sent, was sent or failed (the reason in the seller's language),
with Retry and Discard for a failed one (Discard for a waiting one too). It shows and tells;
the controller acts (`retry_requested`, `discard_requested`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.order_actions import ActionState, OrderAction
from allegro_desktop.ui.orders.details.section import escaped
from allegro_desktop.ui.orders.processing.texts import action_title, reason_text, state_text
from allegro_desktop.ui.theme import colour

__all__ = ["SHOWN_FINISHED", "OrderActionsBar"]

#: Finished actions (sent, discarded) shown below the unfinished ones, newest first.
SHOWN_FINISHED: Final = 3


class OrderActionsBar(QWidget):
    """The bar (see the module); `status_menu`, `tracking_action` and `invoice_action` are the
    controller's.

    Signals:
        retry_requested(int): Retry of this action (its id) was clicked.
        discard_requested(int): Discard of this action was clicked.
    """

    retry_requested = Signal(int)
    discard_requested = Signal(int)

    def __init__(self, *, status_menu: QMenu, tracking_action: QAction,
                 invoice_action: QAction | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderActionsBar")
        layout = self._outer = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 4)
        layout.setSpacing(6)
        # The buttons in one row when it is wide enough for their whole labels, else one
        # under another (`_place_buttons`): squeezed, they were cut to "Dodaj nu…rzesyłki".
        self._button_grid = QGridLayout()
        self._button_grid.setHorizontalSpacing(6)
        self._button_grid.setVerticalSpacing(4)
        self._one_row: bool | None = None
        # A push button with a menu: its width counts the menu's arrow (a tool button's
        # instant popup drew the arrow over the label's last letter).
        self.status_button = QPushButton(self)
        self.status_button.setObjectName("setStatusButton")
        self.status_button.setMenu(status_menu)
        self.tracking_button = QToolButton(self)
        self.tracking_button.setObjectName("addTrackingButton")
        self.tracking_button.setDefaultAction(tracking_action)
        self.tracking_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.invoice_button: QToolButton | None = None
        if invoice_action is not None:
            self.invoice_button = QToolButton(self)
            self.invoice_button.setObjectName("attachInvoiceButton")
            self.invoice_button.setDefaultAction(invoice_action)
            self.invoice_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for button in self._buttons():
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addLayout(self._button_grid)
        self._place_buttons(one_row=True)
        self._list = QVBoxLayout()
        self._list.setSpacing(4)
        layout.addLayout(self._list)
        self._rows: list[QWidget] = []
        self.actions_shown: list[OrderAction] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.status_button.setText(self.tr("Set status"))
        self.status_button.setToolTip(self.tr(
            "Set the fulfillment status on Allegro (of every selected order)"))

    @property
    def buttons_in_one_row(self) -> bool:
        return bool(self._one_row)

    def _buttons(self) -> list[QAbstractButton]:
        return [button for button in (self.status_button, self.tracking_button,
                                      self.invoice_button) if button is not None]

    def _place_buttons(self, *, one_row: bool) -> None:
        if one_row == self._one_row:
            return
        self._one_row = one_row
        for button in self._buttons():
            self._button_grid.removeWidget(button)
        buttons = self._buttons()
        for place, button in enumerate(buttons):
            row, column = (0, place) if one_row else (place, 0)
            self._button_grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignLeft)
        for column in range(len(buttons) + 1):  # the free room right of the buttons
            self._button_grid.setColumnStretch(
                column, 1 if column == (len(buttons) if one_row else 1) else 0)

    def _fit_buttons(self) -> None:
        margins = self._outer.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        wanted = sum(button.sizeHint().width() for button in self._buttons()) \
            + self._button_grid.horizontalSpacing() * (len(self._buttons()) - 1)
        self._place_buttons(one_row=wanted <= room)

    # The labels' widths are known for sure only once the style and font are applied (at
    # show) and change with them: fitted again then, not only when the width changes.
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_buttons()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit_buttons()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange,
                            QEvent.Type.LanguageChange):
            self._fit_buttons()

    def show_actions(self, actions: Sequence[OrderAction],
                     carrier_names: Mapping[str, str] | None = None) -> None:
        """The order's actions: the unfinished ones, then the last few finished."""
        for row in self._rows:
            row.setParent(None)
            row.deleteLater()
        self._rows = []
        unfinished = [a for a in actions if a.state.unfinished]
        finished = [a for a in actions if not a.state.unfinished][-SHOWN_FINISHED:][::-1]
        self.actions_shown = [*unfinished, *finished]
        for action in self.actions_shown:
            row = self._action_row(action, carrier_names or {})
            self._list.addWidget(row)
            self._rows.append(row)

    def row_text(self, action_id: int) -> str:
        """The text shown for an action (for tests and screen readers)."""
        for row in self._rows:
            if row.property("actionId") == action_id:
                label = row.findChild(QLabel)
                return label.text() if label is not None else ""
        return ""

    def _action_row(self, action: OrderAction, carrier_names: Mapping[str, str]) -> QWidget:
        row = QWidget(self)
        row.setObjectName(f"action:{action.id}")
        row.setProperty("actionId", action.id)
        # The text takes the panel's whole width; the buttons go below it, on the right.
        line = QVBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(2)
        label = QLabel(row)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        state = state_text(action, self.locale())
        failed = action.state is ActionState.FAILED
        if failed:
            state = f'<span style="color:{colour("error.text")}">{escaped(state)}</span>'
        else:
            state = escaped(state)
        text = f"<b>{escaped(action_title(action, carrier_names))}</b> · {state}"
        if (reason := reason_text(action)) and action.state in (
                ActionState.FAILED, ActionState.WAITING, ActionState.SENDING):
            text += f"<br>{escaped(reason)}"
        label.setText(text)
        line.addWidget(label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if failed:
            retry = QPushButton(self.tr("Retry"), row)
            retry.setObjectName("retryAction")
            retry.setToolTip(self.tr("Send it to Allegro again"))
            retry.clicked.connect(lambda: self.retry_requested.emit(action.id))
            buttons.addWidget(retry)
        if failed or action.state is ActionState.WAITING:
            discard = QPushButton(self.tr("Discard"), row)
            discard.setObjectName("discardAction")
            discard.setToolTip(self.tr("Do not send it; the order's later actions go on"))
            discard.clicked.connect(lambda: self.discard_requested.emit(action.id))
            buttons.addWidget(discard)
        if buttons.count() > 1:
            line.addLayout(buttons)
        return row
