"""`AllegroClient`: the order endpoints of Allegro's REST API over httpx, the way ALLEGRO-API.md
§5-§6 says they must be called.

- Every request carries `Accept: application/vnd.allegro.public.v1+json` (else 406) and the
  seller's bearer token, and waits for the shared `RequestGovernor`.
- Idempotent requests (GET, PUT) are retried on timeouts, refused, dropped or cut-off
  connections and 5xx answers, with capped exponential backoff and full jitter. 5xx bodies
  may be HTML pages of a gateway: a body is never assumed to be JSON.
- 429 pauses the whole client id in the governor (Retry-After if given, else about a minute)
  and raises `RateLimitedError`; nothing is retried inside the block, which would extend it.
- 401 `invalid_token`: the token source gives a newer token (refreshing single-flight) and the
  request is repeated once. A second 401 raises `ReconnectNeededError`: a token that fails
  right after a refresh means the authorization is gone, and refreshing in a loop would only
  burn the per-user token-issuance limit (ALLEGRO-API.md §5.9, §4.6).
- 4xx answers become typed errors carrying Allegro's `code`, `userMessage` and `trace-id`.
- Every exchange has a deadline and a cap on the body read (`limits`, `api/limits.py`): a
  trickling answer is a timeout (retried, then `TooSlowError`), a too large or endless one a
  `MalformedResponseError` (not retried), never read into memory.

Order payloads are returned as raw dicts, only their top-level shape checked: turning them into
domain objects (tolerant of unknown fields) is the parser's job, and the raw JSON is stored too.

The httpx client is passed in: it belongs to one event loop, and the thread that owns the loop
owns the client (ARCHITECTURE.md "Threads and event loops"). `make_http_client` builds one
with the API's timeouts.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.metadata
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    ApiError,
    ConflictError,
    FileTooLargeError,
    ForbiddenError,
    InvalidTokenError,
    InvoiceFileExistsError,
    MalformedResponseError,
    NetworkError,
    NotAcceptableError,
    NotFoundError,
    RateLimitedError,
    ReconnectNeededError,
    ServerError,
    TooSlowError,
    ValidationError,
    scrub,
)
from allegro_desktop.api.limits import API_LIMITS, NetworkLimits
from allegro_desktop.api.models import SellerProfile
from allegro_desktop.api.order_writes import OrderWriteCalls
from allegro_desktop.api.ratelimit import Clock, RequestGovernor, Sleep
from allegro_desktop.api.retry import RetryPolicy, is_retryable
from allegro_desktop.api.tokens import AccessTokenSource
from allegro_desktop.api.wire import (
    NOT_JSON,
    AnswerTooLarge,
    DeadlineExceeded,
    describe,
    json_body,
    log,
    send,
    tls_context,
    trace_id_of,
    transport_error_text,
)
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, ByteSize, Text

API_MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
DEFAULT_RETRY = RetryPolicy()
#: Safe to send twice (ALLEGRO-API.md §11.2: PUT is idempotent).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: What a seller is told when Allegro's error carries no userMessage of its own.
_DEFAULT_USER_MESSAGES: dict[type[ApiError], Text] = {
    NotFoundError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro could not find it: the order may have been merged into another "
        "purchase or be older than Allegro keeps orders.")),
    ForbiddenError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro refused access: the account has not given the app this permission. "
        "Connect the account again to grant it.")),
    ConflictError: Text(QT_TRANSLATE_NOOP(
        "Errors", "The order changed on Allegro in the meantime. Refresh it and try again.")),
    ValidationError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro refused the app's request as invalid. This is probably a bug of the "
        "app; please report it.")),
    NotAcceptableError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro no longer serves data in the format this version of the app asks "
        "for. Please update the app.")),
    FileTooLargeError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro refused the file as too large.")),
    InvoiceFileExistsError: Text(QT_TRANSLATE_NOOP(
        "Errors", "Allegro already has a file for this invoice.")),
}
_ERROR_CLASSES: dict[int, type[ApiError]] = {
    400: ValidationError,
    403: ForbiddenError,
    404: NotFoundError,
    406: NotAcceptableError,
    409: ConflictError,
    413: FileTooLargeError,
    422: ValidationError,
}


@functools.cache
def default_user_agent() -> str:
    """`allegro-desktop/<version>`: lets Allegro's support tell our traffic apart."""
    try:
        version = importlib.metadata.version("allegro-desktop")
    except importlib.metadata.PackageNotFoundError:  # e.g. a bundle without dist-info
        version = "unknown"
    return f"allegro-desktop/{version}"


def make_http_client(*, timeout: httpx.Timeout | float | None = None,
                     user_agent: str | None = None,
                     transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """An `AsyncClient` for one event loop, with our User-Agent and httpx's per-phase
    timeouts (by default the API's, `API_LIMITS.timeout`; the whole exchange's deadline is
    `send`'s).

    Redirects are not followed: Allegro's order endpoints do not redirect, and many clients
    drop or — worse — forward the Authorization header when they do ([#8956]).
    """
    return httpx.AsyncClient(
        timeout=timeout if timeout is not None else API_LIMITS.timeout,
        headers={"User-Agent": user_agent or default_user_agent()},
        transport=transport,
        follow_redirects=False,
        verify=tls_context(),
    )



class AllegroClient(OrderWriteCalls):
    """One seller's view of Allegro's REST API, in one environment and one event loop: the
    order endpoints here, the seller's write calls (`OrderWriteCalls`) in `order_writes.py`.

    `tokens` owns the seller's tokens (auth/); `governor` is the process-wide request budget;
    `retry` shapes retries; `limits` bounds each exchange (deadline, body cap);
    `accept_language` picks the language of Allegro's `userMessage`s (e.g. "pl-PL");
    `media_type` exists for tests and a future API version. `sleep`, `clock` (epoch seconds)
    and `rng` are injectable so tests run without waiting.
    """

    def __init__(self, environment: Environment, *, http: httpx.AsyncClient,
                 tokens: AccessTokenSource, governor: RequestGovernor,
                 retry: RetryPolicy = DEFAULT_RETRY, limits: NetworkLimits = API_LIMITS,
                 accept_language: str | None = None,
                 media_type: str = API_MEDIA_TYPE, sleep: Sleep = asyncio.sleep,
                 clock: Clock = time.time, rng: Callable[[], float] = random.random) -> None:
        self.environment = environment
        self._http = http
        self._limits = limits
        self._tokens = tokens
        self._governor = governor
        self._retry = retry
        self._accept_language = accept_language
        self._media_type = media_type
        self._sleep = sleep
        self._clock = clock
        self._rng = rng

    def __repr__(self) -> str:
        return f"AllegroClient({self.environment.key!r})"

    @property
    def client_id(self) -> str:
        """The key of this client's budget in the governor (Allegro limits per client id)."""
        return self.environment.client_id

    # -- endpoints -------------------------------------------------------------------------

    async def me(self) -> SellerProfile:
        """GET /me: who the token belongs to (needs scope allegro:api:profile:read)."""
        body = _object(await self._get("/me"), "/me")
        seller_id, login = body.get("id"), body.get("login")
        if not isinstance(seller_id, str | int) or not isinstance(login, str):
            raise MalformedResponseError("/me answered without the seller's id and login")
        company = body.get("company")
        marketplace = body.get("baseMarketplace")
        return SellerProfile(
            seller_id=str(seller_id),
            login=login,
            email=_optional_text(body.get("email")),
            first_name=_optional_text(body.get("firstName")),
            last_name=_optional_text(body.get("lastName")),
            company_name=_optional_text(company.get("name")) if isinstance(company, dict)
            else None,
            base_marketplace=_optional_text(marketplace.get("id"))
            if isinstance(marketplace, dict) else None,
        )

    async def order_events(self, *, from_id: str | None = None,
                           types: Sequence[str] | None = None,
                           limit: int = 1000) -> list[dict[str, Any]]:
        """GET /order/events: up to `limit` (1-1000) events recorded after `from_id`, oldest
        first; without `from_id` the oldest Allegro still keeps (60 days), not the newest.
        `types` are sent as repeated `type=` parameters, as the spec defines the array."""
        params: dict[str, Any] = {"limit": limit}
        if from_id is not None:
            params["from"] = from_id
        if types:
            params["type"] = list(types)
        body = _object(await self._get("/order/events", params), "/order/events")
        return _list_in(body, "events", "/order/events")

    async def event_stats(self) -> dict[str, Any] | None:
        """GET /order/event-stats: `latestEvent` ({id, occurredAt}), or None when nothing
        happened in 60 days. Use it once, as the starting cursor (ALLEGRO-API.md §8.2)."""
        body = _object(await self._get("/order/event-stats"), "/order/event-stats")
        if "latestEvent" not in body:
            raise MalformedResponseError("/order/event-stats answered without latestEvent")
        latest = body["latestEvent"]
        if latest is None:
            return None
        if not isinstance(latest, dict):
            raise MalformedResponseError("/order/event-stats: latestEvent is not an object")
        return latest

    async def checkout_forms(self, filters: Mapping[str, str] | None = None, *, offset: int = 0,
                             limit: int = 100, sort: str | None = None) -> dict[str, Any]:
        """GET /order/checkout-forms: one page, the whole body (`checkoutForms`, `count`,
        `totalCount`).

        `filters` use Allegro's dotted parameter names (`lineItems.boughtAt.gte`,
        `fulfillment.status`, …), which is why they are a mapping and not keyword arguments.
        Allegro refuses `offset + limit > 10000` (422): page by time windows instead.
        """
        params: dict[str, Any] = dict(filters or {})
        clash = {"offset", "limit", "sort"} & params.keys()
        if clash:
            raise ValueError(f"give {', '.join(sorted(clash))} as arguments, not as filters")
        params["offset"] = offset
        params["limit"] = limit
        if sort is not None:
            params["sort"] = sort
        path = "/order/checkout-forms"
        body = _object(await self._get(path, params), path)
        _list_in(body, "checkoutForms", path)
        for name in ("count", "totalCount"):
            if not isinstance(body.get(name), int) or isinstance(body.get(name), bool):
                raise MalformedResponseError(f"{path}: {name} is not a number")
        return body

    async def checkout_form(self, form_id: str) -> dict[str, Any]:
        """GET /order/checkout-forms/{id}: one order. A merged or too old order is a
        `NotFoundError` ([#2141], [#9729])."""
        path = f"/order/checkout-forms/{quote(form_id, safe='')}"
        body = _object(await self._get(path), path)
        if not isinstance(body.get("id"), str):
            raise MalformedResponseError(f"{path}: the checkout form has no id")
        return body

    # -- plumbing --------------------------------------------------------------------------

    async def _get(self, path: str, params: Mapping[str, Any] | None = None, *,
                   localized: bool = True) -> Any:
        response = await self._request("GET", path, params=params, localized=localized)
        body = json_body(response)
        if body is NOT_JSON:
            raise MalformedResponseError(
                f"GET {path} -> {response.status_code}: the body is not JSON "
                f"({scrub(response.headers.get('content-type', 'no content type'))})",
                trace_id=trace_id_of(response))
        return body

    async def _request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                       content: bytes | None = None, content_type: str | None = None,
                       idempotent: bool | None = None,
                       errors: Mapping[int, type[ApiError]] | None = None,
                       localized: bool = True) -> httpx.Response:
        """Send until there is a 2xx answer to return or a reason to raise.

        `content_type` of a body other than JSON; `idempotent` False keeps a PUT from being
        sent again; `errors` types 4xx answers of this call (else by status alone);
        `localized` False for an operation whose `Accept-Language` takes only English (the
        header is left out: Allegro's default)."""
        url = self.environment.api_url + path
        what = describe(method, path, params)
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempts = self._retry.max_attempts
        failures = 0  # transport failures and 5xx: what the retry budget counts
        refreshed = False
        token = await self._tokens.access_token()
        while True:
            await self._governor.acquire(self.client_id)
            headers = self._headers(token, body_type=None if content is None
                                    else content_type or self._media_type,
                                    localized=localized)
            try:
                response = await send(self._http, method, url, what=what, limits=self._limits,
                                      params=params, content=content, headers=headers)
            except AnswerTooLarge as exc:
                raise self._too_large(what, exc) from None
            except httpx.RequestError as exc:
                failures += 1
                problem = transport_error_text(exc)
                if idempotent and is_retryable(exc) and failures < attempts:
                    await self._before_retry(what, problem, failures)
                    continue
                log.warning("%s failed after %d attempt(s): %s", what, failures, problem)
                if isinstance(exc, DeadlineExceeded):
                    raise TooSlowError(f"{what}: {problem}", user_message=Text(
                        QT_TRANSLATE_NOOP("Errors", "Allegro answered too slowly (no whole "
                                          "answer within %1 s). The app will try again."),
                        f"{self._limits.deadline:g}")) from None
                raise NetworkError(f"{what}: {problem}", user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "Could not reach Allegro. Check the internet connection; the app "
                    "will try again."))) from None
            status = response.status_code
            if 200 <= status < 300:
                return response
            trace_id = trace_id_of(response)
            if status == 401:
                error = _auth_error_code(json_body(response))
                if error == "invalid_token" and not refreshed:
                    log.info("%s -> 401 invalid_token (trace-id %s): asking for a newer token",
                             what, trace_id or "none")
                    token = await self._tokens.token_rejected(token)
                    refreshed = True
                    continue
                raise self._unauthorized(what, error, trace_id, after_refresh=refreshed)
            if status == 429:
                raise self._rate_limited(response, what)
            if status >= 500:
                failures += 1
                problem = f"{status} (trace-id {trace_id or 'none'})"
                if idempotent and failures < attempts:
                    await self._before_retry(what, problem, failures)
                    continue
                log.warning("%s failed after %d attempt(s): %s", what, failures, problem)
                raise ServerError(f"{what} -> {status}", status=status, trace_id=trace_id)
            if status < 400:  # a redirect (not followed, see make_http_client) or stranger
                log.warning("%s -> unexpected %d (trace-id %s)", what, status, trace_id or "none")
                raise MalformedResponseError(f"{what} -> unexpected {status}", trace_id=trace_id)
            raise self._api_error(response, what, errors)

    def _headers(self, token: str, *, body_type: str | None,
                 localized: bool = True) -> dict[str, str]:
        headers = {"Accept": self._media_type, "Authorization": f"Bearer {token}"}
        if body_type is not None:
            headers["Content-Type"] = body_type
        if self._accept_language and localized:
            headers["Accept-Language"] = self._accept_language
        return headers

    async def _before_retry(self, what: str, problem: str, failures: int) -> None:
        delay = self._retry.backoff(failures, rng=self._rng)
        log.warning("%s failed: %s; retry %d of %d in %.2f s", what, problem, failures,
                    self._retry.max_attempts - 1, delay)
        await self._sleep(delay)

    def _too_large(self, what: str, exc: AnswerTooLarge) -> MalformedResponseError:
        """An answer longer than the cap: not read further, and not asked again (the same
        request would get the same answer)."""
        trace_id = trace_id_of(exc.head)
        problem = f"{what} -> {exc.head.status_code}: {transport_error_text(exc)}"
        log.warning("%s (trace-id %s)", problem, trace_id or "none")
        return MalformedResponseError(problem, trace_id=trace_id, user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "Allegro sent an answer larger than the %1 the app "
                              "reads; it was not read. The app will try again."),
            ByteSize(self._limits.max_body)))

    def _rate_limited(self, response: httpx.Response, what: str) -> RateLimitedError:
        trace_id = trace_id_of(response)
        seconds = self._retry.rate_limit_seconds(response.headers.get("Retry-After"),
                                                 now=self._clock(), rng=self._rng)
        until = self._governor.pause(self.client_id, seconds)
        log.warning("%s -> 429 (trace-id %s): all requests of client %s paused for %.0f s",
                    what, trace_id or "none", self.client_id, until - self._clock())
        return RateLimitedError(f"{what} -> 429", retry_at=until, trace_id=trace_id)

    def _unauthorized(self, what: str, error: str | None, trace_id: str | None, *,
                      after_refresh: bool) -> InvalidTokenError | ReconnectNeededError:
        log.warning("%s -> 401 %s (trace-id %s)%s", what, error or "without an error code",
                    trace_id or "none", " again after a token refresh" if after_refresh else "")
        message = f"{what} -> 401 {error or ''}".rstrip()
        if after_refresh:
            return ReconnectNeededError(
                f"{message}, also with a newly refreshed token", error=error or "invalid_token",
                trace_id=trace_id, user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "Allegro no longer accepts the app's authorization for this "
                    "account. Connect the account again.")))
        return InvalidTokenError(message, error=error or "unauthorized", trace_id=trace_id,
                                 user_message=Text(QT_TRANSLATE_NOOP(
                                     "Errors", "Allegro did not accept the account's "
                                     "authorization. Connect the account again.")))

    def _api_error(self, response: httpx.Response, what: str,
                   classes: Mapping[int, type[ApiError]] | None = None) -> ApiError:
        status = response.status_code
        trace_id = trace_id_of(response)
        errors = _errors_of(json_body(response))
        first = errors[0] if errors else {}
        code, text = first.get("code"), first.get("message")
        code = code if isinstance(code, str) else None
        text = text if isinstance(text, str) else None
        allegro_says = first.get("userMessage")
        cls = (classes or {}).get(status) or _ERROR_CLASSES.get(status, ApiError)
        user_message: str | Text = (
            allegro_says if isinstance(allegro_says, str) and allegro_says
            else _default_user_message(cls) or Text(
                QT_TRANSLATE_NOOP("Errors", "Allegro refused the request (HTTP %1)."), status))
        message = f"{what} -> {status} {code or 'without an error code'}"
        if text:
            message += f": {text}"
        log.warning("%s (trace-id %s)", scrub(message), trace_id or "none")
        return cls(message, status=status, code=code, user_message=user_message,
                   trace_id=trace_id, errors=errors)


def _default_user_message(cls: type[ApiError]) -> Text | None:
    """The app's words for an error class (or its nearest ancestor that has some)."""
    return next((_DEFAULT_USER_MESSAGES[c] for c in cls.__mro__ if c in _DEFAULT_USER_MESSAGES),
                None)


# -- shape checks ----------------------------------------------------------------------------


def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise MalformedResponseError(f"{what} answered {type(body).__name__}, not an object")
    return body


def _list_in(body: dict[str, Any], name: str, what: str) -> list[Any]:
    """The list `name` of an answer. Its elements are not checked here: one that is not an
    object is the parser's to keep aside, on its own — never a reason to lose the page."""
    items = body.get(name)
    if not isinstance(items, list):
        raise MalformedResponseError(f"{what}: {name} is not a list")
    return items


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _auth_error_code(body: Any) -> str | None:
    """`error` of a 401 body (`{"error": "invalid_token", "error_description": …}`)."""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else None


def _errors_of(body: Any) -> list[dict[str, object]]:
    """The entries of `{"errors": [...]}` (or a bare array), their texts scrubbed: Allegro's
    messages may quote what was sent."""
    items = body.get("errors") if isinstance(body, dict) else body
    if not isinstance(items, list):
        return []
    return [{key: scrub(value) if isinstance(value, str) else value
             for key, value in item.items()}
            for item in items if isinstance(item, dict)]
