"""The seller's tags and private notes in a real SQLite file: what a seller may type (hostile
names and notes get a clear message, nothing is written), tags unique regardless of case,
filters and search over them in both of the order list's plans (the order of the list
unaffected), the rows the table reads, a sync's update of an order, retention, a disconnected
account, and backups and restores carrying them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from allegro_desktop.domain.filters import OrderColumn, OrderFilter, OrderSort, QuickFilter
from allegro_desktop.domain.labels import (
    MAX_NOTE_LENGTH,
    LabelError,
    clean_colour,
    clean_note,
    clean_tag_name,
)
from allegro_desktop.services.order_labels import OrderLabels, UnknownOrdersError
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.backup import back_up, restore, stage_backup
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.storage.retention import RetentionPolicy, prune
from tests.helpers.served_orders import ACCOUNT, NOW, OTHER_ACCOUNT, Shop, parse_all

SORTS = [OrderSort(), OrderSort(OrderColumn.TOTAL, descending=False),
         OrderSort(OrderColumn.BUYER_NAME), OrderSort(OrderColumn.STATUS, descending=False)]


@pytest.fixture
def stored(db: Database, repo: OrderRepository, shop: Shop) -> list[str]:
    """The shop's 300 orders stored (every fifth the other account's); their ids, newest
    first."""
    forms = shop.form_copies()
    mine = [f for n, f in enumerate(forms) if n % 5]
    theirs = [f for n, f in enumerate(forms) if not n % 5]
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(mine), events=[], cursor=None)
    repo.apply_batch(account_key=OTHER_ACCOUNT, orders=parse_all(theirs, OTHER_ACCOUNT),
                     events=[], cursor=None)
    queries = OrderQueries(database=db)
    rows = queries.rows(queries.seqs(OrderFilter(), OrderSort()))
    return [row.id for row in sorted(rows.values(), key=lambda r: r.bought_at, reverse=True)]


@pytest.fixture
def labels(db: Database) -> OrderLabels:
    return OrderLabels(database=db)


@pytest.fixture(params=["few matches", "many matches"])
def queries(request: pytest.FixtureRequest, db: Database) -> OrderQueries:
    """The order list in either of its plans (`few_matches=0` always walks the sort index)."""
    return OrderQueries(database=db, few_matches=16_384 if request.param == "few matches" else 0)


def _all_rows(queries: OrderQueries) -> dict[int, OrderRow]:
    return queries.rows(queries.seqs(OrderFilter(), OrderSort()))


def _expected(queries: OrderQueries, sort: OrderSort, wanted: set[str]) -> list[int]:
    """The list of all orders in `sort` order, narrowed to `wanted` in Python."""
    rows = _all_rows(queries)
    return [seq for seq in queries.seqs(OrderFilter(), sort) if rows[seq].id in wanted]


# -- what a seller may type -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "cleaned"), [
    ("  do\n  spakowania\t", "do spakowania"),
    ("📦 paczka", "📦 paczka"),
    ("👩‍👩‍👧 rodzina", "👩‍👩‍👧 rodzina"),  # a ZWJ sequence stays whole
    ("طلب عاجل", "طلب عاجل"),  # right-to-left
    ("Zażółć gęślą jaźń", "Zażółć gęślą jaźń"),
    ("=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"),  # a formula is text here; exports neutralise it
    ("e\u0301", "\u00e9"),  # NFC
])
def test_tag_names_are_cleaned(typed: str, cleaned: str) -> None:
    assert clean_tag_name(typed) == cleaned


@pytest.mark.parametrize(("typed", "said"), [
    ("", "A tag needs a name."),
    (" \n\t ", "A tag needs a name."),
    ("x" * 41, "A tag's name can be at most 40 characters long (this one has 41)."),
    ("pil\x00ne", "A tag's name cannot contain the control character U+0000."),
    ("\x1b[31mred", "A tag's name cannot contain the control character U+001B."),
    ("\u202eenilno", "A tag's name cannot contain the control character U+202E."),
    ("\ud800", "A tag's name cannot contain the control character U+D800."),
])
def test_hostile_tag_names_are_refused_with_a_clear_message(typed: str, said: str) -> None:
    with pytest.raises(LabelError) as refused:
        clean_tag_name(typed)
    assert refused.value.user_message.startswith(said.rstrip("."))


def test_colours_and_notes_are_checked() -> None:
    assert clean_colour(" #1E88E5 ") == "#1e88e5"
    for bad in ("red", "#12345", "#1234567", "1e88e5", "#gggggg", ""):
        with pytest.raises(LabelError) as refused:
            clean_colour(bad)
        assert "is not a colour: give it as #rrggbb" in refused.value.user_message
    assert clean_note("  a\r\nb\rc\t d  \n") == "a\nb\nc\t d"
    assert clean_note(" \n ") == ""
    assert clean_note("x" * MAX_NOTE_LENGTH) == "x" * MAX_NOTE_LENGTH
    with pytest.raises(LabelError) as too_long:
        clean_note("ą" * (MAX_NOTE_LENGTH + 1))
    assert too_long.value.user_message == ("A note can be at most 5000 characters long (this "
                                           "one has 5001). Shorten it and save it again.")
    for bad in ("bell\x07", "nul\x00", "esc\x1b[2J", "\u202dover"):
        with pytest.raises(LabelError) as refused:
            clean_note(bad)
        assert "A note cannot contain the control character U+" in refused.value.user_message


def test_refused_input_changes_nothing(db: Database, labels: OrderLabels,
                                       stored: list[str]) -> None:
    tag = labels.create_tag("pilne", "#e53935")
    labels.set_note(stored[0], "stara notatka")
    for attempt in (lambda: labels.create_tag("x\x00", "#000000"),
                    lambda: labels.create_tag("nowy", "czerwony"),
                    lambda: labels.rename_tag(tag.id, ""),
                    lambda: labels.set_note(stored[0], "y" * 10_000_000),
                    lambda: labels.tag([stored[0], "nie-ma-takiego"], "pilne"),
                    lambda: labels.set_note("nie-ma-takiego", "notatka"),
                    lambda: labels.tag([], "pilne")):
        with pytest.raises(LabelError):
            attempt()
    assert [t.name for t in labels.tags()] == ["pilne"]
    assert labels.tags_of(stored) == {}
    assert labels.note(stored[0]) == "stara notatka"


def test_an_unknown_order_is_named(labels: OrderLabels, stored: list[str]) -> None:
    with pytest.raises(UnknownOrdersError) as unknown:
        labels.tag([stored[0], "abc-1", "abc-2"], "pilne")
    assert unknown.value.ids == ("abc-1", "abc-2")
    assert unknown.value.user_message == ("No order abc-1, abc-2 is stored here (check the "
                                          "id, or sync first).")


def test_tag_names_are_unique_regardless_of_case(labels: OrderLabels) -> None:
    pilne = labels.create_tag("Pilne", "#e53935")
    other = labels.create_tag("czeka na towar", "#fb8c00")
    with pytest.raises(LabelError) as taken:
        labels.create_tag("PILNE", "#000000")
    assert taken.value.user_message == 'A tag named "PILNE" already exists.'
    with pytest.raises(LabelError) as taken:
        labels.rename_tag(other.id, "pilne")
    assert taken.value.user_message == 'A tag named "pilne" already exists.'
    labels.rename_tag(pilne.id, "PILNE")  # its own name in other letters
    labels.recolour_tag(pilne.id, "#43A047")
    assert [(t.name, t.colour) for t in labels.tags()] == [
        ("czeka na towar", "#fb8c00"), ("PILNE", "#43a047")]
    assert labels.tag_named("  pilne ") == labels.tags()[1]
    labels.delete_tag(other.id)
    for gone in (lambda: labels.rename_tag(other.id, "x"),
                 lambda: labels.recolour_tag(other.id, "#000000"),
                 lambda: labels.delete_tag(other.id), lambda: labels.untag(["a"], "nope")):
        with pytest.raises(LabelError):
            gone()


# -- filters, search, rows ----------------------------------------------------------------------


def test_tags_filter_any_of_in_both_plans_in_every_sort(labels: OrderLabels, stored: list[str],
                                                        queries: OrderQueries) -> None:
    to_pack = labels.tag(stored[:50], "do spakowania").tag
    waiting = labels.tag(stored[40:60], "czeka na towar").tag
    assert labels.tag(stored[:10], to_pack).changed == 0  # already there
    assert labels.tag_counts() == {to_pack.id: 50, waiting.id: 20}
    for sort in SORTS:
        assert list(queries.seqs(OrderFilter(tags=frozenset({to_pack.id})), sort)) == \
            _expected(queries, sort, set(stored[:50]))
        assert list(queries.seqs(OrderFilter(tags=frozenset({to_pack.id, waiting.id})),
                                 sort)) == _expected(queries, sort, set(stored[:60]))
    sent = queries.count(OrderFilter(quick=QuickFilter.SENT, tags=frozenset({waiting.id})))
    rows = _all_rows(queries)
    assert sent == sum(1 for r in rows.values()
                       if r.id in stored[40:60] and r.quick_filter is QuickFilter.SENT)
    assert queries.count(OrderFilter(tags=frozenset({999}))) == 0
    assert labels.untag(stored[:45], to_pack).changed == 45
    assert queries.count(OrderFilter(tags=frozenset({to_pack.id}))) == 5
    assert labels.delete_tag(waiting.id) == 20
    assert queries.count(OrderFilter(tags=frozenset({waiting.id}))) == 0
    assert queries.count(OrderFilter()) == len(stored)  # orders stay


def test_search_finds_an_order_by_its_note_once(labels: OrderLabels, stored: list[str],
                                               queries: OrderQueries) -> None:
    rows = {r.id: r for r in _all_rows(queries).values()}
    buyer = rows[stored[3]].buyer_login
    assert buyer
    labels.set_note(stored[1], "Zadzwonić przed wysyłką\ndruga linia: Łódź")
    labels.set_note(stored[3], f"{buyer} prosi o fakturę")  # also found by its own fields
    labels.set_note(stored[5], "📦 طلب عاجل karton")
    for sort in SORTS:
        for typed, wanted in (("zadzwonic", {stored[1]}), ("lodz wysylka", {stored[1]}),
                              ("ZADZWONIĆ", {stored[1]}), ("karton", {stored[5]}),
                              ("عاجل", {stored[5]}), ("faktur", {stored[3]})):
            assert list(queries.seqs(OrderFilter(search=typed), sort)) == \
                _expected(queries, sort, wanted), typed
        # the buyer's login finds their orders and the note naming it: each order once
        by_login = {r.id for r in rows.values() if r.buyer_login == buyer} | {stored[3]}
        found = list(queries.seqs(OrderFilter(search=buyer), sort))
        assert found == _expected(queries, sort, by_login)
        assert list(queries.seqs(OrderFilter(search="zadzwonic", quick=QuickFilter.ALL,
                                             has_note=True), sort)) == \
            _expected(queries, sort, {stored[1]})
    assert queries.count(OrderFilter(search="zadzwonic")) == 1
    assert queries.quick_counts(OrderFilter(search="karton"))[QuickFilter.ALL] == 1
    labels.set_note(stored[1], "")  # deleted: no longer found by it
    assert queries.count(OrderFilter(search="zadzwonic")) == 0
    labels.set_note(stored[5], "inna treść")
    assert queries.count(OrderFilter(search="karton")) == 0
    assert queries.count(OrderFilter(search="tresc")) == 1


def test_has_note_and_the_rows_the_table_reads(labels: OrderLabels, stored: list[str],
                                               queries: OrderQueries) -> None:
    labels.set_note(stored[2], "\n\n  pierwsza linia  \ndruga")
    labels.set_note(stored[4], "tylko jedna")
    labels.tag(stored[2:3], labels.create_tag("żółty", "#fdd835"))
    labels.tag(stored[2:3], "Ania")
    for sort in SORTS:
        assert list(queries.seqs(OrderFilter(has_note=True), sort)) == \
            _expected(queries, sort, {stored[2], stored[4]})
        assert list(queries.seqs(OrderFilter(has_note=False), sort)) == \
            _expected(queries, sort, set(stored) - {stored[2], stored[4]})
    rows = {r.id: r for r in _all_rows(queries).values()}
    assert [t.name for t in rows[stored[2]].tags] == ["Ania", "żółty"]
    assert rows[stored[2]].tags[1].colour == "#fdd835"
    assert rows[stored[2]].private_note == "pierwsza linia  \ndruga"
    assert rows[stored[2]].private_note_line == "pierwsza linia"
    assert rows[stored[4]].private_note_line == "tylko jedna"
    assert (rows[stored[6]].tags, rows[stored[6]].private_note) == ((), None)


@pytest.mark.parametrize("column", [OrderColumn.TAGS, OrderColumn.PRIVATE_NOTE])
def test_sorting_by_the_labels(labels: OrderLabels, stored: list[str], queries: OrderQueries,
                               column: OrderColumn) -> None:
    """By the first tag's name (case ignored) or the note; every order listed once."""
    labels.tag(stored[10:12], "b-tag")
    labels.tag(stored[20:22], "A-tag")
    labels.set_note(stored[10], "b note")
    labels.set_note(stored[20], "a note")
    a_first, b_first = ((stored[20:22], stored[10:12]) if column is OrderColumn.TAGS
                        else ([stored[20]], [stored[10]]))
    for descending in (False, True):
        seqs = list(queries.seqs(OrderFilter(), OrderSort(column, descending)))
        assert sorted(seqs) == sorted(queries.seqs(OrderFilter(), OrderSort()))
        rows = queries.rows(seqs)
        place = {rows[seq].id: n for n, seq in enumerate(seqs)}
        earlier, later = (b_first, a_first) if descending else (a_first, b_first)
        assert max(place[i] for i in earlier) < min(place[i] for i in later)
        noted = list(queries.seqs(OrderFilter(has_note=True), OrderSort(column, descending)))
        assert [rows[seq].id for seq in noted] == ([stored[10], stored[20]] if descending
                                                   else [stored[20], stored[10]])


# -- a sync, retention, a disconnected account ----------------------------------------------------


def test_a_sync_updating_an_order_keeps_its_labels(repo: OrderRepository, shop: Shop,
                                                   labels: OrderLabels, stored: list[str],
                                                   db: Database) -> None:
    labels.tag(stored, "wszystkie")
    labels.set_note(stored[0], "notatka")
    forms = [f for n, f in enumerate(shop.form_copies()) if n % 5]
    for form in forms:
        form["status"] = "CANCELLED"
        form["revision"] = "changed"
    result = repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms), events=[],
                              cursor=None)
    assert result.updated == len(forms)
    assert sum(len(t) for t in labels.tags_of(stored).values()) == len(stored)
    assert labels.note(stored[0]) == "notatka"
    assert OrderQueries(database=db).count(OrderFilter(search="notatka")) == 1


def test_retention_deletes_old_orders_labels_and_keeps_the_tags(
        db: Database, labels: OrderLabels, stored: list[str]) -> None:
    queries = OrderQueries(database=db)
    everyone = labels.tag(stored, "wszystkie").tag
    oldest, youngest = stored[-1], stored[0]
    labels.set_note(oldest, "stara notatka zniknie")
    labels.set_note(youngest, "młoda notatka zostaje")
    report = prune(db, RetentionPolicy(keep_orders_months=12), now=NOW + timedelta(days=40),
                   batch_size=7)
    assert report.orders > 10
    kept = {r.id for r in _all_rows(queries).values()}
    assert oldest not in kept
    assert youngest in kept
    assert labels.tag_counts() == {everyone.id: len(kept)}
    assert [t.name for t in labels.tags()] == ["wszystkie"]
    assert labels.note(oldest) == ""
    assert labels.note(youngest) == "młoda notatka zostaje"
    with db.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM order_notes_fts").scalar() == 1
        assert connection.exec_driver_sql(
            "SELECT count(*) FROM order_tags WHERE order_id NOT IN (SELECT id FROM orders)"
        ).scalar() == 0
    assert queries.count(OrderFilter(search="zniknie")) == 0
    assert queries.count(OrderFilter(search="zostaje")) == 1


def test_a_disconnected_accounts_orders_take_their_labels_along(
        repo: OrderRepository, labels: OrderLabels, stored: list[str], db: Database) -> None:
    labels.tag(stored, "wszystkie")
    for order_id in stored[:10]:
        labels.set_note(order_id, f"notatka {order_id}")
    theirs = [r.id for r in _all_rows(OrderQueries(database=db)).values()
              if r.account_key == OTHER_ACCOUNT]
    repo.delete_account_data(OTHER_ACCOUNT)
    assert set(labels.tags_of(stored)) == set(stored) - set(theirs)
    assert {i for i in stored[:10] if labels.note(i)} == set(stored[:10]) - set(theirs)


# -- backups ----------------------------------------------------------------------------------


def test_backups_carry_the_labels_and_a_restore_brings_them_back(
        db: Database, labels: OrderLabels, stored: list[str], tmp_path: Path) -> None:
    tag = labels.tag(stored[:5], "do spakowania").tag
    labels.set_note(stored[0], "zadzwonić 📞")
    backup = back_up(db, tmp_path / "backup.sqlite3").path
    labels.delete_tag(tag.id)
    labels.set_note(stored[0], "")
    labels.tag(stored[5:6], "po kopii")
    with stage_backup(db.path, backup) as staged:
        restore(db.path, staged, exclusive=False)
    assert [t.name for t in labels.tags()] == ["do spakowania"]
    assert set(labels.tags_of(stored)) == set(stored[:5])
    assert labels.note(stored[0]) == "zadzwonić 📞"
    assert OrderQueries(database=db).count(OrderFilter(search="zadzwonic")) == 1
