"""The sync against an Allegro that fails a lot, in every way the emulator knows: 500 JSON,
502/503 HTML pages, 429 (a real one-minute block of the client id), dropped connections,
answers slower than the client's timeout, bodies cut off half-way. Repeated runs must converge
to exactly what Allegro has — the first sync of a few thousand orders as well as incremental
ones over the journal — with nothing stored twice, and every failed run must leave the cursor
no further than its orders. And one order Allegro keeps failing on must not hold up the others.

(`test_engine.py::test_faults_converge` covers 5xx, drops and truncation on 400 orders; this
is the same at scale, with every fault kind, changes in between and the journal alone.)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.sync import SyncReport, SyncSettings
from tests.helpers.sync_truth import (
    Truth,
    buyer_cancel,
    change_address,
    churn,
    move_parcels,
    new_unpaid,
    pay,
)
from tests.helpers.synced_shop import MakeShop, Shop

#: Retries without real waiting (the faults are instant), and no pause of our own after a
#: 429: the test moves the emulator's clock past its block instead (as a minute would pass).
RETRY = RetryPolicy(base_delay=0.005, max_delay=0.02, rate_limit_pause=0, rate_limit_jitter=0)
#: Shorter than the emulator's slow answers, so that they time out.
TIMEOUT = httpx.Timeout(0.5, connect=2.0)
SLOW_SECONDS = 1.0
#: About one answer in five fails.
FAULTS = {"error_rate": 0.10, "rate_429": 0.01, "drop_rate": 0.03, "slow_rate": 0.02,
          "slow_seconds": SLOW_SECONDS, "truncate_rate": 0.04}
JOURNAL_ONLY = SyncSettings(rescan_interval=timedelta(days=100_000))


async def _sync(shop: Shop, settings: SyncSettings | None = None) -> SyncReport:
    return await shop.sync(settings, retry=RETRY, timeout=TIMEOUT)


async def _until_done(shop: Shop, settings: SyncSettings | None = None) -> list[SyncReport]:
    """Sync until a run succeeds (at most 40 runs); after each, the database is consistent,
    and when Allegro blocked the client id (429) the test waits the block out."""
    reports = []
    for _ in range(40):
        report = await _sync(shop, settings)
        reports.append(report)
        shop.checked_stored()
        if report.succeeded:
            return reports
        blocked = [c["blocked_for"] for c in
                   shop.emu.control("GET", "/ratelimit")["clients"].values()]
        if any(blocked):
            shop.emu.advance(max(blocked) + 1)
    raise AssertionError(f"no run succeeded: {[r.error for r in reports][-5:]}")


def _change_the_shop(shop: Shop, rng: Any, round_: int) -> None:
    emu = shop.emu
    emu.control("POST", "/orders", {"count": 120})
    fresh = new_unpaid(emu, 3, buyer=round_)
    emu.control("POST", "/orders/merge", {"ids": fresh[:2]})
    pay(emu, rng, 20)
    move_parcels(emu, rng, 150)
    churn(emu, rng, orders=30, changes=40)  # more than one page of events
    buyer_cancel(emu, rng, 10)
    change_address(emu, rng, 10)


async def test_thousands_of_orders_converge_through_every_fault(make_shop: MakeShop) -> None:
    import random

    rng = random.Random(4242)
    shop = make_shop(orders=3000, history_days=300, seed=42)
    shop.emu.control("POST", "/faults", FAULTS)

    reports = await _until_done(shop)  # the first sync: back-fill
    _change_the_shop(shop, rng, 1)
    reports += await _until_done(shop, JOURNAL_ONLY)  # the journal alone, through faults
    _change_the_shop(shop, rng, 2)
    shop.emu.advance(2 * 3600)
    reports += await _until_done(shop)  # the app's defaults: journal, then a re-scan

    failed = [r for r in reports if not r.succeeded]
    assert failed, "the faults never made a run fail: the test proves nothing"
    assert all(r.error for r in failed)
    assert sum(r.retries or 0 for r in reports) > 0
    shop.emu.control("DELETE", "/faults")
    # A successful run may still leave a few forms pending (a fault on a form while the others
    # of its page arrived, by chance): the first run after the faults stop fetches them…
    healed = await _sync(shop)
    assert healed.succeeded, healed.error
    shop.assert_exact()
    # … and then there is nothing more to do.
    again = await _sync(shop)
    assert again.succeeded, again.error
    assert (again.new, again.updated, again.gone) == (0, 0, 0)
    print(f"{len(reports)} runs ({len(failed)} failed), "
          f"{sum(r.requests for r in reports)} requests, "
          f"{sum(r.retries or 0 for r in reports)} retries")


@pytest.mark.parametrize("fault", [
    # (500 JSON and 502/503 HTML: test_engine_safety.py's
    # test_one_failing_form_does_not_block_the_cursor.)
    "drop_rate", "truncate_rate", "slow_rate",
])
async def test_an_order_that_keeps_failing_does_not_hold_up_the_others(
        make_shop: MakeShop, fault: str) -> None:
    """One checkout form Allegro keeps failing on — at the transport level this time: the
    connection dropped, the body cut off, no answer within the timeout — while the others of
    its journal page arrive: the run succeeds, the cursor reaches the journal's end, the form
    is pending, and the next run (Allegro well again, nothing new in the journal) stores it."""
    shop = make_shop(JOURNAL_ONLY, orders=60, seed=43)
    await _sync(shop)
    stuck = next(f for f in shop.emulator_forms().values() if f["status"] != "CANCELLED")
    shop.emu.control("POST", f"/orders/{stuck['id']}/address", {})
    shop.emu.control("POST", "/orders", {"count": 5})
    shop.emu.control("POST", "/faults", {"paths": [f"/order/checkout-forms/{stuck['id']}"],
                                         fault: 1.0, "slow_seconds": SLOW_SECONDS})
    report = await _sync(shop)
    assert report.succeeded, report.error
    stored = shop.checked_stored()
    assert stored.cursor == str(Truth.read(shop.emu).retained[-1])
    assert stored.pending == {stuck["id"]}
    assert report.new == 5
    shop.emu.control("DELETE", "/faults")
    report = await _sync(shop)
    assert report.succeeded, report.error
    assert report.updated == 1
    shop.assert_exact()
