"""Fixtures of the storage tests: real SQLite files in tmp_path, orders from the emulator."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from allegro_desktop.api.parsing import parse_checkout_form, parse_event
from allegro_desktop.domain.orders import Order, OrderEvent
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository

ACCOUNT = "production|48213377"
OTHER_ACCOUNT = "sandbox|60324418"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand (storage stamps first_seen_at, runs, cursors with it)."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Shop:
    """A seller's orders and event journal exactly as the emulator serves them."""

    bodies: tuple[bytes, ...]  # GET /order/checkout-forms/{id} bodies, newest first
    forms: tuple[dict[str, Any], ...]  # the same, parsed
    events: tuple[dict[str, Any], ...]  # oldest first

    def form_copies(self, count: int | None = None) -> list[dict[str, Any]]:
        return [copy.deepcopy(f) for f in self.forms[:count]]


@pytest.fixture(scope="session")
def shop() -> Shop:
    emulator = Emulator(EmulatorConfig(orders=300, seed=11, now=NOW))
    seller = emulator.default_seller_id
    bodies = tuple(emulator.store.all_forms(seller))
    events = tuple(orjson.loads(body)
                   for body in emulator.store.events_after(seller, None, None, 100_000))
    return Shop(bodies=bodies, forms=tuple(orjson.loads(body) for body in bodies),
                events=events)


def parse_all(forms: list[dict[str, Any]], account: str = ACCOUNT) -> list[Order]:
    return [parse_checkout_form(form, account_key=account) for form in forms]


def parse_events(events: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[OrderEvent]:
    return [parse_event(event) for event in events]


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
