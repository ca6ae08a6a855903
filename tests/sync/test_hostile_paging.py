"""Paging `/order/checkout-forms` against a hostile Allegro (through `HostileProxy`): pages
that repeat forms, a `totalCount` that lies, pages that never move on. For each: the run ends
(with a bounded number of requests), nothing stored is lost, every order the proxy did not
hide arrives, the cursor is not saved before the back-fill really is done, and once the fault
stops the next sync equals the emulator.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta
from typing import Any

from allegro_desktop.storage import RunOutcome
from allegro_desktop.sync import InconsistentListError, RequestBudgetError, SyncSettings
from tests.helpers.hostile_proxy import ProxiedRequest, Rule
from tests.helpers.sync_truth import Stored
from tests.helpers.synced_shop import MakeShop

LIST = r"^/order/checkout-forms$"
LIST_REQUESTS = r"^GET /order/checkout-forms\?"
#: The back-fill's first windows: the history depth (and a day ahead) in windows of 30 days.
WINDOWS = math.ceil((SyncSettings().history_days + 1) / SyncSettings().window_days)


def _repeat_last(body: Any, request: ProxiedRequest) -> Any:
    """A full page's last form replaced by a copy of the one before it: counting that copy
    as an order at the last time made the next page skip an order not read yet."""
    forms = body["checkoutForms"]
    if len(forms) == int(request.params["limit"][0]):
        forms[-1] = forms[-2]
    return body


async def test_a_page_repeating_its_last_form_skips_no_order(make_shop: MakeShop) -> None:
    shop = make_shop(orders=1200, seed=61, proxy=True)
    assert shop.proxy is not None
    shop.proxy.add(Rule(path=LIST, json=_repeat_last))
    report = await shop.sync()
    # Every order arrives (the displaced one is on the next page, keyset by distinct ids)…
    stored = shop.checked_stored()
    assert set(stored.forms) == set(shop.emulator_forms())
    # … but a list that repeats itself is not trusted as complete: listed again, still
    # repeating, so the back-fill is not done and the cursor not saved.
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, InconsistentListError), report.error
    assert not stored.backfill_done
    assert stored.cursor is None
    shop.proxy.clear()
    healed = await shop.sync()
    assert healed.succeeded, healed.error
    shop.assert_exact()


async def test_a_form_hidden_behind_a_repeat_arrives_when_the_list_is_read_again(
        make_shop: MakeShop) -> None:
    """A repeat in the middle of a page hides the form it replaces; a window whose pages
    repeated is listed once more at the end of the run, and a second reading brings it."""
    shop = make_shop(orders=1200, seed=62, proxy=True)
    assert shop.proxy is not None
    hidden: set[str] = set()

    def hide_one(body: Any, request: ProxiedRequest) -> Any:
        forms = body["checkoutForms"]
        if len(forms) >= 3:
            hidden.add(forms[len(forms) // 2]["id"])
            forms[len(forms) // 2] = forms[0]
        return body

    rule = shop.proxy.add(Rule(path=LIST, json=hide_one, times=3))
    report = await shop.sync()
    assert shop.proxy.hits(rule) == 3
    assert hidden
    assert report.succeeded, report.error
    shop.assert_exact()


async def test_forms_hidden_for_ever_are_the_only_ones_missing(make_shop: MakeShop) -> None:
    shop = make_shop(orders=1200, seed=62, proxy=True)
    assert shop.proxy is not None
    hidden: set[str] = set()

    def hide_one(body: Any, request: ProxiedRequest) -> Any:
        forms = body["checkoutForms"]
        if len(forms) >= 3:
            hidden.add(forms[len(forms) // 2]["id"])
            forms[len(forms) // 2] = forms[0]
        return body

    shop.proxy.add(Rule(path=LIST, json=hide_one))
    for _ in range(2):  # the next run lists the windows that did not add up again, no more
        report = await shop.sync()
        assert report.outcome == RunOutcome.FAILED
        assert isinstance(report.cause, InconsistentListError), report.error
        stored = shop.checked_stored()
        assert set(shop.emulator_forms()) - set(stored.forms) <= hidden
        assert stored.cursor is None
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


async def test_a_rescan_whose_list_repeats_is_not_done(make_shop: MakeShop) -> None:
    """The periodic re-scan meets repeating pages: the journal is still read to its end, the
    re-scan is not marked done and the run not a success; the next one re-scans."""
    shop = make_shop(orders=400, seed=63, proxy=True, settings=SyncSettings(
        rescan_interval=timedelta(0), rescan_days=30))
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    rescanned = shop.state.get_sync_state(shop.account.key).last_rescan_at
    shop.emu.control("POST", "/orders", {"count": 150})
    shop.emu.advance(60)
    shop.proxy.add(Rule(path=LIST, json=_repeat_last))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, InconsistentListError), report.error
    stored = shop.checked_stored()
    assert stored.cursor == shop.journal_ids()[-1]
    assert set(stored.forms) == set(shop.emulator_forms())
    assert shop.state.get_sync_state(shop.account.key).last_rescan_at == rescanned
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


def _lying_total(body: Any, request: ProxiedRequest) -> Any:
    return {**body, "totalCount": 1_000_000}


async def test_a_lying_total_count_cannot_start_a_storm(make_shop: MakeShop) -> None:
    """Every list claims a million orders. Splitting is bounded (a window whose first page
    is not full is not split, parts and levels are capped), completeness comes from the
    pages: the run succeeds with a few more requests than an honest list takes."""
    honest = make_shop(orders=2000, seed=64, proxy=True)
    assert honest.proxy is not None
    assert (await honest.sync()).succeeded
    honest_lists = honest.proxy.count(LIST_REQUESTS)

    shop = make_shop(orders=2000, seed=64, proxy=True)
    assert shop.proxy is not None
    shop.proxy.add(Rule(path=LIST, json=_lying_total))
    report = await shop.sync()
    assert report.succeeded, report.error
    lying_lists = shop.proxy.count(LIST_REQUESTS)
    print(f"list requests: {honest_lists} honest, {lying_lists} with totalCount 1 000 000")
    # Each window's first page, and — for a window whose first page is full — its parts,
    # at most 16, none split again (their pages are not full).
    assert lying_lists <= WINDOWS * (1 + 16), lying_lists
    shop.assert_exact()
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


async def test_the_request_budget_stops_a_run_calmly(make_shop: MakeShop) -> None:
    """A run that reaches `max_requests` stops with a clear reason and its progress saved;
    the next runs continue from there and finish."""
    settings = SyncSettings(rescan_interval=timedelta(0), max_requests=30)
    shop = make_shop(orders=2000, seed=65, proxy=True, settings=settings)
    assert shop.proxy is not None
    shop.proxy.add(Rule(path=LIST, json=_lying_total))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, RequestBudgetError), report.error
    assert report.error is not None
    assert "30 requests" in report.error
    assert report.requests == 30
    stored = shop.checked_stored()
    assert stored.forms
    assert shop.state.get_sync_state(shop.account.key).backfill_progress
    shop.proxy.clear()
    for _ in range(20):  # each run continues where the last one stopped
        before = len(shop.checked_stored().forms)
        report = await shop.sync()
        if report.succeeded:
            break
        assert isinstance(report.cause, RequestBudgetError), report.error
        assert len(shop.checked_stored().forms) > before
    assert report.succeeded
    shop.assert_exact()


async def test_pages_that_never_move_on_end_the_window(make_shop: MakeShop) -> None:
    """Every page of a window is its first page again, whatever offset or start is asked:
    the keyset position cannot move on, so the window ends (not trusted) instead of looping."""
    shop = make_shop(orders=1200, seed=66, proxy=True)
    assert shop.proxy is not None
    first_pages: dict[str, Any] = {}

    def same_page(body: Any, request: ProxiedRequest) -> Any:
        window = "".join(request.params.get("lineItems.boughtAt.lte", []))
        return first_pages.setdefault(window, body)

    shop.proxy.add(Rule(path=LIST, json=same_page))
    report = await shop.sync(dataclasses.replace(shop.settings, window_target=10_000))
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, InconsistentListError), report.error
    # Two pages per window (the second shows it does not move on), twice (listed again).
    assert shop.proxy.count(LIST_REQUESTS) <= WINDOWS * 2 * 2
    assert shop.checked_stored().cursor is None
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


def _far_last(body: Any, request: ProxiedRequest) -> Any:
    """A full page's last form claims to be bought in the year 9999: far past the window."""
    forms = body["checkoutForms"]
    if len(forms) == int(request.params["limit"][0]):
        for item in forms[-1]["lineItems"]:
            item["boughtAt"] = "9999-12-31T23:59:59.999Z"
    return body


async def test_a_last_form_bought_past_the_window_skips_no_order(make_shop: MakeShop) -> None:
    """A keyset position taken from a time past the window's end would end the window at
    once; such a page is paged on by offset instead, and no order goes missing."""
    shop = make_shop(orders=1200, seed=63, proxy=True)
    assert shop.proxy is not None
    rule = shop.proxy.add(Rule(path=LIST, json=_far_last))
    report = await shop.sync()
    assert shop.proxy.hits(rule) > 0
    # Every order arrives (the rewritten ones as the proxy said: compared by id only).
    stored = Stored.read(shop.database.path, shop.account.key)
    assert set(stored.forms) == set(shop.emulator_forms())
    assert report.succeeded or isinstance(report.cause, InconsistentListError), report.error
    shop.proxy.clear()
    healed = await shop.sync()
    assert healed.succeeded, healed.error
    # The rewritten forms stay as the proxy told them (a purchase in the year 9999 is still a
    # date, stored as received) until Allegro changes them; no order is missing.
    assert set(Stored.read(shop.database.path, shop.account.key).forms) == set(
        shop.emulator_forms())


async def test_an_element_that_is_no_object_spoils_only_itself(make_shop: MakeShop) -> None:
    """A list page (and a journal page) with an element that is not an object: the element
    is kept aside, every order of the page arrives, and later syncs go on."""
    shop = make_shop(orders=300, seed=64, proxy=True)
    assert shop.proxy is not None

    def add_junk(name: str) -> Any:
        def rewrite(body: Any, request: ProxiedRequest) -> Any:
            if body[name]:
                body[name].insert(1, ["not", "an", "object"])
            return body
        return rewrite

    lists = shop.proxy.add(Rule(path=LIST, json=add_junk("checkoutForms"), times=3))
    report = await shop.sync()
    assert shop.proxy.hits(lists) == 3
    assert report.succeeded, report.error
    assert report.malformed >= 3
    assert set(shop.checked_stored().forms) == set(shop.emulator_forms())
    shop.emu.control("POST", "/orders", {"count": 4})
    events = shop.proxy.add(Rule(path=r"^/order/events$", json=add_junk("events"), times=1))
    report = await shop.sync()
    assert shop.proxy.hits(events) == 1
    assert report.succeeded, report.error
    assert report.new == 4
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()
