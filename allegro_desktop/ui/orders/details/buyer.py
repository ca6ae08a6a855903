"""Who bought, in the details panel: name, company, login (or "guest"), e-mail and phone."""

from __future__ import annotations

import html

from PySide6.QtCore import QLocale

from allegro_desktop.domain.phones import phone_text
from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.orders.details.checkout_form import as_mapping, as_text
from allegro_desktop.ui.orders.details.section import DetailsSection, escaped, joined

__all__ = ["BuyerSection"]


class BuyerSection(DetailsSection):
    """The buyer: the table's values, else the checkout form's; the e-mail a mailto: link."""

    name = "buyer"

    def title_text(self) -> str:
        return self.tr("Buyer")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        buyer = as_mapping(details.form.get("buyer"))
        lines: list[str] = []
        name = row.buyer_name or joined([as_text(buyer.get("firstName")),
                                         as_text(buyer.get("lastName"))])
        company = row.buyer_company or as_text(buyer.get("companyName"))
        if name:
            lines.append(f"<b>{escaped(name)}</b>")
        if company and company != name:
            lines.append(escaped(company))
        if row.buyer_guest or buyer.get("guest") is True:
            lines.append(self.caption(self.tr("Guest purchase (no Allegro account)")))
        elif login := row.buyer_login or as_text(buyer.get("login")):
            lines.append(self.caption(self.tr("Login:")) + " " + escaped(login))
        if email := row.buyer_email or as_text(buyer.get("email")):
            lines.append(f'<a href="mailto:{html.escape(email, quote=True)}">'
                         f"{escaped(email)}</a>")
        if phone := row.buyer_phone or as_text(buyer.get("phoneNumber")):
            lines.append(self.caption(self.tr("Phone:")) + " " + escaped(phone_text(phone)))
        return "<br>".join(lines)
