"""A seller's app against a real emulator: an account connected through the device flow, its
tokens in an in-memory keyring, a real SQLite file, and engines over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from allegro_desktop.sync import SyncSettings
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.hostile_proxy import HostileProxy
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.synced_shop import MakeShop, Shop, connect


@pytest.fixture
async def make_shop(start_emulator: StartEmulator, tmp_path: Path) -> AsyncIterator[MakeShop]:
    opened: list[Database] = []
    proxies: list[tuple[HostileProxy, httpx.Client]] = []

    def make(settings: SyncSettings | None = None, *, proxy: bool = False,
             **config: Any) -> Shop:
        """A shop; with `proxy`, the app reaches the emulator only through a `HostileProxy`
        (its account's environment is the proxy's URL; the test's own control calls go
        straight to the emulator)."""
        config.setdefault("history_days", 200)
        emu = start_emulator(**config)
        hostile = None
        app_side = emu
        if proxy:
            hostile = HostileProxy(emu.base_url)
            hostile.start()
            http = httpx.Client(base_url=hostile.base_url, timeout=10)
            proxies.append((hostile, http))
            app_side = RunningEmulator(emu.emulator, hostile.base_url, http)
        folder = tmp_path / f"app{len(opened)}"
        services = open_app_services(resolve_paths(folder),
                                     store=TokenStore(backend=MemoryKeyring()))
        account = connect(app_side, services)
        database = Database.open(folder / "orders.sqlite3", clock=emu.emulator.clock.now)
        opened.append(database)
        return Shop(emu, services, account, database, OrderRepository(database=database),
                    SyncStateRepository(database=database),
                    settings or SyncSettings(rescan_interval=timedelta(0)), proxy=hostile)

    yield make
    for database in opened:
        database.close()
    for hostile, http in proxies:
        http.close()
        hostile.stop()
