"""Finding damage in the order database before it spreads, and remembering what was found:
`open_check` at every open (cost independent of the file's size), `full_check` (`PRAGMA
quick_check`) in the background, before migrations and on backups, and the damage marker next
to the file that every process reads before it writes. ARCHITECTURE.md "Damage and backups".
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from allegro_desktop.files.safe import write_bytes_atomically
from allegro_desktop.storage.errors import SQLITE_CORRUPT, SQLITE_NOTADB, sqlite_code

__all__ = [
    "Damage",
    "clear_damage",
    "full_check",
    "marker_path",
    "open_check",
    "read_damage",
    "record_damage",
]

log = logging.getLogger("allegro_desktop.storage")

HEADER_SIZE: Final = 100
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
#: Freelist trunk pages followed at open at most (a 4 kB trunk lists 1 022 free pages: this is
#: a freelist of 40 GB); a longer one is not followed to its end.
MAX_TRUNKS: Final = 10_000
#: SQLite VM steps between two calls of the progress handler that lets a full check stop.
_STEPS_PER_POLL: Final = 10_000


@dataclass(frozen=True)
class Damage:
    """What a check found wrong with the database, and when."""

    detected_at: datetime
    detail: str


def marker_path(database: Path) -> Path:
    """The damage marker of the database at `database`."""
    return database.with_name(database.name + "-damaged")


def read_damage(database: Path) -> Damage | None:
    """The recorded damage of the database, None if none is recorded. A marker that cannot be
    read as JSON still says the database is damaged (a marker is never written half:
    `record_damage` renames a whole one into place)."""
    marker = marker_path(database)
    try:
        text = marker.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("the damage marker %s cannot be read: %s", marker, exc)
        return Damage(datetime.fromtimestamp(0, UTC), f"marker unreadable: {exc}")
    try:
        data = json.loads(text)
        return Damage(datetime.fromisoformat(data["detected_at"]), str(data["detail"]))
    except (ValueError, KeyError, TypeError):
        return Damage(datetime.fromtimestamp(marker.stat().st_mtime, UTC), text[:500])


def record_damage(database: Path, detail: str, *, now: datetime | None = None) -> Damage:
    """Write the marker (0600, whole or not at all) and return what it says. A marker already
    there is kept: the first finding says when the damage was first seen."""
    existing = read_damage(database)
    if existing is not None:
        return existing
    damage = Damage(now or datetime.now(UTC), detail)
    marker = marker_path(database)
    payload = json.dumps({"detected_at": damage.detected_at.isoformat(), "detail": detail})
    try:
        write_bytes_atomically(marker, payload.encode("utf-8"))
    except OSError as exc:  # a read-only folder: the process that found it still knows
        log.error("the damage of %s cannot be recorded in %s: %s", database, marker, exc)
    log.error("order database %s is damaged: %s", database, detail)
    return damage


def clear_damage(database: Path) -> None:
    """Forget the recorded damage (the file was replaced, or found sound again)."""
    marker = marker_path(database)
    try:
        marker.unlink()
    except FileNotFoundError:
        return
    log.info("order database %s: the damage marker is removed", database)


# -- the open check ------------------------------------------------------------------------


def _u16(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 2], "big")


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "big")


@dataclass(frozen=True)
class _Header:
    page_size: int
    usable_size: int
    #: The page count the header states, or None when the header says it is not to be trusted
    #: (a file last written by a very old SQLite).
    pages: int | None
    freelist_trunk: int
    freelist_count: int


def header_problems(header: bytes) -> tuple[_Header | None, list[str]]:
    """The database header's fields, and what is wrong with them (SQLite's file format,
    https://sqlite.org/fileformat2.html#the_database_header)."""
    if len(header) < HEADER_SIZE:
        return None, [f"the file is shorter than SQLite's {HEADER_SIZE}-byte header"]
    if header[:16] != SQLITE_MAGIC:
        return None, ["not a SQLite database (its first bytes are not SQLite's)"]
    problems = []
    page_size = _u16(header, 16)
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        problems.append(f"page size {page_size} is not one SQLite writes")
    if header[18] not in (1, 2) or header[19] not in (1, 2):
        problems.append(f"file format versions {header[18]}/{header[19]} are unknown")
    usable = page_size - header[20]
    if usable < 480:
        problems.append(f"{header[20]} reserved bytes a page leave too little room")
    if header[21:24] != b"\x40\x20\x20":
        problems.append("the payload fractions are not SQLite's fixed 64/32/32")
    if _u32(header, 44) > 4:  # 0: no schema yet (a new file whose tables are in the -wal)
        problems.append(f"schema format {_u32(header, 44)} is unknown")
    if _u32(header, 56) not in (0, 1, 2, 3):  # 0: no schema yet
        problems.append(f"text encoding {_u32(header, 56)} is unknown")
    pages = _u32(header, 28) if _u32(header, 92) == _u32(header, 24) else None
    trunk, free = _u32(header, 32), _u32(header, 36)
    if pages is not None:
        if free >= max(pages, 1):
            problems.append(f"the freelist counts {free} free pages in a file of {pages}")
        if trunk > pages:
            problems.append(f"the freelist starts at page {trunk}, after the last ({pages})")
    if (trunk == 0) != (free == 0):
        problems.append(f"the freelist's first page ({trunk}) and size ({free}) disagree")
    return _Header(page_size, usable, pages, trunk, free), problems


def _freelist_problems(file: Path, header: _Header) -> list[str]:
    """Follow the freelist's trunk pages in the file itself (see `open_check` on when)."""
    pages = header.pages
    if pages is None or header.freelist_trunk == 0:
        return []
    per_trunk = header.usable_size // 4 - 2
    seen, trunk, trunks = 0, header.freelist_trunk, 0
    with file.open("rb") as data:
        while trunk and trunks < MAX_TRUNKS:
            if not 2 <= trunk <= pages:
                return [f"the freelist leads to page {trunk}, outside the file ({pages})"]
            data.seek((trunk - 1) * header.page_size)
            page = data.read(header.page_size)
            if len(page) < header.page_size:
                return [f"freelist page {trunk} is cut short"]
            leaves = _u32(page, 4)
            if leaves > per_trunk:
                return [f"freelist page {trunk} lists {leaves} pages, more than fit"]
            bad = [leaf for leaf in (_u32(page, 8 + 4 * i) for i in range(leaves))
                   if not 2 <= leaf <= pages]
            if bad:
                return [f"freelist page {trunk} lists page {bad[0]}, outside the file"]
            seen += 1 + leaves
            if seen > header.freelist_count:
                return [f"the freelist is longer than the {header.freelist_count} pages the "
                        "header says (or loops)"]
            trunk = _u32(page, 0)
            trunks += 1
    if not trunk and seen != header.freelist_count:
        return [f"the freelist holds {seen} pages, the header says {header.freelist_count}"]
    return []


def open_check(file: Path, connection: sqlite3.Connection) -> list[str]:
    """What the cheap checks find wrong with the database at `file` (ARCHITECTURE.md "Damage
    and backups"), through `connection` (read-only, `cell_size_check` on); [] when nothing.

    The page count is compared with the file's length, and the freelist followed in the file
    itself, only when the write-ahead log is empty: then the file is the whole database, and
    the read transaction held meanwhile keeps any checkpoint from changing it. SQLite errors
    (SQLITE_CORRUPT on a page read) are left to the caller."""
    with file.open("rb") as data:
        header, problems = header_problems(data.read(HEADER_SIZE))
    if header is None or problems:
        return problems
    connection.execute("BEGIN")
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0")]
        for table in tables:  # the root page and the first leaf of each
            connection.execute(f'SELECT 1 FROM "{table.replace(chr(34), chr(34) * 2)}" '
                               "LIMIT 1").fetchall()
        wal = file.with_name(file.name + "-wal")
        wal_empty = not wal.exists() or wal.stat().st_size == 0
        if wal_empty:
            if header.pages is not None and file.stat().st_size < header.pages * \
                    header.page_size:
                return [f"the file is shorter ({file.stat().st_size} bytes) than its "
                        f"{header.pages} pages of {header.page_size} bytes"]
            return _freelist_problems(file, header)
        return []
    finally:
        connection.execute("ROLLBACK")


# -- the full check ------------------------------------------------------------------------


def full_check(file: Path, *, thorough: bool = False, timeout: float = 5.0,
               stop: Callable[[], bool] | None = None) -> list[str] | None:
    """`PRAGMA quick_check` of the database at `file` over a read-only connection (one
    snapshot: a writer going on meanwhile is not seen as damage), `integrity_check` if
    `thorough` (also that every index matches its table); [] when it passes, what it found
    otherwise, None when `stop()` said to stop before it finished. It reads every page.

    Only what SQLite says of the file's content is damage: the rows the check returns, and
    SQLITE_CORRUPT or SQLITE_NOTADB met while reading. Anything else — the file cannot be
    opened or read (an I/O error, a medium pulled out), it is locked or busy — is not a
    verdict about the database: the `sqlite3.Error` is raised for the caller to word."""
    problems: list[str]
    connection = sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True,
                                 timeout=timeout, check_same_thread=False)
    try:
        connection.execute("PRAGMA cell_size_check = ON")
        if stop is not None:
            connection.set_progress_handler(lambda: 1 if stop() else 0, _STEPS_PER_POLL)
        pragma = "integrity_check(10)" if thorough else "quick_check(10)"
        problems = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
        problems = [] if problems == ["ok"] else problems
    except sqlite3.DatabaseError as exc:
        if stop is not None and stop() and "interrupt" in str(exc):
            return None
        if sqlite_code(exc) not in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise
        problems = [str(exc)]
    finally:
        connection.close()
    return problems
