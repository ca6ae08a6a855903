"""Runs stopped half way — cancelled, or killed with SIGKILL — keep their work: the run history
shows the orders they stored (written with every page, so a kill cannot lose the counts) and a
killed run shows as interrupted; the back-fill's progress is saved with every page, so the next
run lists only what is left, from inside the windows under way, not all the orders again."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.storage import Database, OrderRepository, RunOutcome, SyncStateRepository
from allegro_desktop.sync import SyncProgress
from tests.helpers.emulator import StartEmulator
from tests.helpers.file_keyring import SharedFileKeyring
from tests.helpers.processes import ROOT, app_env
from tests.helpers.sync_truth import Stored, Truth, assert_exact
from tests.helpers.synced_shop import MakeShop, Shop, connect

LIST_REQUESTS = r"^GET /order/checkout-forms\?"


async def test_a_cancelled_backfill_keeps_its_counts_and_resumes_inside_its_windows(
        make_shop: MakeShop) -> None:
    orders = 20_000
    shop = make_shop(orders=orders, seed=71, proxy=True)
    assert shop.proxy is not None
    cancel = asyncio.Event()

    def progress(update: SyncProgress) -> None:
        if update.new >= 4_800:
            cancel.set()

    first = await shop.sync(progress=progress, cancel=cancel)
    assert first.outcome == RunOutcome.CANCELLED
    stored = shop.orders.count_orders(shop.account.key)
    run = shop.state.runs(shop.account.key, limit=1)[0]
    assert run.outcome == RunOutcome.CANCELLED
    assert run.metrics.new == first.new == stored >= 4_800
    first_lists = shop.proxy.count(LIST_REQUESTS)

    second = await shop.sync()
    assert second.succeeded, second.error
    resumed_lists = shop.proxy.count(LIST_REQUESTS) - first_lists
    left = math.ceil((orders - stored) / 100)  # pages of what was left to list
    print(f"stopped at {stored} of {orders} orders after {first_lists} list requests; the "
          f"resumed back-fill sent {resumed_lists} (pages of what was left: {left}, of all: "
          f"{orders // 100})")
    # What was left, plus a page where each window under way stopped and the first pages
    # of windows split again: far from all the pages again.
    assert resumed_lists <= left + 25, resumed_lists
    shop.assert_exact()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
async def test_a_killed_sync_shows_what_it_stored_and_the_next_resumes(
        start_emulator: StartEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    orders, kill_at = 8_000, 3_000
    keyring_file = tmp_path / "test-keyring.json"
    monkeypatch.setenv("TEST_KEYRING_FILE", str(keyring_file))
    # Real time: the sync process runs on the real clock.
    emu = start_emulator(now=None, orders=orders, history_days=200, seed=72)
    data_dir = tmp_path / "app"
    services = open_app_services(resolve_paths(data_dir),
                                 store=TokenStore(backend=SharedFileKeyring()))
    account = connect(emu, services)
    path = resolve_paths(data_dir).database

    process = subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir), "sync"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        env=app_env(PYTHON_KEYRING_BACKEND="tests.helpers.file_keyring.SharedFileKeyring",
                 TEST_KEYRING_FILE=str(keyring_file)))
    try:
        while _stored_orders(path) < kill_at:
            try:
                process.wait(0.005)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the sync ended ({process.returncode}) before the kill")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(30)

    with closing(sqlite3.connect(path)) as db:  # read-write: recovers what the kill left
        killed = int(db.execute("SELECT count(*) FROM orders").fetchone()[0])
        outcome, new = db.execute("SELECT outcome, new_orders FROM sync_runs").fetchone()
    assert (outcome, new) == (RunOutcome.RUNNING, killed)  # counted with its pages

    database = Database.open(path, clock=emu.emulator.clock.now)
    try:
        shop = Shop(emu, services, account, database, OrderRepository(database=database),
                    SyncStateRepository(database=database),
                    services.settings.sync_settings(), proxy=None)
        resumed = await shop.sync()
        assert resumed.succeeded, resumed.error
        latest, interrupted = shop.state.runs(account.key, limit=2)
        assert interrupted.outcome == RunOutcome.INTERRUPTED
        assert interrupted.metrics.new == killed
        assert latest.metrics.new == resumed.new == orders - killed
        left = math.ceil((orders - killed) / 100)
        print(f"killed at {killed} of {orders} orders; the resumed run sent "
              f"{resumed.requests} requests (pages of what was left: {left}, of all: "
              f"{orders // 100})")
        assert resumed.requests <= left + 25, resumed.requests
        assert_exact(Stored.read(path, account.key), Truth.read(emu))
    finally:
        database.close()


def _stored_orders(path: Path) -> int:
    """Orders in the database, read while the sync may be writing (WAL: no waiting)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT count(*) FROM orders").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0
