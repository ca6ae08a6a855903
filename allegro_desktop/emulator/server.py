"""HTTP in front of the emulated Allegro: the same paths, parameters, headers, status codes and
error bodies as the real API (ALLEGRO-API.md §3-§6), on one base URL for OAuth and REST.

This module serves OAuth and the read side (events, orders, the seller); `order_management.py`
the seller's write side (fulfillment, carriers, shipments, invoices); `rest.py` what every REST
resource shares, including the order of the checks a call passes. Every response carries a
`trace-id` header.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import orjson
from aiohttp import web

from allegro_desktop.emulator import consent, control, live, order_management
from allegro_desktop.emulator.core import Emulator
from allegro_desktop.emulator.generator import EVENT_TYPES, FULFILLMENT_STATUSES, ORDER_STATUSES
from allegro_desktop.emulator.oauth import DEVICE_GRANT, REFRESH_GRANT, OAuthError
from allegro_desktop.emulator.rest import (
    EMULATOR_KEY,
    OAUTH_MEDIA_TYPE,
    REST_MEDIA_TYPE,
    TRACE_ID,
    Reply,
    authorize,
    bad,
    check_time_uuid,
    errors_body,
    rest_json,
    store_reply,
)
from allegro_desktop.emulator.store import OrderQuery, StoreError

log = logging.getLogger("allegro_desktop.emulator")

MAX_RESULT_WINDOW = 10_000
CONTROL_PREFIX = "/__emulator__"
VERIFICATION_PATH = "/skojarz-aplikacje"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# -- middleware ------------------------------------------------------------------------------


def _is_api_path(path: str) -> bool:
    return not (path.startswith((CONTROL_PREFIX, VERIFICATION_PATH)) or path == "/")


@web.middleware
async def trace_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A trace-id on every response; unknown paths and methods answered in Allegro's shape."""
    trace_id = str(uuid.uuid4())
    request[TRACE_ID] = trace_id
    try:
        response = await handler(request)
    except Reply as reply:
        response = reply.response
    except web.HTTPNotFound:
        response = errors_body(request, 404, "NotFoundException",
                               f"Resource {request.path} not found", user_message="not_found")
    except web.HTTPMethodNotAllowed:
        response = errors_body(request, 405, "MethodNotAllowedException",
                               f"Request method '{request.method}' not supported")
    except web.HTTPException as exc:
        exc.headers["trace-id"] = trace_id
        raise
    if not response.prepared:
        response.headers["trace-id"] = trace_id
    return response


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Latency and injected faults for API and OAuth paths (never the control API)."""
    emulator = request.app[EMULATOR_KEY]
    emulator.request_count += 1
    if not _is_api_path(request.path):
        return await handler(request)
    emulator.api_request_count += 1
    outcome, delay = emulator.faults.decide(request.path)
    if delay > 0:
        await asyncio.sleep(delay)
    if outcome == "slow":
        await asyncio.sleep(emulator.faults.profile.slow_seconds)
    elif outcome == "drop":
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # nothing is written: the client sees a dropped connection
    elif outcome == "429":
        # A 429 from Allegro means a block of the client id, not one unlucky request: start a
        # real one, so a client that retries at once keeps getting 429 (ALLEGRO-API.md §6.3).
        client_id = _client_id_of(request)
        if client_id is not None:
            emulator.limiter.block(client_id)
        return errors_body(request, 429, "TooManyRequestsException", "Too many requests",
                           user_message="too_many")
    elif outcome == "500":
        return errors_body(request, 500, "InternalServerErrorException",
                           "Internal server error", user_message="server")
    elif outcome in ("502", "503"):
        # Gateways answer with HTML, not JSON: a client must cope with both.
        title = "502 Bad Gateway" if outcome == "502" else "503 Service Unavailable"
        return web.Response(status=int(outcome), content_type="text/html",
                            text=f"<html><body><h1>{title}</h1></body></html>")
    response = await handler(request)
    if outcome == "truncate" and isinstance(response, web.Response) and response.body:
        body = bytes(response.body)  # type: ignore[arg-type]
        stream = web.StreamResponse(status=response.status, headers=response.headers)
        stream.headers["trace-id"] = request[TRACE_ID]
        stream.content_length = len(body)
        await stream.prepare(request)
        await stream.write(body[: max(len(body) // 2, 1)])
        if request.transport is not None:
            request.transport.close()
        raise asyncio.CancelledError
    return response


# -- REST plumbing ---------------------------------------------------------------------------


def _client_id_of(request: web.Request) -> str | None:
    """The client id a request counts against: from its bearer token or its Basic header."""
    emulator = request.app[EMULATOR_KEY]
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        session, _error = emulator.oauth.check_access(header[7:].strip())
        return session.client_id if session is not None else None
    try:
        return emulator.oauth.authenticate(header).client_id
    except OAuthError:
        return None


def _int_param(request: web.Request, name: str, default: int, lo: int, hi: int | None) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad(request, f"Parameter '{name}' must be an integer", path=name) from None
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise bad(request, f"Parameter '{name}' must be {bound}", path=name)
    return value


def _enum_param(request: web.Request, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    if raw not in allowed:
        raise bad(request, f"Invalid value '{raw}' of parameter '{name}'", status=400,
                   path=name)
    return raw


def _time_param(request: web.Request, name: str) -> float | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise bad(request, f"Parameter '{name}' must be an ISO 8601 date-time", status=400,
                   path=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


# -- OAuth -----------------------------------------------------------------------------------


async def _oauth_params(request: web.Request) -> dict[str, str]:
    """Query and form body together: Allegro reads both ([#2429], [#5171])."""
    params = dict(request.query.items())
    if request.content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


async def oauth_device(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    params = await _oauth_params(request)
    try:
        client = emulator.oauth.authenticate(request.headers.get("Authorization"))
        if "client_id" not in params:
            raise OAuthError(400, {"error": "invalid_request",
                                   "error_description": "Missing client_id"})
        auth = emulator.oauth.start_device(client, params["client_id"], params.get("scope"))
    except OAuthError as exc:
        return web.Response(body=orjson.dumps(exc.body), status=exc.status,
                            content_type=OAUTH_MEDIA_TYPE)
    base = f"{request.scheme}://{request.host}{VERIFICATION_PATH}"
    return web.Response(body=orjson.dumps({
        "user_code": auth.user_code,
        "device_code": auth.device_code,
        "expires_in": emulator.oauth.device_ttl,
        "interval": auth.interval,
        "verification_uri": base,
        "verification_uri_complete": f"{base}?code={auth.user_code}",
    }), content_type=OAUTH_MEDIA_TYPE)


async def oauth_token(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    params = await _oauth_params(request)
    try:
        client = emulator.oauth.authenticate(request.headers.get("Authorization"))
        grant = params.get("grant_type", "")
        if grant == DEVICE_GRANT:
            body = emulator.oauth.poll(client, params.get("device_code", ""))
        elif grant == REFRESH_GRANT:
            if "refresh_token" not in params:
                raise OAuthError(400, {"error": "invalid_request",
                                       "error_description": "Missing refresh token"})
            body = emulator.oauth.refresh_grant(client, params["refresh_token"])
        else:
            # e.g. a double-encoded `urn%3Aietf...` ([#5613])
            raise OAuthError(400, {"error": "unsupported_grant_type",
                                   "error_description": "Unsupported grant type"})
    except OAuthError as exc:
        return web.Response(body=orjson.dumps(exc.body), status=exc.status,
                            content_type=OAUTH_MEDIA_TYPE)
    return web.Response(body=orjson.dumps(body), content_type=OAUTH_MEDIA_TYPE)


# -- REST resources ------------------------------------------------------------------------


async def me(request: web.Request) -> web.Response:
    session = authorize(request, "allegro:api:profile:read")
    emulator = request.app[EMULATOR_KEY]
    return rest_json(emulator.store.seller_store(session.seller_id).seller.me())


async def order_events(request: web.Request) -> web.Response:
    session = authorize(request, "allegro:api:orders:read")
    emulator = request.app[EMULATOR_KEY]
    limit = _int_param(request, "limit", 100, 1, 1000)
    raw_from = request.query.get("from")
    from_id: int | None = None
    if raw_from is not None:
        if not raw_from.isdigit():
            raise bad(request, f"Invalid event id '{raw_from}'", path="from")
        from_id = int(raw_from)
    types: frozenset[str] | None = None
    raw_types = [t for value in request.query.getall("type", []) for t in value.split(",") if t]
    if raw_types:
        unknown = [t for t in raw_types if t not in EVENT_TYPES]
        if unknown:
            raise bad(request, f"Invalid event type '{unknown[0]}'", path="type")
        types = frozenset(raw_types)
    events = emulator.store.events_after(session.seller_id, from_id, types, limit)
    body = b'{"events":[' + b",".join(events) + b"]}"
    return web.Response(body=body, content_type=REST_MEDIA_TYPE)


async def order_event_stats(request: web.Request) -> web.Response:
    session = authorize(request, "allegro:api:orders:read")
    emulator = request.app[EMULATOR_KEY]
    return rest_json({"latestEvent": emulator.store.latest_event(session.seller_id)})


async def checkout_forms(request: web.Request) -> web.Response:
    session = authorize(request, "allegro:api:orders:read")
    emulator = request.app[EMULATOR_KEY]
    offset = _int_param(request, "offset", 0, 0, None)
    limit = _int_param(request, "limit", 100, 1, 100)
    if offset + limit > MAX_RESULT_WINDOW:
        # Not in the spec; observed and confirmed by staff (ALLEGRO-API.md §9.3, [#4027]).
        raise Reply(errors_body(
            request, 422, "VALIDATION_ERROR",
            "Offset and limit parameters exceed maximal result size of 10000 items",
            user_message=None, path="/order/checkout-forms"))
    query = OrderQuery(
        offset=offset,
        limit=limit,
        status=_enum_param(request, "status", ORDER_STATUSES),
        fulfillment_status=_enum_param(request, "fulfillment.status", FULFILLMENT_STATUSES),
        provider_id=_enum_param(request, "fulfillment.provider.id", ("SELLER", "ALLEGRO")),
        line_items_sent=_enum_param(request, "fulfillment.shipmentSummary.lineItemsSent",
                                    ("NONE", "SOME", "ALL")),
        bought_gte=_time_param(request, "lineItems.boughtAt.gte"),
        bought_lte=_time_param(request, "lineItems.boughtAt.lte"),
        payment_id=request.query.get("payment.id"),
        surcharge_id=request.query.get("surcharges.id"),
        delivery_method_id=request.query.get("delivery.method.id"),
        buyer_login=request.query.get("buyer.login"),
        marketplace_id=request.query.get("marketplace.id"),
        updated_gte=_time_param(request, "updatedAt.gte"),
        updated_lte=_time_param(request, "updatedAt.lte"),
        sort=_enum_param(request, "sort", ("lineItems.boughtAt", "-lineItems.boughtAt",
                                          "updatedAt", "-updatedAt")) or "-lineItems.boughtAt",
    )
    bodies, total = emulator.store.list_orders(session.seller_id, query)
    body = (b'{"checkoutForms":[' + b",".join(bodies) + b'],"count":'
            + str(len(bodies)).encode() + b',"totalCount":' + str(total).encode() + b"}")
    return web.Response(body=body, content_type=REST_MEDIA_TYPE)


async def checkout_form(request: web.Request) -> web.Response:
    session = authorize(request, "allegro:api:orders:read")
    emulator = request.app[EMULATOR_KEY]
    order_id = request.match_info["id"]
    check_time_uuid(request, order_id)
    try:
        record = emulator.store.get_order(session.seller_id, order_id)
    except StoreError as exc:
        raise store_reply(request, exc) from None
    return web.Response(body=record.body, content_type=REST_MEDIA_TYPE)


async def index(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    sellers = ", ".join(s.seller.login for s in emulator.store.sellers.values())
    orders = sum(len(s.orders) for s in emulator.store.sellers.values())
    return web.Response(content_type="text/html", text=(
        "<!doctype html><meta charset=utf-8><title>Allegro API emulator</title>"
        "<h1>Allegro API emulator</h1>"
        f"<p>Sellers: {sellers}. Orders: {orders}."
        f"</p><p>Control API: <a href='{CONTROL_PREFIX}/'>{CONTROL_PREFIX}/</a></p>"))


def build_app(emulator: Emulator) -> web.Application:
    """The aiohttp application serving `emulator`."""
    app = web.Application(middlewares=[trace_middleware, fault_middleware],
                          client_max_size=32 * 1024 * 1024)
    app[EMULATOR_KEY] = emulator
    app.router.add_get("/", index)
    app.router.add_post("/auth/oauth/device", oauth_device)
    app.router.add_post("/auth/oauth/token", oauth_token)
    app.router.add_get("/me", me)
    app.router.add_get("/order/events", order_events)
    app.router.add_get("/order/event-stats", order_event_stats)
    app.router.add_get("/order/checkout-forms", checkout_forms)
    app.router.add_get("/order/checkout-forms/{id}", checkout_form)
    order_management.add_routes(app)
    consent.add_routes(app, path=VERIFICATION_PATH, key=EMULATOR_KEY)
    control.add_routes(app, prefix=CONTROL_PREFIX, key=EMULATOR_KEY)
    app.cleanup_ctx.append(live.live_context(EMULATOR_KEY))
    return app
