"""Which orders a sync announces as new (notifications, the webhook): never the first
back-fill's history; the orders a later sync adds that were bought in the last few days —
and, with the webhook on, each of them queued once and POSTed to a real receiver."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from allegro_desktop.services.webhook import WebhookDeliverer
from allegro_desktop.storage import RunOutcome
from allegro_desktop.storage.backup import back_up, restore, stage_backup
from allegro_desktop.storage.outbox import OutboxState, WebhookOutbox
from tests.helpers.synced_shop import MakeShop
from tests.helpers.webhook_receiver import serve


async def test_only_orders_new_after_the_first_backfill_are_announced_and_sent(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=120, seed=21)
    outbox = WebhookOutbox(database=shop.database)
    outbox.set_enabled(True)

    first = await shop.sync()
    assert first.outcome == RunOutcome.SUCCEEDED, first.error
    assert first.new == 120
    assert first.announced_order_ids == []
    assert outbox.entries() == []

    created = shop.emu.control("POST", "/orders", {"count": 3})["checkoutForms"]
    second = await shop.sync()
    assert second.outcome == RunOutcome.SUCCEEDED, second.error
    new_ids = {form["id"] for form in created}
    assert set(second.announced_order_ids) == new_ids
    assert {entry.order_id for entry in outbox.entries()} == new_ids

    third = await shop.sync()  # nothing new: nothing announced, nothing queued again
    assert third.announced_order_ids == []
    assert len(outbox.entries()) == 3

    with serve() as receiver:
        deliverer = WebhookDeliverer(database=shop.database, url=receiver.url, secret="s",
                                     clock=shop.now, account_login=lambda _key: "seller")

        def deliver() -> list[Any]:
            try:
                return deliverer.deliver_due()
            finally:
                deliverer.stop()

        # The deliverer is blocking (in the app it runs on a thread of its own, with its own
        # event loop): off this test's loop.
        attempts = await asyncio.to_thread(deliver)
    assert [a.outcome for a in attempts] == ["delivered"] * 3
    assert {r.json()["order"]["order_id"] for r in receiver.received} == new_ids
    assert outbox.counts()[OutboxState.DELIVERED] == 3


async def test_orders_learnt_of_days_late_are_not_announced(make_shop: MakeShop) -> None:
    """The app was closed for four days: what was bought then is stored, but a notification
    (or a chat message) about a four-day-old purchase is noise — only the last
    `announce_within` (3 days) counts as new."""
    shop = make_shop(orders=40, seed=22)
    await shop.sync()
    old = shop.emu.control("POST", "/orders", {"count": 2})["checkoutForms"]
    shop.emu.advance(4 * 86400)
    fresh = shop.emu.control("POST", "/orders", {"count": 2})["checkoutForms"]
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert {form["id"] for form in old} <= set(report.new_order_ids)
    assert set(report.announced_order_ids) == {form["id"] for form in fresh}
    assert shop.settings.announce_within == timedelta(days=3)


async def test_orders_told_of_before_a_restore_are_not_announced_again(
        make_shop: MakeShop, tmp_path: Path) -> None:
    """A backup, then new orders (announced), then the backup restored: the next sync stores
    those orders again as new to the database, but not to the seller — only an order bought
    after the restore is announced, and only it is sent to the webhook."""
    shop = make_shop(orders=40, seed=25)
    assert (await shop.sync()).succeeded
    backup = tmp_path / "before.sqlite3"
    back_up(shop.database, backup)
    told = {f["id"] for f in shop.emu.control("POST", "/orders", {"count": 2})["checkoutForms"]}
    assert set((await shop.sync()).announced_order_ids) == told

    shop.emu.advance(60)
    with stage_backup(shop.database.path, backup) as staged:
        report = restore(shop.database.path, staged, exclusive=False, now=shop.now())
    shop.database.replaced()
    assert report.source == backup
    outbox = WebhookOutbox(database=shop.database)
    outbox.set_enabled(True)  # switched on only now: its outbox never saw the told orders
    shop.emu.advance(60)
    fresh = {f["id"] for f in shop.emu.control("POST", "/orders", {"count": 1})["checkoutForms"]}
    again = await shop.sync()
    assert again.succeeded, again.error
    assert told | fresh <= set(again.new_order_ids)
    assert set(again.announced_order_ids) == fresh
    assert {entry.order_id for entry in outbox.entries()} == fresh
