"""A first fill (storage/first_fill.py): the indexes and statistics triggers set aside while a
back-fill fills an empty database end exactly as if they had been kept all along — schema,
rollups and offer names — however the fill ends: normally, cut short by an error, or killed
with SIGKILL (then by the next `Database.open`, also one that migrates an older file)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from alembic import command
from sqlalchemy import text

from allegro_desktop.storage import Database, OrderRepository, first_fill
from allegro_desktop.storage.migrations import alembic_config
from tests.helpers.processes import ROOT, app_env
from tests.helpers.rollups import actual, assert_exact, sync_writes
from tests.helpers.served_orders import ACCOUNT, Shop, store_forms

SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"


def _schema(db: Database) -> set[tuple[str, ...]]:
    with db.read() as connection:
        return {tuple(row) for row in connection.execute(text(SCHEMA))}


def _names(db: Database) -> list[tuple[str, ...]]:
    """The offers' names. (Not the time they were bought under it: kept a row at a time, it
    can be that of a line item since removed from its order, which a fill cannot know.)"""
    with db.read() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT offer_id, offer_name FROM stats_offer_names ORDER BY 1"))]


def _set_aside_now(db: Database) -> bool:
    with db.read() as connection:
        return first_fill.catch_up_due(connection)


def test_a_first_fill_ends_as_if_nothing_had_been_set_aside(
        repo: OrderRepository, db: Database, shop: Shop, tmp_path: Path) -> None:
    sync_writes(repo, shop)  # the plain way, every trigger and index kept
    filled = Database.open(tmp_path / "filled.sqlite3")
    try:
        filled_repo = OrderRepository(database=filled)
        with filled_repo.first_fill() as set_aside:
            assert set_aside
            assert _set_aside_now(filled)
            absent = {row[1] for row in _schema(db) - _schema(filled)}
            assert {"ix_orders_bought_at", "ix_line_items_offer_id",
                    "stats_orders_insert", "stats_items_insert"} <= absent
            assert "orders_fts_after_delete" not in absent  # the search index is kept
            assert first_fill.KEPT_INDEX not in absent  # and what the back-fill reads by
            sync_writes(filled_repo, shop)
            assert actual(filled)["hourly"] == {}  # no trigger summed meanwhile
        assert not _set_aside_now(filled)
        assert _schema(filled) == _schema(db)
        assert_exact(db)
        assert_exact(filled)
        assert actual(filled) == actual(db)
        assert _names(filled) == _names(db)
    finally:
        filled.close()


def test_nothing_is_set_aside_over_stored_orders(repo: OrderRepository, db: Database,
                                                 shop: Shop) -> None:
    before = _schema(db)
    store_forms(repo, shop.form_copies(20))
    with repo.first_fill() as set_aside:
        assert not set_aside
        assert _schema(db) == before
        store_forms(repo, shop.form_copies()[20:60])
    assert_exact(db)


def test_a_fill_cut_short_by_an_error_still_ends_with_everything_built(
        repo: OrderRepository, db: Database, shop: Shop) -> None:
    before = _schema(db)

    def fill() -> None:
        with repo.first_fill():
            store_forms(repo, shop.form_copies(100))
            raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError, match="the network went away"):
        fill()
    assert not _set_aside_now(db)
    assert _schema(db) == before
    assert_exact(db)


_KILLED_FILL = """
import os, signal, sys
import orjson
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.storage import Database, OrderRepository
forms = orjson.loads(open(sys.argv[2], "rb").read())
repo = OrderRepository(database=Database.open(sys.argv[1]))
with repo.first_fill():
    for start in (0, 60):
        repo.apply_batch(account_key=sys.argv[3], events=[], cursor=None, orders=[
            parse_checkout_form(form, account_key=sys.argv[3]) for form in forms[start:start + 60]])
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_fill_killed_midway_is_caught_up_by_the_next_open(shop: Shop, tmp_path: Path) -> None:
    path, forms = tmp_path / "orders.sqlite3", tmp_path / "forms.json"
    forms.write_bytes(orjson.dumps(shop.form_copies(120)))
    done = subprocess.run([sys.executable, "-c", _KILLED_FILL, str(path), str(forms), ACCOUNT],
                          env=app_env(), cwd=ROOT, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    with sqlite3.connect(path) as raw:  # as the kill left it: set aside, orders committed
        assert raw.execute("SELECT count(*) FROM app_meta WHERE key = ?",
                           (first_fill.SET_ASIDE_KEY,)).fetchone() == (1,)
        assert raw.execute("SELECT count(*) FROM orders").fetchone() == (120,)
    raw.close()
    db = Database.open(path)
    fresh = Database.open(tmp_path / "fresh.sqlite3")
    try:
        assert not _set_aside_now(db)
        assert _schema(db) == _schema(fresh)
        assert_exact(db)
        assert OrderRepository(database=db).count_orders() == 120
    finally:
        db.close()
        fresh.close()


def test_an_older_file_left_mid_fill_is_caught_up_then_migrated(db_path: Path,
                                                              tmp_path: Path) -> None:
    db = Database.open(db_path)
    head = _schema(db)
    with db.write() as connection:
        command.downgrade(alembic_config(connection=connection), "0010")
    older = _schema(db)
    with db.write() as connection:
        assert first_fill.set_aside(connection)
    assert _schema(db) < older
    db.close()
    db = Database.open(db_path)  # as the next start of the app finds it
    try:
        assert not _set_aside_now(db)
        assert _schema(db) == head
        assert_exact(db)
    finally:
        db.close()


@pytest.mark.parametrize("forged", ["not JSON at all", '{"a": 1}', "[]"])
def test_an_unreadable_saved_value_rebuilds_nothing_and_opens(db_path: Path, forged: str) -> None:
    db = Database.open(db_path)
    with db.write() as connection:
        assert first_fill.set_aside(connection)
        connection.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"),
                           {"v": forged, "k": first_fill.SET_ASIDE_KEY})
    db.close()
    db = Database.open(db_path)
    try:
        assert not _set_aside_now(db)
        assert_exact(db)
    finally:
        db.close()


def test_a_forged_saved_value_runs_no_statement_but_an_index_or_trigger(
        db_path: Path, tmp_path: Path) -> None:
    """A file whose saved statements were forged (a backup from elsewhere) must not make the
    app write another file (ATTACH) or change the schema otherwise."""
    elsewhere = tmp_path / "elsewhere.sqlite3"
    db = Database.open(db_path)
    head = _schema(db)
    with db.write() as connection:
        assert first_fill.set_aside(connection)
        saved = orjson.loads(connection.execute(text(
            "SELECT value FROM app_meta WHERE key = :k"),
            {"k": first_fill.SET_ASIDE_KEY}).scalar_one())
        forged = [f"ATTACH DATABASE '{elsewhere}' AS elsewhere",
                  "CREATE TABLE forged (x)",
                  f"CREATE INDEX ix_forged ON orders (id); ATTACH DATABASE '{elsewhere}' AS e",
                  "CREATE INDEX ix_no_column ON orders (no_such_column)",
                  *saved]
        connection.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"),
                           {"v": orjson.dumps(forged).decode(), "k": first_fill.SET_ASIDE_KEY})
    db.close()
    db = Database.open(db_path)
    try:
        assert not elsewhere.exists()
        assert not _set_aside_now(db)
        assert _schema(db) == head  # the saved indexes and triggers back, nothing else
    finally:
        db.close()
