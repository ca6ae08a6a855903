"""The sync engine against the emulator over real HTTP, into a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text

from allegro_desktop.storage import RunKind, RunOutcome, first_fill
from allegro_desktop.sync import SyncProgress
from tests.helpers.rollups import assert_exact
from tests.helpers.synced_shop import MakeShop


async def test_first_sync_stores_exactly_what_allegro_has(make_shop: MakeShop) -> None:
    shop = make_shop(orders=600, seed=3)
    seen: list[SyncProgress] = []
    report = await shop.sync(progress=seen.append)
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.kind == RunKind.BACKFILL
    assert report.new == 600
    shop.assert_in_sync()
    state = shop.state.get_sync_state(shop.account.key)
    assert state.backfill_done
    assert state.event_cursor == shop.journal_ids()[-1]  # event-stats' latest, read first
    assert seen
    assert seen[-1].new == 600
    runs = shop.state.runs(shop.account.key)
    assert [(r.kind, r.outcome) for r in runs] == [(RunKind.BACKFILL, RunOutcome.SUCCEEDED)]
    assert runs[0].metrics.new == 600
    assert runs[0].metrics.requests == report.requests > 0


async def test_a_first_sync_builds_indexes_and_statistics_once_at_its_end(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=400, seed=5)

    def set_aside() -> bool:
        with shop.database.read() as connection:
            return first_fill.catch_up_due(connection)

    during: list[bool] = []
    report = await shop.sync(progress=lambda _progress: during.append(set_aside()))
    assert report.new == 400
    assert True in during  # the back-fill stored its orders with the upkeep set aside
    assert not set_aside()
    with shop.database.read() as connection:
        assert connection.scalar(text(
            "SELECT count(*) FROM sqlite_master WHERE name = 'ix_orders_bought_at'")) == 1
    assert_exact(shop.database)
    shop.emu.control("POST", "/orders", {"count": 5})
    report = await shop.sync()  # incremental: over stored orders nothing is set aside
    assert report.new == 5
    assert not set_aside()
    assert_exact(shop.database)


async def test_a_first_sync_stores_the_newest_orders_first(make_shop: MakeShop) -> None:
    """The back-fill lists its newest window first, and a window split for holding too many
    orders lists its parts newest first too (the window shows a seller this month's orders
    while the older ones come): one window at a time, the first page stored is of the last
    month, though that month was split."""
    shop = make_shop(orders=1500, seed=6)
    first_page: list[tuple[int, int]] = []

    def stored(progress: SyncProgress) -> None:
        if progress.new and not first_page:
            with shop.database.read() as connection:
                first_page.append(tuple(connection.execute(text(
                    "SELECT min(bought_at), max(bought_at) FROM orders")).one()))

    settings = replace(shop.settings, window_concurrency=1, window_target=100)
    report = await shop.sync(settings, progress=stored)
    assert report.new == 1500
    with shop.database.read() as connection:
        newest = connection.scalar(text("SELECT max(bought_at) FROM orders"))
    ((oldest_stored, newest_stored),) = first_page
    assert newest - oldest_stored < settings.window_days * 86_400_000
    assert newest_stored > newest - 86_400_000 * 3


async def test_second_sync_changes_nothing(make_shop: MakeShop) -> None:
    shop = make_shop(orders=300, seed=4)
    await shop.sync()
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.kind == RunKind.INCREMENTAL
    assert (report.new, report.updated, report.gone) == (0, 0, 0)
    assert report.to_json()["new"] == 0
    shop.assert_in_sync()


def _unpaid(shop: Any, count: int) -> list[str]:
    """Brand-new unpaid orders of one buyer (so they can also be merged)."""
    buyer = {"id": "777000111", "login": "kupujaca_test", "email": "k@example.pl",
             "guest": False}
    ids = []
    for _ in range(count):
        form = shop.emu.control("POST", "/orders", {"checkoutForm": {
            "status": "BOUGHT", "buyer": buyer, "marketplace": {"id": "allegro-pl"}}})
        ids.append(form["checkoutForms"][0]["id"])
    return ids


async def test_every_kind_of_change_arrives(make_shop: MakeShop) -> None:
    shop = make_shop(orders=300, seed=5)
    await shop.sync()
    emu = shop.emu
    # Bought 8+ days ago and unpaid: the clock advance auto-cancels them.
    stale = _unpaid(shop, 2)
    emu.advance(8 * 86400)
    new = emu.control("POST", "/orders", {"count": 5})["checkoutForms"]
    fresh = _unpaid(shop, 6)
    emu.control("POST", f"/orders/{fresh[0]}/pay")
    emu.control("POST", f"/orders/{fresh[1]}/cancel", {"by": "buyer"})
    emu.control("POST", f"/orders/{fresh[2]}/address", {})
    merged = emu.control("POST", "/orders/merge", {"ids": fresh[3:5]})
    before = shop.orders.raw_form(new[0]["id"])
    assert before is None
    # A fulfillment change of an order stored by the first sync: updatedAt does not move.
    old = next(f for f in shop.stored_forms().values()
               if f["status"] == "READY_FOR_PROCESSING"
               and (f.get("fulfillment") or {}).get("status") == "NEW")
    emu.control("POST", f"/orders/{old['id']}/fulfillment", {"status": "PROCESSING"})
    assert shop.emulator_forms()[old["id"]]["updatedAt"] == old["updatedAt"]

    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    shop.assert_in_sync()
    stored = shop.stored_forms()
    assert stored[old["id"]]["fulfillment"]["status"] == "PROCESSING"
    assert all(stored[i]["status"] == "CANCELLED" for i in stale)
    assert stored[fresh[0]]["status"] == "READY_FOR_PROCESSING"
    assert stored[fresh[1]]["status"] == "CANCELLED"
    assert stored[merged["id"]]["status"] == "FILLED_IN"
    assert set(fresh[3:5]) <= shop.orders.gone_form_ids(shop.account.key)
    assert report.gone == 2  # the merged-away ones: their events' forms answer 404
    assert report.new == 2 + 5 + (6 - 2) + 1
    assert report.updated >= 1


async def test_orders_merged_after_they_were_stored_become_gone(make_shop: MakeShop) -> None:
    shop = make_shop(orders=50, seed=6)
    ids = _unpaid(shop, 2)
    await shop.sync()
    assert set(ids) <= set(shop.stored_forms())
    merged = shop.emu.control("POST", "/orders/merge", {"ids": ids})
    # No event names the old ids: the re-scan of recent days finds them missing from the list.
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert set(ids) <= shop.orders.gone_form_ids(shop.account.key)
    assert merged["id"] in shop.stored_forms()
    shop.assert_in_sync()


async def test_journal_quirks_change_nothing(make_shop: MakeShop) -> None:
    shop = make_shop(orders=200, seed=8)
    await shop.sync()
    bootstrap_cursor = int(shop.state.get_sync_state(shop.account.key).event_cursor or 0)
    shop.emu.control("POST", "/quirks", {"duplicate_rfp": 1.0, "out_of_order": 1.0,
                                         "missing_early": 1.0})
    shop.emu.control("POST", "/orders", {"count": 20})
    unpaid = _unpaid(shop, 3)
    for form_id in unpaid:
        shop.emu.control("POST", f"/orders/{form_id}/pay")
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    shop.assert_in_sync()
    again = await shop.sync()
    assert (again.new, again.updated) == (0, 0)
    # Every event since the bootstrap cursor stored exactly once (a duplicated RFP has an id
    # of its own), the cursor at the journal's last event.
    journal = shop.journal_ids()
    assert report.cursor == journal[-1]
    stored = _stored_event_ids(shop)
    assert {i for i in journal if int(i) > bootstrap_cursor} == stored
    assert shop.orders.count_events(shop.account.key) == len(stored)


def _stored_event_ids(shop: Any) -> set[str]:
    from sqlalchemy import select

    from allegro_desktop.storage.schema import order_events

    with shop.database.read() as connection:
        return set(connection.scalars(select(order_events.c.event_id)))


async def test_more_than_10000_orders_in_a_month(make_shop: MakeShop) -> None:
    shop = make_shop(orders=12000, history_days=30, seed=9)
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == 12000
    shop.assert_in_sync()
    print(f"12000 orders: {report.duration:.1f} s, {report.requests} requests, "
          f"phases {report.phases}")


async def test_cursor_older_than_the_journal_recovers(make_shop: MakeShop) -> None:
    shop = make_shop(orders=300, seed=10)
    await shop.sync()
    old = next(f for f in shop.stored_forms().values()
               if f["status"] == "READY_FOR_PROCESSING"
               and (f.get("fulfillment") or {}).get("status") == "NEW")
    shop.emu.control("POST", f"/orders/{old['id']}/fulfillment", {"status": "SENT"})
    shop.emu.control("POST", "/orders", {"count": 10})
    shop.emu.advance(61 * 86400)  # the events above leave the journal
    shop.emu.control("POST", "/orders", {"count": 3})
    report = await shop.sync()
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.kind == RunKind.RESCAN
    assert report.new == 13
    shop.assert_in_sync()
    assert shop.stored_forms()[old["id"]]["fulfillment"]["status"] == "SENT"
    assert (await shop.sync()).kind == RunKind.INCREMENTAL


async def test_cancel_between_pages(make_shop: MakeShop) -> None:
    import asyncio

    shop = make_shop(orders=500, seed=12)
    cancel = asyncio.Event()

    def progress(update: SyncProgress) -> None:
        if update.pages >= 2:
            cancel.set()

    report = await shop.sync(progress=progress, cancel=cancel)
    assert report.outcome == RunOutcome.CANCELLED
    assert not shop.state.get_sync_state(shop.account.key).backfill_done
    report = await shop.sync()  # the back-fill simply runs again
    assert report.succeeded, report.error
    shop.assert_in_sync()


async def test_revoked_authorization_fails_calmly(make_shop: MakeShop) -> None:
    from allegro_desktop.domain.accounts import AccountState

    shop = make_shop(orders=30, seed=13)
    shop.emu.control("POST", "/tokens/revoke", {})
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert report.error
    assert "connect" in report.error.lower()
    account = shop.services.registry.get(shop.account.key)
    assert account is not None
    assert account.state is AccountState.RECONNECT_NEEDED
    assert shop.state.runs(shop.account.key)[0].outcome == RunOutcome.FAILED
    assert shop.state.get_sync_state(shop.account.key).last_error == report.error


async def test_rate_limit_stops_with_the_cursor_at_the_last_page(make_shop: MakeShop) -> None:
    shop = make_shop(orders=100, seed=14)
    await shop.sync()
    cursor = shop.state.get_sync_state(shop.account.key).event_cursor
    shop.emu.control("POST", "/orders", {"count": 4})
    shop.emu.control("POST", "/faults", {"script": ["429"]})
    report = await shop.sync()
    assert report.outcome == RunOutcome.FAILED
    assert "slow down" in (report.error or "")
    assert shop.state.get_sync_state(shop.account.key).event_cursor == cursor
    # the 429 is counted, reported and recorded with the run (the Sync log's column)
    assert report.rate_limited == 1
    assert report.to_json()["rate_limited"] == 1
    latest, clean = shop.state.runs(shop.account.key)[:2]
    assert (latest.metrics.rate_limited, clean.metrics.rate_limited) == (1, 0)


async def test_sync_all_accounts_keeps_sellers_apart(make_shop: MakeShop) -> None:
    from allegro_desktop.sync import sync_all_accounts
    from tests.helpers.synced_shop import FAST_RETRY, connect

    shop = make_shop(orders=150, sellers=2, seed=15)
    sellers = list(shop.emu.emulator.store.sellers.values())
    second = connect(shop.emu, shop.services, sellers[1].seller.login)
    reports = [result.report for result in await sync_all_accounts(
        shop.services, shop.database, settings=shop.settings, clock=shop.now,
        retry=FAST_RETRY)]
    assert [r.account_key for r in reports] == [shop.account.key, second.key]
    assert all(r.succeeded for r in reports), [r.error for r in reports]
    assert [r.new for r in reports] == [150, 50]
    assert all(r.requests > 0 for r in reports)
    for account, seller in zip((shop.account, second), sellers, strict=True):
        dump = shop.emu.control("GET", f"/checkout-forms?seller={seller.seller.id}")
        expected = {f["id"]: f for f in dump["checkoutForms"]}
        stored = {f["id"]: f for f in shop.orders.raw_forms(account.key)}
        assert stored == expected


async def test_sync_all_accounts_records_an_account_that_cannot_start_in_one_line(
        make_shop: MakeShop, monkeypatch: pytest.MonkeyPatch) -> None:
    """An account whose environment has no client credentials: a FAILED report whose reason
    is the error's one line (`AppError.detailed_message`, as the sync worker records it); the
    other account syncs."""
    from allegro_desktop.auth.errors import MissingCredentialsError
    from allegro_desktop.domain.accounts import Account
    from allegro_desktop.sync import SyncProblem, sync_all_accounts
    from tests.helpers.synced_shop import FAST_RETRY

    for name in ("ALLEGRO_SANDBOX_CLIENT_ID", "ALLEGRO_SANDBOX_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    shop = make_shop(orders=20, seed=16)
    sandbox = Account(seller_id="777", login="sandbox-seller", environment="sandbox")
    shop.services.registry.add_or_update(sandbox)
    results = {result.account_key: result for result in await sync_all_accounts(
        shop.services, shop.database, settings=shop.settings, clock=shop.now,
        retry=FAST_RETRY)}
    reports = {key: result.report for key, result in results.items()}
    assert reports[shop.account.key].succeeded
    failed = reports[sandbox.key]
    assert isinstance(failed.cause, MissingCredentialsError)
    assert failed.error == failed.cause.detailed_message
    assert failed.error.startswith(failed.cause.user_message.split(". ")[0])
    assert "\n" not in failed.error
    # The same result the window's sync thread gets: what it shows is the error's own text.
    assert results[sandbox.key].message == failed.cause.user_text
    assert results[sandbox.key].problem is SyncProblem.ERROR
