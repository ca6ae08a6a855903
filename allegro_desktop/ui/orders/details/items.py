"""What was bought, in the details panel: each line item (its offer linked on allegro.pl, its
SKU, quantity × price = total, a crossed-out original price when discounted), then the
delivery cost and the total to pay."""

from __future__ import annotations

import html

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import money_text, offer_url
from allegro_desktop.ui.orders.details.checkout_form import as_mapping, as_money
from allegro_desktop.ui.orders.details.section import DetailsSection, escaped, joined

__all__ = ["ItemsSection"]


class ItemsSection(DetailsSection):
    """The line items; `sandbox` says whether the offer links go to Allegro's sandbox."""

    name = "items"

    def __init__(self, parent: QWidget, *, sandbox: bool = False) -> None:
        super().__init__(parent)
        self.sandbox = sandbox

    def title_text(self) -> str:
        return self.tr("Items")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        blocks: list[str] = []
        for item in details.line_items:
            link = offer_url(item.offer_id, self.sandbox)
            title = (f'<a href="{html.escape(link, quote=True)}">'
                     f"{escaped(item.offer_name or item.offer_id)}</a>")
            codes = [self.tr("SKU: %1").replace("%1", item.external_id)
                     if item.external_id else None,
                     self.tr("Offer %1").replace("%1", item.offer_id)]
            price = escaped(money_text(item.price, locale))
            if item.original_price.amount > item.price.amount \
                    and item.original_price.currency == item.price.currency:
                price = f"<s>{escaped(money_text(item.original_price, locale))}</s> {price}"
            amount = (f"{escaped(locale.toString(item.quantity))} × {price} = "
                      f"<b>{escaped(money_text(item.total, locale))}</b>")
            blocks.append(f"{title}<br>{self.caption(joined(codes, '  ·  ') or '')}"
                          f"<br>{amount}")
        if not blocks:
            return ""
        row = details.row
        summary: list[str] = []
        cost = row.delivery_cost or as_money(as_mapping(details.form.get("delivery")).get("cost"))
        if cost is not None:
            summary.append(self.caption(self.tr("Delivery:")) + " "
                           + escaped(money_text(cost, locale)))
        summary.append(self.caption(self.tr("Total to pay:")) + " "
                       + f"<b>{escaped(money_text(row.total, locale))}</b>")
        return "<br><br>".join(blocks) + "<br><br>" + "<br>".join(summary)
