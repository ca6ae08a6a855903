"""A seller's app facing a real emulator (`Shop`): an account connected through the device flow
(`connect`), its tokens in an in-memory keyring, a real SQLite file, engines over real HTTP, and
what was stored compared with the emulator (`assert_in_sync`, `checked_stored`,
`assert_exact`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.api.limits import API_LIMITS, NetworkLimits
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.config.app_services import AppServices
from allegro_desktop.domain.accounts import Account
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from allegro_desktop.sync import RequestCounter, SyncEngine, SyncReport, SyncSettings
from tests.helpers.emulator import RunningEmulator
from tests.helpers.hostile_proxy import HostileProxy
from tests.helpers.sync_truth import Stored, Truth, assert_consistent, assert_exact

#: Retries without real waiting: the emulator's faults are instant.
FAST_RETRY = RetryPolicy(base_delay=0.005, max_delay=0.02)


def connect(emu: RunningEmulator, services: AppServices, seller: str | None = None) -> Account:
    """Connect the emulator's (first) seller: a real device flow, tokens saved, registered."""
    tokens = emu.login(seller)
    environment = services.environment(emu.base_url)
    me = emu.api(tokens["access_token"], "/me").json()
    account = Account(seller_id=str(me["id"]), login=me["login"], environment=environment.key)
    now = time.time()
    services.store.save(account.key, TokenPair(
        access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
        access_expires_at=now + tokens["expires_in"], refresh_expires_at=now + 90 * 86400,
        scope=tokens.get("scope", "")))
    services.registry.add_or_update(account)
    return account


@dataclass
class Shop:
    """One seller's app (database + connection) facing one emulator."""

    emu: RunningEmulator
    services: AppServices
    account: Account
    database: Database
    orders: OrderRepository
    state: SyncStateRepository
    settings: SyncSettings
    #: The hostile proxy the app talks to Allegro through (`make_shop(proxy=True)`), else None.
    proxy: HostileProxy | None = None

    def now(self) -> Any:
        return self.emu.emulator.clock.now()

    async def sync(self, settings: SyncSettings | None = None, *,
                   retry: RetryPolicy = FAST_RETRY, timeout: httpx.Timeout | None = None,
                   limits: NetworkLimits = API_LIMITS, **run: Any) -> SyncReport:
        counter = RequestCounter()
        async with make_http_client(timeout=timeout) as http:
            counter.install(http)
            client = AllegroClient(self.services.environment(self.account.environment),
                                   http=http, tokens=self.services.token_provider(self.account),
                                   governor=self.services.governor, retry=retry,
                                   limits=limits)
            engine = SyncEngine(account_key=self.account.key, client=client,
                                orders=self.orders, state=self.state,
                                settings=settings or self.settings, clock=self.now,
                                counter=counter)
            return await engine.run(**run)

    def emulator_forms(self) -> dict[str, dict[str, Any]]:
        forms = self.emu.control("GET", "/checkout-forms")["checkoutForms"]
        return {form["id"]: form for form in forms}

    def stored_forms(self) -> dict[str, dict[str, Any]]:
        gone = self.orders.gone_form_ids(self.account.key)
        return {form["id"]: form for form in self.orders.raw_forms(self.account.key)
                if form["id"] not in gone}

    def assert_in_sync(self) -> None:
        """Stored (not gone) forms == the emulator's authoritative dump, field by field."""
        expected, stored = self.emulator_forms(), self.stored_forms()
        assert sorted(stored) == sorted(expected), (
            f"missing {sorted(set(expected) - set(stored))[:5]}, "
            f"extra {sorted(set(stored) - set(expected))[:5]}")
        for form_id, form in expected.items():
            mine = stored[form_id]
            differing = sorted(k for k in form.keys() | mine.keys() if form.get(k) != mine.get(k))
            assert not differing, f"{form_id}: {differing}"

    def checked_stored(self) -> Stored:
        """What the database holds, read without the app's code, checked consistent with the
        emulator (`sync_truth.assert_consistent`: what holds at any instant, the cursor never
        ahead of its orders)."""
        stored = Stored.read(self.database.path, self.account.key)
        assert_consistent(stored, Truth.read(self.emu))
        return stored

    def assert_exact(self) -> None:
        """The end state of a finished sync (`sync_truth.assert_exact`): the database, read
        without the app's code, holds exactly the emulator's orders, nothing pending, the
        cursor at the journal's last event, the journal without gaps. Stricter than
        `assert_in_sync`, which compares the forms only, as the app reads them."""
        assert_exact(self.checked_stored(), Truth.read(self.emu))

    def journal_ids(self) -> list[str]:
        """Every event id the emulator's journal still serves, through the real API."""
        token = self.emu.login()["access_token"]
        ids: list[str] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 1000} | ({"from": cursor} if cursor else {})
            events = self.emu.api(token, "/order/events", params).json()["events"]
            if not events:
                return ids
            ids += [event["id"] for event in events]
            cursor = events[-1]["id"]


MakeShop = Callable[..., Shop]
