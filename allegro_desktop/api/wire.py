"""Plumbing shared by the REST and OAuth clients: sending with a log line, reading JSON safely.

Logging rules (DESIGN.md §8): one logger, `allegro_desktop.api`. A request is logged by its
method, path and the *names* of its query parameters, its status, duration and Allegro's
`trace-id` — never a header, a query value, a body, a token, a secret or a device code.
Anything Allegro sends back goes through `scrub` first, because it echoes tokens in
`error_description`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from allegro_desktop.api.errors import scrub
from allegro_desktop.api.exact_json import decode_json

log = logging.getLogger("allegro_desktop.api")

TRACE_HEADER = "trace-id"

#: Query parameter values as httpx takes them.
Params = Mapping[str, str | int | Sequence[str]]


class NotJson:
    """The marker `json_body` returns for a body that is not JSON (an HTML gateway page…)."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON = NotJson()


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
               **kwargs: Any) -> httpx.Response:
    """One HTTP exchange, the whole body read, with its DEBUG log line.

    Transport errors propagate unchanged (the caller decides about retries); they are logged
    by the caller, which knows whether it will try again.
    """
    started = time.perf_counter()
    response = await http.request(method, url, **kwargs)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.debug("%s -> %d in %.0f ms (trace-id %s)", what, response.status_code, elapsed_ms,
              trace_id_of(response) or "none")
    return response
