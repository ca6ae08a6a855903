"""What the invoice tests share: a small PDF (with Polish letters in a comment) and an order's
`invoice` object for a buyer who asked for an invoice, and a paid order made with it in the
emulator (its id)."""

from __future__ import annotations

from typing import Any, Protocol

PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
       b"% Faktura VAT \xc5\xbc\xc3\xb3\xc5\x82\xc4\x87\ntrailer << /Root 1 0 R >>\n%%EOF\n")
INVOICE_WANTED = {"required": True, "address": {
    "street": "Długa 5", "city": "Gdańsk", "zipCode": "80-831", "countryCode": "PL",
    "company": {"name": "Zakład Stolarski Żak", "taxId": "5252248481"}, "naturalPerson": None}}


class _Controlled(Protocol):
    def control(self, method: str, path: str, json: Any = None) -> Any: ...


def new_paid_order(emu: _Controlled, *, invoice: bool) -> str:
    """A new paid order at fulfillment status NEW whose buyer asked for an invoice (or not)."""
    form: dict[str, Any] = {"status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}
    if invoice:
        form["invoice"] = INVOICE_WANTED
    return str(emu.control("POST", "/orders", {"checkoutForm": form})["checkoutForms"][0]["id"])
