"""The OAuth device flow as a state machine: the "Connect Allegro" dialog (and `login`) drive it.

Allegro's rules (ALLEGRO-API.md §3.4-§3.6, §15) and what they mean here:

- poll at `interval`, the first poll one interval after the code was issued;
- `slow_down` means poll slower for the rest of the flow: +5 s (RFC 8628 §3.5), not a retry;
- `authorization_pending` is the normal answer while the seller has not approved yet;
- `access_denied` (Deny clicked) and "Invalid device code" (expired, used or unknown) end it;
- no documented "expired" answer exists, so our own deadline (`expires_at`) ends it too;
- a device code yields its token once, so exactly one poller per code: a second poller would
  only see "used" after the first got the token;
- the network may fail in between: keep polling, a little slower, until the deadline.

`cancel()` (the dialog was closed) stops at once: the pending sleep or request is cancelled and
no request is made after it. Every wait goes through the injected `sleep`, so tests move the
emulator's clock instead of waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from allegro_desktop.api.errors import (
    AccessDenied,
    AuthorizationPending,
    DeviceFlowError,
    InvalidDeviceCode,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
    SlowDown,
)
from allegro_desktop.api.models import DeviceAuthorization, TokenPair
from allegro_desktop.api.oauth import OAuthClient
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text

log = logging.getLogger("allegro_desktop.auth")

#: Longest pause between polls after repeated network failures (on top of the interval).
MAX_ERROR_BACKOFF = 30.0

_T = TypeVar("_T")

# Device codes being polled in this process, by any DeviceFlow (held only in memory).
_polled_codes: set[str] = set()
_polled_codes_lock = threading.Lock()


class FlowState(enum.Enum):
    STARTING = "starting"  # asking Allegro for a code
    WAITING = "waiting"  # the code is shown; polling until the seller decides
    CONNECTED = "connected"  # a token pair arrived
    DENIED = "denied"  # the seller clicked Deny
    EXPIRED = "expired"  # the code expired or was used: start again
    FAILED = "failed"  # anything else (credentials, a bug): the error says what
    CANCELLED = "cancelled"  # cancel() was called

    @property
    def finished(self) -> bool:
        return self not in (FlowState.STARTING, FlowState.WAITING)


class FlowCancelledError(DeviceFlowError):
    """The flow was cancelled (the dialog was closed, Ctrl+C): not a failure to report."""

    def __init__(self) -> None:
        super().__init__("the device flow was cancelled", error="cancelled",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "Connecting the account was cancelled.")))


def _expired_error(detail: str) -> DeviceFlowError:
    return DeviceFlowError(
        f"the device code expired ({detail})", error="expired_token",
        user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The code expired or was already used — start again to get a new code.")))


@contextlib.contextmanager
def _sole_poller(device_code: str) -> Iterator[None]:
    with _polled_codes_lock:
        if device_code in _polled_codes:
            raise RuntimeError("this device code is already being polled (one poller per code)")
        _polled_codes.add(device_code)
    try:
        yield
    finally:
        with _polled_codes_lock:
            _polled_codes.discard(device_code)


class DeviceFlow:
    """One device-flow login: `start()` gets a code to show, `wait()` polls until it ends.

    Use it from one event loop (the one it was started on). `clock` gives epoch seconds on
    the same clock as the `OAuthClient`'s (it dates `expires_at`); `sleep` waits between polls.
    """

    def __init__(self, *, oauth: OAuthClient, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._oauth = oauth
        self._clock = clock
        self._sleep = sleep
        self._state = FlowState.STARTING
        self._authorization: DeviceAuthorization | None = None
        self._interval = 0.0
        self._on_state: Callable[[FlowState], None] | None = None
        self._cancelled = False
        self._step: asyncio.Future[Any] | None = None
        self._polling = False

    @property
    def state(self) -> FlowState:
        return self._state

    @property
    def authorization(self) -> DeviceAuthorization | None:
        """The current code (None before `start()` returned)."""
        return self._authorization

    @property
    def interval(self) -> float:
        """Seconds between polls now (grows by 5 s on every `slow_down`)."""
        return self._interval

    def seconds_left(self) -> float:
        """Until the code expires (0 when it has, or before there is one)."""
        if self._authorization is None:
            return 0.0
        return max(self._authorization.expires_at - self._clock(), 0.0)

    # -- driving -------------------------------------------------------------------------

    def resume(self, authorization: DeviceAuthorization) -> None:
        """Poll a code obtained earlier (e.g. by a flow whose dialog was re-opened) instead of
        asking for a new one; `wait()` next."""
        if self._polling:
            raise RuntimeError("the flow is being polled: cancel it first")
        self._cancelled = False
        self._authorization = authorization
        self._interval = authorization.interval
        self._set_state(FlowState.WAITING)

    async def start(self, scope: str | None = None) -> DeviceAuthorization:
        """Ask Allegro for a code (again, after an ended flow); show `user_code` and
        `verification_uri_complete` next, then `wait()`."""
        if self._polling:
            raise RuntimeError("the flow is being polled: cancel it first")
        self._cancelled = False
        self._authorization = None
        self._set_state(FlowState.STARTING)
        try:
            authorization = await self._run(self._oauth.start_device_flow(scope))
        except FlowCancelledError:
            raise
        except BaseException:
            self._finish(FlowState.FAILED)
            raise
        self._authorization = authorization
        self._interval = authorization.interval
        self._set_state(FlowState.WAITING)
        log.info("Device flow started: the code is valid for %d s, polling every %g s",
                 round(self.seconds_left()), self._interval)
        return authorization

    async def wait(self, on_state: Callable[[FlowState], None] | None = None) -> TokenPair:
        """Poll until the seller approves (the token pair) or the flow ends (an exception).

        Raises `DeviceFlowError`: `AccessDenied` (DENIED), "expired or used" (EXPIRED),
        `FlowCancelledError` (CANCELLED); credential errors and others re-raised as they are
        (FAILED). `on_state` hears every state change from here on, on this loop.
        """
        if self._polling:
            raise RuntimeError("this flow is already being polled (one poller per code)")
        if self._state is FlowState.CANCELLED:
            raise FlowCancelledError()
        authorization = self._authorization
        if authorization is None or self._state is not FlowState.WAITING:
            raise RuntimeError(f"the flow cannot be waited for: it is {self._state.value}"
                               + ("" if authorization else " (call start() first)"))
        with _sole_poller(authorization.device_code):
            self._polling = True
            self._on_state = on_state
            try:
                return await self._poll(authorization)
            finally:
                self._polling = False
                self._on_state = None

    def cancel(self) -> None:
        """Stop now: the pending sleep or request is cancelled, nothing is sent after it.
        Call it from the flow's loop. Does nothing once the flow has ended."""
        if self._state.finished:
            return
        self._cancelled = True
        self._finish(FlowState.CANCELLED)
        if self._step is not None:
            self._step.cancel()

    # -- internals -----------------------------------------------------------------------

    async def _poll(self, authorization: DeviceAuthorization) -> TokenPair:
        delay = self._interval
        failures = 0
        while True:
            left = authorization.expires_at - self._clock()
            if left > 0:
                await self._run(self._sleep(min(delay, left)))
            if self._clock() >= authorization.expires_at:
                self._finish(FlowState.EXPIRED)
                raise _expired_error("its time is up")
            try:
                pair = await self._run(self._oauth.poll_device_token(authorization.device_code))
            except AuthorizationPending:
                delay, failures = self._interval, 0
                continue
            except SlowDown as exc:
                self._interval += exc.add_seconds
                delay, failures = self._interval, 0
                log.info("Allegro asked to poll less often: every %g s from now on",
                         self._interval)
                continue
            except AccessDenied:
                self._finish(FlowState.DENIED)
                raise
            except InvalidDeviceCode:
                self._finish(FlowState.EXPIRED)
                raise
            except RateLimitedError as exc:
                delay = max(self._interval, exc.retry_at - self._clock())
                log.info("Rate limited while polling: next poll in %.0f s", delay)
                continue
            except (NetworkError, ServerError, MalformedResponseError) as exc:
                failures += 1
                delay = self._interval + min(self._interval * (2 ** failures - 1),
                                             MAX_ERROR_BACKOFF)
                log.info("Polling failed (%s); trying again in %.0f s", type(exc).__name__,
                         delay)
                continue
            except FlowCancelledError:
                raise
            except BaseException:
                # Credentials refused, the app's type wrong, a bug: the typed error tells.
                if not self._state.finished:
                    self._finish(FlowState.FAILED)
                raise
            self._finish(FlowState.CONNECTED)
            log.info("Device flow approved: tokens received")
            return pair

    async def _run(self, step: Awaitable[_T]) -> _T:
        """Await `step` as a task `cancel()` can interrupt; after a cancel, nothing runs."""
        if self._cancelled:
            if asyncio.iscoroutine(step):
                step.close()  # never started: no request goes out
            raise FlowCancelledError()
        task = asyncio.ensure_future(step)
        self._step = task
        try:
            result = await task
        except asyncio.CancelledError:
            if self._cancelled:
                raise FlowCancelledError() from None
            self._finish(FlowState.CANCELLED)  # the caller's task was cancelled
            raise
        finally:
            self._step = None
        if self._cancelled:  # cancel() came as the step finished: its result is dropped
            raise FlowCancelledError()
        return result

    def _set_state(self, state: FlowState) -> None:
        if state is self._state:
            return
        self._state = state
        if self._on_state is not None:
            self._on_state(state)

    def _finish(self, state: FlowState) -> None:
        if not self._state.finished:
            self._set_state(state)
