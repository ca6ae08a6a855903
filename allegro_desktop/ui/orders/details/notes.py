"""The buyer's message and the seller's own note: free texts at the top of the details panel,
boxed so that they are not overlooked (they change how the order is handled)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.orders.details.checkout_form import as_mapping, as_text
from allegro_desktop.ui.orders.details.section import DetailsSection, escaped
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["BuyerMessageSection", "SellerNoteSection"]


def _box_sheet(box: str, dark: bool) -> str:
    return (f"QLabel {{ background: {colour(f'{box}.background', dark)}; "
            f"color: {colour(f'{box}.text', dark)}; border-radius: 4px; padding: 6px 8px; }}")


def _text_html(text: str | None) -> str:
    return escaped(text) if text else ""


class BuyerMessageSection(DetailsSection):
    """What the buyer wrote to the seller with the purchase."""

    name = "message"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        follow_palette(self.body, partial(_box_sheet, "message"))

    def title_text(self) -> str:
        return self.tr("Message from the buyer")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        return _text_html(details.row.message_to_seller
                          or as_text(details.form.get("messageToSeller")))


class SellerNoteSection(DetailsSection):
    """The seller's own note on the order."""

    name = "note"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        follow_palette(self.body, partial(_box_sheet, "note.box"))

    def title_text(self) -> str:
        return self.tr("Your note")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        return _text_html(details.row.note
                          or as_text(as_mapping(details.form.get("note")).get("text")))
