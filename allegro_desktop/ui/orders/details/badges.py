"""The order's two statuses under its title in the details panel: the buyer's side of the order
in a badge coloured by working stage, and the seller's own (fulfillment, shipping) status
outlined beside it — left out when it would only repeat the first."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from allegro_desktop.domain.filters import QuickFilter, quick_filter_of
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.formatting import fulfillment_label, status_label
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["StatusBadges"]

# The colour of the status badge per working stage (`ui/theme.py`: a light and a dark shade of
# each, background and text both set, so it reads well in either scheme).
_STAGE_COLOURS: Final[Mapping[QuickFilter | None, str]] = {
    QuickFilter.TO_PROCESS: "blue",
    QuickFilter.PROCESSING: "orange",
    QuickFilter.SENT: "green",
    QuickFilter.CANCELLED: "red",
    QuickFilter.UNPAID: "yellow",
    None: "grey",
}


def _badge_sheet(hue: str, dark: bool) -> str:
    return (f"QLabel {{ background: {colour(f'badge.{hue}.background', dark)}; "
            f"color: {colour(f'badge.{hue}.text', dark)}; border-radius: 4px; "
            f"padding: 2px 8px; }}")


class StatusBadges(QWidget):
    """The status badge ("statusBadge") and the fulfillment badge ("fulfillmentBadge")."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadges")
        # One above the other: side by side, two long Polish labels ("Opłacone, do realizacji",
        # "Gotowe do odbioru") are wider than the panel may be.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._status = QLabel(self)
        self._status.setObjectName("statusBadge")
        self._fulfillment = QLabel(self)
        self._fulfillment.setObjectName("fulfillmentBadge")
        for badge in (self._status, self._fulfillment):
            badge.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)

    def show_order(self, row: OrderRow) -> None:
        stage = quick_filter_of(row.status, row.fulfillment_status)
        self._status.setText(status_label(row.status))
        follow_palette(self._status,
                       partial(_badge_sheet, _STAGE_COLOURS.get(stage, _STAGE_COLOURS[None])))
        self._status.setToolTip(self.tr("The buyer's side of the order"))
        fulfillment = fulfillment_label(row.fulfillment_status)
        if fulfillment == status_label(row.status) or (
                row.fulfillment_status == FulfillmentStatus.NEW
                and row.status != OrderStatus.READY_FOR_PROCESSING):
            fulfillment = ""  # "Cancelled" twice, or "New" of an order not paid yet
        self._fulfillment.setText(fulfillment)
        self._fulfillment.setStyleSheet(
            "QLabel { border: 1px solid palette(mid); border-radius: 4px; padding: 1px 7px; }")
        self._fulfillment.setToolTip(self.tr("Your status of the order (shipping)"))
        self._fulfillment.setVisible(bool(fulfillment))
