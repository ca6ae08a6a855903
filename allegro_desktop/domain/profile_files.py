"""The names of the files the app keeps in a profile's data folder beside the order database.

One place for them, so that what uses a file (the sync lease, `sync/lease.py`; the window's
lock, `ui/single_instance.py`) and what keeps exports and backups from writing over it
(`config/paths.py`'s `owned_places`) cannot drift apart.
"""

from __future__ import annotations

from typing import Final

#: The sync lease's lock file: an OS lock on it is the lease.
SYNC_LOCK: Final = "sync.lock"
#: Who holds the sync lease (program, pid, host, since), for the other process's message.
SYNC_OWNER: Final = "sync-owner.json"
#: The lock of the profile's window (one window per profile), and of its demo's.
WINDOW_LOCK: Final = "window.lock"
DEMO_WINDOW_LOCK: Final = "demo-window.lock"

#: Every one of them: none is ever replaced by anything but the app itself.
PROFILE_FILES: Final = (SYNC_LOCK, SYNC_OWNER, WINDOW_LOCK, DEMO_WINDOW_LOCK)
