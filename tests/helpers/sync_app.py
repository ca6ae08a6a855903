"""What the window's sync runs on in GUI tests (`SyncApp`: an account connected to an emulator, a
real SQLite file, a started `SyncWorker`), sync settings of many pages, and how long a wait may
last before a test counts as hung (`WAIT`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allegro_desktop.config.app_services import AppServices
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.accounts import Account
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from allegro_desktop.sync import SyncSettings
from allegro_desktop.sync.worker import SyncActivity, SyncWorker
from tests.helpers.emulator import RunningEmulator

#: How long a wait may last before the test counts as hung (ms). A wait ends as soon as its
#: signal comes or its condition holds; this limit only turns a hang into a failure, so it is
#: far beyond what a loaded machine needs. (pytest-qt's own default, 5 s, is not: a sync, a
#: query or Qt's model tester on two cores shared with other work can take longer.)
WAIT = 60_000


@dataclass
class SyncApp:
    """What the window's sync runs on: an account connected to `emu` (tokens in an in-memory
    keyring), a real SQLite file, and a started `SyncWorker` on its own thread."""

    emu: RunningEmulator
    paths: AppPaths
    services: AppServices
    account: Account
    database: Database
    worker: SyncWorker

    @property
    def orders(self) -> OrderRepository:
        return OrderRepository(database=self.database)

    @property
    def state(self) -> SyncStateRepository:
        return SyncStateRepository(database=self.database)

    def stored(self) -> int:
        return self.orders.count_orders(self.account.key)

    def slow(self, latency_ms: int = 60) -> None:
        """Every API answer this much later: a sync then takes a few seconds of many pages."""
        self.emu.control("POST", "/faults", {"latency_ms": latency_ms})


MakeSyncApp = Callable[..., SyncApp]


def after_a_page(activity: SyncActivity) -> bool:
    """A progress report after a page was stored (the first comes as a phase starts; a
    listed page may be reported before it is stored)."""
    return activity.new + activity.updated > 0


#: Many small back-fill windows read one at a time: a sync of many pages, so tests can act
#: while it runs.
PAGED = SyncSettings(window_days=5, window_concurrency=1)
