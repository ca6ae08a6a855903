"""One poisoned record never costs the batch: every hostile value of
`tests/helpers/hostile_values.py` through the real reading (`decode_json`), the parser and a real
SQLite file; and the storage's own second line of defence for records that reach it anyway."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from allegro_desktop.api.exact_json import decode_json
from allegro_desktop.api.parsing import MalformedOrderError, parse_checkout_form, parse_event
from allegro_desktop.domain.errors import Text
from allegro_desktop.domain.orders import EXACT_LIMIT, Money
from allegro_desktop.domain.safe_text import text_id
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason, read_reason
from allegro_desktop.storage import (
    Database,
    OrderRepository,
    PendingForm,
    SyncStateRepository,
    UnreadableRecord,
)
from allegro_desktop.storage.schema import order_events, unreadable
from tests.helpers.hostile_values import EVENT_VALUES, FORM_VALUES, Hostile, poisoned
from tests.helpers.served_orders import ACCOUNT, Shop, parse_all, parse_events


def _unreadable_rows(db: Database) -> list[dict[str, Any]]:
    with db.read() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(unreadable).order_by(unreadable.c.seq))]


def _reason(kind: RecordKind, record_id: str | None, field: str = "id",
            problem: str = "is missing", *args: object) -> UnreadableReason:
    return UnreadableReason(kind=kind, record_id=record_id, field=field,
                            problem=Text(problem, *args))


def _english(row: dict[str, Any]) -> str:
    """The English line of a row's stored reason."""
    return str(read_reason(row["error"]))


def _kept_exactly(raw: str, body: bytes, data: Any) -> bool:
    """The kept text is the body as received (bytes that are not UTF-8 escaped), or — read by
    orjson, which keeps no text — JSON equal to what was received."""
    return raw == body.decode("utf-8", "backslashreplace") or orjson.loads(raw) == data


@pytest.mark.parametrize("hostile", FORM_VALUES, ids=str)
def test_a_hostile_value_in_a_form_is_stored_exactly_or_refused_by_name(
        repo: OrderRepository, states: SyncStateRepository, db: Database, shop: Shop,
        hostile: Hostile) -> None:
    forms = shop.form_copies(4)
    body = poisoned(forms[0], hostile)
    data = decode_json(body)
    others = parse_all(forms[1:])
    if hostile.refused is None:
        order = parse_checkout_form(data, account_key=ACCOUNT)
        result = repo.apply_batch(account_key=ACCOUNT, orders=[order, *others], events=[],
                                  cursor="17")
        assert (result.new, result.set_aside) == (4, 0)
        assert repo.raw_form(order.id) == data  # as received, read back exactly
        return
    with pytest.raises(MalformedOrderError) as caught:
        parse_checkout_form(data, account_key=ACCOUNT)
    assert caught.value.field.startswith(hostile.refused), caught.value
    # What the sync then does: the form kept aside with its raw JSON, pending (when its id is
    # text), the rest stored.
    form_id = text_id(data.get("id"))
    result = repo.apply_batch(
        account_key=ACCOUNT, orders=others, events=[], cursor="17",
        pending=[PendingForm(form_id, "unreadable")] if form_id else [],
        unreadable_records=[UnreadableRecord(reason=caught.value.reason, raw=data,
                                             form_id=form_id)])
    assert result.new == 3
    assert states.get_sync_state(ACCOUNT).event_cursor == "17"
    (row,) = _unreadable_rows(db)
    assert _kept_exactly(row["raw"], body, data)
    assert read_reason(row["error"]) == caught.value.reason  # read back whole
    assert _english(row) == str(caught.value)
    assert repo.pending_form_ids(ACCOUNT) == ([form_id] if form_id else [])


@pytest.mark.parametrize("hostile", EVENT_VALUES, ids=str)
def test_a_hostile_value_in_an_event_is_stored_exactly_or_refused_by_name(
        repo: OrderRepository, db: Database, shop: Shop, hostile: Hostile) -> None:
    body = poisoned(shop.events[0], hostile)
    data = decode_json(body)
    others = parse_events(shop.events[1:5])
    if hostile.refused is None:
        event = parse_event(data)
        result = repo.apply_batch(account_key=ACCOUNT, orders=[], events=[event, *others],
                                  cursor=others[-1].id)
        assert (result.events_added, result.set_aside) == (5, 0)
        with db.read() as connection:
            raw = connection.scalar(select(order_events.c.raw).where(
                order_events.c.event_id == event.id))
        assert orjson.loads(raw) == data
        return
    with pytest.raises(MalformedOrderError) as caught:
        parse_event(data)
    assert caught.value.field.startswith(hostile.refused), caught.value
    result = repo.apply_batch(
        account_key=ACCOUNT, orders=[], events=others, cursor=others[-1].id,
        unreadable_records=[UnreadableRecord(reason=caught.value.reason, raw=data)])
    assert result.events_added == 4
    (row,) = _unreadable_rows(db)
    assert _kept_exactly(row["raw"], body, data)
    assert read_reason(row["error"]) == caught.value.reason


# -- the storage's own defence ---------------------------------------------------------------


def test_orders_and_events_the_database_cannot_keep_are_set_aside_the_rest_written(
        repo: OrderRepository, states: SyncStateRepository, db: Database, shop: Shop) -> None:
    """Records that never went through the parser (a future caller, a bug): checked before the
    transaction, each bad one kept aside with the reason, its form pending; the others, the
    events, the gone markers and the cursor written as one batch."""
    good = parse_all(shop.form_copies(7))
    huge = dataclasses.replace(good[0], total=Money(Decimal(EXACT_LIMIT), "PLN"))
    repeated = dataclasses.replace(good[1], line_items=good[1].line_items * 2)
    unwritable = dataclasses.replace(good[2], raw={**good[2].raw, "x": "\ud800"})
    # Not text SQLite can store, in a column (its JSON is fine): SQLite refuses it, the
    # SAVEPOINT is rolled back and the batch written again record by record.
    not_text = dataclasses.replace(good[3], buyer=dataclasses.replace(good[3].buyer,
                                                                      login="\ud800"))
    events = parse_events(shop.events[:5])
    far_event = dataclasses.replace(events[0], id="99999999999999999999", sequence=10**20)
    odd_event = dataclasses.replace(events[1], type="\udcff")
    result = repo.apply_batch(account_key=ACCOUNT,
                              orders=[huge, repeated, unwritable, not_text, *good[4:]],
                              events=[far_event, odd_event, *events[2:]], cursor=events[-1].id,
                              gone_ids=["gone-1"])
    assert (result.new, result.set_aside, result.events_added, result.gone_added) == (
        3, 6, 3, 1)
    assert states.get_sync_state(ACCOUNT).event_cursor == events[-1].id
    assert sorted(repo.pending_form_ids(ACCOUNT)) == sorted(o.id for o in good[:4])
    rows = _unreadable_rows(db)
    forms = {row["checkout_form_id"]: row for row in rows if row["kind"] == "form"}
    assert "total_minor is too large" in _english(forms[good[0].id])
    assert "repeats" in _english(forms[good[1].id])
    assert "its JSON cannot be stored exactly" in _english(forms[good[2].id])
    assert "\\ud800" in forms[good[2].id]["raw"]  # kept, the surrogate escaped
    assert "the database refused it" in _english(forms[good[3].id])
    # What the window shows says so without the technical detail (English only).
    reason = read_reason(forms[good[0].id]["error"])
    assert isinstance(reason, UnreadableReason)
    assert str(reason.text) == (f"Order {good[0].id} cannot be stored exactly in the "
                                "database")
    events_kept = sorted(_english(row) for row in rows if row["kind"] == "event")
    assert "past 64 bits" in events_kept[1]
    assert "the database refused it" in events_kept[0]
    assert repo.count_orders(ACCOUNT) == 3
    # Asked for again and now readable: stored, no longer pending.
    repo.apply_batch(account_key=ACCOUNT, orders=good[:4], events=[], cursor=None)
    assert repo.pending_form_ids(ACCOUNT) == []
    assert repo.count_orders(ACCOUNT) == 7


def test_keeping_aside_cannot_fail_on_an_id_or_a_reason_that_is_not_text(
        repo: OrderRepository, states: SyncStateRepository, db: Database, shop: Shop) -> None:
    """Ids and reasons handed to the storage as they came (a lone surrogate, a byte that was not
    UTF-8): the batch is written; such an id is no id — never pending, never gone, the record
    kept aside without it — and the reason is kept with escapes."""
    orders = parse_all(shop.form_copies(3))
    not_text = dataclasses.replace(orders[0], id="abc\ud800")  # never went through the parser
    result = repo.apply_batch(
        account_key=ACCOUNT, orders=[not_text, *orders[1:]], events=[], cursor="17",
        gone_ids=["gone\udcff", "gone-1"],
        pending=[PendingForm("abc\udcff", "unreadable"), PendingForm("pending-1", "failed")],
        unreadable_records=[
            UnreadableRecord(reason=_reason(RecordKind.FORM, "abc\udcff", "id",
                                            "holds a lone surrogate, which is not text: %1",
                                            "'abc\udcff'"),
                             raw={"id": "abc\udcff"}, form_id="abc\udcff"),
            UnreadableRecord(reason=_reason(RecordKind.EVENT, "1", "type\ud800",
                                            "is not a date: %1", "\ud800"),
                             raw={"id": "1"}, form_id="x\ud800")])
    assert (result.new, result.gone_added, result.set_aside) == (2, 1, 1)
    assert states.get_sync_state(ACCOUNT).event_cursor == "17"
    assert repo.pending_form_ids(ACCOUNT) == ["pending-1"]
    assert repo.gone_form_ids(ACCOUNT) == {"gone-1"}
    rows = _unreadable_rows(db)
    assert [row["checkout_form_id"] for row in rows] == [None, None, None]
    errors = sorted(_english(row) for row in rows)
    assert errors[0].startswith("checkout form abc\\ud800 cannot be stored")
    assert errors[1:] == [
        "checkout form abc\\xff: id holds a lone surrogate, which is not text: 'abc\\xff'",
        "order event 1: type\\ud800 is not a date: \\ud800"]
    assert '{"id": "abc\\udcff"}' in {row["raw"] for row in rows}  # JSON, escaped
    # Met again at the next sync: kept once (by its raw text), nothing else changes.
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     unreadable_records=[UnreadableRecord(
                         reason=_reason(RecordKind.FORM, "abc\udcff"), raw={"id": "abc\udcff"},
                         form_id="abc\udcff")])
    assert len(_unreadable_rows(db)) == 3


def test_a_value_sqlite_itself_refuses_is_set_aside_by_writing_record_by_record(
        repo: OrderRepository, states: SyncStateRepository, db: Database, shop: Shop) -> None:
    """What no check foresaw: SQLite refuses one row of the bulk write (a constraint, as a
    value too big or a type it cannot bind would). The SAVEPOINT is rolled back and the batch
    written again record by record; only the refused one is kept aside."""
    orders = parse_all(shop.form_copies(5))
    poison = orders[2].id
    with db.write() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER refuse BEFORE INSERT ON orders WHEN NEW.id = '{poison}' "
            f"BEGIN SELECT RAISE(ABORT, 'this value is refused'); END")
    try:
        result = repo.apply_batch(account_key=ACCOUNT, orders=orders,
                                  events=parse_events(shop.events[:3]),
                                  cursor=shop.events[2]["id"])
    finally:
        with db.write() as connection:
            connection.exec_driver_sql("DROP TRIGGER refuse")
    assert (result.new, result.set_aside, result.events_added) == (4, 1, 3)
    assert repo.pending_form_ids(ACCOUNT) == [poison]
    (row,) = _unreadable_rows(db)
    assert "this value is refused" in _english(row)
    assert states.get_sync_state(ACCOUNT).event_cursor == shop.events[2]["id"]


def test_the_same_bad_record_met_at_every_sync_is_kept_once(repo: OrderRepository,
                                                            db: Database, shop: Shop) -> None:
    bad_event = {"id": "abc", "type": "BOUGHT", "order": {"checkoutForm": {"id": "f"}}}
    bad_form = {"id": "pending-form", "status": None}
    idless_form = {"status": "READY_FOR_PROCESSING"}
    for attempt in range(3):
        repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                         unreadable_records=[
                             UnreadableRecord(reason=_reason(RecordKind.EVENT, None),
                                              raw=bad_event, form_id="f"),
                             UnreadableRecord(reason=_reason(RecordKind.FORM, "pending-form",
                                                             "status"),
                                              raw={**bad_form, "n": attempt},
                                              form_id="pending-form"),
                             UnreadableRecord(reason=_reason(RecordKind.FORM, None),
                                              raw=idless_form)])
    rows = _unreadable_rows(db)
    assert len(rows) == 3
    latest = next(row for row in rows if row["checkout_form_id"] == "pending-form")
    assert orjson.loads(latest["raw"])["n"] == 2  # a form's latest copy is kept
    # A different bad event is another row.
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     unreadable_records=[UnreadableRecord(reason=_reason(RecordKind.EVENT, None),
                                                          raw={**bad_event, "id": "abd"})])
    assert len(_unreadable_rows(db)) == 4


def test_a_reason_is_stored_as_data_and_rows_of_earlier_versions_still_read(
        repo: OrderRepository, db: Database) -> None:
    """A reason is kept as data (read back whole: the window translates it, the report quotes
    its English line); a row an earlier version wrote holds its English line as plain text,
    and reads back as that text — so does a row whose data cannot be read (its English line
    when it has one)."""
    reason = _reason(RecordKind.FORM, "new-form", "summary.totalToPay.amount",
                     "has more than two decimals: %1", "'0.001'")
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     unreadable_records=[UnreadableRecord(reason=reason, raw={"id": "new-form"},
                                                          form_id="new-form")])
    old_line = ("checkout form old-form: summary.totalToPay.amount is too large to store "
                "exactly: '99999999999999999999.99'")
    damaged = ['{"kind": "form", "en": "checkout form damaged: status is missing"}',
               "{not JSON", '["a list"]']
    with db.write() as connection:
        for form_id, error in [("old-form", old_line),
                               *((f"damaged-{n}", text) for n, text in enumerate(damaged))]:
            connection.execute(unreadable.insert().values(
                account_key=ACCOUNT, kind="form", checkout_form_id=form_id, error=error,
                raw=f'{{"id": "{form_id}"}}', recorded_at=0))
    (kept,) = repo.kept_aside(latest=10)
    records = {record.form_id: record for record in kept.latest}
    new = records["new-form"]
    assert new.reason == reason
    assert new.error == ("checkout form new-form: summary.totalToPay.amount has more than "
                         "two decimals: '0.001'")
    assert new.text == reason.text
    old = records["old-form"]
    assert old.reason == old.error == old.text == old_line
    assert [records[f"damaged-{n}"].text for n in range(3)] == [
        "checkout form damaged: status is missing", "{not JSON", '["a list"]']
