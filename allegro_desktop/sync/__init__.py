"""The order sync (ARCHITECTURE.md "Sync"): `SyncEngine` for one account, `sync_all_accounts`
for the headless command. Qt-free; `worker.py` (the only Qt here) runs engines on the sync
thread."""

from __future__ import annotations

from allegro_desktop.sync.accounts import AccountSource, sync_all_accounts
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
    "CursorRejectedError",
    "IncompleteSyncError",
    "InconsistentListError",
    "JournalStuckError",
    "RequestBudgetError",
    "RequestCounter",
    "SyncEngine",
    "SyncPhase",
    "SyncProgress",
    "SyncReport",
    "SyncSettings",
    "sync_all_accounts",
]
