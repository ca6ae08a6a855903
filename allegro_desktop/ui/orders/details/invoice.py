"""The invoice data, in the details panel: whether the buyer asked for an invoice and, if so,
for whom — company, tax ids (NIP, VAT EU, …), person, address — and the payment due date."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.orders.details.checkout_form import as_mapping, as_sequence, as_text
from allegro_desktop.ui.orders.details.section import (
    DetailsSection,
    address_lines,
    escaped,
    joined,
)

__all__ = ["InvoiceSection"]


class InvoiceSection(DetailsSection):
    """The invoice: "No invoice requested", or the data Allegro has for it."""

    name = "invoice"

    def title_text(self) -> str:
        return self.tr("Invoice")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        invoice = as_mapping(details.form.get("invoice"))
        required = row.invoice_required or invoice.get("required") is True
        if not required:
            return self.caption(self.tr("No invoice requested"))
        requested = self.tr("Invoice requested")
        lines = [f"<b>{escaped(requested)}</b>"]
        address = as_mapping(invoice.get("address"))
        company = as_mapping(address.get("company"))
        person = as_mapping(address.get("naturalPerson"))
        if name := as_text(company.get("name")) or row.invoice_company:
            lines.append(escaped(name))
        ids = [(as_text(as_mapping(entry).get("type")), as_text(as_mapping(entry).get("value")))
               for entry in as_sequence(company.get("ids"))]
        shown = [(kind, value) for kind, value in ids if value]
        if not shown and (nip := row.invoice_nip or as_text(company.get("taxId"))):
            shown = [("PL_NIP", nip)]
        for kind, value in shown:
            assert value is not None
            label = self.tr("NIP:") if kind == "PL_NIP" else (
                self.tr("VAT EU:") if kind == "VAT_EU" else
                self.tr("%1:").replace("%1", kind or self.tr("Tax id")))
            lines.append(self.caption(label) + " " + escaped(value))
        if person_name := joined([as_text(person.get("firstName")),
                                  as_text(person.get("lastName"))]):
            lines.append(escaped(person_name))
        lines.extend(address_lines(address))
        if due := as_text(invoice.get("dueDate")):
            lines.append(self.caption(self.tr("Payment due:")) + " " + escaped(due))
        return "<br>".join(lines)
