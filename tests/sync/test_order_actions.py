"""The durable action queue against a real emulator over HTTP, with a real SQLite file
(docs/ORDER-ACTIONS.md): a status change and a tracking number reach Allegro and come back
through the journal; a stale revision (409) is resolved, or fails saying why; what is queued
offline goes out once Allegro is reachable; a failed action is shown and retried; a bulk of
200 stays within Allegro's limits."""

from __future__ import annotations

from typing import Any

import pytest

from allegro_desktop.domain.filters import OrderFilter, OrderSort
from allegro_desktop.domain.order_actions import ActionState
from allegro_desktop.services.order_actions import OrderActions
from allegro_desktop.storage.order_actions import OrderActionQueue
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.sync.actions import ActionOutcome, send_account_actions
from tests.helpers.synced_shop import FAST_RETRY, MakeShop, Shop


async def _send(shop: Shop, concurrency: int = 4) -> list[ActionOutcome]:
    return await send_account_actions(shop.services, shop.database, shop.account,
                                      retry=FAST_RETRY, concurrency=concurrency)


async def _paid(shop: Shop, count: int = 1, fulfillment: str = "NEW") -> list[str]:
    """`count` new paid orders at this fulfillment status, synced."""
    ids = [shop.emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING", "fulfillment": {"status": fulfillment}}})[
        "checkoutForms"][0]["id"] for _ in range(count)]
    assert (await shop.sync()).succeeded
    return ids


def _fulfillment(shop: Shop, order_id: str) -> Any:
    return shop.emulator_forms()[order_id]["fulfillment"]["status"]


def _row(shop: Shop, order_id: str) -> Any:
    queries = OrderQueries(database=shop.database)
    seq = queries.seq_of(order_id)
    assert seq is not None
    return queries.rows([seq])[seq]


def _events(shop: Shop, order_id: str) -> list[str]:
    return [e.type for e in OrderQueries(database=shop.database).details(
        _row(shop, order_id).seq).events]  # type: ignore[union-attr]


async def test_a_status_change_reaches_allegro_and_comes_back_through_the_journal(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    (order_id,) = await _paid(shop)
    actions = OrderActions(shop.database)

    (queued,) = actions.queue_status([order_id], "PROCESSING")
    assert queued.action is not None
    assert queued.refusal is None
    row = _row(shop, order_id)  # shown at once, marked as waiting
    assert row.fulfillment_status == "NEW"
    assert row.actions.pending_status == "PROCESSING"
    assert row.actions.state is ActionState.WAITING
    waiting = OrderQueries(database=shop.database).seqs(
        OrderFilter(actions=frozenset({"waiting"})), OrderSort())
    assert list(waiting) == [row.seq]

    (outcome,) = await _send(shop)
    assert outcome.sent, outcome
    assert _fulfillment(shop, order_id) == "PROCESSING"
    # Sent, not yet confirmed by the journal: the table keeps showing the new status.
    assert _row(shop, order_id).actions.pending_status == "PROCESSING"
    assert actions.pending(order_id) == []

    report = await shop.sync()
    assert report.succeeded
    row = _row(shop, order_id)
    assert row.fulfillment_status == "PROCESSING"
    assert row.actions is None  # confirmed: nothing under way
    assert "FULFILLMENT_STATUS_CHANGED" in _events(shop, order_id)
    shop.assert_in_sync()
    assert await _send(shop) == []  # nothing sent twice


async def test_a_tracking_number_and_mark_sent_reach_allegro(make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    (order_id,) = await _paid(shop, fulfillment="PROCESSING")
    actions = OrderActions(shop.database)

    queued = actions.queue_tracking(order_id, carrier_id="DPD", waybill="AD1234567890",
                                    mark_sent=True)
    assert [q.action.describe() for q in queued if q.action] == [
        "tracking number DPD AD1234567890", "status SENT"]
    outcomes = await _send(shop)
    assert [o.state for o in outcomes] == [ActionState.SENT, ActionState.SENT]
    held = shop.emu.control("GET", f"/orders/{order_id}/shipments")["shipments"]
    assert [(s["carrierId"], s["waybill"]) for s in held] == [("DPD", "AD1234567890")]
    assert _fulfillment(shop, order_id) == "SENT"

    await shop.sync()
    assert _row(shop, order_id).fulfillment_status == "SENT"
    assert _row(shop, order_id).actions is None
    shop.assert_in_sync()


async def test_a_stale_revision_is_read_again_and_the_change_sent_with_the_new_one(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    order_id, other_id = await _paid(shop, 2)
    actions = OrderActions(shop.database)
    actions.queue_status([order_id, other_id], "READY_FOR_SHIPMENT")
    # The buyer changes the address (a new revision): the queued change is now stale.
    shop.emu.control("POST", f"/orders/{order_id}/address", {})
    # Someone else ships the other order on the web site and its buyer changes the address.
    shop.emu.control("POST", f"/orders/{other_id}/fulfillment", {"status": "SENT"})
    shop.emu.control("POST", f"/orders/{other_id}/address", {})

    outcomes = {o.order_id: o for o in await _send(shop)}
    assert outcomes[order_id].sent, outcomes[order_id]
    assert _fulfillment(shop, order_id) == "READY_FOR_SHIPMENT"
    stored = shop.stored_forms()[order_id]  # read again and stored on the way
    assert stored["revision"] == shop.emulator_forms()[order_id]["revision"]
    # The other one no longer makes sense: not overwritten, and the reason is kept.
    assert outcomes[other_id].state is ActionState.FAILED
    assert _fulfillment(shop, other_id) == "SENT"
    (failed,) = actions.failed()
    assert failed.order_id == other_id
    assert "was changed on Allegro to SENT" in str(failed.last_error)
    assert _row(shop, other_id).actions.state is ActionState.FAILED


async def test_actions_queued_offline_go_out_once_allegro_is_reachable(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    status_id, tracking_id = await _paid(shop, 2)
    actions = OrderActions(shop.database)
    shop.emu.control("POST", "/faults", {"drop_rate": 1.0, "paths": ["/order"]})
    actions.queue_status([status_id], "PROCESSING")
    actions.queue_tracking(tracking_id, carrier_id="INPOST", waybill="620000000000000000000001")

    queue = OrderActionQueue(database=shop.database)
    account_key = _row(shop, status_id).account_key
    assert queue.has_unfinished(account_key)
    assert not queue.has_unfinished("another-account")
    outcomes = await _send(shop)
    assert {o.state for o in outcomes} <= {ActionState.WAITING, ActionState.SENDING}
    assert all(o.retry_at is not None and o.message for o in outcomes)
    assert _row(shop, status_id).actions.state is ActionState.WAITING
    assert await _send(shop) == []  # not due yet: backing off

    shop.emu.control("DELETE", "/faults")
    shop.emu.advance(3600)
    outcomes = await _send(shop)
    assert [o.state for o in outcomes] == [ActionState.SENT, ActionState.SENT]
    assert not queue.has_unfinished(account_key)
    assert _fulfillment(shop, status_id) == "PROCESSING"
    held = shop.emu.control("GET", f"/orders/{tracking_id}/shipments")["shipments"]
    assert len(held) == 1


async def test_a_failed_action_is_shown_with_allegros_reason_and_retried(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    (order_id,) = await _paid(shop)
    actions = OrderActions(shop.database)
    # A tracking number of a format Allegro refuses, then a status change behind it.
    actions.queue_tracking(order_id, carrier_id="DPD", waybill="BAD*NUMBER", mark_sent=True)

    (outcome,) = await _send(shop)  # the status change waits behind the failed one
    assert outcome.state is ActionState.FAILED
    (failed,) = actions.failed()
    assert failed.last_error  # Allegro's userMessage
    row = _row(shop, order_id)
    assert row.actions.state is ActionState.FAILED
    assert (row.actions.failed, row.actions.waiting) == (1, 1)
    assert OrderQueries(database=shop.database).seqs(
        OrderFilter(actions=frozenset({"failed"})), OrderSort()).tolist() == [row.seq]

    assert actions.retry(failed.id)
    (again,) = await _send(shop)
    assert again.state is ActionState.FAILED  # still refused: same reason, shown again
    assert actions.discard(failed.id)
    (sent,) = await _send(shop)  # the order's next action goes on
    assert sent.sent
    assert sent.description == "status SENT"
    assert actions.pending(order_id) == []


async def test_impossible_actions_are_refused_locally(make_shop: MakeShop) -> None:
    shop = make_shop(orders=20)
    (order_id,) = await _paid(shop)
    actions = OrderActions(shop.database)
    refused = {q.order_id: str(q.refusal) for q in actions.queue_status(
        [order_id, "no-such-order"], "NEW")}
    assert refused == {order_id: "The order already has the status NEW.",
                       "no-such-order": "Order no-such-order is not in the local database: "
                                        "sync first."}
    (returned,) = actions.queue_status([order_id], "RETURNED")
    assert str(returned.refusal) == "Only Allegro sets the status RETURNED."
    (blank,) = actions.queue_tracking(order_id, carrier_id="OTHER", waybill="X1")
    assert str(blank.refusal) == "Enter the carrier's name."
    assert actions.pending(order_id) == []


@pytest.mark.parametrize("kind", ["status", "tracking"])
async def test_200_bulk_actions_stay_within_allegros_limits(make_shop: MakeShop,
                                                          kind: str) -> None:
    # Real time: the emulator's windows of 50 requests a second (shipments) slide.
    shop = make_shop(orders=20, now=None)
    ids = await _paid(shop, 200)
    actions = OrderActions(shop.database)
    if kind == "status":
        queued = actions.queue_status(ids, "READY_FOR_PICKUP")
    else:
        queued = [q for order_id in ids for q in actions.queue_tracking(
            order_id, carrier_id="GLS", waybill=f"GLS{order_id[:8]}")]
    assert all(q.action is not None for q in queued)

    outcomes = await _send(shop)
    assert len(outcomes) == 200
    assert all(o.sent for o in outcomes), [o for o in outcomes if not o.sent][:3]
    limits = shop.emu.control("GET", "/ratelimit")
    assert all(c["blocked_for"] == 0 for c in limits["clients"].values()), limits
    assert all(c["requests_last_minute"] <= limits["per_minute"]
               for c in limits["clients"].values())
    # Every action went out once: no 429 (from the client id's limit or shipments' 50 a
    # second) sent one back to wait.
    assert {a.attempts for a in (actions.get(q.action.id) for q in queued if q.action)
            if a is not None} == {1}


async def test_an_action_discarded_after_the_sender_read_it_is_never_sent(
        make_shop: MakeShop) -> None:
    """The window's Cancel discards a bulk run's actions while the sync thread may already
    have read them: the sender's claim (`mark_sending`) sees the discard and sends nothing."""
    from allegro_desktop.api.client import AllegroClient, make_http_client
    from allegro_desktop.sync.actions import ActionSender

    shop = make_shop(orders=20)
    (order_id,) = await _paid(shop)
    actions = OrderActions(shop.database)
    (queued,) = actions.queue_status([order_id], "PROCESSING")
    assert queued.action is not None
    read = actions.get(queued.action.id)  # what the sender read before the seller cancelled
    assert read is not None
    assert read.state is ActionState.WAITING
    assert actions.discard(read.id)
    async with make_http_client() as http:
        client = AllegroClient(shop.services.environment(shop.account.environment), http=http,
                               tokens=shop.services.token_provider(shop.account),
                               governor=shop.services.governor, retry=FAST_RETRY)
        sender = ActionSender(account_key=shop.account.key, client=client,
                              database=shop.database)
        outcome = await sender._attempt(read)  # the step between the read and the request
    assert outcome.state is ActionState.DISCARDED
    assert _fulfillment(shop, order_id) == "NEW"
    again = actions.get(read.id)
    assert again is not None
    assert (again.state, again.attempts) == (ActionState.DISCARDED, 0)


async def test_allegros_messages_come_in_the_windows_language_where_allegro_offers_it(
        make_shop: MakeShop) -> None:
    """The Polish window asks Allegro for Polish `userMessage`s (pl-PL) on every call whose
    `Accept-Language` takes it, so a refused tracking number is explained in Polish; the
    fulfillment PUT and the invoice calls take only en-US, so they go without the header."""
    shop = make_shop(orders=20, proxy=True)
    assert shop.proxy is not None
    shop.services.accept_language = "pl-PL"
    refused, changed = await _paid(shop, 2)
    actions = OrderActions(shop.database)
    actions.queue_tracking(refused, carrier_id="DPD", waybill="BAD*NUMBER")
    actions.queue_status([changed], "PROCESSING")

    outcomes = {outcome.order_id: outcome for outcome in await _send(shop)}
    assert outcomes[refused].state is ActionState.FAILED
    assert outcomes[refused].message == "Przekazany numer przesyłki jest niepoprawny"
    assert outcomes[changed].sent
    asked = list(zip(shop.proxy.requests, shop.proxy.languages, strict=True))
    shipments = [language for line, language in asked if "/shipments" in line]
    statuses = [language for line, language in asked if line.startswith("PUT ")]
    assert shipments
    assert set(shipments) == {"pl-PL"}
    assert statuses == [None]
