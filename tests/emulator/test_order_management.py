"""The emulator's order write API over real HTTP: the fulfillment status, carriers, tracking
numbers (shipments) and invoices (ALLEGRO-API.md §11, §12), their scopes, limits and faults, and
the control API's view of what Allegro holds.

Every request a test means to be valid is checked against Allegro's spec (the subset in
tests/data), and every answer too, with tests/helpers/openapi_validation.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

import httpx
import pytest

from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.openapi_validation import assert_valid, assert_valid_request

REST = "application/vnd.allegro.public.v1+json"
FORMS = "/order/checkout-forms"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
INVOICE_WANTED = {"required": True, "address": {
    "street": "Długa 5", "city": "Gdańsk", "zipCode": "80-831", "countryCode": "PL",
    "company": {"name": "Zakład Stolarski Żak", "taxId": "5252248481"}, "naturalPerson": None}}


class Seller:
    """One seller's token and the REST calls a test makes with it, each checked against the
    spec: the request when it is meant to be valid, the answer always."""

    def __init__(self, emu: RunningEmulator, token: str) -> None:
        self.emu = emu
        self.token = token

    def call(self, method: str, path: str, *, json: Any = None, content: bytes | None = None,
             content_type: str = REST, params: dict[str, str] | None = None,
             valid_request: bool = True, undocumented: bool = False,
             **headers: str) -> httpx.Response:
        sent = {"Authorization": f"Bearer {self.token}", "Accept": REST, **headers}
        if json is not None:
            content = body_of(json)
        if content is not None:
            sent["Content-Type"] = content_type
        response = self.emu.http.request(method, path, params=params, content=content,
                                         headers=sent)
        if valid_request:
            assert_valid_request(response.request)
        assert_valid(response, allow_undocumented_status=undocumented)
        return response

    def form(self, order_id: str) -> dict[str, Any]:
        response = self.call("GET", f"{FORMS}/{order_id}")
        assert response.status_code == 200, response.text
        form: dict[str, Any] = response.json()
        return form

    def events(self, order_id: str) -> list[str]:
        body = self.call("GET", "/order/events", params={"limit": "1000"}).json()
        return [e["type"] for e in body["events"] if e["order"]["checkoutForm"]["id"] == order_id]

    def add_shipment(self, order_id: str, body: dict[str, Any], **options: Any) -> httpx.Response:
        return self.call("POST", f"{FORMS}/{order_id}/shipments", json=body, **options)

    def shipments(self, order_id: str) -> list[dict[str, Any]]:
        response = self.call("GET", f"{FORMS}/{order_id}/shipments")
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["shipments"]
        return found

    def put_status(self, order_id: str, status: str, revision: str | None = None,
                   **options: Any) -> httpx.Response:
        params = {"checkoutForm.revision": revision} if revision is not None else None
        return self.call("PUT", f"{FORMS}/{order_id}/fulfillment", json={"status": status},
                         params=params, **options)


def body_of(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def login(emu: RunningEmulator, *, scope: str | None = None, seller: str | None = None) -> Seller:
    """A seller's token through the real device flow, for `scope` (all the app's if None)."""
    device = emu.start_device(**({"scope": scope} if scope else {}))
    emu.control("POST", "/device/approve",
                {"user_code": device["user_code"]} | ({"seller": seller} if seller else {}))
    response = emu.poll(device["device_code"])
    assert response.status_code == 200, response.text
    return Seller(emu, response.json()["access_token"])


def new_order(emu: RunningEmulator, *, items: int = 1, **form: Any) -> dict[str, Any]:
    """A paid order bought now, with `items` line items."""
    line_items = [{"offer": {"id": f"1700000000{n}", "name": f"Doniczka ceramiczna nr {n}"},
                   "quantity": 1, "price": {"amount": "24.99", "currency": "PLN"}}
                  for n in range(items)]
    given = {"status": "READY_FOR_PROCESSING", "lineItems": line_items, **form}
    created: dict[str, Any] = emu.control("POST", "/orders",
                                          {"checkoutForm": given})["checkoutForms"][0]
    return created


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator(orders=0)


@pytest.fixture
def seller(emu: RunningEmulator) -> Seller:
    return login(emu)


def first_error(response: httpx.Response) -> dict[str, Any]:
    errors: list[dict[str, Any]] = response.json()["errors"]
    assert len(errors) == 1
    return errors[0]


# -- the fulfillment status ------------------------------------------------------------------


def test_fulfillment_status_with_the_revision_guard(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    oid = order["id"]
    done = seller.put_status(oid, "PROCESSING", revision=order["revision"])
    assert done.status_code == 204, done.text
    form = seller.form(oid)
    assert form["fulfillment"]["status"] == "PROCESSING"
    assert seller.events(oid)[-1] == "FULFILLMENT_STATUS_CHANGED"
    changes = seller.events(oid).count("FULFILLMENT_STATUS_CHANGED")

    stale = seller.put_status(oid, "SENT", revision="00000000")
    assert stale.status_code == 409
    error = first_error(stale)
    assert (error["code"], error["message"]) == ("CONFLICT", "Provided revision is outdated")
    assert error["userMessage"]
    assert seller.form(oid)["fulfillment"]["status"] == "PROCESSING"

    again = seller.put_status(oid, "PROCESSING", revision=form["revision"])
    assert again.status_code == 204  # idempotent: no change, no event
    assert seller.events(oid).count("FULFILLMENT_STATUS_CHANGED") == changes

    unguarded = seller.put_status(oid, "READY_FOR_SHIPMENT")
    assert unguarded.status_code == 204
    assert seller.form(oid)["fulfillment"]["status"] == "READY_FOR_SHIPMENT"
    assert seller.events(oid).count("FULFILLMENT_STATUS_CHANGED") == changes + 1


@pytest.mark.parametrize("status", ["RETURNED", "DONE"])
def test_statuses_a_seller_cannot_set(emu: RunningEmulator, seller: Seller, status: str) -> None:
    order = new_order(emu)
    refused = seller.put_status(order["id"], status, valid_request=status != "DONE")
    assert refused.status_code == 422
    assert first_error(refused)["code"] == "VALIDATION_ERROR"
    assert seller.form(order["id"])["fulfillment"]["status"] == "NEW"


def test_a_bad_fulfillment_request(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    path = f"{FORMS}/{order['id']}/fulfillment"
    as_json = seller.call("PUT", path, json={"status": "SENT"}, content_type="application/json",
                          valid_request=False, undocumented=True)
    assert as_json.status_code == 415
    no_status = seller.call("PUT", path, json={"state": "SENT"}, valid_request=True)
    assert no_status.status_code == 422
    unknown = seller.put_status(str(uuid.uuid1()), "SENT")
    assert unknown.status_code == 404
    assert first_error(unknown)["code"] == "CheckoutFormNotFoundException"


def test_100_status_changes_per_order_at_most(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    for n in range(100):  # every accepted PUT counts, a repeat too (ALLEGRO-API.md §11.2)
        status = "PROCESSING" if n < 99 else "READY_FOR_SHIPMENT"
        assert seller.put_status(order["id"], status).status_code == 204
    refused = seller.put_status(order["id"], "SENT")
    assert refused.status_code == 422
    assert first_error(refused)["code"] == "SellerOrdersStoreUnprocessableEntityException"
    assert seller.form(order["id"])["fulfillment"]["status"] == "READY_FOR_SHIPMENT"
    other = new_order(emu)
    assert seller.put_status(other["id"], "SENT").status_code == 204  # per order


# -- carriers ---------------------------------------------------------------------------------


def test_carriers_for_any_user_token(emu: RunningEmulator) -> None:
    profile_only = login(emu, scope="allegro:api:profile:read")
    response = profile_only.call("GET", "/order/carriers")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("max-age=")
    carriers = response.json()["carriers"]
    ids = [c["id"] for c in carriers]
    assert len(ids) == len(set(ids))
    assert {"ALLEGRO", "DPD", "INPOST", "POCZTA_POLSKA", "OTHER"} <= set(ids)
    assert all(c.get("name") for c in carriers if c["id"] != "OTHER")
    anonymous = emu.http.get("/order/carriers", headers={"Accept": REST})
    assert_valid(anonymous)
    assert anonymous.status_code == 401


# -- shipments --------------------------------------------------------------------------------


def test_tracking_numbers_per_line_item(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu, items=3)
    oid = order["id"]
    items = [li["id"] for li in order["lineItems"]]
    events_before = seller.events(oid)
    assert seller.shipments(oid) == []

    first = seller.add_shipment(oid, {"carrierId": "INPOST", "waybill": "620012345678901234567",
                                      "lineItems": [{"id": items[0]}, {"id": items[1]}]})
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["id"] == base64.b64encode(b"INPOST:620012345678901234567").decode()
    assert (created["carrierId"], created["waybill"]) == ("INPOST", "620012345678901234567")
    assert created["carrierName"] is None
    assert [li["id"] for li in created["lineItems"]] == items[:2]
    assert created["createdAt"].endswith("Z")
    form = seller.form(oid)
    assert form["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "SOME"
    assert form["fulfillment"]["status"] == "NEW"  # the seller's setting is off
    # a tracking number moves neither updatedAt nor revision, and records no event ([#4355])
    assert (form["updatedAt"], form["revision"]) == (order["updatedAt"], order["revision"])
    assert seller.events(oid) == events_before

    second = seller.add_shipment(oid, {"carrierId": "OTHER", "waybill": "KUR-2026-001",
                                       "carrierName": "Kurier Ślązak",
                                       "lineItems": [{"id": items[2]}]})
    assert second.status_code == 201
    assert second.json()["carrierName"] == "Kurier Ślązak"
    assert seller.form(oid)["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "ALL"

    listed = seller.shipments(oid)
    assert listed == [created, second.json()]
    assert emu.control("GET", f"/orders/{oid}/shipments")["shipments"] == listed
    assert emu.control("GET", "/checkout-forms")["shipments"] == {oid: listed}


def test_a_tracking_number_without_line_items_covers_the_whole_order(
        emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu, items=2)
    created = seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "0000123456789Q"})
    assert created.status_code == 201
    assert {li["id"] for li in created.json()["lineItems"]} == {
        li["id"] for li in order["lineItems"]}
    assert seller.form(order["id"])["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "ALL"


def test_the_same_tracking_number_twice_is_kept_twice(emu: RunningEmulator,
                                                      seller: Seller) -> None:
    """Allegro keeps what it is sent ([#12346]): a client that sends twice has two parcels."""
    order = new_order(emu)
    body = {"carrierId": "DHL", "waybill": "12345678910PL"}
    ids = [seller.add_shipment(order["id"], body).json()["id"] for _ in range(2)]
    assert ids[0] == "REhMOjEyMzQ1Njc4OTEwUEw="  # the spec's example id
    assert ids[0] != ids[1]
    assert [s["waybill"] for s in seller.shipments(order["id"])] == ["12345678910PL"] * 2


SHIPMENT_REFUSALS = [
    ({"waybill": "A1"}, 400, "CarrierIdValidationException", "carrierId", False),
    ({"carrierId": "KURIER_X", "waybill": "A1"}, 400, "CarrierIdValidationException",
     "carrierId", True),
    ({"carrierId": "DPD", "waybill": ""}, 400, "WaybillValidationException", "waybill", True),
    ({"carrierId": "DPD", "waybill": "9" * 65}, 400, "WaybillValidationException", "waybill",
     False),
    ({"carrierId": "DPD", "waybill": "24XI00743314*001001"}, 400, "WaybillValidationException",
     "waybill", True),
    ({"carrierId": "OTHER", "waybill": "A1"}, 400, "CarrierNameValidationException",
     "carrierName", True),
    ({"carrierId": "OTHER", "waybill": "A1", "carrierName": "P" * 31}, 400,
     "CarrierNameValidationException", "carrierName", False),
    ({"carrierId": "DPD", "waybill": "A1", "lineItems": [{"id": str(uuid.uuid4())}]}, 422,
     "VALIDATION_ERROR", "lineItems", True),
]


@pytest.mark.parametrize(("body", "status", "code", "path", "valid_request"), SHIPMENT_REFUSALS)
def test_shipment_refusals_as_allegro_words_them(emu: RunningEmulator, seller: Seller,
                                                 body: dict[str, Any], status: int, code: str,
                                                 path: str, valid_request: bool) -> None:
    order = new_order(emu)
    refused = seller.add_shipment(order["id"], body, valid_request=valid_request,
                                  **{"Accept-Language": "pl-PL"})
    assert refused.status_code == status, refused.text
    error = first_error(refused)
    assert (error["code"], error["path"]) == (code, path)
    assert error["message"]
    assert error["userMessage"]
    assert seller.shipments(order["id"]) == []


def test_refusals_quoted_from_allegro(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    unknown = seller.add_shipment(order["id"], {"carrierId": "KURIER_X", "waybill": "A1"},
                                  **{"Accept-Language": "pl-PL"})
    assert first_error(unknown)["message"] == "Unrecognized value in the field: carrierId"
    assert first_error(unknown)["userMessage"] == "Nierozpoznana wartość w polu carrierId"
    bad = seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "A*1"},
                              **{"Accept-Language": "pl-PL"})
    assert first_error(bad)["message"] == "Tracking number is invalid"
    assert first_error(bad)["userMessage"] == "Przekazany numer przesyłki jest niepoprawny"
    english = seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "A*1"},
                                  **{"Accept-Language": "en-US"})
    assert first_error(english)["message"] == "Tracking number is invalid"
    assert first_error(english)["userMessage"] != first_error(bad)["userMessage"]


def test_a_bad_shipment_request(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    path = f"{FORMS}/{order['id']}/shipments"
    as_json = seller.call("POST", path, json={"carrierId": "DPD", "waybill": "A1"},
                          content_type="application/json", valid_request=False,
                          undocumented=True)
    assert as_json.status_code == 415  # [#3822]
    not_json = seller.call("POST", path, content=b"{carrierId", valid_request=False)
    assert not_json.status_code == 400
    missing = seller.add_shipment(str(uuid.uuid1()), {"carrierId": "DPD", "waybill": "A1"})
    assert missing.status_code == 404
    assert seller.call("GET", f"{FORMS}/{uuid.uuid1()}/shipments").status_code == 404


def test_sent_when_a_tracking_number_is_added_if_the_seller_chose_so(
        emu: RunningEmulator, seller: Seller) -> None:
    assert emu.control("GET", "/settings")["sent_on_tracking_number"] is False
    emu.control("POST", "/settings", {"sent_on_tracking_number": True})
    order = new_order(emu, items=2)
    seller.put_status(order["id"], "READY_FOR_SHIPMENT")
    item = order["lineItems"][0]["id"]
    seller.add_shipment(order["id"], {"carrierId": "POCZTA_POLSKA", "waybill": "PX1234567890",
                                      "lineItems": [{"id": item}]})
    form = seller.form(order["id"])
    assert form["fulfillment"]["status"] == "SENT"
    assert form["fulfillment"]["shipmentSummary"]["lineItemsSent"] == "SOME"
    assert seller.events(order["id"])[-2:] == ["FULFILLMENT_STATUS_CHANGED"] * 2

    cancelled = new_order(emu)
    seller.put_status(cancelled["id"], "CANCELLED")
    seller.add_shipment(cancelled["id"], {"carrierId": "DPD", "waybill": "A1"})
    assert seller.form(cancelled["id"])["fulfillment"]["status"] == "CANCELLED"


def test_the_setting_belongs_to_one_seller(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=0, sellers=2)
    first, second = list(emu.emulator.store.sellers)
    emu.control("POST", "/settings", {"seller": second, "sent_on_tracking_number": True})
    assert emu.control("GET", f"/settings?seller={first}")["sent_on_tracking_number"] is False
    mine = login(emu, seller=first)
    order = new_order(emu)
    mine.add_shipment(order["id"], {"carrierId": "GLS", "waybill": "GLS123"})
    assert mine.form(order["id"])["fulfillment"]["status"] == "NEW"
    theirs = login(emu, seller=second)
    hidden = theirs.call("GET", f"{FORMS}/{order['id']}/shipments")
    assert hidden.status_code == 404  # not their order


def test_tracking_numbers_added_elsewhere(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    added = emu.control("POST", f"/orders/{order['id']}/shipments",
                        {"carrierId": "ALLEGRO", "waybill": "AD0000JOH6"})
    assert seller.shipments(order["id"]) == [added]
    refused = emu.http.post(f"/__emulator__/orders/{order['id']}/shipments",
                            json={"carrierId": "NOPE", "waybill": "A1"})
    assert refused.status_code == 400
    assert "carrierId" in refused.json()["error"]


# -- invoices ---------------------------------------------------------------------------------


def test_invoice_and_its_pdf(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu, invoice=INVOICE_WANTED)
    oid = order["id"]
    empty = seller.call("GET", f"{FORMS}/{oid}/invoices")
    assert empty.json()["invoices"] == []
    created = seller.call("POST", f"{FORMS}/{oid}/invoices",
                          json={"file": {"name": "FV 12/2026.pdf"}, "invoiceNumber": "FV 12/2026"})
    assert created.status_code == 201, created.text
    invoice_id = created.json()["id"]
    [pending] = seller.call("GET", f"{FORMS}/{oid}/invoices").json()["invoices"]
    assert pending["id"] == invoice_id
    assert pending["invoiceNumber"] == "FV 12/2026"
    assert pending["file"]["name"] == "FV 12/2026.pdf"
    assert pending["file"]["uploadedAt"] is None

    file_path = f"{FORMS}/{oid}/invoices/{invoice_id}/file"
    uploaded = seller.call("PUT", file_path, content=PDF, content_type="application/pdf")
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.content == b""
    [done] = seller.call("GET", f"{FORMS}/{oid}/invoices").json()["invoices"]
    assert done["file"]["uploadedAt"]
    assert done["file"]["securityVerification"]["status"] == "ACCEPTED"
    held = emu.control("GET", f"/orders/{oid}/invoices")["invoices"][0]["file"]
    assert (held["size"], held["sha256"]) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert emu.control("GET", "/checkout-forms")["invoices"][oid][0]["id"] == invoice_id

    twice = seller.call("PUT", file_path, content=PDF, content_type="application/pdf")
    assert twice.status_code == 409  # one file per invoice ([#11842])
    second = seller.call("POST", f"{FORMS}/{oid}/invoices", json={"file": {"name": "k.pdf"}})
    assert second.status_code == 201  # more than one invoice per order ([#9919])


def test_invoice_refusals(emu: RunningEmulator, seller: Seller) -> None:
    not_wanted = new_order(emu)
    assert not_wanted["invoice"]["required"] is False
    refused = seller.call("POST", f"{FORMS}/{not_wanted['id']}/invoices",
                          json={"file": {"name": "f.pdf"}})
    assert refused.status_code == 422
    assert first_error(refused)["userMessage"]

    order = new_order(emu, invoice=INVOICE_WANTED)
    oid = order["id"]
    nameless = seller.call("POST", f"{FORMS}/{oid}/invoices", json={"file": {}},
                           valid_request=False)
    assert nameless.status_code == 422
    assert first_error(nameless)["path"] == "file.name"
    missing = seller.call("POST", f"{FORMS}/{uuid.uuid1()}/invoices",
                          json={"file": {"name": "f.pdf"}})
    assert missing.status_code == 404

    invoice_id = seller.call("POST", f"{FORMS}/{oid}/invoices",
                             json={"file": {"name": "f.pdf"}}).json()["id"]
    file_path = f"{FORMS}/{oid}/invoices/{invoice_id}/file"

    def put(content: bytes, content_type: str = "application/pdf", **options: Any
            ) -> httpx.Response:
        return seller.call("PUT", file_path, content=content, content_type=content_type,
                           **options)

    empty = put(b"")
    assert (empty.status_code, first_error(empty)["code"]) == (422, "EMPTY-ATTACHMENT")
    not_pdf = put(b"<html>faktura</html>")
    assert (not_pdf.status_code, first_error(not_pdf)["code"]) == (422, "FILE-CONTENT-INVALID")
    assert first_error(not_pdf)["message"] == (
        f"File for given order [{oid}] and invoice [{invoice_id}] must have a PDF content")
    too_large = put(PDF + b"0" * (3 * 1024 * 1024))
    assert too_large.status_code == 413
    as_json = put(b"{}", "application/json", valid_request=False, undocumented=True)
    assert as_json.status_code == 415
    unknown = seller.call("PUT", f"{FORMS}/{oid}/invoices/{uuid.uuid4()}/file", content=PDF,
                          content_type="application/pdf")
    assert unknown.status_code == 404
    assert put(PDF).status_code == 200  # none of the refusals spent the invoice


# -- scopes, limits, faults -----------------------------------------------------------------


def test_scopes(emu: RunningEmulator) -> None:
    order = new_order(emu, invoice=INVOICE_WANTED)
    oid = order["id"]
    reader = login(emu, scope="allegro:api:orders:read")
    assert reader.call("GET", f"{FORMS}/{oid}/shipments").status_code == 200
    assert reader.call("GET", f"{FORMS}/{oid}/invoices").status_code == 200
    writes = [
        reader.add_shipment(oid, {"carrierId": "DPD", "waybill": "A1"}, undocumented=True),
        reader.put_status(oid, "PROCESSING", undocumented=True),
        reader.call("POST", f"{FORMS}/{oid}/invoices", json={"file": {"name": "f.pdf"}}),
    ]
    for refused in writes:
        assert refused.status_code == 403
        assert first_error(refused)["code"] == "AccessDenied"
    profile_only = login(emu, scope="allegro:api:profile:read")
    assert profile_only.call("GET", f"{FORMS}/{oid}/shipments",
                             undocumented=True).status_code == 403
    assert emu.control("GET", f"/orders/{oid}/shipments")["shipments"] == []
    assert emu.control("GET", f"/orders/{oid}/invoices")["invoices"] == []
    expired = Seller(emu, "not-a-token")
    answer = expired.call("POST", f"{FORMS}/{oid}/shipments",
                          json={"carrierId": "DPD", "waybill": "A1"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_token"


def test_carriers_and_shipments_have_a_limit_of_their_own(emu: RunningEmulator,
                                                          seller: Seller) -> None:
    limits = emu.control("GET", "/ratelimit")["resources"]
    assert limits == {"carriers": {"requests": 50, "seconds": 1.0},
                      "shipments": {"requests": 50, "seconds": 1.0}}
    # A window of an hour: the outcome does not depend on how fast this machine is.
    emu.control("POST", "/ratelimit", {"resources": {"shipments": {"requests": 3,
                                                                   "seconds": 3600}}})
    order = new_order(emu)
    oid = order["id"]
    assert seller.shipments(oid) == []
    assert seller.add_shipment(oid, {"carrierId": "DPD", "waybill": "A1"}).status_code == 201
    assert len(seller.shipments(oid)) == 1
    over = seller.add_shipment(oid, {"carrierId": "DPD", "waybill": "A2"})
    assert over.status_code == 429
    assert first_error(over)["code"] == "TooManyRequestsException"
    assert len(emu.control("GET", f"/orders/{oid}/shipments")["shipments"]) == 1
    assert seller.call("GET", "/order/carriers").status_code == 200  # a limit per resource
    assert seller.call("GET", "/me").status_code == 200  # and no block of the client id
    emu.advance(3600)
    assert len(seller.shipments(oid)) == 1


def test_faults_reach_the_write_endpoints(emu: RunningEmulator, seller: Seller) -> None:
    order = new_order(emu)
    emu.control("POST", "/faults", {"paths": ["/order/checkout-forms"],
                                    "script": ["503", "429", "ok"]})
    gateway = seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "A1"},
                                  undocumented=True)
    assert gateway.status_code == 503
    assert gateway.headers["content-type"].startswith("text/html")
    limited = seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "A1"})
    assert limited.status_code == 429
    assert emu.control("GET", f"/orders/{order['id']}/shipments")["shipments"] == []
    emu.control("POST", "/ratelimit", {"block_seconds": 0})  # the injected 429's block over
    emu.advance(1)
    assert seller.add_shipment(order["id"], {"carrierId": "DPD", "waybill": "A1"}
                               ).status_code == 201


def test_same_seed_same_ids(start_emulator: StartEmulator) -> None:
    seen = []
    for _ in range(2):
        emu = start_emulator(orders=5, seed=3)
        seller = login(emu)
        order = new_order(emu, invoice=INVOICE_WANTED)
        invoice = seller.call("POST", f"{FORMS}/{order['id']}/invoices",
                              json={"file": {"name": "f.pdf"}}).json()["id"]
        shipment = seller.add_shipment(order["id"], {"carrierId": "UPS",
                                                     "waybill": "1Z83583X68508752"}).json()["id"]
        seen.append((invoice, shipment))
    assert seen[0] == seen[1]
