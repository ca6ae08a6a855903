"""Packing slips and pick lists as PDF (no Qt): what the window prints and saves and what
`allegro-desktop print` writes.

- `render_packing_slips`: a slip per order — the order id as text and as a QR code, buyer,
  delivery address or pickup point, every item (quantity, name, SKU and offer id), the buyer's
  message and the seller's note (`note_of`) — on A4 pages or 100×150 mm labels; an order with
  more items than a page holds continues on the next page, headed "continued";
- `render_pick_list`: the items of the chosen orders summed by SKU (else offer), each with the
  orders it goes to, on A4.

The PDF embeds the app's own DejaVu Sans (`resources/fonts`, its licence beside it), so Polish
letters print the same on every computer. Whatever Allegro sent is cleaned before it is laid
out (control and invisible characters dropped, glyphs the font lacks shown as "�",
right-to-left runs put in reading order) and cut to fit: a name takes at most a few lines and
ends with "…", a message a few more; a line too long for its cell is cut with "…" too. Each
order is laid out on its own: one that cannot be is left out with a `PrintProblem`, the others
are printed.

Why a QR code and not a Code 128: an order id is a 36-character UUID, which as Code 128 is
about 450 modules wide — 0.2 mm bars on a 100 mm label, finer than a 203 dpi label printer
prints reliably and than a handheld laser scanner reads well. As a QR code (version 3, error
correction M) it is a 25–30 mm square with 0.6–0.8 mm modules, read by any 2D imager, the
kind warehouses use now, and by a phone, even smudged.

Texts are in the seller's language through `Wording.translated` (the window passes
`ui.i18n.translated`; English by default), in the context "Printouts"; amounts and times as the
app writes them in that language, in the seller's time zone.
"""

from __future__ import annotations

import enum
import logging
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Final

import segno
from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.errors import FPDFException
from fpdf.fonts import TTFFont
from PIL import Image

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.orders import Money
from allegro_desktop.files.resources import resource_dir
from allegro_desktop.services.export import VALUE_LABELS
from allegro_desktop.services.printout_data import (
    PickLine,
    PrintProblem,
    Slip,
    SlipItem,
    pick_lines,
)
from allegro_desktop.services.time_zone import system_time_zone
from allegro_desktop.storage.times import local_time

__all__ = [
    "NoteOf",
    "Printout",
    "SlipSize",
    "Wording",
    "render_packing_slips",
    "render_pick_list",
]

log = logging.getLogger("allegro_desktop.services.printouts")

#: The seller's note of an order, by its id (None: no note).
NoteOf = Callable[[str], str | None]

_CONTEXT: Final = "Printouts"
_FAMILY: Final = "DejaVuSans"
_ELLIPSIS: Final = "…"
#: What a glyph the font lacks is shown as.
_MISSING: Final = "\ufffd"
#: The most of one value that is laid out (a 1 MB "name" is cut long before it is measured).
_MAX_TEXT: Final = 3000
_PT: Final = 25.4 / 72  # mm per point
#: Order lines of one pick-list row before it continues in a row of its own.
_PICK_ORDERS_PER_ROW: Final = 30
_RTL: Final = frozenset({"R", "AL"})
#: The QR codes' mask pattern, fixed: every mask is valid and read alike by scanners, and
#: trying all eight for the best score is two thirds of the time 500 slips take.
_QR_MASK: Final = 2
#: The quiet zone around a QR code, in modules (what ISO/IEC 18004 asks).
_QUIET: Final = 4
#: segno's modules (1 dark, 0 light) as grey pixels.
_DARK_ON_WHITE: Final = bytes.maketrans(b"\x00\x01", b"\xff\x00")


class SlipSize(enum.StrEnum):
    """The page a packing slip is printed on."""

    A4 = "a4"
    LABEL = "label"  # 100 × 150 mm, a label printer's usual shipping label


@dataclass(frozen=True)
class Wording:
    """The seller's language: `translated` turns a `Text` into it (English by default),
    `language` ("pl" or "en") decides how amounts and dates are written, `time_zone` the
    times' zone (None: the computer's)."""

    language: str = "en"
    translated: Callable[[Text], str] = str
    time_zone: tzinfo | None = field(default_factory=system_time_zone)

    def text(self, template: str, *args: object) -> str:
        return self.translated(Text(template, *args, context=_CONTEXT))

    def money(self, money: Money) -> str:
        """"1 245,00 zł" in Polish, "PLN 1,245.00" in English (the window's pl_PL/en_US)."""
        sign = "-" if money.amount < 0 else ""
        digits = f"{abs(money.amount):,.2f}"
        if self.language == "pl":
            symbol = _SYMBOLS.get(money.currency, money.currency)
            digits = digits.replace(",", "\u00a0").replace(".", ",")
            return f"{sign}{digits}\u00a0{symbol}"
        return f"{sign}{money.currency}\u00a0{digits}"

    def moment(self, moment: datetime) -> str:
        """A time in the seller's zone: "24.11.2026 14:03" (pl), "2026-11-24 14:03" (en)."""
        local = local_time(moment, self.time_zone) or moment
        return local.strftime("%d.%m.%Y %H:%M" if self.language == "pl" else "%Y-%m-%d %H:%M")

    def label(self, code: str | None) -> str | None:
        """An Allegro code (payment type…) by the export's label, translated."""
        if code is None:
            return None
        english = VALUE_LABELS.get(code)
        return code if english is None else self.translated(Text(english, context="OrderValue"))


_SYMBOLS: Final = {"PLN": "zł", "CZK": "Kč", "EUR": "€", "HUF": "Ft"}


@dataclass(frozen=True, slots=True)
class Printout:
    """A finished PDF: `pages`, the `orders` on it, and the orders left out (`problems`)."""

    pdf: bytes
    pages: int
    orders: int
    problems: tuple[PrintProblem, ...]


# -- page geometry -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Geometry:
    width: float
    height: float
    margin: float
    title: float  # font sizes, pt
    body: float
    small: float
    qr: float  # mm
    name_lines: int
    message_lines: int
    delivery_lines: int

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin


_A4: Final = _Geometry(width=210, height=297, margin=12, title=15, body=9.5, small=8, qr=30,
                       name_lines=3, message_lines=10, delivery_lines=9)
_LABEL: Final = _Geometry(width=100, height=150, margin=4, title=10, body=7.5, small=6.5,
                          qr=22, name_lines=2, message_lines=5, delivery_lines=7)


@dataclass(frozen=True, slots=True)
class _Style:
    size: float
    bold: bool = False

    @property
    def line(self) -> float:
        return self.size * _PT * 1.22


@dataclass(slots=True)
class _Cell:
    x: float
    width: float
    lines: list[tuple[str, _Style]]
    right: bool = False
    box: bool = False  # a tick box before the first line

    @property
    def height(self) -> float:
        return sum(style.line for _text, style in self.lines)


@dataclass(slots=True)
class _Row:
    cells: list[_Cell]
    rule: bool = False  # a thin line above it
    qr: str | None = None  # a QR code of this text at the right edge
    items_header: bool = False
    padding: float = 1.0

    def height(self, qr_size: float) -> float:
        content = max((cell.height for cell in self.cells), default=0.0)
        return max(content, qr_size if self.qr else 0.0) + 2 * self.padding


# -- text that always fits -----------------------------------------------------------------


class _Layout:
    """One PDF being made: its fonts, and the measuring, cleaning and cutting of text."""

    def __init__(self, geometry: _Geometry) -> None:
        self.geometry = geometry
        pdf = FPDF(unit="mm", format=(geometry.width, geometry.height))
        pdf.set_auto_page_break(False)
        pdf.set_margins(geometry.margin, geometry.margin)
        pdf.set_creator("Allegro Desktop")
        fonts = resource_dir() / "fonts"
        pdf.add_font(_FAMILY, "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font(_FAMILY, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.pdf = pdf
        regular, bold = pdf.fonts[_FAMILY.lower()], pdf.fonts[_FAMILY.lower() + "B"]
        assert isinstance(regular, TTFFont)
        assert isinstance(bold, TTFFont)
        #: Advance widths (1/1000 em) by code point: measuring a line sums them.
        self._widths: dict[bool, Mapping[int, float]] = {False: regular.cw, True: bold.cw}
        self._known = frozenset(regular.cmap) & frozenset(bold.cmap)
        self._current: _Style | None = None

    # measuring
    def width(self, text: str, style: _Style) -> float:
        widths = self._widths[style.bold]
        return sum(widths[ord(char)] for char in text) * style.size * 0.001 * _PT

    def clean(self, value: str | None, *, lines: bool = False) -> str:
        """`value` as the font can print it: control, format (bidi overrides, zero-width) and
        private characters dropped, line breaks kept only where `lines`, missing glyphs shown
        as "�", runs of spaces made one."""
        if not value:
            return ""
        text = value[:_MAX_TEXT]
        if not (text.isascii() and text.isprintable()):
            kept: list[str] = []
            known = self._known
            for char in text:
                if char in "\r\n\t\u2028\u2029":
                    kept.append("\n" if lines and char != "\t" else " ")
                    continue
                category = unicodedata.category(char)
                if category[0] == "C" or category in ("Zl", "Zp"):
                    continue
                kept.append(char if ord(char) in known else _MISSING)
            text = "".join(kept)
        if lines:
            return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        return " ".join(text.split())

    def fit(self, text: str, width: float, style: _Style) -> str:
        """`text` on one line of `width`, cut with "…" if it is longer."""
        if self.width(text, style) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest start that fits with the ellipsis
            middle = (low + high + 1) // 2
            if self.width(text[:middle] + _ELLIPSIS, style) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + _ELLIPSIS

    def wrap(self, text: str, width: float, style: _Style, max_lines: int) -> list[str]:
        """`text` in lines of `width` (at spaces; a word wider than a line is broken), at most
        `max_lines`, the last cut with "…" when more was left."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            for line in self._wrapped(paragraph, width, style):
                if len(lines) == max_lines:  # more is left: the last line says so
                    lines[-1] = self.fit(lines[-1] + _ELLIPSIS, width, style)
                    return [_visual(done) for done in lines]
                lines.append(line)
        return [_visual(line) for line in lines]

    def _wrapped(self, paragraph: str, width: float, style: _Style) -> Iterator[str]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if self.width(candidate, style) <= width:
                line = candidate
                continue
            if line:
                yield line
            rest = word
            while self.width(rest, style) > width:  # a word longer than the line
                piece = self.fit(rest, width, style)[:-1] or rest[:1]
                yield piece
                rest = rest[len(piece):]
            line = rest
        yield line

    # making cells
    def cell(self, x: float, width: float, *parts: tuple[str | None, _Style, int],
             right: bool = False, box: bool = False) -> _Cell:
        """A cell of texts (each: text, style, at most so many lines — 0: one line never
        cut, its letters made smaller to fit, for a quantity; empty texts left out)."""
        lines: list[tuple[str, _Style]] = []
        for value, style, max_lines in parts:
            text = self.clean(value, lines=max_lines > 1)
            if not text:
                continue
            if max_lines == 0:
                wide = self.width(text, style)
                lines.append((text, style if wide <= width
                              else _Style(style.size * width / wide, style.bold)))
            elif max_lines == 1:
                lines.append((_visual(self.fit(text, width, style)), style))
            else:
                lines.extend((line, style) for line in self.wrap(text, width, style, max_lines))
        return _Cell(x=x, width=width, lines=lines, right=right, box=box)

    # drawing
    def draw_page(self, rows: Sequence[_Row], footer: str) -> None:
        pdf, geometry = self.pdf, self.geometry
        pdf.add_page()
        self._current = None
        y = geometry.margin
        for row in rows:
            height = row.height(geometry.qr)
            if row.rule:
                pdf.set_line_width(0.2)
                pdf.line(geometry.margin, y, geometry.width - geometry.margin, y)
            for cell in row.cells:
                self._draw_cell(cell, y + row.padding)
            if row.qr:
                self._draw_qr(row.qr, geometry.width - geometry.margin - geometry.qr,
                              y + row.padding)
            y += height
        small = _Style(geometry.small)
        footer_text = self.fit(self.clean(footer), geometry.inner, small)
        self._font(small)
        pdf.text(geometry.margin, geometry.height - geometry.margin / 2 - 1, footer_text)

    def _font(self, style: _Style) -> None:
        if style != self._current:
            self.pdf.set_font(_FAMILY, "B" if style.bold else "", style.size)
            self._current = style

    def _draw_cell(self, cell: _Cell, top: float) -> None:
        y = top
        if cell.box:
            size = cell.width - 1.5
            self.pdf.set_line_width(0.3)
            self.pdf.rect(cell.x, y + 0.3, size, size)
        for text, style in cell.lines:
            self._font(style)
            x = cell.x
            if cell.right:
                x += cell.width - self.width(text, style)
            self.pdf.text(x, y + style.size * _PT * 0.9, text)
            y += style.line

    def _draw_qr(self, text: str, x: float, y: float) -> None:
        """The QR code of `text` with its quiet zone (4 modules), as a grey image of one
        pixel a module (ten times faster to embed than segno's PNG)."""
        code = segno.make(text, error="m", micro=False, mask=_QR_MASK)
        side = len(code.matrix) + 2 * _QUIET
        margin = b"\xff" * _QUIET
        pixels = b"".join((b"\xff" * side * _QUIET,
                           *(margin + bytes(row).translate(_DARK_ON_WHITE) + margin
                             for row in code.matrix),
                           b"\xff" * side * _QUIET))
        self.pdf.image(Image.frombytes("L", (side, side), pixels), x=x, y=y,
                       w=self.geometry.qr, h=self.geometry.qr)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _visual(line: str) -> str:
    """A line in the order its letters are seen: right-to-left runs (Hebrew, Arabic) reversed
    as the Unicode bidi algorithm says; any other line as it is."""
    if line.isascii() or not any(unicodedata.bidirectional(char) in _RTL for char in line):
        return line
    return str(BidiParagraph(line).get_reordered_string())


def _paginate(layout: _Layout, rows: Sequence[_Row],
              continued: Callable[[bool], list[_Row]]) -> list[list[_Row]]:
    """`rows` on pages: a row that does not fit what is left of a page starts the next one,
    which begins with `continued(items_header)` (the heading of a page that goes on)."""
    geometry = layout.geometry
    bottom = geometry.height - geometry.margin - geometry.small * _PT * 2
    pages: list[list[_Row]] = [[]]
    y = geometry.margin
    for row in rows:
        height = row.height(geometry.qr)
        if y + height > bottom and pages[-1]:
            heading = continued(row.items_header)
            pages.append(list(heading))
            y = geometry.margin + sum(r.height(geometry.qr) for r in heading)
        pages[-1].append(row)
        y += height
    return pages


# -- packing slips -------------------------------------------------------------------------


class _SlipLayout:
    """The rows of one order's slip."""

    def __init__(self, layout: _Layout, wording: Wording) -> None:
        self.layout = layout
        self.wording = wording
        g = layout.geometry
        self.title = _Style(g.title, bold=True)
        self.body = _Style(g.body)
        self.bold = _Style(g.body, bold=True)
        self.small = _Style(g.small)
        self.caption = _Style(g.small, bold=True)
        box = g.body * _PT + 1.5
        qty = 12.0 if g is _A4 else 8.0
        codes = 58.0 if g is _A4 else 27.0
        self.columns = (g.margin, box, g.margin + box, qty,
                        g.margin + box + qty + 1.5,
                        g.inner - box - qty - codes - 3.0,
                        g.width - g.margin - codes, codes)

    def _items_header(self) -> _Row:
        w = self.wording
        _box_x, _box_w, qty_x, qty_w, name_x, name_w, code_x, code_w = self.columns
        cell = self.layout.cell
        return _Row(cells=[
            cell(qty_x, qty_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "Qty")), self.caption, 1),
                 right=True),
            cell(name_x, name_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "Product")),
                                  self.caption, 1)),
            cell(code_x, code_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "SKU / offer")),
                                  self.caption, 1))], rule=True)

    def _item(self, item: SlipItem) -> _Row:
        w = self.wording
        box_x, box_w, qty_x, qty_w, name_x, name_w, code_x, code_w = self.columns
        cell = self.layout.cell
        sku = w.text(QT_TRANSLATE_NOOP("Printouts", "SKU %1"), item.sku) if item.sku else None
        return _Row(cells=[
            cell(box_x, box_w, ("", self.bold, 1), box=True),
            cell(qty_x, qty_w, (f"{item.quantity}\u00a0×", self.bold, 0), right=True),
            cell(name_x, name_w, (item.name or item.offer_id, self.body,
                                  self.layout.geometry.name_lines)),
            cell(code_x, code_w, (sku, self.bold, 2),
                 (w.text(QT_TRANSLATE_NOOP("Printouts", "Offer %1"), item.offer_id),
                  self.small, 1))], items_header=True)

    def rows(self, slip: Slip, note: str | None) -> tuple[list[_Row], Callable[[bool], list[_Row]]]:
        layout, w, g = self.layout, self.wording, self.layout.geometry
        cell = layout.cell
        head_width = g.inner - g.qr - 3
        when = w.text(QT_TRANSLATE_NOOP("Printouts", "Bought %1"), w.moment(slip.bought_at))
        total = w.text(QT_TRANSLATE_NOOP("Printouts", "Total %1"), w.money(slip.total))
        payment = w.label(slip.payment_type)
        rows = [_Row(cells=[cell(
            g.margin, head_width,
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Packing slip")), self.title, 1),
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Order")), self.small, 1),
            (slip.order_id, self.bold, 2),
            (f"{when} · {total}", self.small, 2),
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Payment: %1"), payment) if payment else None,
             self.small, 1))], qr=slip.order_id)]
        half = (g.inner - 3) / 2
        buyer_parts: list[tuple[str | None, _Style, int]] = [
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Buyer")), self.caption, 1),
            (slip.buyer_name, self.bold, 2),
            (slip.buyer_company if slip.buyer_company != slip.buyer_name else None,
             self.body, 2),
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Login: %1"), slip.buyer_login)
             if slip.buyer_login else None, self.small, 1),
            (w.text(QT_TRANSLATE_NOOP("Printouts", "Phone: %1"), slip.buyer_phone)
             if slip.buyer_phone else None, self.small, 1),
            (slip.buyer_email, self.small, 1)]
        where = (QT_TRANSLATE_NOOP("Printouts", "Pickup point") if slip.pickup_point
                 else QT_TRANSLATE_NOOP("Printouts", "Delivery address"))
        delivery_parts: list[tuple[str | None, _Style, int]] = [
            (w.text(where), self.caption, 1), (slip.delivery_method, self.small, 2)]
        lines = slip.delivery_lines[:g.delivery_lines]
        delivery_parts.extend((line, self.bold if n == 0 else self.body, 2)
                              for n, line in enumerate(lines))
        if not lines:
            delivery_parts.append((w.text(QT_TRANSLATE_NOOP(
                "Printouts", "The order has no delivery address.")), self.body, 2))
        rows.append(_Row(cells=[cell(g.margin, half, *buyer_parts),
                                cell(g.margin + half + 3, half, *delivery_parts)], rule=True))
        rows.append(self._items_header())
        rows.extend(self._item(item) for item in slip.items)
        pieces = sum(item.quantity for item in slip.items)
        rows.append(_Row(cells=[cell(g.margin, g.inner, (w.text(QT_TRANSLATE_NOOP(
            "Printouts", "Items: %1 · pieces: %2"), len(slip.items), pieces),
            self.caption, 1))], rule=True))
        for caption, text in ((QT_TRANSLATE_NOOP("Printouts", "Message from the buyer"),
                               slip.message),
                              (QT_TRANSLATE_NOOP("Printouts", "Seller's note"), note)):
            if layout.clean(text):
                rows.append(_Row(cells=[cell(g.margin, g.inner, (w.text(caption),
                                                                 self.caption, 1),
                                             (text, self.body, g.message_lines))], rule=True))

        def continued(items: bool) -> list[_Row]:
            heading = [_Row(cells=[cell(g.margin, g.inner, (w.text(QT_TRANSLATE_NOOP(
                "Printouts", "Order %1 (continued)"), slip.order_id), self.bold, 1))])]
            return [*heading, self._items_header()] if items else heading

        return rows, continued


def render_packing_slips(slips: Iterable[Slip], *, size: SlipSize = SlipSize.A4,
                         wording: Wording | None = None, note_of: NoteOf | None = None,
                         problems: Iterable[PrintProblem] = ()) -> Printout:
    """One packing slip per order of `slips`, on pages of `size`, as one PDF. `note_of`: the
    seller's note of an order id, None for none (default: the private note the slip was read
    with, `Slip.seller_note`). `problems`: orders
    already left out (`SlipBatch.problems`), passed on in the result with the ones this
    adds."""
    wording = wording or Wording()
    layout = _Layout(_A4 if size is SlipSize.A4 else _LABEL)
    slip_layout = _SlipLayout(layout, wording)
    left_out = list(problems)
    planned: list[tuple[Slip, list[list[_Row]]]] = []
    for slip in slips:
        try:
            note = note_of(slip.order_id) if note_of else slip.seller_note
            rows, continued = slip_layout.rows(slip, note)
            planned.append((slip, _paginate(layout, rows, continued)))
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError,
                FPDFException) as exc:
            log.exception("packing slip of %s not laid out", slip.order_id)
            left_out.append(_unprintable(slip.order_id, exc))
    for slip, pages in planned:
        for number, rows in enumerate(pages, start=1):
            layout.draw_page(rows, wording.text(QT_TRANSLATE_NOOP(
                "Printouts", "Order %1 · page %2 of %3"), slip.order_id, number, len(pages)))
    if not planned:
        _nothing(layout, wording)
    return Printout(pdf=layout.output(), pages=layout.pdf.pages_count, orders=len(planned),
                    problems=tuple(left_out))


def _unprintable(order_id: str, exc: Exception) -> PrintProblem:
    return PrintProblem(order_id, Text(QT_TRANSLATE_NOOP(
        "Errors", "This order could not be laid out on a page (%1); the others are printed."),
        type(exc).__name__))


def _nothing(layout: _Layout, wording: Wording) -> None:
    g = layout.geometry
    layout.draw_page([_Row(cells=[layout.cell(g.margin, g.inner, (wording.text(
        QT_TRANSLATE_NOOP("Printouts", "No orders to print.")), _Style(g.body), 2))])], "")


# -- the pick list -------------------------------------------------------------------------


def render_pick_list(slips: Iterable[Slip], *, wording: Wording | None = None,
                     problems: Iterable[PrintProblem] = ()) -> Printout:
    """The items of `slips` summed by SKU (else offer), each with the orders it goes to and
    how many each needs, on A4 (`pick_lines`)."""
    wording = wording or Wording()
    slips = list(slips)
    lines = pick_lines(slips)
    layout = _Layout(_A4)
    g, w, cell = layout.geometry, wording, layout.cell
    title, bold = _Style(g.title, bold=True), _Style(g.body, bold=True)
    small, caption = _Style(g.small), _Style(g.small, bold=True)
    box = g.body * _PT + 1.5
    qty_w, code_w, orders_w = 14.0, 34.0, 72.0
    qty_x = g.margin + box
    code_x = qty_x + qty_w + 2
    name_x = code_x + code_w + 2
    name_w = g.inner - box - qty_w - code_w - orders_w - 6
    orders_x = g.width - g.margin - orders_w
    pieces = sum(line.quantity for line in lines)

    def header() -> _Row:
        return _Row(cells=[
            cell(qty_x, qty_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "Qty")), caption, 1),
                 right=True),
            cell(code_x, code_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "SKU / offer")),
                                  caption, 1)),
            cell(name_x, name_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "Product")),
                                  caption, 1)),
            cell(orders_x, orders_w, (w.text(QT_TRANSLATE_NOOP("Printouts", "For orders")),
                                      caption, 1))], rule=True)

    rows = [_Row(cells=[cell(
        g.margin, g.inner, (w.text(QT_TRANSLATE_NOOP("Printouts", "Pick list")), title, 1),
        (w.text(QT_TRANSLATE_NOOP("Printouts", "Orders: %1 · products: %2 · pieces: %3"),
                len(slips), len(lines), pieces), small, 1))]), header()]
    left_out = list(problems)
    for line in lines:
        try:
            rows.extend(_pick_rows(layout, line, wording, (qty_x, qty_w, code_x, code_w,
                                                           name_x, name_w, orders_x,
                                                           orders_w, box)))
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError,
                FPDFException) as exc:
            log.exception("pick-list line of offer %s not laid out", line.offer_id)
            left_out.extend(_unprintable(order.order_id, exc) for order in line.orders)

    def continued(_items: bool) -> list[_Row]:
        return [_Row(cells=[cell(g.margin, g.inner, (w.text(QT_TRANSLATE_NOOP(
            "Printouts", "Pick list (continued)")), bold, 1))]), header()]

    pages = _paginate(layout, rows, continued)
    for number, page in enumerate(pages, start=1):
        layout.draw_page(page, w.text(QT_TRANSLATE_NOOP("Printouts", "Pick list · page %1 of %2"),
                                      number, len(pages)))
    return Printout(pdf=layout.output(), pages=layout.pdf.pages_count, orders=len(slips),
                    problems=tuple(left_out))


def _pick_rows(layout: _Layout, line: PickLine, wording: Wording,
               columns: tuple[float, ...]) -> list[_Row]:
    qty_x, qty_w, code_x, code_w, name_x, name_w, orders_x, orders_w, box = columns
    g, w, cell = layout.geometry, wording, layout.cell
    body, bold, small = _Style(g.body), _Style(g.body, bold=True), _Style(g.small)
    order_style = _Style(g.small - 0.5)  # a whole order id in the column
    orders = [(f"{order.quantity}\u00a0×  {order.order_id}", order_style, 1)
              for order in line.orders]
    rows = [_Row(cells=[
        cell(g.margin, box, ("", bold, 1), box=True),
        cell(qty_x, qty_w, (f"{line.quantity}\u00a0×", bold, 0), right=True),
        cell(code_x, code_w, (line.sku, bold, 2),
             (w.text(QT_TRANSLATE_NOOP("Printouts", "Offer %1"), line.offer_id), small, 1)),
        cell(name_x, name_w, (line.name or line.offer_id, body, g.name_lines)),
        cell(orders_x, orders_w, *orders[:_PICK_ORDERS_PER_ROW])], rule=True)]
    for start in range(_PICK_ORDERS_PER_ROW, len(orders), _PICK_ORDERS_PER_ROW):
        rows.append(_Row(cells=[cell(orders_x, orders_w,
                                     *orders[start:start + _PICK_ORDERS_PER_ROW])],
                         padding=0.0))
    return rows
