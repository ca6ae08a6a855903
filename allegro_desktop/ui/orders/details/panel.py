"""The order details panel: everything about one order, on the right of the orders workspace.

It shows what a seller needs to handle an order without opening allegro.pl: who bought, where
the parcel goes (address or pickup point), what was bought and for how much, how it was paid,
the invoice data, the buyer's message, the seller's note and the order's journal. The typed
`OrderDetails.row` gives the table's values; the rest (address lines, the pickup point's
address, the invoice address, surcharges) exists only in the checkout form as Allegro sent it
(`OrderDetails.form`), so it is read from there — tolerantly: Allegro may send `null` for any
of it, and a field missing just leaves its line out.

Each section is one rich-text label (built from escaped text, never from raw HTML), so long
texts wrap at any panel width, everything is selectable, and showing another order only sets
texts: no widgets are created or destroyed. The panel never opens a URL itself: links and
"Open in Allegro" are signals, and the window decides (`QDesktopServices`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any, Final

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.api.parsing import parse_time
from allegro_desktop.domain.filters import QuickFilter, quick_filter_of
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus, PaymentType
from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import (
    allegro_order_url,
    country_label,
    date_text,
    datetime_text,
    event_type_label,
    fulfillment_label,
    marketplace_label,
    money_text,
    offer_url,
    payment_provider_label,
    payment_type_label,
    status_label,
)
from allegro_desktop.ui.orders.details.checkout_form import (
    as_mapping,
    as_money,
    as_sequence,
    as_text,
)
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["SECTIONS", "OrderDetailsPanel"]

# The sections of the panel, top to bottom (also their object names: "<name>Section").
# The buyer's message and the seller's note come first: they change how the order is handled.
SECTIONS: Final = ("message", "note", "buyer", "delivery", "items", "payment", "invoice",
                   "timeline")

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


def _box_sheet(box: str, dark: bool) -> str:
    return (f"QLabel {{ background: {colour(f'{box}.background', dark)}; "
            f"color: {colour(f'{box}.text', dark)}; border-radius: 4px; padding: 6px 8px; }}")


def _e(text: str) -> str:
    """Text made safe for a rich-text label; line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def _join(parts: Iterable[str | None], separator: str = " ") -> str | None:
    kept = [p for p in parts if p]
    return separator.join(kept) if kept else None


class _Section(QWidget):
    """A titled block of rich text; hidden while it has nothing to say."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = QLabel(self)
        self.title.setObjectName(f"{name}Title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.body = QLabel(self)
        self.body.setObjectName(f"{name}Body")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)
        # Ignored width: the label takes the panel's width and wraps, and a word longer than
        # the panel (an e-mail address) is cut in its own line instead of widening the panel.
        self.body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.body)

    def set_content(self, title: str, body_html: str | None) -> None:
        self.title.setText(title)
        self.body.setText(body_html or "")
        self.setVisible(bool(body_html))


class OrderDetailsPanel(QWidget):
    """One order's details (or an empty state, or "N orders selected").

    Signals:
        open_in_allegro_requested(str): the URL of the order's page on allegro.pl, when the
            user clicks "Open in Allegro".
        link_activated(str): a link in the panel was clicked (an offer, a mailto: address).
        order_id_copied(str): the order id was copied to the clipboard (the window may say so).
    """

    open_in_allegro_requested = Signal(str)
    link_activated = Signal(str)
    order_id_copied = Signal(str)

    def __init__(self, *, sandbox: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sandbox = sandbox
        self._details: OrderDetails | None = None
        self._many: int | None = None
        self.setObjectName("orderDetailsPanel")
        self.setMinimumWidth(300)

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._message = QLabel(self._stack)
        self._message.setObjectName("detailsMessage")
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setMargin(24)
        self._message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._stack.addWidget(self._message)

        self._scroll = QScrollArea(self._stack)
        self._scroll.setObjectName("detailsScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._stack.addWidget(self._scroll)

        content = QWidget(self._scroll)
        content.setObjectName("detailsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 14, 16, 16)
        layout.setSpacing(14)
        layout.addWidget(self._build_header(content))
        self._sections = {name: _Section(name, content) for name in SECTIONS}
        # What the buyer wrote and the seller's own note must not be overlooked: boxed.
        for name, box in (("message", "message"), ("note", "note.box")):
            follow_palette(self._sections[name].body, partial(_box_sheet, box))
        self._rules: dict[str, QFrame] = {}  # the line above each section, hidden with it
        for name in SECTIONS:
            rule = QFrame(content)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            holder = QVBoxLayout()
            holder.setSpacing(10)
            holder.addWidget(rule)
            holder.addWidget(self._sections[name])
            layout.addLayout(holder)
            self._rules[name] = rule
        layout.addStretch(1)
        self._scroll.setWidget(content)
        for section in self._sections.values():
            section.body.linkActivated.connect(self._on_section_link_activated)
        self._render()

    def _build_header(self, parent: QWidget) -> QWidget:
        header = QWidget(parent)
        header.setObjectName("detailsHeader")
        layout = QVBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self._title = QLabel(header)
        self._title.setObjectName("detailsTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)  # a buyer's name, never markup
        self._title.setWordWrap(True)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self._title.setFont(font)
        layout.addWidget(self._title)

        id_row = QHBoxLayout()
        id_row.setSpacing(4)
        self._order_id = QLabel(header)
        self._order_id.setObjectName("orderId")
        self._order_id.setTextFormat(Qt.TextFormat.PlainText)
        self._order_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._order_id.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._order_id.setWordWrap(True)  # an id is 36 characters: it wraps at its hyphens
        self._order_id.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        id_row.addWidget(self._order_id, 1)
        self._copy_button = QToolButton(header)
        self._copy_button.setObjectName("copyOrderIdButton")
        self._copy_button.setAutoRaise(True)
        self._copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._copy_button.clicked.connect(self._on_copy_clicked)
        id_row.addWidget(self._copy_button)
        layout.addLayout(id_row)

        self._meta = QLabel(header)
        self._meta.setObjectName("orderMeta")
        self._meta.setWordWrap(True)
        self._meta.setTextFormat(Qt.TextFormat.PlainText)
        self._meta.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self._meta)

        # One above the other: side by side, two long Polish labels ("Opłacone, do realizacji",
        # "Gotowe do odbioru") are wider than the panel may be.
        badges = QVBoxLayout()
        badges.setSpacing(4)
        self._status_badge = QLabel(header)
        self._status_badge.setObjectName("statusBadge")
        self._fulfillment_badge = QLabel(header)
        self._fulfillment_badge.setObjectName("fulfillmentBadge")
        for badge in (self._status_badge, self._fulfillment_badge):
            badge.setTextFormat(Qt.TextFormat.PlainText)
            badges.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(badges)

        total_row = QHBoxLayout()
        total_row.setSpacing(8)
        self._total = QLabel(header)
        self._total.setObjectName("orderTotal")
        self._total.setTextFormat(Qt.TextFormat.PlainText)
        self._total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = self._total.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self._total.setFont(big)
        total_row.addWidget(self._total, 1)
        self._open_button = QPushButton(header)
        self._open_button.setObjectName("openInAllegroButton")
        self._open_button.clicked.connect(self._on_open_clicked)
        total_row.addWidget(self._open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(total_row)
        return header

    # -- public ----------------------------------------------------------------------------

    def show_order(self, details: OrderDetails | None) -> None:
        """Show this order (None: the empty state). Showing the order already shown (after a
        sync changed it) keeps the scroll position; another order starts at the top."""
        same = (details is not None and self._details is not None
                and details.row.id == self._details.row.id and self._many is None)
        self._details = details
        self._many = None
        position = self._scroll.verticalScrollBar().value()
        self._render()
        self._scroll.verticalScrollBar().setValue(position if same else 0)

    def show_many(self, count: int) -> None:
        """Several orders are selected: say how many instead of one's details."""
        self._details = None
        self._many = count
        self._render()

    @property
    def details(self) -> OrderDetails | None:
        """The order shown, if one is."""
        return self._details

    @property
    def order_id(self) -> str | None:
        return self._details.row.id if self._details is not None else None

    @property
    def state(self) -> str:
        """"empty", "many" or "order": what the panel shows."""
        if self._details is not None:
            return "order"
        return "many" if self._many is not None else "empty"

    @property
    def message_text(self) -> str:
        """The text of the empty / several-orders state."""
        return self._message.text()

    @property
    def sandbox(self) -> bool:
        return self._sandbox

    def set_sandbox(self, sandbox: bool) -> None:
        """Whether links go to Allegro's sandbox (the shown order's account is a sandbox one)."""
        self._sandbox = sandbox
        self._render()

    def section_text(self, name: str) -> str:
        """A section's text as plain text ("" while it is hidden): what a reader sees."""
        section = self._sections[name]
        if section.isHidden():
            return ""
        body = QTextDocumentFragment.fromHtml(section.body.text()).toPlainText()
        return f"{section.title.text()}\n{body}"

    def allegro_url(self) -> str | None:
        """Where "Open in Allegro" goes for the order shown."""
        if self._details is None:
            return None
        return allegro_order_url(self._details.row.id, self._sandbox)

    # -- events ----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Texts again in a new language, locale or palette (caption colours)."""
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.LocaleChange,
                            QEvent.Type.PaletteChange):
            self._render()
        super().changeEvent(event)

    def _on_open_clicked(self) -> None:
        url = self.allegro_url()
        if url is not None:
            self.open_in_allegro_requested.emit(url)

    def _on_copy_clicked(self) -> None:
        order_id = self.order_id
        if order_id is None:
            return
        QGuiApplication.clipboard().setText(order_id)
        self._copy_button.setText(self.tr("Copied"))
        self.order_id_copied.emit(order_id)

    def _on_section_link_activated(self, link: str) -> None:
        self.link_activated.emit(link)

    # -- rendering -------------------------------------------------------------------------

    def _render(self) -> None:
        details = self._details
        if details is None:
            if self._many is None:
                self._message.setText(self.tr("Select an order to see its details"))
            elif self._many == 1:
                self._message.setText(self.tr("1 order selected"))
            else:
                self._message.setText(self.tr("%n orders selected", "", self._many))
            self._stack.setCurrentWidget(self._message)
            return
        locale = self.locale()
        self._render_header(details, locale)
        contents = {
            "buyer": (self.tr("Buyer"), self._buyer_html(details)),
            "delivery": (self.tr("Delivery"), self._delivery_html(details, locale)),
            "items": (self.tr("Items"), self._items_html(details, locale)),
            "payment": (self.tr("Payment"), self._payment_html(details, locale)),
            "invoice": (self.tr("Invoice"), self._invoice_html(details)),
            "message": (self.tr("Message from the buyer"), self._text_html(
                details.row.message_to_seller or as_text(details.form.get("messageToSeller")))),
            "note": (self.tr("Your note"), self._text_html(
                details.row.note or as_text(as_mapping(details.form.get("note")).get("text")))),
            "timeline": (self.tr("History"), self._timeline_html(details, locale)),
        }
        for name, (title, body) in contents.items():
            self._sections[name].set_content(title, body)
            self._rules[name].setVisible(bool(body))
        self._stack.setCurrentWidget(self._scroll)

    def _muted(self) -> str:
        """The colour of secondary text (captions): the text colour part-way to the
        background, so it fits dark themes too (rich text ignores the placeholder's alpha)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        back = palette.color(QPalette.ColorRole.Window)
        mix = QColor.fromRgbF(*(a * 0.6 + b * 0.4 for a, b in (
            (text.redF(), back.redF()), (text.greenF(), back.greenF()),
            (text.blueF(), back.blueF()))))
        return mix.name()

    def _caption(self, text: str) -> str:
        return f'<span style="color:{self._muted()}">{_e(text)}</span>'

    def _render_header(self, details: OrderDetails, locale: QLocale) -> None:
        row = details.row
        self._title.setText(row.display_name or row.buyer_login or self.tr("Order"))
        self._order_id.setText(row.id)
        self._order_id.setToolTip(self.tr("Allegro's id of this order"))
        self._copy_button.setText(self.tr("Copy"))
        self._copy_button.setToolTip(self.tr("Copy the order id"))
        self._meta.setText(_join([
            self.tr("Bought %1").replace("%1", datetime_text(row.bought_at, locale)),
            marketplace_label(row.marketplace_id)], "  ·  ") or "")
        stage = quick_filter_of(row.status, row.fulfillment_status)
        self._status_badge.setText(status_label(row.status))
        follow_palette(self._status_badge,
                       partial(_badge_sheet, _STAGE_COLOURS.get(stage, _STAGE_COLOURS[None])))
        self._status_badge.setToolTip(self.tr("The buyer's side of the order"))
        fulfillment = fulfillment_label(row.fulfillment_status)
        if fulfillment == status_label(row.status) or (
                row.fulfillment_status == FulfillmentStatus.NEW
                and row.status != OrderStatus.READY_FOR_PROCESSING):
            fulfillment = ""  # "Cancelled" twice, or "New" of an order not paid yet
        self._fulfillment_badge.setText(fulfillment)
        self._fulfillment_badge.setStyleSheet(
            "QLabel { border: 1px solid palette(mid); border-radius: 4px; padding: 1px 7px; }")
        self._fulfillment_badge.setToolTip(self.tr("Your status of the order (shipping)"))
        self._fulfillment_badge.setVisible(bool(fulfillment))
        self._total.setText(money_text(row.total, locale))
        self._total.setToolTip(self.tr("Total to pay, delivery included"))
        self._open_button.setText(self.tr("Open in Allegro"))
        self._open_button.setToolTip(self.tr("Open this order in My Allegro in your browser"))

    def _buyer_html(self, details: OrderDetails) -> str:
        row = details.row
        buyer = as_mapping(details.form.get("buyer"))
        lines: list[str] = []
        name = row.buyer_name or _join([as_text(buyer.get("firstName")),
                                        as_text(buyer.get("lastName"))])
        company = row.buyer_company or as_text(buyer.get("companyName"))
        if name:
            lines.append(f"<b>{_e(name)}</b>")
        if company and company != name:
            lines.append(_e(company))
        if row.buyer_guest or buyer.get("guest") is True:
            lines.append(self._caption(self.tr("Guest purchase (no Allegro account)")))
        elif login := row.buyer_login or as_text(buyer.get("login")):
            lines.append(self._caption(self.tr("Login:")) + " " + _e(login))
        if email := row.buyer_email or as_text(buyer.get("email")):
            lines.append(f'<a href="mailto:{html.escape(email, quote=True)}">{_e(email)}</a>')
        if phone := row.buyer_phone or as_text(buyer.get("phoneNumber")):
            lines.append(self._caption(self.tr("Phone:")) + " " + _e(phone))
        return "<br>".join(lines)

    def _address_lines(self, address: Mapping[str, Any], zip_key: str = "zipCode") -> list[str]:
        """Street, "zip city", country of an address object."""
        lines = []
        if street := as_text(address.get("street")):
            lines.append(_e(street))
        if place := _join([as_text(address.get(zip_key)), as_text(address.get("city"))]):
            lines.append(_e(place))
        if country := as_text(address.get("countryCode")):
            lines.append(_e(country_label(country)))
        return lines

    def _delivery_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        delivery = as_mapping(details.form.get("delivery"))
        method = row.delivery_method or as_text(as_mapping(delivery.get("method")).get("name"))
        lines: list[str] = []
        if method:
            lines.append(f"<b>{_e(method)}</b>")
        address = as_mapping(delivery.get("address"))
        point = as_mapping(delivery.get("pickupPoint"))
        recipient = _join([as_text(address.get("firstName")), as_text(address.get("lastName"))])
        if point:
            name = as_text(point.get("name")) or row.pickup_point_name
            point_id = as_text(point.get("id")) or row.pickup_point_id
            lines.append(self._caption(self.tr("Pickup point:")) + " " + _e(name or point_id
                                                                             or ""))
            if point_id and point_id != name and (name is None or point_id not in name):
                lines.append(self._caption(self.tr("Point id:")) + " " + _e(point_id))
            if description := as_text(point.get("description")):
                lines.append(self._caption(_e(description)))
            lines.extend(self._address_lines(as_mapping(point.get("address"))))
            if recipient:
                lines.append(self._caption(self.tr("Recipient:")) + " " + _e(recipient))
        elif address:
            if recipient:
                lines.append(_e(recipient))
            if company := as_text(address.get("companyName")):
                lines.append(_e(company))
            lines.extend(self._address_lines(address))
        else:  # no form address: what the table knows
            if place := _join([row.zip_code, row.city]):
                lines.append(_e(place))
            if row.country_code:
                lines.append(_e(country_label(row.country_code)))
        if phone := as_text(address.get("phoneNumber")):
            lines.append(self._caption(self.tr("Phone:")) + " " + _e(phone))
        if modified := parse_time(address.get("modifiedAt")):
            lines.append(self._caption(self.tr("Address changed by the buyer %1").replace(
                "%1", datetime_text(modified, locale))))
        cost = row.delivery_cost or as_money(delivery.get("cost"))
        if cost is not None:
            lines.append(self._caption(self.tr("Delivery cost:")) + " "
                         + _e(money_text(cost, locale)))
        dispatch = as_mapping(as_mapping(delivery.get("time")).get("dispatch"))
        dispatch_by = parse_time(dispatch.get("to"))
        if dispatch_by is not None and quick_filter_of(row.status, row.fulfillment_status) in (
                QuickFilter.TO_PROCESS, QuickFilter.PROCESSING):  # still to be sent
            lines.append(self._caption(self.tr("Ship by:")) + " "
                         + _e(date_text(dispatch_by, locale)))
        return "<br>".join(lines)

    def _items_html(self, details: OrderDetails, locale: QLocale) -> str:
        blocks: list[str] = []
        for item in details.line_items:
            link = offer_url(item.offer_id, self._sandbox)
            title = (f'<a href="{html.escape(link, quote=True)}">'
                     f"{_e(item.offer_name or item.offer_id)}</a>")
            codes = [self.tr("SKU: %1").replace("%1", item.external_id)
                     if item.external_id else None,
                     self.tr("Offer %1").replace("%1", item.offer_id)]
            price = _e(money_text(item.price, locale))
            if item.original_price.amount > item.price.amount \
                    and item.original_price.currency == item.price.currency:
                price = f"<s>{_e(money_text(item.original_price, locale))}</s> {price}"
            amount = (f"{_e(locale.toString(item.quantity))} × {price} = "
                      f"<b>{_e(money_text(item.total, locale))}</b>")
            blocks.append(f"{title}<br>{self._caption(_join(codes, '  ·  ') or '')}"
                          f"<br>{amount}")
        if not blocks:
            return ""
        row = details.row
        summary: list[str] = []
        cost = row.delivery_cost or as_money(as_mapping(details.form.get("delivery")).get("cost"))
        if cost is not None:
            summary.append(self._caption(self.tr("Delivery:")) + " "
                           + _e(money_text(cost, locale)))
        summary.append(self._caption(self.tr("Total to pay:")) + " "
                       + f"<b>{_e(money_text(row.total, locale))}</b>")
        return "<br><br>".join(blocks) + "<br><br>" + "<br>".join(summary)

    def _payment_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        payment = as_mapping(details.form.get("payment"))
        lines: list[str] = []
        kind = row.payment_type or as_text(payment.get("type"))
        provider = row.payment_provider or as_text(payment.get("provider"))
        method = _join([payment_type_label(kind),
                        payment_provider_label(provider)
                        if provider and provider != "OFFLINE" else None], "  ·  ")
        if method:
            lines.append(f"<b>{_e(method)}</b>")
        paid_at = row.paid_at or parse_time(payment.get("finishedAt"))
        if paid_at is not None:
            lines.append(self.tr("Paid %1").replace("%1", _e(datetime_text(paid_at, locale))))
        elif kind == PaymentType.CASH_ON_DELIVERY:
            lines.append(self.tr("To be paid on delivery"))
        elif row.status == "CANCELLED":
            lines.append(self._caption(self.tr("Not paid")))
        else:
            lines.append(f'<span style="color:{colour("badge.red.text")}">'
                         f'{_e(self.tr("Not paid"))}</span>')
        if (paid := as_money(payment.get("paidAmount"))) is not None:
            lines.append(self._caption(self.tr("Amount paid:")) + " "
                         + _e(money_text(paid, locale)))
        for surcharge in as_sequence(details.form.get("surcharges")):
            data = as_mapping(surcharge)
            amount = as_money(data.get("paidAmount"))
            if amount is None:
                continue
            when = parse_time(data.get("finishedAt"))
            text = self.tr("Surcharge: %1").replace("%1", money_text(amount, locale))
            if when is not None:
                text += ", " + datetime_text(when, locale)
            lines.append(_e(text))
        return "<br>".join(lines)

    def _invoice_html(self, details: OrderDetails) -> str:
        row = details.row
        invoice = as_mapping(details.form.get("invoice"))
        required = row.invoice_required or invoice.get("required") is True
        if not required:
            return self._caption(self.tr("No invoice requested"))
        requested = self.tr("Invoice requested")
        lines = [f"<b>{_e(requested)}</b>"]
        address = as_mapping(invoice.get("address"))
        company = as_mapping(address.get("company"))
        person = as_mapping(address.get("naturalPerson"))
        if name := as_text(company.get("name")) or row.invoice_company:
            lines.append(_e(name))
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
            lines.append(self._caption(label) + " " + _e(value))
        if person_name := _join([as_text(person.get("firstName")),
                                 as_text(person.get("lastName"))]):
            lines.append(_e(person_name))
        lines.extend(self._address_lines(address))
        if due := as_text(invoice.get("dueDate")):
            lines.append(self._caption(self.tr("Payment due:")) + " " + _e(due))
        return "<br>".join(lines)

    def _text_html(self, text: str | None) -> str:
        return _e(text) if text else ""

    def _timeline_html(self, details: OrderDetails, locale: QLocale) -> str:
        if not details.events:
            return self._caption(self.tr(
                "No events are stored for this order (Allegro keeps its order journal for 60 "
                "days)."))
        muted = self._muted()
        rows = [f'<tr><td style="color:{muted}; padding-right:10px">'
                f"{_e(datetime_text(event.occurred_at, locale))}</td>"
                f"<td>{_e(event_type_label(event.type))}</td></tr>"
                for event in details.events]
        return "<table cellspacing=0 cellpadding=1>" + "".join(rows) + "</table>"
