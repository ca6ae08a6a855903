"""ui/formatting.py: money, times and Allegro's values as the seller reads them, in pl_PL and
en_US (locales passed explicitly), in a pinned time zone; and the labels really translatable."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from allegro_desktop.domain.filters import QuickFilter
from allegro_desktop.domain.orders import (
    EventType,
    FulfillmentStatus,
    Marketplace,
    Money,
    OrderStatus,
    PaymentType,
)
from allegro_desktop.services import export
from allegro_desktop.ui import formatting
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
    quick_filter_label,
    status_label,
)

PL = QLocale("pl_PL")
EN = QLocale("en_US")
NBSP = "\u00a0"


@pytest.fixture
def warsaw(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system time zone is Europe/Warsaw (the sellers' own) for the test."""
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def pln(amount: str) -> Money:
    return Money(Decimal(amount), "PLN")


# -- money ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("money", "polish", "english"), [
    (pln("245.00"), f"245,00{NBSP}zł", f"PLN{NBSP}245.00"),
    (pln("0.5"), f"0,50{NBSP}zł", f"PLN{NBSP}0.50"),
    (pln("12345.67"), f"12{NBSP}345,67{NBSP}zł", f"PLN{NBSP}12,345.67"),
    (pln("9999999999.99"), f"9{NBSP}999{NBSP}999{NBSP}999,99{NBSP}zł",
     f"PLN{NBSP}9,999,999,999.99"),
    (Money(Decimal("899.00"), "CZK"), f"899,00{NBSP}Kč", f"CZK{NBSP}899.00"),
    (Money(Decimal("16.99"), "EUR"), f"16,99{NBSP}€", "€16.99"),
    (Money(Decimal("12000.00"), "HUF"), f"12{NBSP}000,00{NBSP}Ft", f"HUF{NBSP}12,000.00"),
    (Money(Decimal("3.10"), "USD"), f"3,10{NBSP}USD", f"USD{NBSP}3.10"),
    (pln("-5.50"), f"-5,50{NBSP}zł", f"-PLN{NBSP}5.50"),
])
def test_money_as_each_locale_writes_it(money: Money, polish: str, english: str) -> None:
    assert money_text(money, PL) == polish
    assert money_text(money, EN) == english


def test_money_in_the_c_locale_is_spaced() -> None:
    c = QLocale.c()
    assert money_text(pln("59.98"), c) == f"59.98{NBSP}zł"
    assert money_text(Money(Decimal("16.99"), "EUR"), c) == f"16.99{NBSP}€"


def test_money_is_exact_to_the_grosz() -> None:
    """Every amount of two decimals up to billions shows exactly (no float drift)."""
    for minor in (1, 29_99, 1_000_01, 123_456_789_01, 999_999_999_99, 100_000_000_000_05):
        text = money_text(Money.from_minor(minor, "PLN"), PL)
        digits = text.replace(NBSP, "").removesuffix("zł").replace(",", "")
        assert int(digits) == minor, text


# -- times ---------------------------------------------------------------------------------

@pytest.mark.usefixtures("warsaw")
def test_times_are_shown_in_the_local_time_zone() -> None:
    winter = datetime(2026, 11, 24, 13, 3, 7, tzinfo=UTC)
    assert datetime_text(winter, PL) == "24.11.2026 14:03"
    assert datetime_text(winter, PL, seconds=True) == "24.11.2026 14:03:07"
    summer = datetime(2026, 7, 1, 10, 0, 59, tzinfo=UTC)  # CEST: two hours ahead
    assert datetime_text(summer, PL) == "1.07.2026 12:00"
    assert datetime_text(summer, EN) == "7/1/26 12:00\u202fPM"
    assert datetime_text(summer, EN, seconds=True) == "7/1/26 12:00:59\u202fPM"
    # a naive datetime is taken as UTC, as the database stores times
    assert datetime_text(winter.replace(tzinfo=None), PL) == "24.11.2026 14:03"


@pytest.mark.usefixtures("warsaw")
def test_the_day_is_the_local_day() -> None:
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # already the 25th in Warsaw
    assert date_text(late, PL) == "25.11.2026"
    assert date_text(late, EN) == "11/25/26"
    assert date_text(date(2026, 12, 24), PL) == "24.12.2026"


def test_another_time_zone_moves_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert datetime_text(datetime(2026, 11, 24, 13, 3, tzinfo=UTC), PL) == "24.11.2026 08:03"
    finally:
        monkeypatch.undo()
        time.tzset()


# -- Allegro's values ----------------------------------------------------------------------

def test_seller_friendly_labels() -> None:
    assert status_label("READY_FOR_PROCESSING") == "Paid, ready to process"
    assert status_label("FILLED_IN") == "Awaiting payment"
    assert status_label("CANCELLED") == "Cancelled"
    assert fulfillment_label("READY_FOR_SHIPMENT") == "Ready for shipment"
    assert fulfillment_label("PICKED_UP") == "Picked up"
    assert payment_type_label("CASH_ON_DELIVERY") == "Cash on delivery"
    assert payment_type_label("WIRE_TRANSFER") == "Bank transfer"
    assert payment_provider_label("P24") == "Przelewy24"
    assert marketplace_label("allegro-pl") == "Allegro.pl"
    assert marketplace_label("allegro-cz") == "Allegro.cz"
    assert marketplace_label("allegro-hu") == "Allegro.hu"
    assert event_type_label("BUYER_MODIFIED") == "Buyer changed the delivery address"
    assert event_type_label("AUTO_CANCELLED") == "Cancelled by Allegro (not paid in time)"
    assert country_label("PL") == "Poland"
    assert country_label("cz") == "Czechia"
    assert [quick_filter_label(q) for q in QuickFilter] == [
        "To process", "Processing", "Sent", "Cancelled", "Unpaid", "All"]


@pytest.mark.parametrize(("label", "values"), [
    (status_label, list(OrderStatus)),
    (fulfillment_label, list(FulfillmentStatus)),
    (payment_type_label, list(PaymentType)),
    (event_type_label, list(EventType)),
    (marketplace_label, list(Marketplace)),
])
def test_every_known_value_has_a_label(label: object, values: list[str]) -> None:
    assert callable(label)
    shown = [label(value) for value in values]
    assert all(text and text != value for text, value in zip(shown, values, strict=True))
    assert len(set(shown)) == len(shown)


def test_newer_values_are_shown_as_sent_and_none_as_nothing() -> None:
    """A status Allegro adds later is shown as it came, never an error."""
    assert status_label("AWAITING_SOMETHING_NEW") == "AWAITING_SOMETHING_NEW"
    assert fulfillment_label("IN_TRANSIT_2027") == "IN_TRANSIT_2027"
    assert payment_type_label("BLIK_LATER") == "BLIK_LATER"
    assert event_type_label("SELLER_CANCELLED") == "SELLER_CANCELLED"
    assert marketplace_label("allegro-ro") == "allegro-ro"
    assert country_label("FR") == "FR"
    for none_label in (fulfillment_label, payment_type_label, payment_provider_label,
                       marketplace_label, country_label):
        assert none_label(None) == ""


def test_labels_are_translated_in_the_order_value_context(qapp: QApplication,
                                                          tmp_path: Path) -> None:
    """A Polish translation file for the "OrderValue" context changes what the labels say."""
    source = tmp_path / "pl.ts"
    source.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="pl_PL"><context><name>OrderValue</name>'
        "<message><source>Paid, ready to process</source>"
        "<translation>Opłacone, do realizacji</translation></message>"
        "<message><source>To process</source><translation>Do wysłania</translation></message>"
        "<message><source>Cash on delivery</source><translation>Za pobraniem</translation>"
        "</message></context></TS>\n", encoding="utf-8")
    compiled = tmp_path / "pl.qm"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), str(source),
                    "-qm", str(compiled)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(compiled))
    assert QCoreApplication.installTranslator(translator)
    try:
        assert status_label("READY_FOR_PROCESSING") == "Opłacone, do realizacji"
        assert quick_filter_label(QuickFilter.TO_PROCESS) == "Do wysłania"
        assert payment_type_label("CASH_ON_DELIVERY") == "Za pobraniem"
        assert status_label("CANCELLED") == "Cancelled"  # not translated: the source text
    finally:
        QCoreApplication.removeTranslator(translator)
    assert status_label("READY_FOR_PROCESSING") == "Paid, ready to process"


def test_lupdate_finds_every_label(tmp_path: Path) -> None:
    """Every source text of the label tables is marked for lupdate (a translator sees it)."""
    catalogue = tmp_path / "found.ts"
    # the status and payment labels are the export's table (services/export.py)
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"),
                    formatting.__file__, export.__file__, "-ts", str(catalogue)],
                   check=True, capture_output=True)
    found = catalogue.read_text(encoding="utf-8")
    assert "<name>OrderValue</name>" in found
    tables = [formatting._STATUS, formatting._FULFILLMENT, formatting._PAYMENT_TYPE,
              formatting._PAYMENT_PROVIDER, formatting._MARKETPLACE, formatting._QUICK,
              formatting._EVENT_TYPE, formatting._COUNTRY]
    texts = {str(text) for table in tables for text in table.values()}
    assert len(texts) > 40
    missing = sorted(t for t in texts if f"<source>{t.replace('&', '&amp;')}</source>"
                     not in found.replace("&apos;", "'"))
    assert not missing


# -- links ---------------------------------------------------------------------------------

def test_links_to_allegro() -> None:
    order = "29f3c3a0-c4e5-11f1-aa7e-1ba7caa188a7"
    assert allegro_order_url(order, False) == \
        f"https://allegro.pl/moje-allegro/sprzedaz/zamowienia/{order}"
    assert allegro_order_url(order, True) == \
        f"https://allegro.pl.allegrosandbox.pl/moje-allegro/sprzedaz/zamowienia/{order}"
    assert offer_url("17007655587", False) == "https://allegro.pl/oferta/17007655587"
    assert offer_url("17007655587", True) == \
        "https://allegro.pl.allegrosandbox.pl/oferta/17007655587"
    # an id is a path segment, whatever it holds
    assert offer_url("a/b?c", False) == "https://allegro.pl/oferta/a%2Fb%3Fc"


@pytest.mark.parametrize(("zone", "last", "first"), [
    # +14:00: 9999-12-31 23:59:59 UTC is in the year 10000 there, shown in UTC; the year 1
    # ran on local mean time (-10:29) there, so its first moment is in the year 0.
    ("Pacific/Kiritimati", "31.12.9999 23:59:59 UTC", "1.01.0001 00:00:00 UTC"),
    # -12:00: the last moment is a local time; the first is in the year 0.
    ("Etc/GMT+12", "31.12.9999 11:59:59", "1.01.0001 00:00:00 UTC"),
])
def test_the_first_and_last_storable_moments_are_shown_as_dates(
        monkeypatch: pytest.MonkeyPatch, zone: str, last: str, first: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        latest = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
        earliest = datetime(1, 1, 1, tzinfo=UTC)
        assert datetime_text(latest, PL, seconds=True) == last
        assert datetime_text(earliest, PL, seconds=True) == first
        assert date_text(earliest, PL) == "1.01.0001 UTC"
        day = last.partition(" ")[0]
        assert date_text(latest, PL) == day + (" UTC" if "UTC" in last else "")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_largest_storable_amount_is_shown_to_the_grosz() -> None:
    largest = Money(Decimal("9999999999999.99"), "PLN")
    assert money_text(largest, PL) == f"9{NBSP}999{NBSP}999{NBSP}999{NBSP}999,99{NBSP}zł"
    assert money_text(Money(-largest.amount, "PLN"), EN) == \
        f"-PLN{NBSP}9,999,999,999,999.99"
