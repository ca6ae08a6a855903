"""The names of the files the app keeps in the data folder beside its database, in one place:
the code that uses each (sync/lease.py, ui/window/single_instance.py) and the list of what a
file the seller saves may never replace (config/paths.py's `owned_places`)."""

from __future__ import annotations

from typing import Final

__all__ = ["DEMO_WINDOW_LOCK", "SYNC_LOCK", "SYNC_LOCK_OWNER", "WINDOW_LOCK"]

#: The sync lease's lock (sync/lease.py) and who holds it.
SYNC_LOCK: Final = "sync.lock"
SYNC_LOCK_OWNER: Final = "sync-owner.json"
#: The window's lock (ui/window/single_instance.py), and the demo's, beside its own folder.
WINDOW_LOCK: Final = "window.lock"
DEMO_WINDOW_LOCK: Final = "demo-window.lock"
