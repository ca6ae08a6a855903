"""A realistic shop in a real SQLite file, stored as the sync stores it: the emulator's Polish
orders in PLN, CZK, EUR and HUF over two accounts (`store_shop`, `realistic_forms`), a few whose
buyers typed spreadsheet formulas (what they typed: `HYPERLINK`, `PHONE_CITY`, …)."""

from __future__ import annotations

import copy
import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.services.order_labels import OrderLabels
from allegro_desktop.storage import Database, OrderRepository

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
#: The seller's own labels of `label_shop`: a note the seller typed like a formula, too.
FORMULA_NOTE = "=SUM(A1:A9) sprawdzić"
POLISH_NOTE = "Klient prosi o fakturę na firmę\nzadzwonić przed wysyłką 📦"


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


def store_shop(path: Path, forms: tuple[dict[str, Any], ...]) -> Database:
    """A database at `path` holding `forms`: every third order the second account's."""
    database = Database.open(path, clock=lambda: NOW)
    repository = OrderRepository(database=database)
    for account, part in ((ACCOUNT, [f for n, f in enumerate(forms) if n % 3]),
                          (OTHER_ACCOUNT, [f for n, f in enumerate(forms) if not n % 3])):
        orders = [parse_checkout_form(copy.deepcopy(f), account_key=account) for f in part]
        repository.apply_batch(account_key=account, orders=orders, events=[], cursor=None)
    return database


def store_seller_shop(path: Path, *, orders: int = 600, seed: int = 11) -> Database:
    """A database holding one seller's emulated shop (`ACCOUNT`), stored as a sync stores it."""
    emulator = Emulator(EmulatorConfig(orders=orders, seed=seed, now=NOW))
    forms = [orjson.loads(body)
             for body in emulator.store.all_forms(emulator.default_seller_id)]
    database = Database.open(path)
    OrderRepository(database=database).apply_batch(
        account_key=ACCOUNT, orders=[parse_checkout_form(f, account_key=ACCOUNT) for f in forms],
        events=[], cursor=None)
    return database


def label_shop(database: Database, order_ids: list[str]) -> None:
    """The seller's tags and private notes on a few of `order_ids` (stored orders): two tags
    on the first orders (one of them with an emoji), a formula-like note and a Polish one of
    two lines."""
    labels = OrderLabels(database=database)
    labels.tag(order_ids[:6], "do spakowania")
    labels.tag(order_ids[4:9], labels.create_tag("czeka na towar 📦", "#fb8c00"))
    labels.set_note(order_ids[0], FORMULA_NOTE)
    labels.set_note(order_ids[7], POLISH_NOTE)
