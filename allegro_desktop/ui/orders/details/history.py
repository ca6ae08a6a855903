"""The order's journal in the details panel: its events (bought, paid, cancelled, …) as
Allegro reported them, oldest first."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import datetime_text, event_type_label
from allegro_desktop.ui.orders.details.section import DetailsSection, escaped

__all__ = ["HistorySection"]


class HistorySection(DetailsSection):
    """The order's events, one line each: when, and what happened."""

    name = "timeline"

    def title_text(self) -> str:
        return self.tr("History")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        if not details.events:
            return self.caption(self.tr(
                "No events are stored for this order (Allegro keeps its order journal for 60 "
                "days)."))
        rows = [f'<tr><td style="color:{self.caption_colour}; padding-right:10px">'
                f"{escaped(datetime_text(event.occurred_at, locale))}</td>"
                f"<td>{escaped(event_type_label(event.type))}</td></tr>"
                for event in details.events]
        return "<table cellspacing=0 cellpadding=1>" + "".join(rows) + "</table>"
