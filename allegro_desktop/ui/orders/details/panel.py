"""The order details panel: everything about one order, on the right of the orders workspace.

It shows what a seller needs to handle an order without opening allegro.pl: who bought, where
the parcel goes (address or pickup point), what was bought and for how much, how it was paid,
the invoice data, the buyer's message, the seller's note and the order's journal. The typed
`OrderDetails.row` gives the table's values; the rest (address lines, the pickup point's
address, the invoice address, surcharges) exists only in the checkout form as Allegro sent it
(`OrderDetails.form`), so it is read from there — tolerantly: Allegro may send `null` for any
of it, and a field missing just leaves its line out.

The panel shows the header and the sections, one module each (`section.py` is their base:
one rich-text label built from escaped text), top to bottom; showing another order only sets
texts: no widgets are created or destroyed. The panel never opens a URL itself: links and
"Open in Allegro" are signals, and the window decides (`QDesktopServices`).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import allegro_order_url, count_grouped
from allegro_desktop.ui.orders.details.buyer import BuyerSection
from allegro_desktop.ui.orders.details.delivery import DeliverySection
from allegro_desktop.ui.orders.details.header import DetailsHeader
from allegro_desktop.ui.orders.details.history import HistorySection
from allegro_desktop.ui.orders.details.invoice import InvoiceSection
from allegro_desktop.ui.orders.details.items import ItemsSection
from allegro_desktop.ui.orders.details.notes import BuyerMessageSection, SellerNoteSection
from allegro_desktop.ui.orders.details.payment import PaymentSection
from allegro_desktop.ui.orders.details.section import DetailsSection, muted_colour

__all__ = ["SECTIONS", "OrderDetailsPanel"]

# The sections of the panel, top to bottom (also their object names: "<name>Section").
# The buyer's message and the seller's note come first: they change how the order is handled.
SECTIONS: Final = ("message", "note", "buyer", "delivery", "items", "payment", "invoice",
                   "timeline")


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
        self._header = DetailsHeader(content)
        self._header.copy_clicked.connect(self._on_header_copy_clicked)
        self._header.open_clicked.connect(self._on_header_open_clicked)
        layout.addWidget(self._header)
        self._content_layout = layout
        sections: tuple[DetailsSection, ...] = (
            BuyerMessageSection(content), SellerNoteSection(content), BuyerSection(content),
            DeliverySection(content), (items := ItemsSection(content, sandbox=sandbox)),
            PaymentSection(content), InvoiceSection(content), HistorySection(content))
        self._items = items
        self._sections = {section.name: section for section in sections}
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

    # -- public ----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Wide enough for the order id on one line (the splitter's first width; the seller
        drags it wider or narrower): the table beside it matters more than the rest of the
        panel, whose texts wrap."""
        margins = self._content_layout.contentsMargins()
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(self._header.id_row_width() + margins.left() + margins.right()
                     + scroll_bar + 12, super().sizeHint().height())

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

    def add_top_widget(self, widget: QWidget) -> None:
        """Put `widget` above the details (and the several-orders state): e.g. the order
        processing bar."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def add_section_widget(self, widget: QWidget) -> None:
        """Put `widget` right under the header, scrolling with the details (shown for one
        order only): e.g. the seller's tags and private note."""
        self._content_layout.insertWidget(1, widget)

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
        self._items.sandbox = sandbox
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

    def _on_header_open_clicked(self) -> None:
        url = self.allegro_url()
        if url is not None:
            self.open_in_allegro_requested.emit(url)

    def _on_header_copy_clicked(self) -> None:
        order_id = self.order_id
        if order_id is None:
            return
        QGuiApplication.clipboard().setText(order_id)
        self._header.show_copied()
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
                self._message.setText(count_grouped(
                    self.tr("%Ln orders selected", "", self._many), self._many, QLocale()))
            self._stack.setCurrentWidget(self._message)
            return
        locale = self.locale()
        muted = muted_colour(self.palette())
        self._header.show_order(details.row, locale)
        for name, section in self._sections.items():
            section.show_order(details, locale, muted)
            self._rules[name].setVisible(not section.isHidden())
        self._stack.setCurrentWidget(self._scroll)
