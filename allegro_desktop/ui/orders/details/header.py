"""The top of the details panel: who bought (the title), the order id with its Copy button,
when and on which marketplace it was bought, the status badges, the total to pay and "Open in
Allegro". It only shows and tells: what the buttons do is the panel's business."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.formatting import datetime_text, marketplace_label, money_text
from allegro_desktop.ui.orders.details.badges import StatusBadges
from allegro_desktop.ui.orders.details.section import joined

__all__ = ["DetailsHeader"]

#: An order id as wide as Allegro's (a UUID of 36 characters).
_SAMPLE_ID: Final = "dddddddd-dddd-dddd-dddd-dddddddddddd"


class DetailsHeader(QWidget):
    """The header of one order's details ("detailsHeader").

    Signals:
        copy_clicked(): Copy (the order id) was clicked.
        open_clicked(): "Open in Allegro" was clicked.
    """

    copy_clicked = Signal()
    open_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("detailsHeader")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self._title = QLabel(self)
        self._title.setObjectName("detailsTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)  # a buyer's name, never markup
        self._title.setWordWrap(True)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self._title.setFont(font)
        layout.addWidget(self._title)

        id_row = QHBoxLayout()
        id_row.setSpacing(4)
        self._order_id = QLabel(self)
        self._order_id.setObjectName("orderId")
        self._order_id.setTextFormat(Qt.TextFormat.PlainText)
        self._order_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._order_id.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._order_id.setWordWrap(True)  # an id is 36 characters: it wraps at its hyphens
        self._order_id.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        id_row.addWidget(self._order_id, 1)
        self._copy_button = QToolButton(self)
        self._copy_button.setObjectName("copyOrderIdButton")
        self._copy_button.setAutoRaise(True)
        self._copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._copy_button.setText(self.tr("Copy"))
        self._copy_button.clicked.connect(self.copy_clicked)
        id_row.addWidget(self._copy_button)
        layout.addLayout(id_row)
        self._id_row = id_row

        self._meta = QLabel(self)
        self._meta.setObjectName("orderMeta")
        self._meta.setWordWrap(True)
        self._meta.setTextFormat(Qt.TextFormat.PlainText)
        self._meta.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self._meta)

        self._badges = StatusBadges(self)
        layout.addWidget(self._badges)

        total_row = QHBoxLayout()
        total_row.setSpacing(8)
        self._total = QLabel(self)
        self._total.setObjectName("orderTotal")
        self._total.setTextFormat(Qt.TextFormat.PlainText)
        self._total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = self._total.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self._total.setFont(big)
        total_row.addWidget(self._total, 1)
        self._open_button = QPushButton(self)
        self._open_button.setObjectName("openInAllegroButton")
        self._open_button.clicked.connect(self.open_clicked)
        total_row.addWidget(self._open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(total_row)

    def id_row_width(self) -> int:
        """The width the order id (36 characters) and its Copy button need on one line."""
        return (self._order_id.fontMetrics().horizontalAdvance(_SAMPLE_ID)
                + self._id_row.spacing() + self._copy_button.sizeHint().width())

    def show_order(self, row: OrderRow, locale: QLocale) -> None:
        self._title.setText(row.display_name or row.buyer_login or self.tr("Order"))
        self._order_id.setText(row.id)
        self._order_id.setToolTip(self.tr("Allegro's id of this order"))
        self._copy_button.setText(self.tr("Copy"))
        self._copy_button.setToolTip(self.tr("Copy the order id"))
        self._meta.setText(joined([
            self.tr("Bought %1").replace("%1", datetime_text(row.bought_at, locale)),
            marketplace_label(row.marketplace_id)], "  ·  ") or "")
        self._badges.show_order(row)
        self._total.setText(money_text(row.total, locale))
        self._total.setToolTip(self.tr("Total to pay, delivery included"))
        self._open_button.setText(self.tr("Open in Allegro"))
        self._open_button.setToolTip(self.tr("Open this order in My Allegro in your browser"))

    def show_copied(self) -> None:
        """Say on the Copy button that the id was copied (until the next order is shown)."""
        self._copy_button.setText(self.tr("Copied"))
