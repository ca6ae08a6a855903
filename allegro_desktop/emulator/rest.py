"""What every emulated REST resource shares: the media type, Allegro's error bodies, the checks a
call passes before its handler runs (token, rate limits, `Accept`, scope), and the answers to
the store's refusals. `server.py` (the read side) and `order_management.py` (the seller's write
side) build on it.

Order of checks for a REST call (our assumption: no public source gives Allegro's): bearer token
(401), the client id's rate limit, then the resource's own limit (429), `Accept` media type
(406), scope (403); then the handler's parameters (400/422) and the resource (404).
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from aiohttp import web

from allegro_desktop.emulator.core import Emulator
from allegro_desktop.emulator.oauth import Session
from allegro_desktop.emulator.store import StoreError

REST_MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
OAUTH_MEDIA_TYPE = "application/json"
EMULATOR_KEY = web.AppKey("emulator", Emulator)
TRACE_ID = web.RequestKey("trace_id", str)

#: userMessage texts, by Accept-Language (Allegro localizes userMessage, never `message`).
#: Where a public source quotes Allegro's Polish text, it is used word for word (the issue is
#: named); the English texts and the other Polish ones are ours.
USER_MESSAGES: dict[str, dict[str, str]] = {
    "invalid_data": {
        "pl": "Żądanie zawiera niepoprawne dane. Skontaktuj się z autorem aplikacji.",
        "en": "The request contains incorrect data. Contact the author of the application.",
    },
    "not_found": {
        "pl": "Nie znaleziono zamówienia.",
        "en": "The order was not found.",
    },
    "forbidden": {
        "pl": "Brak uprawnień do tego zasobu.",
        "en": "You do not have permission to access this resource.",
    },
    "too_many": {
        "pl": "Przekroczono limit zapytań. Spróbuj ponownie za chwilę.",
        "en": "Too many requests. Try again in a moment.",
    },
    "server": {
        "pl": "Wystąpił błąd. Spróbuj ponownie później.",
        "en": "An error has occurred. Try again later.",
    },
    "conflict": {
        "pl": "Zamówienie zostało w międzyczasie zmienione. Odśwież dane i spróbuj ponownie.",
        "en": "The order has changed in the meantime. Refresh it and try again.",
    },
    "carrier_id": {  # [#10025]
        "pl": "Nierozpoznana wartość w polu carrierId",
        "en": "Unrecognized value in the field carrierId",
    },
    "waybill": {  # [#10424]
        "pl": "Przekazany numer przesyłki jest niepoprawny",
        "en": "The tracking number given is invalid",
    },
    "carrier_name": {
        "pl": "Podaj nazwę przewoźnika (najwyżej 30 znaków).",
        "en": "Give the carrier's name (30 characters at most).",
    },
    "line_items": {
        "pl": "Wskazane przedmioty nie należą do tego zamówienia.",
        "en": "The items given do not belong to this order.",
    },
    "invoice_not_allowed": {
        "pl": "Kupujący nie poprosił o fakturę do tego zamówienia.",
        "en": "The buyer did not ask for an invoice for this order.",
    },
    "invoice_not_found": {
        "pl": "Nie znaleziono faktury.",
        "en": "The invoice was not found.",
    },
    "invoice_file_exists": {
        "pl": "Do tej faktury dodano już plik.",
        "en": "A file was already added to this invoice.",
    },
    "file_too_large": {
        "pl": "Plik jest za duży. Największy dopuszczalny rozmiar to 3 MB.",
        "en": "The file is too large. The largest allowed size is 3 MB.",
    },
    "fulfillment_limit": {
        "pl": "Osiągnięto limit zmian statusu tego zamówienia.",
        "en": "The limit of status changes of this order has been reached.",
    },
}


class Reply(Exception):  # noqa: N818 - it is a response, raised to short-circuit a handler
    """A finished response raised from deep inside a handler."""

    def __init__(self, response: web.StreamResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _lang(request: web.Request) -> str:
    return "pl" if request.headers.get("Accept-Language", "").lower().startswith("pl") else "en"


def rest_json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type=REST_MEDIA_TYPE)


def errors_body(request: web.Request, status: int, code: str, message: str, *,
                user_message: str | None = "invalid_data", path: str | None = None,
                details: str | None = None) -> web.Response:
    """Allegro's `{"errors": [...]}` body (schema ErrorsHolder). `user_message` is a key of
    `USER_MESSAGES`, or `"="` for Allegro's habit of repeating `message` there ([#11522])."""
    if user_message == "=":
        text: str | None = message
    else:
        text = USER_MESSAGES[user_message][_lang(request)] if user_message else None
    error: dict[str, Any] = {"code": code, "message": message, "details": details, "path": path,
                             "userMessage": text, "metadata": {}}
    return rest_json({"errors": [error]}, status)


def auth_error(body: dict[str, str], status: int = 401) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type=OAUTH_MEDIA_TYPE)


def authorize(request: web.Request, scope: str | None, *, resource: str | None = None
              ) -> Session:
    """The session of the request's bearer token, once the checks of a REST call pass.

    `scope` None: any user token will do (`GET /order/carriers` names no scope). `resource`
    names a limit of its own (`ResourceLimiter`), counted after the client id's.
    """
    emulator = request.app[EMULATOR_KEY]
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        raise Reply(auth_error({
            "error": "unauthorized",
            "error_description": "Full authentication is required to access this resource",
        }))
    session, error = emulator.oauth.check_access(header[7:].strip())
    if session is None:
        assert error is not None
        raise Reply(auth_error(error))
    blocked_for = emulator.limiter.hit(session.client_id)
    if blocked_for is not None or (
            resource is not None
            and not emulator.resource_limiter.allow(session.client_id, resource)):
        raise Reply(errors_body(request, 429, "TooManyRequestsException",
                                "Too many requests", user_message="too_many"))
    accept = request.headers.get("Accept", "")
    if REST_MEDIA_TYPE not in accept:
        raise Reply(errors_body(
            request, 406, "NotAcceptableException",
            "Not acceptable representation requested. Please check 'Accept' request header"))
    if scope is not None and scope not in session.scopes:
        raise Reply(errors_body(request, 403, "AccessDenied",
                                f"Access is denied: the token lacks scope {scope}",
                                user_message="forbidden"))
    return session


def bad(request: web.Request, message: str, *, status: int = 422,
        path: str | None = None) -> Reply:
    code = "VALIDATION_ERROR" if status == 422 else "IllegalArgumentException"
    return Reply(errors_body(request, status, code, message, path=path))


def check_time_uuid(request: web.Request, order_id: str) -> None:
    try:
        parsed = uuid.UUID(order_id)
    except ValueError:
        raise bad(request, f"Invalid UUID string: {order_id}", path="id") from None
    if parsed.version != 1:
        # Real ids are time-based UUIDs; others are refused ([QUTLET] SOURCES.md).
        raise bad(request, f"Not valid time UUID: {order_id}", path="id")


def store_reply(request: web.Request, exc: StoreError) -> Reply:
    """The answer Allegro gives to what the store refused."""
    if exc.status is not None:  # a refusal worded as Allegro words it
        return Reply(errors_body(request, exc.status, exc.code or "VALIDATION_ERROR",
                                 exc.message, user_message=exc.user_message, path=exc.path))
    if exc.kind == "not_found":
        return Reply(errors_body(request, 404, "CheckoutFormNotFoundException", exc.message,
                                 user_message="not_found"))
    if exc.kind == "conflict":
        return Reply(errors_body(request, 409, "CONFLICT", exc.message, user_message="conflict"))
    return bad(request, exc.message)


def require_media_type(request: web.Request, media_type: str = REST_MEDIA_TYPE) -> None:
    """415 for a body of another type (Allegro's answer to a wrong Content-Type, [#3822])."""
    if request.content_type != media_type:
        raise Reply(errors_body(request, 415, "UnsupportedMediaTypeException",
                                f"Content type '{request.content_type}' not supported"))


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request's JSON object body, or 400."""
    try:
        payload = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        raise bad(request, "The body is not valid JSON", status=400) from None
    if not isinstance(payload, dict):
        raise bad(request, "The body must be a JSON object", status=400)
    return payload
