"""The account registry file, and connecting/disconnecting accounts end to end."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from allegro_desktop.api.environments import Environment
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry, connect_account, disconnect
from allegro_desktop.auth.credentials import resolve_environment
from allegro_desktop.auth.device_flow import DeviceFlow, FlowCancelledError, FlowState
from allegro_desktop.auth.errors import AccountsFileError
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.domain.accounts import Account, AccountState
from tests.helpers.auth_flow import EmulatorTime, a_pair, approve_first_pending
from tests.helpers.emulator import RunningEmulator

SHOP = Account("48213377", "DomOgrodPlus", "production")
OTHER = Account("51877240", "TechKącik", "sandbox", AccountState.RECONNECT_NEEDED)


@pytest.fixture
def registry(tmp_path: Path) -> AccountRegistry:
    return AccountRegistry(tmp_path / "config" / "accounts.json")


# -- the registry file -------------------------------------------------------------------------


def test_registry_round_trip(registry: AccountRegistry) -> None:
    assert registry.all() == []
    assert registry.get(SHOP.key) is None
    registry.add_or_update(SHOP)
    registry.add_or_update(OTHER)
    again = AccountRegistry(registry.path)  # e.g. the next start of the app
    assert again.all() == [SHOP, OTHER]
    assert again.get(OTHER.key) == OTHER

    renamed = Account(SHOP.seller_id, "DomOgrodPlus2", SHOP.environment)
    again.add_or_update(renamed)  # same key: replaced in place
    assert registry.all() == [renamed, OTHER]

    updated = registry.set_state(SHOP.key, AccountState.RECONNECT_NEEDED)
    assert updated is not None
    assert updated.state is AccountState.RECONNECT_NEEDED
    assert again.get(SHOP.key) == updated
    assert registry.set_state("production|nobody", AccountState.CONNECTED) is None

    registry.remove(OTHER.key)
    registry.remove(OTHER.key)  # twice is fine
    assert [a.key for a in again.all()] == [SHOP.key]

    data = json.loads(registry.path.read_text(encoding="utf-8"))
    assert data == {"format": 1, "accounts": [{
        "seller_id": "48213377", "login": "DomOgrodPlus2", "environment": "production",
        "state": "reconnect_needed"}]}


def test_writes_are_atomic(registry: AccountRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    registry.add_or_update(SHOP)
    before = registry.path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(AccountsFileError) as caught:
        registry.add_or_update(OTHER)
    monkeypatch.undo()
    assert str(registry.path) in caught.value.user_message
    assert "No space left on device" in caught.value.user_message
    assert registry.path.read_bytes() == before  # the previous version, whole
    assert [p.name for p in registry.path.parent.iterdir()] == ["accounts.json"]  # no leftovers
    assert registry.all() == [SHOP]


@pytest.mark.parametrize(("content", "problem"), [
    (b"{not json", "not valid JSON"),
    (b'{"format": 1}', "no list of accounts"),
    (b'{"accounts": []}', "format is not stated"),
    (b'{"format": 1, "accounts": [{"seller_id": "1"}]}', "account number 1 is incomplete"),
    (b'{"format": 1, "accounts": [{"seller_id": "1", "login": "x", "environment": "production",'
     b' "state": "sleeping"}]}', "account number 1 is incomplete"),
    (b"\xff\xfe\x00garbage", "not text"),
])
def test_a_damaged_file_is_reported_never_emptied(registry: AccountRegistry, content: bytes,
                                                  problem: str) -> None:
    registry.path.parent.mkdir(parents=True)
    registry.path.write_bytes(content)
    for call in (registry.all, lambda: registry.get(SHOP.key),
                 lambda: registry.add_or_update(SHOP), lambda: registry.remove(SHOP.key)):
        with pytest.raises(AccountsFileError) as caught:
            call()
        assert caught.value.path == registry.path
        assert str(registry.path) in caught.value.user_message
        assert problem in caught.value.user_message
    assert registry.path.read_bytes() == content  # untouched: the seller decides


def test_a_file_from_a_newer_version_is_refused(registry: AccountRegistry) -> None:
    registry.path.parent.mkdir(parents=True)
    registry.path.write_text('{"format": 2, "accounts": []}', encoding="utf-8")
    with pytest.raises(AccountsFileError, match="newer"):
        registry.all()


# -- connecting --------------------------------------------------------------------------------


async def test_connect_registers_the_seller_and_keeps_the_tokens_in_the_keyring(
        *, emu: RunningEmulator, make_flow: Callable[[], DeviceFlow], etime: EmulatorTime,
        environment: Environment, store: TokenStore, registry: AccountRegistry,
        governor: RequestGovernor, http: httpx.AsyncClient) -> None:
    flow = make_flow()
    await flow.start()
    etime.before_return = approve_first_pending(emu)
    states: list[FlowState] = []
    account = await connect_account(flow=flow, environment=environment, store=store,
                                    registry=registry, governor=governor, http=http,
                                    on_state=states.append)
    assert account == Account("48213377", "DomOgrodPlus", environment.key,
                              AccountState.CONNECTED)
    assert states == [FlowState.CONNECTED]
    assert registry.all() == [account]
    pair = store.load(account.key)
    assert pair is not None
    assert emu.api(pair.access_token, "/me").json()["login"] == "DomOgrodPlus"
    assert pair.access_token not in registry.path.read_text(encoding="utf-8")


async def test_reconnecting_replaces_the_tokens_and_the_state(
        *, emu: RunningEmulator, make_flow: Callable[[], DeviceFlow], etime: EmulatorTime,
        environment: Environment, store: TokenStore, registry: AccountRegistry,
        governor: RequestGovernor, http: httpx.AsyncClient) -> None:
    async def connect() -> Account:
        flow = make_flow()
        await flow.start()
        etime.before_return = approve_first_pending(emu)
        etime.sleeps.clear()
        return await connect_account(flow=flow, environment=environment, store=store,
                                     registry=registry, governor=governor, http=http)

    first = await connect()
    old = store.load(first.key)
    registry.set_state(first.key, AccountState.RECONNECT_NEEDED)
    second = await connect()
    assert second.key == first.key
    assert registry.all() == [second]
    assert second.state is AccountState.CONNECTED
    new = store.load(first.key)
    assert old is not None
    assert new is not None
    assert new.refresh_token != old.refresh_token


async def test_two_sellers_are_two_accounts(
        *, start_emulator: Callable[..., RunningEmulator],
        store: TokenStore, registry: AccountRegistry, governor: RequestGovernor,
        http: httpx.AsyncClient, tmp_path: Path) -> None:
    shops = start_emulator(sellers=2)
    etime = EmulatorTime(shops)
    environment = resolve_environment(shops.base_url, settings_client_id=None, store=None,
                                      env={})
    logins = []
    for seller in ("DomOgrodPlus", "TechKącik"):
        login = DeviceLogin(environment=environment, store=store, registry=registry,
                            governor=governor, clock=etime.clock, sleep=etime.sleep)
        await login.start()
        assert login.state is FlowState.WAITING
        etime.before_return = approve_first_pending(shops, seller)
        etime.sleeps.clear()
        logins.append((await login.finish()).login)
        assert login.state is FlowState.CONNECTED
    assert logins == ["DomOgrodPlus", "TechKącik"]
    assert [a.login for a in registry.all()] == logins
    assert all(store.load(a.key) is not None for a in registry.all())


def test_disconnect_forgets_tokens_and_account(store: TokenStore,
                                               registry: AccountRegistry) -> None:
    store.save(SHOP.key, a_pair())
    store.save(OTHER.key, a_pair(tag="other"))
    registry.add_or_update(SHOP)
    registry.add_or_update(OTHER)
    disconnect(SHOP, store=store, registry=registry)
    assert store.load(SHOP.key) is None
    assert registry.get(SHOP.key) is None
    assert store.load(OTHER.key) == a_pair(tag="other")
    assert registry.all() == [OTHER]


async def test_a_login_cancelled_before_it_started(environment: Environment, store: TokenStore,
                                                   registry: AccountRegistry,
                                                   governor: RequestGovernor) -> None:
    login = DeviceLogin(environment=environment, store=store, registry=registry,
                        governor=governor)
    login.cancel()
    assert login.state is FlowState.CANCELLED
    with pytest.raises(FlowCancelledError):
        await login.start()
