"""`domain.safe_text`: strings from outside made safe for a column, a log line, a message."""

from __future__ import annotations

import pytest

from allegro_desktop.domain.safe_text import escaped, is_text, storable_text, text_id


@pytest.mark.parametrize(("value", "text"), [
    ("8c774370-e457-11f1", True), ("zażółć 🙂", True), ("nul\x00", True),
    # (built with chr: a linter reading the source cannot tell lone surrogates apart)
    ("abc" + chr(0xD800), False), ("abc" + chr(0xDCFF), False), (chr(0xDFFF), False),
])
def test_text_is_what_utf8_can_write(value: str, text: bool) -> None:
    assert is_text(value) is text
    assert text_id(value) == (value if text else None)


@pytest.mark.parametrize("value", [None, "", 12, ["a"], {"id": "a"}])
def test_only_a_non_empty_string_is_an_id(value: object) -> None:
    assert text_id(value) is None


def test_what_is_not_text_is_kept_as_escapes() -> None:
    assert storable_text("zażółć") == "zażółć"
    # a byte that was not UTF-8 (read with surrogateescape) as the byte, any other as itself
    assert storable_text("abc\udcff\ud800") == "abc\\xff\\ud800"
    assert storable_text("line\nbreak\x1b") == "line\nbreak\x1b"  # text: left as it is


def test_a_quoted_value_is_one_line_of_text() -> None:
    assert escaped("Kubek żółty 🙂") == "Kubek żółty 🙂"
    assert escaped("a\nb\r\tc\x00\x1b[31m\x85\u2028\udcff\ud800") == \
        "a\\nb\\r\\tc\\x00\\x1b[31m\\x85\\u2028\\xff\\ud800"
    assert escaped("non\u00a0breaking") == "non\u00a0breaking"
