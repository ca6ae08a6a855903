"""The incremental sync asks for the journal's next page while the forms of a page come
(`planner.read_journal`): the chain of requests of an incremental sync is a round trip shorter
a page. Shown with the hostile proxy holding every form request: the next page of events is
asked for all the same."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from allegro_desktop.storage import RunOutcome
from allegro_desktop.sync import SyncSettings
from tests.helpers.hostile_proxy import Hold, Rule
from tests.helpers.synced_shop import MakeShop

NO_RESCAN = SyncSettings(rescan_interval=timedelta(days=3650), history_days=200)


async def test_the_next_journal_page_is_asked_for_while_the_forms_come(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=200, seed=41, settings=NO_RESCAN, proxy=True)
    assert shop.proxy is not None
    first = await shop.sync()
    assert first.outcome == RunOutcome.SUCCEEDED, first.error
    shop.emu.control("POST", "/orders", {"count": 30})
    cursor = shop.state.get_sync_state(shop.account.key).event_cursor
    journal = shop.journal_ids()
    after = journal[journal.index(cursor) + 1:]
    assert after
    page_end = after[:1000][-1]  # the cursor after the journal's first page
    # Every form request waits at the proxy (for longer than this test waits for anything).
    forms = Hold(limit=600)
    next_page = Hold()
    shop.proxy.add(Rule(path=r"^/order/checkout-forms", hold=forms))
    shop.proxy.add(Rule(path=r"^/order/events$", query=re.escape(f"from={page_end}"),
                        hold=next_page))
    sync = asyncio.create_task(shop.sync())
    try:
        assert await asyncio.to_thread(forms.arrived.wait, 60), "no form was asked for"
        asked = await asyncio.to_thread(next_page.arrived.wait, 60)
        assert asked, "the next page of events was asked for only once the forms had come"
    finally:
        forms.release()
        next_page.release()
        report = await sync
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == 30
    shop.assert_exact()
