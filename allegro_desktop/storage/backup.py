"""Backups of the order database — one consistent, self-contained file — and restoring one.

- `back_up(database, target)`: SQLite's online backup API (`sqlite3.Connection.backup`) copies
  the database page by page into a temporary file next to `target`, inside one read
  transaction of the source: one snapshot, however long a sync goes on writing meanwhile (WAL:
  the sync is not held up, and the copy never restarts). The copy is then switched out of WAL
  mode (one file, no -wal: readable by the app, by `sqlite3`, from a read-only medium),
  checked with `PRAGMA quick_check`, flushed to disk and renamed to `target`: there is never a
  half or a damaged backup under the final name. A copy found damaged is deleted and the
  database recorded as damaged (the copy is page for page: so is the database). Files are
  0600; the automatic backups' folder is 0700.
- Automatic backups (`take_automatic_backup`, `BackupPolicy`): `backups/orders-YYYY-MM-DD.sqlite3`
  next to the database, taken after a successful sync when the newest is `interval_days` old;
  the `keep` newest are kept. Never of a database known to be damaged: its copies would push
  the good ones out.
- `stage_backup(database_path, file)`: a private copy of the chosen file (so what is checked is
  what is restored), refused unless it is a sound Allegro Desktop database this version knows
  (`NotABackupError`, `BackupTooNewError`, `BackupDamagedError`).
- `restore(database_path, staged)`: the current database is first saved to
  `backups/orders-before-restore-….sqlite3` (never rotated away), then the backup is copied
  INTO the live database by the same backup API, in one write transaction: every connection —
  of this process or another — sees the old database or the restored one, never a mix, and no
  file is swapped under an open connection (its -wal would be applied to the wrong file). Only
  a database file too damaged for SQLite to open is moved aside whole (into `backups/`) and the
  backup copied into its place. The caller then migrates it (`Database.upgrade_schema` or
  `Database.open`): a backup may be of an older version.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.storage import integrity, migrations
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.errors import (
    BackupDamagedError,
    BackupError,
    BackupTooNewError,
    DatabaseDamagedError,
    DatabaseInUseError,
    DatabaseLockedError,
    NotABackupError,
)

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
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


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
        """Whether a backup is to be taken today (the newest is `interval_days` old)."""
        if self.interval_days <= 0:
            return False
        newest = automatic_backups(folder)
        return not newest or (today - newest[0][0]).days >= self.interval_days


@dataclass(frozen=True)
class RestoreReport:
    restored: BackupInfo
    #: Where the database as it was before the restore is kept (None: there was none).
    saved_current: Path | None


def backup_folder(database_path: Path) -> Path:
    """The folder of the automatic backups of the database at `database_path`."""
    return database_path.absolute().parent / BACKUP_FOLDER


def automatic_backups(folder: Path) -> list[tuple[date, Path]]:
    """The automatic backups in `folder`, newest first."""
    found = []
    with contextlib.suppress(OSError):  # no folder yet: none
        for entry in folder.iterdir():
            match = _AUTOMATIC.match(entry.name)
            if match and entry.is_file():
                try:
                    found.append((date.fromisoformat(match.group(1)), entry))
                except ValueError:  # orders-2026-13-40.sqlite3: not ours
                    continue
    return sorted(found, reverse=True)


def newest_backup(database_path: Path) -> Path | None:
    """The newest automatic backup of the database at `database_path`, if any."""
    backups = automatic_backups(backup_folder(database_path))
    return backups[0][1] if backups else None


# -- taking a backup -------------------------------------------------------------------------


def back_up(database: Database, target: Path, *, progress: Progress | None = None,
            stop: Callable[[], bool] | None = None) -> BackupInfo:
    """Write a backup of `database` to `target` (replaced once the backup is whole and checked;
    see the module doc). Raises `BackupError` (target unusable: the database itself, a missing
    folder, a full disk), `DatabaseDamagedError` (the copy fails its check: nothing kept),
    `BackupCancelled`, or the database's own `StorageError`s."""
    target = target.absolute()
    _refuse_live_target(database.path, target)
    temporary = _new_temporary(target)
    try:
        with database.translated_errors():
            source = sqlite3.connect(database.path, timeout=database.busy_timeout,
                                     isolation_level=None, check_same_thread=False)
        try:
            with database.translated_errors():
                source.execute("BEGIN")  # one snapshot for the whole copy (see module doc)
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _copy_into_file(source, temporary, progress, stop)
        finally:
            source.close()
        if progress is not None:
            progress(BackupStep.CHECK, 0, 0)
        problems = integrity.full_check(temporary, timeout=database.busy_timeout, stop=stop)
        if problems is None:
            raise BackupCancelled
        if problems:
            database.record_damage(f"a backup of it fails quick_check: {'; '.join(problems)}")
            damage = database.damage
            raise DatabaseDamagedError(
                f"{database.path}: its backup fails quick_check ({'; '.join(problems)}); "
                "not kept", path=database.path,
                detected_at=damage.detected_at if damage else datetime.now(UTC))
        info = _describe(temporary, final=target)
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
    log.info("backed up %s (%d orders) to %s", database.path, info.orders, target)
    return info


def take_automatic_backup(database: Database, policy: BackupPolicy, *, today: date,
                          stop: Callable[[], bool] | None = None) -> BackupInfo | None:
    """Today's automatic backup, if one is due (`policy`, the newest backup's date against
    `today`) and the database is not known to be damaged; then the oldest beyond
    `policy.keep` are deleted. None when none was taken."""
    folder = backup_folder(database.path)
    if not policy.due(folder, today) or database.damage is not None:
        return None
    _private_folder(folder)
    _remove_stale_temporaries(folder)
    info = back_up(database, folder / f"orders-{today.isoformat()}.sqlite3", stop=stop)
    for _day, old in automatic_backups(folder)[max(policy.keep, 1):]:
        log.info("deleting the old automatic backup %s", old)
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    return info


def _copy_into_file(source: sqlite3.Connection, target: Path, progress: Progress | None,
                    stop: Callable[[], bool] | None) -> None:
    """The backup API from `source` into the new file `target`, which ends in rollback
    (DELETE) journal mode: one self-contained file."""
    try:
        copy = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
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
    passing `quick_check`. Refused with `NotABackupError`, `BackupTooNewError`,
    `BackupDamagedError` (nothing kept), `BackupError` (cannot be read or copied).
    `BackupCancelled` when `stop()` says so."""
    file = file.absolute()
    _refuse_live_target(database_path, file, restoring=True)
    folder = backup_folder(database_path)
    try:
        with file.open("rb") as data:
            header = data.read(integrity.HEADER_SIZE)
    except OSError as exc:
        raise BackupError(f"{file}: {exc}", path=file, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "The backup %1 cannot be read: %2. Nothing was changed."),
            file, exc.strerror or exc)) from exc
    if header[:16] != integrity.SQLITE_MAGIC:
        raise NotABackupError(f"{file}: not a SQLite database", path=file)
    _private_folder(folder)
    stage = _new_temporary(folder / "restore.sqlite3")
    try:
        try:
            shutil.copyfile(file, stage)
            wal = Path(f"{file}-wal")
            if wal.is_file() and wal.stat().st_size > 0:
                _private_copy(wal, Path(f"{stage}-wal"))
        except OSError as exc:
            raise BackupError(f"{file}: {exc}", path=file, user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "The backup %1 could not be copied: %2. Nothing was changed."),
                file, exc.strerror or exc)) from exc
        info = _check_staged(file, stage, progress, stop)
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
        raise BackupDamagedError(f"{file}: {exc}", path=file) from exc
    if "alembic_version" not in tables or not tables >= _OUR_TABLES:
        raise NotABackupError(f"{file}: not an Allegro Desktop database (tables: "
                              f"{', '.join(sorted(tables)[:8]) or 'none'})", path=file)
    if progress is not None:
        progress(BackupStep.CHECK, 0, 0)
    problems = integrity.full_check(stage, stop=stop)
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


def restore(database_path: Path, staged: StagedBackup, *, exclusive: bool,
            busy_timeout: float = 5.0, progress: Progress | None = None,
            now: datetime | None = None) -> RestoreReport:
    """Put the staged backup in place of the database at `database_path` (see the module doc)
    and forget any damage recorded of it. `exclusive`: refuse (`DatabaseInUseError`) when any
    other connection has the database open, and keep every other out until done (the command
    line); otherwise the caller makes sure its own writers wait (the window runs this as a job
    of its sync thread). The caller migrates the result."""
    database_path = database_path.absolute()
    moment = (now or datetime.now(UTC)).astimezone()
    folder = backup_folder(database_path)
    _private_folder(folder)
    stamp = moment.strftime("%Y-%m-%d-%H%M%S")
    saved = folder / f"orders-before-restore-{stamp}.sqlite3"
    if not database_path.exists() or database_path.stat().st_size == 0:
        _put_in_place(staged.path, database_path)
        integrity.clear_damage(database_path)
        return RestoreReport(_replace_path(staged.info, database_path), None)
    unreadable = _unreadable(database_path)
    live = None
    if unreadable is None:
        try:
            live = _open_live(database_path, exclusive=exclusive, busy_timeout=busy_timeout)
        except sqlite3.DatabaseError as exc:
            if _code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED):
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
        for companion in ("", "-wal", "-shm", "-journal"):
            current = Path(f"{database_path}{companion}")
            if current.exists():
                os.replace(current, Path(f"{saved}{companion}"))
        _put_in_place(staged.path, database_path)
        integrity.clear_damage(database_path)
        return RestoreReport(_replace_path(staged.info, database_path), saved)
    try:
        if progress is not None:
            progress(BackupStep.SAVE_CURRENT, 0, 0)
        _save_current(live, database_path, saved)
        if progress is not None:
            progress(BackupStep.RESTORE, 0, 0)
        _copy_into_live(staged.path, live, database_path, busy_timeout)
        with contextlib.suppress(sqlite3.OperationalError):  # a reader: the next one does it
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        live.close()
    integrity.clear_damage(database_path)
    log.info("restored %s from %s (the database before it: %s)", database_path,
             staged.source, saved)
    return RestoreReport(_replace_path(staged.info, database_path), saved)


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
        if _code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED):
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
    temporary = _new_temporary(saved)
    try:
        try:
            live.execute("BEGIN")
            live.execute("SELECT count(*) FROM sqlite_master").fetchone()
            try:
                _copy_into_file(live, temporary, None, None)
            finally:
                live.execute("ROLLBACK")
        except (sqlite3.DatabaseError, BackupError) as exc:
            log.warning("restore: the current database cannot be copied page by page (%s); "
                        "keeping its files as they are", exc)
            _private_copy(path, temporary)
            wal = Path(f"{path}-wal")
            if wal.is_file() and wal.stat().st_size > 0:
                _private_copy(wal, Path(f"{saved}-wal"))
        _fsync(temporary)
        os.replace(temporary, saved)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"{saved}: {exc}", path=saved, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The current order database could not be saved to %1 before the restore (%2), so "
            "nothing was restored and nothing changed."), saved, exc.strerror or exc)) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(saved.parent)


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
            if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
                raise DatabaseLockedError(f"{path}: locked during a restore", path=path)

        source.backup(live, pages=-1, progress=step)
    except sqlite3.Error as exc:
        if _code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED):
            raise DatabaseLockedError(f"{path}: {exc}", path=path) from exc
        raise BackupError(f"{path}: restore failed: {exc}", path=path, user_message=Text(
            QT_TRANSLATE_NOOP("Errors",
                              "The backup could not be restored into %1 (%2). The order "
                              "database was not changed."), path, str(exc))) from exc
    finally:
        source.close()


def _put_in_place(stage: Path, database_path: Path) -> None:
    """The staged file (one file, rollback journal mode) renamed into the database's place."""
    database_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _new_temporary(database_path)
    try:
        _private_copy(stage, temporary)
        _fsync(temporary)
        os.replace(temporary, database_path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(database_path.parent)


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


def _refuse_live_target(database_path: Path, target: Path, *, restoring: bool = False) -> None:
    """Never write a backup over the live database or its companion files, nor restore it
    onto itself. A minimal check of the exact paths (and the same file under another name)."""
    live = database_path.absolute()
    names = [Path(f"{live}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    names.append(integrity.marker_path(live))
    for name in names:
        same = target.resolve() == name.resolve()
        if not same and target.exists() and name.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, name)
        if same:
            template = (QT_TRANSLATE_NOOP(
                "Errors", "%1 is the order database itself: choose a backup file to restore.")
                if restoring else QT_TRANSLATE_NOOP(
                    "Errors", "%1 is the order database itself (or one of its files): choose "
                    "another file for the backup."))
            raise BackupError(f"{target}: the live database", path=target,
                              user_message=Text(template, target))


def _new_temporary(target: Path) -> Path:
    """A new empty 0600 file next to `target`, named so that nobody takes it for a backup."""
    for _attempt in range(100):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _write_error(target, exc) from exc
        os.close(descriptor)
        return candidate
    raise _write_error(target, FileExistsError("no free temporary name"))  # pragma: no cover


def _private_copy(source: Path, target: Path) -> None:
    """Copy the bytes of `source` to `target`, created 0600."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out, source.open("rb") as data:
        shutil.copyfileobj(data, out, 1024 * 1024)


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


def _code(exc: BaseException) -> int:
    code = getattr(exc, "sqlite_errorcode", 0)
    return code & 0xFF if isinstance(code, int) else 0


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a folder for this)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

