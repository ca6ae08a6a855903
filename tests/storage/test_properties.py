"""Property: whatever sequence of batches the sync applies, the database ends up holding, for
every order, exactly the last version applied — raw form, line items and search row alike."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.schema import FTS_COLUMNS, line_items
from allegro_desktop.storage.search import fts_values
from tests.helpers.served_orders import ACCOUNT, Shop

POOL = 12

Mutation = tuple[str, int]
mutations = st.one_of(
    st.tuples(st.just("none"), st.just(0)),
    st.tuples(st.just("status"), st.integers(0, len(OrderStatus) - 1)),
    st.tuples(st.just("fulfillment"), st.integers(0, len(FulfillmentStatus) - 1)),
    st.tuples(st.just("drop_item"), st.integers(0, 3)),
    st.tuples(st.just("revision"), st.integers(0, 2**32 - 1)),
)
batches = st.lists(
    st.tuples(st.lists(st.tuples(st.integers(0, POOL - 1), mutations), max_size=8),
              st.lists(st.integers(0, POOL - 1), max_size=2)),  # orders, gone ids
    min_size=1, max_size=6)


def _mutate(form: dict[str, Any], mutation: Mutation) -> dict[str, Any]:
    kind, value = mutation
    form = copy.deepcopy(form)
    if kind == "status":
        form["status"] = list(OrderStatus)[value].value
    elif kind == "fulfillment":
        form["fulfillment"]["status"] = list(FulfillmentStatus)[value].value
    elif kind == "drop_item" and len(form["lineItems"]) > 1:
        form["lineItems"].pop(value % len(form["lineItems"]))
    elif kind == "revision":
        form["revision"] = f"{value:08x}"
    return form


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=batches)
def test_the_last_version_applied_of_each_order_is_stored(
        repo: OrderRepository, db: Database, shop: Shop,
        plan: list[tuple[list[tuple[int, Mutation]], list[int]]]) -> None:
    repo.delete_account_data(ACCOUNT)  # one database for all examples: start each one empty
    pool = [f for f in shop.forms if len(f["lineItems"]) > 1][:POOL // 2]
    pool += [f for f in shop.forms if len(f["lineItems"]) == 1][:POOL - len(pool)]
    current = {i: copy.deepcopy(form) for i, form in enumerate(pool)}
    stored: dict[str, dict[str, Any]] = {}
    gone: set[str] = set()

    for picks, gone_picks in plan:
        versions = []
        for index, mutation in picks:
            current[index] = _mutate(current[index], mutation)
            versions.append(current[index])
        last = {form["id"]: form for form in versions}
        gone_ids = [pool[i]["id"] for i in gone_picks]
        result = repo.apply_batch(
            account_key=ACCOUNT, events=[], cursor=None, gone_ids=gone_ids,
            orders=[parse_checkout_form(form, account_key=ACCOUNT) for form in versions])

        assert result.new == len(last.keys() - stored.keys())
        assert result.unchanged == sum(1 for order_id, form in last.items()
                                       if stored.get(order_id) == form and order_id not in gone)
        assert result.new + result.updated + result.unchanged == len(last)
        stored.update(copy.deepcopy(last))
        gone = (gone - last.keys()) | (set(gone_ids) & stored.keys())

    assert sorted(repo.raw_forms(), key=lambda f: f["id"]) == sorted(
        stored.values(), key=lambda f: f["id"])
    with db.read() as connection:
        items = {(row.order_id, row.id) for row in connection.execute(
            select(line_items.c.order_id, line_items.c.id))}
        search = {row[0]: dict(zip(FTS_COLUMNS, row, strict=True))
                  for row in connection.exec_driver_sql(
                      f"SELECT {', '.join(FTS_COLUMNS)} FROM orders_fts")}
    assert items == {(f["id"], item["id"]) for f in stored.values() for item in f["lineItems"]}
    assert search == {order_id: fts_values(parse_checkout_form(form, account_key=ACCOUNT))
                      for order_id, form in stored.items()}
