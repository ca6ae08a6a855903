"""Property: whatever happens in a shop — purchases, payments, parcels moving, cancellations,
address changes, merged purchases, days and months passing (unpaid orders auto-cancelled after
7 days, the journal forgetting after 60), journal quirks (duplicated, reordered and missing
events), syncs failing half-way — and whenever the app syncs, the next sync leaves the database
holding exactly what Allegro has.

Three ways to sync: the app's defaults (re-scan at most hourly, by the emulator's clock), a
re-scan in every run, and none at all (`journal`: the event journal alone must carry every
change — a re-scan in every run, as the other sync tests use, hides journal bugs). Some
examples also use small back-fill windows, so windows are split.

Every example is a fresh emulator (in this process, over real HTTP) and a fresh database.
Derandomized: CI runs the same examples every time.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.emulator.generator import FULFILLMENT_STATUSES
from allegro_desktop.emulator.runner import EmulatorServer
from allegro_desktop.emulator.store import Quirks
from allegro_desktop.storage import Database, OrderRepository, RunKind, SyncStateRepository
from allegro_desktop.sync import SyncReport, SyncSettings
from tests.helpers.emulator import TEST_EPOCH, RunningEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sync_truth import (
    Stored,
    Truth,
    assert_exact,
    new_unpaid,
    seller_store,
)
from tests.helpers.synced_shop import MakeShop, Shop, connect

NEVER = timedelta(days=100_000)
PROFILES = {
    "defaults": SyncSettings(),
    "rescan every run": SyncSettings(rescan_interval=timedelta(0)),
    "journal only": SyncSettings(rescan_interval=NEVER),
    "journal only, small windows": SyncSettings(rescan_interval=NEVER, window_days=7,
                                                window_target=100),
}
QUIRKS = {
    "none": Quirks(),
    "realistic": Quirks.realistic(),
    "all": Quirks.everything(),
}
BUYER = 7  # the buyer of `buy unpaid`, whose unpaid orders can be merged
DAY = 86400

Step = tuple[Any, ...]
#: Changes of the shop (also made while a sync runs, see `sync amid changes`).
changes = st.one_of(
    st.tuples(st.just("buy"), st.integers(1, 30)),
    st.tuples(st.just("buy unpaid"), st.integers(1, 4)),
    # Bought days ago, its BOUGHT and FILLED_IN never recorded: the journal first names it
    # when it is paid (ALLEGRO-API.md §7.6).
    st.tuples(st.just("bought earlier"), st.integers(1, 6), st.integers(1, 6)),
    st.tuples(st.just("pay"), st.integers(0, 999)),
    st.tuples(st.just("ship"), st.integers(0, 999), st.sampled_from(FULFILLMENT_STATUSES)),
    st.tuples(st.just("ship many"), st.integers(10, 60)),
    st.tuples(st.just("cancel"), st.integers(0, 999)),
    st.tuples(st.just("change address"), st.integers(0, 999)),
    st.tuples(st.just("merge"), st.integers(2, 3)),
)
steps = st.one_of(
    changes,
    st.tuples(st.just("sync")),
    st.tuples(st.just("sync amid changes"), st.lists(changes, min_size=1, max_size=4)),
    st.tuples(st.just("time passes"),
              st.sampled_from([600, 3600, DAY, 3 * DAY, 8 * DAY, 20 * DAY, 61 * DAY])),
    st.tuples(st.just("quirks"), st.sampled_from(list(QUIRKS))),
    # Allegro failing for a while: a sync that meets a burst of failures (after some good
    # answers), or one order that keeps failing (it changes first, so the journal names it).
    st.tuples(st.just("failing sync"), st.integers(0, 12),
              st.sampled_from(["500", "502", "503", "drop", "truncate"]),
              st.sampled_from([4, 12, 40])),
    st.tuples(st.just("failing order"), st.integers(0, 999),
              st.sampled_from(["error_rate", "drop_rate", "truncate_rate"])),
)
scenarios = st.fixed_dictionaries({
    "orders": st.sampled_from([0, 40, 150]),
    "quirks": st.sampled_from(list(QUIRKS)),  # also shape the generated history
    "profile": st.sampled_from(list(PROFILES)),
    "synced first": st.booleans(),  # the app back-filled the shop before the steps
    "steps": st.lists(steps, min_size=1, max_size=14),
})


@contextmanager
def _shop(orders: int, quirks: Quirks, profile: SyncSettings) -> Iterator[Shop]:
    """A fresh emulator and a fresh app (database, connected account) for one example."""
    with ExitStack() as stack:
        emulator = Emulator(EmulatorConfig(orders=orders, seed=orders + 5, history_days=100,
                                           now=TEST_EPOCH, quirks=quirks))
        server = stack.enter_context(EmulatorServer(emulator))
        http = stack.enter_context(httpx.Client(base_url=server.base_url, timeout=10))
        emu = RunningEmulator(emulator, server.base_url, http)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        services = open_app_services(resolve_paths(folder),
                                     store=TokenStore(backend=MemoryKeyring()))
        account = connect(emu, services)
        database = stack.enter_context(Database.open(folder / "orders.sqlite3",
                                                     clock=emulator.clock.now))
        yield Shop(emu, services, account, database, OrderRepository(database=database),
                   SyncStateRepository(database=database), profile)


def _ids(emu: RunningEmulator, *statuses: str, buyer: str | None = None) -> list[str]:
    with seller_store(emu) as seller:
        return sorted(r.id for r in seller.orders.values() if r.status in statuses
                      and buyer in (None, r.buyer_login))


def _pick(emu: RunningEmulator, index: int, *statuses: str) -> str | None:
    """The id of one order in `statuses` (by index, in id order), None if there is none."""
    ids = _ids(emu, *statuses)
    return ids[index % len(ids)] if ids else None


OPEN = ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING")


def _change(emu: RunningEmulator, step: Step) -> None:
    """One change of the shop, through the control API (skipped when nothing fits)."""
    kind = step[0]
    if kind == "buy":
        emu.control("POST", "/orders", {"count": step[1]})
    elif kind == "buy unpaid":
        new_unpaid(emu, step[1], buyer=BUYER)
    elif kind == "bought earlier":
        quirks = emu.control("GET", "/quirks")
        emu.control("POST", "/quirks", {"missing_early": 1.0, "out_of_order": 0.0})
        bought = (emu.emulator.clock.now() - timedelta(days=step[2])).isoformat()
        for _ in range(step[1]):
            emu.control("POST", "/orders", {"checkoutForm": {
                "status": "READY_FOR_PROCESSING", "marketplace": {"id": "allegro-pl"},
                "lineItems": [{"offer": {"id": "7654321", "name": "Konewka ogrodowa 10 l"},
                               "price": {"amount": "39.99", "currency": "PLN"},
                               "boughtAt": bought.replace("+00:00", "Z")}]}})
        emu.control("POST", "/quirks", quirks)
    elif kind == "pay" and (form_id := _pick(emu, step[1], "BOUGHT", "FILLED_IN")):
        emu.control("POST", f"/orders/{form_id}/pay")
    elif kind == "ship" and (form_id := _pick(emu, step[1], "READY_FOR_PROCESSING")):
        emu.control("POST", f"/orders/{form_id}/fulfillment", {"status": step[2]})
    elif kind == "ship many":
        for i, form_id in enumerate(_ids(emu, "READY_FOR_PROCESSING")[:step[1]]):
            emu.control("POST", f"/orders/{form_id}/fulfillment",
                        {"status": FULFILLMENT_STATUSES[i % len(FULFILLMENT_STATUSES)]})
    elif kind == "cancel" and (form_id := _pick(emu, step[1], *OPEN)):
        emu.control("POST", f"/orders/{form_id}/cancel", {"by": "buyer"})
    elif kind == "change address" and (form_id := _pick(emu, step[1], *OPEN)):
        emu.control("POST", f"/orders/{form_id}/address", {})
    elif kind == "merge":
        mine = _ids(emu, "BOUGHT", "FILLED_IN", buyer=f"kupujacy_{BUYER}")
        if len(mine) >= 2:
            emu.control("POST", "/orders/merge", {"ids": mine[:step[1]]})


class _Play:
    """Plays the steps of one example against its shop."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.whole_journal = True  # no recovery re-scan ran (no event was lost unread)
        self.advanced = 0

    async def sync(self, *, must_succeed: bool = True, **run: Any) -> SyncReport:
        report = await self.shop.sync(**run)
        assert report.succeeded or not must_succeed, report.error
        self.whole_journal &= report.kind != RunKind.RESCAN
        # Whatever happened, the rows agree and the cursor is not ahead of them.
        self.shop.checked_stored()
        return report

    async def step(self, step: Step) -> None:
        emu = self.shop.emu
        kind = step[0]
        if kind == "sync":
            await self.sync()
        elif kind == "sync amid changes":
            # The shop changes while the sync runs: one change after each page it stores.
            todo = list(step[1])
            await self.sync(progress=lambda _: todo and _change(emu, todo.pop(0)))
            for change in todo:
                _change(emu, change)
        elif kind == "failing sync":
            emu.control("POST", "/faults", {"script": ["ok"] * step[1] + [step[2]] * step[3]})
            await self.sync(must_succeed=False)
            emu.control("DELETE", "/faults")
        elif kind == "failing order":
            form_id = _pick(emu, step[1], *OPEN)
            if form_id is None:
                return
            emu.control("POST", f"/orders/{form_id}/address", {})
            emu.control("POST", "/orders", {"count": 3})  # others the same page wants
            emu.control("POST", "/faults", {"paths": [f"/order/checkout-forms/{form_id}"],
                                            step[2]: 1.0})
            await self.sync(must_succeed=False)
            emu.control("DELETE", "/faults")
        elif kind == "time passes":
            if self.advanced + step[1] <= 150 * DAY:  # the app keeps 12 months in sync
                self.advanced += step[1]
                emu.advance(step[1])
        elif kind == "quirks":
            quirks = QUIRKS[step[1]].to_json()
            emu.control("POST", "/quirks", {k: quirks[k] for k in (
                "duplicate_rfp", "out_of_order", "missing_early")})
        else:
            _change(emu, step)


@settings(max_examples=32, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario=scenarios)
def test_any_history_of_changes_and_syncs_ends_in_sync(scenario: dict[str, Any]) -> None:
    with _shop(scenario["orders"], QUIRKS[scenario["quirks"]],
               PROFILES[scenario["profile"]]) as shop:
        play = _Play(shop)

        async def main() -> SyncReport:
            if scenario["synced first"]:
                await play.sync()
            for step in scenario["steps"]:
                await play.step(step)
            await play.sync()  # the sync after the last change
            return await play.sync()  # … and one with nothing to do

        again = asyncio.run(main())
        assert (again.new, again.updated, again.gone) == (0, 0, 0)
        truth = Truth.read(shop.emu)
        stored = Stored.read(shop.database.path, shop.account.key)
        # Only a re-scan tells that a stored purchase was merged into a later one (no event
        # names the old ids), and not always (see the test below): such a form may stay;
        # every other must match.
        for form_id in set(stored.forms) & truth.merged_ids:
            del stored.forms[form_id]
        assert_exact(stored, truth, whole_journal=play.whole_journal)


async def test_a_merge_is_noticed_after_days_without_a_sync(make_shop: MakeShop) -> None:
    """Found by the property above with a strict merge check: a buyer's two purchases are
    stored, merged into one an hour later, and the seller's computer is off for nine days."""
    shop = make_shop(PROFILES["rescan every run"], orders=50, seed=6)
    ids = new_unpaid(shop.emu, 2, buyer=BUYER)
    await shop.sync()
    shop.emu.advance(3600)
    merged = shop.emu.control("POST", "/orders/merge", {"ids": ids})
    shop.emu.advance(9 * DAY)
    report = await shop.sync()
    assert report.succeeded, report.error
    assert merged["id"] in shop.stored_forms()
    assert set(ids) <= shop.orders.gone_form_ids(shop.account.key)
    shop.assert_in_sync()
