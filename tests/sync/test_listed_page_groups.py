"""Listed pages are stored a few together (`SyncRun.store_listed`): several windows' pages in
one transaction, the back-fill's progress in the same one — so that, at any moment, the
progress never counts an order the database does not hold — and what was listed before a
failure is kept."""

from __future__ import annotations

import math
import re
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from urllib.parse import urlencode

import orjson
import pytest

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.storage import (
    Database,
    DatabaseLockedError,
    OrderRepository,
    RunKind,
    RunOutcome,
    SyncStateRepository,
)
from allegro_desktop.sync import SyncProgress, SyncSettings
from allegro_desktop.sync import run as sync_run
from allegro_desktop.sync.run import SyncRun
from allegro_desktop.sync.windows import BOUGHT_AT, BackfillProgress, iso, windows_between
from tests.helpers.hostile_proxy import Rule
from tests.helpers.sync_truth import Truth
from tests.helpers.synced_shop import MakeShop, Shop

SETTINGS = SyncSettings(rescan_interval=timedelta(days=3650), history_days=200, window_days=20,
                        window_concurrency=3)
LIST = "/order/checkout-forms"


@pytest.fixture
def groups_of_300(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups closed by their size only, whatever the machine's speed."""
    monkeypatch.setattr(sync_run, "GROUP_ORDERS", 300)
    monkeypatch.setattr(sync_run, "GROUP_SECONDS", math.inf)


def _bought_ms(form: bytes) -> int:
    """A form's place in the back-fill's windows: its latest line item's purchase, in ms."""
    items = orjson.loads(form)["lineItems"]
    return max(int(datetime.fromisoformat(item["boughtAt"]).timestamp() * 1000)
               for item in items)


def _counted_but_not_stored(shop: Shop, truth: Truth) -> list[str]:
    """The orders inside the spans the saved progress counts as listed that the database does
    not hold (read with plain sqlite3, as a killed process would leave it)."""
    with closing(sqlite3.connect(shop.database.path)) as db:
        row = db.execute("SELECT backfill_progress FROM sync_state WHERE account_key = ?",
                         (shop.account.key,)).fetchone()
        stored = {order_id for (order_id,) in db.execute("SELECT id FROM orders")}
    if row is None or row[0] is None:
        return []
    spans = orjson.loads(row[0])["covered"]
    return [form_id for form_id, form in truth.forms.items()
            if any(start <= _bought_ms(form) < end for start, end in spans)
            and form_id not in stored]


@pytest.mark.usefixtures("groups_of_300")
async def test_a_backfill_stores_pages_together_and_its_progress_never_runs_ahead(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=1500, seed=31, settings=SETTINGS)
    truth = Truth.read(shop.emu)
    totals: list[int] = []
    pages: list[int] = []
    ahead: list[str] = []

    def progress(update: SyncProgress) -> None:
        totals.append(update.new)
        pages.append(update.pages)
        ahead.extend(_counted_but_not_stored(shop, truth))

    report = await shop.sync(progress=progress)
    assert report.outcome == RunOutcome.SUCCEEDED, report.error
    assert report.new == 1500
    assert not ahead, f"the progress counted orders not stored yet: {ahead[:3]}"
    # 300 orders a transaction while several windows are listed (three at a time), a page at
    # a time only for the last window: about a third as many stores as pages
    stores = len(set(totals) - {0})
    assert max(pages) >= 15
    assert stores <= max(pages) // 2 + 2, (stores, max(pages))
    shop.assert_exact()


@pytest.mark.usefixtures("groups_of_300")
async def test_what_was_listed_before_a_window_fails_is_kept_and_the_next_run_completes_it(
        make_shop: MakeShop) -> None:
    """One window's list keeps failing (Allegro's 500s past the retries): the pages the other
    windows listed meanwhile, still waiting to be stored together, are stored with their
    progress; the next run lists only what is missing and ends exact."""
    shop = make_shop(orders=1500, seed=32, settings=SETTINGS, proxy=True)
    assert shop.proxy is not None
    truth = Truth.read(shop.emu)
    # the windows the back-fill lists, newest first (`SyncEngine._bootstrap`); the second
    # oldest, a whole one, fails: the others are listed by then, or under way
    now = shop.now()
    windows = windows_between(BOUGHT_AT, now - timedelta(days=SETTINGS.history_days),
                              now + timedelta(days=1), SETTINGS.window_days)
    # its end to the hour (the test's clock runs from a fixed moment, `TEST_EPOCH`)
    failing = urlencode({f"{BOUGHT_AT}.lte": iso(windows[-2].end)[:13]})
    shop.proxy.add(Rule(path=LIST, query=re.escape(failing), status=500))
    first = await shop.sync()
    assert first.outcome == RunOutcome.FAILED
    stored = shop.checked_stored()
    assert 600 <= len(stored.forms) < 1500
    assert not _counted_but_not_stored(shop, truth)
    shop.proxy.clear()
    second = await shop.sync()
    assert second.outcome == RunOutcome.SUCCEEDED, second.error
    assert second.new == 1500 - len(stored.forms)
    shop.assert_exact()


@pytest.mark.usefixtures("groups_of_300")
async def test_no_progress_is_saved_after_a_group_could_not_be_stored(
        make_shop: MakeShop) -> None:
    """A group's write fails (the database locked past its busy timeout by another program):
    its pages are lost to the run, which fails. A window still being listed then stores its
    next page in `flush` — with the back-fill's progress as it stands, it would count the
    windows of the lost group, and the next run would never list them again. Those pages are
    stored; the progress is not."""
    shop = make_shop(orders=400, seed=33, settings=SETTINGS)
    forms = sorted(shop.emulator_forms().values(), key=lambda form: form["id"])
    lost, kept = forms[:200], forms[200:]
    now = shop.now()
    older, newer = windows_between(BOUGHT_AT, now - timedelta(days=40), now, 20)[::-1]
    # a busy timeout of a tenth of a second: the lock below outlasts it, whatever the machine
    database = Database.open(shop.database.path, busy_timeout=0.1)
    state = SyncStateRepository(database=database)
    try:
        async with make_http_client() as http:
            run = SyncRun(
                account_key=shop.account.key, client=AllegroClient(
                    shop.services.environment(shop.account.environment), http=http,
                    tokens=shop.services.token_provider(shop.account),
                    governor=shop.services.governor),
                orders=OrderRepository(database=database), state=state, settings=SETTINGS,
                clock=shop.now, counter=None, kind=RunKind.BACKFILL, now=now, progress=None,
                cancel=None, told=frozenset())
            run.start()
            run.windows_open = 2  # two windows being listed: pages wait to be stored together
            progress = BackfillProgress(cursor=None, stats_read_at=now)
            run.store_listed(run.parse_forms(lost))
            progress.listed(older)
            run.backfill_moved(progress)
            with closing(sqlite3.connect(shop.database.path)) as other:
                other.execute("BEGIN IMMEDIATE")
                with pytest.raises(DatabaseLockedError):
                    run.flush()
                other.rollback()
            run.store_listed(run.parse_forms(kept))
            progress.listed(newer)
            run.backfill_moved(progress)
            run.flush()
        saved = state.get_sync_state(shop.account.key).backfill_progress
        stored = {form["id"] for form in OrderRepository(database=database).raw_forms(
            shop.account.key)}
    finally:
        database.close()
    assert saved is None, f"a progress counting the lost pages was saved: {saved}"
    assert stored == {form["id"] for form in kept}
