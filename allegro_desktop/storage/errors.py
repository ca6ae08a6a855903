"""What can go wrong with the order database that is not a bug: each error says what happened
and what the seller can do, and none of them ever leads to the file being changed or deleted.

`translate` turns SQLite's error codes (as the `sqlite3` module reports them, through
SQLAlchemy) into these; anything it does not recognise is left alone and surfaces as a bug.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc

from allegro_desktop import __version__
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Moment, Text

__all__ = [
    "BackupDamagedError",
    "BackupError",
    "BackupTooNewError",
    "DatabaseCorruptError",
    "DatabaseDamagedError",
    "DatabaseInUseError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "DatabaseTooNewError",
    "DiskFullError",
    "NotABackupError",
    "StorageError",
    "translate",
]

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_ERROR = 1  # a statement SQLite cannot run as written
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StorageError(AppError):
    """The order database cannot be used right now (the root of this module's errors)."""

    def __init__(self, message: str, *, path: Path,
                 user_message: str | Text | None = None) -> None:
        super().__init__(message, user_message=user_message)
        self.path = path


class DatabaseTooNewError(StorageError):
    """The file was written by a newer version of the app: its schema revision is unknown here.

    Opening it would risk damaging data this version does not understand, so it is refused
    before anything is written. The message names the version that last wrote it only when
    that is another version than this one (`app_version`, default the running app's): a
    development build of the same number can have written a revision this build lacks.
    """

    def __init__(self, *, path: Path, revision: str, known_head: str,
                 written_by: str | None, app_version: str | None = None) -> None:
        ours = app_version or __version__
        if written_by and written_by != ours:
            user_message = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 was last used by %2, which is newer than this version. "
                "Open it with %2 or later. Nothing in the file was changed."),
                path, f"Allegro Desktop {written_by}")
        else:  # this very version number (a development build), or an unknown one
            user_message = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 was changed by a build of Allegro Desktop newer than "
                "this version (%3): its format (revision %2) is unknown here. Open it with "
                "that newer build. Nothing in the file was changed."), path, revision, ours)
        super().__init__(
            f"{path}: schema revision {revision} is newer than this version knows "
            f"(its newest is {known_head}); written by {written_by or 'an unknown version'}",
            path=path, user_message=user_message)
        self.revision = revision
        self.known_head = known_head
        self.written_by = written_by


def _newest_backup(database: Path) -> Path | None:
    from allegro_desktop.storage.backup import newest_backup  # backup.py imports this module

    return newest_backup(database)


class DatabaseCorruptError(StorageError):
    """The file is not a SQLite database, or SQLite's integrity check fails. It is left exactly
    as it was: the seller (or support) decides whether to restore a backup — the message names
    the newest automatic one (`newest_backup`), if any."""

    def __init__(self, message: str, *, path: Path) -> None:
        self.newest_backup = _newest_backup(path)
        if self.newest_backup is not None:
            user_message = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 is damaged or is not an Allegro Desktop database. It "
                "was left as it is. Restore your newest backup, %2: File → Restore from "
                "backup… in the app, or the command allegro-desktop restore %2. Or move the "
                "file away and the app will download your orders from Allegro again."),
                path, self.newest_backup)
        else:
            user_message = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 is damaged or is not an Allegro Desktop database. It "
                "was left as it is. Restore a backup (File → Restore from backup… in the app, "
                "or the command allegro-desktop restore FILE), or move the file away and the "
                "app will download your orders from Allegro again."), path)
        super().__init__(message, path=path, user_message=user_message)


class DatabaseDamagedError(DatabaseCorruptError):
    """The database is known to be damaged (storage/integrity.py's marker): nothing is written
    to it any more — no sync, no migration — until a backup is restored or a full check finds
    it sound again. Reading goes on."""

    def __init__(self, message: str, *, path: Path, detected_at: datetime) -> None:
        super().__init__(message, path=path)
        self.detected_at = detected_at
        found = Moment(detected_at.timestamp())
        if self.newest_backup is not None:
            self.user_text = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 was found damaged (%2), so the app no longer writes to "
                "it or syncs, to keep the damage from spreading. Your orders can still be "
                "viewed. Restore your newest backup, %3: File → Restore from backup… in the "
                "app, or the command allegro-desktop restore %3."), path, found,
                self.newest_backup)
        else:
            self.user_text = Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 was found damaged (%2), so the app no longer writes to "
                "it or syncs, to keep the damage from spreading. Your orders can still be "
                "viewed. No backup of it was found: restore one you made yourself (File → "
                "Restore from backup…), or quit the app, move the file away, and the app will "
                "download your orders from Allegro again."), path, found)


class DatabaseLockedError(StorageError):
    """Another program (or a second copy of the app) holds the database's write lock for
    longer than the busy timeout."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The order database %1 is in use by another program, perhaps a second copy of "
            "Allegro Desktop. Close it and try again."), path))


class DatabaseInUseError(DatabaseLockedError):
    """Another process has the database open while something needs it alone (a restore from
    the command line)."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path)
        self.user_text = Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The order database %1 is open in another program, probably Allegro Desktop. "
            "Quit it (or restore from the app: File → Restore from backup…) and try again. "
            "Nothing was changed."), path)


class DiskFullError(StorageError):
    """SQLITE_FULL: no room to write. The transaction was rolled back; nothing was lost, and
    the sync will redo the same work once there is space."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The disk holding %1 is full, so new orders could not be saved. Nothing was lost: "
            "free some space and sync again."), path))


class BackupError(StorageError):
    """A backup could not be made, or a file cannot be restored; the order database was not
    changed."""


class NotABackupError(BackupError):
    """The file chosen for a restore is not an Allegro Desktop database."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "%1 is not an Allegro Desktop database, so it cannot be restored. Choose a backup "
            "made by Allegro Desktop. Nothing was changed."), path))


class BackupTooNewError(BackupError):
    """The file chosen for a restore was written by a newer version (unknown revision)."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The backup %1 was made by a newer version of Allegro Desktop than this one (%2). "
            "Restore it with that version or a later one. Nothing was changed."),
            path, __version__))


class BackupDamagedError(BackupError):
    """The file chosen for a restore fails SQLite's integrity check."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The backup %1 is damaged, so it cannot be restored. Choose an older backup. "
            "Nothing was changed."), path))


class DatabaseReadOnlyError(StorageError):
    """The file or its folder cannot be written (permissions, a read-only medium)."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The order database %1 cannot be written to. Check that its folder is writable."),
            path))


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of a `sqlite3` error (wrapped by SQLAlchemy or not)."""
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def translate(exc: BaseException, *, path: Path) -> StorageError | None:
    """The `StorageError` for a database failure the seller can act on, or None (a bug)."""
    if not isinstance(exc, sa_exc.DBAPIError | sqlite3.Error):
        return None
    code = sqlite_code(exc)
    detail = str(exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLockedError(f"{path}: {detail}", path=path)
    if code == SQLITE_FULL:
        return DiskFullError(f"{path}: {detail}", path=path)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseCorruptError(f"{path}: {detail}", path=path)
    if code == SQLITE_READONLY:
        return DatabaseReadOnlyError(f"{path}: {detail}", path=path)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return StorageError(f"{path}: {detail}", path=path, user_message=Text(
            QT_TRANSLATE_NOOP("Errors",
                              "The order database %1 could not be read or written (%2). Check "
                              "the disk and the folder's permissions."), path, detail))
    return None
