"""api/exact_json.py: Allegro's answers read exactly, one bad value spoiling only its record."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allegro_desktop.api.exact_json import decode_json
from allegro_desktop.domain.received import Inexact, Received, received_text
from tests.helpers.hostile_proxy import nested

FORM = {"id": "f-1", "status": "READY_FOR_PROCESSING", "n": 5, "price": "12.50",
        "lineItems": [{"id": "a", "quantity": 2}], "note": None, "flag": True, "x": 0.5}


def _page(*forms: bytes) -> bytes:
    return b'{"checkoutForms": [' + b", ".join(forms) + b'], "count": 2, "totalCount": 2}'


def test_a_plain_answer_is_orjsons_reading() -> None:
    body = orjson.dumps({"checkoutForms": [FORM, FORM], "count": 2})
    value = decode_json(body)
    assert value == orjson.loads(body)
    assert not isinstance(value, Received)  # the fast path: no text kept, none needed


@pytest.mark.parametrize(("literal", "reason"), [
    (b"1e999999", "float cannot hold"),
    (b"-1e999999", "float cannot hold"),
    (b"1e-999999", "float cannot hold"),  # orjson would read 0.0
    (b"0.1000000000000000055511151231257827", "float cannot hold"),  # orjson would read 0.1
    (b"NaN", "not a JSON number"),
    (b"Infinity", "not a JSON number"),
    (b"1" * 5000, "integer past 64 bits"),  # past Python's 4 300 digits too
    (b"[" * 3000 + b"]" * 3000, "nested too deep"),  # orjson refuses > 1 024 levels
])
def test_a_value_no_float_or_reader_can_hold_spoils_only_its_record(literal: bytes,
                                                                   reason: str) -> None:
    bad = b'{"id": "bad", "amount": ' + literal + b"}"
    good = orjson.dumps(FORM)
    value = decode_json(_page(bad, good))
    first, second = value["checkoutForms"]
    assert first["id"] == "bad"
    assert isinstance(first["amount"], Inexact)
    assert reason in first["amount"].reason
    assert first["amount"].text == literal.decode()
    assert received_text(first) == bad.decode()  # the record's text, exactly as received
    assert second == FORM
    assert received_text(second) == good.decode()
    assert value["count"] == 2


def test_integers_past_64_bits_are_marked_not_rounded_to_floats() -> None:
    literal = b"123456789012345678901234567"
    body = _page(b'{"id": "big", "n": ' + literal + b"}")
    assert orjson.loads(body)["checkoutForms"][0]["n"] == 1.2345678901234568e26  # orjson alone
    value = decode_json(body)["checkoutForms"][0]["n"]
    assert isinstance(value, Inexact)
    assert (value.text, value.reason) == (literal.decode(), "integer past 64 bits")
    assert decode_json(b'{"n": 18446744073709551615, "m": -9223372036854775808}') == {
        "n": 2**64 - 1, "m": -2**63}
    assert isinstance(decode_json(b'{"n": [18446744073709551616]}')["n"][0], Inexact)


def test_lone_surrogates_and_bytes_that_are_not_utf8_spoil_only_their_record() -> None:
    escaped = decode_json(_page(b'{"id": "s", "login": "a\\ud800b"}', orjson.dumps(FORM)))
    assert escaped["checkoutForms"][0]["login"] == "a\ud800b"
    assert escaped["checkoutForms"][1] == FORM
    raw = decode_json(_page(b'{"id": "u", "login": "a\xff\xfeb"}', orjson.dumps(FORM)))
    assert raw["checkoutForms"][0]["login"] == "a\udcff\udcfeb"
    assert raw["checkoutForms"][1] == FORM


def test_nesting_orjson_cannot_write_back_is_read_with_its_text() -> None:
    deep = json.dumps({"id": "deep", "extra": nested(300)}).encode()  # orjson: read, not write
    value = decode_json(_page(deep, orjson.dumps(FORM)))
    assert value["checkoutForms"][0]["extra"] == nested(300)
    assert received_text(value["checkoutForms"][0]) == deep.decode()


def test_a_single_form_keeps_its_text_and_marks_its_bad_member() -> None:
    body = b'{"id": "one",\n "lineItems": [{"id": "a", "price": {"amount": 1e400}}]}'
    value = decode_json(body)
    assert received_text(value) == body.decode()
    assert isinstance(value["lineItems"][0]["price"]["amount"], Inexact)


@pytest.mark.parametrize("body", [
    b"", b"<html><body>502 Bad Gateway</body></html>", b'{"a": [1,]}', b'{"a": [1, 2',
    b'{"a": 1} x', b"NaN", b'{"a" 1}', b'{1: 2}',
])
def test_what_is_not_json_at_all_is_a_value_error(body: bytes) -> None:
    with pytest.raises(ValueError, match="not JSON"):
        decode_json(body)


def test_digits_inside_strings_do_not_change_the_reading() -> None:
    body = orjson.dumps({"a": "12345678901234567890", "b": "3e123456-1234-4e12-8e34-1234",
                         "c": "x,12345678901234567890"})
    assert decode_json(body) == orjson.loads(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(value=json_values, indent=st.booleans())
def test_any_json_value_reads_back_equal(value: Any, indent: bool) -> None:
    """Whichever path reads it (orjson, or the exact one for long numbers), and however the
    text is laid out, the value read is the value written."""
    text = json.dumps({"checkoutForms": [value, {"k": value}], "v": value},
                      indent=2 if indent else None, ensure_ascii=False)
    assert decode_json(text.encode()) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=200) | st.text(
    alphabet='{}[]:,"\\ 0123456789.eE+-truefalsn', max_size=60).map(str.encode))
def test_any_bytes_are_read_or_refused_with_a_value_error(body: bytes) -> None:
    with contextlib.suppress(ValueError):
        decode_json(body)


@settings(max_examples=200, deadline=None)
@given(number=st.integers(-2**200, 2**200))
def test_an_integer_is_read_exactly_or_marked_with_its_text(number: int) -> None:
    """Within 64 bits (signed or not) an int, as orjson reads it; past them never a float, but
    `Inexact` keeping the digits as sent — in the fast path's bytes or the exact path's."""
    value = decode_json(b'{"a": [' + str(number).encode() + b', "x"]}')["a"][0]
    if -2**63 <= number < 2**64:
        assert value == number
        assert isinstance(value, int)
    else:
        assert isinstance(value, Inexact)
        assert value.text == str(number)
