"""The engine's safety nets over real HTTP: keyset paging under a changing list, a resumable
back-fill, unreadable data kept aside, a failing form that does not block the cursor, and the
incremental planner that lists many changed forms instead of fetching each."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any

import orjson

from allegro_desktop.storage import RunOutcome
from allegro_desktop.sync import SyncProgress, SyncSettings
from tests.helpers.synced_shop import MakeShop, Shop

#: The event journal alone must carry the changes: no re-scan of recent days.
NO_RESCAN = SyncSettings(rescan_interval=timedelta(days=3650), history_days=200)

BUYER = {"id": "777000222", "login": "kupujacy_safety", "email": "s@example.pl", "guest": False}


def _unpaid(shop: Shop, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        form = shop.emu.control("POST", "/orders", {"checkoutForm": {
            "status": "BOUGHT", "buyer": BUYER, "marketplace": {"id": "allegro-pl"}}})
        ids.append(form["checkoutForms"][0]["id"])
    return ids


def _spread(shop: Shop, count: int) -> list[str]:
    """`count` new orders, one a second: every one at a time of its own."""
    ids = []
    for _ in range(count):
        ids.append(shop.emu.control("POST", "/orders", {"count": 1})["checkoutForms"][0]["id"])
        shop.emu.advance(1)
    return ids


def _corrupt_form(shop: Shop, form_id: str, **changes: Any) -> None:
    """Make the emulator serve a form the app cannot read (Allegro sending broken data)."""
    store = shop.emu.emulator.store
    with store.lock:
        for seller in store.sellers.values():
            record = seller.orders.get(form_id)
            if record is not None:
                record.body = orjson.dumps(orjson.loads(record.body) | changes)
                return
    raise AssertionError(f"no order {form_id}")


async def test_an_order_leaving_the_list_during_the_backfill_skips_nothing(
        make_shop: MakeShop) -> None:
    """Offset paging would skip an order here: two orders of page 1 merge into one while the
    back-fill reads, so every later order moves one place up the list. (One window at a time:
    each page is then stored, and the progress told, before the next is asked for.)"""
    shop = make_shop(orders=0, settings=dataclasses.replace(
        NO_RESCAN, window_days=200, window_target=10_000, window_concurrency=1))
    mergeable = _unpaid(shop, 2)
    shop.emu.advance(60)
    later = _spread(shop, 250)
    merged: list[dict[str, Any]] = []

    def progress(update: SyncProgress) -> None:
        if update.pages == 1 and not merged:
            merged.append(shop.emu.control("POST", "/orders/merge", {"ids": mergeable}))

    report = await shop.sync(progress=progress)
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert merged
    assert set(later) <= set(shop.stored_forms())
    # No event names the merged-away forms: the re-scan of recent days marks them gone.
    assert (await shop.sync(dataclasses.replace(NO_RESCAN, rescan_interval=timedelta(0)))
            ).succeeded
    assert set(mergeable) <= shop.orders.gone_form_ids(shop.account.key)
    shop.assert_in_sync()


async def test_more_orders_at_one_instant_than_a_page_holds(make_shop: MakeShop) -> None:
    shop = make_shop(orders=0, settings=dataclasses.replace(
        NO_RESCAN, window_days=200, window_target=10_000))
    _spread(shop, 30)
    same_instant = shop.emu.control("POST", "/orders", {"count": 230})["checkoutForms"]
    shop.emu.advance(5)
    _spread(shop, 30)
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == 290
    assert {f["id"] for f in same_instant} <= set(shop.stored_forms())
    shop.assert_in_sync()


async def test_an_interrupted_backfill_resumes_with_its_cursor(make_shop: MakeShop) -> None:
    shop = make_shop(orders=1500, seed=21, settings=dataclasses.replace(
        NO_RESCAN, window_days=10, window_concurrency=1))
    full = await make_shop(orders=1500, seed=21, settings=shop.settings).sync()
    cancel = asyncio.Event()

    def progress(update: SyncProgress) -> None:
        if update.pages >= 8:
            cancel.set()

    first = await shop.sync(progress=progress, cancel=cancel)
    assert first.outcome == RunOutcome.CANCELLED
    state = shop.state.get_sync_state(shop.account.key)
    assert not state.backfill_done
    assert state.backfill_progress
    # Meanwhile an order the interrupted run already stored is paid, and new ones arrive:
    # the resumed back-fill must not re-read its windows, so only the ORIGINAL cursor's
    # journal can bring the payment.
    stored = shop.stored_forms()
    unpaid = next(f for f in stored.values() if f["status"] == "BOUGHT"
                  or (f.get("payment") or {}).get("paidAmount") is None)
    shop.emu.control("POST", f"/orders/{unpaid['id']}/pay")
    shop.emu.control("POST", "/orders", {"count": 4})
    second = await shop.sync()
    assert second.outcome == RunOutcome.SUCCEEDED, second.error
    assert first.requests + second.requests < full.requests + 15  # windows were not re-read
    state = shop.state.get_sync_state(shop.account.key)
    assert state.backfill_done
    assert state.backfill_progress is None
    shop.assert_in_sync()


async def test_an_unreadable_form_is_kept_aside_and_asked_for_again(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=100, seed=22, settings=NO_RESCAN)
    await shop.sync()
    fresh = shop.emu.control("POST", "/orders", {"count": 3})["checkoutForms"]
    broken = fresh[0]["id"]
    _corrupt_form(shop, broken, lineItems="zepsute")
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.malformed >= 1
    assert report.pending == 1
    assert shop.state.get_sync_state(shop.account.key).event_cursor == shop.journal_ids()[-1]
    assert {fresh[1]["id"], fresh[2]["id"]} <= set(shop.stored_forms())
    assert broken not in shop.stored_forms()
    kept = shop.orders.unreadable_records(shop.account.key)
    assert kept[0]["kind"] == "form"
    assert kept[0]["checkout_form_id"] == broken
    assert orjson.loads(kept[0]["raw"])["lineItems"] == "zepsute"
    assert "lineItems" in kept[0]["error"]
    # Allegro sends it right again: the next sync stores it although no new event names it.
    _corrupt_form(shop, broken, lineItems=fresh[0]["lineItems"])
    again = await shop.sync()
    assert again.pending == 0
    shop.assert_in_sync()


async def test_an_unreadable_event_still_brings_its_form(make_shop: MakeShop) -> None:
    shop = make_shop(orders=50, seed=23, settings=NO_RESCAN)
    await shop.sync()
    new = shop.emu.control("POST", "/orders", {"count": 2})["checkoutForms"]
    store = shop.emu.emulator.store
    with store.lock:  # every event of the first new order loses its date
        seller = next(s for s in store.sellers.values() if new[0]["id"] in s.orders)
        for event in seller.events:
            if event.order_id == new[0]["id"]:
                event.body = orjson.dumps(orjson.loads(event.body) | {"occurredAt": "wczoraj"})
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.malformed >= 1
    assert {new[0]["id"], new[1]["id"]} <= set(shop.stored_forms())
    kept = shop.orders.unreadable_records(shop.account.key)
    assert {r["kind"] for r in kept} == {"event"}
    assert {r["checkout_form_id"] for r in kept} == {new[0]["id"]}
    assert shop.state.get_sync_state(shop.account.key).event_cursor == shop.journal_ids()[-1]
    shop.assert_in_sync()


async def test_one_failing_form_does_not_block_the_cursor(make_shop: MakeShop) -> None:
    shop = make_shop(orders=50, seed=24, settings=NO_RESCAN)
    await shop.sync()
    new = shop.emu.control("POST", "/orders", {"count": 4})["checkoutForms"]
    failing = new[2]["id"]
    shop.emu.control("POST", "/faults", {"error_rate": 1.0,
                                         "paths": [f"/order/checkout-forms/{failing}"]})
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.pending == 1
    assert shop.orders.pending_form_ids(shop.account.key) == [failing]
    assert shop.state.get_sync_state(shop.account.key).event_cursor == shop.journal_ids()[-1]
    assert {f["id"] for f in new} - {failing} <= set(shop.stored_forms())
    still = await shop.sync()  # still failing: still pending, counted again
    assert still.succeeded
    assert still.pending == 1
    shop.emu.control("DELETE", "/faults")
    healed = await shop.sync()
    assert healed.succeeded
    assert healed.pending == 0
    shop.assert_in_sync()


async def test_when_every_form_fails_the_run_fails_and_the_cursor_stays(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=50, seed=25, settings=NO_RESCAN)
    await shop.sync()
    cursor = shop.state.get_sync_state(shop.account.key).event_cursor
    shop.emu.control("POST", "/orders", {"count": 3})
    shop.emu.control("POST", "/faults", {"error_rate": 1.0, "paths": ["/order/checkout-forms/"]})
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert shop.state.get_sync_state(shop.account.key).event_cursor == cursor
    assert shop.orders.pending_form_ids(shop.account.key) == []
    shop.emu.control("DELETE", "/faults")
    assert (await shop.sync()).succeeded
    shop.assert_in_sync()


async def test_many_changes_are_listed_rather_than_fetched_one_by_one(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=1200, seed=26, history_days=60, settings=NO_RESCAN)
    await shop.sync()
    emu = shop.emu
    ready = [f for f in shop.stored_forms().values() if f["status"] == "READY_FOR_PROCESSING"]
    assert len(ready) > 300
    for form in ready[:300]:
        status = "SUSPENDED" if form["fulfillment"]["status"] != "SUSPENDED" else "SENT"
        emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": status})
    emu.control("POST", "/orders", {"count": 100})
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == 100
    assert report.updated >= 300
    # 400 single GETs otherwise; listing the whole history is 12 pages plus the journal.
    assert report.requests < 120, report.requests
    shop.assert_in_sync()


async def test_new_orders_just_after_changed_recent_ones_are_listed_too(
        make_shop: MakeShop) -> None:
    """New forms are placed a little before their first event; the list window must still
    reach their purchase when it ends with a stored order bought after that point."""
    shop = make_shop(orders=300, seed=27, history_days=30, settings=NO_RESCAN)
    emu = shop.emu
    recent = emu.control("POST", "/orders", {"count": 40})["checkoutForms"]
    await shop.sync()
    emu.advance(60)
    for form in recent:
        emu.control("POST", f"/orders/{form['id']}/fulfillment", {"status": "SUSPENDED"})
    new = emu.control("POST", "/orders", {"count": 60})["checkoutForms"]
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == len(new)
    assert report.requests < 8, report.requests  # a few list pages, not 60 GETs
    shop.assert_in_sync()
