"""Plumbing shared by every HTTP client of the app (Allegro's REST and OAuth endpoints, the
webhook, the health check): one bounded exchange with a log line, reading JSON safely.

Bounds (`api/limits.py`): `send` gives the whole exchange a deadline however its bytes trickle
(`DeadlineExceeded`, a timeout of its own kind, retried like httpx's) and reads no more of the
body than the cap (`AnswerTooLarge`, not retried: the same request gets the same answer). An
answer is streamed, never read whole before it is known to fit.

Logging rules (ARCHITECTURE.md "Conventions"): one logger, `allegro_desktop.api`. A request is
logged by its method, path and the *names* of its query parameters, its status, duration and
Allegro's `trace-id` — never a header, a query value, a body, a token, a secret or a device code.
Anything Allegro sends back goes through `scrub` first, because it echoes tokens in
`error_description`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from allegro_desktop.api.errors import scrub
from allegro_desktop.api.exact_json import decode_json
from allegro_desktop.api.limits import NetworkLimits

log = logging.getLogger("allegro_desktop.api")

TRACE_HEADER = "trace-id"

#: Query parameter values as httpx takes them.
Params = Mapping[str, str | int | Sequence[str]]


class NotJson:
    """The marker `json_body` returns for a body that is not JSON (an HTML gateway page…)."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON = NotJson()

#: Headers that describe the body as it came over the wire, not as `send` returns it (decoded).
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class DeadlineExceeded(httpx.TimeoutException):
    """The whole exchange — connecting, the answer's head, its whole body — took longer than
    its deadline, however the bytes trickled. A timeout (retried like httpx's own); `head` is
    the answer's status and headers when they had arrived (its body not read)."""

    def __init__(self, message: str, *, request: httpx.Request | None = None,
                 head: httpx.Response | None = None) -> None:
        super().__init__(message, request=request)
        self.head = head


class AnswerTooLarge(httpx.TransportError):
    """The answer's body is larger than the cap: it was read no further (and not retried).
    `head` is the answer's status and headers."""

    def __init__(self, message: str, *, head: httpx.Response) -> None:
        super().__init__(message, request=head.request)
        self.head = head


def describe(method: str, path: str, params: Params | None = None) -> str:
    """`GET /order/events?from&limit`: what a log line may say about a request."""
    if not params:
        return f"{method} {path}"
    return f"{method} {path}?{'&'.join(params)}"


def trace_id_of(response: httpx.Response) -> str | None:
    return response.headers.get(TRACE_HEADER) or None


def json_body(response: httpx.Response) -> Any:
    """The parsed JSON body, or `NOT_JSON` (5xx bodies and captive portals are often HTML).
    Read exactly, one bad value spoiling only its own record (`exact_json`)."""
    try:
        return decode_json(response.content)
    except ValueError:
        return NOT_JSON


def transport_error_text(exc: BaseException) -> str:
    """A transport failure in words fit for a log and an exception message (no URL, no
    headers: httpx keeps the request on the exception, its text never shows it)."""
    detail = scrub(str(exc)).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


async def send(http: httpx.AsyncClient, method: str, url: str, *, what: str,
               limits: NetworkLimits, **kwargs: Any) -> httpx.Response:
    """One HTTP exchange within `limits`, the whole body read (decoded), with its DEBUG log
    line; `kwargs` are `httpx.AsyncClient.stream`'s.

    Raises `DeadlineExceeded` when the exchange outlives `limits.deadline` and `AnswerTooLarge`
    when the body is longer than `limits.max_body`; those and httpx's transport errors are
    logged by the caller, which knows whether it will try again.
    """
    started = time.perf_counter()
    head: httpx.Response | None = None
    deadline = asyncio.timeout(limits.deadline)
    try:
        async with deadline, http.stream(method, url, **kwargs) as streamed:
            head = streamed
            content = await _read_body(streamed, limits.max_body)
    except TimeoutError:
        if not deadline.expired():  # a TimeoutError of something else
            raise
        raise DeadlineExceeded(
            f"no whole answer within {limits.deadline:g} s"
            + (f" (HTTP {head.status_code} came, its body did not)" if head is not None else ""),
            request=head.request if head is not None else None, head=head) from None
    response = httpx.Response(
        streamed.status_code, content=content, request=streamed.request,
        extensions=streamed.extensions,
        headers=[(name, value) for name, value in streamed.headers.multi_items()
                 if name.lower() not in _WIRE_HEADERS])
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.debug("%s -> %d in %.0f ms (trace-id %s)", what, response.status_code, elapsed_ms,
              trace_id_of(response) or "none")
    return response


def send_blocking(method: str, url: str, *, what: str, limits: NetworkLimits,
                  transport: httpx.AsyncBaseTransport | None = None,
                  headers: Mapping[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    """`send` for blocking code on a thread without an event loop (a health check): one
    exchange on a client and an event loop of its own, under the same deadline and cap.
    Redirects are not followed."""

    async def exchange() -> httpx.Response:
        async with httpx.AsyncClient(timeout=limits.timeout, transport=transport,
                                     headers=headers, follow_redirects=False,
                                     verify=tls_context()) as http:
            return await send(http, method, url, what=what, limits=limits, **kwargs)

    return asyncio.run(exchange())


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certifi's CA bundle, `SSL_CERT_FILE`/`SSL_CERT_DIR`
    honoured), built once a process for every client: building them parses about 150 CA
    certificates, 30-100 ms of CPU that each client paid — every sync round, every batch of
    order actions, on a thread that meanwhile kept the window waiting for Python's lock."""
    return httpx.create_ssl_context()


async def _read_body(response: httpx.Response, max_body: int) -> bytes:
    """The decoded body, chunk by chunk, stopping as soon as it is longer than `max_body`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise AnswerTooLarge(f"the answer announces {int(declared)} bytes, more than the "
                             f"{max_body} read at most", head=response)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_body:
            raise AnswerTooLarge(f"the answer is longer than the {max_body} bytes read at most",
                                 head=response)
        chunks.append(chunk)
    return b"".join(chunks)
