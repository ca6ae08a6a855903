"""OrderQueries against an independent reference: the same filters and sorts computed in Python
over the parsed orders, on a real SQLite file with 300 emulator orders (Polish names, four
marketplaces, every status)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from allegro_desktop.domain.filters import (
    SELLER_STATUSES,
    TABLE_COLUMNS,
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
    quick_filter_of,
    seller_status,
)
from allegro_desktop.domain.orders import Order, OrderStatus
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_query import FEW_MATCHES, OrderQueries
from allegro_desktop.storage.search import fold, fts_values, match_query, too_short
from tests.helpers.served_orders import ACCOUNT, OTHER_ACCOUNT, Shop, parse_all

Reference = Callable[[Order], bool]


@pytest.fixture
def stored(repo: OrderRepository, shop: Shop) -> list[Order]:
    """The shop's orders stored: 280 under one account, 20 under another, 3 of them gone."""
    forms = shop.form_copies()
    first = parse_all(forms[:280])
    second = parse_all(forms[280:], OTHER_ACCOUNT)
    repo.apply_batch(account_key=ACCOUNT, orders=first, events=[], cursor=None,
                     gone_ids=[first[5].id, first[6].id, first[7].id])
    repo.apply_batch(account_key=OTHER_ACCOUNT, orders=second, events=[], cursor=None)
    gone = {first[5].id, first[6].id, first[7].id}
    return [order for order in first + second if order.id not in gone]


@pytest.fixture(params=[FEW_MATCHES, 60, 0], ids=["few-matches-plan", "either-plan",
                                                  "many-matches-plan"])
def queries(db: Database, request: pytest.FixtureRequest) -> OrderQueries:
    """`iter_seqs` collects up to `few_matches` matches and sorts them, or else walks the sort
    index: with 300 orders the default always does the first (unless nothing is filtered),
    0 always the second, 60 either, by filter. Every plan must give the same answer."""
    return OrderQueries(database=db, few_matches=request.param)


NEWEST_FIRST = OrderSort()


def _ids(queries: OrderQueries, order_filter: OrderFilter,
         sort: OrderSort = NEWEST_FIRST) -> list[str]:
    seqs = list(queries.seqs(order_filter, sort))
    rows = queries.rows(seqs)
    return [rows[seq].id for seq in seqs]


def _cases(orders: list[Order]) -> Iterator[tuple[str, OrderFilter, Reference]]:
    newest = max(order.bought_at for order in orders)
    start, end = newest - timedelta(days=30), newest - timedelta(days=3)
    method = Counter(o.delivery.method_name for o in orders).most_common(2)[1][0]
    for quick in QuickFilter:
        yield (f"quick {quick}", OrderFilter(quick=quick),
               lambda o, q=quick: q is QuickFilter.ALL
               or quick_filter_of(o.status, o.fulfillment_status) is q)
    yield ("dates", OrderFilter(bought_from=start, bought_to=end),
           lambda o: start <= o.bought_at < end)
    yield ("account", OrderFilter(accounts=frozenset({OTHER_ACCOUNT})),
           lambda o: o.account_key == OTHER_ACCOUNT)
    yield ("delivery", OrderFilter(delivery_methods=frozenset({method})),
           lambda o: o.delivery.method_name == method)
    yield ("payment", OrderFilter(payment_types=frozenset({"CASH_ON_DELIVERY", "ONLINE"})),
           lambda o: o.payment.type in ("CASH_ON_DELIVERY", "ONLINE"))
    yield ("marketplace", OrderFilter(marketplaces=frozenset({"allegro-cz", "allegro-sk"})),
           lambda o: o.marketplace_id in ("allegro-cz", "allegro-sk"))
    yield ("invoice", OrderFilter(invoice=True), lambda o: o.invoice_required)
    yield ("no invoice", OrderFilter(invoice=False), lambda o: not o.invoice_required)
    yield ("amounts", OrderFilter(min_total=Decimal("50.005"), max_total=Decimal("199.99")),
           lambda o: Decimal("50.01") <= o.total.amount <= Decimal("199.99"))
    named = frozenset({o.id for o in orders[::9]} | {"no-such-order"})
    yield ("order ids", OrderFilter(order_ids=named), lambda o: o.id in named)
    yield ("all of it", OrderFilter(quick=QuickFilter.SENT, accounts=frozenset({ACCOUNT}),
                                    payment_types=frozenset({"ONLINE"}), invoice=False,
                                    min_total=Decimal(30)),
           lambda o: quick_filter_of(o.status, o.fulfillment_status) is QuickFilter.SENT
           and o.account_key == ACCOUNT and o.payment.type == "ONLINE"
           and not o.invoice_required and o.total.amount >= 30)


def test_every_filter_selects_what_the_reference_selects(
        stored: list[Order], queries: OrderQueries) -> None:
    for name, order_filter, wanted in _cases(stored):
        expected = {o.id for o in stored if wanted(o)}
        got = _ids(queries, order_filter)
        assert len(got) == len(set(got)), name
        assert set(got) == expected, name
        assert queries.count(order_filter) == len(expected), name
        assert 0 < len(expected) < len(stored) or order_filter.quick is QuickFilter.ALL, (
            f"{name}: the sample does not exercise the filter")


def test_quick_counts_are_the_counts_of_each_quick_filter(
        stored: list[Order], queries: OrderQueries) -> None:
    base = OrderFilter(payment_types=frozenset({"ONLINE"}))
    counts = queries.quick_counts(base.with_quick(QuickFilter.SENT))  # its own quick ignored
    for quick in QuickFilter:
        assert counts[quick] == queries.count(base.with_quick(quick)), quick
    assert counts[QuickFilter.ALL] == sum(1 for o in stored if o.payment.type == "ONLINE")
    stages = [quick_filter_of(o.status, o.fulfillment_status) for o in stored]
    assert all(stage is not None for stage in stages)  # every generated order has a stage
    assert len(set(stages)) >= 4


def test_sql_and_python_agree_on_the_stage_of_every_status_pair(
        repo: OrderRepository, shop: Shop, queries: OrderQueries) -> None:
    """Every (status, fulfillment) pair, including unknown ones, lands in exactly the quick
    filter `quick_filter_of` names (or only in All)."""
    statuses = [*OrderStatus, "SOMETHING_NEW"]
    fulfillments = [None, "NEW", "PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP",
                    "SENT", "PICKED_UP", "CANCELLED", "SUSPENDED", "RETURNED", "LATER"]
    forms = shop.form_copies(len(statuses) * len(fulfillments))
    pairs = {}
    for form, (status, fulfillment) in zip(
            forms, [(s, f) for s in statuses for f in fulfillments], strict=True):
        form["status"] = str(status)
        form["fulfillment"] = None if fulfillment is None else {"status": fulfillment}
        pairs[form["id"]] = (str(status), fulfillment)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms), events=[], cursor=None)
    for quick in QuickFilter:
        got = set(_ids(queries, OrderFilter(quick=quick)))
        expected = {order_id for order_id, (s, f) in pairs.items()
                    if quick is QuickFilter.ALL or quick_filter_of(s, f) is quick}
        assert got == expected, quick


def _seller_rank(status: str, fulfillment: str | None) -> int:
    code = seller_status(status, fulfillment)
    return SELLER_STATUSES.index(code) if code in SELLER_STATUSES else len(SELLER_STATUSES)


def test_sql_and_python_agree_on_the_seller_status_of_every_status_pair(
        repo: OrderRepository, shop: Shop, queries: OrderQueries) -> None:
    """The Status column's sort (a CASE in SQL) orders every (status, fulfillment) pair,
    unknown ones included, as `seller_status` names it: each status's orders together, in
    `SELLER_STATUSES` order, the unknown last."""
    statuses = [*OrderStatus, "SOMETHING_NEW"]
    fulfillments = [None, "NEW", "PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP",
                    "SENT", "PICKED_UP", "CANCELLED", "SUSPENDED", "RETURNED", "LATER"]
    forms = shop.form_copies(len(statuses) * len(fulfillments))
    pairs = {}
    for form, (status, fulfillment) in zip(
            forms, [(s, f) for s in statuses for f in fulfillments], strict=True):
        form["status"] = str(status)
        form["fulfillment"] = None if fulfillment is None else {"status": fulfillment}
        pairs[form["id"]] = (str(status), fulfillment)
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms), events=[], cursor=None)
    ranks = [_seller_rank(*pairs[order_id])
             for order_id in _ids(queries, OrderFilter(), OrderSort(OrderColumn.STAGE, False))
             if order_id in pairs]
    assert len(ranks) == len(pairs)
    assert ranks == sorted(ranks)
    assert set(ranks) == set(range(len(SELLER_STATUSES) + 1))  # every status, and unknown
    assert seller_status("READY_FOR_PROCESSING", None) == "TO_SEND"
    assert seller_status("READY_FOR_PROCESSING", "SENT") == "SENT"
    assert seller_status("FILLED_IN", "NEW") == "UNPAID"
    assert seller_status("READY_FOR_PROCESSING", "CANCELLED") == "CANCELLED"


def _sort_key(column: OrderColumn) -> Callable[[Order], Any]:
    def text(value: str | None) -> tuple[int, str]:
        return (value is not None, value or "")

    keys: dict[OrderColumn, Callable[[Order], Any]] = {
        OrderColumn.BOUGHT_AT: lambda o: o.bought_at,
        OrderColumn.ORDER_ID: lambda o: o.id,
        OrderColumn.BUYER_LOGIN: lambda o: text(o.buyer.login),
        OrderColumn.BUYER_NAME: lambda o: fold(o.buyer.name or o.buyer.company_name or ""),
        OrderColumn.ITEMS: lambda o: fold(o.line_items[0].offer_name),
        OrderColumn.QUANTITY: lambda o: o.quantity,
        OrderColumn.TOTAL: lambda o: (o.total.currency, o.total.minor),
        OrderColumn.STAGE: lambda o: (_seller_rank(o.status, o.fulfillment_status), o.bought_at),
        OrderColumn.PAYMENT: lambda o: text(o.payment.type),
        OrderColumn.STATUS: lambda o: (o.status, text(o.fulfillment_status), o.bought_at),
        OrderColumn.FULFILLMENT: lambda o: text(o.fulfillment_status),
        OrderColumn.DELIVERY: lambda o: text(o.delivery.method_name),
        OrderColumn.CITY: lambda o: fold(o.delivery.city or ""),
        OrderColumn.INVOICE: lambda o: (o.invoice_required, o.bought_at),
        OrderColumn.MARKETPLACE: lambda o: text(o.marketplace_id),
        OrderColumn.ACCOUNT: lambda o: (o.account_key, o.bought_at),
    }
    return keys[column]


@pytest.mark.parametrize("descending", [False, True])
def test_every_table_column_sorts_like_the_reference(
        stored: list[Order], queries: OrderQueries, descending: bool) -> None:
    """Over all orders (the sort index walked) and over half of them (sorted after they are
    collected, unless the plan is the many-matches one)."""
    seq_of = {order.id: queries.seq_of(order.id) for order in stored}
    for order_filter, wanted in ((OrderFilter(), lambda o: True),
                                 (OrderFilter(invoice=False), lambda o: not o.invoice_required)):
        selected = [o for o in stored if wanted(o)]
        for column in TABLE_COLUMNS:
            key = _sort_key(column)
            expected = sorted(selected, key=lambda o, k=key: (k(o), seq_of[o.id]),  # type: ignore[misc]
                              reverse=descending)
            got = _ids(queries, order_filter, OrderSort(column, descending))
            assert got == [o.id for o in expected], (column, order_filter)


def test_names_sort_the_polish_way_not_by_code_point(
        stored: list[Order], queries: OrderQueries) -> None:
    ordered = [queries.rows([seq])[seq].display_name for seq in
               queries.seqs(OrderFilter(), OrderSort(OrderColumn.BUYER_NAME, False))]
    initials = [name[0] for name in ordered if name]
    assert "Ł" in initials, "no name starting with Ł in the sample"
    first_l = initials.index("Ł")
    assert initials[first_l - 1] in "LKJ"
    assert "Ż" not in initials[:first_l]


def test_search_folds_polish_letters_and_matches_every_word_as_a_prefix(
        stored: list[Order], queries: OrderQueries) -> None:
    lodz = {o.id for o in stored if fold(o.delivery.city or "") == "lodz"}
    assert lodz, "no order to Łódź in the sample"
    assert lodz <= set(_ids(queries, OrderFilter(search="lodz")))
    assert lodz <= set(_ids(queries, OrderFilter(search="ŁÓDŹ")))
    order = next(o for o in stored if o.buyer.name and " " in o.buyer.name)
    first, last = order.buyer.name.split(" ", 1)  # type: ignore[union-attr]
    found = _ids(queries, OrderFilter(search=f"{last[:4]} {first[:3]}"))
    assert order.id in found
    assert _ids(queries, OrderFilter(search=order.id[:8])) == [order.id]
    assert _ids(queries, OrderFilter(search="!!!")) == []
    combined = set(_ids(queries, OrderFilter(search="lodz", quick=QuickFilter.SENT)))
    sent = {o.id for o in stored
            if quick_filter_of(o.status, o.fulfillment_status) is QuickFilter.SENT}
    assert lodz & sent <= combined <= sent
    assert combined <= set(_ids(queries, OrderFilter(search="lodz")))


def test_one_character_words_are_whole_words_never_prefixes(
        stored: list[Order], queries: OrderQueries) -> None:
    """A one-character prefix would match half the orders at great cost: such a word is
    matched whole ("iphone 7"); typed alone it does not filter yet."""
    assert match_query("k") == '"k"'
    assert too_short("k")
    assert too_short(" k  7 ")
    assert match_query("jan k") == '"jan"* "k"'
    assert match_query("a.b") == '"a b"'
    assert not too_short("a.b")
    assert match_query("ko") == '"ko"*'
    assert not too_short("ko")
    assert not too_short("")
    assert not too_short("!!!")  # nothing searchable: nothing matches
    assert _ids(queries, OrderFilter(search="!!!")) == []
    everything = _ids(queries, OrderFilter())
    assert _ids(queries, OrderFilter(search="k")) == everything
    assert _ids(queries, OrderFilter(search="k", quick=QuickFilter.SENT)) == _ids(
        queries, OrderFilter(quick=QuickFilter.SENT))
    assert queries.count(OrderFilter(search="ł")) == len(stored)
    # a one-character word after others matches a whole word only: against the searched text
    def words(order: Order) -> set[str]:
        return set(re.findall(r"[^\W_]+", " ".join(fts_values(order).values())))

    def reference(prefix: str, whole: str) -> set[str]:
        return {o.id for o in stored
                if whole in words(o) and any(w.startswith(prefix) for w in words(o))}

    found = set(_ids(queries, OrderFilter(search="garnek 5")))  # "Garnek stalowy 5 l"
    assert found == reference("garnek", "5")
    assert found
    with_z = set(_ids(queries, OrderFilter(search="etui z")))  # "Etui z klapką …"
    assert with_z == reference("etui", "z")
    assert with_z
    assert with_z < set(_ids(queries, OrderFilter(search="etui")))  # not "Etui silikonowe"


def test_streamed_pieces_are_one_snapshot_in_order(
        stored: list[Order], queries: OrderQueries, repo: OrderRepository,
        shop: Shop) -> None:
    pieces = queries.iter_seqs(OrderFilter(), OrderSort(), first=10, chunk=50)
    head = next(pieces)
    assert len(head) == 10
    # a sync commits meanwhile: the running query does not see it
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all([
        dict(shop.form_copies(1)[0], id="00000000-0000-4000-8000-000000000001")]),
        events=[], cursor=None)
    rest = [seq for piece in pieces for seq in piece]
    assert len(head) + len(rest) == len(stored)
    assert len(queries.seqs(OrderFilter(), OrderSort())) == len(stored) + 1


def test_details_rows_and_line_items(stored: list[Order], queries: OrderQueries) -> None:
    order = next(o for o in stored if len(o.line_items) > 1)
    seq = queries.seq_of(order.id)
    assert seq is not None
    details = queries.details(seq)
    assert details is not None
    assert details.row.id == order.id
    assert details.row.total == order.total
    assert [item.offer_name for item in details.line_items] == [
        item.offer_name for item in order.line_items]
    assert details.form["id"] == order.id
    assert queries.details(10**9) is None
    assert queries.any_orders()
    facets = queries.facets()
    assert set(facets.accounts) == {ACCOUNT, OTHER_ACCOUNT}
    assert set(facets.marketplaces) == {o.marketplace_id for o in stored}


def test_seqs_of_many_ids_at_once(db: Database, stored: list[Order],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from allegro_desktop.storage import chunks

    monkeypatch.setattr(chunks, "IN_CHUNK", 7)  # several chunks
    queries = OrderQueries(database=db)
    ids = [order.id for order in stored] + ["no-such-order"]
    found = queries.seqs_of(ids + ids[:5])  # repeated ids are fine
    assert found == {order.id: queries.seq_of(order.id) for order in stored}


def test_orders_named_by_more_ids_than_sqlite_takes_parameters(
        stored: list[Order], queries: OrderQueries) -> None:
    """A notification after days offline names thousands of orders: the filter on their ids
    is one parameter, however many."""
    named = frozenset({o.id for o in stored[:40]} | {f"unknown-{n}" for n in range(40_000)})
    newest_first = sorted(stored[:40], key=lambda o: o.bought_at, reverse=True)
    got = _ids(queries, OrderFilter(order_ids=named))
    assert set(got) == {o.id for o in stored[:40]}
    assert [o.bought_at for o in newest_first] == [
        next(o.bought_at for o in stored if o.id == order_id) for order_id in got]
    assert queries.count(OrderFilter(order_ids=named)) == 40
