"""The sync against an Allegro that answers too slowly or never stops answering: through the
hostile proxy, a journal page, a list page, the event stats or one order trickles one byte
every half second, or streams for ever. Each run ends — at the client's deadline (a second
here) or its cap on an answer (4 MB here, with a deadline too long to come first) — with a
clear failure — or, for a single order, that order pending while the others
arrive; nothing already stored is lost, the cursor never moves past what is stored, and once
the fault stops the next sync equals the emulator exactly. And quitting (the sync thread's
shutdown) while an answer trickles returns at once, the run recorded CANCELLED.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from allegro_desktop.api.errors import MalformedResponseError, TooSlowError
from allegro_desktop.api.limits import API_LIMITS, QUIT_GRACE, NetworkLimits
from allegro_desktop.storage import RunOutcome
from allegro_desktop.sync import SyncReport, SyncSettings
from allegro_desktop.sync.worker import SyncWorker
from tests.helpers.hostile_proxy import HostileProxy, Rule
from tests.helpers.sync_truth import Truth
from tests.helpers.synced_shop import FAST_RETRY, MakeShop, Shop

TRICKLE = (1, 0.5)  # one byte every half second
ENDLESS = 65536  # chunks of an answer that never ends
JOURNAL_ONLY = SyncSettings(rescan_interval=timedelta(days=100_000))
#: Per fault: what it becomes once the client gives up on it, and the client's limits — for a
#: trickle a deadline of a second (the per-read timeouts longer: only the deadline can end it),
#: for an endless answer a cap of 4 MB (ten times a page) and the usual deadline, far longer
#: than reading 4 MB takes, so that the cap always ends it first.
FAULTS = {
    "trickle": (TooSlowError, NetworkLimits(deadline=1.0, max_body=API_LIMITS.max_body,
                                            connect=5.0, idle=30.0)),
    "endless": (MalformedResponseError, NetworkLimits(
        deadline=API_LIMITS.deadline, max_body=4 * 1024 * 1024, connect=5.0, idle=30.0)),
}


def _rule(fault: str, path: str) -> Rule:
    return (Rule(path=path, trickle=TRICKLE) if fault == "trickle"
            else Rule(path=path, endless=ENDLESS))


async def _sync(shop: Shop, settings: SyncSettings | None = None,
                fault: str | None = None) -> SyncReport:
    return await shop.sync(settings, limits=FAULTS[fault][1] if fault else API_LIMITS)


def _proxy(shop: Shop) -> HostileProxy:
    assert shop.proxy is not None
    return shop.proxy


async def _recovers(shop: Shop, settings: SyncSettings | None = None) -> None:
    """The fault stops: the next sync succeeds and equals the emulator exactly."""
    _proxy(shop).clear()
    report = await _sync(shop, settings)
    assert report.succeeded, report.error
    shop.assert_in_sync()
    shop.assert_exact()


def _failed_calmly(shop: Shop, report: SyncReport, fault: str) -> None:
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, FAULTS[fault][0])
    assert report.error
    expected = "too slowly" if fault == "trickle" else "larger than"
    assert expected in report.error
    [run, *_] = shop.state.runs(shop.account.key, limit=1)
    assert run.outcome == RunOutcome.FAILED


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_a_journal_page_that_never_ends_fails_the_run_and_keeps_everything(
        make_shop: MakeShop, fault: str) -> None:
    shop = make_shop(JOURNAL_ONLY, orders=60, seed=51, proxy=True)
    assert (await _sync(shop)).succeeded
    before = shop.checked_stored()
    shop.emu.control("POST", "/orders", {"count": 5})
    rule = _proxy(shop).add(_rule(fault, r"^/order/events$"))

    report = await _sync(shop, JOURNAL_ONLY, fault)
    _failed_calmly(shop, report, fault)
    assert _proxy(shop).hits(rule) >= 1
    after = shop.checked_stored()
    assert after.cursor == before.cursor  # nothing of the page was read
    assert after.forms == before.forms  # nothing stored is lost or changed
    await _recovers(shop, JOURNAL_ONLY)


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_list_pages_that_never_end_fail_the_rescan_and_keep_everything(
        make_shop: MakeShop, fault: str) -> None:
    shop = make_shop(orders=150, seed=52, proxy=True)  # a re-scan in every run
    assert (await _sync(shop)).succeeded
    before = shop.checked_stored()
    shop.emu.control("POST", "/orders", {"count": 5})
    _proxy(shop).add(_rule(fault, r"^/order/checkout-forms$"))

    report = await _sync(shop, fault=fault)
    _failed_calmly(shop, report, fault)
    after = shop.checked_stored()
    assert set(before.forms) <= set(after.forms)  # the journal's orders may have arrived
    await _recovers(shop)


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_a_backfill_whose_pages_never_end_fails_and_the_next_completes(
        make_shop: MakeShop, fault: str) -> None:
    shop = make_shop(orders=150, seed=53, proxy=True)
    _proxy(shop).add(_rule(fault, r"^/order/checkout-forms$"))
    report = await _sync(shop, fault=fault)
    _failed_calmly(shop, report, fault)
    assert not shop.checked_stored().backfill_done
    assert shop.checked_stored().cursor is None  # the journal is not trusted before the back-fill
    await _recovers(shop)


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_event_stats_that_never_end_fail_or_are_not_used(
        make_shop: MakeShop, fault: str) -> None:
    shop = make_shop(orders=40, seed=54, proxy=True)
    _proxy(shop).add(_rule(fault, r"^/order/event-stats$"))
    report = await _sync(shop, fault=fault)
    if fault == "endless":
        # An answer over the cap is an unusable starting point, like any other broken
        # event-stats answer: no cursor is stored, and the journal is read from its start.
        assert report.succeeded, report.error
        assert shop.checked_stored().cursor == str(Truth.read(shop.emu).retained[-1])
        shop.assert_in_sync()
        return
    _failed_calmly(shop, report, fault)
    stored = shop.checked_stored()
    assert stored.forms == {}
    assert stored.cursor is None
    await _recovers(shop)


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_one_order_that_never_ends_goes_pending_and_the_others_arrive(
        make_shop: MakeShop, fault: str) -> None:
    shop = make_shop(JOURNAL_ONLY, orders=60, seed=43, proxy=True)
    assert (await _sync(shop)).succeeded
    stuck = next(f for f in shop.emulator_forms().values() if f["status"] != "CANCELLED")
    shop.emu.control("POST", f"/orders/{stuck['id']}/address", {})
    shop.emu.control("POST", "/orders", {"count": 5})
    _proxy(shop).add(_rule(fault, rf"^/order/checkout-forms/{stuck['id']}$"))

    report = await _sync(shop, JOURNAL_ONLY, fault)
    assert report.succeeded, report.error
    assert report.new == 5
    stored = shop.checked_stored()
    assert stored.pending == {stuck["id"]}
    assert stored.cursor == str(Truth.read(shop.emu).retained[-1])  # not held up
    await _recovers(shop, JOURNAL_ONLY)


# -- quitting while the network trickles ------------------------------------------------------

#: A generous ceiling (ms) for the waits on a loaded machine; each ends at its condition.
WAIT = 60_000


def _worker(shop: Shop) -> SyncWorker:
    worker = SyncWorker(source=shop.services, database=shop.database, clock=shop.now,
                        retry=FAST_RETRY)
    worker.start()
    return worker


def _quit_while_trickling(qtbot: QtBot, shop: Shop, rule: Rule) -> None:
    """Start a sync, wait until the request `rule` matches is under way (trickling for far
    longer than a quit may take), then shut the sync thread down as the app's quit does: it
    ends, the run is recorded CANCELLED, nothing is half-written, and once the fault stops a
    sync completes.

    The thread is expected to end about `QUIT_GRACE` seconds after the shutdown; `shutdown`
    is given ten times that on a loaded machine, still less than waiting for the request would
    take (a page: 4 tries of a minute; a token refresh: 3 tries of 10 s)."""
    worker = _worker(shop)
    try:
        with qtbot.waitSignal(worker.sync_started, timeout=WAIT):
            assert worker.request_sync(shop.account.key)
        qtbot.waitUntil(lambda: _proxy(shop).hits(rule) >= 1, timeout=WAIT)
    finally:
        ended = worker.shutdown(timeout=10 * QUIT_GRACE)
    assert ended
    assert not worker.isRunning()
    [run] = shop.state.runs(shop.account.key)
    assert run.outcome == RunOutcome.CANCELLED
    shop.checked_stored()
    _proxy(shop).clear()
    report = asyncio.run(_sync(shop))
    assert report.succeeded, report.error
    shop.assert_exact()


def test_quitting_while_a_page_trickles_cancels_the_run_at_once(
        qtbot: QtBot, make_shop: MakeShop) -> None:
    shop = make_shop(orders=150, seed=55, proxy=True)
    rule = _proxy(shop).add(Rule(path=r"^/order/checkout-forms$", trickle=TRICKLE))
    _quit_while_trickling(qtbot, shop, rule)


def test_quitting_while_a_token_refresh_trickles_abandons_it(
        qtbot: QtBot, make_shop: MakeShop, caplog: pytest.LogCaptureFixture) -> None:
    """A cancelled sync lets a token refresh finish (the new tokens must be saved), but a quit
    waits for it only `QUIT_GRACE` seconds: then it is abandoned."""
    shop = make_shop(orders=40, seed=56, proxy=True)
    store, key = shop.services.store, shop.account.key
    pair = store.load(key)
    assert pair is not None
    store.save(key, replace(pair, access_expires_at=0.0))  # the first request refreshes
    rule = _proxy(shop).add(Rule(path=r"^/auth/oauth/token$", method="POST", trickle=TRICKLE))
    with caplog.at_level(logging.WARNING, logger="allegro_desktop.sync"):
        _quit_while_trickling(qtbot, shop, rule)
    assert "abandoning 1 task(s)" in caplog.text
