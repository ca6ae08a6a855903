"""The seller's write calls of Allegro's order API (ALLEGRO-API.md §11, §12): the fulfillment
status, the carriers, tracking numbers (shipments) and invoices with their PDF files.

`OrderWriteCalls` is a part of `AllegroClient` (its base class), kept apart so each file stays
readable; every call goes through the client's `_request`: the same governor, retries, token
refresh, deadline and body cap (`api/limits.py`), and typed errors carrying Allegro's `code` and
`userMessage`.

What a caller that must not do anything twice needs to know:
- `set_fulfillment` is a PUT: repeated after a timeout or 5xx. With a revision, a 409 is
  `StaleRevisionError`.
- `add_shipment` and `create_invoice` are POSTs: never repeated here. After a `NetworkError`
  it is unknown whether Allegro took them: look (`shipments`, `invoices`) before sending again
  — the same tracking number can stand twice on an order (ALLEGRO-API.md §12.2).
- `upload_invoice_file` is not repeated here either; sending it again after a lost answer
  may meet `InvoiceFileExistsError`, which then means the file is there.
- Carriers and shipments are paced below their own limit of 50 requests a second
  (ALLEGRO-API.md §6.5), per client object.

Answers are read tolerantly: an entry of a list that cannot be read is kept aside (logged, and
for shipments reported in `OrderShipments.unreadable`), never a reason to lose the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote

import httpx
import orjson

from allegro_desktop.api.errors import (
    ApiError,
    FileTooLargeError,
    InvoiceFileExistsError,
    MalformedResponseError,
    StaleRevisionError,
)
from allegro_desktop.api.models import Carrier, Invoice, OrderShipments, Shipment
from allegro_desktop.api.parsing import parse_time
from allegro_desktop.api.ratelimit import Clock, RequestGovernor, Sleep
from allegro_desktop.api.wire import NOT_JSON, json_body, log, trace_id_of
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, ByteSize, Text

#: The fulfillment statuses a seller may set ([Spec] schema CheckoutFormFulfillmentStatus
#: without `RETURNED`, which only Allegro sets; ALLEGRO-API.md §11.1).
SELLER_FULFILLMENT_STATUSES: Final = ("NEW", "PROCESSING", "READY_FOR_SHIPMENT",
                                      "READY_FOR_PICKUP", "SENT", "PICKED_UP", "CANCELLED",
                                      "SUSPENDED")
#: The carrier id of a carrier Allegro does not list: `carrier_name` is then required.
OTHER_CARRIER: Final = "OTHER"
#: [Spec] schema CheckoutFormAddWaybillRequest.
MAX_WAYBILL_LENGTH: Final = 64
MAX_CARRIER_NAME_LENGTH: Final = 30
#: [Spec] op uploadOrderInvoiceFile: "Max file size is 3MB" (ALLEGRO-API.md §12.3).
MAX_INVOICE_FILE_BYTES: Final = 3 * 1024 * 1024
PDF_MEDIA_TYPE: Final = "application/pdf"
#: Requests a minute to carriers and to shipments: below their 50 a second, one at a time, so
#: no one-second window ever holds more than 46 (ALLEGRO-API.md §6.5).
RESOURCE_PACE_PER_MINUTE: Final = 45 * 60


class OrderWriteCalls:
    """The order write calls of `AllegroClient` (which provides the plumbing below)."""

    _clock: Clock
    _sleep: Sleep
    _pacing: RequestGovernor | None = None

    async def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                       content: bytes | None = None, content_type: str | None = None,
                       idempotent: bool | None = None,
                       errors: Mapping[int, type[ApiError]] | None = None,
                       localized: bool = True) -> httpx.Response:
        raise NotImplementedError  # AllegroClient's

    async def _get(self, path: str, params: Mapping[str, Any] | None = None, *,
                   localized: bool = True) -> Any:
        raise NotImplementedError  # AllegroClient's

    # -- the fulfillment status --------------------------------------------------------------

    async def set_fulfillment(self, form_id: str, status: str,
                              revision: str | None = None) -> None:
        """PUT /order/checkout-forms/{id}/fulfillment: the seller's status (scope
        allegro:api:orders:write). With `revision` (the order's `revision` as last read), an
        order changed since raises `StaleRevisionError` instead of being overwritten. A status
        Allegro does not take (`RETURNED`, an unknown one, the 101st change of an order) is a
        `ValidationError`."""
        path = f"{_form_path(form_id)}/fulfillment"
        params = {"checkoutForm.revision": revision} if revision is not None else None
        # The spec's Accept-Language of this operation (and of the invoice ones) is en-US only.
        await self._request("PUT", path, params=params, content=orjson.dumps({"status": status}),
                            errors={409: StaleRevisionError}, localized=False)

    # -- carriers and shipments --------------------------------------------------------------

    async def carriers(self) -> list[Carrier]:
        """GET /order/carriers: the carrier ids a tracking number may name (cacheable for a
        day or so; Allegro changes the list rarely)."""
        path = "/order/carriers"
        await self._pace("carriers")
        items = _list_in(_object(await self._get(path), path), "carriers", path)
        carriers: list[Carrier] = []
        for index, item in enumerate(items):
            carrier_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(carrier_id, str) or not carrier_id:
                log.warning("%s: carrier %d has no id; left out", path, index)
                continue
            name = item.get("name")
            carriers.append(Carrier(carrier_id, name if isinstance(name, str) and name
                                    else None))
        return carriers

    async def shipments(self, form_id: str) -> OrderShipments:
        """GET /order/checkout-forms/{id}/shipments: the order's tracking numbers, also those
        added on the web site or by a carrier (scope allegro:api:orders:read)."""
        path = f"{_form_path(form_id)}/shipments"
        await self._pace("shipments")
        items = _list_in(_object(await self._get(path), path), "shipments", path)
        shipments: list[Shipment] = []
        unreadable: list[str] = []
        for index, item in enumerate(items):
            shipment = _shipment(item)
            if isinstance(shipment, str):
                log.warning("%s: shipment %d left out: %s", path, index, shipment)
                unreadable.append(f"shipment {index + 1}: {shipment}")
            else:
                shipments.append(shipment)
        return OrderShipments(tuple(shipments), tuple(unreadable))

    async def add_shipment(self, form_id: str, *, carrier_id: str, waybill: str,
                           carrier_name: str | None = None,
                           line_item_ids: Sequence[str] = ()) -> Shipment:
        """POST /order/checkout-forms/{id}/shipments: a tracking number for the order's line
        items (all of them when none are named), scope allegro:api:orders:write. May make the
        order SENT, if the seller set Allegro so.

        `carrier_name` only with carrier `OTHER` (required then, 30 characters at most);
        `waybill` 64 characters at most. Refusals are `ValidationError`s with Allegro's
        `userMessage` (an unknown carrier, a waybill invalid for the carrier, line items of
        another order). Never sent twice here (see the module's docstring). A 201 whose body
        cannot be read still means Allegro took it: the shipment is then described from what
        was sent, with an empty `id`.
        """
        body: dict[str, Any] = {"carrierId": carrier_id, "waybill": waybill}
        if carrier_name is not None:
            body["carrierName"] = carrier_name
        if line_item_ids:
            body["lineItems"] = [{"id": item} for item in line_item_ids]
        path = f"{_form_path(form_id)}/shipments"
        await self._pace("shipments")
        response = await self._request("POST", path, content=orjson.dumps(body))
        created = _shipment(json_body(response))
        if isinstance(created, Shipment):
            return created
        log.warning("POST %s -> %d: the answer cannot be read (%s; trace-id %s); the tracking "
                    "number was taken", path, response.status_code, created,
                    trace_id_of(response) or "none")
        return Shipment(id="", carrier_id=carrier_id, waybill=waybill,
                        carrier_name=carrier_name, line_item_ids=tuple(line_item_ids))

    # -- invoices ----------------------------------------------------------------------------

    async def invoices(self, form_id: str) -> list[Invoice]:
        """GET /order/checkout-forms/{id}/invoices: the invoices attached to the order and
        whether each has its file (scope allegro:api:orders:read)."""
        path = f"{_form_path(form_id)}/invoices"
        items = _list_in(_object(await self._get(path, localized=False), path), "invoices",
                         path)
        invoices: list[Invoice] = []
        for index, item in enumerate(items):
            invoice = _invoice(item)
            if invoice is None:
                log.warning("%s: invoice %d has no id; left out", path, index)
            else:
                invoices.append(invoice)
        return invoices

    async def create_invoice(self, form_id: str, *, file_name: str,
                             invoice_number: str | None = None) -> str:
        """POST /order/checkout-forms/{id}/invoices: an invoice's metadata; returns its id, for
        `upload_invoice_file`. Only for orders whose buyer asked for an invoice
        (`invoice.required`): others are refused (`ValidationError`). Never sent twice here;
        an answer without an id is a `MalformedResponseError` although the invoice may exist
        (look in `invoices`)."""
        body: dict[str, Any] = {"file": {"name": file_name}}
        if invoice_number is not None:
            body["invoiceNumber"] = invoice_number
        path = f"{_form_path(form_id)}/invoices"
        response = await self._request("POST", path, content=orjson.dumps(body),
                                       localized=False)
        answer = json_body(response)
        invoice_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(invoice_id, str) or not invoice_id:
            raise MalformedResponseError(f"POST {path} -> {response.status_code}: no invoice id",
                                         trace_id=trace_id_of(response))
        return invoice_id

    async def upload_invoice_file(self, form_id: str, invoice_id: str, pdf: bytes) -> None:
        """PUT /order/checkout-forms/{id}/invoices/{invoiceId}/file: the invoice's PDF, once.

        A file over 3 MB is refused before sending (`FileTooLargeError`); Allegro refuses an
        empty or non-PDF file (`ValidationError`, its `userMessage`); a second file for the
        same invoice is `InvoiceFileExistsError`. Not repeated here after a lost answer."""
        if len(pdf) > MAX_INVOICE_FILE_BYTES:
            raise FileTooLargeError(
                f"invoice file of {len(pdf)} bytes, more than {MAX_INVOICE_FILE_BYTES}",
                status=413, code=None, user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "The invoice file is larger than the %1 Allegro takes."),
                    ByteSize(MAX_INVOICE_FILE_BYTES)))
        path = (f"{_form_path(form_id)}/invoices/{quote(invoice_id, safe='')}/file")
        await self._request("PUT", path, content=pdf, content_type=PDF_MEDIA_TYPE,
                            idempotent=False, errors={409: InvoiceFileExistsError},
                            localized=False)

    # -- plumbing ----------------------------------------------------------------------------

    async def _pace(self, resource: str) -> None:
        """Wait for this client's turn at a resource with a limit of its own."""
        if self._pacing is None:
            self._pacing = RequestGovernor(per_minute=RESOURCE_PACE_PER_MINUTE, burst=1,
                                           clock=self._clock, sleep=self._sleep)
        await self._pacing.acquire(resource)


# -- reading answers -----------------------------------------------------------------------


def _form_path(form_id: str) -> str:
    return f"/order/checkout-forms/{quote(form_id, safe='')}"


def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise MalformedResponseError(f"{what} answered {type(body).__name__}, not an object")
    return body


def _list_in(body: dict[str, Any], name: str, what: str) -> list[Any]:
    items = body.get(name)
    if items is None:
        return []  # an empty collection may come as null (ALLEGRO-API.md §5.6)
    if not isinstance(items, list):
        raise MalformedResponseError(f"{what}: {name} is not a list")
    return items


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _shipment(item: Any) -> Shipment | str:
    """A shipment, or why it cannot be read."""
    if item is NOT_JSON or not isinstance(item, dict):
        return "not an object"
    missing = [name for name in ("id", "carrierId", "waybill") if _text(item.get(name)) is None]
    if missing:
        return f"no {', '.join(missing)}"
    items = item.get("lineItems")
    line_item_ids = tuple(li["id"] for li in items if isinstance(li, dict)
                          and _text(li.get("id"))) if isinstance(items, list) else ()
    return Shipment(id=item["id"], carrier_id=item["carrierId"], waybill=item["waybill"],
                    carrier_name=_text(item.get("carrierName")), line_item_ids=line_item_ids,
                    created_at=parse_time(item.get("createdAt")))


def _invoice(item: Any) -> Invoice | None:
    if not isinstance(item, dict) or _text(item.get("id")) is None:
        return None
    given = item.get("file")
    file: dict[str, Any] = given if isinstance(given, dict) else {}
    scan = file.get("securityVerification")
    return Invoice(id=item["id"], number=_text(item.get("invoiceNumber")),
                   file_name=_text(file.get("name")),
                   created_at=parse_time(item.get("createdAt")),
                   uploaded_at=parse_time(file.get("uploadedAt")),
                   scan_status=_text(scan.get("status")) if isinstance(scan, dict) else None)
