"""Damage is found before it spreads: real order databases, below and above 64 MB (the size
above which the old open skipped its check), with a page in the middle overwritten with
garbage, a broken header, a broken freelist. Nothing is written to a damaged file."""

from __future__ import annotations

import random
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.emulator.generator import OrderGenerator
from allegro_desktop.storage import (
    Database,
    DatabaseCorruptError,
    OrderRepository,
    SyncStateRepository,
)
from allegro_desktop.storage.errors import DatabaseDamagedError, StorageError
from allegro_desktop.storage.integrity import (
    full_check,
    marker_path,
    read_damage,
    record_damage,
)
from tests.helpers.served_orders import ACCOUNT, NOW

PAGE = 4096
MB = 1024 * 1024


def _build(path: Path, orders: int) -> Path:
    """A real database of `orders` generated orders, stored by `apply_batch`, then closed
    (the log checkpointed into the file)."""
    history = OrderGenerator(seed=3, seller_id="1").history(orders, now=NOW)
    parsed = [parse_checkout_form(order.form, account_key=ACCOUNT) for order in history]
    with Database.open(path, app_version="0.1.0") as database:
        repository = OrderRepository(database=database)
        for start in range(0, len(parsed), 1000):
            repository.apply_batch(account_key=ACCOUNT, orders=parsed[start:start + 1000],
                                   events=[], cursor=str(start))
    return path


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small (~2 MB) and a big (> 64 MB) database, built once."""
    folder = tmp_path_factory.mktemp("integrity")
    small = _build(folder / "small.sqlite3", 300)
    big = _build(folder / "big.sqlite3", 12_000)
    assert big.stat().st_size > 64 * MB
    return {"small": small, "big": big}


@pytest.fixture(params=["small", "big"])
def copy(request: pytest.FixtureRequest, databases: dict[str, Path],
         tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of one of them in its own profile folder."""
    path = tmp_path / "profile" / "orders.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(databases[request.param], path)
    return path


def _overwrite_page(path: Path, page: int, seed: int = 7) -> bytes:
    """Garbage over page `page` (1-based); returns the whole file as it is now."""
    with path.open("r+b") as file:
        file.seek((page - 1) * PAGE)
        file.write(random.Random(seed).randbytes(PAGE))
    return path.read_bytes()


def _middle_page(path: Path) -> int:
    return path.stat().st_size // PAGE // 2


def _middle_table_page(path: Path) -> int:
    """The first page from the middle on that holds rows of a table (a table b-tree leaf,
    type 13): a page that reading every row of every table must meet, whatever the file's
    layout (the middle page itself may be an index's)."""
    data = path.read_bytes()
    for page in range(_middle_page(path), len(data) // PAGE + 1):
        if data[(page - 1) * PAGE] == 13:
            return page
    raise AssertionError("no table page after the middle")  # pragma: no cover


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_every_connection_checks_cell_sizes(db: Database) -> None:
    with db.read() as connection:
        assert connection.exec_driver_sql("PRAGMA cell_size_check").scalar() == 1


def test_a_damaged_page_in_the_middle_is_found_and_nothing_more_is_written(copy: Path) -> None:
    """The open's check does not read every page (its cost does not grow with the file), so
    the garbage page is found by the full check the window runs in the background; from then
    on the database refuses every write, and says which backup to restore."""
    damaged = _overwrite_page(copy, _middle_page(copy))
    with Database.open(copy, app_version="0.1.0") as database:
        assert database.damage is None  # not read at open
        assert database.verify() is False
        damage = database.damage
        assert damage is not None
        assert "malformed" in damage.detail or "Page" in damage.detail
        marker = marker_path(copy)
        assert stat.S_IMODE(marker.stat().st_mode) == 0o600
        with pytest.raises(DatabaseDamagedError) as refused:
            OrderRepository(database=database).apply_batch(
                account_key=ACCOUNT, orders=[], events=[], cursor="next")
        assert "found damaged" in refused.value.user_message
        assert "allegro-desktop restore" in refused.value.user_message \
            or "Restore from backup" in refused.value.user_message
        with pytest.raises(DatabaseDamagedError):
            SyncStateRepository(database=database).start_run(account_key=ACCOUNT,
                                                             kind="incremental")
        assert database.checkpoint() is False  # its files are left as they are
    assert copy.read_bytes() == damaged
    # Another process, another day: still known, still refused, still not written.
    with Database.open(copy, app_version="0.2.0") as database:
        assert database.damage == damage
        with pytest.raises(DatabaseDamagedError), database.write():
            pass
    assert copy.read_bytes() == damaged


def test_a_damaged_page_met_by_a_read_marks_the_database(copy: Path) -> None:
    """SQLITE_CORRUPT during normal use (here: reading every row of every table, the middle
    page among them) records the damage like the full check does."""
    _overwrite_page(copy, _middle_table_page(copy))
    with Database.open(copy) as database:
        with database.read() as connection:
            tables = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0"
            ).scalars().all()

        def read_everything() -> None:
            for table in tables:
                with database.read() as connection:
                    connection.exec_driver_sql(f'SELECT * FROM "{table}"').all()

        with pytest.raises(DatabaseCorruptError):
            read_everything()
        assert database.damage is not None
        with pytest.raises(DatabaseDamagedError), database.write():
            pass


def test_a_damaged_database_is_not_migrated(copy: Path) -> None:
    """Before a migration rewrites tables, every page is checked: a damaged file is refused
    and left byte for byte as it was."""
    with sqlite3.connect(copy) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0006'")
    raw.close()
    damaged = _overwrite_page(copy, _middle_page(copy))
    with pytest.raises(DatabaseDamagedError):
        Database.open(copy, app_version="0.1.0")
    assert copy.read_bytes() == damaged
    assert read_damage(copy) is not None


@pytest.mark.parametrize("field", ["page size", "payload fractions", "freelist size"])
def test_a_damaged_header_is_refused_at_open(copy: Path, field: str) -> None:
    data = bytearray(copy.read_bytes())
    if field == "page size":
        data[16:18] = (3000).to_bytes(2, "big")
    elif field == "payload fractions":
        data[21] = 99
    else:
        pages = int.from_bytes(data[28:32], "big")
        data[36:40] = (pages + 5).to_bytes(4, "big")
    copy.write_bytes(bytes(data))
    before = _files(copy.parent)
    with pytest.raises(DatabaseCorruptError, match=field.split(maxsplit=1)[0]):
        Database.open(copy)
    assert _files(copy.parent) == before  # nothing written, nothing added


def test_a_broken_freelist_is_refused_at_open(db_path: Path) -> None:
    _build(db_path, 300)
    with Database.open(db_path) as database, database.write() as connection:
        connection.exec_driver_sql("DELETE FROM order_forms")  # free pages: a freelist
    data = bytearray(db_path.read_bytes())
    trunk = int.from_bytes(data[32:36], "big")
    assert trunk, "deleting the forms leaves free pages"
    pages = int.from_bytes(data[28:32], "big")
    offset = (trunk - 1) * PAGE
    data[offset:offset + 4] = (pages + 1000).to_bytes(4, "big")  # the next trunk: outside
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError, match="freelist"):
        Database.open(db_path)


def test_a_passing_integrity_check_forgets_the_damage(db: Database, db_path: Path) -> None:
    """Damage recorded of a file that was since repaired (or replaced by hand): the thorough
    check passes, the marker goes and writes resume."""
    record_damage(db_path, "found by an earlier check")
    with pytest.raises(DatabaseDamagedError), db.write():
        pass
    assert db.verify() is True
    assert db.damage is None
    assert not marker_path(db_path).exists()
    with db.write() as connection:
        connection.exec_driver_sql("SELECT 1")


def test_a_new_database_forgets_the_damage_of_the_file_that_was_there(db_path: Path) -> None:
    db_path.parent.mkdir()
    record_damage(db_path, "of a file since moved away")
    with Database.open(db_path) as database:
        assert database.damage is None
    assert not marker_path(db_path).exists()


def test_the_damage_listener_is_told_once(copy: Path) -> None:
    _overwrite_page(copy, _middle_page(copy))
    told = []
    with Database.open(copy) as database:
        database.add_damage_listener(told.append)
        assert database.verify() is False
        assert database.verify() is False
    assert len(told) == 1


def test_a_check_can_be_stopped(copy: Path) -> None:
    with Database.open(copy) as database:
        assert database.verify(stop=lambda: True) is None
        assert database.damage is None


def test_a_file_that_cannot_be_read_is_an_error_not_damage(db_path: Path, tmp_path: Path) -> None:
    """Only what SQLite says of the content is damage. A file that cannot be opened or read
    (the drive it is on was unplugged) is an error: never recorded, writes go on once it is
    back."""
    with pytest.raises(sqlite3.OperationalError):
        full_check(tmp_path / "unplugged" / "orders.sqlite3")
    with Database.open(db_path) as database:
        gone = db_path.with_name("elsewhere.sqlite3")
        db_path.rename(gone)
        try:
            with pytest.raises(StorageError) as failed:
                database.verify()
            assert not isinstance(failed.value, DatabaseDamagedError)
            assert database.damage is None
        finally:
            gone.rename(db_path)
        assert not marker_path(db_path).exists()
        with database.write() as connection:
            connection.exec_driver_sql("SELECT 1")
