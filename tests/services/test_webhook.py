"""The outgoing webhook against a real HTTP receiver on 127.0.0.1: the outbox filled in the
orders' own transaction, signed JSON, retries with back-off on a fake clock, Retry-After,
giving up, exactly one delivery per order across a restart, and a sync never waiting for it."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from allegro_desktop import __version__
from allegro_desktop.api.limits import WEBHOOK_LIMITS, NetworkLimits
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.orders import Order
from allegro_desktop.services.webhook import (
    Attempt,
    WebhookDeliverer,
    order_summary,
    parse_retry_after,
    retry_delay,
    verify,
)
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.outbox import OutboxState, WebhookOutbox, enqueue
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.stored_shop import ACCOUNT, NOW, realistic_forms
from tests.helpers.webhook_receiver import (
    ENDLESS,
    TRICKLE_BODY,
    TRICKLE_HEAD,
    WHOLE,
    Receiver,
    serve,
)

SECRET = "whsec-test-0123456789"
LONG_AGO = NOW - timedelta(days=10_000)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def orders(count: int, start: int = 0) -> list[Order]:
    forms = realistic_forms()[start:start + count]
    return [parse_checkout_form(copy.deepcopy(form), account_key=ACCOUNT) for form in forms]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "orders.sqlite3"


@pytest.fixture
def database(db_path: Path, clock: Clock) -> Iterator[Database]:
    database = Database.open(db_path, clock=clock, busy_timeout=5.0)
    WebhookOutbox(database=database).set_enabled(True)
    yield database
    database.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serve() as receiver:
        yield receiver


def store_new(database: Database, count: int, start: int = 0) -> list[str]:
    """Store orders as an incremental sync does (every one announced); their ids."""
    result = OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, orders=orders(count, start), events=[], cursor=None,
        announce_since=LONG_AGO)
    return list(result.announced_ids)


def deliverer(database: Database, receiver: Receiver, clock: Any = None,
              **options: Any) -> WebhookDeliverer:
    options.setdefault("secret", SECRET)
    return WebhookDeliverer(database=database, url=receiver.url,
                            account_login={ACCOUNT: "sklep_ania"}.get,
                            random=lambda: 0.5, time_zone=UTC,
                            **({"clock": clock} if clock else {}), **options)


def states(database: Database) -> dict[OutboxState, int]:
    return WebhookOutbox(database=database).counts()


# -- the outbox ---------------------------------------------------------------------------------


def test_new_orders_are_queued_in_their_own_transaction_only_while_on(
        tmp_path: Path, clock: Clock) -> None:
    database = Database.open(tmp_path / "o.sqlite3", clock=clock)
    outbox = WebhookOutbox(database=database)
    repository = OrderRepository(database=database)
    try:
        # Off (the default): announced, but nothing queued.
        first = repository.apply_batch(account_key=ACCOUNT, orders=orders(3), events=[],
                                       cursor=None, announce_since=LONG_AGO)
        assert len(first.announced_ids) == 3
        assert outbox.entries() == []
        outbox.set_enabled(True)
        assert outbox.enabled()
        # A back-fill (no announce_since) queues nothing, even while on.
        history = repository.apply_batch(account_key=ACCOUNT, orders=orders(3, 3), events=[],
                                         cursor=None)
        assert history.new == 3
        assert history.announced_ids == ()
        assert outbox.entries() == []
        # Only orders bought since the moment given are announced.
        batch = orders(20, 6)
        since = sorted(o.bought_at for o in batch)[10]
        result = repository.apply_batch(account_key=ACCOUNT, orders=batch, events=[],
                                        cursor=None, announce_since=since)
        expected = {o.id for o in batch if o.bought_at >= since}
        assert set(result.announced_ids) == expected
        assert len(expected) >= 10
        queued = outbox.entries()
        assert {e.order_id for e in queued} == expected
        assert {e.state for e in queued} == {OutboxState.PENDING}
        assert len({e.delivery_id for e in queued}) == len(queued)
        # The same orders again (a repeated sync): not new, nothing queued twice.
        again = repository.apply_batch(account_key=ACCOUNT, orders=batch, events=[],
                                       cursor=None, announce_since=LONG_AGO)
        assert again.announced_ids == ()
        assert len(outbox.entries()) == len(queued)
        # Deleting the account's data forgets its deliveries too.
        repository.delete_account_data(ACCOUNT)
        assert outbox.entries() == []
    finally:
        database.close()


def test_a_failed_batch_queues_nothing(database: Database) -> None:
    """One transaction: when storing the orders fails, no delivery is left behind."""
    bad = orders(2)
    other = parse_checkout_form(copy.deepcopy(realistic_forms()[5]),
                                account_key="production|1")
    with pytest.raises(ValueError, match="belongs to"):
        OrderRepository(database=database).apply_batch(
            account_key=ACCOUNT, orders=[*bad, other], events=[], cursor=None,
            announce_since=LONG_AGO)
    assert WebhookOutbox(database=database).entries() == []
    # and a write failing inside the transaction rolls the queue back with the orders
    def interrupted_write() -> None:
        with database.write() as connection:
            assert enqueue(connection, ACCOUNT, ["x1", "x2"], 0) == 2
            raise RuntimeError("the disk is full, say")

    with pytest.raises(RuntimeError, match="disk is full"):
        interrupted_write()
    assert WebhookOutbox(database=database).entries() == []


# -- a delivery ---------------------------------------------------------------------------------


def test_each_new_order_is_posted_signed_as_the_json_export_writes_it(
        database: Database, receiver: Receiver, clock: Clock) -> None:
    ids = store_new(database, 3)
    hook = deliverer(database, receiver, clock)
    try:
        attempts = hook.deliver_due()
    finally:
        hook.stop()
    assert [a.outcome for a in attempts] == ["delivered"] * 3
    assert states(database)[OutboxState.DELIVERED] == 3
    assert sorted(r.json()["order"]["order_id"] for r in receiver.received) == sorted(ids)
    request = receiver.received[0]
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == f"AllegroDesktop/{__version__}"
    assert headers["x-allegro-desktop-timestamp"] == str(int(NOW.timestamp()))
    assert verify(SECRET, headers["x-allegro-desktop-timestamp"], request.body,
                  headers["x-allegro-desktop-signature"])
    assert not verify("wrong", headers["x-allegro-desktop-timestamp"], request.body,
                      headers["x-allegro-desktop-signature"])
    assert not verify(SECRET, headers["x-allegro-desktop-timestamp"], request.body + b" ",
                      headers["x-allegro-desktop-signature"])
    payload = request.json()
    assert payload["event"] == "order.created" == headers["x-allegro-desktop-event"]
    assert payload["delivery_id"] == headers["x-allegro-desktop-delivery"]
    assert payload["account"] == "sklep_ania"
    order = payload["order"]
    queries = OrderQueries(database=database)
    seq = queries.seq_of(order["order_id"])
    assert seq is not None
    row = queries.rows([seq])[seq]
    assert order["total"] == {"amount": f"{row.total.amount:.2f}",
                              "currency": row.total.currency}
    assert order["account"] == "sklep_ania"
    assert order["bought_at"].startswith(row.bought_at.strftime("%Y-%m-%dT%H:%M"))
    items = queries.line_items([seq])[seq]
    assert [item["offer_id"] for item in order["line_items"]] == [i.offer_id for i in items]
    assert payload["text"] == payload["content"] == str(order_summary(row))
    assert payload["text"].startswith("New order ")
    assert (row.buyer_login or "?") in payload["text"]
    # Every delivery has its own id.
    assert len({r.headers["X-Allegro-Desktop-Delivery"] for r in receiver.received}) == 3


def test_the_summary_line_reads_like_the_example(database: Database) -> None:
    """"New order 245,00 zł from jan_kowalski: 2 × Etui…": Polish money, the buyer's login,
    the items cut short."""
    import dataclasses

    from allegro_desktop.domain.orders import Money

    [order_id] = store_new(database, 1)
    queries = OrderQueries(database=database)
    seq = queries.seq_of(order_id)
    assert seq is not None
    row = dataclasses.replace(queries.rows([seq])[seq], total=Money.from_minor(124500, "PLN"),
                              buyer_login="jan_kowalski", items_summary="2 × Etui " + "x" * 80)
    text = str(order_summary(row))
    assert text.startswith("New order 1\u00a0245,00\u00a0zł from jan_kowalski: 2 × Etui")
    assert text.endswith("…")
    assert len(text) < 120
    czk = dataclasses.replace(row, total=Money.from_minor(24500, "CZK"), items_summary="")
    assert str(order_summary(czk)) == "New order 245,00\u00a0Kč from jan_kowalski"


def test_without_a_secret_requests_are_not_signed(database: Database, receiver: Receiver,
                                                 clock: Clock) -> None:
    store_new(database, 1)
    hook = deliverer(database, receiver, clock, secret=None)
    hook.deliver_due()
    hook.stop()
    assert "X-Allegro-Desktop-Signature" not in receiver.received[0].headers


# -- retries ----------------------------------------------------------------------------------


def test_5xx_is_retried_with_growing_waits(database: Database, receiver: Receiver,
                                          clock: Clock) -> None:
    store_new(database, 1)
    receiver.answer(500, 502, 503)
    hook = deliverer(database, receiver, clock)
    waits = []
    for _ in range(3):
        [attempt] = hook.deliver_due()
        assert attempt.outcome == "retry"
        assert attempt.next_attempt_at is not None
        waits.append(attempt.next_attempt_at - clock.now)
        assert hook.deliver_due() == []  # not due yet: no request
        clock.now = attempt.next_attempt_at - timedelta(seconds=1)
        assert hook.deliver_due() == []
        clock.now = attempt.next_attempt_at
    [attempt] = hook.deliver_due()
    hook.stop()
    assert attempt.outcome == "delivered"
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert len(receiver.received) == 4
    assert len({r.headers["X-Allegro-Desktop-Delivery"] for r in receiver.received}) == 1
    [entry] = WebhookOutbox(database=database).entries()
    assert entry.state is OutboxState.DELIVERED
    assert entry.attempts == 4


def test_retry_delay_doubles_up_to_an_hour_with_jitter() -> None:
    assert retry_delay(1, random=lambda: 0.5) == timedelta(seconds=30)
    assert retry_delay(2, random=lambda: 0.5) == timedelta(minutes=1)
    assert retry_delay(8, random=lambda: 0.5) == timedelta(hours=1)
    assert retry_delay(50, random=lambda: 0.99) == timedelta(hours=1)
    assert retry_delay(1, random=lambda: 0.0) == timedelta(seconds=24)
    assert retry_delay(1, random=lambda: 1.0) == timedelta(seconds=36)


def test_429_waits_as_long_as_retry_after_says(database: Database, receiver: Receiver,
                                              clock: Clock) -> None:
    store_new(database, 1)
    receiver.answer((429, {"Retry-After": "120"}))
    hook = deliverer(database, receiver, clock)
    [attempt] = hook.deliver_due()
    assert attempt.outcome == "retry"
    assert attempt.status == 429
    assert attempt.next_attempt_at == NOW + timedelta(seconds=120)
    clock.advance(seconds=119)
    assert hook.deliver_due() == []
    clock.advance(seconds=1)
    assert [a.outcome for a in hook.deliver_due()] == ["delivered"]
    hook.stop()


def test_retry_after_as_a_date() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Fri, 20 Nov 2026 12:02:00 GMT", now) == timedelta(minutes=2)
    assert parse_retry_after("Fri, 20 Nov 2026 11:00:00 GMT", now) == timedelta(0)
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 301])
def test_other_refusals_fail_at_once(database: Database, receiver: Receiver, clock: Clock,
                                     status: int) -> None:
    store_new(database, 1)
    receiver.answer(status)
    hook = deliverer(database, receiver, clock)
    [attempt] = hook.deliver_due()
    clock.advance(hours=2)
    assert hook.deliver_due() == []
    hook.stop()
    assert attempt.outcome == "failed"
    [entry] = WebhookOutbox(database=database).entries()
    assert entry.state is OutboxState.FAILED
    assert entry.last_status == status
    assert str(status) in (entry.last_error or "")


def test_408_is_retried(database: Database, receiver: Receiver, clock: Clock) -> None:
    store_new(database, 1)
    receiver.answer(408)
    hook = deliverer(database, receiver, clock)
    assert [a.outcome for a in hook.deliver_due()] == ["retry"]
    clock.advance(seconds=30)
    assert [a.outcome for a in hook.deliver_due()] == ["delivered"]
    hook.stop()


def test_given_up_after_24_hours_and_kept(database: Database, receiver: Receiver,
                                         clock: Clock) -> None:
    store_new(database, 1)
    receiver.answer(*[503] * 100)
    hook = deliverer(database, receiver, clock)
    outcomes = []
    while True:
        attempts = hook.deliver_due()
        if attempts:
            outcomes.append(attempts[0].outcome)
            if attempts[0].outcome == "failed":
                break
        clock.advance(minutes=1)
        assert clock.now - NOW < timedelta(hours=25)
    hook.stop()
    [entry] = WebhookOutbox(database=database).entries()
    assert entry.state is OutboxState.FAILED
    assert "24 hours" in (entry.last_error or "")
    # 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about 30 attempts in a day, not thousands.
    assert 20 < len(outcomes) < 40


def test_network_errors_are_retried(database: Database, clock: Clock) -> None:
    store_new(database, 1)
    hook = WebhookDeliverer(database=database, url="http://127.0.0.1:9/nobody-listens",
                            secret=SECRET, clock=clock, random=lambda: 0.5)
    [attempt] = hook.deliver_due()
    hook.stop()
    assert attempt.outcome == "retry"
    assert attempt.status is None
    assert "127.0.0.1" in (attempt.error or "")


def test_an_old_queued_order_is_not_sent_late(database: Database, receiver: Receiver,
                                              clock: Clock) -> None:
    store_new(database, 1)
    clock.advance(hours=25)  # e.g. queued by a command-line sync, app opened a day later
    hook = deliverer(database, receiver, clock)
    assert [a.outcome for a in hook.deliver_due()] == ["failed"]
    hook.stop()
    assert receiver.received == []


# -- the thread ---------------------------------------------------------------------------------


def test_each_order_is_delivered_once_across_a_restart(db_path: Path, receiver: Receiver,
                                                       clock: Clock) -> None:
    database = Database.open(db_path, clock=clock)
    WebhookOutbox(database=database).set_enabled(True)
    ids = store_new(database, 12)
    receiver.delay = 0.05
    first = deliverer(database, receiver, clock)
    first.start()
    assert receiver.wait_for(3)
    assert first.stop(timeout=5)  # mid-way: the request under way finishes and is marked
    done = states(database)[OutboxState.DELIVERED]
    assert 3 <= done < 12
    database.close()

    database = Database.open(db_path, clock=clock)  # the app started again
    second = deliverer(database, receiver, clock)
    second.start()
    try:
        assert receiver.wait_for(12)  # every order received once in all...
    finally:
        assert second.stop()  # ...and, its thread ended, recorded
        assert states(database)[OutboxState.DELIVERED] == 12
        database.close()
    delivered = [r.json()["order"]["order_id"] for r in receiver.received]
    assert sorted(delivered) == sorted(ids)  # each exactly once
    assert len({r.headers["X-Allegro-Desktop-Delivery"] for r in receiver.received}) == 12


def test_a_hanging_receiver_never_delays_a_sync(database: Database, receiver: Receiver,
                                                clock: Clock) -> None:
    store_new(database, 2)
    receiver.hold.clear()  # every request hangs until released
    hook = deliverer(database, receiver, clock,
                     limits=replace(WEBHOOK_LIMITS, deadline=60.0, idle=60.0))
    hook.start()
    try:
        assert receiver.wait_for(1)  # a POST is under way, unanswered (for a minute)
        # The sync stores new orders meanwhile: were the deliverer holding the database
        # during its request, this would fail with "locked" after the 5 s busy timeout.
        queued = store_new(database, 50, start=10)
        hook.wake()
        assert len(queued) == 50
        assert states(database)[OutboxState.DELIVERED] == 0  # the POST still hangs
    finally:
        receiver.hold.set()
        hook.stop(timeout=10)
    assert states(database)[OutboxState.PENDING] + states(database)[OutboxState.DELIVERED] == 52


def test_wake_sends_new_orders_at_once(database: Database, receiver: Receiver,
                                      clock: Clock) -> None:
    store_new(database, 1)
    hook = deliverer(database, receiver, clock)
    hook.start()
    try:
        assert receiver.wait_for(1)  # sent; the thread then waits (an hour) for work
        store_new(database, 1, start=1)
        hook.wake()
        assert receiver.wait_for(2, timeout=5)
    finally:
        hook.stop()


def test_neither_the_secret_nor_the_address_is_logged(database: Database, receiver: Receiver,
                                                      clock: Clock,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store_new(database, 2)
    receiver.answer(500, 404)
    hook = deliverer(database, receiver, clock)
    hook.deliver_due()
    hook.stop()
    text = caplog.text
    assert "127.0.0.1" in text  # the host is
    assert SECRET not in text
    assert "s3cr3t-path" not in text
    for entry in WebhookOutbox(database=database).entries():
        assert "s3cr3t-path" not in (entry.last_error or "")


def test_the_secret_lives_in_the_keyring() -> None:
    backend = MemoryKeyring()
    store = TokenStore(backend=backend)
    assert store.load_webhook_secret() is None
    store.save_webhook_secret(SECRET)
    assert store.load_webhook_secret() == SECRET
    assert SECRET in backend.entries.values()
    with pytest.raises(ValueError, match="empty"):
        store.save_webhook_secret("")
    store.delete_webhook_secret()
    store.delete_webhook_secret()  # idempotent
    assert store.load_webhook_secret() is None


def test_the_service_follows_the_settings(database: Database, receiver: Receiver,
                                          clock: Clock) -> None:
    from allegro_desktop.auth.errors import KeyringUnavailableError
    from allegro_desktop.services.webhook import WebhookService

    store = TokenStore(backend=MemoryKeyring())
    store.save_webhook_secret(SECRET)
    service = WebhookService(database=database, load_secret=store.load_webhook_secret,
                             clock=clock)
    outbox = WebhookOutbox(database=database)
    service.configure(None).result()
    assert not outbox.enabled()
    assert service.deliverer is None
    store_new(database, 1)
    assert outbox.entries() == []  # off: nothing queued

    service.configure(receiver.url).result()
    try:
        assert outbox.enabled()
        assert service.deliverer is not None
        assert service.deliverer.running
        store_new(database, 1, start=1)
        service.wake()
        assert receiver.wait_for(1)
        request = receiver.received[0]
        assert verify(SECRET, request.headers["X-Allegro-Desktop-Timestamp"], request.body,
                      request.headers["X-Allegro-Desktop-Signature"])
    finally:
        service.stop()
    assert service.deliverer is None

    def locked() -> str | None:
        raise KeyringUnavailableError("locked", user_message="The keyring is locked.")

    service = WebhookService(database=database, load_secret=locked, clock=clock)
    service.configure(receiver.url).result()
    assert service.deliverer is None  # never unsigned because the keyring was locked
    assert outbox.enabled()  # but new orders still wait in the queue
    service.configure(None).result()
    assert not outbox.enabled()


def test_changing_the_settings_mid_delivery_sends_nothing_twice(
        database: Database, receiver: Receiver, clock: Clock) -> None:
    """OK in the Settings dialog while a POST is under way: the switch waits for that
    deliverer's thread to end (and record the delivery) before a new one starts — and the
    caller (the GUI thread) does not wait at all."""
    from allegro_desktop.services.webhook import WebhookService

    store = TokenStore(backend=MemoryKeyring())
    store.save_webhook_secret(SECRET)
    service = WebhookService(database=database, load_secret=store.load_webhook_secret,
                             clock=clock)
    service.configure(receiver.url).result()
    try:
        receiver.hold.clear()  # the receiver takes its time to answer
        store_new(database, 1)
        service.wake()
        assert receiver.wait_for(1)
        first = service.configure(receiver.url)
        second = service.configure(receiver.url)
        assert not first.done()  # configure returned while the POST is still under way
        receiver.hold.set()
        first.result(timeout=30)
        second.result(timeout=30)
        service.wake()
    finally:
        receiver.hold.set()
        service.stop()
    assert len(receiver.received) == 1
    assert [e.state for e in WebhookOutbox(database=database).entries()] == [
        OutboxState.DELIVERED]


def test_a_delivery_the_database_cannot_record_yet_is_not_sent_again(
        db_path: Path, database: Database, receiver: Receiver, clock: Clock) -> None:
    """The receiver said 200, but the sync holds the database's write lock: the delivery is
    kept in memory as done (never POSTed again) and recorded once the database lets it."""
    import sqlite3

    store_new(database, 1)
    impatient = Database.open(db_path, clock=clock, busy_timeout=0.1)
    hook = WebhookDeliverer(database=impatient, url=receiver.url, secret=SECRET, clock=clock)
    lock = sqlite3.connect(db_path, isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")
        assert [a.outcome for a in hook.deliver_due()] == ["delivered"]
        assert hook.deliver_due() == []  # still not recordable: not sent again
        assert [e.state for e in WebhookOutbox(database=database).entries()] == [
            OutboxState.PENDING]
        lock.execute("ROLLBACK")
        assert hook.deliver_due() == []
    finally:
        lock.close()
        hook.stop()
        impatient.close()
    assert len(receiver.received) == 1
    assert [e.state for e in WebhookOutbox(database=database).entries()] == [
        OutboxState.DELIVERED]


def test_the_address_never_reaches_the_log_even_normalised(caplog: pytest.LogCaptureFixture,
                                                           database: Database, clock: Clock,
                                                           receiver: Receiver) -> None:
    """httpx logs the URL normalised (host lower-cased, default port dropped): the address
    (a credential for Slack and Discord) is still hidden."""
    url = receiver.url.replace("127.0.0.1", "LOCALHOST") + "/T000/B000/secretpart"
    store_new(database, 1)
    hook = WebhookDeliverer(database=database, url=url, secret=SECRET, clock=clock)
    try:
        with caplog.at_level(logging.DEBUG):
            hook.deliver_due()
    finally:
        hook.stop()
    assert len(receiver.received) == 1
    assert "HTTP Request: POST" in caplog.text  # httpx did log the request
    assert "secretpart" not in caplog.text


# -- deadlines, caps and quitting ---------------------------------------------------------------

#: A deadline of a second for the trickling receivers; a minute where the deadline must not be
#: what ends a request (the cap, or `stop`, must).
SECOND = replace(WEBHOOK_LIMITS, deadline=1.0, idle=30.0)
MINUTE = replace(WEBHOOK_LIMITS, deadline=60.0, idle=60.0)
#: Long enough for an answer's head sent at once to arrive first, short for its trickling body.
SECONDS = replace(WEBHOOK_LIMITS, deadline=2.0, idle=30.0)


def test_a_receiver_trickling_its_answer_is_given_up_at_the_deadline(
        database: Database, receiver: Receiver, clock: Clock) -> None:
    store_new(database, 1)
    receiver.mode = TRICKLE_HEAD  # its status line one byte at a time: never a whole answer
    hook = deliverer(database, receiver, clock, limits=SECOND)
    try:
        [attempt] = hook.deliver_due()
    finally:
        hook.stop()
    assert attempt.outcome == "retry"
    assert attempt.error == "the receiver did not answer within 1 s"
    [entry] = WebhookOutbox(database=database).entries()
    assert entry.state is OutboxState.PENDING
    assert entry.attempts == 1
    assert entry.next_attempt_at == NOW + retry_delay(1, random=lambda: 0.5)


@pytest.mark.parametrize(("mode", "limits"), [(TRICKLE_BODY, SECONDS), (ENDLESS, MINUTE)])
def test_only_the_status_counts_when_the_answer_trickles_or_never_ends(
        database: Database, receiver: Receiver, clock: Clock, mode: str,
        limits: NetworkLimits) -> None:
    """A 2xx whose body trickles (ended by the deadline) or never ends (read no further than
    64 kB) is a delivery: the receiver accepted it, sending it again would repeat it in the
    chat. A 5xx answered so is retried as any 5xx."""
    store_new(database, 2)
    receiver.mode = mode
    receiver.answer(503)
    hook = deliverer(database, receiver, clock, limits=limits)
    try:
        attempts = hook.deliver_due()
    finally:
        hook.stop()
    assert sorted((a.outcome, a.status) for a in attempts) == [
        ("delivered", 200), ("retry", 503)]
    assert states(database)[OutboxState.DELIVERED] == 1


def test_stopping_abandons_a_post_under_way_and_it_is_sent_again_next_time(
        db_path: Path, receiver: Receiver, clock: Clock) -> None:
    database = Database.open(db_path, clock=clock)
    WebhookOutbox(database=database).set_enabled(True)
    store_new(database, 1)
    receiver.mode = TRICKLE_HEAD
    seen: list[Attempt] = []
    first = deliverer(database, receiver, clock, limits=MINUTE, on_attempt=seen.append)
    first.start()
    assert receiver.wait_for(1)  # the POST is under way, its answer trickling (for a minute)
    assert first.stop()  # the app quits: after the grace, the POST is abandoned...
    assert not first.running
    assert [a.outcome for a in seen] == ["abandoned"]
    [entry] = WebhookOutbox(database=database).entries()
    assert (entry.state, entry.attempts) == (OutboxState.PENDING, 0)  # ...and not recorded
    database.close()

    database = Database.open(db_path, clock=clock)  # the next start: the receiver is well
    receiver.mode = WHOLE
    second = deliverer(database, receiver, clock)
    try:
        assert [a.outcome for a in second.deliver_due()] == ["delivered"]
    finally:
        second.stop()
        database.close()
    ids = [r.headers["X-Allegro-Desktop-Delivery"] for r in receiver.received]
    assert len(ids) == 2
    assert ids[0] == ids[1]  # the same delivery: a receiver drops the repeat


def test_the_service_stops_while_a_post_trickles(database: Database, receiver: Receiver,
                                                 clock: Clock) -> None:
    """The app's quit: `WebhookService.stop` returns with its deliverer's thread ended, though
    the receiver would trickle for longer than the request's deadline."""
    from allegro_desktop.services.webhook import WebhookService

    store = TokenStore(backend=MemoryKeyring())
    store.save_webhook_secret(SECRET)
    service = WebhookService(database=database, load_secret=store.load_webhook_secret,
                             clock=clock)
    service.configure(receiver.url).result()
    running = service.deliverer
    assert running is not None
    receiver.mode = TRICKLE_HEAD
    store_new(database, 1)
    service.wake()
    assert receiver.wait_for(1)
    service.stop()
    assert not running.running
    assert service.deliverer is None
    [entry] = WebhookOutbox(database=database).entries()
    assert entry.state is OutboxState.PENDING  # kept for the next start


# -- restores ------------------------------------------------------------------------------------


def test_a_restore_keeps_the_deliveries_and_the_switch_of_the_database_it_replaces(
        db_path: Path, tmp_path: Path, clock: Clock) -> None:
    """The backup predates the webhook (no switch, no deliveries). Restored, the database keeps
    the switch the settings set and every delivery made: the orders newer than the backup,
    stored anew by the next sync, are new to the database but not sent again."""
    from allegro_desktop.storage.backup import back_up, restore, stage_backup

    with Database.open(db_path, clock=clock) as database:
        outbox = WebhookOutbox(database=database)
        store_new(database, 2)  # the webhook is off: nothing queued
        backup = back_up(database, tmp_path / "before the webhook.sqlite3").path
        outbox.set_enabled(True)
        announced = store_new(database, 3, start=2)
        first = outbox.entries()[-1]
        outbox.mark_delivered(first.seq, now=NOW, status=200)
        before = outbox.entries()
        assert {e.order_id for e in before} == set(announced)

        with stage_backup(database.path, backup) as staged:
            restore(database.path, staged, exclusive=False)
        database.replaced()
        assert OrderRepository(database=database).count_orders() == 2
        assert outbox.enabled()
        assert outbox.entries() == before

        again = store_new(database, 3, start=2)  # the next sync
        assert set(again) == set(announced)  # new to the database once more
        assert outbox.entries() == before  # but already announced: nothing queued twice


def test_after_a_restore_the_switch_is_the_settings_again(database: Database,
                                                          clock: Clock) -> None:
    """Whatever switch a restore put in place (a backup's, when the current database's could
    not be read), the service sets the settings' again once told (`Database.replaced`)."""
    from allegro_desktop.services.webhook import WebhookService

    outbox = WebhookOutbox(database=database)
    service = WebhookService(database=database, load_secret=lambda: None, clock=clock)
    service.configure(None).result()  # the settings: no webhook
    assert not outbox.enabled()
    outbox.set_enabled(True)  # as a restored backup of the time it was on
    database.replaced()
    service.stop()  # waits for every switch asked for
    assert not outbox.enabled()
