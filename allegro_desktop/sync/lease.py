"""The sync lease: one process at a time syncs a profile's order database.

The window's sync thread (`worker.py`) and `allegro-desktop sync` (a cron job, a scheduled task)
may run at the same time on one data folder. Without the lease both would read the same event
journal, send the same requests (twice the traffic, twice the rate limit) and write the same
orders. The lease is an OS file lock (`filelock`: `flock` on Unix, `LockFileEx` on Windows) on
`sync.lock` next to the database, taken for a sync — the window holds it for one account's run,
`allegro-desktop sync` for its whole round of accounts. The kernel drops it when its process
ends, however it ends, so a killed sync never leaves the profile stuck.

Who holds it (which program, its pid, since when) is written to `sync-owner.json` beside it —
not into the lock file, which Windows keeps unreadable while it is locked — for the message the
other process gives: "The profile is busy: Allegro Desktop (pid 4242) is syncing it."
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.files.names import SYNC_LOCK, SYNC_LOCK_OWNER
from allegro_desktop.files.safe import write_bytes_atomically

__all__ = ["LeaseError", "LeaseHolder", "LeaseOwner", "ProfileBusyError", "SyncLease"]

log = logging.getLogger("allegro_desktop.sync")

#: How often a waiting `acquire` tries again (seconds).
_POLL_INTERVAL = 0.2


class LeaseHolder(enum.StrEnum):
    """The program that takes the lease; its value is what the other process shows."""

    WINDOW = "Allegro Desktop"
    COMMAND = "allegro-desktop sync"
    ORDERS = "allegro-desktop orders"  # sending the seller's actions (headless_orders.py)


@dataclass(frozen=True, slots=True)
class LeaseOwner:
    """Who holds a lease, as its holder wrote it down."""

    program: str
    pid: int
    host: str
    since: datetime

    def to_json(self) -> dict[str, object]:
        return {"program": self.program, "pid": self.pid, "host": self.host,
                "since": self.since.isoformat()}

    @classmethod
    def read(cls, path: Path) -> LeaseOwner | None:
        """The owner written in `path`; None when there is none or it cannot be read (the
        holder has not written it yet, or another program wrote rubbish there)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            owner = cls(program=str(data["program"]), pid=int(data["pid"]),
                        host=str(data["host"]), since=datetime.fromisoformat(data["since"]))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("no readable sync lease owner in %s: %s", path, exc)
            return None
        return owner


class ProfileBusyError(AppError):
    """Another process holds the profile's sync lease; `owner` says which, when known."""

    def __init__(self, lock_file: Path, owner: LeaseOwner | None) -> None:
        self.owner = owner
        if owner is not None:
            text = Text(QT_TRANSLATE_NOOP("Errors",
                                          "The profile is busy: %1 (pid %2) is syncing it."),
                        owner.program, owner.pid)
        else:
            text = Text(QT_TRANSLATE_NOOP(
                "Errors", "The profile is busy: another copy of Allegro Desktop is syncing it."))
        super().__init__(f"{lock_file} is held by {owner or 'another process'}",
                         user_message=text)


class LeaseError(AppError):
    """The lock file cannot be created or locked (a read-only folder, a vanished disk)."""


class SyncLease:
    """The sync lease of the database at `database` (see the module), taken by `holder`.

    One object is one hold, whichever thread uses it (another `SyncLease` of the same database,
    even in this process, is another contender). `with lease.holding(wait=30): ...` takes it
    for a block.
    """

    def __init__(self, database: Path, *, holder: LeaseHolder) -> None:
        folder = database.parent
        self.lock_file = folder / SYNC_LOCK
        self.owner_file = folder / SYNC_LOCK_OWNER
        self.holder = holder
        self._lock = FileLock(self.lock_file, thread_local=False)

    def __repr__(self) -> str:
        return f"SyncLease({str(self.lock_file)!r}, {self.holder.name})"

    @property
    def held(self) -> bool:
        """This object holds the lease now."""
        return bool(self._lock.is_locked)

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lease, waiting up to `wait` seconds for its holder to let it go (0: one
        try). Raises `ProfileBusyError` (who holds it) when it stays taken, `LeaseError` when
        the lock file cannot be used."""
        try:
            self._lock.acquire(timeout=max(wait, 0.0), poll_interval=_POLL_INTERVAL)
        except Timeout:
            raise ProfileBusyError(self.lock_file, self.owner()) from None
        except OSError as exc:
            raise LeaseError(f"{self.lock_file}: {exc}", user_message=Text(
                QT_TRANSLATE_NOOP("Errors", "The sync lock %1 cannot be used: %2."),
                self.lock_file, exc.strerror or exc)) from exc
        self._write_owner()

    def release(self) -> None:
        """Let the lease go (nothing when it is not held). The owner file goes first, so a
        process that finds the lease taken never names a holder that has already left."""
        if not self.held:
            return
        owner = self.owner()
        if owner is not None and owner.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.owner_file.unlink()
        self._lock.release()

    @contextlib.contextmanager
    def holding(self, wait: float = 0.0) -> Iterator[SyncLease]:
        """`acquire(wait)`, then `release()` when the block ends."""
        self.acquire(wait)
        try:
            yield self
        finally:
            self.release()

    def owner(self) -> LeaseOwner | None:
        """Who holds (or last held, if it was killed) the lease, as written in the owner file."""
        return LeaseOwner.read(self.owner_file)

    def _write_owner(self) -> None:
        owner = LeaseOwner(program=str(self.holder), pid=os.getpid(), host=socket.gethostname(),
                           since=datetime.now(UTC))
        try:
            write_bytes_atomically(self.owner_file, json.dumps(owner.to_json()).encode())
        except OSError as exc:  # the message then says "another copy": not worth failing
            log.warning("the sync lease's owner cannot be written to %s: %s",
                        self.owner_file, exc)
