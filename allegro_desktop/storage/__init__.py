"""The local order database: SQLite through SQLAlchemy Core, migrated by Alembic.

`Database.open(path)` opens (or creates) and migrates the file; `OrderRepository` and
`SyncStateRepository` read and write it. Imports only `domain` below it (ARCHITECTURE.md
"Layers"): the parsing of Allegro's JSON lives in `api.parsing`, which hands over domain objects.
"""

from __future__ import annotations

from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    DiskFullError,
    StorageError,
)
from allegro_desktop.storage.order_repository import (
    BatchResult,
    KeptAside,
    KeptRecord,
    OrderRepository,
    PendingForm,
    UnreadableRecord,
)
from allegro_desktop.storage.sync_state import (
    RunKind,
    RunMetrics,
    RunOutcome,
    SyncRun,
    SyncState,
    SyncStateRepository,
)

__all__ = [
    "BatchResult",
    "Database",
    "DatabaseCorruptError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "DatabaseTooNewError",
    "DiskFullError",
    "KeptAside",
    "KeptRecord",
    "OrderRepository",
    "PendingForm",
    "RunKind",
    "RunMetrics",
    "RunOutcome",
    "StorageError",
    "SyncRun",
    "SyncState",
    "SyncStateRepository",
    "UnreadableRecord",
]
