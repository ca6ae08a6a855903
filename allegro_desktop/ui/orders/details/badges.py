"""The order's status under its title in the details panel: the one status a seller reads ("To
send", "Sent", "Unpaid"… — the table's Status column) in a badge coloured by working stage, and
under it, in small print, Allegro's own two fields it comes from (the buyer's side of the
purchase and the seller's fulfillment status)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from allegro_desktop.domain.filters import QuickFilter, quick_filter_of
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.formatting import fulfillment_label, seller_status_label, status_label
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
    """The status badge ("statusBadge": the one status the seller reads, as the table's Status
    column) and under it Allegro's own two fields ("allegroStatuses")."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadges")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._status = QLabel(self)
        self._status.setObjectName("statusBadge")
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self._status, 0, Qt.AlignmentFlag.AlignLeft)
        self._allegro = QLabel(self)
        self._allegro.setObjectName("allegroStatuses")
        self._allegro.setTextFormat(Qt.TextFormat.PlainText)
        self._allegro.setWordWrap(True)
        self._allegro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self._allegro)

    def show_order(self, row: OrderRow) -> None:
        stage = quick_filter_of(row.status, row.fulfillment_status)
        self._status.setText(seller_status_label(row.seller_status))
        follow_palette(self._status,
                       partial(_badge_sheet, _STAGE_COLOURS.get(stage, _STAGE_COLOURS[None])))
        self._status.setToolTip(self.tr(
            "Where the order stands, from Allegro's purchase and fulfillment statuses"))
        fields = [self.tr("purchase: %1").replace("%1", status_label(row.status))]
        if row.fulfillment_status is not None:
            fields.append(self.tr("fulfillment: %1").replace(
                "%1", fulfillment_label(row.fulfillment_status)))
        self._allegro.setText(self.tr("On Allegro: %1").replace("%1", " · ".join(fields)))
        self._allegro.setToolTip(self.tr(
            "Allegro's two statuses: the buyer's side (bought, paid, cancelled) and yours "
            "(the fulfillment status you set)"))
