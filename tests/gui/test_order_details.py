"""The order details panel, offscreen, showing real `OrderDetails` read by `OrderQueries` from a
real SQLite file filled with the emulator's Polish orders and their event journal."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from allegro_desktop.api.parsing import parse_checkout_form, parse_event, parse_time
from allegro_desktop.domain.filters import OrderFilter, OrderSort, seller_status
from allegro_desktop.domain.orders import Money
from allegro_desktop.domain.phones import phone_text
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import EventRow, OrderDetails, OrderQueries
from allegro_desktop.ui.formatting import (
    allegro_order_url,
    datetime_text,
    event_type_label,
    money_text,
    offer_url,
    seller_status_label,
    status_label,
)
from allegro_desktop.ui.orders.details.panel import SECTIONS, OrderDetailsPanel
from allegro_desktop.ui.orders.details.section import muted_colour

ACCOUNT = "production|48213377"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PL = QLocale("pl_PL")

Find = Callable[[Callable[[OrderDetails], bool]], OrderDetails]


@pytest.fixture(scope="module")
def queries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrderQueries]:
    """300 emulator orders of one seller with their whole journal, stored as a sync would."""
    emulator = Emulator(EmulatorConfig(orders=300, seed=11, now=NOW))
    seller = emulator.default_seller_id
    forms = [orjson.loads(body) for body in emulator.store.all_forms(seller)]
    events = [parse_event(orjson.loads(body))
              for body in emulator.store.events_after(seller, None, None, 100_000)]
    database = Database.open(tmp_path_factory.mktemp("details") / "orders.sqlite3")
    OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, orders=[parse_checkout_form(f, account_key=ACCOUNT) for f in forms],
        events=events, cursor=None)
    yield OrderQueries(database=database)
    database.close()


@pytest.fixture(scope="module")
def all_details(queries: OrderQueries) -> list[OrderDetails]:
    found = [queries.details(seq) for seq in queries.seqs(OrderFilter(), OrderSort())]
    return [d for d in found if d is not None]


@pytest.fixture(scope="module")
def find(all_details: list[OrderDetails]) -> Find:
    def first(condition: Callable[[OrderDetails], bool]) -> OrderDetails:
        found = next((d for d in all_details if condition(d)), None)
        assert found is not None, "the generated shop has no order the test needs"
        return found
    return first


@pytest.fixture
def panel(qtbot: QtBot) -> OrderDetailsPanel:
    panel = OrderDetailsPanel()
    qtbot.addWidget(panel)
    panel.setLocale(PL)
    panel.resize(420, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def money(value: dict[str, Any]) -> str:
    return plain(money_text(Money(Decimal(value["amount"]), value["currency"]), PL))


def plain(text: str) -> str:
    """Non-breaking spaces as the plain text of a label has them: ordinary ones."""
    return text.replace("\u00a0", " ")


def lines(panel: OrderDetailsPanel, section: str) -> list[str]:
    return panel.section_text(section).splitlines()


def label(panel: OrderDetailsPanel, name: str) -> QLabel:
    found = panel.findChild(QLabel, name)
    assert found is not None, name
    return found


def wait_laid_out(qtbot: QtBot, panel: OrderDetailsPanel) -> list[QLabel]:
    """Wait until the layout has run (every text at its full height); the bodies shown."""
    bodies = [label(panel, f"{name}Body") for name in SECTIONS]
    shown = [body for body in bodies if body.isVisible()]

    def tall_enough() -> bool:  # (a label that does not wrap has no height for a width: -1)
        return all(0 < b.heightForWidth(b.width()) <= b.height() + 1 for b in shown)

    qtbot.waitUntil(tall_enough)
    return shown


def activate_first_link(qtbot: QtBot, body: QLabel) -> None:
    """What a keyboard user does: in the text, Tab to its first link and press Enter."""
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    qtbot.keyClick(body, Qt.Key.Key_Return)


def test_an_order_to_a_pickup_point_with_a_company_invoice(
        qtbot: QtBot, panel: OrderDetailsPanel, find: Find) -> None:
    details = find(lambda d: bool(d.form["delivery"]["pickupPoint"]) and len(d.events) > 2
                   and d.form["invoice"]["required"]
                   and bool(d.form["invoice"]["address"]["company"]))
    form = details.form
    panel.show_order(details)
    assert panel.state == "order"
    assert panel.order_id == form["id"]

    # header
    buyer = form["buyer"]
    assert label(panel, "detailsTitle").text() == f"{buyer['firstName']} {buyer['lastName']}"
    assert label(panel, "orderId").text() == form["id"]
    assert plain(label(panel, "orderTotal").text()) == money(form["summary"]["totalToPay"])
    assert label(panel, "statusBadge").text() == seller_status_label(
        seller_status(form["status"], (form.get("fulfillment") or {}).get("status")))
    assert status_label(form["status"]) in label(panel, "allegroStatuses").text()
    bought = max(filter(None, (parse_time(item["boughtAt"]) for item in form["lineItems"])))
    assert datetime_text(bought, PL) in label(panel, "orderMeta").text()

    # buyer: the e-mail is a mailto link
    assert f"Login: {buyer['login']}" in lines(panel, "buyer")
    assert buyer["email"] in lines(panel, "buyer")
    with qtbot.waitSignal(panel.link_activated) as clicked:
        activate_first_link(qtbot, label(panel, "buyerBody"))
    assert clicked.args == [f"mailto:{buyer['email']}"]

    # delivery: the point, its id and address, who collects it
    point = form["delivery"]["pickupPoint"]
    delivery = lines(panel, "delivery")
    assert delivery[1] == form["delivery"]["method"]["name"]
    assert f"Pickup point: {point['name']}" in delivery
    assert point["address"]["street"] in delivery
    assert f"{point['address']['zipCode']} {point['address']['city']}" in delivery
    assert "Poland" in delivery
    address = form["delivery"]["address"]
    assert f"Recipient: {address['firstName']} {address['lastName']}" in delivery
    assert f"Delivery cost: {money(form['delivery']['cost'])}" in delivery
    assert address["street"] not in delivery  # the buyer's home is not where it goes

    # invoice: company, NIP, address
    invoice = form["invoice"]["address"]
    shown = lines(panel, "invoice")
    assert shown[1:3] == ["Invoice requested", invoice["company"]["name"]]
    nip = next(i["value"] for i in invoice["company"]["ids"] if i["type"] == "PL_NIP")
    assert f"NIP: {nip}" in shown
    assert invoice["street"] in shown
    assert f"{invoice['zipCode']} {invoice['city']}" in shown

    # the journal, oldest first, in local time
    cells = [line for line in lines(panel, "timeline")[1:] if line]  # a table: a cell a line
    assert cells == [text for event in details.events
                     for text in (datetime_text(event.occurred_at, PL),
                                  event_type_label(event.type))]


def test_an_order_to_an_address_with_a_message_and_several_items(
        qtbot: QtBot, panel: OrderDetailsPanel, find: Find) -> None:
    details = find(lambda d: not d.form["delivery"]["pickupPoint"]
                   and bool(d.form["messageToSeller"]) and len(d.line_items) > 1)
    form = details.form
    panel.show_order(details)

    address = form["delivery"]["address"]
    delivery = lines(panel, "delivery")
    assert f"{address['firstName']} {address['lastName']}" in delivery
    assert address["street"] in delivery
    assert f"{address['zipCode']} {address['city']}" in delivery
    assert f"Phone: {phone_text(address['phoneNumber'])}" in delivery
    assert not any(line.startswith("Pickup point") for line in delivery)

    assert lines(panel, "message") == ["Message from the buyer", form["messageToSeller"]]

    items = lines(panel, "items")
    for item in form["lineItems"]:
        assert item["offer"]["name"] in items
        position = items.index(item["offer"]["name"])
        codes = items[position + 1]
        assert f"Offer {item['offer']['id']}" in codes
        if item["offer"]["external"]:
            assert f"SKU: {item['offer']['external']['id']}" in codes
        total = plain(money_text(Money(Decimal(item["price"]["amount"]) * item["quantity"],
                                       item["price"]["currency"]), PL))
        assert items[position + 2].endswith(f"= {total}")
        assert items[position + 2].startswith(f"{item['quantity']} × ")
    assert items[-1] == f"Total to pay: {money(form['summary']['totalToPay'])}"

    # an offer's title links to its page (the window opens it)
    with qtbot.waitSignal(panel.link_activated) as clicked:
        activate_first_link(qtbot, label(panel, "itemsBody"))
    assert clicked.args == [offer_url(form["lineItems"][0]["offer"]["id"], False)]


def test_a_discounted_item_shows_its_old_price_struck_through(
        panel: OrderDetailsPanel, find: Find) -> None:
    details = find(lambda d: any(i.original_price.amount > i.price.amount
                                 for i in d.line_items))
    panel.show_order(details)
    item = next(i for i in details.line_items if i.original_price.amount > i.price.amount)
    body = label(panel, "itemsBody").text()
    assert f"<s>{money_text(item.original_price, PL)}</s> {money_text(item.price, PL)}" in body
    full = next(i for i in details.line_items if i.original_price == i.price) \
        if any(i.original_price == i.price for i in details.line_items) else None
    if full is not None:  # its price alone (another item's old price may be the same)
        assert (f"{full.quantity} × {money_text(full.price, PL)} = "
                f"<b>{money_text(full.total, PL)}</b>") in body


def test_payment_states(panel: OrderDetailsPanel, find: Find) -> None:
    paid = find(lambda d: d.row.paid_at is not None and bool(d.form["surcharges"]))
    panel.show_order(paid)
    payment = lines(panel, "payment")
    assert payment[1].startswith("Online payment") or payment[1].startswith("Bank transfer")
    assert paid.row.paid_at is not None
    assert f"Paid {datetime_text(paid.row.paid_at, PL)}" in payment
    assert f"Amount paid: {money(paid.form['payment']['paidAmount'])}" in payment
    surcharge = paid.form["surcharges"][0]
    assert any(line.startswith(f"Surcharge: {money(surcharge['paidAmount'])}")
               for line in payment)

    cod = find(lambda d: d.form["payment"]["type"] == "CASH_ON_DELIVERY"
               and d.form["status"] == "READY_FOR_PROCESSING")
    panel.show_order(cod)
    assert lines(panel, "payment")[1:3] == ["Cash on delivery", "To be paid on delivery"]

    unpaid = find(lambda d: d.form["status"] == "FILLED_IN")
    panel.show_order(unpaid)
    assert "Not paid" in lines(panel, "payment")
    assert label(panel, "statusBadge").text() == "Unpaid"
    assert "Awaiting payment" in label(panel, "allegroStatuses").text()


def test_a_private_invoice_a_note_and_a_guest(panel: OrderDetailsPanel, find: Find) -> None:
    person = find(lambda d: d.form["invoice"]["required"]
                  and bool(d.form["invoice"]["address"]["naturalPerson"]))
    panel.show_order(person)
    natural = person.form["invoice"]["address"]["naturalPerson"]
    assert f"{natural['firstName']} {natural['lastName']}" in lines(panel, "invoice")
    assert not any(line.startswith("NIP") for line in lines(panel, "invoice"))

    noted = find(lambda d: bool(d.form["note"]))
    panel.show_order(noted)
    assert lines(panel, "note") == ["Your note", noted.form["note"]["text"]]

    guest = find(lambda d: d.form["buyer"]["guest"])
    panel.show_order(guest)
    buyer = lines(panel, "buyer")
    assert "Guest purchase (no Allegro account)" in buyer
    assert not any(line.startswith("Login:") for line in buyer)

    plain = find(lambda d: not d.form["invoice"]["required"] and not d.form["note"]
                 and not d.form["messageToSeller"])
    panel.show_order(plain)
    assert lines(panel, "invoice") == ["Invoice", "No invoice requested"]
    assert panel.section_text("note") == ""
    assert panel.section_text("message") == ""
    note = panel.findChild(QWidget, "noteSection")
    assert note is not None
    assert note.isHidden()


def test_empty_and_several_selected(panel: OrderDetailsPanel, find: Find) -> None:
    assert panel.state == "empty"
    assert panel.message_text == "Select an order to see its details"
    assert panel.allegro_url() is None
    panel.show_order(find(lambda d: True))
    assert panel.state == "order"
    panel.show_many(3)
    assert panel.state == "many"
    assert panel.message_text == "3 orders selected"
    assert panel.order_id is None
    panel.show_many(1)
    assert panel.message_text == "1 order selected"
    panel.show_order(None)
    assert panel.state == "empty"
    assert panel.message_text == "Select an order to see its details"
    assert label(panel, "detailsMessage").isVisible()


def test_captions_follow_a_new_palette(panel: OrderDetailsPanel, find: Find) -> None:
    """Switched to a dark palette, the captions take the new muted colour at once (the
    panel's: its sections' palettes are updated only after the panel hears of it)."""
    panel.show_order(find(lambda d: bool(d.events)))
    dark = QPalette(panel.palette())
    dark.setColor(QPalette.ColorRole.WindowText, QColor("white"))
    dark.setColor(QPalette.ColorRole.Window, QColor("black"))
    assert muted_colour(dark) != muted_colour(panel.palette())
    panel.setPalette(dark)
    assert f"color:{muted_colour(dark)}" in label(panel, "timelineBody").text()


def test_open_in_allegro_and_copy_the_id(qtbot: QtBot, panel: OrderDetailsPanel,
                                         find: Find) -> None:
    details = find(lambda d: True)
    panel.show_order(details)
    button = panel.findChild(QPushButton, "openInAllegroButton")
    assert button is not None
    with qtbot.waitSignal(panel.open_in_allegro_requested) as requested:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert requested.args == [allegro_order_url(details.row.id, False)]

    QApplication.clipboard().clear()
    copy = panel.findChild(QToolButton, "copyOrderIdButton")
    assert copy is not None
    with qtbot.waitSignal(panel.order_id_copied) as copied:
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert copied.args == [details.row.id]
    assert QApplication.clipboard().text() == details.row.id


def test_a_sandbox_order_links_to_the_sandbox(qtbot: QtBot, find: Find) -> None:
    panel = OrderDetailsPanel(sandbox=True)
    qtbot.addWidget(panel)
    details = find(lambda d: True)
    panel.show_order(details)
    assert panel.allegro_url() == allegro_order_url(details.row.id, True)
    assert offer_url(details.line_items[0].offer_id, True) in label(panel, "itemsBody").text()
    panel.set_sandbox(False)
    assert "allegrosandbox" not in label(panel, "itemsBody").text()


def test_missing_fields_and_newer_values_are_tolerated(
        panel: OrderDetailsPanel, find: Find) -> None:
    """Allegro may send null for any of it, and statuses the app does not know yet."""
    base = find(lambda d: bool(d.form["delivery"]["pickupPoint"]))
    row = dataclasses.replace(
        base.row, status="AWAITING_SOMETHING_NEW", fulfillment_status=None, buyer_name=None,
        buyer_login=None, buyer_email=None, buyer_phone=None, buyer_company=None,
        buyer_guest=False,  # the data is generated: the order found may be a guest's
        delivery_method=None, delivery_cost=None, payment_type=None, payment_provider=None,
        paid_at=None, pickup_point_id=None, pickup_point_name=None, city="Łódź",
        zip_code="90-001", country_code="PL", invoice_required=False, marketplace_id=None,
        message_to_seller="Proszę o szybką wysyłkę — zażółć gęślą jaźń <b>!</b>", note=None)
    nulls = {"id": row.id, "buyer": None, "delivery": {"address": None, "pickupPoint": None,
                                                       "method": None, "cost": None,
                                                       "time": None},
             "payment": None, "invoice": None, "surcharges": None, "note": None,
             "lineItems": None, "summary": None, "status": "AWAITING_SOMETHING_NEW"}
    for form in ({}, nulls):
        panel.show_order(dataclasses.replace(base, row=row, events=(), form=form))
        assert label(panel, "statusBadge").text() == "AWAITING_SOMETHING_NEW"
        assert lines(panel, "delivery")[1:] == ["90-001 Łódź", "Poland"]
        # the text is shown as text, never as markup
        assert lines(panel, "message")[1] == row.message_to_seller
        assert lines(panel, "payment")[1:] == ["Not paid"]
        assert lines(panel, "invoice")[1:] == ["No invoice requested"]
        assert lines(panel, "timeline")[1].startswith("No events are stored")
        assert panel.section_text("buyer") == ""
        assert label(panel, "detailsTitle").text() == "Order"


def test_showing_the_same_order_again_keeps_the_scroll_position(
        qtbot: QtBot, panel: OrderDetailsPanel, find: Find) -> None:
    long_one = find(lambda d: len(d.line_items) > 1 and len(d.events) > 3)
    panel.resize(420, 300)
    panel.show_order(long_one)
    scroll = panel.findChild(QScrollArea, "detailsScroll")
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200)
    bar.setValue(200)
    panel.show_order(long_one)  # refreshed after a sync
    assert bar.value() == 200
    panel.show_order(find(lambda d: d.row.id != long_one.row.id))
    assert bar.value() == 0


@pytest.mark.parametrize("width", [360, 420, 480])
def test_nothing_is_wider_than_the_panel(qtbot: QtBot, panel: OrderDetailsPanel, find: Find,
                                         width: int) -> None:
    """Long names, titles and messages wrap: no section is cut at the panel's edge."""
    details = find(lambda d: len(d.line_items) > 1 and bool(d.form["invoice"]["required"]))
    long_title = ("Zestaw garnków ze stali nierdzewnej z pokrywkami, indukcja, gaz, "
                  "12 elementów, żeliwna patelnia gratis — wysyłka w 24 h")
    items = (dataclasses.replace(details.line_items[0], offer_name=long_title),
             *details.line_items[1:])
    row = dataclasses.replace(
        details.row, buyer_company="Przedsiębiorstwo Handlowo-Usługowe „Źdźbło” Grzegorz "
                                   "Brzęczyszczykiewicz spółka komandytowa",
        message_to_seller="Bardzo proszę o staranne zapakowanie, to prezent urodzinowy dla "
                          "babci; najlepiej dostarczyć przed piątkiem, dziękuję serdecznie!")
    panel.resize(width, 700)
    panel.show_order(dataclasses.replace(details, row=row, line_items=items))
    scroll = panel.findChild(QScrollArea, "detailsScroll")
    assert scroll is not None
    shown = wait_laid_out(qtbot, panel)
    assert len(shown) >= 5
    viewport = scroll.viewport().width()
    assert scroll.widget().width() <= viewport
    for body in shown:
        right = body.mapTo(scroll.widget(), body.rect().topRight()).x()
        assert right < viewport, body.objectName()
        # the label wraps: it can be as narrow as its longest word ...
        assert body.minimumSizeHint().width() <= body.width(), body.objectName()
        # ... and no word is longer than its line
        document = QTextDocument()
        document.setDefaultFont(body.font())
        document.setDocumentMargin(0)
        document.setHtml(body.text())
        document.setTextWidth(body.contentsRect().width())
        assert document.idealWidth() <= body.contentsRect().width(), body.objectName()


def test_an_unbreakable_address_does_not_widen_the_panel(
        qtbot: QtBot, panel: OrderDetailsPanel, find: Find) -> None:
    """An e-mail longer than the panel is cut in its own line; the rest still fits."""
    details = find(lambda d: not d.form["buyer"]["guest"])
    email = "zamowieniahurtoweprzedsiebiorstwa@handlowouslugowezdzblobrzeczyszczykiewicz.pl"
    panel.resize(360, 700)
    panel.show_order(dataclasses.replace(
        details, row=dataclasses.replace(details.row, buyer_email=email)))
    wait_laid_out(qtbot, panel)
    scroll = panel.findChild(QScrollArea, "detailsScroll")
    assert scroll is not None
    assert scroll.widget().width() <= scroll.viewport().width()
    assert email in lines(panel, "buyer")


def test_screenshot_at_420_px(qtbot: QtBot, panel: OrderDetailsPanel, find: Find,
                              tmp_path: Path) -> None:
    """A picture to look at (saved under /tmp/shots when that folder exists)."""
    details = find(lambda d: bool(d.form["delivery"]["pickupPoint"])
                   and d.form["invoice"]["required"] and len(d.events) > 2)
    panel.resize(420, 1150)
    panel.show_order(details)
    wait_laid_out(qtbot, panel)
    scroll = panel.findChild(QScrollArea, "detailsScroll")
    assert scroll is not None
    qtbot.waitUntil(lambda: not scroll.verticalScrollBar().isVisible())  # it all fits
    target = tmp_path / "order_details_420.png"
    assert panel.grab().save(str(target))
    assert target.stat().st_size > 10_000


def test_an_order_of_the_year_9999_for_the_largest_amount_in_a_far_time_zone(
        monkeypatch: pytest.MonkeyPatch, panel: OrderDetailsPanel, find: Find) -> None:
    """Stored as Allegro sent it, shown as it is: its times as dates (in UTC, marked so, where
    +14:00 puts them in the year 10000), its money to the grosz."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        base = find(lambda d: d.row.paid_at is not None and len(d.line_items) == 1)
        last = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
        largest = Money(Decimal("9999999999999.99"), "PLN")
        row = dataclasses.replace(base.row, bought_at=last, paid_at=last, updated_at=last,
                                  total=largest, delivery_cost=None)
        item = dataclasses.replace(base.line_items[0], price=largest, original_price=largest,
                                   quantity=1, bought_at=last)
        events = (EventRow(event_id="1", type="BOUGHT", occurred_at=last, revision=None),
                  EventRow(event_id="2", type="SOMETHING_NEW",
                           occurred_at=datetime(1, 1, 1, tzinfo=UTC), revision=None))
        panel.show_order(dataclasses.replace(base, row=row, line_items=(item,), events=events))
        shown = "\n".join(panel.section_text(name) for name in SECTIONS)
        assert "31.12.9999 23:30 UTC" in shown
        assert "1.01.0001 00:00 UTC" in shown
        assert "9 999 999 999 999,99 zł" in plain(shown)
    finally:
        monkeypatch.undo()
        time.tzset()
