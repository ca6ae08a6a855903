"""The statistics' rollups (migration 0005) equal a from-scratch aggregation of the orders,
written here independently in Python, after whatever the writers do: the sync's batches
(new orders, status changes, gone orders, changed line items), retention, deleting an
account's data. And each trigger is needed: without any one of them some check fails."""

from __future__ import annotations

import copy
import importlib.util
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.migrations import script_directory
from allegro_desktop.storage.retention import RetentionPolicy, prune
from tests.helpers.rollups import actual, assert_exact, sync_writes
from tests.helpers.served_orders import ACCOUNT, OTHER_ACCOUNT, Shop, store_forms


def _migration() -> Any:
    """The 0005 migration module (its file name is not an identifier)."""
    script = script_directory().get_revision("0005")
    assert script is not None
    path = Path(script.path)
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIGRATION = _migration()
TRIGGERS = (*MIGRATION.ORDER_TRIGGERS, *MIGRATION.ITEM_TRIGGERS)


def test_the_syncs_writes_keep_the_rollups_exact(repo: OrderRepository, db: Database,
                                                 shop: Shop) -> None:
    forms = shop.form_copies()
    store_forms(repo, forms[:200])
    store_forms(repo, forms[200:], OTHER_ACCOUNT)
    assert_exact(db)
    assert actual(db)["offers"], "the shop has sold orders with items"
    changed = copy.deepcopy(forms[:60])
    for n, form in enumerate(changed):
        form["status"] = list(OrderStatus)[n % len(OrderStatus)].value
        form["fulfillment"]["status"] = list(FulfillmentStatus)[n % len(FulfillmentStatus)].value
        if n % 4 == 0 and len(form["lineItems"]) > 1:
            form["lineItems"].pop()
        if n % 5 == 0:
            form["lineItems"][0]["quantity"] += 2
    store_forms(repo, changed, gone=tuple(f["id"] for f in forms[60:70]))
    assert_exact(db)
    store_forms(repo, forms[60:65])  # gone ones back
    assert_exact(db)


def test_deleting_orders_keeps_the_rollups_exact(repo: OrderRepository, db: Database,
                                                 shop: Shop) -> None:
    forms = shop.form_copies()
    store_forms(repo, forms[:150])
    store_forms(repo, forms[150:], OTHER_ACCOUNT)
    repo.delete_account_data(OTHER_ACCOUNT)
    assert_exact(db)
    report = prune(db, RetentionPolicy(keep_orders_months=12),
                   now=datetime(2027, 9, 1, tzinfo=UTC), batch_size=7)
    assert 0 < report.orders < 150
    assert_exact(db)
    repo.delete_account_data(ACCOUNT)
    assert actual(db) == {"hourly": Counter(), "monthly": Counter(), "offers": Counter()}


def test_a_line_item_updated_in_place_moves_its_sums(repo: OrderRepository, db: Database,
                                                     shop: Shop) -> None:
    store_forms(repo, shop.form_copies(50))
    with db.write() as connection:
        connection.execute(text("UPDATE line_items SET quantity = quantity + 1, "
                                "price_minor = price_minor + 7 WHERE position = 0"))
        connection.execute(text("UPDATE line_items SET offer_id = 'other' WHERE position = 1"))
    assert_exact(db)


def test_the_migration_fills_what_the_triggers_keep(repo: OrderRepository, db: Database,
                                                    shop: Shop) -> None:
    forms = shop.form_copies()
    store_forms(repo, forms[:200])
    store_forms(repo, forms[200:], OTHER_ACCOUNT, gone=tuple(f["id"] for f in forms[200:210]))
    by_triggers = actual(db)
    with db.write() as connection:
        names_before = connection.execute(text(
            "SELECT * FROM stats_offer_names ORDER BY offer_id")).all()
        for table in ("stats_hourly", "stats_monthly", "stats_offers", "stats_offer_names"):
            connection.execute(text(f"DELETE FROM {table}"))
        for statement in MIGRATION.FILL:
            connection.execute(text(statement))
        names_after = connection.execute(text(
            "SELECT * FROM stats_offer_names ORDER BY offer_id")).all()
    assert actual(db) == by_triggers
    assert_exact(db)
    assert [row[:1] for row in names_after] == [row[:1] for row in names_before]


def test_an_offer_is_named_by_its_latest_purchase(repo: OrderRepository, db: Database,
                                                  shop: Shop) -> None:
    forms = shop.form_copies(40)
    old, new = forms[-1], forms[0]  # newest first
    offer = old["lineItems"][0]["offer"]["id"]
    new["lineItems"][0]["offer"]["id"] = offer
    new["lineItems"][0]["offer"]["name"] = "Nowa nazwa"
    old["lineItems"][0]["offer"]["name"] = "Stara nazwa"
    store_forms(repo, [new])
    store_forms(repo, [old])  # stored later, bought earlier: the name stays the newer one
    with db.read() as connection:
        assert connection.scalar(text(
            "SELECT offer_name FROM stats_offer_names WHERE offer_id = :o"), {"o": offer}
        ) == "Nowa nazwa"


# -- random sequences ---------------------------------------------------------------------

POOL = 14
Mutation = tuple[str, int]
mutations = st.one_of(
    st.tuples(st.just("none"), st.just(0)),
    st.tuples(st.just("status"), st.integers(0, len(OrderStatus) - 1)),
    st.tuples(st.just("fulfillment"), st.integers(0, len(FulfillmentStatus) - 1)),
    st.tuples(st.just("drop_item"), st.integers(0, 3)),
    st.tuples(st.just("quantity"), st.integers(1, 5)),
    st.tuples(st.just("price"), st.integers(1, 50_000)),
    st.tuples(st.just("bought"), st.integers(-8000, 2000)),  # hours
    st.tuples(st.just("delivery"), st.integers(0, 2)),
    st.tuples(st.just("revision"), st.integers(0, 2**32 - 1)),
)
steps: st.SearchStrategy[list[tuple[str, Any, Any]]] = st.lists(st.one_of(
    st.tuples(st.just("batch"),
              st.lists(st.tuples(st.integers(0, POOL - 1), mutations), max_size=8),
              st.lists(st.integers(0, POOL - 1), max_size=2)),
    st.tuples(st.just("delete_account"), st.just([]), st.just([])),
    st.tuples(st.just("prune"), st.just([]), st.just([])),
), min_size=1, max_size=7)


def _mutate(form: dict[str, Any], mutation: Mutation) -> dict[str, Any]:
    kind, value = mutation
    form = copy.deepcopy(form)
    items = form["lineItems"]
    if kind == "status":
        form["status"] = list(OrderStatus)[value].value
    elif kind == "fulfillment":
        form["fulfillment"]["status"] = list(FulfillmentStatus)[value].value
    elif kind == "drop_item" and len(items) > 1:
        items.pop(value % len(items))
    elif kind == "quantity":
        items[0]["quantity"] = value
    elif kind == "price":
        items[0]["price"]["amount"] = f"{value / 100:.2f}"
    elif kind == "bought":  # an order's purchase time is its items' latest
        for item in items:
            moment = datetime.fromisoformat(item["boughtAt"].replace("Z", "+00:00"))
            item["boughtAt"] = (moment + timedelta(hours=value)).isoformat().replace(
                "+00:00", "Z")
    elif kind == "delivery":
        form["delivery"]["method"] = (None if value == 0 else
                                      {"id": f"m{value}", "name": f"Metoda {value}"})
    elif kind == "revision":
        form["revision"] = f"{value:08x}"
    return form


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_any_sequence_of_writes_keeps_the_rollups_exact(
        repo: OrderRepository, db: Database, shop: Shop,
        plan: list[tuple[str, list[tuple[int, Mutation]], list[int]]]) -> None:
    for account in (ACCOUNT, OTHER_ACCOUNT):  # one database for all examples: start empty
        repo.delete_account_data(account)
    pool = [f for f in shop.forms if len(f["lineItems"]) > 1][:POOL // 2]
    pool += [f for f in shop.forms if len(f["lineItems"]) == 1][:POOL - len(pool)]
    current = {i: copy.deepcopy(form) for i, form in enumerate(pool)}
    for kind, changes, gone in plan:
        if kind == "batch":
            for index, mutation in changes:
                current[index] = _mutate(current[index], mutation)
            account = ACCOUNT if len(changes) % 2 else OTHER_ACCOUNT
            touched = dict.fromkeys(index for index, _ in changes)
            repo.apply_batch(
                account_key=account, events=[], cursor=None,
                orders=[parse_checkout_form(copy.deepcopy(current[i]), account_key=account)
                        for i in touched],
                gone_ids=[pool[i]["id"] for i in gone])
        elif kind == "delete_account":
            repo.delete_account_data(OTHER_ACCOUNT)
        else:
            prune(db, RetentionPolicy(keep_orders_months=12),
                  now=datetime(2027, 8, 1, tzinfo=UTC), batch_size=3)
        assert_exact(db)


# -- each trigger is needed ---------------------------------------------------------------


def _scenario(repo: OrderRepository, db: Database, shop: Shop,
              check: Callable[[], None]) -> None:
    """Writes that need every trigger: inserts, changes of status, items and gone, an item
    updated in place, retention and an account's deletion — checked after each."""
    sync_writes(repo, shop, check)
    with db.write() as connection:
        connection.execute(text("UPDATE line_items SET quantity = quantity + 1"))
    check()
    prune(db, RetentionPolicy(keep_orders_months=12), now=datetime(2027, 3, 1, tzinfo=UTC))
    check()
    repo.delete_account_data(OTHER_ACCOUNT)
    check()


def test_the_scenario_passes_with_every_trigger(repo: OrderRepository, db: Database,
                                                shop: Shop) -> None:
    _scenario(repo, db, shop, lambda: assert_exact(db))


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_without_any_one_trigger_the_rollups_go_wrong(repo: OrderRepository, db: Database,
                                                      shop: Shop, trigger: str) -> None:
    with db.write() as connection:
        connection.execute(text(f"DROP TRIGGER {trigger}"))
    with pytest.raises(AssertionError, match="differs"):
        _scenario(repo, db, shop, lambda: assert_exact(db))
