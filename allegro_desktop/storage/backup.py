"""Backups of the order database — one consistent, self-contained file — and restoring one:
`back_up` (a file the seller chose), `take_automatic_backup` (after a sync, rotated),
`stage_backup` (a chosen backup checked in a private copy) and `restore` (copied into the live
database in one transaction). How each keeps the seller's data safe: ARCHITECTURE.md "Damage
and backups".
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.files.safe import (
    OwnedPlaces,
    check_target,
    copy_privately,
    new_temporary,
    writing_atomically,
)
from allegro_desktop.storage import integrity, migrations
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import (
    SQLITE_BUSY,
    SQLITE_CORRUPT,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    BackupDamagedError,
    BackupError,
    BackupTooNewError,
    DatabaseDamagedError,
    DatabaseInUseError,
    DatabaseLockedError,
    NotABackupError,
    StorageError,
    sqlite_code,
)
from allegro_desktop.storage.order_repository import TOLD_BEFORE_RESTORE_KEY
from allegro_desktop.storage.outbox import ENABLED_KEY
from allegro_desktop.storage.schema import app_meta, webhook_outbox
from allegro_desktop.storage.times import to_ms

__all__ = [
    "BackupCancelled",
    "BackupInfo",
    "BackupPolicy",
    "BackupStep",
    "RestoreReport",
    "StagedBackup",
    "automatic_backups",
    "back_up",
    "backup_folder",
    "newest_backup",
    "restorable_backups",
    "restore",
    "stage_backup",
    "take_automatic_backup",
]

log = logging.getLogger("allegro_desktop.storage")

BACKUP_FOLDER: Final = "backups"
_AUTOMATIC = re.compile(r"^orders-(\d{4}-\d{2}-\d{2})\.sqlite3$")
#: Pages copied per step of the backup API (4 MB): how often progress is told and stop asked.
PAGES_PER_STEP: Final = 1024
#: Our own tables a backup must have (besides `alembic_version`).
_OUR_TABLES: Final = frozenset({"orders", "order_forms", "sync_state", "app_meta"})
#: Temporary files of a backup interrupted by a crash are removed after this many seconds.
_STALE_AFTER: Final = 24 * 3600.0
# SQLite's companions of a database file.
_COMPANIONS: Final = ("-wal", "-shm", "-journal")


class BackupStep(enum.StrEnum):
    """What a backup or a restore is doing, for its progress."""

    COPY = "copy"  # pages copied (done, total)
    CHECK = "check"  # PRAGMA quick_check of the copy (no counts)
    SAVE_CURRENT = "save_current"  # the current database saved before a restore
    RESTORE = "restore"  # the backup copied into the database (one step)


#: `progress(step, done, total)`; counts are pages, 0 when unknown.
Progress = Callable[[BackupStep, int, int], None]


class BackupCancelled(Exception):  # noqa: N818 - a request, not an error
    """`stop()` said to stop: nothing was written under the target's name."""


@dataclass(frozen=True)
class BackupInfo:
    """A backup file: where, how big, of which schema revision, how many orders."""

    path: Path
    size: int
    orders: int
    revision: str | None
    written_by: str | None
    modified_at: datetime


@dataclass(frozen=True)
class BackupPolicy:
    """Automatic backups: one every `interval_days` (0: none), the `keep` newest kept."""

    interval_days: int = 1
    keep: int = 7

    def due(self, folder: Path, today: date) -> bool:
        """Whether a backup is to be taken today (the newest not dated after today is
        `interval_days` old)."""
        if self.interval_days <= 0:
            return False
        newest = automatic_backups(folder, until=today)
        return not newest or (today - newest[0][0]).days >= self.interval_days


@dataclass(frozen=True)
class RestoreReport:
    #: The database as restored (its path is the live database's).
    restored: BackupInfo
    #: The backup file the seller chose.
    source: Path
    #: Where the database as it was before the restore is kept (None: there was none).
    saved_current: Path | None


def backup_folder(database_path: Path) -> Path:
    """The folder of the automatic backups of the database at `database_path`."""
    return database_path.absolute().parent / BACKUP_FOLDER


def automatic_backups(folder: Path, *, until: date | None = None) -> list[tuple[date, Path]]:
    """The automatic backups in `folder` and the day each is dated, the latest date first;
    with `until`, only those dated on or before that day."""
    found = []
    with contextlib.suppress(OSError):  # no folder yet: none
        for entry in folder.iterdir():
            match = _AUTOMATIC.match(entry.name)
            if match and entry.is_file():
                try:
                    day = date.fromisoformat(match.group(1))
                except ValueError:  # orders-2026-13-40.sqlite3: not ours
                    continue
                if until is None or day <= until:
                    found.append((day, entry))
    return sorted(found, reverse=True)


def restorable_backups(database_path: Path) -> list[tuple[date, Path]]:
    """The automatic backups of the database at `database_path`, the one written last first:
    by the file's time, not by the date in its name — a wrong clock may have dated one in the
    future, and it must not stay "the newest" for years. The order in which the newest is
    offered after damage, and tried."""
    def written(entry: tuple[date, Path]) -> tuple[float, date]:
        try:
            return entry[1].stat().st_mtime, entry[0]
        except OSError:  # gone meanwhile: last
            return float("-inf"), entry[0]

    return sorted(automatic_backups(backup_folder(database_path)), key=written, reverse=True)


def newest_backup(database_path: Path) -> Path | None:
    """The automatic backup of the database at `database_path` written last, if any."""
    backups = restorable_backups(database_path)
    return backups[0][1] if backups else None


# -- taking a backup -------------------------------------------------------------------------


def back_up(database: Database, target: Path, *, progress: Progress | None = None,
            stop: Callable[[], bool] | None = None) -> BackupInfo:
    """Write a backup of `database` to `target`, a file the seller chose (checked, and
    replaced once the backup is whole and checked; ARCHITECTURE.md "Damage and backups").
    Raises `UnsafeTargetError` (not a file the app may write: the database itself or another of the
    app's files, its backups folder, a folder, a link, a pipe), `BackupError` (a missing
    folder, a full disk, a medium that fails), `DatabaseDamagedError` (the database itself is
    damaged: nothing kept), `BackupCancelled`, or the database's own `StorageError`s."""
    places = (_own_places(database.path),)
    return _write_backup(database, check_target(target, also=places), places=places,
                         progress=progress, stop=stop)


def take_automatic_backup(database: Database, policy: BackupPolicy, *, today: date,
                          stop: Callable[[], bool] | None = None) -> BackupInfo | None:
    """Today's automatic backup, if one is due (`policy`, the newest backup's date against
    `today`) and the database is not known to be damaged; then the oldest beyond
    `policy.keep` are deleted (of those dated on or before today). None when none was
    taken."""
    folder = backup_folder(database.path)
    if not policy.due(folder, today) or database.damage is not None:
        return None
    _private_folder(folder)
    _remove_stale_temporaries(folder)
    info = _write_backup(database, folder / f"orders-{today.isoformat()}.sqlite3",
                         places=None, stop=stop)
    for _day, old in automatic_backups(folder, until=today)[max(policy.keep, 1):]:
        log.info("deleting the old automatic backup %s", old)
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    return info


def _write_backup(database: Database, target: Path, *, places: tuple[OwnedPlaces, ...] | None,
                  progress: Progress | None = None,
                  stop: Callable[[], bool] | None = None) -> BackupInfo:
    """`back_up` into `target`: a file the seller chose, checked again before the rename
    against the protected places and `places` — or, with `places` None, one of the app's own
    automatic backups (not checked: the check refuses the backups folder)."""
    try:
        with writing_atomically(target, check=places is not None,
                                also=places or ()) as temporary:
            with database.translated_errors():
                source = sqlite3.connect(database.path, timeout=database.busy_timeout,
                                         isolation_level=None, check_same_thread=False)
            try:
                with database.translated_errors():
                    source.execute("BEGIN")  # one snapshot for the whole copy
                    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                _copy_into_file(source, temporary, target, progress, stop)
            finally:
                source.close()
            if progress is not None:
                progress(BackupStep.CHECK, 0, 0)
            try:
                problems = integrity.full_check(temporary, timeout=database.busy_timeout,
                                                stop=stop)
            except sqlite3.Error as exc:  # it cannot be read back: the target's medium
                raise _write_error(target, exc) from exc
            if problems is None:
                raise BackupCancelled
            if problems:
                raise _damaged_copy(database, target, problems, stop)
            info = _describe(temporary, final=target)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    log.info("backed up %s (%d orders) to %s", database.path, info.orders, target)
    return info


def _damaged_copy(database: Database, target: Path, problems: list[str],
                  stop: Callable[[], bool] | None) -> Exception:
    """What to raise for a copy that fails its check. The copy is page for page, but the
    pages went through the target's disk: the database itself is checked, and recorded as
    damaged only if it is (`DatabaseDamagedError`); a sound one means the target's medium
    spoilt the copy (`BackupError`)."""
    found = "; ".join(problems)
    log.warning("the backup written to %s fails quick_check (%s): checking the database",
                target, found)
    sound = database.verify(stop=stop)
    if sound is False:
        damage = database.damage
        return DatabaseDamagedError(
            f"{database.path}: its backup fails quick_check ({found}), and so does the "
            "database; not kept", path=database.path,
            detected_at=damage.detected_at if damage else datetime.now(UTC))
    if sound is None and stop is not None and stop():
        return BackupCancelled()
    return BackupError(
        f"{target}: the copy fails quick_check ({found}), the database passes it",
        path=target, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The backup written to %1 failed its check, although the order database "
            "itself is sound: the disk or medium it was written to may be failing. The backup "
            "was not kept, and the order database was not changed. Save the backup somewhere "
            "else."), target))


def _copy_into_file(source: sqlite3.Connection, file: Path, target: Path,
                    progress: Progress | None, stop: Callable[[], bool] | None) -> None:
    """The backup API from `source` into the new file `file` (to become `target`, named in
    errors), which ends in rollback (DELETE) journal mode: one self-contained file."""
    try:
        copy = sqlite3.connect(file, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _write_error(target, exc) from exc
    try:
        copy.execute("PRAGMA journal_mode = OFF")  # a temporary file: no journal beside it

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(BackupStep.COPY, total - remaining, total)
            if stop is not None and stop():
                raise BackupCancelled

        source.backup(copy, pages=PAGES_PER_STEP, progress=step)
        # The copied first page says WAL, as the source's does: back to one file.
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise _write_error(target, exc) from exc
    finally:
        copy.close()


# -- restoring -------------------------------------------------------------------------------


@dataclass
class StagedBackup:
    """A checked private copy of a backup, ready to be restored (`restore`); `discard()` it
    when done (or use it as a context manager)."""

    source: Path
    path: Path
    info: BackupInfo

    def discard(self) -> None:
        for companion in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{companion}").unlink(missing_ok=True)

    def __enter__(self) -> StagedBackup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


def stage_backup(database_path: Path, file: Path, *,
                 progress: Progress | None = None,
                 stop: Callable[[], bool] | None = None) -> StagedBackup:
    """Copy `file` (and its `-wal`, if one lies next to it) into the backups folder, and check
    the copy: a SQLite database with our tables at a schema revision this version knows,
    passing `quick_check`; a backup of an older version is then migrated, in the copy.
    Refused with `NotABackupError`, `BackupTooNewError`, `BackupDamagedError` (nothing kept),
    `BackupError` (cannot be read or copied). `BackupCancelled` when `stop()` says so. The
    `info` is of the backup as it was chosen (its revision before the migration)."""
    file = file.absolute()
    _refuse_live_source(database_path, file)
    folder = backup_folder(database_path)
    try:
        with file.open("rb") as data:
            header = data.read(integrity.HEADER_SIZE)
    except OSError as exc:
        raise _unreadable_backup(file, exc) from exc
    if header[:16] != integrity.SQLITE_MAGIC:
        raise NotABackupError(f"{file}: not a SQLite database", path=file)
    _private_folder(folder)
    try:
        stage = new_temporary(folder / "restore.sqlite3")
    except OSError as exc:
        raise _write_error(folder, exc) from exc
    try:
        try:
            shutil.copyfile(file, stage)  # into the 0600 file: it keeps its permissions
            wal = Path(f"{file}-wal")
            if wal.is_file() and wal.stat().st_size > 0:
                copy_privately(wal, Path(f"{stage}-wal"))
        except OSError as exc:
            raise BackupError(f"{file}: {exc}", path=file, user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "The backup %1 could not be copied: %2. Nothing was changed."),
                file, exc.strerror or exc)) from exc
        info = _check_staged(file, stage, progress, stop)
        _migrate_staged(file, stage, info)
    except BaseException:
        StagedBackup(file, stage, _placeholder(file)).discard()
        raise
    return StagedBackup(file, stage, info)


def _check_staged(file: Path, stage: Path, progress: Progress | None,
                  stop: Callable[[], bool] | None) -> BackupInfo:
    try:
        connection = sqlite3.connect(stage, isolation_level=None)
        try:
            # One file (a -wal copied along is applied), so the restore reads one snapshot.
            connection.execute("PRAGMA journal_mode = DELETE")
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable_backup(file, exc) from exc
    if "alembic_version" not in tables or not tables >= _OUR_TABLES:
        raise NotABackupError(f"{file}: not an Allegro Desktop database (tables: "
                              f"{', '.join(sorted(tables)[:8]) or 'none'})", path=file)
    if progress is not None:
        progress(BackupStep.CHECK, 0, 0)
    try:
        problems = integrity.full_check(stage, stop=stop)
    except sqlite3.Error as exc:
        raise _unreadable_backup(file, exc) from exc
    if problems is None:
        raise BackupCancelled
    if problems:
        raise BackupDamagedError(f"{file}: quick_check: {'; '.join(problems)}", path=file)
    info = _describe(stage, final=file,
                     modified_at=datetime.fromtimestamp(file.stat().st_mtime, UTC))
    known = {script.revision for script in migrations.script_directory().walk_revisions()}
    if info.revision is None or info.revision not in known:
        raise BackupTooNewError(f"{file}: schema revision {info.revision} is unknown here",
                                path=file)
    return info


def _migrate_staged(file: Path, stage: Path, info: BackupInfo) -> None:
    """A backup of an older version, migrated in its private copy (`Database.open`), then
    made one file again: the live database goes from this version's schema to this
    version's schema, and the webhook's state can be carried into it (`restore`)."""
    if info.revision == migrations.HEAD:
        return
    log.info("migrating the backup %s (revision %s) before restoring it", file, info.revision)
    try:
        Database.open(stage, open_wait=0.0).close()
        connection = sqlite3.connect(stage, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            connection.close()
    except (StorageError, sqlite3.Error) as exc:
        raise BackupError(f"{file}: cannot be migrated: {exc}", path=file, user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "The backup %1 could not be brought up to this "
                              "version's format (%2). Nothing was changed."),
            file, str(exc))) from exc


def restore(database_path: Path, staged: StagedBackup, *, exclusive: bool,
            busy_timeout: float = 5.0, progress: Progress | None = None,
            now: datetime | None = None) -> RestoreReport:
    """Put the staged backup in place of the database at `database_path` (ARCHITECTURE.md
    "Damage and backups") and forget any damage recorded of it. `exclusive`: refuse
    (`DatabaseInUseError`) when any other connection has the database open, and keep every
    other out until done (the command line); otherwise the caller makes sure its own writers
    wait (the window runs this as a job of its sync thread) and tells its `Database`
    (`Database.replaced`).

    No checkpoint here: the window's sync thread checkpoints after every job (this one too),
    and on the command line the restore's connection is the last one, whose closing does it."""
    database_path = database_path.absolute()
    moment = (now or datetime.now(UTC)).astimezone()
    folder = backup_folder(database_path)
    _private_folder(folder)
    stamp = moment.strftime("%Y-%m-%d-%H%M%S")
    saved = folder / f"orders-before-restore-{stamp}.sqlite3"
    if not database_path.exists() or database_path.stat().st_size == 0:
        _put_in_place(staged.path, database_path)
        integrity.clear_damage(database_path)
        return RestoreReport(_replace_path(staged.info, database_path), staged.source, None)
    unreadable = _unreadable(database_path)
    live = None
    if unreadable is None:
        try:
            live = _open_live(database_path, exclusive=exclusive, busy_timeout=busy_timeout)
        except sqlite3.DatabaseError as exc:
            if sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
                raise _in_use(database_path, exclusive, exc) from exc
            unreadable = str(exc)
    if live is None:
        if not exclusive:  # open in this app: it can be read, so this is not expected
            raise BackupError(f"{database_path}: cannot be opened for the restore "
                              f"({unreadable})", path=database_path)
        # Too damaged for SQLite to open: moved aside whole, nobody can be using it.
        log.warning("restore: %s cannot be opened (%s); moving it aside", database_path,
                    unreadable)
        saved = folder / f"orders-damaged-{stamp}.sqlite3"
        for companion in ("", *_COMPANIONS):
            current = Path(f"{database_path}{companion}")
            if current.exists():
                os.replace(current, Path(f"{saved}{companion}"))
        _put_in_place(staged.path, database_path)
        integrity.clear_damage(database_path)
        return RestoreReport(_replace_path(staged.info, database_path), staged.source, saved)
    try:
        if progress is not None:
            progress(BackupStep.SAVE_CURRENT, 0, 0)
        _save_current(live, database_path, saved)
        if progress is not None:
            progress(BackupStep.RESTORE, 0, 0)
        _keep_webhook_state(live, staged.path)
        _keep_told_orders(live, staged.path, moment)
        _copy_into_live(staged.path, live, database_path, busy_timeout)
    finally:
        live.close()
    integrity.clear_damage(database_path)
    log.info("restored %s from %s (the database before it: %s)", database_path,
             staged.source, saved)
    return RestoreReport(_replace_path(staged.info, database_path), staged.source, saved)


def _unreadable(path: Path) -> str | None:
    """Why SQLite cannot open the database at `path` at all, or None. Asked through a
    read-only connection (closing a writable one may delete a -wal it finds no use for: the
    damaged file's log, which is to be kept)."""
    try:
        with path.open("rb") as data:
            if data.read(len(integrity.SQLITE_MAGIC)) != integrity.SQLITE_MAGIC:
                return "not a SQLite database"
    except OSError as exc:
        return str(exc)
    try:
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.0)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        if sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
            return None  # in use: `_open_live` says so
        return str(exc)
    return None


def _open_live(path: Path, *, exclusive: bool, busy_timeout: float) -> sqlite3.Connection:
    """A connection to the live database that can read its first page; with `exclusive`,
    holding SQLite's exclusive lock (no other connection may have the file open)."""
    connection = sqlite3.connect(path, timeout=0.0 if exclusive else busy_timeout,
                                 isolation_level=None, check_same_thread=False)
    try:
        if exclusive:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")  # kept after COMMIT in this locking mode
            connection.execute("COMMIT")
        connection.execute("PRAGMA page_count").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def _save_current(live: sqlite3.Connection, path: Path, saved: Path) -> None:
    """The database as it is, into `saved` (0600): by the backup API, or — when SQLite cannot
    read it as a whole — the file and its -wal as they are. Raises `BackupError` if neither
    works: then nothing is restored."""
    try:
        with writing_atomically(saved, check=False) as temporary:
            try:
                live.execute("BEGIN")
                live.execute("SELECT count(*) FROM sqlite_master").fetchone()
                try:
                    _copy_into_file(live, temporary, saved, None, None)
                finally:
                    live.execute("ROLLBACK")
            except (sqlite3.DatabaseError, BackupError) as exc:
                log.warning("restore: the current database cannot be copied page by page "
                            "(%s); keeping its files as they are", exc)
                shutil.copyfile(path, temporary)
                wal = Path(f"{path}-wal")
                if wal.is_file() and wal.stat().st_size > 0:
                    copy_privately(wal, Path(f"{saved}-wal"))
    except OSError as exc:
        raise BackupError(f"{saved}: {exc}", path=saved, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The current order database could not be saved to %1 before the restore (%2), so "
            "nothing was restored and nothing changed."), saved, exc.strerror or exc)) from exc


#: How far back the orders the seller was told of before a restore are remembered (`restore`):
#: longer than any sync announces a new order for (`SyncSettings.announce_within`).
_TOLD_WINDOW: Final = timedelta(days=7)


def _keep_told_orders(live: sqlite3.Connection, stage: Path, moment: datetime) -> None:
    """Note in the staged copy which orders the seller was already told of
    (`TOLD_BEFORE_RESTORE_KEY`): the orders bought since the backup come back with the next
    sync as new to the database — not to the seller, who heard of them when they were first
    stored (`OrderRepository.told_before_restore`). The live database's recent orders (bought
    in `_TOLD_WINDOW`), which cover every order a sync could still announce."""
    try:
        ids = [row[0] for row in live.execute(
            "SELECT id FROM orders WHERE bought_at >= ?", (to_ms(moment - _TOLD_WINDOW),))]
    except sqlite3.DatabaseError as exc:
        log.warning("restore: the current database's recent orders cannot be read (%s): "
                    "orders bought since the backup may be announced again", exc)
        return
    if not ids:
        return  # nothing the seller was told of that a sync could bring back
    value = json.dumps({"at": to_ms(moment), "ids": ids})
    copy = sqlite3.connect(stage, isolation_level=None)
    try:
        copy.execute(f'INSERT INTO "{app_meta.name}" (key, value) VALUES (?, ?) '
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     (TOLD_BEFORE_RESTORE_KEY, value))
    except sqlite3.Error as exc:
        raise BackupError(f"{stage}: {exc}", path=stage, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The backup could not be prepared for the restore (%1). The order "
            "database was not changed."), str(exc))) from exc
    finally:
        copy.close()


def _keep_webhook_state(live: sqlite3.Connection, stage: Path) -> None:
    """The live database's webhook state replaces the backup's in the staged copy, just
    before it is copied in: its outbox (every delivery made, pending or given up) — a restore
    brings orders back, it does not undo deliveries made, and an order announced before it is
    not announced again when the next sync stores it anew (its outbox row is there:
    `outbox.enqueue` leaves it) — and the switch (`ENABLED_KEY`), which the settings set. Read
    just before the copy, which then holds the write lock: a delivery marked meanwhile waits
    for it, and marks the same row (same `seq`) in the restored database. What cannot be read
    from the live database (damaged, or of a version without an outbox) stays the backup's."""
    outbox, meta = webhook_outbox.name, app_meta.name
    rows: list[tuple[object, ...]] | None = None
    columns: list[str] = []
    switch: tuple[object, ...] | None = None
    switch_known = False
    live.execute("BEGIN")
    try:
        try:
            cursor = live.execute(f'SELECT * FROM "{outbox}"')
            columns = [str(column[0]) for column in cursor.description]
            rows = cursor.fetchall()
        except sqlite3.DatabaseError as exc:
            log.warning("restore: the webhook's deliveries cannot be read from the current "
                        "database (%s): the backup's are kept", exc)
        try:
            switch = live.execute(f'SELECT value FROM "{meta}" WHERE key = ?',
                                  (ENABLED_KEY,)).fetchone()
            switch_known = True
        except sqlite3.DatabaseError as exc:
            log.warning("restore: the webhook's switch cannot be read from the current "
                        "database (%s): the backup's is kept", exc)
    finally:
        live.execute("ROLLBACK")
    copy = sqlite3.connect(stage, isolation_level=None)
    try:
        copy.execute("BEGIN IMMEDIATE")
        if rows is not None:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _column in columns)
            copy.execute(f'DELETE FROM "{outbox}"')
            copy.executemany(f'INSERT INTO "{outbox}" ({names}) VALUES ({marks})', rows)
        if switch_known:
            copy.execute(f'DELETE FROM "{meta}" WHERE key = ?', (ENABLED_KEY,))
            if switch is not None:
                copy.execute(f'INSERT INTO "{meta}" (key, value) VALUES (?, ?)',
                             (ENABLED_KEY, switch[0]))
        copy.execute("COMMIT")
    except sqlite3.Error as exc:
        raise BackupError(f"{stage}: {exc}", path=stage, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The backup could not be prepared for the restore (%1). The order "
            "database was not changed."), str(exc))) from exc
    finally:
        copy.close()
    if rows is not None:
        log.info("restore: the %d webhook deliveries of the current database are kept",
                 len(rows))


def _copy_into_live(stage: Path, live: sqlite3.Connection, path: Path,
                    busy_timeout: float) -> None:
    """The backup API from the staged file into the live database, in one step (one write
    transaction); a write lock held elsewhere is waited for `busy_timeout` seconds at most."""
    source = sqlite3.connect(stage, isolation_level=None, check_same_thread=False)
    try:
        wanted = live.execute("PRAGMA page_size").fetchone()[0]
        if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
            # A WAL database cannot change its page size: the copy takes the live one's.
            source.execute(f"PRAGMA page_size = {int(wanted)}")
            source.execute("VACUUM")
        deadline = time.monotonic() + busy_timeout

        def step(status: int, _remaining: int, _total: int) -> None:
            if status in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() > deadline:
                raise DatabaseLockedError(f"{path}: locked during a restore", path=path)

        source.backup(live, pages=-1, progress=step)
    except sqlite3.Error as exc:
        if sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
            raise DatabaseLockedError(f"{path}: {exc}", path=path) from exc
        raise BackupError(f"{path}: restore failed: {exc}", path=path, user_message=Text(
            QT_TRANSLATE_NOOP("Errors",
                              "The backup could not be restored into %1 (%2). The order "
                              "database was not changed."), path, str(exc))) from exc
    finally:
        source.close()


def _put_in_place(stage: Path, database_path: Path) -> None:
    """The staged file (one file, rollback journal mode) renamed into the database's place."""
    try:
        database_path.parent.mkdir(parents=True, exist_ok=True)
        with writing_atomically(database_path, check=False) as temporary:
            shutil.copyfile(stage, temporary)
    except OSError as exc:
        raise BackupError(f"{database_path}: {exc}", path=database_path, user_message=Text(
            QT_TRANSLATE_NOOP("Errors",
                              "The backup could not be restored into %1 (%2). The order "
                              "database was not changed."),
            database_path, exc.strerror or exc)) from exc


def _in_use(path: Path, exclusive: bool, exc: BaseException) -> DatabaseLockedError:
    if exclusive:
        return DatabaseInUseError(f"{path}: open elsewhere ({exc})", path=path)
    return DatabaseLockedError(f"{path}: {exc}", path=path)


# -- helpers ---------------------------------------------------------------------------------


def _describe(file: Path, *, final: Path, modified_at: datetime | None = None) -> BackupInfo:
    """What the (checked) database `file` holds; `final` is the name it is known by,
    `modified_at` when it was made (default: `file`'s time)."""
    connection = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)
    try:
        orders = int(connection.execute("SELECT count(*) FROM orders").fetchone()[0])
        revisions = [row[0] for row in connection.execute(
            "SELECT version_num FROM alembic_version")]
        row = connection.execute("SELECT value FROM app_meta WHERE key = 'written_by'"
                                 ).fetchone()
    finally:
        connection.close()
    stat = file.stat()
    return BackupInfo(path=final, size=stat.st_size, orders=orders,
                      revision=revisions[0] if len(revisions) == 1 else None,
                      written_by=str(row[0]) if row else None,
                      modified_at=modified_at or datetime.fromtimestamp(stat.st_mtime, UTC))


def _replace_path(info: BackupInfo, path: Path) -> BackupInfo:
    return BackupInfo(path=path, size=info.size, orders=info.orders, revision=info.revision,
                      written_by=info.written_by, modified_at=info.modified_at)


def _placeholder(file: Path) -> BackupInfo:
    return BackupInfo(file, 0, 0, None, None, datetime.fromtimestamp(0, UTC))


def _own_places(database_path: Path) -> OwnedPlaces:
    """The database's own files — itself, its companions, its damage marker (every name in its
    folder that starts with its own) — and its backups folder: never a backup's target, even
    for a database opened outside a profile the process protects (config/paths.py)."""
    live = database_path.absolute()
    files = (live, *(Path(f"{live}{suffix}") for suffix in _COMPANIONS),
             integrity.marker_path(live))
    return OwnedPlaces(folders=(backup_folder(live),), files=files,
                       name_prefixes=((live.parent, live.name),))


def _refuse_live_source(database_path: Path, file: Path) -> None:
    """Never restore the live database (or one of its files) onto itself: compared by name
    and, for another spelling of the same file, by identity."""
    live = database_path.absolute()
    for name in (live, *(Path(f"{live}{suffix}") for suffix in _COMPANIONS),
                 integrity.marker_path(live)):
        same = file.resolve() == name.resolve()
        if not same and file.exists() and name.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(file, name)
        if same:
            raise BackupError(f"{file}: the live database", path=file, user_message=Text(
                QT_TRANSLATE_NOOP("Errors", "%1 is the order database itself: choose a backup "
                                  "file to restore."), file))


def _private_folder(folder: Path) -> None:
    """The backups folder, created 0700 (and made so if it already exists: it is ours)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            folder.chmod(0o700)
    except OSError as exc:
        raise _write_error(folder, exc) from exc


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of backups a crash interrupted (the ones under way are young)."""
    cutoff = time.time() - _STALE_AFTER
    for entry in folder.glob(".*.part"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


def _write_error(target: Path, exc: BaseException) -> BackupError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupError(f"{target}: {exc}", path=target, user_message=Text(QT_TRANSLATE_NOOP(
        "Errors", "The backup could not be written to %1: %2. The order database was not "
        "changed."), target, reason))


def _unreadable_backup(file: Path, exc: BaseException) -> BackupError:
    """The chosen backup cannot be read (`BackupError`), or is damaged (`BackupDamagedError`:
    SQLite says its content is not a sound database)."""
    if sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return BackupDamagedError(f"{file}: {exc}", path=file)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupError(f"{file}: {exc}", path=file, user_message=Text(QT_TRANSLATE_NOOP(
        "Errors", "The backup %1 cannot be read: %2. Nothing was changed."), file, reason))
