"""Writing a file whole, privately, and never over what must not be replaced: `check_target`,
THE check of a file the seller chose, and `writing_atomically`, THE writer (a temporary file
beside the target, 0600 when new, renamed over it when done). Qt-free and low enough for
`storage` itself; callers word the disk's `OSError`s. What is refused and why:
ARCHITECTURE.md "The orders workspace".
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

__all__ = [
    "NEW_FILE_MODE",
    "OwnedPlaces",
    "UnsafeTargetError",
    "check_target",
    "copy_privately",
    "fsync_file",
    "fsync_folder",
    "new_temporary",
    "protect",
    "write_bytes_atomically",
    "writing_atomically",
]

# The permissions of a file the app creates (POSIX): its owner's only.
NEW_FILE_MODE: Final = 0o600
_TEMPORARY_ATTEMPTS: Final = 100


class UnsafeTargetError(AppError):
    """The chosen target is not an ordinary file the app may replace (ARCHITECTURE.md "The
    orders workspace"); nothing was written."""

    def __init__(self, message: str, *, path: Path, user_message: str | Text) -> None:
        super().__init__(message, user_message=user_message)
        self.path = path


@dataclass(frozen=True)
class OwnedPlaces:
    """What the app owns on disk, and so never writes a file the seller saves over.

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
                "Errors", "%1 is Allegro Desktop's order database, one of its companion files, "
                "a backup or one of its lock files. Saving over it would destroy your orders: "
                "choose another name or folder, for example in your Documents folder."), target))


def check_target(path: Path, *, also: Iterable[OwnedPlaces] = ()) -> Path:
    """Where writing `path` would put the file — its folder with links resolved, its own name
    kept — if it is a place the app may write a file the seller chose to; `UnsafeTargetError`
    (reason for the seller) if not. `also`: places to refuse besides the protected ones."""
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
            "Errors", "%1 is not an ordinary file but %2, which cannot hold what Allegro "
            "Desktop saves. Choose another name."), target, Text(kind)))
    _check_owned(target, existing, [*_protected_places(), *also])
    return target


# -- writing whole -------------------------------------------------------------------------------


def new_temporary(target: Path, mode: int = NEW_FILE_MODE) -> Path:
    """A new empty file next to `target`, with permissions `mode` (whatever the umask), named
    so that nobody takes it for the file itself (`.NAME.RANDOM.part`). `OSError` if the
    folder cannot take it."""
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


def fsync_file(path: Path) -> None:
    """Flush the file's data to the disk."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows cannot open a folder for this). Some
    file systems refuse: the data itself is on disk already, so that is not an error."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def writing_atomically(path: Path, *, check: bool = True, also: Iterable[OwnedPlaces] = (),
                       mode: int | None = None) -> Iterator[Path]:
    """A temporary file next to `path`, renamed over it after the block — flushed to disk
    first — or removed if the block raises (ARCHITECTURE.md "The orders workspace"). `check`:
    `path` is a file the seller chose, checked (`check_target`, with `also`) before and again
    just before the rename; False only for the app's own files. `mode`: the file's permissions
    (default: the replaced file's, 0600 for a new one). Raises `UnsafeTargetError`, or the
    `OSError` of the disk or folder; then whatever was at `path` is as it was."""
    places = tuple(also)
    target = check_target(path, also=places) if check else Path(path).absolute()
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode) & 0o777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
    temporary = new_temporary(target, mode)
    try:
        yield temporary
        fsync_file(temporary)
        if check:
            check_target(target, also=places)  # a link, folder or pipe put there meanwhile stays
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_bytes_atomically(path: Path, data: bytes, *, mode: int = NEW_FILE_MODE) -> None:
    """Replace one of the app's own small files (a marker, a lock's owner) with `data`, whole
    or not at all. `OSError` if it cannot be written."""
    with writing_atomically(path, check=False, mode=mode) as temporary:
        temporary.write_bytes(data)


def copy_privately(source: Path, target: Path, *, mode: int = NEW_FILE_MODE) -> None:
    """Copy the bytes of `source` into `target`, created (or truncated) with permissions
    `mode` — for the app's own files, such as the `-wal` beside a copy of a database."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(target, flags, mode), "wb") as out, source.open("rb") as data:
        if hasattr(os, "fchmod"):  # the umask must not loosen nor tighten it
            os.fchmod(out.fileno(), mode)
        shutil.copyfileobj(data, out, 1024 * 1024)
