"""What a seller does to an order on the emulated Allegro, beyond reading it: the fulfillment
status through the API (with its per-order limit), tracking numbers ("shipments") with the
carriers they name, invoices and their PDF files, and the seller's setting that marks an order
SENT when a tracking number is added (ALLEGRO-API.md §11, §12).

Plain state behind the order store's lock, like `store.py`: the HTTP side is
`order_management.py`. Refusals are `StoreError`s worded as Allegro words them where a public
source quotes it (ALLEGRO-API.md §12 names each); where none does, the wording is ours and the
docs say so.

Deterministic: a shipment's id is derived from its carrier and waybill (as the spec's example id
is: base64 of `DHL:12345678910PL`), invoice ids come from the store's seeded RNG, every time
from the emulator's clock.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from allegro_desktop.emulator.generator import iso
from allegro_desktop.emulator.store import OrderStore, SellerStore, StoreError

#: The carriers `GET /order/carriers` lists. Ids are the ones Allegro's tracker and spec name
#: ([#2497], [#6899], [#10025], [#11606], the spec's example); the names are ours. `OTHER` has
#: no name, as in the spec's example: the seller gives one (`carrierName`) with each tracking
#: number.
CARRIERS: tuple[tuple[str, str | None], ...] = (
    ("ALLEGRO", "Allegro"),
    ("DB_SCHENKER", "DB Schenker"),
    ("DHL", "DHL"),
    ("DPD", "DPD"),
    ("FEDEX", "FedEx"),
    ("GEIS", "Geis"),
    ("GLS", "GLS"),
    ("INPOST", "InPost"),
    ("ORLEN", "ORLEN Paczka"),
    ("PATRON", "Patron"),
    ("POCZTA_POLSKA", "Poczta Polska"),
    ("RABEN", "Raben"),
    ("UPS", "UPS"),
    ("WEDO", "WE|DO"),
    ("YUN_EXPRESS", "Yun Express"),
    ("OTHER", None),
)
CARRIER_IDS = frozenset(carrier_id for carrier_id, _name in CARRIERS)
OTHER_CARRIER = "OTHER"
#: [Spec] schema CheckoutFormAddWaybillRequest.
MAX_WAYBILL_LENGTH = 64
MAX_CARRIER_NAME_LENGTH = 30
#: What a waybill may hold: we assume letters, digits and hyphens ([#10424]: a `*` was refused).
_WAYBILL = re.compile(r"[A-Za-z0-9-]+")
#: [Spec] op uploadOrderInvoiceFile, 413: "Max file size is 3MB" (we read MB as MiB).
MAX_INVOICE_FILE_BYTES = 3 * 1024 * 1024
#: ALLEGRO-API.md §11.3: an order's fulfillment status changes 100 times at most ([#11908]).
FULFILLMENT_CHANGE_LIMIT = 100
#: Statuses the "SENT when a tracking number is added" setting does not overrule (we assume).
_PAST_SENDING = frozenset({"SENT", "PICKED_UP", "CANCELLED", "RETURNED"})


@dataclass
class SellerSettings:
    """A seller's order settings on allegro.pl that change what the API does."""

    #: "Automatic status change after adding a tracking number" ([Spec] schema
    #: CheckoutFormFulfillmentStatus): off unless the seller turns it on.
    sent_on_tracking_number: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"sent_on_tracking_number": self.sent_on_tracking_number}


@dataclass
class Invoice:
    """An invoice's metadata (`POST .../invoices`) and, once uploaded, facts of its file."""

    id: str
    number: str | None
    file_name: str
    created_at: str
    uploaded_at: str | None = None
    size: int | None = None
    sha256: str | None = None

    def to_json(self, *, file_facts: bool = False) -> dict[str, Any]:
        """As `GET .../invoices` lists it; `file_facts` adds the file's size and SHA-256 (the
        control API's view)."""
        file: dict[str, Any] = {"name": self.file_name, "uploadedAt": self.uploaded_at}
        if self.uploaded_at is not None:
            # The antivirus scan is instant here; on Allegro it may stay WAITING a while.
            file["securityVerification"] = {"status": "ACCEPTED", "verifiedAt": self.uploaded_at}
            file["verification"] = {"status": "NOT_APPLICABLE", "details": []}
        else:
            file["securityVerification"] = None
            file["verification"] = None
        if file_facts:
            file["size"] = self.size
            file["sha256"] = self.sha256
        return {"id": self.id, "invoiceNumber": self.number, "createdAt": self.created_at,
                "file": file}


@dataclass
class _OrderPapers:
    """What one order holds besides its form."""

    shipments: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    fulfillment_changes: int = 0


def refused(status: int, code: str, message: str, *, path: str | None = None,
            user_message: str | None = "invalid_data", kind: str = "invalid") -> StoreError:
    return StoreError(kind, message, status=status, code=code, path=path,
                      user_message=user_message)


class SellerActions:
    """Every seller's shipments, invoices and settings; thread-safe through `store.lock`."""

    def __init__(self, store: OrderStore) -> None:
        self.store = store
        self._papers: dict[tuple[str, str], _OrderPapers] = {}
        self._settings: dict[str, SellerSettings] = {}

    # -- settings ----------------------------------------------------------------------------

    def settings(self, seller_id: str) -> SellerSettings:
        with self.store.lock:
            self.store.seller_store(seller_id)
            return self._settings.setdefault(seller_id, SellerSettings())

    def change_settings(self, seller_id: str, changes: dict[str, Any]) -> SellerSettings:
        """Overlay `changes` on the seller's settings; unknown keys are an error."""
        with self.store.lock:
            settings = self.settings(seller_id)
            unknown = set(changes) - set(settings.to_json())
            if unknown:
                raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
            if "sent_on_tracking_number" in changes:
                value = changes["sent_on_tracking_number"]
                if not isinstance(value, bool):
                    raise ValueError("sent_on_tracking_number must be true or false")
                settings.sent_on_tracking_number = value
            return settings

    # -- fulfillment -------------------------------------------------------------------------

    def set_fulfillment(self, seller_id: str, order_id: str, status: str,
                        revision: str | None) -> None:
        """The seller's `PUT .../fulfillment`: the revision guard, the statuses a seller may
        set, the per-order limit; `FULFILLMENT_STATUS_CHANGED` when the status changes."""
        with self.store.lock:
            self.store.get_order(seller_id, order_id)
            papers = self._papers_of(seller_id, order_id)
            if papers.fulfillment_changes >= FULFILLMENT_CHANGE_LIMIT:
                raise refused(422, "SellerOrdersStoreUnprocessableEntityException",
                              f"The limit of {FULFILLMENT_CHANGE_LIMIT} fulfillment status "
                              f"changes of checkout form {order_id} has been reached",
                              user_message="fulfillment_limit")
            self.store.set_fulfillment(order_id, status, seller_id=seller_id,
                                       revision=revision, by_seller_api=True)
            papers.fulfillment_changes += 1
            if papers.shipments:
                self._update_summary(seller_id, order_id)

    # -- carriers and shipments --------------------------------------------------------------

    @staticmethod
    def carriers() -> list[dict[str, Any]]:
        return [{"id": carrier_id, "name": name} if name is not None else {"id": carrier_id}
                for carrier_id, name in CARRIERS]

    def shipments(self, seller_id: str | None, order_id: str) -> list[dict[str, Any]]:
        """The tracking numbers of an order (`seller_id` None: whoever sells it)."""
        with self.store.lock:
            seller_store = self._order(seller_id, order_id)
            papers = self._papers.get((seller_store.seller.id, order_id))
            return [dict(s) for s in papers.shipments] if papers else []

    def add_shipment(self, seller_id: str | None, order_id: str,
                     body: dict[str, Any]) -> dict[str, Any]:
        """A tracking number for the order's line items (all of them when none are named):
        `POST .../shipments`, or — with `seller_id` None — one added elsewhere (the web site,
        the carrier). With the seller's setting on, an unsent order becomes SENT."""
        with self.store.lock:
            seller_store = self._order(seller_id, order_id)
            carrier_id, waybill, carrier_name = _checked_shipment(body)
            form = seller_store.orders[order_id].form()
            item_ids = [li["id"] for li in form.get("lineItems") or []]
            named = self._line_item_ids(body.get("lineItems"))
            strangers = [i for i in named if i not in item_ids]
            if strangers:
                raise refused(422, "VALIDATION_ERROR",
                              f"Line item {strangers[0]} does not belong to checkout form "
                              f"{order_id}", path="lineItems", user_message="line_items")
            papers = self._papers_of(seller_store.seller.id, order_id)
            shipment = {
                "id": _shipment_id(carrier_id, waybill, papers.shipments),
                "waybill": waybill,
                "carrierId": carrier_id,
                "carrierName": carrier_name,
                "lineItems": [{"id": i} for i in (named or item_ids)],
                "createdAt": iso(self.store.clock.now()),
            }
            papers.shipments.append(shipment)
            status = (form.get("fulfillment") or {}).get("status")
            if (self.settings(seller_store.seller.id).sent_on_tracking_number
                    and status not in _PAST_SENDING):
                self.store.set_fulfillment(order_id, "SENT", seller_id=seller_store.seller.id)
            self._update_summary(seller_store.seller.id, order_id)
            return dict(shipment)

    @staticmethod
    def _line_item_ids(given: Any) -> list[str]:
        if given is None:
            return []
        if not isinstance(given, list) or not all(
                isinstance(li, dict) and isinstance(li.get("id"), str) for li in given):
            raise refused(400, "VALIDATION_ERROR",
                          "lineItems must be a list of objects with an id", path="lineItems")
        return list(dict.fromkeys(li["id"] for li in given))

    # -- invoices ----------------------------------------------------------------------------

    def invoices(self, seller_id: str | None, order_id: str, *,
                 file_facts: bool = False) -> dict[str, Any]:
        """`GET .../invoices`: the order's invoices (schema CheckoutFormsOrderInvoices)."""
        with self.store.lock:
            seller_store = self._order(seller_id, order_id)
            papers = self._papers.get((seller_store.seller.id, order_id))
            invoices = papers.invoices if papers else []
            return {"invoices": [i.to_json(file_facts=file_facts) for i in invoices],
                    "orderMode": "REGULAR", "hasExternalInvoices": False, "links": []}

    def create_invoice(self, seller_id: str, order_id: str, body: dict[str, Any]) -> str:
        """`POST .../invoices`: an invoice's metadata; its file comes next. Only for orders
        whose buyer asked for an invoice (ALLEGRO-API.md §12.3)."""
        with self.store.lock:
            seller_store = self._order(seller_id, order_id)
            file = body.get("file")
            name = file.get("name") if isinstance(file, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise refused(422, "VALIDATION_ERROR", "file.name must not be empty",
                              path="file.name")
            number = body.get("invoiceNumber")
            if number is not None and not isinstance(number, str):
                raise refused(422, "VALIDATION_ERROR", "invoiceNumber must be a string",
                              path="invoiceNumber")
            form = seller_store.orders[order_id].form()
            if not (form.get("invoice") or {}).get("required"):
                raise refused(422, "VALIDATION_ERROR",
                              f"Checkout form {order_id} does not allow an invoice: the buyer "
                              f"did not ask for one", user_message="invoice_not_allowed")
            invoice = Invoice(id=str(uuid.UUID(int=self.store.rng.getrandbits(128), version=4)),
                              number=number, file_name=name,
                              created_at=iso(self.store.clock.now()))
            self._papers_of(seller_id, order_id).invoices.append(invoice)
            return invoice.id

    def upload_invoice_file(self, seller_id: str, order_id: str, invoice_id: str,
                            data: bytes) -> None:
        """`PUT .../invoices/{invoiceId}/file`: the invoice's PDF, once."""
        with self.store.lock:
            self._order(seller_id, order_id)
            papers = self._papers.get((seller_id, order_id))
            invoice = next((i for i in papers.invoices if i.id == invoice_id), None) \
                if papers else None
            if invoice is None:
                raise refused(404, "NotFoundException",
                              f"Invoice {invoice_id} of checkout form {order_id} not found",
                              user_message="invoice_not_found", kind="not_found")
            if invoice.uploaded_at is not None:  # [#11842]
                raise refused(409, "CONFLICT",
                              f"Invoice {invoice_id} already has an invoice file uploaded",
                              user_message="invoice_file_exists", kind="conflict")
            if len(data) > MAX_INVOICE_FILE_BYTES:
                raise refused(413, "PAYLOAD_TOO_LARGE", "The file is too large. Max file size "
                              "is 3MB", user_message="file_too_large")
            where = f"order [{order_id}] and invoice [{invoice_id}]"
            if not data:  # [#7970], [#10165]
                raise refused(422, "EMPTY-ATTACHMENT",
                              f"Attachment for given {where} must not be empty",
                              user_message="=")
            if not data.startswith(b"%PDF-"):  # [#11522]
                raise refused(422, "FILE-CONTENT-INVALID",
                              f"File for given {where} must have a PDF content",
                              path=f"/order/checkout-forms/{order_id}/invoices/{invoice_id}/file",
                              user_message="=")
            invoice.uploaded_at = iso(self.store.clock.now())
            invoice.size = len(data)
            invoice.sha256 = hashlib.sha256(data).hexdigest()

    # -- the control API's dump ----------------------------------------------------------------

    def papers(self, seller_id: str | None = None) -> dict[str, dict[str, Any]]:
        """Shipments and invoices of every order that has any, by order id (one seller's, or
        everybody's)."""
        with self.store.lock:
            out: dict[str, dict[str, Any]] = {}
            for (owner, order_id), papers in self._papers.items():
                if seller_id is not None and owner != seller_id:
                    continue
                if order_id not in self.store.seller_store(owner).orders:
                    continue  # merged away
                if papers.shipments:
                    out.setdefault("shipments", {})[order_id] = [dict(s)
                                                                 for s in papers.shipments]
                if papers.invoices:
                    out.setdefault("invoices", {})[order_id] = [
                        i.to_json(file_facts=True) for i in papers.invoices]
            return out

    def counts(self, seller_id: str) -> dict[str, int]:
        with self.store.lock:
            mine = [p for (owner, _), p in self._papers.items() if owner == seller_id]
            return {"shipments": sum(len(p.shipments) for p in mine),
                    "invoices": sum(len(p.invoices) for p in mine)}

    # -- helpers -------------------------------------------------------------------------------

    def _order(self, seller_id: str | None, order_id: str) -> SellerStore:
        """The seller store of an order the seller can see (404 otherwise)."""
        if seller_id is None:
            seller_store, _record = self.store.find(order_id)
            return seller_store
        self.store.get_order(seller_id, order_id)
        return self.store.seller_store(seller_id)

    def _papers_of(self, seller_id: str, order_id: str) -> _OrderPapers:
        return self._papers.setdefault((seller_id, order_id), _OrderPapers())

    def _update_summary(self, seller_id: str, order_id: str) -> None:
        """`fulfillment.shipmentSummary.lineItemsSent`: how many line items have a tracking
        number ([Spec] schema CheckoutFormFulfillmentShipmentSummaryLineItemsSent). Only for
        orders with tracking numbers here: the generated history has none, its summary says
        what the generator made up."""
        seller_store = self.store.seller_store(seller_id)
        form = seller_store.orders[order_id].form()
        papers = self._papers.get((seller_id, order_id))
        tracked = {li["id"] for s in (papers.shipments if papers else [])
                   for li in s["lineItems"]}
        items = [li["id"] for li in form.get("lineItems") or []]
        sent = sum(1 for i in items if i in tracked)
        value = "NONE" if sent == 0 else "ALL" if sent == len(items) else "SOME"
        fulfillment = form.setdefault("fulfillment", {})
        summary = fulfillment.get("shipmentSummary") or {}
        if summary.get("lineItemsSent") != value:
            fulfillment["shipmentSummary"] = {**summary, "lineItemsSent": value}
            self.store.save(seller_store, form)


def _checked_shipment(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """The carrier id, waybill and carrier name of a shipment request, or Allegro's 400."""
    carrier_id = body.get("carrierId")
    if carrier_id is None:  # [#1589]
        raise refused(400, "CarrierIdValidationException", "Carrier id cannot be null",
                      path="carrierId", user_message="carrier_id")
    if not isinstance(carrier_id, str) or carrier_id not in CARRIER_IDS:  # [#10025]
        raise refused(400, "CarrierIdValidationException",
                      "Unrecognized value in the field: carrierId", path="carrierId",
                      user_message="carrier_id")
    waybill = body.get("waybill")
    if not isinstance(waybill, str) or not waybill.strip():
        raise refused(400, "WaybillValidationException", "Waybill cannot be empty",
                      path="waybill", user_message="waybill")
    if len(waybill) > MAX_WAYBILL_LENGTH:
        raise refused(400, "WaybillValidationException",
                      f"Waybill must be no longer than {MAX_WAYBILL_LENGTH} characters",
                      path="waybill", user_message="waybill")
    if not _WAYBILL.fullmatch(waybill):  # [#10424]
        raise refused(400, "WaybillValidationException", "Tracking number is invalid",
                      path="waybill", user_message="waybill")
    if carrier_id != OTHER_CARRIER:
        return carrier_id, waybill, None  # carrierName "otherwise it's ignored" ([Spec])
    carrier_name = body.get("carrierName")
    if not isinstance(carrier_name, str) or not carrier_name.strip():
        raise refused(400, "CarrierNameValidationException",
                      "Carrier name is required for carrier OTHER", path="carrierName",
                      user_message="carrier_name")
    if len(carrier_name) > MAX_CARRIER_NAME_LENGTH:
        raise refused(400, "CarrierNameValidationException",
                      f"Carrier name must be no longer than {MAX_CARRIER_NAME_LENGTH} "
                      f"characters", path="carrierName", user_message="carrier_name")
    return carrier_id, waybill, carrier_name


def _shipment_id(carrier_id: str, waybill: str, existing: list[dict[str, Any]]) -> str:
    """base64 of `CARRIER:WAYBILL`, like the spec's example id; a repeat gets `:2`, `:3`…"""
    taken = {s["id"] for s in existing}
    raw = f"{carrier_id}:{waybill}"
    candidate, n = raw, 1
    while base64.b64encode(candidate.encode()).decode() in taken:
        n += 1
        candidate = f"{raw}:{n}"
    return base64.b64encode(candidate.encode()).decode()
