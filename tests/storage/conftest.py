"""Fixtures of the storage tests: real SQLite files in tmp_path, orders from the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from tests.helpers.served_orders import NOW, FakeClock, Shop


@pytest.fixture(scope="session")
def shop() -> Shop:
    emulator = Emulator(EmulatorConfig(orders=300, seed=11, now=NOW))
    seller = emulator.default_seller_id
    bodies = tuple(emulator.store.all_forms(seller))
    events = tuple(orjson.loads(body)
                   for body in emulator.store.events_after(seller, None, None, 100_000))
    return Shop(bodies=bodies, forms=tuple(orjson.loads(body) for body in bodies),
                events=events)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "orders.sqlite3"


@pytest.fixture
def db(db_path: Path, clock: FakeClock) -> Iterator[Database]:
    database = Database.open(db_path, busy_timeout=0.5, app_version="0.1.0", clock=clock)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> OrderRepository:
    return OrderRepository(database=db)


@pytest.fixture
def states(db: Database) -> SyncStateRepository:
    return SyncStateRepository(database=db)
