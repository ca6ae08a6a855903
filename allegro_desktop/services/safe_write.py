"""Writing a file the user chose, without ever destroying anything else: the one place every
writer of a user-chosen export goes through (the order export, the Statistics tables and
charts, the diagnostics report), in the window and on the command line alike (no Qt).

`replacing_atomically(target)` is `files/safe.py`'s writer — the same one, with the
same target check, that File → Back up… and `allegro-desktop backup` use: a temporary file
next to the target, renamed over it only once the writer is done (flushed to disk), so a
cancel, an error or a crash leaves what was there before, and no temporary behind. Before the
first byte is written, and again just before the rename, `check_target` refuses the app's own
files (the order database and its companions, its backups, its lock files, the app's
folders), a folder, a named pipe, a socket, a device or a symbolic link, with a reason the
seller can act on (`UnsafeTargetError`; files/safe.py explains each).

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.files.safe import (
    NEW_FILE_MODE,
    OwnedPlaces,
    UnsafeTargetError,
    check_target,
    protect,
    writing_atomically,
)

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


class ExportError(AppError):
    """A file cannot be written, for a reason the user can act on (`user_message` says how).
    Nothing was left behind, and an existing file is unchanged."""

    def __init__(self, message: str, *, path: Path, user_message: str | Text) -> None:
        super().__init__(message, user_message=user_message)
        self.path = path


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


@contextmanager
def replacing_atomically(path: Path) -> Iterator[Path]:
    """A temporary file next to `path`, renamed over it after the block — flushed to disk
    first — or removed if the block raises (`files.safe.writing_atomically`). `path`
    is checked (`check_target`) before and again just before the rename; `UnsafeTargetError`
    or `ExportError` if it cannot be written, and then whatever was at `path` is as it was."""
    target = check_target(path)
    try:
        with writing_atomically(target) as temporary:
            yield temporary
    except OSError as exc:
        raise _write_error(exc, target) from exc


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
