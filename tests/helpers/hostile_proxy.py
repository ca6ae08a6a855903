"""A hostile HTTP proxy for tests: it stands between the app and the emulator and, by rules the
test sets, rewrites Allegro's answers, slows them to a trickle or never ends them.

The emulator plays a well-behaved Allegro; the faults it can inject itself (5xx, drops, cut-off
bodies, latency) are well-formed. This proxy plays what nobody designs for: wrong types, huge
numbers and ids, JSON nested hundreds of levels deep, repeated forms in a page, a lying
`totalCount`, an event id far in the future, an answer trickling one byte at a time or streaming
forever. It runs on a thread of its own, on 127.0.0.1, like `EmulatorServer`, and forwards every
request it has no rule for unchanged (so the device flow, tokens and the control API pass).

    with HostileProxy(emu.base_url) as proxy:
        proxy.add(Rule(path=r"^/order/event-stats$",
                       json=lambda body, request: {"latestEvent": {"id": "abc"}}, times=1))
        ... sync through proxy.base_url ...
        assert proxy.hits(rule) == 1

A rule matches a request by method and a regular expression over its path (and optionally over
its query string); it applies `times` times (None: for ever) and then lets requests pass again,
so a test can check that the app recovers once the fault stops. Its actions, applied in this
order: `status` replaces the upstream answer's status; `json` rewrites the parsed JSON body (it
returns the new body, or `bytes`/`str` sent verbatim — for JSON Python cannot write, such as
`1e999999` or a 25-digit number); `raw` rewrites the body's bytes; `trickle` sends the body a
few bytes at a time with a pause between them; `endless` streams a body that never ends.
Before all of them, `hold` (a `Hold`) keeps the request at the proxy, not yet forwarded, until
the test releases it: the app is then surely waiting for its answer, however slow the machine
(the other requests pass meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
import orjson
from aiohttp import web

__all__ = ["Hold", "HostileProxy", "ProxiedRequest", "Rule", "nested"]

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate",
                         "proxy-authorization", "te", "trailers", "transfer-encoding",
                         "upgrade", "content-length", "content-encoding", "host"})


@dataclass(frozen=True)
class ProxiedRequest:
    """What a rule's functions are told about the request they answer."""

    method: str
    path: str
    query: str
    params: dict[str, list[str]]


JsonRewrite = Callable[[Any, ProxiedRequest], Any]
RawRewrite = Callable[[bytes, ProxiedRequest], bytes]


class Hold:
    """A rule's `hold`: says when a matching request has arrived, and keeps it at the proxy
    (not forwarded yet) until `release` — or for `limit` seconds at most, so that a test that
    fails never leaves the app waiting for ever."""

    def __init__(self, limit: float = 60.0) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.limit = limit

    def release(self) -> None:
        self.released.set()

    async def wait(self) -> None:
        """At the proxy, without blocking its other requests: arrived, then held."""
        self.arrived.set()
        await asyncio.to_thread(self.released.wait, self.limit)


@dataclass(eq=False)
class Rule:
    """What to do to the answers of matching requests (see the module doc)."""

    path: str  # a regular expression searched in the request's path
    method: str | None = "GET"
    query: str | None = None  # a regular expression searched in the raw query string
    times: int | None = None  # how many matching requests it applies to; None: all
    status: int | None = None
    json: JsonRewrite | None = None
    raw: RawRewrite | None = None
    #: (bytes per chunk, seconds between chunks): the answer trickles.
    trickle: tuple[int, float] | None = None
    #: Stream a body that never ends (chunks of this many bytes, as fast as read).
    endless: int | None = None
    #: Answer without asking the emulator at all (status and body of the rule).
    local_body: bytes | None = None
    #: Keep the request at the proxy until the test releases it (before everything else).
    hold: Hold | None = None
    applied: int = field(default=0, init=False)

    def matches(self, request: web.Request) -> bool:
        if self.method is not None and request.method != self.method:
            return False
        if not re.search(self.path, request.path):
            return False
        return self.query is None or bool(re.search(self.query, request.query_string))


def nested(depth: int, leaf: Any = "x") -> Any:
    """A JSON value nested `depth` levels deep (lists in objects in lists…)."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"n": value}
    return value


class HostileProxy:
    """The proxy, served from a background thread; a context manager or start/stop."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.base_url = ""
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        #: Every request forwarded or answered, as "METHOD /path?query".
        self.requests: list[str] = []
        #: The `Accept-Language` of each of `requests` (None: the header was left out).
        self.languages: list[str | None] = []

    # -- rules --------------------------------------------------------------------------------

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule: from now on the proxy is transparent."""
        with self._lock:
            self._rules.clear()

    def hits(self, rule: Rule) -> int:
        with self._lock:
            return rule.applied

    def count(self, pattern: str) -> int:
        """How many requests so far matched the regular expression `pattern`."""
        with self._lock:
            return sum(1 for line in self.requests if re.search(pattern, line))

    def _take(self, request: web.Request) -> Rule | None:
        with self._lock:
            self.requests.append(f"{request.method} {request.path_qs}")
            self.languages.append(request.headers.get("Accept-Language"))
            for rule in self._rules:
                if rule.matches(request) and (rule.times is None or rule.applied < rule.times):
                    rule.applied += 1
                    return rule
        return None

    # -- serving ------------------------------------------------------------------------------

    def start(self) -> str:
        if self._thread is not None:
            return self.base_url
        self._thread = threading.Thread(target=self._run, name="hostile-proxy", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError(f"the proxy could not start: {self._error}") from self._error
        return self.base_url

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> HostileProxy:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # A short shutdown timeout: trickling and endless answers must not hold up stopping.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, reuse_address=True)
        await site.start()
        host, port = runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        async with aiohttp.ClientSession(auto_decompress=False) as session:
            self._session = session
            self._ready.set()
            try:
                await self._stop.wait()
            finally:
                await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        rule = self._take(request)
        info = ProxiedRequest(method=request.method, path=request.path,
                              query=request.query_string,
                              params={key: request.query.getall(key)
                                      for key in request.query})
        if rule is not None and rule.hold is not None:
            await rule.hold.wait()
        if rule is not None and rule.local_body is not None:
            status, headers, body = rule.status or 200, {
                "Content-Type": "application/vnd.allegro.public.v1+json"}, rule.local_body
        else:
            status, headers, body = await self._forward(request)
        if rule is not None:
            if rule.status is not None:
                status = rule.status
            if rule.json is not None:
                rewritten = rule.json(orjson.loads(body), info)
                body = (rewritten if isinstance(rewritten, bytes)
                        else rewritten.encode() if isinstance(rewritten, str)
                        else orjson.dumps(rewritten))
            if rule.raw is not None:
                body = rule.raw(body, info)
            if rule.endless is not None:
                return await self._stream_forever(request, status, headers, rule.endless)
            if rule.trickle is not None:
                return await self._trickle(request, status, headers, body, *rule.trickle)
        return web.Response(status=status, headers=headers, body=body)

    async def _forward(self, request: web.Request) -> tuple[int, dict[str, str], bytes]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._session.request(
                request.method, self.upstream + request.path_qs, headers=headers,
                data=await request.read(), allow_redirects=False) as answer:
            body = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
            return answer.status, kept, body

    async def _trickle(self, request: web.Request, status: int, headers: dict[str, str],
                       body: bytes, size: int, pause: float) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers=headers)
        response.content_length = len(body)
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            for start in range(0, len(body), size):
                await response.write(body[start:start + size])
                await asyncio.sleep(pause)
            await response.write_eof()
        return response

    async def _stream_forever(self, request: web.Request, status: int,
                              headers: dict[str, str], size: int) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers=headers)
        await response.prepare(request)
        chunk = b"[" + b"0," * (size // 2)
        with contextlib.suppress(ConnectionError):
            while True:
                await response.write(chunk)
                chunk = b"0," * (size // 2)
        return response
