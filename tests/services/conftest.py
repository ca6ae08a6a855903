"""Fixtures of the export tests: a real SQLite file holding a realistic shop — the emulator's
Polish orders in PLN, CZK, EUR and HUF over two accounts, stored as the sync stores them — plus
a few orders whose buyers typed spreadsheet formulas."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import OrderQueries

ACCOUNT = "production|48213377"
OTHER_ACCOUNT = "production|60324418"
LOGINS = {ACCOUNT: "sklep_ania", OTHER_ACCOUNT: "hurtownia_bolek"}
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

#: What buyers typed, and the fields it went into (checked by the injection tests).
HYPERLINK = '=HYPERLINK("http://x","y")'
PHONE_CITY = "+48 600 100 200"
AT_LOGIN = "@SUM(A1:A9)"
MINUS_MESSAGE = "-2+3 zapłacę później"
TAB_MESSAGE = "\t=1+1"


def _poison(forms: list[dict[str, Any]]) -> None:
    """Formula-like text in a few orders, where buyers control it."""
    forms[0]["buyer"]["firstName"] = HYPERLINK
    forms[0]["buyer"]["lastName"] = None
    for address in (forms[1]["buyer"].get("address"), forms[1]["delivery"].get("address")):
        if address:
            address["city"] = PHONE_CITY
    forms[1]["delivery"]["pickupPoint"] = None
    forms[2]["buyer"]["login"] = AT_LOGIN
    forms[2]["messageToSeller"] = MINUS_MESSAGE
    forms[3]["messageToSeller"] = TAB_MESSAGE


@functools.cache
def realistic_forms() -> tuple[dict[str, Any], ...]:
    """300 checkout forms of the emulator's shop (every marketplace and lifecycle state), a
    few poisoned; treat as read-only (`store_shop` copies them)."""
    emulator = Emulator(EmulatorConfig(orders=300, seed=11, now=NOW))
    forms = [orjson.loads(body)
             for body in emulator.store.all_forms(emulator.default_seller_id)]
    _poison(forms)
    return tuple(forms)


@pytest.fixture(scope="session")
def shop_forms() -> tuple[dict[str, Any], ...]:
    return realistic_forms()


def store_shop(path: Path, forms: tuple[dict[str, Any], ...]) -> Database:
    """A database at `path` holding `forms`: every third order the second account's."""
    database = Database.open(path, clock=lambda: NOW)
    repository = OrderRepository(database=database)
    for account, part in ((ACCOUNT, [f for n, f in enumerate(forms) if n % 3]),
                          (OTHER_ACCOUNT, [f for n, f in enumerate(forms) if not n % 3])):
        orders = [parse_checkout_form(copy.deepcopy(f), account_key=account) for f in part]
        repository.apply_batch(account_key=account, orders=orders, events=[], cursor=None)
    return database


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory,
             shop_forms: tuple[dict[str, Any], ...]) -> Iterator[Database]:
    """Read-only for the tests (module-scoped: building it takes a moment)."""
    database = store_shop(tmp_path_factory.mktemp("shop") / "orders.sqlite3", shop_forms)
    yield database
    database.close()


@pytest.fixture
def queries(database: Database) -> OrderQueries:
    return OrderQueries(database=database)
