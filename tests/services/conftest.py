"""Fixtures of the export tests: a real SQLite file holding a realistic shop — the emulator's
Polish orders in PLN, CZK, EUR and HUF over two accounts, stored as the sync stores them — plus
a few orders whose buyers typed spreadsheet formulas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from allegro_desktop.storage import Database
from allegro_desktop.storage.order_query import OrderQueries
from tests.helpers.stored_shop import label_shop, realistic_forms, store_shop


@pytest.fixture(scope="session")
def shop_forms() -> tuple[dict[str, Any], ...]:
    return realistic_forms()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory,
             shop_forms: tuple[dict[str, Any], ...]) -> Iterator[Database]:
    """Read-only for the tests (module-scoped: building it takes a moment)."""
    database = store_shop(tmp_path_factory.mktemp("shop") / "orders.sqlite3", shop_forms)
    label_shop(database, [form["id"] for form in shop_forms])
    yield database
    database.close()


@pytest.fixture
def queries(database: Database) -> OrderQueries:
    return OrderQueries(database=database)
