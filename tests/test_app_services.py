"""The wiring every front end shares: an account's token provider marks it "reconnect needed"."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegro_desktop.api.errors import ReconnectNeededError
from allegro_desktop.auth.login import DeviceLogin
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.domain.accounts import AccountState
from tests.helpers.emulator import StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring


async def test_refused_refresh_marks_the_account(start_emulator: StartEmulator,
                                                 tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1)
    services = open_app_services(resolve_paths(tmp_path),
                                 store=TokenStore(backend=MemoryKeyring()))
    login = DeviceLogin(environment=services.environment(emu.base_url),
                        store=services.store, registry=services.registry,
                        governor=services.governor)
    authorization = await login.start()
    emu.control("POST", "/device/approve", {"user_code": authorization.user_code})
    account = await login.finish()
    provider = services.token_provider(account)
    token = await provider.access_token()
    emu.control("POST", "/tokens/revoke", {})
    with pytest.raises(ReconnectNeededError):
        await provider.token_rejected(token)
    stored = services.registry.get(account.key)
    assert stored is not None
    assert stored.state is AccountState.RECONNECT_NEEDED
    assert emu.control("GET", "/stats")["oauth"]["refreshes"] == 1  # and no retry loop
