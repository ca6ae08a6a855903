"""Single-flight refresh against the emulator's real rotation rules (ALLEGRO-API.md §4.2, §4.3): a
new pair kills the previous access token, a used refresh token dies 60 s later, revoked ones answer
invalid_grant. The emulator counts refreshes, so "exactly one" is asserted, not hoped for."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from allegro_desktop.api.environments import Environment
from allegro_desktop.api.errors import NetworkError, ReconnectNeededError
from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.errors import KeyringUnavailableError
from allegro_desktop.auth.token_provider import TokenProvider
from allegro_desktop.auth.token_store import TokenStore
from tests.helpers.auth_flow import EmulatorTime, login_pair, stats
from tests.helpers.emulator import RunningEmulator
from tests.helpers.memory_keyring import MemoryKeyring

KEY = "custom:emulator|48213377"

MakeProvider = Callable[..., TokenProvider]


@pytest.fixture
def make_provider(environment: Environment, store: TokenStore, governor: RequestGovernor,
                  etime: EmulatorTime) -> MakeProvider:
    def make(**overrides: Any) -> TokenProvider:
        options: dict[str, Any] = {"account_key": KEY, "environment": environment,
                                   "store": store, "governor": governor,
                                   "clock": etime.clock, "sleep": etime.sleep}
        return TokenProvider(**(options | overrides))

    return make


@pytest.fixture
def pair(emu: RunningEmulator, etime: EmulatorTime, store: TokenStore) -> TokenPair:
    """The account's pair, as connecting it left it in the keyring."""
    tokens = login_pair(emu, etime)
    store.save(KEY, tokens)
    return tokens


async def test_a_valid_token_is_served_without_refreshing(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    provider = make_provider()
    assert await provider.access_token() == pair.access_token
    assert await provider.access_token() == pair.access_token
    assert stats(emu)["refreshes"] == 0


async def test_refreshes_ahead_of_expiry(emu: RunningEmulator, etime: EmulatorTime,
                                         store: TokenStore, make_provider: MakeProvider) -> None:
    emu.control("POST", "/tokens/ttl", {"access_ttl": 600})
    old = login_pair(emu, etime)
    store.save(KEY, old)
    provider = make_provider(refresh_margin=300)
    assert await provider.access_token() == old.access_token

    emu.advance(400)  # 199 s left: inside the margin
    new = await provider.access_token()
    assert new != old.access_token
    assert stats(emu)["refreshes"] == 1
    saved = store.load(KEY)
    assert saved is not None
    assert saved.access_token == new
    assert saved.refresh_token != old.refresh_token
    assert emu.api(new, "/me").status_code == 200
    assert emu.api(old.access_token, "/me").status_code == 401  # a new pair kills the old one

    assert await provider.access_token() == new
    assert stats(emu)["refreshes"] == 1


async def test_a_lifetime_shorter_than_the_margin_does_not_refresh_on_every_call(
        emu: RunningEmulator, etime: EmulatorTime, store: TokenStore,
        make_provider: MakeProvider) -> None:
    emu.control("POST", "/tokens/ttl", {"access_ttl": 60})
    store.save(KEY, login_pair(emu, etime))
    provider = make_provider(refresh_margin=300)
    first = await provider.access_token()  # 59 s left < 300: refreshed once
    assert await provider.access_token() == first
    assert await provider.access_token() == first
    assert stats(emu)["refreshes"] == 1
    emu.advance(40)  # past half its life: time for the next one
    assert await provider.access_token() != first
    assert stats(emu)["refreshes"] == 2


def test_concurrent_rejections_from_two_threads_refresh_exactly_once(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider,
        store: TokenStore) -> None:
    # Each refresh answer takes 0.3 s, so every caller arrives while it is in flight.
    emu.control("POST", "/faults", {"latency_ms": 300, "paths": ["/auth/oauth/token"]})
    provider = make_provider()
    start = threading.Barrier(2)

    def sync_thread_like() -> list[str]:
        async def main() -> list[str]:
            start.wait()
            return list(await asyncio.gather(
                *(provider.token_rejected(pair.access_token) for _ in range(10))))

        return asyncio.run(main())  # a loop of its own, like the GUI and the sync thread

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [token for future in [pool.submit(sync_thread_like) for _ in range(2)]
                   for token in future.result()]

    assert len(results) == 20
    assert len(set(results)) == 1
    (new,) = set(results)
    assert new != pair.access_token
    assert stats(emu)["refreshes"] == 1
    saved = store.load(KEY)
    assert saved is not None
    assert saved.access_token == new
    assert emu.api(new, "/me").status_code == 200


async def test_a_rejected_token_that_was_already_replaced_is_not_refreshed_again(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    provider = make_provider()
    new = await provider.token_rejected(pair.access_token)
    assert await provider.token_rejected(pair.access_token) == new
    assert stats(emu)["refreshes"] == 1
    # The new one rejected too (e.g. the 21st session killed it): refreshed again, once.
    newer = await provider.token_rejected(new)
    assert newer not in (new, pair.access_token)
    assert stats(emu)["refreshes"] == 2


async def test_a_refresh_by_another_process_is_picked_up_from_the_keyring(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    this, other = make_provider(), make_provider()  # two processes sharing one keyring
    assert await this.access_token() == pair.access_token
    new = await other.token_rejected(pair.access_token)
    assert await this.token_rejected(pair.access_token) == new
    assert stats(emu)["refreshes"] == 1


async def test_the_new_pair_is_saved_before_it_is_returned(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider,
        memory_keyring: MemoryKeyring, store: TokenStore) -> None:
    provider = make_provider()
    memory_keyring.refuse_writes = True
    with pytest.raises(KeyringUnavailableError):
        await provider.token_rejected(pair.access_token)
    assert stats(emu)["refreshes"] == 1  # refreshed, but nothing unsaved was handed out
    stored = store.load(KEY)
    assert stored is not None
    assert stored.access_token == pair.access_token
    with pytest.raises(KeyringUnavailableError):  # still refused: still nothing handed out
        await provider.access_token()

    memory_keyring.refuse_writes = False
    new = await provider.token_rejected(pair.access_token)
    assert new != pair.access_token
    assert stats(emu)["refreshes"] == 1  # the kept pair was saved, not a second refresh
    stored = store.load(KEY)
    assert stored is not None
    assert stored.access_token == new
    assert emu.api(new, "/me").status_code == 200


async def test_invalid_grant_asks_for_reconnect_once_and_never_retries(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    reconnect: list[str] = []
    provider = make_provider(on_reconnect_needed=reconnect.append)
    emu.control("POST", "/tokens/revoke", {})  # the seller unlinked the app
    with pytest.raises(ReconnectNeededError) as caught:
        await provider.token_rejected(pair.access_token)
    assert caught.value.error == "invalid_grant"
    assert pair.refresh_token not in str(caught.value)  # Allegro echoes it; never shown
    assert reconnect == [KEY]
    assert stats(emu)["refreshes"] == 1

    with pytest.raises(ReconnectNeededError):
        await provider.token_rejected(pair.access_token)
    with pytest.raises(ReconnectNeededError):
        await provider.access_token()
    assert stats(emu)["refreshes"] == 1  # the dead refresh token is not sent again
    assert reconnect == [KEY, KEY, KEY]


async def test_reconnecting_replaces_a_dead_pair(
        emu: RunningEmulator, etime: EmulatorTime, pair: TokenPair, store: TokenStore,
        make_provider: MakeProvider) -> None:
    provider = make_provider()
    emu.control("POST", "/tokens/revoke", {})
    with pytest.raises(ReconnectNeededError):
        await provider.token_rejected(pair.access_token)
    fresh = login_pair(emu, etime)  # the seller connected the account again
    store.save(KEY, fresh)
    assert await provider.access_token() == fresh.access_token
    assert stats(emu)["refreshes"] == 1


async def test_no_stored_tokens_ask_for_reconnect_without_a_request(
        emu: RunningEmulator, make_provider: MakeProvider) -> None:
    reconnect: list[str] = []
    provider = make_provider(on_reconnect_needed=reconnect.append)
    with pytest.raises(ReconnectNeededError) as caught:
        await provider.access_token()
    assert caught.value.error == "no_tokens"
    assert "Connect it again" in caught.value.user_message
    assert reconnect == [KEY]
    assert stats(emu)["refreshes"] == 0


async def test_network_errors_during_a_refresh_propagate_and_are_not_reconnects(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    reconnect: list[str] = []
    provider = make_provider(on_reconnect_needed=reconnect.append)
    emu.control("POST", "/faults", {"drop_rate": 1.0, "paths": ["/auth/oauth/token"]})
    with pytest.raises(NetworkError):
        await provider.token_rejected(pair.access_token)
    assert reconnect == []

    emu.control("DELETE", "/faults")
    new = await provider.token_rejected(pair.access_token)
    assert emu.api(new, "/me").status_code == 200
    assert reconnect == []


async def test_a_cancelled_waiter_does_not_keep_the_lock(
        emu: RunningEmulator, pair: TokenPair, make_provider: MakeProvider) -> None:
    emu.control("POST", "/faults", {"latency_ms": 200, "paths": ["/auth/oauth/token"]})
    provider = make_provider()
    refreshing = asyncio.create_task(provider.token_rejected(pair.access_token))
    waiter = asyncio.create_task(provider.token_rejected(pair.access_token))
    await asyncio.sleep(0)  # both started: one refreshes, the other waits for the lock
    waiter.cancel()
    new = await refreshing
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert await provider.token_rejected(new) != new  # the lock is free: a refresh can run
    assert stats(emu)["refreshes"] == 2
