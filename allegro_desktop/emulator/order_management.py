"""The seller's write side of Allegro's "Order management" over HTTP (ALLEGRO-API.md §11, §12):
the fulfillment status, carriers, tracking numbers (shipments), invoices and their PDF files.

Same paths, media types, statuses and error bodies as Allegro; the state behind them is
`seller_actions.py`. Scopes as the spec gives them: writing needs `allegro:api:orders:write`,
listing shipments and invoices `allegro:api:orders:read`, the carriers any user token. Carriers
and shipments count against their resource's own limit of 50 requests a second
(ALLEGRO-API.md §6.5) besides the client id's.
"""

from __future__ import annotations

from aiohttp import web

from allegro_desktop.emulator.rest import (
    EMULATOR_KEY,
    authorize,
    bad,
    check_time_uuid,
    json_object,
    require_media_type,
    rest_json,
    store_reply,
)
from allegro_desktop.emulator.seller_actions import SellerActions
from allegro_desktop.emulator.store import StoreError

READ = "allegro:api:orders:read"
WRITE = "allegro:api:orders:write"
PDF_MEDIA_TYPE = "application/pdf"
#: How long a client may keep the carrier list ([Spec]: "can be stored in accordance with
#: returned caching headers"; Allegro's actual value is not known to us).
CARRIERS_CACHE_CONTROL = "max-age=86400"


async def set_fulfillment(request: web.Request) -> web.Response:
    """PUT /order/checkout-forms/{id}/fulfillment?checkoutForm.revision= {"status": …}"""
    session = authorize(request, WRITE)
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    require_media_type(request)
    status = (await json_object(request)).get("status")
    if not isinstance(status, str):
        raise bad(request, "The body must give the fulfillment status", path="status")
    try:
        emulator.actions.set_fulfillment(session.seller_id, order_id, status,
                                         request.query.get("checkoutForm.revision"))
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return web.Response(status=204)


async def carriers(request: web.Request) -> web.Response:
    """GET /order/carriers"""
    authorize(request, None, resource="carriers")
    response = rest_json({"carriers": SellerActions.carriers()})
    response.headers["Cache-Control"] = CARRIERS_CACHE_CONTROL
    return response


async def shipments(request: web.Request) -> web.Response:
    """GET /order/checkout-forms/{id}/shipments"""
    session = authorize(request, READ, resource="shipments")
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    try:
        found = emulator.actions.shipments(session.seller_id, order_id)
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return rest_json({"shipments": found})


async def add_shipment(request: web.Request) -> web.Response:
    """POST /order/checkout-forms/{id}/shipments {"carrierId", "waybill", "carrierName"?,
    "lineItems"?}"""
    session = authorize(request, WRITE, resource="shipments")
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    require_media_type(request)
    body = await json_object(request)
    try:
        shipment = emulator.actions.add_shipment(session.seller_id, order_id, body)
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return rest_json(shipment, 201)


async def invoices(request: web.Request) -> web.Response:
    """GET /order/checkout-forms/{id}/invoices"""
    session = authorize(request, READ)
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    try:
        return rest_json(emulator.actions.invoices(session.seller_id, order_id))
    except StoreError as exc:
        raise store_reply(request, exc) from None


async def create_invoice(request: web.Request) -> web.Response:
    """POST /order/checkout-forms/{id}/invoices {"file": {"name"}, "invoiceNumber"?}"""
    session = authorize(request, WRITE)
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    require_media_type(request)
    body = await json_object(request)
    try:
        invoice_id = emulator.actions.create_invoice(session.seller_id, order_id, body)
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return rest_json({"id": invoice_id}, 201)


async def upload_invoice_file(request: web.Request) -> web.Response:
    """PUT /order/checkout-forms/{id}/invoices/{invoiceId}/file, the PDF as the body"""
    session = authorize(request, WRITE)
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    require_media_type(request, PDF_MEDIA_TYPE)
    data = await request.read()
    try:
        emulator.actions.upload_invoice_file(session.seller_id, order_id,
                                             request.match_info["invoiceId"], data)
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return web.Response(status=200)


def add_routes(app: web.Application) -> None:
    forms = "/order/checkout-forms/{id}"
    app.router.add_put(f"{forms}/fulfillment", set_fulfillment)
    app.router.add_get("/order/carriers", carriers)
    app.router.add_get(f"{forms}/shipments", shipments)
    app.router.add_post(f"{forms}/shipments", add_shipment)
    app.router.add_get(f"{forms}/invoices", invoices)
    app.router.add_post(f"{forms}/invoices", create_invoice)
    app.router.add_put(f"{forms}/invoices/{{invoiceId}}/file", upload_invoice_file)
