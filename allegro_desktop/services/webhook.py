"""The outgoing webhook: each new order POSTed as signed JSON to the address the seller chose
(Slack, Discord, an automation tool, their own server), from the database's outbox, with
retries. No Qt: a plain thread with its own asyncio loop and `httpx.AsyncClient`. What it
promises (only new orders, nothing lost or twice, bounded, signed, never in the sync's way) and
the payload: ARCHITECTURE.md "The webhook"; docs/WEBHOOK.md for the receiver's side.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random as _random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
import orjson

from allegro_desktop import __version__
from allegro_desktop.api.limits import QUIT_GRACE, WEBHOOK_LIMITS, NetworkLimits
from allegro_desktop.api.wire import AnswerTooLarge, DeadlineExceeded, send, tls_context
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.domain.orders import Money
from allegro_desktop.services.export import ItemColumn, json_record
from allegro_desktop.services.time_zone import system_time_zone
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import LineItemRow, OrderQueries, OrderRow
from allegro_desktop.storage.outbox import OutboxEntry, OutboxState, WebhookOutbox

__all__ = [
    "FIRST_RETRY",
    "GIVE_UP_AFTER",
    "MAX_RETRY",
    "USER_AGENT",
    "Attempt",
    "WebhookDeliverer",
    "WebhookService",
    "order_summary",
    "parse_retry_after",
    "retry_delay",
    "sign",
    "verify",
]

log = logging.getLogger("allegro_desktop.webhook")

USER_AGENT: Final = f"AllegroDesktop/{__version__}"
FIRST_RETRY: Final = timedelta(seconds=30)
MAX_RETRY: Final = timedelta(hours=1)
GIVE_UP_AFTER: Final = timedelta(hours=24)
#: Delivered and failed rows are kept this long for diagnostics.
KEEP_FINISHED: Final = timedelta(days=30)
#: Rows read per pass (each is one POST).
_BATCH: Final = 20
#: Longest sleep of the thread when nothing is due (it is woken for new rows anyway).
_IDLE: Final = 3600.0
#: The pause after the database could not be read or written (locked, disk full).
_STORAGE_PAUSE: Final = 30.0
#: How long the thread may take to end once its request is abandoned (a short write at most).
_AFTER_ABANDON: Final = 5.0
_RETRY_STATUSES: Final = frozenset({408, 429})
_SYMBOLS: Final = {"PLN": "zł", "CZK": "Kč", "EUR": "€", "HUF": "Ft"}
_SUMMARY_ITEMS: Final = 60  # characters of the items in the summary line

Clock = Callable[[], datetime]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Whether `signature` is `sign(secret, timestamp, body)` (constant time): what a receiver
    does (docs/WEBHOOK.md), and the tests."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def retry_delay(attempt: int, *, random: Callable[[], float] = _random.random) -> timedelta:
    """The wait after failed attempt number `attempt` (1, 2, …): 30 s doubled per attempt, at
    most an hour, ±20 % jitter."""
    base = min(FIRST_RETRY * (1 << min(max(attempt - 1, 0), 20)), MAX_RETRY)
    return min(base * (0.8 + 0.4 * random()), MAX_RETRY)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A `Retry-After` header (seconds, or an HTTP date) as a wait; None if absent or
    unreadable. Never negative."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(moment - now, timedelta(0))


def _money_text(money: Money) -> str:
    """Polish-style money, as a seller reads it: "1 245,00 zł" (no Qt here for the locale)."""
    amount = f"{abs(money.amount):,.2f}".replace(",", "\u00a0").replace(".", ",")
    sign_ = "-" if money.amount < Decimal(0) else ""
    return f"{sign_}{amount}\u00a0{_SYMBOLS.get(money.currency, money.currency)}"


def order_summary(order: OrderRow, login: str | None = None) -> Text:
    """One line a chat shows as it is: "New order 245,00 zł from jan_kowalski: 2 × Etui…"
    (a `Text`: the app renders it in the seller's language, `str()` in English)."""
    buyer = order.buyer_login or order.display_name or "?"
    if login:
        buyer = f"{buyer} ({login})"
    items = order.items_summary or ""
    if len(items) > _SUMMARY_ITEMS:
        items = items[:_SUMMARY_ITEMS - 1].rstrip() + "…"
    if items:
        return Text(QT_TRANSLATE_NOOP("Webhook", "New order %1 from %2: %3"),
                    _money_text(order.total), buyer, items, context="Webhook")
    return Text(QT_TRANSLATE_NOOP("Webhook", "New order %1 from %2"),
                _money_text(order.total), buyer, context="Webhook")


def _payload(entry: OutboxEntry, order: OrderRow, items: Sequence[LineItemRow], *,
             login: str | None, time_zone: tzinfo | None,
             render: Callable[[Text], str] = str) -> dict[str, Any]:
    record = json_record(order, time_zone=time_zone,
                         account_names={order.account_key: login} if login else None)
    record["line_items"] = [json_record(order, item, columns=tuple(ItemColumn),
                                        time_zone=time_zone) for item in items]
    text = render(order_summary(order))
    return {"event": entry.event, "delivery_id": entry.delivery_id,
            "account": login or order.account_key, "order": record,
            "text": text, "content": text}


def _host(url: str) -> str:
    """What the log may say of the address: its host (the path of a Slack or Discord webhook
    is its secret)."""
    parts = urlsplit(url)
    return parts.hostname or "?"


class _HideAddress(logging.Filter):
    """Puts "<host>/…" for the webhook's address in httpx's own request log (at DEBUG the app
    lets it through), which would otherwise write the whole address."""

    def __init__(self, url: str) -> None:
        super().__init__()
        parts = urlsplit(url)
        self._host = (parts.hostname or "").lower()
        self._shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"

    def _hides(self, arg: object) -> bool:
        # By host, not by the text: httpx logs the URL normalised (host lower-cased, the
        # default port dropped, non-ASCII percent-encoded), never quite as the seller typed it.
        text = str(arg)
        if "://" not in text:
            return False
        try:
            return (urlsplit(text).hostname or "").lower() == self._host
        except ValueError:
            return False

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(self._hides(arg) for arg in record.args):
            record.args = tuple(self._shown if self._hides(arg) else arg
                                for arg in record.args)
        return True


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one delivery attempt did: its outcome ("delivered", "retry", "failed", or
    "abandoned" when the deliverer stopped during it: nothing recorded, sent again next time),
    the HTTP status if an answer came, and why it did not succeed."""

    order_id: str
    outcome: str
    status: int | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None


#: Tries to switch the queue on or off while the database is busy (~20 s with the pause).
_ENABLE_ATTEMPTS: Final = 10


class WebhookDeliverer:
    """Sends the outbox's due deliveries to `url`, on a thread of its own (`start`/`stop`), or
    one pass at a time (`deliver_due`, which tests call with a fake `clock`).

    `account_login(key)` names an account in the payload (None: its key); `clock` defaults to
    the database's (which stamped the queued rows); `random` is the jitter's source; `limits`
    bound each POST (deadline, how much of the answer is read); `transport` (tests) replaces
    httpx's network transport; `on_attempt` is called on the deliverer's thread after every
    attempt.

    The POSTs run on an event loop of the deliverer's own, driven by the thread that delivers
    (the deliverer's, or the caller of `deliver_due`), so `stop` can abandon one under way.
    """

    def __init__(self, *, database: Database, url: str, secret: str | None,
                 account_login: Callable[[str], str | None] = lambda _key: None,
                 clock: Clock | None = None, random: Callable[[], float] = _random.random,
                 limits: NetworkLimits = WEBHOOK_LIMITS,
                 transport: httpx.AsyncBaseTransport | None = None,
                 time_zone: tzinfo | None = None,
                 on_attempt: Callable[[Attempt], None] | None = None,
                 render: Callable[[Text], str] = str) -> None:
        self.url = url
        self._render = render
        self._secret = secret
        self._outbox = WebhookOutbox(database=database)
        self._queries = OrderQueries(database=database)
        self._account_login = account_login
        self._clock = clock or database.clock  # the clock the queue's rows were stamped with
        self._random = random
        self._time_zone = time_zone if time_zone is not None else system_time_zone()
        self._on_attempt = on_attempt
        self._limits = limits
        self._loop = asyncio.new_event_loop()
        self._http = httpx.AsyncClient(timeout=limits.timeout, follow_redirects=False,
                                       transport=transport, headers={"User-Agent": USER_AGENT},
                                       verify=tls_context())
        self._closed = False
        self._posting: asyncio.Task[httpx.Response] | None = None  # the POST under way
        self._abandoning = threading.Event()
        self._stopping = threading.Event()
        self._wakeup = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at: datetime | None = None
        # Delivered (2xx) but not yet marked so: the database was locked. Never sent again by
        # this deliverer; marked as soon as the database lets it.
        self._unmarked: dict[int, tuple[datetime, int]] = {}
        self._hide = _HideAddress(url)
        logging.getLogger("httpx").addFilter(self._hide)
        if not secret:
            log.warning("the webhook has no secret: its requests go unsigned")

    def __repr__(self) -> str:
        return f"WebhookDeliverer({_host(self.url)!r})"

    # -- the thread -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start delivering on a background thread (once)."""
        if self._thread is not None:
            raise RuntimeError("the deliverer was started already")
        self._thread = threading.Thread(target=self._run, name="allegro-webhook", daemon=True)
        self._thread.start()
        log.info("webhook deliveries to %s started", _host(self.url))

    def wake(self) -> None:
        """New rows may be queued (after a sync stored new orders): look now, not at the next
        due time. Never blocks."""
        self._wakeup.set()

    def stop(self, timeout: float = QUIT_GRACE) -> bool:
        """Stop delivering. A POST under way gets `timeout` seconds to be answered (and
        recorded); after that it is abandoned: cancelled, not recorded, sent again next time
        with the same delivery id (a receiver drops the repeat). False if the thread still did
        not end (it is a daemon thread: it cannot hold up the app's exit)."""
        self._stopping.set()
        self._wakeup.set()
        thread = self._thread
        if thread is None:
            self._close()
        else:
            thread.join(timeout)
            if thread.is_alive():
                self.abandon()
                thread.join(_AFTER_ABANDON)
            if thread.is_alive():
                log.warning("the webhook thread did not stop")
                return False
        logging.getLogger("httpx").removeFilter(self._hide)
        return True

    def abandon(self) -> None:
        """Cancel the POST under way now, and any the deliverer would still start (it is
        stopping). Safe from any thread."""
        self._stopping.set()
        self._abandoning.set()
        self._wakeup.set()
        posting = self._posting
        if posting is not None:
            with contextlib.suppress(RuntimeError):  # a closed loop: the thread has ended
                self._loop.call_soon_threadsafe(posting.cancel)

    def _close(self) -> None:
        """Close the HTTP client and the event loop (on the thread that drove them)."""
        if not self._closed:
            self._closed = True
            self._loop.run_until_complete(self._http.aclose())
            self._loop.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            self._close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.clear()
            try:
                self.deliver_due()
                self._prune()
                next_at = self._outbox.next_due_at()
                wait = _IDLE if next_at is None else (next_at - self._clock()).total_seconds()
            except AppError as exc:  # a locked or full database: try again later
                log.warning("webhook deliveries paused: %s", exc)
                wait = _STORAGE_PAUSE
            except Exception:  # a bug: logged; the thread goes on (after a pause)
                if self._stopping.is_set():  # e.g. the database closed after a late answer
                    log.info("webhook: a late answer was not recorded (sent again next time)")
                    break
                log.exception("webhook deliveries broke")
                wait = _STORAGE_PAUSE
            if self._stopping.is_set():
                break
            self._wakeup.wait(min(max(wait, 0.0), _IDLE))

    def _prune(self) -> None:
        now = self._clock()
        if self._pruned_at is None or now - self._pruned_at > timedelta(hours=1):
            self._pruned_at = now
            forgotten = self._outbox.prune(now - KEEP_FINISHED)
            if forgotten:
                log.info("forgot %d old webhook deliveries", forgotten)

    # -- delivering -----------------------------------------------------------------------------

    def deliver_due(self) -> list[Attempt]:
        """Try every delivery due now (until none is due or `stop` was asked); returns the
        attempts made."""
        attempts: list[Attempt] = []
        tried: set[int] = set()
        self._mark_unmarked()
        while not self._stopping.is_set():
            due = [entry for entry in self._outbox.due(self._clock(), limit=_BATCH)
                   if entry.seq not in tried and entry.seq not in self._unmarked]
            if not due:
                break
            for entry in due:
                if self._stopping.is_set():
                    break
                tried.add(entry.seq)
                attempt = self.deliver(entry)
                attempts.append(attempt)
                if self._on_attempt is not None:
                    self._on_attempt(attempt)
        return attempts

    def deliver(self, entry: OutboxEntry) -> Attempt:
        """One attempt of one delivery, and its outcome recorded in the outbox."""
        now = self._clock()
        if now - entry.created_at > GIVE_UP_AFTER:
            return self._fail(entry, now, None, "not sent within 24 hours of the order")
        seq = self._queries.seq_of(entry.order_id)
        order = None if seq is None else self._queries.rows([seq]).get(seq)
        if seq is None or order is None:
            return self._fail(entry, now, None, "the order is no longer stored")
        items = self._queries.line_items([seq]).get(seq, [])
        body = orjson.dumps(_payload(entry, order, items,
                                     login=self._account_login(entry.account_key),
                                     time_zone=self._time_zone, render=self._render))
        timestamp = str(int(now.timestamp()))
        headers = {"Content-Type": "application/json",
                   "X-Allegro-Desktop-Delivery": entry.delivery_id,
                   "X-Allegro-Desktop-Event": entry.event,
                   "X-Allegro-Desktop-Timestamp": timestamp}
        if self._secret:
            headers["X-Allegro-Desktop-Signature"] = sign(self._secret, timestamp, body)
        try:
            response = self._post(body, headers)
        except asyncio.CancelledError:
            log.info("webhook: the delivery of order %s was abandoned (the app is closing); it "
                     "is sent again next time", entry.order_id)
            return Attempt(entry.order_id, "abandoned", error="abandoned while stopping")
        except (DeadlineExceeded, AnswerTooLarge) as exc:
            if exc.head is None:
                return self._retry(entry, now, None, "the receiver did not answer within "
                                   f"{self._limits.deadline:g} s", None)
            response = exc.head  # only the status counts: the rest of the answer is not read
            log.info("webhook: the answer of %s was not read to its end (%s)",
                     _host(self.url), type(exc).__name__)
        except httpx.TransportError as exc:
            return self._retry(entry, now, None,
                               f"cannot reach {_host(self.url)}: {type(exc).__name__}", None)
        status = response.status_code
        if 200 <= status < 300:
            self._unmarked[entry.seq] = (now, status)
            self._mark_unmarked()
            log.info("webhook: order %s delivered (%d)", entry.order_id, status)
            return Attempt(entry.order_id, str(OutboxState.DELIVERED), status)
        error = f"HTTP {status} {response.reason_phrase}".strip()
        if status >= 500 or status in _RETRY_STATUSES:
            wait = parse_retry_after(response.headers.get("Retry-After"), now)
            return self._retry(entry, now, status, error, wait)
        return self._fail(entry, now, status, f"refused by the receiver: {error}")

    def _post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """One POST within the limits, on the deliverer's loop; `abandon` cancels it (raises
        `CancelledError`)."""

        async def post() -> httpx.Response:
            if self._abandoning.is_set():  # abandoned before it began
                raise asyncio.CancelledError
            return await send(self._http, "POST", self.url, what=f"POST {_host(self.url)}",
                              limits=self._limits, content=body, headers=headers)

        task = self._loop.create_task(post())
        self._posting = task
        try:
            return self._loop.run_until_complete(task)
        finally:
            self._posting = None

    def _mark_unmarked(self) -> None:
        """Record the deliveries the receiver acknowledged; those the database refuses now
        (locked by a long write of the sync) stay in memory, skipped, until it accepts."""
        for seq, (when, status) in list(self._unmarked.items()):
            try:
                self._outbox.mark_delivered(seq, now=when, status=status)
            except AppError as exc:
                log.warning("webhook: a delivery is not recorded yet (%s); it is not sent "
                            "again", exc)
                return
            del self._unmarked[seq]

    def _retry(self, entry: OutboxEntry, now: datetime, status: int | None, error: str,
               wait: timedelta | None) -> Attempt:
        if wait is None:
            wait = retry_delay(entry.attempts + 1, random=self._random)
        else:
            wait = min(max(wait, timedelta(seconds=1)), MAX_RETRY)
        next_at = now + wait
        if next_at - entry.created_at > GIVE_UP_AFTER:
            return self._fail(entry, now, status, f"still failing after 24 hours: {error}")
        self._outbox.reschedule(entry.seq, now=now, next_attempt_at=next_at, status=status,
                                error=error)
        log.info("webhook: order %s not delivered (%s); next try in %.0f s", entry.order_id,
                 error, wait.total_seconds())
        return Attempt(entry.order_id, "retry", status, error, next_at)

    def _fail(self, entry: OutboxEntry, now: datetime, status: int | None,
              error: str) -> Attempt:
        self._outbox.mark_failed(entry.seq, now=now, status=status, error=error)
        log.warning("webhook: order %s given up: %s", entry.order_id, error)
        return Attempt(entry.order_id, str(OutboxState.FAILED), status, error)



class WebhookService:
    """Keeps one `WebhookDeliverer` running as the settings say — the app's handle on the
    webhook (`app.py` creates it, calls `configure` at start and when the address or the
    secret changes, `wake` after syncs that announced orders, and `stop` before the database
    closes).

    `configure` never blocks the caller (the GUI thread): the switch runs on a thread of its
    own, one switch after the other — the old deliverer is stopped and its thread ended
    (its request under way answered or timed out, and recorded) before the new one starts, so
    no delivery is ever in two threads' hands; the queue is switched on or off there too,
    retried while the database is busy with a long write of the sync.

    `load_secret` reads the secret from the keyring (`TokenStore.load_webhook_secret`). When
    the keyring cannot be read, nothing is sent (a receiver expecting signatures would refuse
    unsigned requests for good); the queue keeps the orders for the next start.
    """

    def __init__(self, *, database: Database, load_secret: Callable[[], str | None],
                 account_login: Callable[[str], str | None] = lambda _key: None,
                 clock: Clock | None = None, retry_pause: float = 2.0,
                 render: Callable[[Text], str] = str) -> None:
        self._database = database
        self._render = render
        self._load_secret = load_secret
        self._account_login = account_login
        self._clock = clock
        self._retry_pause = retry_pause
        self._outbox = WebhookOutbox(database=database)
        self._switcher = ThreadPoolExecutor(max_workers=1,
                                            thread_name_prefix="allegro-webhook-switch")
        self._generation = 0  # of the latest `configure`: an older switch gives way
        self._url: str | None = None  # as the latest `configure` was given it
        self._configured = False
        self.deliverer: WebhookDeliverer | None = None
        self._leaving: WebhookDeliverer | None = None  # the one a switch is stopping
        database.add_replaced_listener(self._on_database_replaced)

    def configure(self, url: str | None) -> Future[None]:
        """Use `url` (None: no webhook) and the keyring's current secret from now on. Returns
        at once; the returned future is done when the switch is."""
        self._generation += 1
        self._url, self._configured = url, True
        return self._switcher.submit(self._switch, url, self._generation)

    def _on_database_replaced(self) -> None:
        """A restore put another database in place (any thread): its queue is switched on or
        off again as the settings say — the restored switch may be the backup's, older than
        the settings. The deliverer goes on: it reads the queue afresh each round."""
        if not self._configured:
            return  # `configure` comes later, and sets it
        try:
            self._switcher.submit(self._switch_queue, self._url, self._generation)
        except RuntimeError:  # stopped: the app is closing, the next start sets it
            log.debug("the webhook is stopped; its queue is switched at the next start")

    def _switch(self, url: str | None, generation: int) -> None:
        self._stop_deliverer()
        if generation != self._generation:
            return  # the seller changed it again meanwhile: that switch decides
        self._switch_queue(url, generation)
        if url is None:
            return
        try:
            secret = self._load_secret()
        except AppError as exc:
            log.warning("webhook deliveries wait: its secret cannot be read (%s)", exc)
            return
        deliverer = WebhookDeliverer(database=self._database, url=url, secret=secret,
                                     account_login=self._account_login, clock=self._clock,
                                     render=self._render)
        deliverer.start()
        self.deliverer = deliverer

    def _switch_queue(self, url: str | None, generation: int) -> None:
        """Queue new orders (`url` set) or not, retried while the database is busy with a
        long write of the sync, unless a newer `configure` takes over."""
        attempts = 0
        while True:
            try:
                self._outbox.set_enabled(url is not None)
                return
            except AppError as exc:
                attempts += 1
                if attempts >= _ENABLE_ATTEMPTS or generation != self._generation:
                    log.error("the webhook's queue cannot be switched %s: %s",
                              "on" if url else "off", exc)
                    return
                time.sleep(self._retry_pause)

    def _stop_deliverer(self, grace: float = WEBHOOK_LIMITS.deadline + 5) -> None:
        """Stop the deliverer; a POST under way is given `grace` seconds (by default more
        than its deadline: answered or timed out, and recorded, so no delivery is ever in two
        threads' hands), then abandoned."""
        deliverer, self.deliverer = self.deliverer, None
        self._leaving = deliverer
        try:
            if deliverer is not None and not deliverer.stop(grace):
                log.warning("webhook deliveries to %s did not stop", _host(deliverer.url))
        finally:
            self._leaving = None

    def wake(self) -> None:
        deliverer = self.deliverer
        if deliverer is not None:
            deliverer.wake()

    def stop(self, grace: float = QUIT_GRACE) -> None:
        """Stop delivering and wait for it (the app's exit, before the database closes). A
        POST under way is given `grace` seconds, then abandoned (sent again at the next start,
        same delivery id), also when a switch was under way: the network never holds up
        quitting much longer than `grace`."""
        self._generation += 1
        stopped = self._switcher.submit(self._stop_deliverer, grace)
        try:
            stopped.result(timeout=grace)
        except FutureTimeout:  # a switch was still waiting for its deliverer: abandon it
            for deliverer in (self._leaving, self.deliverer):
                if deliverer is not None:
                    deliverer.abandon()
        self._switcher.shutdown(wait=True)
