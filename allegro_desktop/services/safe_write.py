"""Writing a file the user chose, without ever destroying anything else: the one place every
writer of a user-chosen file goes through (the order export, the Statistics tables and charts,
the diagnostics report), in the window and on the command line alike (no Qt).

`replacing_atomically(target)` hands out a temporary file next to the target and renames it
over the target only once the writer is done (flushed to disk): a cancel, an error or a crash
leaves what was there before, and no temporary behind. Before the first byte is written, and
again just before the rename, `check_target` refuses a target that is not an ordinary file the
user could mean, with a reason the seller can act on (an `UnsafeTargetError`, its message a
translatable `Text`):

- the app's own files: the order database and its `-wal`/`-shm`/`-journal` companions, its
  backups, anything in the app's own folders (settings, logs, cache, the demo) — the places
  the profile in use has `protect`ed (`config/paths.py` says which they are);
- a folder, a named pipe, a socket or a device (a rename would replace them, and opening a
  pipe would hang);
- a symbolic link, wherever it points. The app cannot tell a link the user made on purpose
  from one planted to make it overwrite something else, and replacing the link would silently
  break it; so it says where the link points and lets the user choose that file itself.

Overwriting an ordinary file the user chose stays allowed; the new file keeps that file's
permissions. A new file is created readable by its owner only (0600 on POSIX): an export holds
buyers' names, addresses and phone numbers, and a seller who wants to share it can do so
deliberately. Problems of the disk or folder (no permission, disk full, a missing folder, the
file open in Excel) are an `ExportError` saying what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

__all__ = [
    "NEW_FILE_MODE",
    "DiscardableFile",
    "ExportError",
    "OwnedPlaces",
    "UnsafeTargetError",
    "check_target",
    "protect",
    "replacing_atomically",
]

# The permissions of a file the app creates (POSIX): its owner's only.
NEW_FILE_MODE: Final = 0o600
_TEMPORARY_ATTEMPTS: Final = 100


class ExportError(AppError):
    """A file cannot be written, for a reason the user can act on (`user_message` says how).
    Nothing was left behind, and an existing file is unchanged."""

    def __init__(self, message: str, *, path: Path, user_message: str | Text) -> None:
        super().__init__(message, user_message=user_message)
        self.path = path


class UnsafeTargetError(ExportError):
    """The chosen target is not an ordinary file the app may replace (see the module doc);
    nothing was written."""


@dataclass(frozen=True)
class OwnedPlaces:
    """What one profile of the app owns on disk, and so never writes an export over.

    `folders`: everything inside them (and the folders themselves); `files`: these files;
    `name_prefixes`: (folder, prefix) — every file in `folder` whose name starts with `prefix`
    (the database's companions and backups, whatever their suffix)."""

    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()
    name_prefixes: tuple[tuple[Path, str], ...] = ()


_protected: list[OwnedPlaces] = []
_protected_lock = threading.Lock()


def protect(places: OwnedPlaces) -> None:
    """From now on, refuse to write over `places` (called for each profile the process uses;
    a profile used once stays protected until the process ends)."""
    with _protected_lock:
        if places not in _protected:
            _protected.append(places)


def _protected_places() -> list[OwnedPlaces]:
    with _protected_lock:
        return list(_protected)


# -- the target check ----------------------------------------------------------------------------

_KINDS: Final = (
    (stat.S_ISFIFO, QT_TRANSLATE_NOOP("Errors", "a named pipe (FIFO)")),
    (stat.S_ISSOCK, QT_TRANSLATE_NOOP("Errors", "a socket")),
    (stat.S_ISCHR, QT_TRANSLATE_NOOP("Errors", "a device")),
    (stat.S_ISBLK, QT_TRANSLATE_NOOP("Errors", "a device")),
)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what `path` names, following links; None if it cannot be seen."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _refused(target: Path, text: Text) -> UnsafeTargetError:
    return UnsafeTargetError(f"{target}: refused: {text}", path=target, user_message=text)


def _same(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and a == b


def _check_owned(target: Path, existing: os.stat_result | None,
                 places: Iterable[OwnedPlaces]) -> None:
    """`UnsafeTargetError` if `target` (its folder already resolved) belongs to the app.

    Compared by identity (device and inode) as well as by name, so another spelling of the
    same place — another letter case, a second mount, a hard link — is recognised too."""
    folder_here = _identity(target.parent)
    folders_up = {found for found in map(_identity, target.parent.parents) if found is not None}
    if folder_here is not None:
        folders_up.add(folder_here)
    same_file = None if existing is None else (existing.st_dev, existing.st_ino)
    name = target.name.casefold()
    for owned in places:
        for folder in owned.folders:
            owned_folder = _identity(folder)
            if (folder == target or folder in target.parents
                    or (owned_folder is not None and owned_folder in folders_up)
                    or _same(owned_folder, same_file)):
                raise _refused(target, Text(QT_TRANSLATE_NOOP(
                    "Errors", "%1 is in %2, a folder where Allegro Desktop keeps its own files "
                    "(the order database, settings, logs, backups). Save it somewhere else, for "
                    "example in your Documents folder."), target, folder))
        database = any(
            name.startswith(prefix.casefold())
            and (folder == target.parent or _same(_identity(folder), folder_here))
            for folder, prefix in owned.name_prefixes) or any(
            file == target or _same(_identity(file), same_file) for file in owned.files)
        if database:
            raise _refused(target, Text(QT_TRANSLATE_NOOP(
                "Errors", "%1 is Allegro Desktop's order database, one of its companion files "
                "or a backup. Saving over it would destroy your orders: choose another name or "
                "folder, for example in your Documents folder."), target))


def check_target(path: Path) -> Path:
    """Where writing `path` would put the file — its folder with links resolved, its own name
    kept — if it is a place the app may write to; `UnsafeTargetError` (reason for the user)
    if not. An ordinary file there may be replaced; a missing one created."""
    given = Path(path).absolute()
    if given.name in ("", ".", ".."):
        raise _refused(given, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is a folder. Choose a file name in it."), given))
    try:
        folder = given.parent.resolve()
    except (OSError, RuntimeError):  # a link loop on the way: the writer says why it fails
        folder = given.parent
    target = folder / given.name
    try:
        existing: os.stat_result | None = os.lstat(target)
    except OSError:  # missing (or not to be looked at): writing says what is wrong, if anything
        existing = None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        try:
            points_to = os.readlink(target)
        except OSError:
            points_to = "?"
        raise _refused(target, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is a link to %2. Allegro Desktop does not write through links, so "
            "that the link and what it points to stay as they are: choose %2 itself, or "
            "another name."), target, points_to))
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise _refused(target, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is a folder. Choose a file name in it."), target))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        kind = next((text for test, text in _KINDS if test(existing.st_mode)),
                    QT_TRANSLATE_NOOP("Errors", "a special file"))
        raise _refused(target, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is not an ordinary file but %2, which cannot hold an export. Choose "
            "another name."), target, Text(kind)))
    _check_owned(target, existing, _protected_places())
    return target


# -- errors of writing ---------------------------------------------------------------------------


def _write_error(exc: OSError, target: Path) -> ExportError:
    """An `OSError` of writing `target`, as a message the user can act on."""
    folder = target.parent
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "There is not enough free space to save %1 in %2. Free some space on the "
            "disk, or save the export somewhere else."), target.name, folder)
    elif code == errno.EFBIG:
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is too big for the disk or folder it is saved to (%2), which limits "
            "the size of a file. Save it somewhere else, or export fewer orders."),
            target.name, folder)
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(exc, PermissionError):
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 cannot be written: you may not save files in %2, or the file is open "
            "in another program (such as Excel). Close it, or choose another folder, for "
            "example your Documents."), target, folder)
    elif code == errno.ENOENT:
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "The folder %1 does not exist (any more). Choose an existing folder."),
            folder)
    elif code in (errno.EISDIR, errno.ENOTDIR):
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 cannot be written: it or a folder on its path is not what it seems (a "
            "folder where a file should be, or the reverse). Choose another name."), target)
    elif code == errno.ENAMETOOLONG:
        text = Text(QT_TRANSLATE_NOOP(
            "Errors", "The file name %1 is too long. Choose a shorter one."), target.name)
    else:
        text = Text(QT_TRANSLATE_NOOP("Errors", "%1 could not be written: %2."), target,
                    exc.strerror or exc)
    return ExportError(f"{target}: {exc}", path=target, user_message=text)


# -- the atomic replace --------------------------------------------------------------------------


def _create_temporary(target: Path, mode: int) -> Path:
    for _attempt in range(_TEMPORARY_ATTEMPTS):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        try:
            if hasattr(os, "fchmod"):  # the umask must not loosen nor tighten it
                os.fchmod(descriptor, mode)
        finally:
            os.close(descriptor)
        return candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))  # pragma: no cover


@contextmanager
def replacing_atomically(path: Path) -> Iterator[Path]:
    """A temporary file next to `path`, renamed over it after the block — flushed to disk
    first — or removed if the block raises. `path` is checked (`check_target`) before and
    again just before the rename; `UnsafeTargetError` or `ExportError` if it cannot be
    written, and then whatever was at `path` is as it was."""
    target = check_target(path)
    try:
        before = os.stat(target)
        mode = stat.S_IMODE(before.st_mode) & 0o777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    except OSError as exc:
        raise _write_error(exc, target) from exc
    try:
        temporary = _create_temporary(target, mode)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    try:
        yield temporary
        _fsync(temporary)
        check_target(target)  # again: a link, folder or pipe put there meanwhile stays
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, target) from exc
        raise
    _fsync_folder(target.parent)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder for this)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse: the data itself is on disk already
    finally:
        os.close(descriptor)


class DiscardableFile:
    """A binary file for a writer that may fail half-way and keep a reference to it — such as
    the zip file inside xlsxwriter, which, left open by a failed write, tries to finish the
    file again when it is garbage-collected and prints a traceback when that fails too.

    `close()` finishes the file (raising what goes wrong); `discard()` closes it quietly, and
    from then on writes go nowhere (only the position moves), so nothing left behind can fail
    again."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self._file: BinaryIO | None = open(path, "wb")  # noqa: SIM115 - see close()
        self._position = 0  # once discarded

    def write(self, data: bytes) -> int:
        if self._file is not None:
            return self._file.write(data)
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position if self._file is None else self._file.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if self._file is not None:
            return self._file.seek(offset, whence)
        self._position = offset if whence == os.SEEK_SET else self._position + offset
        return self._position

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            file.close()

    def discard(self) -> None:
        file, self._file = self._file, None
        if file is None:
            return
        with contextlib.suppress(OSError, ValueError):  # it failed already; removed next
            self._position = file.tell()
        with contextlib.suppress(OSError):
            file.close()
