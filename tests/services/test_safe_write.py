"""Writing a user-chosen file never destroys anything else (`services/safe_write.py`): the app's
own database, its companions, backups and folders, folders, links, pipes, sockets and devices
are refused with a reason, also when one appears while the file is being written; an ordinary
file is replaced whole, keeping its permissions; a new one is its owner's only. Real files, a
real profile (`resolve_paths`), a real export."""

from __future__ import annotations

import builtins
import gc
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.services.export import (
    ExportError,
    ExportFormat,
    ExportRequest,
    UnsafeTargetError,
    export_orders,
)
from allegro_desktop.services.safe_write import check_target, replacing_atomically
from allegro_desktop.services.table_export import Table, TableFormat, write_table
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.stored_shop import realistic_forms, store_shop

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[AppPaths]:
    """A portable profile (--data-dir) whose database holds the realistic shop, with its WAL
    companions present (the database is open) and a backup beside it."""
    paths = resolve_paths(tmp_path / "profile")
    database = store_shop(paths.database, realistic_forms())
    paths.backup_dir.mkdir()
    (paths.backup_dir / "orders-2026-11-20.sqlite3").write_bytes(paths.database.read_bytes())
    (paths.data_dir / "orders.sqlite3.before-restore").write_bytes(b"SQLite format 3\x00")
    yield paths
    database.close()


@pytest.fixture
def queries(profile: AppPaths) -> Iterator[OrderQueries]:
    with Database.open(profile.database) as database:
        yield OrderQueries(database=database)


def _export(queries: OrderQueries, path: Path, fmt: ExportFormat = ExportFormat.CSV) -> None:
    export_orders(queries, ExportRequest(fmt=fmt), path)


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: a file's bytes, a link's destination, a folder's mark."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
        elif path.is_dir():
            found[key] = "folder"
        else:
            found[key] = "special"
    return found


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(".*.part")]


@pytest.mark.parametrize("name", [
    "orders.sqlite3", "orders.sqlite3-wal", "orders.sqlite3-shm", "orders.sqlite3-journal",
    "ORDERS.SQLITE3", "orders.sqlite3.before-restore", "backups/orders-2026-11-20.sqlite3",
    "backups/new.csv", "config/settings.ini", "logs/allegro-desktop.log", "cache/x.csv",
    "demo/orders.sqlite3", "sync.lock", "sync-owner.json", "window.lock", "demo-window.lock"])
def test_the_apps_own_files_are_refused(profile: AppPaths, queries: OrderQueries,
                                        name: str) -> None:
    before = _snapshot(profile.data_dir)
    with pytest.raises(UnsafeTargetError) as refused:
        _export(queries, profile.data_dir / name)
    message = refused.value.user_message
    assert "Allegro Desktop" in message
    assert "Documents" in message  # where to save instead
    assert _snapshot(profile.data_dir) == before
    assert _leftovers(profile.data_dir) == []
    assert queries.count(ExportRequest(fmt=ExportFormat.CSV).order_filter) == 300


def test_another_spelling_of_the_database_is_refused(profile: AppPaths, queries: OrderQueries,
                                                     tmp_path: Path) -> None:
    """The same file by another path: a hard link elsewhere, a linked folder, `..`."""
    hard_link = tmp_path / "not-the-database.csv"
    os.link(profile.database, hard_link)
    alias = tmp_path / "alias"
    alias.symlink_to(profile.data_dir, target_is_directory=True)
    for path in (hard_link, alias / "orders.sqlite3", alias / "config" / "x.csv",
                 profile.cache_dir / ".." / "orders.sqlite3"):
        with pytest.raises(UnsafeTargetError):
            _export(queries, path)
    assert profile.database.read_bytes().startswith(b"SQLite format 3\x00")


def test_the_data_folder_of_the_user_still_takes_exports(profile: AppPaths,
                                                         queries: OrderQueries) -> None:
    """A --data-dir folder is the user's: only what the app owns in it is refused."""
    path = profile.data_dir / "orders.csv"
    _export(queries, path)
    assert path.read_text(encoding="utf-8-sig").startswith("Purchase date")


def test_the_platform_data_folder_is_the_apps_entirely(tmp_path: Path) -> None:
    usual = AppPaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                     cache_dir=tmp_path / "cache", log_dir=tmp_path / "log", portable=False)
    chosen = AppPaths(data_dir=tmp_path / "chosen", config_dir=tmp_path / "config",
                      cache_dir=tmp_path / "cache", log_dir=tmp_path / "log", portable=False,
                      data_dir_chosen=True)
    assert (tmp_path / "data").resolve() in usual.owned_places.folders
    assert (tmp_path / "chosen").resolve() not in chosen.owned_places.folders
    assert (tmp_path / "chosen" / "backups").resolve() in chosen.owned_places.folders


@posix_only
def test_a_folder_is_refused(profile: AppPaths, queries: OrderQueries, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "old.csv").write_text("old")
    with pytest.raises(UnsafeTargetError) as refused:
        _export(queries, folder)
    assert "is a folder" in refused.value.user_message
    assert _snapshot(folder) == {"old.csv": b"old"}
    with pytest.raises(UnsafeTargetError):
        check_target(tmp_path / "exports" / "..")


@posix_only
@pytest.mark.parametrize("points_to", ["ordinary", "database", "nowhere"])
def test_a_link_is_refused_and_kept(profile: AppPaths, queries: OrderQueries, tmp_path: Path,
                                    points_to: str) -> None:
    """A link is neither replaced (that would break it) nor written through (the app cannot
    tell a link the user made from a planted one): the user is told where it points."""
    ordinary = tmp_path / "mine.csv"
    ordinary.write_text("the user's file")
    destination = {"ordinary": ordinary, "database": profile.database,
                   "nowhere": tmp_path / "missing.csv"}[points_to]
    link = tmp_path / "export.csv"
    link.symlink_to(destination)
    with pytest.raises(UnsafeTargetError) as refused:
        _export(queries, link)
    assert f"is a link to {destination}" in refused.value.user_message
    assert os.readlink(link) == str(destination)
    assert ordinary.read_text() == "the user's file"
    assert not (tmp_path / "missing.csv").exists()
    assert _leftovers(tmp_path) == []


@posix_only
def test_a_pipe_a_socket_and_a_device_are_refused(queries: OrderQueries,
                                                  tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    listener = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "sock"
    listener.bind(str(sock))
    try:
        for path, kind in ((fifo, "named pipe"), (sock, "socket"), (Path(os.devnull), "device")):
            with pytest.raises(UnsafeTargetError) as refused:
                _export(queries, path)  # the pipe is never opened: that would hang
            assert f"not an ordinary file but a {kind}" in refused.value.user_message
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert stat.S_ISSOCK(os.lstat(sock).st_mode)
    finally:
        listener.close()
    assert _leftovers(tmp_path) == []


@posix_only
@pytest.mark.parametrize("swap", ["link", "pipe", "folder"])
def test_a_target_swapped_while_writing_is_kept(tmp_path: Path, swap: str) -> None:
    """Checked again just before the rename: what appeared at the target meanwhile stays."""
    target = tmp_path / "report.txt"
    target.write_text("old")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not to be touched")

    def write_while_swapped() -> None:
        with replacing_atomically(target) as temporary:
            temporary.write_text("new")
            target.unlink()
            if swap == "link":
                target.symlink_to(elsewhere)
            elif swap == "pipe":
                os.mkfifo(target)
            else:
                target.mkdir()

    with pytest.raises(UnsafeTargetError):
        write_while_swapped()
    kind = os.lstat(target).st_mode
    assert {"link": stat.S_ISLNK, "pipe": stat.S_ISFIFO, "folder": stat.S_ISDIR}[swap](kind)
    assert elsewhere.read_text() == "not to be touched"
    assert _leftovers(tmp_path) == []


@posix_only
def test_an_ordinary_file_is_replaced_keeping_its_permissions(queries: OrderQueries,
                                                              tmp_path: Path) -> None:
    shared = tmp_path / "for-the-accountant.csv"
    shared.write_text("old")
    shared.chmod(0o640)
    _export(queries, shared)
    assert shared.read_text(encoding="utf-8-sig").startswith("Purchase date")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    new = tmp_path / "new.xlsx"
    _export(queries, new, ExportFormat.XLSX)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600  # buyers' data: the owner's only


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file `safe_write` opens for writing is the kernel's always-full device: each
    write fails with ENOSPC, as on a full disk."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    real_open = builtins.open

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return real_open("/dev/full", mode, *args, **kwargs)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("allegro_desktop.services.safe_write.open", full_open, raising=False)


@pytest.mark.usefixtures("full_disk")
def test_a_full_disk_is_one_clear_error(queries: OrderQueries, tmp_path: Path) -> None:
    """No second failure later: the zip xlsxwriter leaves open must not try to finish the
    file when it is collected (pytest fails the test on such an 'Exception ignored')."""
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"older export")
    with pytest.raises(ExportError) as failed:
        _export(queries, path, ExportFormat.XLSX)
    assert "not enough free space" in failed.value.user_message
    with pytest.raises(ExportError):
        write_table(Table("t", ["a"], [["x"]] * 5000), tmp_path / "t.xlsx", TableFormat.XLSX)
    del failed
    gc.collect()
    assert path.read_bytes() == b"older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.xlsx", "profile"]


def test_an_xlsx_export_still_opens(queries: OrderQueries, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    _export(queries, path, ExportFormat.XLSX)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    assert len(list(sheet.iter_rows(values_only=True))) == 301
