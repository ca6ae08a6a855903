"""OrderRepository over a real SQLite file: batches, idempotency, atomicity, search, deletion."""

from __future__ import annotations

import copy
import sqlite3
from decimal import Decimal
from typing import Any

import orjson
import pytest
from alembic import command
from sqlalchemy import event, inspect, select
from sqlalchemy import exc as sa_exc

from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.domain.orders import Order
from allegro_desktop.storage import Database, OrderRepository, PendingForm, SyncStateRepository
from allegro_desktop.storage.migrations import alembic_config
from allegro_desktop.storage.schema import line_items, order_forms, orders
from tests.helpers.database_rows import every_row
from tests.helpers.served_orders import (
    ACCOUNT,
    OTHER_ACCOUNT,
    FakeClock,
    Shop,
    parse_all,
    parse_events,
)


def _items_of(db: Database, order_id: str) -> list[str]:
    with db.read() as connection:
        return list(connection.scalars(select(line_items.c.id).where(
            line_items.c.order_id == order_id).order_by(line_items.c.position)))


def _one(form: dict[str, Any], account: str = ACCOUNT) -> Order:
    return parse_checkout_form(form, account_key=account)


def test_a_batch_stores_orders_items_events_and_cursor(repo: OrderRepository,
                                                       states: SyncStateRepository,
                                                       db: Database, shop: Shop) -> None:
    parsed = parse_all(shop.form_copies())
    result = repo.apply_batch(account_key=ACCOUNT, orders=parsed,
                              events=parse_events(shop.events), cursor=shop.events[-1]["id"])
    assert (result.new, result.updated, result.unchanged) == (len(parsed), 0, 0)
    assert result.events_added == len(shop.events) == repo.count_events(ACCOUNT)
    assert repo.count_orders(ACCOUNT) == len(parsed)
    assert repo.count_orders(OTHER_ACCOUNT) == 0
    assert states.get_sync_state(ACCOUNT).event_cursor == shop.events[-1]["id"]
    with db.read() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM line_items").scalar()
        assert count == sum(len(o.line_items) for o in parsed)
        row = connection.execute(select(orders).where(orders.c.id == parsed[0].id)).one()
    first = parsed[0]
    assert row.total_minor == first.total.minor
    assert row.currency == first.total.currency
    assert row.quantity == first.quantity
    assert row.items_count == len(first.line_items)
    assert row.buyer_login == first.buyer.login
    assert row.status == first.status
    assert not row.gone


def test_the_same_batch_twice_changes_nothing(repo: OrderRepository, db: Database,
                                              shop: Shop, clock: FakeClock) -> None:
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()),
                     events=parse_events(shop.events), cursor=shop.events[-1]["id"])
    before = every_row(db)
    clock.advance(hours=1)
    result = repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()),
                              events=parse_events(shop.events), cursor=shop.events[-1]["id"])
    assert (result.new, result.updated, result.unchanged) == (0, 0, len(shop.forms))
    assert result.events_added == 0
    after = every_row(db)
    # Only the cursor's save time moved: orders, items, events and search rows are identical.
    assert {k: v for k, v in after.items() if k != "sync_state"} == {
        k: v for k, v in before.items() if k != "sync_state"}


def test_a_form_equal_as_json_but_not_as_text_is_unchanged(repo: OrderRepository,
                                                           shop: Shop) -> None:
    form = shop.form_copies(1)[0]
    repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    reordered = dict(reversed(list(copy.deepcopy(form).items())))
    result = repo.apply_batch(account_key=ACCOUNT, orders=[_one(reordered)], events=[],
                              cursor=None)
    assert result.unchanged == 1
    assert list(repo.raw_forms()[0]) == list(form)  # the stored text was not rewritten


def test_an_update_replaces_line_items_and_columns(repo: OrderRepository, db: Database,
                                                   shop: Shop) -> None:
    form = next(f for f in shop.form_copies() if len(f["lineItems"]) >= 2)
    repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    assert _items_of(db, form["id"]) == [item["id"] for item in form["lineItems"]]
    changed = copy.deepcopy(form)
    removed = changed["lineItems"].pop(0)
    changed["fulfillment"]["status"] = "RETURNED"
    changed["revision"] = "feedbeef"
    result = repo.apply_batch(account_key=ACCOUNT, orders=[_one(changed)], events=[],
                              cursor=None)
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    assert _items_of(db, form["id"]) == [item["id"] for item in changed["lineItems"]]
    assert removed["id"] not in _items_of(db, form["id"])
    with db.read() as connection:
        row = connection.execute(select(orders).where(orders.c.id == form["id"])).one()
    assert (row.fulfillment_status, row.revision) == ("RETURNED", "feedbeef")
    assert row.items_count == len(changed["lineItems"])
    assert repo.raw_forms() == [changed]


def test_first_seen_stays_and_last_synced_moves_on_a_change(repo: OrderRepository,
                                                            db: Database, shop: Shop,
                                                            clock: FakeClock) -> None:
    form = shop.form_copies(1)[0]
    repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    clock.advance(days=1)
    form["note"] = {"text": "Zadzwonić przed wysyłką"}
    repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    with db.read() as connection:
        row = connection.execute(select(orders).where(orders.c.id == form["id"])).one()
    assert row.last_synced_at - row.first_seen_at == 86_400_000
    assert row.note == "Zadzwonić przed wysyłką"


def test_events_are_deduplicated(repo: OrderRepository, shop: Shop) -> None:
    events = parse_events(shop.events[:20])
    first = repo.apply_batch(account_key=ACCOUNT, orders=[], events=events + events[:5],
                             cursor=events[-1].id)
    assert first.events_added == 20
    again = repo.apply_batch(account_key=ACCOUNT, orders=[],
                             events=parse_events(shop.events[10:30]), cursor=None)
    assert again.events_added == 10
    assert repo.count_events(ACCOUNT) == 30
    # The same event ids belong to another account's journal separately.
    other = repo.apply_batch(account_key=OTHER_ACCOUNT, orders=[], events=events, cursor=None)
    assert other.events_added == 20


def test_a_cursor_of_none_leaves_the_saved_one(repo: OrderRepository,
                                               states: SyncStateRepository) -> None:
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor="1532603898317497")
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None)
    assert states.get_sync_state(ACCOUNT).event_cursor == "1532603898317497"


def test_a_batch_failing_midway_leaves_orders_and_cursor_as_they_were(
        repo: OrderRepository, states: SyncStateRepository, db: Database, shop: Shop) -> None:
    forms = shop.form_copies(20)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms),
                     events=parse_events(shop.events[:10]), cursor=shop.events[9]["id"])
    before = every_row(db)
    changed = copy.deepcopy(forms)
    for form in changed:
        form["fulfillment"]["status"] = "CANCELLED"

    # The disk fails at the search index: after the cursor, the events and the orders of the
    # batch were already written in the transaction. Not a value SQLite refused: the batch
    # fails whole, and nothing of it stays.
    def failing(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO orders_fts"):
            raise sqlite3.OperationalError("disk I/O error")

    event.listen(db.engine, "before_cursor_execute", failing)
    try:
        with pytest.raises(sa_exc.OperationalError, match="disk I/O error"):
            repo.apply_batch(account_key=ACCOUNT,
                             orders=parse_all(changed + shop.form_copies(30)[20:]),
                             events=parse_events(shop.events[10:]),
                             cursor=shop.events[-1]["id"])
    finally:
        event.remove(db.engine, "before_cursor_execute", failing)
    assert every_row(db) == before
    assert states.get_sync_state(ACCOUNT).event_cursor == shop.events[9]["id"]
    assert repo.raw_forms() == sorted(forms, key=lambda f: _one(f).bought_at, reverse=True)


def test_the_last_of_two_versions_in_one_batch_wins(repo: OrderRepository,
                                                    shop: Shop) -> None:
    old = shop.form_copies(1)[0]
    new = copy.deepcopy(old)
    new["status"] = "CANCELLED"
    result = repo.apply_batch(account_key=ACCOUNT, orders=[_one(old), _one(new)], events=[],
                              cursor=None)
    assert (result.new, result.updated) == (1, 0)
    assert repo.raw_forms() == [new]


def test_orders_of_another_account_are_refused(repo: OrderRepository, shop: Shop) -> None:
    with pytest.raises(ValueError, match="belongs to"):
        repo.apply_batch(account_key=ACCOUNT, orders=[_one(shop.forms[0], OTHER_ACCOUNT)],
                         events=[], cursor=None)


def test_gone_forms_are_recorded_and_their_orders_kept(repo: OrderRepository, db: Database,
                                                       shop: Shop) -> None:
    forms = shop.form_copies(3)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms), events=[], cursor=None)
    result = repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor="5",
                              gone_ids=[forms[0]["id"], "unknown-form", forms[0]["id"]])
    assert result.gone_added == 2
    assert repo.gone_form_ids(ACCOUNT) == {forms[0]["id"], "unknown-form"}
    assert repo.count_orders() == 3  # kept: the seller's history outlives Allegro's

    def gone(order_id: str) -> bool:
        with db.read() as connection:
            return bool(connection.scalar(select(orders.c.gone).where(orders.c.id == order_id)))

    assert gone(forms[0]["id"])
    assert not gone(forms[1]["id"])
    assert {f["id"] for f in repo.raw_forms(include_gone=False)} == {forms[1]["id"],
                                                                      forms[2]["id"]}
    again = repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                             gone_ids=[forms[0]["id"]])
    assert again.gone_added == 0
    # Fetched again after all (a 404 can be passing): no longer gone.
    back = repo.apply_batch(account_key=ACCOUNT, orders=[_one(forms[0])], events=[],
                            cursor=None)
    assert back.updated == 1
    assert not gone(forms[0]["id"])
    assert repo.gone_form_ids(ACCOUNT) == {"unknown-form"}


def test_money_and_raw_json_round_trip_exactly(repo: OrderRepository, db: Database,
                                               shop: Shop) -> None:
    forms = shop.form_copies()
    parsed = parse_all(forms)
    repo.apply_batch(account_key=ACCOUNT, orders=parsed, events=[], cursor=None)
    stored = repo.raw_forms()
    newest_first = sorted(zip(forms, parsed, strict=True),
                          key=lambda pair: (pair[1].bought_at, pair[1].id), reverse=True)
    assert stored == [form for form, _ in newest_first]
    assert orjson.dumps(stored) == orjson.dumps([form for form, _ in newest_first])
    with db.read() as connection:
        totals = {row.id: row.total_minor for row in connection.execute(
            select(orders.c.id, orders.c.total_minor))}
        prices = {(row.order_id, row.id): row.price_minor for row in connection.execute(
            select(line_items.c.order_id, line_items.c.id, line_items.c.price_minor))}
    for form in forms:
        amount = form["summary"]["totalToPay"]["amount"]
        assert isinstance(amount, str)
        assert totals[form["id"]] == int(amount.replace(".", ""))
        assert Decimal(totals[form["id"]]).scaleb(-2) == Decimal(amount)
        for item in form["lineItems"]:
            assert prices[form["id"], item["id"]] == int(item["price"]["amount"].replace(".", ""))
    currencies = {o.total.currency for o in parsed}
    assert {"PLN", "CZK", "EUR", "HUF"} <= currencies


def test_the_stored_text_is_the_body_allegro_sent(repo: OrderRepository, db: Database,
                                                  shop: Shop) -> None:
    """Compact JSON in, compact JSON out: the raw column holds the response body byte for byte
    (key order, escapes and amounts as strings included)."""
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()), events=[],
                     cursor=None)
    with db.read() as connection:
        stored = {row.id: row.raw for row in connection.execute(
            select(orders.c.id, order_forms.c.raw)
            .join_from(orders, order_forms, order_forms.c.seq == orders.c.seq))}
    for body in shop.bodies:
        form_id = orjson.loads(body)["id"]
        assert stored[form_id].encode() == body


def test_delete_account_data_removes_only_that_account(repo: OrderRepository,
                                                       states: SyncStateRepository,
                                                       db: Database, shop: Shop) -> None:
    forms = shop.form_copies(40)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms[:30]),
                     events=parse_events(shop.events), cursor="9", gone_ids=["x"])
    repo.apply_batch(account_key=OTHER_ACCOUNT, orders=parse_all(forms[30:], OTHER_ACCOUNT),
                     events=parse_events(shop.events[:3]), cursor="7")
    run = states.start_run(account_key=ACCOUNT, kind="incremental")
    states.finish_run(run, outcome="succeeded")
    states.start_run(account_key=OTHER_ACCOUNT, kind="backfill")

    assert repo.delete_account_data(ACCOUNT) == 30

    assert repo.count_orders(ACCOUNT) == 0
    assert repo.count_orders(OTHER_ACCOUNT) == 10
    assert repo.count_events(ACCOUNT) == 0
    assert repo.count_events(OTHER_ACCOUNT) == 3
    assert states.get_sync_state(ACCOUNT).event_cursor is None
    assert states.get_sync_state(OTHER_ACCOUNT).event_cursor == "7"
    assert states.runs(ACCOUNT) == []
    assert len(states.runs(OTHER_ACCOUNT)) == 1
    assert repo.gone_form_ids(ACCOUNT) == set()
    with db.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM line_items").scalar() == sum(
            len(f["lineItems"]) for f in forms[30:])
        assert connection.exec_driver_sql("SELECT count(*) FROM orders_fts").scalar() == 10
    buyer = forms[0]["buyer"]["login"]
    assert all(i in {f["id"] for f in forms[30:]} for i in repo.search_ids(buyer))


# -- search -----------------------------------------------------------------------------------


@pytest.fixture
def searchable(repo: OrderRepository, shop: Shop) -> list[dict[str, Any]]:
    forms = shop.form_copies(60)
    lodz = forms[0]
    lodz["delivery"]["address"]["city"] = "Łódź"
    lodz["buyer"].update(login="Żanetka_Sklep77", firstName="Żaneta",
                         lastName="Łukasiewicz", email="zaneta.lukasiewicz@wp.pl",
                         phoneNumber="+48 604 985 504")
    lodz["lineItems"][0]["offer"]["name"] = "Ładowarka indukcyjna Qi 15W"
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms[:50]), events=[], cursor=None)
    repo.apply_batch(account_key=OTHER_ACCOUNT, orders=parse_all(forms[50:], OTHER_ACCOUNT),
                     events=[], cursor=None)
    return forms


@pytest.mark.parametrize("query", [
    "lodz", "ŁÓDŹ", "Łódź", "łodz", "lod", "zaneta", "ŻANETA łukas", "lukasiewicz", "zanetka",
    "Żanetka_Sklep77", "zanetka_skl",
    "zaneta.luk", "zaneta.lukasiewicz@wp.pl", "604985", "604 985", "+48 604 985 504",
    "ladowarka indukc", "Qi 15W",
])
def test_search_ignores_case_and_diacritics_and_matches_prefixes(
        repo: OrderRepository, searchable: list[dict[str, Any]], query: str) -> None:
    assert searchable[0]["id"] in repo.search_ids(query)


def test_search_finds_order_ids_and_respects_the_account(repo: OrderRepository,
                                                         searchable: list[dict[str, Any]]
                                                         ) -> None:
    order_id = searchable[55]["id"]
    assert repo.search_ids(order_id[:8]) == [order_id]
    assert repo.search_ids(order_id) == [order_id]
    assert repo.search_ids(order_id, account_key=OTHER_ACCOUNT) == [order_id]
    assert repo.search_ids(order_id, account_key=ACCOUNT) == []


def test_search_returns_newest_first_and_limits(repo: OrderRepository,
                                                searchable: list[dict[str, Any]]) -> None:
    found = repo.search_ids("pl", limit=500)  # e-mail domains: nearly everyone
    assert len(found) > 10
    bought = {o.id: o.bought_at for o in parse_all(searchable)}
    assert [bought[i] for i in found] == sorted((bought[i] for i in found), reverse=True)
    assert repo.search_ids("pl", limit=3) == found[:3]


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "AND", "(a OR", "NEAR(x y)", "-", "^"])
def test_search_never_trips_over_query_syntax(repo: OrderRepository,
                                              searchable: list[dict[str, Any]],
                                              query: str) -> None:
    assert isinstance(repo.search_ids(query), list)


def test_search_follows_updates(repo: OrderRepository, searchable: list[dict[str, Any]]) -> None:
    form = copy.deepcopy(searchable[0])
    form["buyer"]["login"] = "NowyLoginKupujacego"
    form["delivery"]["address"]["city"] = "Gdańsk"
    repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    assert repo.search_ids("nowylogin") == [form["id"]]
    assert form["id"] not in repo.search_ids("zanetka_sklep77")
    assert form["id"] not in repo.search_ids("lodz")
    assert form["id"] in repo.search_ids("gdansk")


def test_a_gone_form_that_is_stored_later_is_not_gone(repo: OrderRepository,
                                                      shop: Shop) -> None:
    """A 404 can pass (a delay on Allegro's side): once the form is stored, its later events
    must be followed again — the engine skips forms it believes gone."""
    form = shop.form_copies(1)[0]
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     gone_ids=[form["id"]])
    assert repo.gone_form_ids(ACCOUNT) == {form["id"]}
    result = repo.apply_batch(account_key=ACCOUNT, orders=[_one(form)], events=[], cursor=None)
    assert result.new == 1
    assert repo.gone_form_ids(ACCOUNT) == set()


def test_migration_0003_fills_what_the_code_writes(repo: OrderRepository, db: Database,
                                                   shop: Shop) -> None:
    """0003 moves the forms out of `orders` and derives the display and sort columns from
    the stored data: a 0002 file comes out exactly as if the orders were stored today."""
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(shop.form_copies()), events=[],
                     cursor=None)

    def snapshot() -> tuple[list[Any], list[Any]]:
        with db.read() as connection:
            rows = [dict(row) for row in connection.execute(
                select(orders).order_by(orders.c.seq)).mappings()]
            forms = connection.execute(
                select(order_forms).order_by(order_forms.c.seq)).all()
        return rows, [tuple(form) for form in forms]

    today = snapshot()
    assert any(" × " in row["items_summary"] for row in today[0])
    assert any(row["buyer_key"] != row["buyer_name"].lower() for row in today[0]
               if row["buyer_name"]), "no name with diacritics to fold in the sample"
    with db.write() as connection:
        command.downgrade(alembic_config(connection=connection), "0002")
        assert "order_forms" not in inspect(connection).get_table_names()
    with db.write() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    assert snapshot() == today


def test_forms_received_exactly_as_stored_are_found_and_count_as_unchanged(
        repo: OrderRepository, shop: Shop) -> None:
    """`unchanged_forms` names the forms whose stored JSON is the very same text (a sync then
    skips parsing them); `apply_batch(unchanged_ids=…)` counts them and takes them off the
    forms to ask for again."""
    forms = shop.form_copies(6)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms[:5]), events=[], cursor=None)
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     gone_ids=[forms[1]["id"]], pending=[PendingForm(forms[2]["id"], "failed")])
    changed = copy.deepcopy(forms[3])
    changed["status"] = "CANCELLED"
    received = {form["id"]: form for form in [forms[0], forms[1], forms[2], changed, forms[5]]}
    # the same form, its keys in another order: another text, so parsed as before
    reordered = dict(reversed(list(forms[4].items())))
    received[forms[4]["id"]] = reordered

    assert repo.unchanged_forms(ACCOUNT, received) == {forms[0]["id"], forms[2]["id"]}
    assert repo.unchanged_forms(OTHER_ACCOUNT, received) == set()
    assert repo.unchanged_forms(ACCOUNT, {}) == set()
    assert repo.unchanged_forms(ACCOUNT, {"x": {"id": "x", "bad": {1, 2}}}) == set()

    result = repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                              unchanged_ids=[forms[0]["id"], forms[2]["id"], forms[2]["id"]])
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    assert repo.pending_form_ids(ACCOUNT) == []
