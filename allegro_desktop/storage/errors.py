"""What can go wrong with the order database that is not a bug: each error says what happened
and what the seller can do, and none of them ever leads to the file being changed or deleted.

`translate` turns SQLite's error codes (as the `sqlite3` module reports them, through
SQLAlchemy) into these; anything it does not recognise is left alone and surfaces as a bug.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

__all__ = [
    "DatabaseCorruptError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "DatabaseTooNewError",
    "DiskFullError",
    "StorageError",
    "translate",
]

# SQLite's primary result codes (https://sqlite.org/rescode.html).
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
    before anything is written.
    """

    def __init__(self, *, path: Path, revision: str, known_head: str,
                 written_by: str | None) -> None:
        by: object = (f"Allegro Desktop {written_by}" if written_by else
                      Text(QT_TRANSLATE_NOOP("Errors", "a newer version of Allegro Desktop")))
        super().__init__(
            f"{path}: schema revision {revision} is newer than this version knows "
            f"(its newest is {known_head}); written by {written_by or 'an unknown version'}",
            path=path,
            user_message=Text(QT_TRANSLATE_NOOP(
                "Errors",
                "The order database %1 was last used by %2, which is newer than this version. "
                "Open it with %2 or later. Nothing in the file was changed."), path, by))
        self.revision = revision
        self.known_head = known_head
        self.written_by = written_by


class DatabaseCorruptError(StorageError):
    """The file is not a SQLite database, or SQLite's integrity check fails. It is left exactly
    as it was: the seller (or support) decides whether to restore a backup."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The order database %1 is damaged or is not an Allegro Desktop database. It was "
            "left as it is. Restore a backup, or move the file away and the app will download "
            "your orders again."), path))


class DatabaseLockedError(StorageError):
    """Another program (or a second copy of the app) holds the database's write lock for
    longer than the busy timeout."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The order database %1 is in use by another program, perhaps a second copy of "
            "Allegro Desktop. Close it and try again."), path))


class DiskFullError(StorageError):
    """SQLITE_FULL: no room to write. The transaction was rolled back; nothing was lost, and
    the sync will redo the same work once there is space."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message, path=path, user_message=Text(QT_TRANSLATE_NOOP(
            "Errors",
            "The disk holding %1 is full, so new orders could not be saved. Nothing was lost: "
            "free some space and sync again."), path))


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
