"""`DetailsSection`, the base of the details panel's sections: a bold title over one rich-text
label, hidden while it has nothing to say; and the rich-text helpers the sections share.

A section is built from escaped text, never from raw HTML (what Allegro sends is the buyer's
text); long texts wrap at any panel width, everything is selectable, and links are not opened
here: the panel passes them on. Showing another order only sets texts.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import country_label
from allegro_desktop.ui.orders.details.checkout_form import as_text

__all__ = ["DetailsSection", "address_lines", "escaped", "joined", "muted_colour"]


def escaped(text: str) -> str:
    """Text made safe for a rich-text label; line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def joined(parts: Iterable[str | None], separator: str = " ") -> str | None:
    """The parts that are there, joined; None when none is."""
    kept = [p for p in parts if p]
    return separator.join(kept) if kept else None


def address_lines(address: Mapping[str, Any], zip_key: str = "zipCode") -> list[str]:
    """Street, "zip city", country of an address object of the form (escaped)."""
    lines = []
    if street := as_text(address.get("street")):
        lines.append(escaped(street))
    if place := joined([as_text(address.get(zip_key)), as_text(address.get("city"))]):
        lines.append(escaped(place))
    if country := as_text(address.get("countryCode")):
        lines.append(escaped(country_label(country)))
    return lines


def muted_colour(palette: QPalette) -> str:
    """The colour of secondary text (captions): the text colour part-way to the background,
    so it fits dark themes too (rich text ignores the placeholder's alpha)."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = QColor.fromRgbF(*(a * 0.6 + b * 0.4 for a, b in (
        (text.redF(), back.redF()), (text.greenF(), back.greenF()),
        (text.blueF(), back.blueF()))))
    return mix.name()


class DetailsSection(QWidget):
    """A titled block of rich text; hidden while it has nothing to say.

    A section says its `name` (its object names are "<name>Section", "<name>Title" and
    "<name>Body"), its title (`title_text`) and what it shows of an order (`body_html`: ""
    hides it). `title` and `body` are its labels; `caption_colour` is the colour of its
    captions, the panel's `muted_colour`.
    """

    name: ClassVar[str]

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.caption_colour = muted_colour(self.palette())
        self.setObjectName(f"{self.name}Section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = QLabel(self)
        self.title.setObjectName(f"{self.name}Title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.body = QLabel(self)
        self.body.setObjectName(f"{self.name}Body")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)
        # Ignored width: the label takes the panel's width and wraps, and a word longer than
        # the panel (an e-mail address) is cut in its own line instead of widening the panel.
        self.body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.body)

    def title_text(self) -> str:
        raise NotImplementedError

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        raise NotImplementedError

    def show_order(self, details: OrderDetails, locale: QLocale, caption_colour: str) -> None:
        """Show what this section says of the order (hidden if nothing), its captions in
        `caption_colour` (the panel's: when the panel's palette changes, its sections' are
        not updated yet)."""
        self.caption_colour = caption_colour
        body = self.body_html(details, locale)
        self.title.setText(self.title_text())
        self.body.setText(body)
        self.setVisible(bool(body))

    def caption(self, text: str) -> str:
        """`text` as a caption (muted), escaped."""
        return f'<span style="color:{self.caption_colour}">{escaped(text)}</span>'
