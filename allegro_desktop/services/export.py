"""The order export: the stored orders of a filter written to CSV, XLSX or JSON, in chunks,
atomically, with progress and cancel. No Qt: the window runs it on a worker thread, the command
line and the tests call it directly. How it opens right in Excel, keeps values exact and
refuses formula injection: ARCHITECTURE.md "The export".
"""

from __future__ import annotations

import csv
import enum
import locale
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Final, TypeAlias

import orjson
import xlsxwriter  # type: ignore[import-untyped]  # ships no type information

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.filters import TABLE_COLUMNS, OrderColumn, OrderFilter, OrderSort
from allegro_desktop.domain.orders import Money
from allegro_desktop.services.safe_write import (
    DiscardableFile,
    ExportError,
    UnsafeTargetError,
    replacing_atomically,
)
from allegro_desktop.services.time_zone import system_time_zone
from allegro_desktop.storage.order_query import LineItemRow, OrderQueries, OrderRow
from allegro_desktop.storage.times import local_time

__all__ = [
    "COLUMN_TITLES",
    "CURRENCY_FORMATS",
    "VALUE_LABELS",
    "CsvOptions",
    "ExportCancelled",
    "ExportColumn",
    "ExportError",
    "ExportFormat",
    "ExportPer",
    "ExportReport",
    "ExportRequest",
    "ItemColumn",
    "UnsafeTargetError",
    "column_of",
    "csv_defaults_for",
    "default_columns",
    "export_orders",
    "export_raw_forms",
    "json_record",
    "neutralise",
    "system_locale_name",
]


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class ExportPer(enum.StrEnum):
    """One row per order, or one per line item (the order's columns repeated on each)."""

    ORDER = "order"
    LINE_ITEM = "line_item"


class ItemColumn(enum.StrEnum):
    """Columns of one line item (exported per line item only; empty for an order without)."""

    OFFER_ID = "offer_id"
    OFFER_TITLE = "offer_title"
    SKU = "sku"  # the seller's own code of the offer (Allegro's `external.id`)
    ITEM_QUANTITY = "item_quantity"
    UNIT_PRICE = "unit_price"
    LINE_TOTAL = "line_total"


ExportColumn: TypeAlias = OrderColumn | ItemColumn


def column_of(key: str) -> ExportColumn:
    """The column with this id (`OrderColumn` or `ItemColumn` value); `ValueError` if none."""
    for kind in (OrderColumn, ItemColumn):
        try:
            return kind(key)
        except ValueError:
            continue
    raise ValueError(f"unknown column {key!r}")



#: The default (English) title of every column, in one place; the UI translates them in the
#: context "OrderColumn".
COLUMN_TITLES: Final[Mapping[ExportColumn, str]] = {
    OrderColumn.BOUGHT_AT: QT_TRANSLATE_NOOP("OrderColumn", "Purchase date"),
    OrderColumn.ORDER_ID: QT_TRANSLATE_NOOP("OrderColumn", "Order ID"),
    OrderColumn.BUYER_LOGIN: QT_TRANSLATE_NOOP("OrderColumn", "Buyer login"),
    OrderColumn.BUYER_NAME: QT_TRANSLATE_NOOP("OrderColumn", "Buyer"),
    OrderColumn.ITEMS: QT_TRANSLATE_NOOP("OrderColumn", "Items"),
    OrderColumn.QUANTITY: QT_TRANSLATE_NOOP("OrderColumn", "Quantity"),
    OrderColumn.TOTAL: QT_TRANSLATE_NOOP("OrderColumn", "Total"),
    OrderColumn.PAYMENT: QT_TRANSLATE_NOOP("OrderColumn", "Payment"),
    OrderColumn.STAGE: QT_TRANSLATE_NOOP("OrderColumn", "Status"),
    OrderColumn.STATUS: QT_TRANSLATE_NOOP("OrderColumn", "Purchase status"),
    OrderColumn.FULFILLMENT: QT_TRANSLATE_NOOP("OrderColumn", "Fulfillment status"),
    OrderColumn.DELIVERY: QT_TRANSLATE_NOOP("OrderColumn", "Delivery"),
    OrderColumn.CITY: QT_TRANSLATE_NOOP("OrderColumn", "City"),
    OrderColumn.INVOICE: QT_TRANSLATE_NOOP("OrderColumn", "Invoice"),
    OrderColumn.MARKETPLACE: QT_TRANSLATE_NOOP("OrderColumn", "Marketplace"),
    OrderColumn.ACCOUNT: QT_TRANSLATE_NOOP("OrderColumn", "Account"),
    OrderColumn.CURRENCY: QT_TRANSLATE_NOOP("OrderColumn", "Currency"),
    OrderColumn.PAID: QT_TRANSLATE_NOOP("OrderColumn", "Paid"),
    OrderColumn.PAID_AT: QT_TRANSLATE_NOOP("OrderColumn", "Payment date"),
    OrderColumn.BUYER_EMAIL: QT_TRANSLATE_NOOP("OrderColumn", "E-mail"),
    OrderColumn.BUYER_PHONE: QT_TRANSLATE_NOOP("OrderColumn", "Phone"),
    OrderColumn.BUYER_COMPANY: QT_TRANSLATE_NOOP("OrderColumn", "Company"),
    OrderColumn.ZIP_CODE: QT_TRANSLATE_NOOP("OrderColumn", "Postal code"),
    OrderColumn.COUNTRY: QT_TRANSLATE_NOOP("OrderColumn", "Country"),
    OrderColumn.PICKUP_POINT: QT_TRANSLATE_NOOP("OrderColumn", "Pickup point"),
    OrderColumn.DELIVERY_COST: QT_TRANSLATE_NOOP("OrderColumn", "Delivery cost"),
    OrderColumn.INVOICE_COMPANY: QT_TRANSLATE_NOOP("OrderColumn", "Invoice company"),
    OrderColumn.INVOICE_NIP: QT_TRANSLATE_NOOP("OrderColumn", "Tax ID (NIP)"),
    OrderColumn.MESSAGE: QT_TRANSLATE_NOOP("OrderColumn", "Message from buyer"),
    OrderColumn.NOTE: QT_TRANSLATE_NOOP("OrderColumn", "Note"),
    OrderColumn.UPDATED_AT: QT_TRANSLATE_NOOP("OrderColumn", "Last change"),
    OrderColumn.TAGS: QT_TRANSLATE_NOOP("OrderColumn", "Tags"),
    OrderColumn.PRIVATE_NOTE: QT_TRANSLATE_NOOP("OrderColumn", "Private note"),
    ItemColumn.OFFER_ID: QT_TRANSLATE_NOOP("OrderColumn", "Offer ID"),
    ItemColumn.OFFER_TITLE: QT_TRANSLATE_NOOP("OrderColumn", "Offer title"),
    ItemColumn.SKU: QT_TRANSLATE_NOOP("OrderColumn", "SKU"),
    ItemColumn.ITEM_QUANTITY: QT_TRANSLATE_NOOP("OrderColumn", "Item quantity"),
    ItemColumn.UNIT_PRICE: QT_TRANSLATE_NOOP("OrderColumn", "Unit price"),
    ItemColumn.LINE_TOTAL: QT_TRANSLATE_NOOP("OrderColumn", "Line total"),
}

#: Labels of Allegro's codes (order status, fulfillment status, payment type) and of yes/no
#: ("YES", "NO"), keyed by code; the UI translates them in the context "OrderValue". The same
#: English texts as the window's (`ui/formatting.py`), so one translation serves both. A code
#: not listed here (a newer Allegro status) is exported as it is.
VALUE_LABELS: Final[Mapping[str, str]] = {
    "BOUGHT": QT_TRANSLATE_NOOP("OrderValue", "Bought, checkout not completed"),
    "FILLED_IN": QT_TRANSLATE_NOOP("OrderValue", "Awaiting payment"),
    "READY_FOR_PROCESSING": QT_TRANSLATE_NOOP("OrderValue", "Paid, ready to process"),
    "CANCELLED": QT_TRANSLATE_NOOP("OrderValue", "Cancelled"),
    "NEW": QT_TRANSLATE_NOOP("OrderValue", "New"),
    "PROCESSING": QT_TRANSLATE_NOOP("OrderValue", "Processing"),
    "READY_FOR_SHIPMENT": QT_TRANSLATE_NOOP("OrderValue", "Ready for shipment"),
    "READY_FOR_PICKUP": QT_TRANSLATE_NOOP("OrderValue", "Ready for pickup"),
    "SENT": QT_TRANSLATE_NOOP("OrderValue", "Sent"),
    "PICKED_UP": QT_TRANSLATE_NOOP("OrderValue", "Picked up"),
    "SUSPENDED": QT_TRANSLATE_NOOP("OrderValue", "Suspended"),
    "RETURNED": QT_TRANSLATE_NOOP("OrderValue", "Returned"),
    # the app's own codes of the one status a seller reads (domain.filters.seller_status)
    "TO_SEND": QT_TRANSLATE_NOOP("OrderValue", "To send"),
    "UNPAID": QT_TRANSLATE_NOOP("OrderValue", "Unpaid"),
    "CASH_ON_DELIVERY": QT_TRANSLATE_NOOP("OrderValue", "Cash on delivery"),
    "WIRE_TRANSFER": QT_TRANSLATE_NOOP("OrderValue", "Bank transfer"),
    "ONLINE": QT_TRANSLATE_NOOP("OrderValue", "Online payment"),
    "SPLIT_PAYMENT": QT_TRANSLATE_NOOP("OrderValue", "Split payment"),
    "EXTENDED_TERM": QT_TRANSLATE_NOOP("OrderValue", "Deferred payment"),
    "YES": QT_TRANSLATE_NOOP("OrderValue", "Yes"),
    "NO": QT_TRANSLATE_NOOP("OrderValue", "No"),
}

#: XLSX number formats of the currencies Allegro sells in; another currency gets its code.
CURRENCY_FORMATS: Final[Mapping[str, str]] = {
    "PLN": '#,##0.00 "zł"',
    "CZK": '#,##0.00 "Kč"',
    "EUR": '#,##0.00 "€"',
    "HUF": '#,##0.00 "Ft"',
}
_DATETIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
#: The times an Excel date cell holds (its calendar starts in 1900 and ends with 9999).
_EXCEL_FIRST: Final = datetime(1900, 1, 1)
#: The most rows an XLSX sheet holds, the header row included.
XLSX_MAX_ROWS: Final = 1_048_576
_XLSX_MAX_TEXT: Final = 32_767

#: Languages whose decimal mark is a comma: Excel there expects `;` between CSV fields.
_DECIMAL_COMMA_LANGUAGES: Final = frozenset({
    "pl", "cs", "sk", "hu", "de", "fr", "it", "es", "pt", "nl", "da", "sv", "nb", "nn", "no",
    "fi", "et", "lv", "lt", "ro", "bg", "hr", "sl", "sr", "ru", "uk", "be", "el", "tr", "id",
    "vi", "ca", "eu", "gl", "is",
    # Windows reports its locale by English name ("Polish_Poland")
    "polish", "czech", "slovak", "hungarian", "german", "french", "italian", "spanish",
    "portuguese", "dutch", "danish", "swedish", "norwegian", "finnish", "estonian", "latvian",
    "lithuanian", "romanian", "bulgarian", "croatian", "slovenian", "serbian", "russian",
    "ukrainian", "belarusian", "greek", "turkish", "indonesian", "vietnamese", "catalan",
})

#: What makes a spreadsheet read a text cell as a formula (OWASP's list, plus the full-width
#: forms some spreadsheets also accept).
_FORMULA_FIRST: Final = frozenset("=+-@\t\r＝＋－＠")


class ExportCancelled(Exception):  # noqa: N818 - a request honoured, not an error
    """The export was cancelled (`cancelled()` said so): no file was written or changed."""


@dataclass(frozen=True, slots=True)
class CsvOptions:
    delimiter: str
    decimal_comma: bool


def csv_defaults_for(locale_name: str) -> CsvOptions:
    """What Excel expects in this locale ("pl_PL", "pl-PL.UTF-8", Windows' "Polish_Poland"):
    `;` and a decimal comma where the comma is the decimal mark (Polish, Czech, Hungarian,
    German, …), `,` and a decimal point elsewhere (and for "C"/"POSIX"/unknown)."""
    language = locale_name.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    if language in _DECIMAL_COMMA_LANGUAGES:
        return CsvOptions(delimiter=";", decimal_comma=True)
    return CsvOptions(delimiter=",", decimal_comma=False)


def system_locale_name() -> str:
    """The user's locale for numbers, as the C library would pick it (`LC_ALL`, then
    `LC_NUMERIC`, then `LANG`; on Windows the user's default locale) — read without
    `setlocale`, which would change the whole process."""
    for variable in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = os.environ.get(variable)
        if value:
            return value
    return locale.getlocale(locale.LC_CTYPE)[0] or ""


def default_columns(per: ExportPer,
                    columns: Sequence[OrderColumn] = TABLE_COLUMNS) -> tuple[ExportColumn, ...]:
    """The columns an export offers checked: `columns` (the table's visible ones) per order;
    per line item the item's columns stand in for the order's item summary and quantity.
    Either way with the order id (after the purchase date, else first: "which order" is the
    first question) and the currency next to the amount (a CSV cell holds the bare amount,
    "149.00", which means nothing across currencies; XLSX formats and JSON values carry it
    too)."""
    result: list[ExportColumn] = list(dict.fromkeys(columns))
    if OrderColumn.ORDER_ID not in result:
        result.insert(1 if result[:1] == [OrderColumn.BOUGHT_AT] else 0, OrderColumn.ORDER_ID)
    if per is ExportPer.LINE_ITEM:
        with_items: list[ExportColumn] = []
        for column in result:
            if column is OrderColumn.ITEMS:
                with_items.extend(ItemColumn)
            elif column is not OrderColumn.QUANTITY:
                with_items.append(column)
        if ItemColumn.OFFER_ID not in with_items:
            with_items.extend(ItemColumn)
        result = with_items
    if OrderColumn.CURRENCY not in result:
        amount = next((column for column in (OrderColumn.TOTAL, ItemColumn.LINE_TOTAL)
                       if column in result), None)
        if amount is not None:
            result.insert(result.index(amount) + 1, OrderColumn.CURRENCY)
    return tuple(result)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export, and how.

    - scope: `selection` — these orders (seqs) in this order — if given; otherwise every order
      `order_filter` selects, sorted by `sort`;
    - `per`: a row per order or per line item; `columns`: in this order (item columns are
      left out of a per-order export);
    - CSV: `delimiter` (one character) and `decimal_comma`; the caller picks the defaults
      (`csv_defaults_for` the user's locale);
    - `time_zone` of the dates (None: the computer's own, with its daylight-saving rules);
    - `headers` / `labels`: translated column titles / value labels, over the English ones;
      `account_names`: account key -> the login shown in the Account column;
    - `sheet_name`: the XLSX sheet's name (at most 31 characters, none of `[]:*?/\\`).
    """

    fmt: ExportFormat
    columns: tuple[ExportColumn, ...] = TABLE_COLUMNS
    order_filter: OrderFilter = field(default_factory=OrderFilter)
    sort: OrderSort = field(default_factory=OrderSort)
    selection: tuple[int, ...] | None = None
    per: ExportPer = ExportPer.ORDER
    delimiter: str = ","
    decimal_comma: bool = False
    time_zone: tzinfo | None = None
    headers: Mapping[ExportColumn, str] | None = None
    labels: Mapping[str, str] | None = None
    account_names: Mapping[str, str] | None = None
    sheet_name: str = "Orders"

    def __post_init__(self) -> None:
        if len(self.delimiter) != 1 or self.delimiter in '"\r\n' or self.delimiter.isalnum():
            raise ValueError(f"not a usable CSV separator: {self.delimiter!r}")
        if not self.effective_columns:
            raise ValueError("an export needs at least one column")

    @property
    def effective_columns(self) -> tuple[ExportColumn, ...]:
        """The columns written: item columns only per line item, each column once."""
        seen: dict[ExportColumn, None] = {}
        for column in self.columns:
            if isinstance(column, ItemColumn) and self.per is ExportPer.ORDER:
                continue
            seen.setdefault(column, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class ExportReport:
    """A finished export: `rows` written (without the header), of `orders` orders."""

    path: Path
    fmt: ExportFormat
    rows: int
    orders: int


# -- the columns' values ---------------------------------------------------------------------


class _Kind(enum.Enum):
    TEXT = "text"
    LABEL = "label"  # an Allegro code, shown by its label
    DATETIME = "datetime"
    MONEY = "money"
    INT = "int"
    BOOL = "bool"


_Getter: TypeAlias = Callable[[Any], Any]


class _NoItem:
    """The line item of an order that has none (per line item it still gets its row)."""

    offer_id = offer_name = external_id = quantity = price = total = None


_NO_ITEM: Final = _NoItem()


def _pickup_point(row: OrderRow) -> str | None:
    return row.pickup_point_name or row.pickup_point_id


def _tag_names(row: OrderRow) -> str | None:
    """The seller's tags of the order, by name: "czeka na towar, do spakowania"."""
    return ", ".join(tag.name for tag in row.tags) or None


#: Each column: its kind, whether it is the line item's (else the order's), its value (a
#: C-level attrgetter where possible: it runs for every cell) and its XLSX width in characters.
_COLUMNS: Final[Mapping[ExportColumn, tuple[_Kind, bool, _Getter, int]]] = {
    OrderColumn.BOUGHT_AT: (_Kind.DATETIME, False, attrgetter("bought_at"), 19),
    OrderColumn.ORDER_ID: (_Kind.TEXT, False, attrgetter("id"), 38),
    OrderColumn.BUYER_LOGIN: (_Kind.TEXT, False, attrgetter("buyer_login"), 18),
    OrderColumn.BUYER_NAME: (_Kind.TEXT, False, attrgetter("display_name"), 24),
    OrderColumn.ITEMS: (_Kind.TEXT, False, attrgetter("items_summary"), 40),
    OrderColumn.QUANTITY: (_Kind.INT, False, attrgetter("quantity"), 9),
    OrderColumn.TOTAL: (_Kind.MONEY, False, attrgetter("total"), 14),
    OrderColumn.PAYMENT: (_Kind.LABEL, False, attrgetter("payment_type"), 16),
    OrderColumn.STAGE: (_Kind.LABEL, False, attrgetter("seller_status"), 18),
    OrderColumn.STATUS: (_Kind.LABEL, False, attrgetter("status"), 20),
    OrderColumn.FULFILLMENT: (_Kind.LABEL, False, attrgetter("fulfillment_status"), 18),
    OrderColumn.DELIVERY: (_Kind.TEXT, False, attrgetter("delivery_method"), 28),
    OrderColumn.CITY: (_Kind.TEXT, False, attrgetter("city"), 18),
    OrderColumn.INVOICE: (_Kind.BOOL, False, attrgetter("invoice_required"), 9),
    OrderColumn.MARKETPLACE: (_Kind.TEXT, False, attrgetter("marketplace_id"), 12),
    OrderColumn.ACCOUNT: (_Kind.TEXT, False, attrgetter("account_key"), 18),
    OrderColumn.CURRENCY: (_Kind.TEXT, False, attrgetter("total.currency"), 9),
    OrderColumn.PAID: (_Kind.BOOL, False, attrgetter("paid"), 8),
    OrderColumn.PAID_AT: (_Kind.DATETIME, False, attrgetter("paid_at"), 19),
    OrderColumn.BUYER_EMAIL: (_Kind.TEXT, False, attrgetter("buyer_email"), 28),
    OrderColumn.BUYER_PHONE: (_Kind.TEXT, False, attrgetter("buyer_phone"), 16),
    OrderColumn.BUYER_COMPANY: (_Kind.TEXT, False, attrgetter("buyer_company"), 24),
    OrderColumn.ZIP_CODE: (_Kind.TEXT, False, attrgetter("zip_code"), 11),
    OrderColumn.COUNTRY: (_Kind.TEXT, False, attrgetter("country_code"), 8),
    OrderColumn.PICKUP_POINT: (_Kind.TEXT, False, _pickup_point, 24),
    OrderColumn.DELIVERY_COST: (_Kind.MONEY, False, attrgetter("delivery_cost"), 14),
    OrderColumn.INVOICE_COMPANY: (_Kind.TEXT, False, attrgetter("invoice_company"), 24),
    OrderColumn.INVOICE_NIP: (_Kind.TEXT, False, attrgetter("invoice_nip"), 14),
    OrderColumn.MESSAGE: (_Kind.TEXT, False, attrgetter("message_to_seller"), 32),
    OrderColumn.NOTE: (_Kind.TEXT, False, attrgetter("note"), 24),
    OrderColumn.UPDATED_AT: (_Kind.DATETIME, False, attrgetter("updated_at"), 19),
    # the seller's own, local labels: offered, never checked by default (unless shown in the
    # table) — an export usually leaves the shop (the accountant, a courier's import)
    OrderColumn.TAGS: (_Kind.TEXT, False, _tag_names, 24),
    OrderColumn.PRIVATE_NOTE: (_Kind.TEXT, False, attrgetter("private_note"), 40),
    ItemColumn.OFFER_ID: (_Kind.TEXT, True, attrgetter("offer_id"), 14),
    ItemColumn.OFFER_TITLE: (_Kind.TEXT, True, attrgetter("offer_name"), 40),
    ItemColumn.SKU: (_Kind.TEXT, True, attrgetter("external_id"), 14),
    ItemColumn.ITEM_QUANTITY: (_Kind.INT, True, attrgetter("quantity"), 9),
    ItemColumn.UNIT_PRICE: (_Kind.MONEY, True, attrgetter("price"), 14),
    ItemColumn.LINE_TOTAL: (_Kind.MONEY, True, attrgetter("total"), 14),
}


def neutralise(text: str) -> str:
    """`text` made safe for a CSV cell: a leading `'` if a spreadsheet would start a formula
    with its first character (OWASP's advice on CSV injection)."""
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def _getters(request: ExportRequest) -> list[tuple[ExportColumn, _Kind, bool, _Getter, int]]:
    """The written columns: (column, kind, is the item's, getter, width)."""
    found = []
    for column in request.effective_columns:
        kind, on_item, getter, width = _COLUMNS[column]
        if column is OrderColumn.ACCOUNT and request.account_names:
            names = request.account_names
            getter = partial(_account_name, names)
        found.append((column, kind, on_item, getter, width))
    return found


def _account_name(names: Mapping[str, str], row: OrderRow) -> str:
    return names.get(row.account_key, row.account_key)


def _time_text(zone: tzinfo | None, moment: datetime) -> str:
    """`moment` to the second in `zone`: "2026-11-24 14:03:05"; in UTC, marked so, when its
    local time falls outside the years 1-9999."""
    local = local_time(moment, zone)
    if local is None:
        return moment.astimezone(UTC).isoformat(" ", "seconds")[:19] + " UTC"
    return local.isoformat(" ", "seconds")[:19]


# -- writers ---------------------------------------------------------------------------------


class _Writer:
    """Writes the rows of one format to an open temporary file."""

    def header(self) -> None:
        raise NotImplementedError

    def row(self, order: OrderRow, item: LineItemRow | None) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (everything flushed to the OS)."""

    def discard(self) -> None:
        """Remove the writer's own temporary files (after `close`, or instead of it)."""


def _csv_conversion(kind: _Kind, request: ExportRequest,
                    labels: Mapping[str, str]) -> Callable[[Any], str] | None:
    """How a non-empty value of this kind becomes CSV text (None: as it is — text is checked
    for formulas separately, the csv module writes ints itself)."""
    if kind is _Kind.LABEL:
        safe = {code: neutralise(label) for code, label in labels.items()}
        return lambda code: safe.get(code) or neutralise(code)
    if kind is _Kind.DATETIME:
        return partial(_time_text, request.time_zone)  # "2026-11-24 14:03:05"
    if kind is _Kind.MONEY:
        if request.decimal_comma:
            return lambda money: f"{money.amount:.2f}".replace(".", ",")
        return lambda money: f"{money.amount:.2f}"
    if kind is _Kind.BOOL:
        yes, no = labels.get("YES", "Yes"), labels.get("NO", "No")
        return lambda flag: yes if flag else no
    return None


class _CsvWriter(_Writer):
    """Rows of text cells. This runs for every cell of a 100 000-order export, so a row is
    built in three passes: every value by its (C-level) getter, the formula check inlined over
    the text cells, then a conversion call for the other kinds' non-empty cells only."""

    def __init__(self, stream: IO[str], request: ExportRequest, labels: Mapping[str, str],
                 titles: Sequence[str]) -> None:
        self._csv = csv.writer(stream, delimiter=request.delimiter, quotechar='"',
                               quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._titles = [neutralise(title) for title in titles]
        columns = _getters(request)
        self._order_getters = [getter for _c, _k, on_item, getter, _w in columns
                               if not on_item]
        self._sources = [on_item for _c, _k, on_item, _g, _w in columns]
        self._getters = [getter for _c, _k, _o, getter, _w in columns]
        self._per_order = not any(self._sources)
        self._text = [index for index, (_c, kind, *_rest) in enumerate(columns)
                      if kind is _Kind.TEXT]
        self._conversions = [(index, conversion) for index, (_c, kind, *_rest)
                             in enumerate(columns)
                             if (conversion := _csv_conversion(kind, request, labels))]

    def header(self) -> None:
        self._csv.writerow(self._titles)

    def row(self, order: OrderRow, item: LineItemRow | None) -> None:
        if self._per_order:
            cells = [get(order) for get in self._order_getters]
        else:
            line_item = _NO_ITEM if item is None else item
            cells = [get(line_item if on_item else order)
                     for get, on_item in zip(self._getters, self._sources, strict=True)]
        first = _FORMULA_FIRST
        for index in self._text:
            value = cells[index]
            if value and value[0] in first:
                cells[index] = "'" + value
        for index, convert in self._conversions:
            value = cells[index]
            if value is not None:
                cells[index] = convert(value)
        self._csv.writerow(cells)  # None is an empty cell


def _json_value(kind: _Kind, getter: _Getter, zone: tzinfo | None) -> _Getter:
    if kind is _Kind.DATETIME:
        def moment(source: Any) -> Any:
            value: datetime | None = getter(source)
            if value is None:
                return None
            local = local_time(value, zone) or value.astimezone(UTC)
            return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")
        return moment
    if kind is _Kind.MONEY:
        def money(source: Any) -> Any:
            value: Money | None = getter(source)
            if value is None:
                return None
            return {"amount": f"{value.amount:.2f}", "currency": value.currency}
        return money
    return getter


class _JsonWriter(_Writer):
    """A JSON array of objects keyed by column id, one per line, streamed."""

    def __init__(self, stream: IO[bytes], request: ExportRequest) -> None:
        self._stream = stream
        self._values = [(column.value, _json_value(kind, getter, request.time_zone), on_item)
                        for column, kind, on_item, getter, _width in _getters(request)]
        self._first = True

    def header(self) -> None:
        self._stream.write(b"[")

    def row(self, order: OrderRow, item: LineItemRow | None) -> None:
        line_item = _NO_ITEM if item is None else item
        self._stream.write(b"\n" if self._first else b",\n")
        self._first = False
        self._stream.write(orjson.dumps({key: value(line_item if on_item else order)
                                         for key, value, on_item in self._values}))

    def close(self) -> None:
        self._stream.write(b"]\n" if self._first else b"\n]\n")


def json_record(order: OrderRow, item: LineItemRow | None = None, *,
                columns: Sequence[ExportColumn] = tuple(OrderColumn),
                time_zone: tzinfo | None = None,
                account_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One order (or line item, with `ItemColumn`s) exactly as the JSON export writes it,
    keyed by column id — the outgoing webhook's payload uses it, so a program reading both
    reads one format."""
    request = ExportRequest(fmt=ExportFormat.JSON, columns=tuple(columns),
                            per=ExportPer.ORDER if item is None else ExportPer.LINE_ITEM,
                            time_zone=time_zone, account_names=account_names)
    source: Any = _NO_ITEM if item is None else item
    return {column.value: _json_value(kind, getter, time_zone)(source if on_item else order)
            for column, kind, on_item, getter, _width in _getters(request)}


class _XlsxWriter(_Writer):
    """One sheet of typed cells, written row by row (xlsxwriter's constant-memory mode)."""

    def __init__(self, path: Path, request: ExportRequest, labels: Mapping[str, str],
                 titles: Sequence[str]) -> None:
        # xlsxwriter's own temporary files (the rows, the parts of the zip) go to a folder of
        # ours, removed whatever happens: an export cancelled half-way leaves nothing behind.
        self._scratch = tempfile.TemporaryDirectory(prefix="allegro-export-",
                                                    ignore_cleanup_errors=True)
        # The zip is written through a file of ours, made inert if writing fails (a full disk)
        # so that the zip object xlsxwriter leaves open cannot fail again later.
        self._file = DiscardableFile(path)
        self._book = xlsxwriter.Workbook(self._file, {
            "constant_memory": True,
            # never guess: text is text (write_string is used for every text cell anyway)
            "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False,
            "tmpdir": self._scratch.name,
        })
        self._sheet = self._book.add_worksheet(request.sheet_name)
        self._titles = titles
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": _DATETIME_FORMAT})
        self._money: dict[str, Any] = {}
        self._zone = request.time_zone
        self._labels = labels
        self._columns = [(kind, on_item, getter)
                         for _column, kind, on_item, getter, _width in _getters(request)]
        self._row = 0
        for index, (*_rest, width) in enumerate(_getters(request)):
            self._sheet.set_column(index, index, max(width, min(len(titles[index]) + 3, 40)))

    def _money_format(self, currency: str) -> Any:
        found = self._money.get(currency)
        if found is None:
            pattern = CURRENCY_FORMATS.get(currency, f'#,##0.00 "{currency}"')
            found = self._money[currency] = self._book.add_format({"num_format": pattern})
        return found

    def header(self) -> None:
        for index, title in enumerate(self._titles):
            self._sheet.write_string(0, index, title, self._bold)
        self._sheet.freeze_panes(1, 0)

    def row(self, order: OrderRow, item: LineItemRow | None) -> None:
        self._row += 1
        if self._row >= XLSX_MAX_ROWS:
            raise _TooManyRowsError
        sheet, at = self._sheet, self._row
        line_item = _NO_ITEM if item is None else item
        for index, (kind, on_item, getter) in enumerate(self._columns):
            value = getter(line_item if on_item else order)
            if value is None:
                continue
            if kind is _Kind.TEXT:
                sheet.write_string(at, index, value[:_XLSX_MAX_TEXT])
            elif kind is _Kind.LABEL:
                sheet.write_string(at, index, self._labels.get(value, value))
            elif kind is _Kind.DATETIME:
                local = local_time(value, self._zone)
                wall = None if local is None else local.replace(tzinfo=None, microsecond=0)
                if wall is not None and wall >= _EXCEL_FIRST:
                    sheet.write_datetime(at, index, wall, self._date)
                else:  # before Excel's calendar, or not a local time at all
                    sheet.write_string(at, index, _time_text(self._zone, value))
            elif kind is _Kind.MONEY:
                sheet.write_number(at, index, float(value.amount),
                                   self._money_format(value.currency))
            elif kind is _Kind.INT:
                sheet.write_number(at, index, value)
            else:
                sheet.write_boolean(at, index, bool(value))

    def close(self) -> None:
        self._sheet.autofilter(0, 0, max(self._row, 1), len(self._columns) - 1)
        try:
            self._book.close()
        except xlsxwriter.exceptions.FileCreateError as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, OSError):
                raise cause from exc
            raise
        self._file.close()

    def discard(self) -> None:
        self._file.discard()
        self._scratch.cleanup()


class _TooManyRowsError(Exception):
    """More rows than an XLSX sheet holds."""


# -- the export ------------------------------------------------------------------------------

Progress: TypeAlias = Callable[[int, int], None]
Cancelled: TypeAlias = Callable[[], bool]


def export_orders(queries: OrderQueries, request: ExportRequest, path: Path, *,
                  progress: Progress | None = None, cancelled: Cancelled | None = None,
                  chunk: int = 1000) -> ExportReport:
    """Write the orders `request` asks for to `path` (replacing a file there only once the
    new one is complete). Calls `progress(orders done, orders in all)` after each `chunk` of
    orders and checks `cancelled()` before each and before the final rename.

    Raises `ExportCancelled`, `ExportError` (cannot write; message for the user) or a
    `StorageError` (the database cannot be read) — in every case nothing is left at `path`
    but what was there before.
    """
    target = Path(path).absolute()
    if request.selection is not None:
        seqs: Sequence[int] = request.selection
    else:
        seqs = queries.seqs(request.order_filter, request.sort)
    if request.time_zone is None:
        request = replace(request, time_zone=system_time_zone())
    labels = {**VALUE_LABELS, **(request.labels or {})}
    titles = [(request.headers or {}).get(column) or COLUMN_TITLES[column]
              for column in request.effective_columns]

    def check_cancel() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled

    check_cancel()
    rows = orders = 0
    try:
        with replacing_atomically(target) as temporary, _opened(temporary, request, labels,
                                                      titles) as writer:
            rows, orders = _write_rows(queries, request, seqs, writer, progress=progress,
                                       check_cancel=check_cancel, chunk=chunk)
    except _TooManyRowsError:
        raise ExportError(
            f"{target}: over {XLSX_MAX_ROWS - 1} rows", path=target,
            user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "An Excel sheet holds at most %1 rows, and this export has more. "
                "Export fewer orders (filter them), or choose CSV."),
                f"{XLSX_MAX_ROWS - 1:,}")) from None
    return ExportReport(path=target, fmt=request.fmt, rows=rows, orders=orders)


def _write_rows(queries: OrderQueries, request: ExportRequest, seqs: Sequence[int],
                writer: _Writer, *, progress: Progress | None, check_cancel: Callable[[], None],
                chunk: int) -> tuple[int, int]:
    """The header, every row, the file's end; (rows, orders) written."""
    total = len(seqs)
    per_item = request.per is ExportPer.LINE_ITEM
    rows = orders = 0
    writer.header()
    for start in range(0, total, chunk):
        check_cancel()
        piece = seqs[start:start + chunk]
        found = queries.rows(piece)
        items = queries.line_items(piece) if per_item else {}
        for seq in piece:
            order = found.get(seq)
            if order is None:  # deleted since the ids were read
                continue
            orders += 1
            if per_item and items.get(seq):
                for item in items[seq]:
                    writer.row(order, item)
                    rows += 1
            else:
                writer.row(order, None)
                rows += 1
        if progress is not None:
            progress(min(start + chunk, total), total)
    check_cancel()
    writer.close()
    return rows, orders


@contextmanager
def _opened(temporary: Path, request: ExportRequest, labels: Mapping[str, str],
            titles: Sequence[str]) -> Iterator[_Writer]:
    """The format's writer over the temporary file; the file closed after the block."""
    if request.fmt is ExportFormat.XLSX:
        writer: _Writer = _XlsxWriter(temporary, request, labels, titles)
        try:
            yield writer
        finally:
            writer.discard()
    elif request.fmt is ExportFormat.CSV:
        with open(temporary, "w", encoding="utf-8-sig", newline="",
                  buffering=1 << 20) as text_stream:
            yield _CsvWriter(text_stream, request, labels, titles)
    else:
        with open(temporary, "wb", buffering=1 << 20) as binary:
            yield _JsonWriter(binary, request)


def export_raw_forms(forms: Sequence[Mapping[str, Any]], path: Path) -> int:
    """Write checkout forms exactly as Allegro sent them, as one JSON array, to `path` (whole
    or not at all, like `export_orders`). Returns how many. `ExportError` if it cannot."""
    target = Path(path).absolute()
    with replacing_atomically(target) as temporary:
        temporary.write_bytes(orjson.dumps(forms))
    return len(forms)
