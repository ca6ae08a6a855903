"""AllegroClient's order write calls (api/order_writes.py) against the emulator over real HTTP:
the fulfillment status with its revision guard, carriers, tracking numbers, invoices and their
PDF files; what is never sent twice; pacing under the resources' own limit; typed errors with
Allegro's userMessage. A stand-in Allegro (httpx.MockTransport) shows what goes over the wire —
every request checked against Allegro's spec — and answers the emulator never gives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from allegro_desktop.api.client import API_MEDIA_TYPE, AllegroClient, make_http_client
from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    ConflictError,
    FileTooLargeError,
    ForbiddenError,
    InvoiceFileExistsError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    StaleRevisionError,
    ValidationError,
)
from allegro_desktop.api.models import Carrier, Shipment
from allegro_desktop.api.order_writes import (
    MAX_INVOICE_FILE_BYTES,
    OTHER_CARRIER,
    RESOURCE_PACE_PER_MINUTE,
)
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.domain.errors import Text
from tests.helpers.api_stack import Api, MakeApi
from tests.helpers.openapi_validation import assert_valid_request

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
INVOICE_WANTED = {"required": True, "address": {
    "street": "Długa 5", "city": "Gdańsk", "zipCode": "80-831", "countryCode": "PL",
    "company": {"name": "Zakład Stolarski Żak", "taxId": "5252248481"}, "naturalPerson": None}}


def new_order(api: Api, *, items: int = 1, **form: Any) -> dict[str, Any]:
    """A paid order bought now, with `items` line items."""
    line_items = [{"offer": {"id": f"1700000000{n}", "name": f"Konewka ogrodowa {n} l"},
                   "quantity": 1, "price": {"amount": "39.00", "currency": "PLN"}}
                  for n in range(items)]
    created: dict[str, Any] = api.emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING", "lineItems": line_items, **form}})["checkoutForms"][0]
    return created


def held_shipments(api: Api, order_id: str) -> list[dict[str, Any]]:
    """What the emulator holds: the ground truth."""
    found: list[dict[str, Any]] = api.emu.control("GET",
                                                  f"/orders/{order_id}/shipments")["shipments"]
    return found


# -- the fulfillment status ------------------------------------------------------------------


async def test_set_fulfillment_with_the_revision_guard(api: Api) -> None:
    order = new_order(api)
    await api.client.set_fulfillment(order["id"], "PROCESSING", revision=order["revision"])
    form = await api.client.checkout_form(order["id"])
    assert form["fulfillment"]["status"] == "PROCESSING"

    with pytest.raises(StaleRevisionError) as stale:
        await api.client.set_fulfillment(order["id"], "SENT", revision="00000000")
    assert isinstance(stale.value, ConflictError)
    assert (stale.value.status, stale.value.code) == (409, "CONFLICT")
    assert isinstance(stale.value.user_message, str)  # Allegro's own words
    assert stale.value.trace_id
    assert (await api.client.checkout_form(order["id"]))["fulfillment"]["status"] == "PROCESSING"

    with pytest.raises(ValidationError) as refused:
        await api.client.set_fulfillment(order["id"], "RETURNED")
    assert refused.value.status == 422


# -- carriers and shipments ------------------------------------------------------------------


async def test_carriers(api: Api) -> None:
    carriers = await api.client.carriers()
    assert Carrier(OTHER_CARRIER, None) in carriers
    assert Carrier("INPOST", "InPost") in carriers
    listed = api.emu.emulator.actions.carriers()
    assert [c.id for c in carriers] == [c["id"] for c in listed]


async def test_add_and_list_tracking_numbers(api: Api) -> None:
    order = new_order(api, items=2)
    first_item, second_item = (li["id"] for li in order["lineItems"])
    added = await api.client.add_shipment(order["id"], carrier_id="DPD",
                                          waybill="0000123456789Q",
                                          line_item_ids=[first_item])
    assert (added.carrier_id, added.waybill, added.carrier_name) == ("DPD", "0000123456789Q",
                                                                     None)
    assert added.line_item_ids == (first_item,)
    assert isinstance(added.created_at, datetime)
    assert added.id == held_shipments(api, order["id"])[0]["id"]

    other = await api.client.add_shipment(order["id"], carrier_id=OTHER_CARRIER,
                                          waybill="KUR-2026-001", carrier_name="Kurier Ślązak",
                                          line_item_ids=[second_item])
    assert other.carrier_name == "Kurier Ślązak"
    listed = await api.client.shipments(order["id"])
    assert listed.shipments == (added, other)
    assert listed.unreadable == ()
    assert listed.has_waybill("KUR-2026-001")
    assert listed.has_waybill("0000123456789Q", "DPD")
    assert not listed.has_waybill("0000123456789Q", "DHL")
    form = await api.client.checkout_form(order["id"])
    assert form["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "ALL"


async def test_the_sellers_setting_marks_the_order_sent(api: Api) -> None:
    api.emu.control("POST", "/settings", {"sent_on_tracking_number": True})
    order = new_order(api)
    await api.client.add_shipment(order["id"], carrier_id="INPOST",
                                  waybill="620012345678901234567")
    assert (await api.client.checkout_form(order["id"]))["fulfillment"]["status"] == "SENT"
    events = await api.client.order_events(types=["FULFILLMENT_STATUS_CHANGED"])
    assert [e["order"]["checkoutForm"]["id"] for e in events][-1] == order["id"]


@pytest.mark.parametrize(("language", "expected"), [
    ("pl-PL", "Nierozpoznana wartość w polu carrierId"),
    (None, "Unrecognized value in the field carrierId"),
])
async def test_a_refused_tracking_number_carries_allegros_words(
        make_api: MakeApi, language: str | None, expected: str) -> None:
    api = await make_api(orders=0, accept_language=language)
    order = new_order(api)
    with pytest.raises(ValidationError) as refused:
        await api.client.add_shipment(order["id"], carrier_id="KURIER_X", waybill="A1")
    error = refused.value
    assert (error.status, error.code) == (400, "CarrierIdValidationException")
    assert error.user_message == expected
    assert error.errors[0]["path"] == "carrierId"
    with pytest.raises(NotFoundError):
        await api.client.add_shipment("2a0e8c30-9c5e-11f0-8de6-e172c4c355e0",
                                      carrier_id="DPD", waybill="A1")
    assert held_shipments(api, order["id"]) == []


async def test_a_tracking_number_is_never_sent_twice(api: Api) -> None:
    """The answer is lost after Allegro took it: the client says so and does not send again;
    the caller finds it on Allegro before trying a second time."""
    order = new_order(api)
    before = api.api_requests()
    api.emu.control("POST", "/faults", {"paths": ["/order/checkout-forms"],
                                        "script": ["truncate"]})
    with pytest.raises(NetworkError):
        await api.client.add_shipment(order["id"], carrier_id="GLS", waybill="GLS0001")
    assert api.api_requests() == before + 1
    assert len(held_shipments(api, order["id"])) == 1
    assert (await api.client.shipments(order["id"])).has_waybill("GLS0001", "GLS")


async def test_writing_needs_the_write_scope(make_api: MakeApi) -> None:
    api = await make_api(orders=0, scope="allegro:api:orders:read")
    order = new_order(api)
    assert (await api.client.shipments(order["id"])).shipments == ()
    with pytest.raises(ForbiddenError):
        await api.client.add_shipment(order["id"], carrier_id="DPD", waybill="A1")
    with pytest.raises(ForbiddenError):
        await api.client.set_fulfillment(order["id"], "PROCESSING")
    assert await api.client.carriers()


async def test_carriers_and_shipments_are_paced_below_their_limit(api: Api) -> None:
    order = new_order(api)
    for _ in range(3):
        await api.client.shipments(order["id"])
    await api.client.carriers()
    spacing = 60 / RESOURCE_PACE_PER_MINUTE
    assert api.sleep.calls  # each resource waits its turn on the (fake) clock
    assert all(abs(wait - spacing) < 1e-6 for wait in api.sleep.calls)


async def test_a_resource_limit_429_pauses_the_client_id(api: Api) -> None:
    api.emu.control("POST", "/ratelimit", {"resources": {"shipments": {"requests": 1,
                                                                       "seconds": 3600}}})
    order = new_order(api)
    await api.client.shipments(order["id"])
    with pytest.raises(RateLimitedError):
        await api.client.add_shipment(order["id"], carrier_id="DPD", waybill="A1")
    assert held_shipments(api, order["id"]) == []
    with pytest.raises(RateLimitedError):  # paused: nothing is sent during the pause
        await api.client.carriers()


# -- invoices ---------------------------------------------------------------------------------


async def test_invoice_and_its_pdf(api: Api) -> None:
    order = new_order(api, invoice=INVOICE_WANTED)
    assert await api.client.invoices(order["id"]) == []
    invoice_id = await api.client.create_invoice(order["id"], file_name="FV 7/2026.pdf",
                                                 invoice_number="FV 7/2026")
    [pending] = await api.client.invoices(order["id"])
    assert (pending.id, pending.number, pending.file_name) == (invoice_id, "FV 7/2026",
                                                               "FV 7/2026.pdf")
    assert pending.uploaded_at is None

    await api.client.upload_invoice_file(order["id"], invoice_id, PDF)
    [done] = await api.client.invoices(order["id"])
    assert isinstance(done.uploaded_at, datetime)
    assert done.scan_status == "ACCEPTED"
    held = api.emu.control("GET", f"/orders/{order['id']}/invoices")["invoices"][0]["file"]
    assert held["size"] == len(PDF)

    with pytest.raises(InvoiceFileExistsError) as twice:
        await api.client.upload_invoice_file(order["id"], invoice_id, PDF)
    assert twice.value.status == 409


async def test_invoice_refusals(api: Api) -> None:
    not_wanted = new_order(api)
    with pytest.raises(ValidationError) as refused:
        await api.client.create_invoice(not_wanted["id"], file_name="f.pdf")
    assert refused.value.status == 422
    assert refused.value.user_message  # Allegro's words, shown as they are

    order = new_order(api, invoice=INVOICE_WANTED)
    invoice_id = await api.client.create_invoice(order["id"], file_name="f.pdf")
    before = api.api_requests()
    with pytest.raises(FileTooLargeError) as too_large:
        await api.client.upload_invoice_file(order["id"], invoice_id,
                                             PDF + b"0" * MAX_INVOICE_FILE_BYTES)
    assert api.api_requests() == before  # refused before sending
    assert isinstance(too_large.value.user_text, Text)
    with pytest.raises(ValidationError) as not_pdf:
        await api.client.upload_invoice_file(order["id"], invoice_id, b"<html></html>")
    assert not_pdf.value.code == "FILE-CONTENT-INVALID"


async def test_an_upload_is_not_sent_again_after_a_lost_answer(api: Api) -> None:
    order = new_order(api, invoice=INVOICE_WANTED)
    invoice_id = await api.client.create_invoice(order["id"], file_name="f.pdf")
    api.emu.control("POST", "/faults", {"paths": ["/order/checkout-forms"], "script": ["drop"]})
    before = api.api_requests()
    with pytest.raises(NetworkError):
        await api.client.upload_invoice_file(order["id"], invoice_id, PDF)
    assert api.api_requests() == before + 1
    [invoice] = await api.client.invoices(order["id"])
    assert invoice.uploaded_at is None  # dropped before it arrived: send it again
    await api.client.upload_invoice_file(order["id"], invoice_id, PDF)


# -- over the wire (a stand-in Allegro) ------------------------------------------------------


class _StaticTokens:
    async def access_token(self) -> str:
        return "token-1"

    async def token_rejected(self, token: str) -> str:
        raise AssertionError("unexpected 401")


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
async def stand_in() -> AsyncIterator[Callable[[Handler], AllegroClient]]:
    clients: list[httpx.AsyncClient] = []

    def make(handler: Handler) -> AllegroClient:
        environment = Environment("production", "https://allegro.pl", "https://api.allegro.pl",
                                  "app", "secret")
        http = make_http_client(transport=httpx.MockTransport(handler))
        clients.append(http)
        return AllegroClient(environment, http=http, tokens=_StaticTokens(),
                             governor=RequestGovernor(), retry=RetryPolicy(max_attempts=1))

    yield make
    for http in clients:
        await http.aclose()


FORM_ID = "29738e61-7f6a-11e8-ac45-09db60ede9d6"


async def test_every_request_is_one_allegros_spec_documents(
        stand_in: Callable[[Handler], AllegroClient]) -> None:
    seen: list[httpx.Request] = []

    def allegro(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if request.method == "GET" and path.endswith("/carriers"):
            return httpx.Response(200, json={"carriers": [{"id": "DPD", "name": "DPD"}]})
        if request.method == "GET" and path.endswith("/shipments"):
            return httpx.Response(200, json={"shipments": []})
        if request.method == "GET" and path.endswith("/invoices"):
            return httpx.Response(200, json={"invoices": []})
        if request.method == "POST" and path.endswith("/shipments"):
            return httpx.Response(201, json={"id": "RFBEOkEx", "waybill": "A1",
                                             "carrierId": "DPD", "lineItems": [{"id": "li-1"}],
                                             "createdAt": "2026-11-20T10:30:00.000Z"})
        if request.method == "POST":
            return httpx.Response(201, json={"id": "inv-1"})
        return httpx.Response(204 if path.endswith("/fulfillment") else 200)

    client = stand_in(allegro)
    await client.set_fulfillment(FORM_ID, "READY_FOR_SHIPMENT", revision="819b5836")
    await client.carriers()
    await client.shipments(FORM_ID)
    await client.add_shipment(FORM_ID, carrier_id="OTHER", waybill="A1", carrier_name="Kurier",
                              line_item_ids=["li-1"])
    await client.invoices(FORM_ID)
    assert await client.create_invoice(FORM_ID, file_name="f.pdf", invoice_number="FV 1") == "inv-1"
    await client.upload_invoice_file(FORM_ID, "inv-1", PDF)
    for request in seen:
        assert_valid_request(request)
        assert request.headers["Accept"] == API_MEDIA_TYPE
    put_status, *_, post_shipment, _list, post_invoice, upload = seen
    assert put_status.url.params["checkoutForm.revision"] == "819b5836"
    assert put_status.content == b'{"status":"READY_FOR_SHIPMENT"}'
    assert post_shipment.content == (b'{"carrierId":"OTHER","waybill":"A1","carrierName":'
                                     b'"Kurier","lineItems":[{"id":"li-1"}]}')
    assert post_invoice.content == b'{"file":{"name":"f.pdf"},"invoiceNumber":"FV 1"}'
    assert upload.headers["Content-Type"] == "application/pdf"
    assert upload.content == PDF


async def test_unreadable_entries_are_kept_aside(
        stand_in: Callable[[Handler], AllegroClient]) -> None:
    def allegro(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/carriers"):
            return httpx.Response(200, json={"carriers": [{"name": "no id"}, {"id": "DPD"},
                                                          "DHL", {"id": "UPS", "name": 7}]})
        if request.method == "POST":
            return httpx.Response(201, content=b"<html>ok</html>")
        return httpx.Response(200, json={"shipments": [
            {"id": "A", "carrierId": "DPD", "waybill": "W1", "createdAt": "yesterday",
             "lineItems": "all"},
            {"id": "B", "carrierId": "DPD"},
            None,
        ]})

    client = stand_in(allegro)
    assert await client.carriers() == [Carrier("DPD"), Carrier("UPS")]
    listed = await client.shipments(FORM_ID)
    assert listed.shipments == (Shipment(id="A", carrier_id="DPD", waybill="W1"),)
    assert listed.unreadable == ("shipment 2: no waybill", "shipment 3: not an object")
    # a 201 whose body is not readable: Allegro took it all the same
    taken = await client.add_shipment(FORM_ID, carrier_id="DPD", waybill="W2")
    assert (taken.id, taken.waybill, taken.carrier_id) == ("", "W2", "DPD")
