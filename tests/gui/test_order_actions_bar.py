"""The details panel's order actions bar (ui/orders/processing/details_bar.py) at the widths
the panel takes: its buttons keep their whole labels, in one row when it is wide enough and
one under another when it is not (squeezed into one row they were cut to "Dodaj nu…rzesyłki")."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from allegro_desktop.ui.orders.processing.details_bar import OrderActionsBar


def _bar(qtbot: QtBot, owner: QWidget) -> OrderActionsBar:
    bar = OrderActionsBar(
        status_menu=QMenu(owner),
        tracking_action=QAction("Dodaj numer przesyłki…", owner),
        invoice_action=QAction("Dołącz fakturę (PDF)…", owner), parent=owner)
    owner.show()
    qtbot.waitExposed(owner)
    return bar


def _whole(bar: OrderActionsBar) -> bool:
    return all(button.width() >= button.sizeHint().width()
               for button in (bar.status_button, bar.tracking_button, bar.invoice_button)
               if button is not None)


def test_the_buttons_keep_their_labels_whatever_the_width(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.resize(1000, 300)
    bar = _bar(qtbot, owner)
    bar.resize(900, 200)
    qtbot.waitUntil(lambda: bar.buttons_in_one_row)
    assert _whole(bar)
    assert bar.status_button.y() == bar.tracking_button.y()

    bar.resize(260, 200)
    qtbot.waitUntil(lambda: not bar.buttons_in_one_row)
    qtbot.waitUntil(lambda: bar.tracking_button.y() > bar.status_button.y())
    assert _whole(bar)
    assert bar.invoice_button is not None
    assert bar.invoice_button.y() > bar.tracking_button.y()

    bar.resize(900, 200)
    qtbot.waitUntil(lambda: bar.buttons_in_one_row)
    qtbot.waitUntil(lambda: bar.status_button.y() == bar.tracking_button.y())
    assert _whole(bar)


def test_a_narrow_panel_stacks_the_buttons_from_the_first_show(qtbot: QtBot) -> None:
    """The review saw the first layout squeezed into one row (the labels' widths are known
    only once the style is applied at show)."""
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.resize(300, 300)
    bar = _bar(qtbot, owner)
    bar.resize(260, 200)
    qtbot.waitUntil(lambda: not bar.buttons_in_one_row)
    qtbot.waitUntil(lambda: _whole(bar))
    assert bar.status_button.menu() is not None
