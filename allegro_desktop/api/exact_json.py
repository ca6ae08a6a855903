"""Allegro's answers as JSON values, exactly — or marked where they cannot be held exactly:
`decode_json` takes orjson's fast reading only when it is certainly exact, else reads the body
again with the standard library member by member, so one value orjson would refuse or round
spoils only its own record (an `Inexact` marker, the record's text kept as received).
ARCHITECTURE.md "The order database".
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import orjson

from allegro_desktop.domain.received import Inexact, Received

__all__ = ["decode_json"]

#: Where a number orjson might not read exactly can be: 17 or more digits (an integer past 64
#: bits, or a fraction a double cannot hold) or a three-digit exponent. The body's bytes are
#: mapped to their shape (digits and points to "0", "E" to "e") and searched for these
#: needles, at C speed; `_long_number` then checks that a hit is a number (after `[`, `:` or
#: `,`), not part of a string such as a UUID.
_SHAPE: Final = bytes.maketrans(b"123456789.E", b"0000000000e")
_NEEDLES: Final = (b"0" * 17, b"e000", b"e+000", b"e-000")
_NUMBER_CHARS: Final = frozenset(b"0123456789.eE+-")
_SPACE_BYTES: Final = frozenset(b" \t\n\r")

_SPACE: Final = re.compile(r"[ \t\n\r]*")
_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR: Final = re.compile(r"[^ \t\n\r,:\[\]{}\"]+")
_BRACKET_OR_QUOTE: Final = re.compile(r'["\[\]{}]')


def decode_json(content: bytes) -> Any:
    """The JSON value of `content` (ARCHITECTURE.md "The order database"). Raises `ValueError`
    when it is not JSON at all (an HTML gateway page, a cut-off body)."""
    if not _long_number(content):
        try:
            value = orjson.loads(content)
        except orjson.JSONDecodeError:
            pass
        else:
            try:
                orjson.dumps(value)
            except TypeError:  # nested too deep to write back
                pass
            else:
                return value
    text = content.decode("utf-8", errors="surrogateescape")
    try:
        value, end = _value(text, _skip_space(text, 0), records=2)
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if isinstance(value, Inexact) or _skip_space(text, end) != len(text):
        raise ValueError("not JSON: not one JSON value")
    return value


def _long_number(content: bytes) -> bool:
    """Whether `content` may hold a number orjson would not read exactly. Digits inside a
    string may say yes too: that costs only the slower exact reading."""
    shape = content.translate(_SHAPE)
    for needle in _NEEDLES:
        index = shape.find(needle)
        while index != -1:
            start = index
            while start > 0 and content[start - 1] in _NUMBER_CHARS:
                start -= 1
            while start > 0 and content[start - 1] in _SPACE_BYTES:
                start -= 1
            if start > 0 and content[start - 1] in b"[:,":
                return True
            index = shape.find(needle, index + len(needle))
    return False


# -- the exact path -------------------------------------------------------------------------


def _number(text: str) -> float | Inexact:
    """A JSON number with a fraction or exponent: the float, when it holds it exactly."""
    value = float(text)
    try:
        exact = math.isfinite(value) and Decimal(repr(value)) == Decimal(text)
    except InvalidOperation:
        exact = False
    return value if exact else Inexact(text, "number a float cannot hold exactly")


def _integer(text: str) -> int | Inexact:
    """A JSON integer, when it fits 64 bits (signed or not, as orjson reads them)."""
    if len(text) <= 20:
        value = int(text)
        if _INT_MIN <= value <= _UINT_MAX:
            return value
    return Inexact(text, "integer past 64 bits")


def _constant(text: str) -> Inexact:
    return Inexact(text, "not a JSON number")


_INT_MIN: Final = -2**63
_UINT_MAX: Final = 2**64 - 1
_DECODER: Final = json.JSONDecoder(parse_float=_number, parse_int=_integer,
                                   parse_constant=_constant)


def _skip_space(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index


def _end_of_value(text: str, index: int) -> int:
    """Where the JSON value starting at `index` ends, without reading it (any depth)."""
    first = text[index:index + 1]
    if first == '"':
        match = _STRING.match(text, index)
        if match is None:
            raise ValueError(f"unterminated string at {index}")
        return match.end()
    if first not in ("[", "{"):
        match = _SCALAR.match(text, index)
        if match is None:
            raise ValueError(f"no JSON value at {index}")
        return match.end()
    depth = 0
    position = index
    while True:
        match = _BRACKET_OR_QUOTE.search(text, position)
        if match is None:
            raise ValueError(f"unbalanced JSON from {index}")
        char = match.group()
        if char == '"':
            position = _end_of_value(text, match.start())
            continue
        depth += 1 if char in "[{" else -1
        position = match.end()
        if depth == 0:
            return position


def _leaf(text: str, start: int) -> tuple[Any, int]:
    """The value at `start` read whole by the standard library, and where it ends; what it
    cannot read becomes `Inexact`."""
    try:
        value, end = _DECODER.raw_decode(text, start)
    except RecursionError:
        end = _end_of_value(text, start)
        return Inexact(text[start:end], "nested too deep to read"), end
    except ValueError as exc:  # a broken literal
        end = _end_of_value(text, start)
        return Inexact(text[start:end], f"not JSON the app can read ({exc})"), end
    return value, end


def _value(text: str, start: int, *, records: int) -> tuple[Any, int]:
    """The value at `start` and where it ends. `records` levels of objects and lists are read
    member by member (so one bad member spoils only its own record); deeper values whole."""
    opening = text[start:start + 1]
    if records <= 0 or opening not in ("[", "{"):
        return _leaf(text, start)
    index = _skip_space(text, start + 1)
    if opening == "[":
        items: list[Any] = []
        while text[index:index + 1] != "]":
            # The objects of a list are records like their list (a page's forms); a list in
            # a list is one level deeper.
            depth = records if text[index:index + 1] == "{" else records - 1
            item, index = _value(text, index, records=depth)
            items.append(item)
            index = _after_item(text, index, "]")
        return items, index + 1
    members: dict[str, Any] = {}
    while text[index:index + 1] != "}":
        key_end = _end_of_value(text, index)
        key = _DECODER.decode(text[index:key_end])
        if not isinstance(key, str):
            raise ValueError(f"an object key is not a string at {index}")
        index = _skip_space(text, key_end)
        if text[index:index + 1] != ":":
            raise ValueError(f"expected ':' at {index}")
        members[key], index = _value(text, _skip_space(text, index + 1), records=records - 1)
        index = _after_item(text, index, "}")
    return Received(members, text[start:index + 1]), index + 1


def _after_item(text: str, index: int, closing: str) -> int:
    index = _skip_space(text, index)
    if text[index:index + 1] == ",":
        index = _skip_space(text, index + 1)
        if text[index:index + 1] in ("]", "}"):
            raise ValueError(f"a value is missing at {index}")
        return index
    if text[index:index + 1] != closing:
        raise ValueError(f"expected ',' or {closing!r} at {index}")
    return index
