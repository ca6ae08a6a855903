"""The control API under `/__emulator__/`: JSON in, JSON out, for tests, the demo and benchmarks.

It plays the parts nobody can script on allegro.pl: the seller approving a device code, buyers
buying, paying, cancelling and editing addresses, the seller's warehouse moving parcels, time
passing, the network misbehaving. It bypasses auth, the rate limit and injected faults.

Stable for other tools (documented in docs/EMULATOR.md): `GET device`, `POST device/approve`,
`POST device/deny`, `POST orders`, `GET checkout-forms`, `GET orders/{id}/shipments`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from allegro_desktop.emulator import live
from allegro_desktop.emulator.limits import FaultProfile, ResourceLimit
from allegro_desktop.emulator.oauth import Client
from allegro_desktop.emulator.store import Quirks, StoreError

if TYPE_CHECKING:
    from allegro_desktop.emulator.core import Emulator

MAX_GENERATED_PER_CALL = 100_000

Handler = Callable[[web.Request], Awaitable[web.Response]]


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


class _Fail(Exception):  # noqa: N818 - an answer, raised from deep inside a handler
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    if not raw:
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _Fail(400, f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _Fail(400, "the body must be a JSON object")
    return data


def add_routes(app: web.Application, *, prefix: str, key: web.AppKey[Emulator]) -> None:  # noqa: C901 - one handler per control call
    def emu(request: web.Request) -> Emulator:
        return request.app[key]

    def seller(request: web.Request, body: dict[str, Any]) -> str:
        name = body.get("seller") or request.query.get("seller")
        try:
            return emu(request).seller_id_for(name)
        except KeyError:
            raise _Fail(404, f"no seller {name!r}") from None

    def guarded(handler: Handler) -> Handler:
        async def wrapper(request: web.Request) -> web.Response:
            try:
                return await handler(request)
            except _Fail as exc:
                return _json({"error": exc.message}, exc.status)
            except StoreError as exc:
                status = exc.status or {"not_found": 404, "conflict": 409}.get(exc.kind, 400)
                return _json({"error": exc.message}, status)
            except (ValueError, TypeError) as exc:
                return _json({"error": str(exc)}, 400)

        return wrapper

    routes: list[tuple[str, str, Handler, str]] = []

    def route(method: str, path: str, doc: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            routes.append((method, path, guarded(handler), doc))
            return handler

        return register

    @route("GET", "/", "this list")
    async def index(request: web.Request) -> web.Response:
        return _json({"endpoints": [{"method": m, "path": prefix + p, "doc": d}
                                    for m, p, _, d in routes]})

    @route("GET", "/device", "pending device codes: [{user_code, expires_at, ...}]")
    async def device_list(request: web.Request) -> web.Response:
        e = emu(request)
        uri = f"{request.scheme}://{request.host}/skojarz-aplikacje"
        return _json([a.to_json(uri) for a in e.oauth.pending_devices()])

    async def _decide(request: web.Request, approve: bool) -> web.Response:
        body = await _body(request)
        code = body.get("user_code")
        if not isinstance(code, str):
            raise _Fail(400, "give the user_code")
        e = emu(request)
        try:
            auth = e.oauth.decide(code, approve=approve, seller_id=seller(request, body))
        except KeyError:
            raise _Fail(404, f"no pending device code {code!r}") from None
        return _json({"user_code": auth.user_code, "state": auth.state,
                      "seller_id": auth.seller_id})

    @route("POST", "/device/approve", '{"user_code": ..., "seller"?: login or id}')
    async def device_approve(request: web.Request) -> web.Response:
        return await _decide(request, True)

    @route("POST", "/device/deny", '{"user_code": ...}')
    async def device_deny(request: web.Request) -> web.Response:
        return await _decide(request, False)

    @route("POST", "/orders",
           '{"count": N} new random orders, or {"checkoutForm": {...}}; "seller"? optional')
    async def orders_create(request: web.Request) -> web.Response:
        body = await _body(request)
        e = emu(request)
        sid = seller(request, body)
        if "checkoutForm" in body:
            form = body["checkoutForm"]
            if not isinstance(form, dict):
                raise _Fail(400, "checkoutForm must be an object")
            return _json({"checkoutForms": [e.store.add_form(sid, form)]}, 201)
        count = body.get("count", 1)
        if not isinstance(count, int) or not 1 <= count <= MAX_GENERATED_PER_CALL:
            raise _Fail(400, f"count must be an integer from 1 to {MAX_GENERATED_PER_CALL}")
        return _json({"checkoutForms": e.store.add_generated(sid, count)}, 201)

    @route("GET", "/checkout-forms",
           "every order as GET /order/checkout-forms/{id} returns it; the orders' shipments "
           "and invoices by order id")
    async def forms(request: web.Request) -> web.Response:
        e = emu(request)
        sid = seller(request, {}) if request.query.get("seller") else None
        papers = e.actions.papers(sid)
        body = (b'{"checkoutForms":[' + b",".join(e.store.all_forms(sid)) + b'],"shipments":'
                + orjson.dumps(papers.get("shipments", {})) + b',"invoices":'
                + orjson.dumps(papers.get("invoices", {})) + b"}")
        return web.Response(body=body, content_type="application/json")

    @route("GET", "/orders/{id}/shipments",
           "the order's tracking numbers, as GET /order/checkout-forms/{id}/shipments lists them")
    async def shipments_list(request: web.Request) -> web.Response:
        found = emu(request).actions.shipments(None, request.match_info["id"])
        return _json({"shipments": found})

    @route("POST", "/orders/{id}/shipments",
           '{"carrierId", "waybill", "carrierName"?, "lineItems"?}: a tracking number added '
           "elsewhere (the web site, the carrier)")
    async def shipments_add(request: web.Request) -> web.Response:
        body = await _body(request)
        return _json(emu(request).actions.add_shipment(None, request.match_info["id"], body),
                     201)

    @route("GET", "/orders/{id}/invoices",
           "the order's invoices as GET .../invoices lists them, with each file's size and "
           "sha256")
    async def invoices_list(request: web.Request) -> web.Response:
        return _json(emu(request).actions.invoices(None, request.match_info["id"],
                                                   file_facts=True))

    @route("GET", "/settings", "a seller's order settings (?seller=)")
    async def settings_get(request: web.Request) -> web.Response:
        sid = seller(request, {})
        return _json({"seller": sid, **emu(request).actions.settings(sid).to_json()})

    @route("POST", "/settings", '{"seller"?, "sent_on_tracking_number"?: bool}')
    async def settings_set(request: web.Request) -> web.Response:
        body = await _body(request)
        sid = seller(request, body)
        changes = {k: v for k, v in body.items() if k != "seller"}
        return _json({"seller": sid,
                      **emu(request).actions.change_settings(sid, changes).to_json()})

    @route("POST", "/orders/{id}/fulfillment", '{"status": "SENT"}: the seller moved the parcel')
    async def fulfillment(request: web.Request) -> web.Response:
        body = await _body(request)
        status = body.get("status")
        if not isinstance(status, str):
            raise _Fail(400, "give the fulfillment status")
        return _json(emu(request).store.set_fulfillment(request.match_info["id"], status))

    @route("POST", "/orders/{id}/cancel", '{"by": "buyer" | "auto" | "seller"}')
    async def cancel(request: web.Request) -> web.Response:
        body = await _body(request)
        by = body.get("by", "buyer")
        store = emu(request).store
        order_id = request.match_info["id"]
        if by == "buyer":
            return _json(store.buyer_cancel(order_id))
        if by == "auto":
            return _json(store.auto_cancel(order_id))
        if by == "seller":
            return _json(store.set_fulfillment(order_id, "CANCELLED"))
        raise _Fail(400, "by must be buyer, auto or seller")

    @route("POST", "/orders/{id}/pay", "the buyer paid: BOUGHT/FILLED_IN → READY_FOR_PROCESSING")
    async def pay(request: web.Request) -> web.Response:
        return _json(emu(request).store.pay(request.match_info["id"]))

    @route("POST", "/orders/{id}/address",
           '{"address"?: {...}} the buyer changed the delivery address (BUYER_MODIFIED)')
    async def address(request: web.Request) -> web.Response:
        body = await _body(request)
        new = body.get("address")
        if new is not None and not isinstance(new, dict):
            raise _Fail(400, "address must be an object")
        return _json(emu(request).store.modify_address(request.match_info["id"], new))

    @route("POST", "/orders/merge", '{"ids": [...]}: unpaid orders merged into a new form')
    async def merge(request: web.Request) -> web.Response:
        body = await _body(request)
        ids = body.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _Fail(400, "ids must be a list of checkout form ids")
        return _json(emu(request).store.merge(ids))

    @route("GET", "/clock", "the emulator's current time")
    async def clock(request: web.Request) -> web.Response:
        now = emu(request).clock.now()
        return _json({"now": now.isoformat().replace("+00:00", "Z"), "epoch": now.timestamp()})

    @route("POST", "/clock/advance", '{"seconds": N}: time passes (expiry, retention, blocks)')
    async def clock_advance(request: web.Request) -> web.Response:
        body = await _body(request)
        seconds = body.get("seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise _Fail(400, "seconds must be a number")
        e = emu(request)
        now = e.clock.advance(float(seconds))
        cancelled = e.store.auto_cancel_due()  # unpaid orders past their payment deadline
        return _json({"now": now.isoformat().replace("+00:00", "Z"), "epoch": now.timestamp(),
                      "auto_cancelled": cancelled})

    @route("GET", "/faults", "the fault profile")
    async def faults_get(request: web.Request) -> web.Response:
        return _json(emu(request).faults.profile.to_json())

    @route("POST", "/faults", "change the fault profile (fields overlay the current one)")
    async def faults_set(request: web.Request) -> web.Response:
        e = emu(request)
        profile = FaultProfile.from_json(await _body(request), base=e.faults.profile)
        e.faults.set(profile)
        return _json(profile.to_json())

    @route("DELETE", "/faults", "no faults")
    async def faults_reset(request: web.Request) -> web.Response:
        emu(request).faults.set(FaultProfile())
        return _json(FaultProfile().to_json())

    @route("GET", "/quirks", "the quirk switches")
    async def quirks_get(request: web.Request) -> web.Response:
        return _json(emu(request).store.quirks.to_json())

    @route("POST", "/quirks", "change quirk switches (fields overlay the current ones)")
    async def quirks_set(request: web.Request) -> web.Response:
        e = emu(request)
        e.store.quirks = Quirks.from_json(await _body(request), base=e.store.quirks)
        return _json(e.store.quirks.to_json())

    def ratelimit_status(e: Emulator) -> dict[str, Any]:
        return {**e.limiter.status(), "resources": e.resource_limiter.status()}

    @route("GET", "/ratelimit", "rate-limit settings and per-client state")
    async def ratelimit_get(request: web.Request) -> web.Response:
        return _json(ratelimit_status(emu(request)))

    @route("POST", "/ratelimit", '{"per_minute"?, "block_seconds"?, "growth_seconds"?, '
                                 '"resources"?: {"shipments": {"requests", "seconds"}}}')
    async def ratelimit_set(request: web.Request) -> web.Response:
        body = await _body(request)
        e = emu(request)
        resources = body.get("resources", {})
        if not isinstance(resources, dict):
            raise _Fail(400, "resources must be an object")
        limits = {}
        for name, limit in resources.items():
            if not isinstance(limit, dict) or set(limit) != {"requests", "seconds"}:
                raise _Fail(400, f"resources.{name} must be {{\"requests\", \"seconds\"}}")
            limits[name] = ResourceLimit(int(limit["requests"]), float(limit["seconds"]))
        e.limiter.configure(per_minute=body.get("per_minute"),
                            block_seconds=body.get("block_seconds"),
                            growth_seconds=body.get("growth_seconds"))
        for name, limit in limits.items():
            e.resource_limiter.configure(name, limit)
        return _json(ratelimit_status(e))

    @route("POST", "/tokens/expire", '{"seller"?}: access tokens expire now')
    async def tokens_expire(request: web.Request) -> web.Response:
        body = await _body(request)
        sid = seller(request, body) if body.get("seller") else None
        return _json({"expired": emu(request).oauth.expire_access_tokens(sid)})

    @route("POST", "/tokens/revoke", '{"seller"?}: the user unlinked the app (invalid_grant)')
    async def tokens_revoke(request: web.Request) -> web.Response:
        body = await _body(request)
        sid = seller(request, body) if body.get("seller") else None
        return _json({"revoked": emu(request).oauth.revoke(sid)})

    @route("POST", "/tokens/ttl", '{"access_ttl": seconds} for tokens issued from now on')
    async def tokens_ttl(request: web.Request) -> web.Response:
        body = await _body(request)
        ttl = body.get("access_ttl")
        if not isinstance(ttl, int) or ttl < 1:
            raise _Fail(400, "access_ttl must be a positive integer")
        emu(request).oauth.access_ttl = ttl
        return _json({"access_ttl": ttl})

    @route("POST", "/clients", '{"client_id", "client_secret", "type": "device" | "web"}')
    async def clients(request: web.Request) -> web.Response:
        body = await _body(request)
        cid, secret, kind = body.get("client_id"), body.get("client_secret"), body.get("type",
                                                                                      "device")
        if not isinstance(cid, str) or not isinstance(secret, str) or kind not in ("device",
                                                                                   "web"):
            raise _Fail(400, "give client_id, client_secret and type device or web")
        emu(request).oauth.add_client(Client(cid, secret, kind))
        return _json({"client_id": cid, "type": kind}, 201)

    @route("GET", "/live", "live-mode settings")
    async def live_get(request: web.Request) -> web.Response:
        e = emu(request)
        return _json({"enabled": e.live_enabled, "orders_per_minute": e.live_orders_per_minute,
                      "changes_per_minute": e.live_changes_per_minute})

    @route("POST", "/live", '{"enabled"?, "orders_per_minute"?, "changes_per_minute"?}')
    async def live_set(request: web.Request) -> web.Response:
        body = await _body(request)
        e = emu(request)
        if "enabled" in body:
            e.live_enabled = bool(body["enabled"])
        for name in ("orders_per_minute", "changes_per_minute"):
            if name in body:
                value = float(body[name])
                if value < 0:
                    raise _Fail(400, f"{name} must not be negative")
                setattr(e, f"live_{name}", value)
        return await live_get(request)

    @route("POST", "/live/step", "one live-mode change, now")
    async def live_step(request: web.Request) -> web.Response:
        return _json(live.step(emu(request)))

    @route("GET", "/stats", "counts: sellers, orders, events, requests served, OAuth grants")
    async def stats(request: web.Request) -> web.Response:
        e = emu(request)
        return _json({
            "requests": e.request_count,
            "api_requests": e.api_request_count,
            "oauth": dict(e.oauth.counters),
            "sellers": [{"id": s.seller.id, "login": s.seller.login, "orders": len(s.orders),
                         "events": len(s.events), "merged_ids": len(s.merged_ids),
                         **e.actions.counts(s.seller.id)}
                        for s in e.store.sellers.values()],
        })

    for method, path, handler, _doc in routes:
        app.router.add_route(method, prefix + path, handler)
