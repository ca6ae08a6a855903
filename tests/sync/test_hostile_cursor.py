"""The event cursor against a hostile Allegro (through `HostileProxy`): event-stats ids that
are not ids, journal pages whose ids run far ahead, a cursor Allegro refuses (422), cursors an
older version stored, a journal that cannot be read. For each: the run ends, nothing stored is
lost, every other order arrives, the cursor never moves past an event it did not process (nor
to a value Allegro never gave), and once the fault stops the next sync equals the emulator.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.domain.errors import AppError
from allegro_desktop.storage import RunKind, RunOutcome
from allegro_desktop.sync import CursorRejectedError, JournalStuckError
from tests.helpers.hostile_proxy import ProxiedRequest, Rule
from tests.helpers.sync_truth import Truth, assert_exact, pay
from tests.helpers.synced_shop import MakeShop, Shop

EVENT_STATS = r"^/order/event-stats$"
EVENTS = r"^/order/events$"
FAR_AHEAD = "9999999999999999"  # 16 digits like Allegro's ids, but the year 2286
REFUSED = (b'{"errors": [{"code": "VALIDATION_ERROR", "message": "Invalid event id", '
           b'"userMessage": "Niepoprawne parametry zapytania"}]}')


def _changes(shop: Shop, count: int = 6) -> list[str]:
    """New orders and a payment: new events in the journal. The new orders' ids."""
    import random

    new = shop.emu.control("POST", "/orders", {"count": count})["checkoutForms"]
    pay(shop.emu, random.Random(count), 2)
    return [form["id"] for form in new]


def _kept_events(shop: Shop) -> list[dict[str, Any]]:
    return [r for r in shop.orders.unreadable_records(shop.account.key) if r["kind"] == "event"]


@pytest.mark.parametrize("latest", [
    {"id": "abc"}, {"id": {"id": "1"}}, {"id": 1.5}, {"id": "-5"}, {"id": ""}, {"id": None},
    {"id": FAR_AHEAD}, {"id": "00001764000000000"},
    b'{"latestEvent": {"id": 123456789012345678901234567890}}', b'{"latestEvent": "abc"}',
    b'{"latestEvent": {"id": "1764000000000000", "occurredAt": "2026-11-20T10:00:00Z"}',
], ids=["letters", "object", "float", "negative", "empty", "null", "far-ahead",
        "leading-zeros", "30-digits", "not-an-object", "cut-off"])
async def test_an_unusable_event_stats_id_is_never_stored(make_shop: MakeShop,
                                                           latest: Any) -> None:
    """The first sync reads the journal from its start instead; later syncs work."""
    shop = make_shop(orders=150, seed=51, proxy=True)
    assert shop.proxy is not None

    def answer(body: Any, request: ProxiedRequest) -> Any:
        if isinstance(latest, bytes):
            return latest
        return {"latestEvent": {**(body["latestEvent"] or {}), **latest}}

    rule = shop.proxy.add(Rule(path=EVENT_STATS, json=answer))
    report = await shop.sync()
    assert shop.proxy.hits(rule) == 1
    assert report.succeeded, report.error
    shop.assert_exact()  # every order, and the cursor at the journal's real last event
    _changes(shop)
    assert (await shop.sync()).succeeded  # the rule still there: event-stats is not asked
    shop.assert_exact()
    shop.proxy.clear()
    _changes(shop)
    assert (await shop.sync()).succeeded
    shop.assert_exact()


@pytest.mark.parametrize("bad_id", [FAR_AHEAD, "abc", {"id": 1}, 1.5, "-5", None, "0"])
async def test_an_event_id_far_ahead_never_parks_the_cursor(make_shop: MakeShop,
                                                            bad_id: Any) -> None:
    """Every journal page's last event gets an id the cursor must not take: the cursor stops
    at the last real one, the event is kept aside (once), its order still arrives, and the
    run is not a success: the journal cannot be read past it."""
    shop = make_shop(orders=150, seed=52, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    new = _changes(shop)
    journal = shop.journal_ids()

    def last_ahead(body: Any, request: ProxiedRequest) -> Any:
        if body["events"]:
            body["events"][-1]["id"] = bad_id
        return body

    shop.proxy.add(Rule(path=EVENTS, json=last_ahead))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, JournalStuckError), report.error
    assert report.error is not None
    assert "cannot read past" in report.error
    stored = shop.checked_stored()
    assert stored.cursor == journal[-2]  # the last event with a real id
    assert set(new) <= set(stored.forms)  # the kept-aside event's order too
    kept = _kept_events(shop)
    assert len(kept) == 1
    saved_at = shop.state.get_sync_state(shop.account.key).cursor_saved_at

    again = await shop.sync()  # the same page again: no loop, kept aside once
    assert again.outcome == RunOutcome.FAILED
    assert shop.checked_stored().cursor == journal[-2]
    assert len(_kept_events(shop)) == 1
    # The journal was never read to its end: the 55-day check must still see the old date.
    assert shop.state.get_sync_state(shop.account.key).cursor_saved_at == saved_at

    shop.proxy.clear()
    healed = await shop.sync()
    assert healed.succeeded, healed.error
    shop.assert_exact()


async def test_a_wrong_id_once_costs_nothing(make_shop: MakeShop) -> None:
    """A page whose last event's id runs far ahead once (and one in its middle): the cursor
    takes the last real id, the next page brings the real event, the run succeeds."""
    shop = make_shop(orders=150, seed=53, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    start = int(shop.state.get_sync_state(shop.account.key).event_cursor or 0)
    _changes(shop, 20)
    middle: list[str] = []

    def two_ahead(body: Any, request: ProxiedRequest) -> Any:
        events = body["events"]
        events[-1]["id"] = FAR_AHEAD
        middle.append(events[len(events) // 2]["id"])
        events[len(events) // 2]["id"] = str(10**18)
        return body

    rule = shop.proxy.add(Rule(path=EVENTS, json=two_ahead, times=1))
    report = await shop.sync()
    assert shop.proxy.hits(rule) == 1
    assert report.succeeded, report.error
    assert report.malformed == 2
    stored = shop.checked_stored()
    assert_exact(stored, Truth.read(shop.emu), whole_journal=False)
    # The middle event is kept aside, not in the journal (the cursor went past it); the last
    # one came again with its real id on the next page.
    read = [event_id for event_id in shop.journal_ids() if int(event_id) > start]
    assert [event_id for event_id in read if int(event_id) not in stored.event_ids] == middle
    assert len(_kept_events(shop)) == 2


async def test_a_cursor_allegro_refuses_is_recovered_by_a_rescan(make_shop: MakeShop) -> None:
    """422 on `from`: the re-scan of an expired cursor (fresh event-stats, whole history),
    then the journal from the fresh id."""
    shop = make_shop(orders=200, seed=54, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    _changes(shop)
    stats_before = shop.proxy.count(r"^GET /order/event-stats")
    refused = shop.proxy.add(Rule(path=EVENTS, query=r"(^|&)from=", status=422, times=1,
                                  local_body=REFUSED))
    report = await shop.sync()
    assert report.succeeded, report.error
    assert report.kind == RunKind.RESCAN
    assert shop.state.runs(shop.account.key, limit=1)[0].kind == RunKind.RESCAN
    assert shop.proxy.count(r"^GET /order/event-stats") == stats_before + 1
    assert shop.proxy.hits(refused) == 1
    shop.assert_exact()
    _changes(shop)
    after = await shop.sync()
    assert after.succeeded, after.error
    assert after.kind == RunKind.INCREMENTAL
    shop.assert_exact()


async def test_a_cursor_refused_again_after_the_rescan(make_shop: MakeShop) -> None:
    """Every `from` refused: after the re-scan the journal is read from its start (no
    `from`); its second page needs one, refused too: the run fails — once, no loop — with
    everything stored and the cursor on a real event; once Allegro takes `from` again, the
    next sync is exact."""
    shop = make_shop(orders=200, seed=54, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    new = _changes(shop)
    refused = shop.proxy.add(Rule(path=EVENTS, query=r"(^|&)from=", status=422,
                                  local_body=REFUSED))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, CursorRejectedError), report.error
    assert shop.proxy.hits(refused) == 3  # the old cursor, the fresh one, the second page
    stored = shop.checked_stored()
    assert set(new) <= set(stored.forms)
    assert stored.cursor in shop.journal_ids()
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


async def test_a_journal_refused_even_from_its_start_fails_the_run(make_shop: MakeShop) -> None:
    shop = make_shop(orders=120, seed=55, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    new = _changes(shop)
    shop.proxy.add(Rule(path=EVENTS, status=422, local_body=REFUSED))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert isinstance(report.cause, CursorRejectedError), report.error
    assert set(new) <= set(shop.checked_stored().forms)  # the re-scan brought them
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


@pytest.mark.parametrize("cursor", ["abc", "-5", "1.5", FAR_AHEAD, "", "0"])
async def test_a_cursor_an_older_version_stored_is_recovered(make_shop: MakeShop,
                                                             cursor: str) -> None:
    """What older versions could store (Allegro would refuse it for ever, or answer "nothing
    new" for ever): the next run re-scans instead of asking from it."""
    shop = make_shop(orders=150, seed=56, proxy=True)
    assert (await shop.sync()).succeeded
    state = shop.state.get_sync_state(shop.account.key)
    shop.state.save_sync_state(dataclasses.replace(state, event_cursor=cursor))
    new = _changes(shop)
    report = await shop.sync()
    assert report.succeeded, report.error
    assert report.kind == RunKind.RESCAN
    assert set(new) <= set(shop.stored_forms())
    shop.assert_exact()


@pytest.mark.parametrize("body", [{"events": "zepsute"}, b"<html>502</html>", b"[]"],
                         ids=["not-a-list", "not-json", "not-an-object"])
async def test_an_unreadable_journal_is_never_a_success(make_shop: MakeShop,
                                                        body: Any) -> None:
    shop = make_shop(orders=120, seed=57, proxy=True)
    assert shop.proxy is not None
    assert (await shop.sync()).succeeded
    cursor = shop.state.get_sync_state(shop.account.key).event_cursor
    _changes(shop)
    shop.proxy.add(Rule(path=EVENTS, json=lambda answer, request: body))
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert report.cause is not None
    # the app's own words for the seller, then the technical line once
    assert report.error == f"{report.cause.user_message} ({report.cause})"
    assert report.error.count(str(report.cause)) == 1
    assert shop.checked_stored().cursor == cursor
    shop.proxy.clear()
    assert (await shop.sync()).succeeded
    shop.assert_exact()


def test_a_run_error_is_one_line_that_never_repeats_itself() -> None:
    """`AppError.detailed_message`: what the worker and `sync_all_accounts` record."""
    assert AppError("Allegro is down").detailed_message == "Allegro is down"
    assert MalformedResponseError("GET /x: not JSON", trace_id="t-1",
                                  user_message="Unreadable.").detailed_message == \
        "Unreadable. (GET /x: not JSON (trace-id t-1))"
    assert AppError("GET /x -> 500", user_message="Allegro is having\ntrouble."
                    ).detailed_message == "Allegro is having trouble. (GET /x -> 500)"
    assert AppError("", user_message="Offline.").detailed_message == "Offline."
    assert AppError("GET /x -> 403: no\naccess", user_message="no access").detailed_message \
        == "GET /x -> 403: no access"


def test_a_run_error_quoting_what_is_not_text_is_text() -> None:
    """Allegro's words may hold a lone surrogate, a byte that was not UTF-8 (read with
    surrogateescape) or a terminal's control codes: the one line has escapes instead, and can
    be stored, logged and printed."""
    error = AppError("GET /x -> 403 \ud800", user_message="Brak \udcff \x1b[31mdost\u0119pu")
    assert error.detailed_message == "Brak \\xff \\x1b[31mdost\u0119pu (GET /x -> 403 \\ud800)"
    assert error.detailed_message.encode()
    assert error.user_message == "Brak \\xff \x1b[31mdost\u0119pu"  # a column: text, as is
