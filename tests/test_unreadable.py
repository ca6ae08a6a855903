"""domain/unreadable.py and `Text.stored`: why a record was kept aside, kept as data so the
window can say it in the seller's language, bounded and escaped whatever Allegro sent."""

from __future__ import annotations

import json

import pytest

from allegro_desktop.domain.errors import ByteSize, Moment, Text
from allegro_desktop.domain.unreadable import (
    DETAIL_LIMIT,
    ID_LIMIT,
    VALUE_LIMIT,
    RecordKind,
    UnreadableReason,
    read_reason,
)


def test_a_text_is_stored_as_data_and_read_back_whole() -> None:
    text = Text("%1 of %2 at %3, %4", Text("an integer of about %1 digits", 4000), "x\ud800",
                Moment(1_765_000_000.5), ByteSize(1024))
    data = json.loads(json.dumps(text.stored()))
    assert data == ["%1 of %2 at %3, %4", ["an integer of about %1 digits", 4000], "x\\ud800",
                    {"moment": 1_765_000_000.5}, {"bytes": 1024}]
    assert Text.from_stored(data) == Text(text.template, text.args[0], "x\\ud800",
                                          *text.args[2:])
    # A text of another context is kept as its English (no translation to look up).
    assert Text("Sync now", context="MainWindow").stored() == ["Sync now"]


@pytest.mark.parametrize("data", [
    None, "text", [], [1], ["%1", None], ["%1", True], ["%1", 1.5], ["%1", {"moment": "x"}],
    ["%1", {"bytes": 1, "moment": 2}], ["%1", ["%1", ["%1", ["%1", ["%1", ["%1", 1]]]]]],
])
def test_what_is_not_a_stored_text_reads_as_none(data: object) -> None:
    assert Text.from_stored(data) is None


def test_a_reason_says_the_record_the_field_and_the_problem() -> None:
    reason = UnreadableReason(kind=RecordKind.FORM, record_id="6f1c", field="lineItems[0].id",
                              problem=Text("repeats %1: %2", "lineItems[1].id", "'a'"))
    assert str(reason) == "checkout form 6f1c: lineItems[0].id repeats lineItems[1].id: 'a'"
    assert str(reason.text) == "Order 6f1c: the field lineItems[0].id repeats lineItems[1].id: 'a'"
    whole = UnreadableReason(kind=RecordKind.EVENT, record_id=None, field=None,
                             problem=Text("cannot be stored exactly in the database"),
                             detail="the database refused it")
    assert str(whole) == ("order event (no id) cannot be stored exactly in the database "
                          "(the database refused it)")
    assert str(whole.text) == "Order event (no id) cannot be stored exactly in the database"


def test_a_reason_is_one_bounded_escaped_line_and_survives_being_stored() -> None:
    reason = UnreadableReason(kind=RecordKind.FORM, record_id="id\n" * 100, field="a\x1b" * 500,
                              problem=Text("is not a string: %1", "\ud800" * 1000),
                              detail="d" * 10_000)
    assert len(reason.record_id or "") == ID_LIMIT
    assert len(str(reason.problem.args[0])) == VALUE_LIMIT
    assert len(reason.detail or "") == DETAIL_LIMIT
    line = str(reason)
    assert line.isprintable()  # no line break, escape or lone surrogate
    stored = reason.stored()
    assert "\n" not in stored
    assert len(stored) < 10_000
    stored.encode()  # text SQLite can store
    assert read_reason(stored) == reason
    assert json.loads(stored)["en"] == line


@pytest.mark.parametrize(("stored", "read"), [
    ("checkout form 1: status is missing", "checkout form 1: status is missing"),  # older
    ("{not JSON", "{not JSON"),
    ('{"en": "order event 7: type is missing", "kind": "rumour"}',
     "order event 7: type is missing"),
    ('{"kind": "form", "id": 1, "field": null, "problem": ["is empty"]}',
     '{"kind": "form", "id": 1, "field": null, "problem": ["is empty"]}'),
    ('{"a":' * 100_000, '{"a":' * 100_000),  # nested past what the JSON reader follows
])
def test_a_row_that_is_not_a_stored_reason_reads_as_its_text(stored: str, read: str) -> None:
    assert read_reason(stored) == read
