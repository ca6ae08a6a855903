"""The order sync (ARCHITECTURE.md "Sync"): `SyncEngine` syncs an account once, `AccountSync` runs
one account's sync the one way the window and the command both use, `sync_all_accounts` every
account for the headless command. Qt-free; `worker.py` (the only Qt here) is the window's sync
thread."""

from __future__ import annotations

from allegro_desktop.sync.account_sync import (
    AccountSource,
    AccountSync,
    SyncProblem,
    SyncResult,
    sync_all_accounts,
)
from allegro_desktop.sync.engine import SyncEngine
from allegro_desktop.sync.errors import (
    CursorRejectedError,
    IncompleteSyncError,
    InconsistentListError,
    JournalStuckError,
    RequestBudgetError,
)
from allegro_desktop.sync.report import RequestCounter, SyncPhase, SyncProgress, SyncReport
from allegro_desktop.sync.settings import SyncSettings

__all__ = [
    "AccountSource",
    "AccountSync",
    "CursorRejectedError",
    "IncompleteSyncError",
    "InconsistentListError",
    "JournalStuckError",
    "RequestBudgetError",
    "RequestCounter",
    "SyncEngine",
    "SyncPhase",
    "SyncProblem",
    "SyncProgress",
    "SyncReport",
    "SyncResult",
    "SyncSettings",
    "sync_all_accounts",
]
