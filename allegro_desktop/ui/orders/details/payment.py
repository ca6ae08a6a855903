"""How the order was paid, in the details panel: the method and provider, when it was paid
(or that it is to be paid on delivery, or not paid), the amount paid and any surcharges."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from allegro_desktop.api.parsing import parse_time
from allegro_desktop.domain.orders import PaymentType
from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import (
    datetime_text,
    money_text,
    payment_provider_label,
    payment_type_label,
)
from allegro_desktop.ui.orders.details.checkout_form import (
    as_mapping,
    as_money,
    as_sequence,
    as_text,
)
from allegro_desktop.ui.orders.details.section import DetailsSection, escaped, joined
from allegro_desktop.ui.theme import colour

__all__ = ["PaymentSection"]


class PaymentSection(DetailsSection):
    """The payment; "Not paid" in red unless the order is cancelled."""

    name = "payment"

    def title_text(self) -> str:
        return self.tr("Payment")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        payment = as_mapping(details.form.get("payment"))
        lines: list[str] = []
        kind = row.payment_type or as_text(payment.get("type"))
        provider = row.payment_provider or as_text(payment.get("provider"))
        method = joined([payment_type_label(kind),
                         payment_provider_label(provider)
                         if provider and provider != "OFFLINE" else None], "  ·  ")
        if method:
            lines.append(f"<b>{escaped(method)}</b>")
        paid_at = row.paid_at or parse_time(payment.get("finishedAt"))
        if paid_at is not None:
            lines.append(self.tr("Paid %1").replace("%1",
                                                    escaped(datetime_text(paid_at, locale))))
        elif kind == PaymentType.CASH_ON_DELIVERY:
            lines.append(self.tr("To be paid on delivery"))
        elif row.status == "CANCELLED":
            lines.append(self.caption(self.tr("Not paid")))
        else:
            lines.append(f'<span style="color:{colour("badge.red.text")}">'
                         f'{escaped(self.tr("Not paid"))}</span>')
        if (paid := as_money(payment.get("paidAmount"))) is not None:
            lines.append(self.caption(self.tr("Amount paid:")) + " "
                         + escaped(money_text(paid, locale)))
        for surcharge in as_sequence(details.form.get("surcharges")):
            data = as_mapping(surcharge)
            amount = as_money(data.get("paidAmount"))
            if amount is None:
                continue
            when = parse_time(data.get("finishedAt"))
            text = self.tr("Surcharge: %1").replace("%1", money_text(amount, locale))
            if when is not None:
                text += ", " + datetime_text(when, locale)
            lines.append(escaped(text))
        return "<br>".join(lines)
