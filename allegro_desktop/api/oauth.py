"""Allegro's OAuth endpoints for a device-type app: the device flow and token refresh.

The calls, exactly as ALLEGRO-API.md §2-§4 describes them (and why):
- every call carries `Authorization: Basic base64(client_id:client_secret)` — the device flow
  has no public-client variant (§2.2);
- `client_id` goes in the query of `/auth/oauth/device` (a body-only client_id was refused,
  [#5981]);
- the form body is encoded once by httpx: a pre-encoded `urn%3Aietf…` grant type would be
  encoded twice and answered `unsupported_grant_type` ([#5613]);
- errors are told apart by `error`, never by `error_description`, which is localized;
- `expires_in` and `interval` may be numbers (real answers) or strings (the docs' examples);
- every exchange has a deadline and a small cap on the answer read (`OAUTH_LIMITS`): a
  trickling answer is retried like a timeout, then `TooSlowError`.

This module only speaks the protocol. The device-flow state machine (when to poll, when to
give up) and single-flight refresh live in `auth/`.
"""

from __future__ import annotations

import asyncio
import base64
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import (
    AccessDenied,
    AllegroError,
    AuthError,
    AuthorizationPending,
    ClientCredentialsError,
    InvalidDeviceCode,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ReconnectNeededError,
    ServerError,
    SlowDown,
    TooSlowError,
    UnauthorizedClientError,
    scrub,
)
from allegro_desktop.api.limits import OAUTH_LIMITS, NetworkLimits
from allegro_desktop.api.models import DeviceAuthorization, TokenPair
from allegro_desktop.api.ratelimit import Clock, RequestGovernor, Sleep
from allegro_desktop.api.retry import RetryPolicy, is_retryable
from allegro_desktop.api.wire import (
    AnswerTooLarge,
    DeadlineExceeded,
    describe,
    json_body,
    log,
    send,
    trace_id_of,
    transport_error_text,
)
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, ByteSize, Text

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
#: Refresh tokens live 3 months (ALLEGRO-API.md §4.2); Allegro does not say when in the answer.
REFRESH_TOKEN_LIFETIME = 90 * 86400.0
#: RFC 8628's default when a device answer carries no interval.
DEFAULT_POLL_INTERVAL = 5.0
#: Few and short retries: a refresh must be repeated within the old token's 60 s grace.
DEFAULT_OAUTH_RETRY = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=4.0)
#: A refresh is repeated only this long after the first attempt: if that attempt did reach
#: Allegro, the used refresh token works for 60 s more (ALLEGRO-API.md §4.2), and a repeat
#: after that would get invalid_grant and cost the account its connection.
REFRESH_RETRY_WINDOW = 40.0
_REDACTED = "<redacted>"


def environment_name(environment: Environment) -> Text:
    """The environment as a sentence names it: which Allegro the credentials were sent to."""
    if environment.key == "production":
        return Text(QT_TRANSLATE_NOOP("Errors", "Allegro (production, allegro.pl)"))
    if environment.key == "sandbox":
        return Text(QT_TRANSLATE_NOOP("Errors",
                                      "the Allegro Sandbox (allegro.pl.allegrosandbox.pl)"))
    return Text(QT_TRANSLATE_NOOP("Errors", "the Allegro server at %1"), environment.auth_url)


class OAuthClient:
    """The OAuth endpoints of one environment, for the app's (device-type) client id.

    Every call goes through the shared `governor` (the 429 pause covers OAuth too: Allegro's
    token issuance is rate-limited as well, ALLEGRO-API.md §4.6). Transport failures and 5xx answers
    are retried a couple of times — also for a refresh, whose repeat is safe within the used
    refresh token's 60 s grace; a 4xx is never retried: it will not change, and token issuance
    is limited. `clock` (epoch seconds) dates expiries; `sleep` and `rng` pace retries;
    `limits` bounds each exchange (OAuth answers are small: a refresh must leave time for a
    repeat inside the grace period).
    """

    def __init__(self, environment: Environment, *, http: httpx.AsyncClient,
                 governor: RequestGovernor, clock: Clock = time.time,
                 sleep: Sleep = asyncio.sleep, retry: RetryPolicy = DEFAULT_OAUTH_RETRY,
                 rng: Callable[[], float] = random.random,
                 limits: NetworkLimits = OAUTH_LIMITS) -> None:
        if not environment.client_id or not environment.client_secret:
            raise ValueError(f"{environment.label}: the app's client id and secret are not set")
        self.environment = environment
        self._http = http
        self._governor = governor
        self._clock = clock
        self._sleep = sleep
        self._retry = retry
        self._rng = rng
        self._limits = limits
        credentials = f"{environment.client_id}:{environment.client_secret}".encode()
        self._basic = "Basic " + base64.b64encode(credentials).decode("ascii")

    def __repr__(self) -> str:
        return f"OAuthClient({self.environment.key!r}, client_id={self.environment.client_id!r})"

    # -- public API ------------------------------------------------------------------------

    async def start_device_flow(self, scope: str | Sequence[str] | None = None
                                ) -> DeviceAuthorization:
        """Ask for a device code and a user code to show (ALLEGRO-API.md §3.1).

        `scope` narrows the grant (space-separated or a list); None asks for every scope the
        app was registered with.
        """
        form: dict[str, str] = {}
        if scope:
            form["scope"] = scope if isinstance(scope, str) else " ".join(scope)
        started = self._clock()
        response, body = await self._post("/auth/oauth/device",
                                          params={"client_id": self.environment.client_id},
                                          form=form, label="device authorization")
        if response.status_code == 200:
            return parse_device_authorization(body, now=started, trace_id=trace_id_of(response))
        raise self._failure(response, body, grant=None)

    async def poll_device_token(self, device_code: str) -> TokenPair:
        """Ask once whether the seller approved the code (ALLEGRO-API.md §3.4, §3.5).

        Raises `AuthorizationPending` (poll again after the interval), `SlowDown` (poll less
        often), `AccessDenied` or `InvalidDeviceCode` (both terminal: start a new flow).
        A device code yields its token once; only one poller per code may run.
        """
        started = self._clock()
        response, body = await self._post(
            "/auth/oauth/token", form={"grant_type": DEVICE_GRANT, "device_code": device_code},
            label="device_code grant", secrets=(device_code,))
        if response.status_code == 200:
            return parse_token_pair(body, now=started, trace_id=trace_id_of(response))
        raise self._failure(response, body, grant=DEVICE_GRANT, secrets=(device_code,))

    async def refresh(self, refresh_token: str) -> TokenPair:
        """A new token pair for a refresh token (ALLEGRO-API.md §4.2, §4.3).

        The answer's refresh token replaces the old one, which dies 60 s later; the new pair
        also kills the previous access token. The caller must save the pair before using it.
        Raises `ReconnectNeededError` when Allegro refuses the token (invalid_grant).
        """
        started = self._clock()
        response, body = await self._post(
            "/auth/oauth/token", form={"grant_type": REFRESH_GRANT,
                                       "refresh_token": refresh_token},
            label="refresh_token grant", secrets=(refresh_token,),
            retry_until=started + REFRESH_RETRY_WINDOW)
        if response.status_code == 200:
            return parse_token_pair(body, now=started, trace_id=trace_id_of(response))
        raise self._failure(response, body, grant=REFRESH_GRANT, secrets=(refresh_token,))

    # -- internals -------------------------------------------------------------------------

    async def _post(self, path: str, *, form: Mapping[str, str], label: str,
                    params: Mapping[str, str] | None = None,
                    secrets: Sequence[str] = (),
                    retry_until: float | None = None) -> tuple[httpx.Response, Any]:
        """POST with Basic auth; retries transport failures and 5xx (no retry would start
        after `retry_until`). Returns (response, parsed body)."""
        url = self.environment.auth_url + path
        what = f"{describe('POST', path, params)} ({label})"
        headers = {"Authorization": self._basic, "Accept": "application/json"}
        attempts = self._retry.max_attempts
        for attempt in range(1, attempts + 1):
            await self._governor.acquire(self.environment.client_id)
            try:
                response = await send(self._http, "POST", url, what=what, limits=self._limits,
                                      params=params, data=dict(form), headers=headers,
                                      timeout=self._limits.timeout)
            except AnswerTooLarge as exc:
                problem = f"{what} -> {exc.head.status_code}: {transport_error_text(exc)}"
                log.warning("%s (trace-id %s)", problem, trace_id_of(exc.head) or "none")
                raise MalformedResponseError(
                    problem, trace_id=trace_id_of(exc.head), user_message=Text(
                        QT_TRANSLATE_NOOP("Errors", "%1 sent an answer larger than the %2 the "
                                          "app reads; it was not read. Try again later."),
                        environment_name(self.environment),
                        ByteSize(self._limits.max_body))) from None
            except httpx.RequestError as exc:
                problem = _redact(transport_error_text(exc), secrets)
                if (is_retryable(exc) and attempt < attempts
                        and await self._pause_before_retry(what, problem, attempt, retry_until)):
                    continue
                log.warning("%s failed: %s", what, problem)
                if isinstance(exc, DeadlineExceeded):
                    raise TooSlowError(f"{what}: {problem}", user_message=Text(
                        QT_TRANSLATE_NOOP("Errors", "%1 answered too slowly (no whole answer "
                                          "within %2 s). Try again in a while."),
                        environment_name(self.environment),
                        f"{self._limits.deadline:g}")) from None
                raise NetworkError(
                    f"{what}: {problem}",
                    user_message=Text(QT_TRANSLATE_NOOP(
                        "Errors",
                        "Could not reach %1. Check the internet connection and try again."),
                        environment_name(self.environment))) from None
            if response.status_code >= 500 and attempt < attempts and \
                    await self._pause_before_retry(
                        what, f"{response.status_code} (trace-id {trace_id_of(response)})",
                        attempt, retry_until):
                continue
            return response, json_body(response)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _pause_before_retry(self, what: str, problem: str, attempt: int,
                                  retry_until: float | None = None) -> bool:
        """Wait before a retry; False (no wait) when the retry would start too late."""
        delay = self._retry.backoff(attempt, rng=self._rng)
        if retry_until is not None and self._clock() + delay > retry_until:
            log.warning("%s failed: %s; too late to retry safely", what, problem)
            return False
        log.warning("%s failed: %s; retry %d of %d in %.1f s", what, problem, attempt,
                    self._retry.max_attempts - 1, delay)
        await self._sleep(delay)
        return True

    def _failure(self, response: httpx.Response, body: Any, *, grant: str | None,
                 secrets: Sequence[str] = ()) -> AllegroError:
        """The typed error for a non-200 answer (logged here, at WARNING, with the trace-id)."""
        status = response.status_code
        trace_id = trace_id_of(response)
        error, description = _oauth_error(body)
        description = _redact(description, (*secrets, self.environment.client_secret))
        where = response.request.url.path
        message = f"POST {where} -> {status} {error or 'no error code'}"
        if description and description != error:
            message += f": {description}"
        exc = self._classify(status, error, message, grant=grant, trace_id=trace_id,
                             retry_after=response.headers.get("Retry-After"))
        if not isinstance(exc, AuthorizationPending | SlowDown):  # the normal waiting answers
            log.warning("%s (trace-id %s)", scrub(message), trace_id or "none")
        return exc

    def _classify(self, status: int, error: str | None, message: str, *, grant: str | None,
                  trace_id: str | None, retry_after: str | None) -> AllegroError:
        env = self.environment
        if status == 429:
            seconds = self._retry.rate_limit_seconds(retry_after, now=self._clock(),
                                                     rng=self._rng)
            until = self._governor.pause(env.client_id, seconds)
            return RateLimitedError(message, retry_at=until, trace_id=trace_id)
        if status >= 500:
            return ServerError(message, status=status, trace_id=trace_id)
        if error == "unauthorized_client":
            return UnauthorizedClientError(message, error=error, trace_id=trace_id,
                                           user_message=Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The app with client ID %1 is registered at %2 as a web application, and such "
                "apps cannot use the device code flow this program needs. The type of a "
                "registered app cannot be changed: register a new app of the device type "
                "(\"the app will run in an environment without a browser or keyboard\") and use "
                "its client ID and secret."), env.client_id, environment_name(env)))
        if status == 401:
            return ClientCredentialsError(message, error=error or "Unauthorized",
                                          trace_id=trace_id, user_message=Text(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The app's client ID and secret were refused by %1. Either they are "
                    "mistyped, or they belong to the other environment: apps registered for the "
                    "Allegro Sandbox do not work in production, nor the other way round."),
                environment_name(env)))
        if grant == DEVICE_GRANT and status == 400:
            if error == "authorization_pending":
                return AuthorizationPending(trace_id=trace_id)
            if error == "slow_down":
                return SlowDown(trace_id=trace_id)
            if error == "access_denied":
                return AccessDenied(trace_id=trace_id)
            # "Invalid device code" and anything unrecognised: terminal (ALLEGRO-API.md §3.5,
            # §16 item 1).
            return InvalidDeviceCode(message, error=error or "invalid_request",
                                     trace_id=trace_id)
        if grant == REFRESH_GRANT and error == "invalid_grant":
            return ReconnectNeededError(message, error=error, trace_id=trace_id,
                                        user_message=Text(QT_TRANSLATE_NOOP(
                "Errors",
                "Allegro no longer accepts this app's authorization for the account (%1). "
                "Connect the account again."), environment_name(env)))
        if 200 <= status < 300 or error is None:
            return MalformedResponseError(
                f"{message}: not an answer of Allegro's OAuth endpoint", trace_id=trace_id)
        # unsupported_grant_type, invalid_request, invalid_scope… — our request is wrong.
        return AuthError(message, error=error, trace_id=trace_id, user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "Allegro refused the app's authorization request. This "
                              "is a bug of the app; please report it.")))


# -- parsing -------------------------------------------------------------------------------


def parse_device_authorization(body: Any, *, now: float,
                               trace_id: str | None = None) -> DeviceAuthorization:
    """The answer of POST /auth/oauth/device; `now` is when the request was sent (our clock)."""
    if not isinstance(body, dict):
        raise MalformedResponseError("the device authorization answer is not a JSON object",
                                     trace_id=trace_id)
    user_code = _text(body, "user_code", trace_id)
    device_code = _text(body, "device_code", trace_id)
    uri = _text(body, "verification_uri", trace_id)
    complete = body.get("verification_uri_complete")
    if not isinstance(complete, str) or not complete:
        complete = f"{uri}{'&' if '?' in uri else '?'}code={user_code}"
    expires_in = _seconds(body, "expires_in", trace_id)
    if expires_in is None:
        raise MalformedResponseError("the device authorization answer has no expires_in",
                                     trace_id=trace_id)
    interval = _seconds(body, "interval", trace_id)
    return DeviceAuthorization(
        user_code=user_code, device_code=device_code, verification_uri=uri,
        verification_uri_complete=complete, expires_at=now + expires_in,
        interval=max(interval if interval is not None else DEFAULT_POLL_INTERVAL, 1.0))


def parse_token_pair(body: Any, *, now: float, trace_id: str | None = None) -> TokenPair:
    """A token answer (device or refresh grant); `now` is when the request was sent, so the
    expiries err on the early side."""
    if not isinstance(body, dict):
        raise MalformedResponseError("the token answer is not a JSON object", trace_id=trace_id)
    access = _text(body, "access_token", trace_id)
    refresh = _text(body, "refresh_token", trace_id)
    expires_in = _seconds(body, "expires_in", trace_id)
    if expires_in is None:
        raise MalformedResponseError("the token answer has no expires_in", trace_id=trace_id)
    scope = body.get("scope", "")
    if isinstance(scope, list):
        scope = " ".join(str(s) for s in scope)
    return TokenPair(access_token=access, refresh_token=refresh,
                     access_expires_at=now + expires_in,
                     refresh_expires_at=now + REFRESH_TOKEN_LIFETIME,
                     scope=scope if isinstance(scope, str) else "")


def _text(body: dict[str, Any], name: str, trace_id: str | None) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise MalformedResponseError(f"the answer has no {name}", trace_id=trace_id)
    return value


def _seconds(body: dict[str, Any], name: str, trace_id: str | None) -> float | None:
    """A duration given as a number (real answers) or a string of one (the docs, [AUTH])."""
    value = body.get(name)
    if value is None:
        return None
    number: float
    if isinstance(value, bool):
        number = math.nan
    elif isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
    else:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise MalformedResponseError(f"{name} is not a number of seconds: {scrub(str(value))}",
                                     trace_id=trace_id)
    return number


def _oauth_error(body: Any) -> tuple[str | None, str]:
    """(`error`, `error_description`) of an OAuth error body.

    Allegro uses `{"error", "error_description"}` on these endpoints, except for the wrong app
    type, which comes as a bare errors array `[{"code": "unauthorized_client", …}]` ([#9828]);
    the REST shape `{"errors": [...]}` is accepted too.
    """
    if isinstance(body, dict) and "errors" in body and "error" not in body:
        body = body["errors"]
    if isinstance(body, list):
        first = body[0] if body and isinstance(body[0], dict) else {}
        code, text = first.get("code"), first.get("message")
        return (code if isinstance(code, str) else None), (text if isinstance(text, str) else "")
    if isinstance(body, dict):
        error, text = body.get("error"), body.get("error_description")
        return (error if isinstance(error, str) else None), (text if isinstance(text, str)
                                                             else "")
    return None, ""  # not JSON (an HTML error page) or an unknown shape


def _redact(text: str, secrets: Sequence[str]) -> str:
    """`text` without the secrets we know of, whatever their shape (`scrub` only catches
    token-like strings; a short device code would slip through)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    return scrub(text)

