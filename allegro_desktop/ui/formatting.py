"""How the app shows order values: money, times, Allegro's status codes, links to allegro.pl.

One place for it, so the order table, the details panel, the statistics and the sync log say
the same thing the same way. Every stored time is shown as a date: one whose local date falls
outside the years 1-9999 (9999-12-31 23:00 UTC is in year 10000 at +14:00) is shown in UTC,
marked "UTC", as the export writes it. Pure functions, no widgets: the locale is passed in (a
widget's `locale()`, or `QLocale()` for the default), so tests can pin one.

Allegro's enums grow (BUYER_MODIFIED arrived years after the others): a value the app does not
know is shown as Allegro sent it, never refused. Labels are translated in the "OrderValue"
context; their English source texts are marked with `QT_TRANSLATE_NOOP` so `lupdate` finds
them in the tables below (and, for the statuses and payment types the export writes too, in
`services/export.py`'s `VALUE_LABELS`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QTimeZone,
)

from allegro_desktop.domain.filters import SELLER_STATUSES, QuickFilter
from allegro_desktop.domain.orders import FulfillmentStatus, Money, OrderStatus, PaymentType
from allegro_desktop.services.export import VALUE_LABELS

__all__ = [
    "allegro_order_url",
    "count_grouped",
    "country_label",
    "date_text",
    "datetime_text",
    "event_type_label",
    "fulfillment_label",
    "marketplace_label",
    "money_text",
    "number_text",
    "offer_url",
    "payment_provider_label",
    "payment_type_label",
    "quick_filter_label",
    "seller_status_label",
    "size_text",
    "status_label",
    "unbroken",
]

_CONTEXT = "OrderValue"

# The symbols a seller of these marketplaces knows (Allegro's own pages use them).
_SYMBOLS = {"PLN": "zł", "CZK": "Kč", "EUR": "€", "HUF": "Ft"}

_PRODUCTION_HOST = "https://allegro.pl"
# The sandbox's site, as its OAuth and consent pages show (ALLEGRO-API.md §1.1, §1.4).
_SANDBOX_HOST = "https://allegro.pl.allegrosandbox.pl"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def _label(texts: dict[str, object], value: str | None) -> str:
    """The translated label of `value`, the value itself when unknown, "" for None."""
    if value is None:
        return ""
    source = texts.get(value)
    if source is None:
        return value
    return QCoreApplication.translate(_CONTEXT, str(source))


# -- money ---------------------------------------------------------------------------------

def number_text(value: int | float | Decimal, locale: QLocale, decimals: int = 0) -> str:
    """A number as `locale` writes it, `decimals` places, every thousand grouped: "2 019,83"
    beside "14 905,39" in pl_PL, where Qt (after CLDR) leaves a four-digit Polish number
    ungrouped ("2019,83"), so one column would mix both. A locale that omits group
    separators (the C locale) still does. Exact for any `Decimal` (no float on the way)."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    shown = f"{abs(number):,.{decimals}f}"
    whole, _, fraction = shown.partition(".")
    grouped = not locale.numberOptions() & QLocale.NumberOption.OmitGroupSeparator
    text = whole.replace(",", locale.groupSeparator() if grouped else "")
    if fraction:
        text += locale.decimalPoint() + fraction
    if locale.zeroDigit() != "0":
        text = text.translate({ord("0") + d: chr(ord(locale.zeroDigit()) + d)
                               for d in range(10)})
    if number < 0 and Decimal(shown.replace(",", "")):  # never "-0,00"
        text = locale.negativeSign() + text
    return text


def size_text(size: int, locale: QLocale) -> str:
    """A file's size in bytes as `locale` writes it, to one decimal: "8,7 MB" in pl_PL,
    "8.7 MB" in en_US (kB, MB, GB of 1024); the number and its unit never on two lines."""
    return locale.formattedDataSize(
        size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat).replace(" ", "\u00a0")


def count_grouped(text: str, count: int, locale: QLocale) -> str:
    """`text`, made by `tr("%Ln …", "", count)` (the plural form is the translation's), with
    its count written as `number_text` writes it: Qt's %Ln leaves four Polish digits
    ungrouped ("1406 zamówień" beside a "1 406" on a button)."""
    return text.replace(locale.toString(count), number_text(count, locale), 1)


def unbroken(text: str) -> str:
    """An order id or a file path for a wrapping label, its hyphens made non-breaking (U+2011)
    so a line never ends inside "…-11f1-". For display only, never for a value to copy, store
    or compare; put it on a line of its own."""
    return text.replace("-", "\u2011")


def money_text(money: Money, locale: QLocale) -> str:
    """An amount as `locale` writes money: "1 245,00 zł" in pl_PL, "PLN 1,245.00" in en_US.

    The currency's own symbol (zł, Kč, €, Ft) goes where the locale puts symbols after the
    number, as Central European locales do; where the symbol leads (English), a letter symbol
    would glue to the digits ("zł1,245.00"), so the ISO code leads, spaced as CLDR asks —
    except for €, which every reader knows. Two decimals always: Allegro's amounts have two
    in every currency. The number is `number_text`'s: exact, every thousand grouped.
    """
    code = money.currency
    symbol = _SYMBOLS.get(code, code)
    number = number_text(abs(money.amount), locale, 2)
    if not locale.toCurrencyString(1.0, symbol, 2).startswith(symbol):
        text = number + "\u00a0" + symbol
    elif symbol == "€":
        text = symbol + number
    else:
        text = code + "\u00a0" + number
    if money.amount < 0:
        # Qt writes negative currency in the accounting style, "(5,50 zł)": a sign reads better.
        text = locale.negativeSign() + text
    return text


# -- times ---------------------------------------------------------------------------------

def _local(moment: datetime) -> tuple[QDateTime, str]:
    """`moment` in the system's time zone (a naive datetime is taken as UTC, as stored), and
    "" — or, when that local date falls outside the years 1-9999, in UTC, and " UTC"."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    milliseconds = (moment - _EPOCH) // _ONE_MS
    local = QDateTime.fromMSecsSinceEpoch(milliseconds)
    if 1 <= local.date().year() <= 9999:
        return local, ""
    return QDateTime.fromMSecsSinceEpoch(milliseconds, QTimeZone.utc()), " UTC"


def _time_format(locale: QLocale, seconds: bool) -> str:
    """The locale's short time format, with seconds added after the minutes if asked (its
    long format would add the time zone's name too)."""
    short = locale.timeFormat(QLocale.FormatType.ShortFormat)
    if not seconds:
        return short
    added = re.sub(r"(mm)(?!:ss)", lambda m: m.group(1) + _separator(short) + "ss", short,
                   count=1)
    return added if added != short else short + ":ss"


def _separator(time_format: str) -> str:
    """The character between hours and minutes in a time format (":" or "." usually)."""
    found = re.search(r"[hH]+(\W)m", time_format)
    return found.group(1) if found else ":"


def datetime_text(moment: datetime, locale: QLocale, *, seconds: bool = False) -> str:
    """A moment (aware, usually UTC) in the system's time zone, in the locale's short date and
    time: "24.11.2026 14:03" in pl_PL, "11/24/26 2:03 PM" in en_US."""
    local, marker = _local(moment)
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat) + " " \
        + _time_format(locale, seconds)
    return locale.toString(local, pattern) + marker


def date_text(moment: datetime | date, locale: QLocale) -> str:
    """The day of a moment in the system's time zone (or a calendar date as it is), in the
    locale's short date format: "24.11.2026" in pl_PL."""
    marker = ""
    if isinstance(moment, datetime):
        local, marker = _local(moment)
        day = local.date()
    else:
        day = QDate(moment.year, moment.month, moment.day)
    return locale.toString(day, QLocale.FormatType.ShortFormat) + marker


# -- Allegro's values ----------------------------------------------------------------------

# The codes the export labels too: one table (services/export.py) serves both.
_STATUS: dict[str, object] = {s.value: VALUE_LABELS[s.value] for s in OrderStatus}
_FULFILLMENT: dict[str, object] = {s.value: VALUE_LABELS[s.value] for s in FulfillmentStatus}
_PAYMENT_TYPE: dict[str, object] = {t.value: VALUE_LABELS[t.value] for t in PaymentType}
_SELLER_STATUS: dict[str, object] = {code: VALUE_LABELS[code] for code in SELLER_STATUSES}

_PAYMENT_PROVIDER: dict[str, object] = {
    "PAYU": QT_TRANSLATE_NOOP("OrderValue", "PayU"),
    "P24": QT_TRANSLATE_NOOP("OrderValue", "Przelewy24"),
    "AF": QT_TRANSLATE_NOOP("OrderValue", "Allegro Finance"),
    "OFFLINE": QT_TRANSLATE_NOOP("OrderValue", "Paid on delivery"),
    "EPT": QT_TRANSLATE_NOOP("OrderValue", "Deferred payment"),
}

_MARKETPLACE: dict[str, object] = {
    "allegro-pl": QT_TRANSLATE_NOOP("OrderValue", "Allegro.pl"),
    "allegro-cz": QT_TRANSLATE_NOOP("OrderValue", "Allegro.cz"),
    "allegro-sk": QT_TRANSLATE_NOOP("OrderValue", "Allegro.sk"),
    "allegro-hu": QT_TRANSLATE_NOOP("OrderValue", "Allegro.hu"),
}

_QUICK: dict[str, object] = {
    QuickFilter.TO_PROCESS: QT_TRANSLATE_NOOP("OrderValue", "To process"),
    QuickFilter.PROCESSING: QT_TRANSLATE_NOOP("OrderValue", "Processing"),
    QuickFilter.SENT: QT_TRANSLATE_NOOP("OrderValue", "Sent"),
    QuickFilter.CANCELLED: QT_TRANSLATE_NOOP("OrderValue", "Cancelled"),
    QuickFilter.UNPAID: QT_TRANSLATE_NOOP("OrderValue", "Unpaid"),
    QuickFilter.ALL: QT_TRANSLATE_NOOP("OrderValue", "All"),
}

_EVENT_TYPE: dict[str, object] = {
    "BOUGHT": QT_TRANSLATE_NOOP("OrderValue", "Bought"),
    "FILLED_IN": QT_TRANSLATE_NOOP("OrderValue", "Checkout completed, awaiting payment"),
    "READY_FOR_PROCESSING": QT_TRANSLATE_NOOP("OrderValue", "Paid, ready to process"),
    "BUYER_CANCELLED": QT_TRANSLATE_NOOP("OrderValue", "Cancelled by the buyer"),
    "FULFILLMENT_STATUS_CHANGED": QT_TRANSLATE_NOOP("OrderValue", "Seller's status changed"),
    "AUTO_CANCELLED": QT_TRANSLATE_NOOP("OrderValue", "Cancelled by Allegro (not paid in time)"),
    "BUYER_MODIFIED": QT_TRANSLATE_NOOP("OrderValue", "Buyer changed the delivery address"),
}

# The countries of Allegro's marketplaces and their neighbours; others show their code.
_COUNTRY: dict[str, object] = {
    "PL": QT_TRANSLATE_NOOP("OrderValue", "Poland"),
    "CZ": QT_TRANSLATE_NOOP("OrderValue", "Czechia"),
    "SK": QT_TRANSLATE_NOOP("OrderValue", "Slovakia"),
    "HU": QT_TRANSLATE_NOOP("OrderValue", "Hungary"),
    "DE": QT_TRANSLATE_NOOP("OrderValue", "Germany"),
    "LT": QT_TRANSLATE_NOOP("OrderValue", "Lithuania"),
    "UA": QT_TRANSLATE_NOOP("OrderValue", "Ukraine"),
    "AT": QT_TRANSLATE_NOOP("OrderValue", "Austria"),
}


def status_label(status: str) -> str:
    """The buyer's side of an order (`CheckoutForm.status`), in the seller's words."""
    return _label(_STATUS, status)


def seller_status_label(code: str) -> str:
    """The one status a seller reads (`OrderRow.seller_status`: "To send", "Sent", …);
    Allegro's status label for a combination the app does not know."""
    return _label(_SELLER_STATUS, code) if code in _SELLER_STATUS else status_label(code)


def fulfillment_label(status: str | None) -> str:
    """The seller's side (`fulfillment.status`); "" when Allegro sent none."""
    return _label(_FULFILLMENT, status)


def payment_type_label(type: str | None) -> str:
    """`payment.type`; "" when there is no payment yet."""
    return _label(_PAYMENT_TYPE, type)


def payment_provider_label(provider: str | None) -> str:
    """`payment.provider` (PAYU, P24, …) by its brand name; "" when none."""
    return _label(_PAYMENT_PROVIDER, provider)


def marketplace_label(marketplace_id: str | None) -> str:
    """"Allegro.pl", "Allegro.cz", …; "" when unknown to Allegro too."""
    return _label(_MARKETPLACE, marketplace_id)


def quick_filter_label(quick: QuickFilter) -> str:
    """The name of a working stage, as the quick-filter buttons show it."""
    return _label(_QUICK, quick)


def event_type_label(type: str) -> str:
    """What happened, for an order's timeline (`/order/events` types)."""
    return _label(_EVENT_TYPE, type)


def country_label(code: str | None) -> str:
    """A country of an address by name (the marketplaces' countries); its code otherwise."""
    return _label(_COUNTRY, code.upper() if code else code)


# -- links to allegro.pl -------------------------------------------------------------------

def _host(sandbox: bool) -> str:
    return _SANDBOX_HOST if sandbox else _PRODUCTION_HOST


def allegro_order_url(order_id: str, environment_sandbox: bool) -> str:
    """The order's page in the seller's "Moje Allegro" (what "Open in Allegro" opens)."""
    return f"{_host(environment_sandbox)}/moje-allegro/sprzedaz/zamowienia/" \
        + quote(order_id, safe="")


def offer_url(offer_id: str, sandbox: bool) -> str:
    """The public page of an offer."""
    return f"{_host(sandbox)}/oferta/" + quote(offer_id, safe="")
