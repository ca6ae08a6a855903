"""Strings from outside the app (Allegro's JSON, its error answers) made safe where the app
puts them: a database column, a log line, an error message, a terminal.

A Python string may hold what is not text: a lone surrogate — a JSON escape such as
`"\\ud800"`, or a byte that was not UTF-8, read with `surrogateescape` — cannot be written as
UTF-8, and SQLite, the log file and the terminal refuse it (`UnicodeEncodeError`). And text may
hold control characters that forge a line in a log or a code in a terminal. So:

- `is_text`: whether a string can be written as UTF-8;
- `text_id`: an id taken from Allegro's JSON (a form's, an event's form's, a line item's): a
  non-empty string that is text, else None — "no id": what cannot be stored can be neither
  asked for again nor named;
- `storable_text`: a string with its lone surrogates written as escapes (`\\xff` for a byte
  that was not UTF-8, `\\ud800` for any other), the rest as it is: for a column of messages;
- `escaped`: the same, and control characters too (`\\n`, `\\x1b`): one line for a log or an
  error message that quotes a value.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["escaped", "is_text", "storable_text", "text_id"]

_SURROGATES: Final = re.compile("[\ud800-\udfff]")
#: What `escaped` escapes: C0 and C1 controls, DEL, the line and paragraph separators, lone
#: surrogates.
_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SHORT_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_text(value: str) -> bool:
    """Whether `value` can be written as UTF-8 (what SQLite stores as text): no lone
    surrogates."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def text_id(value: object) -> str | None:
    """`value` as an id taken from Allegro's JSON: a non-empty string that is text; else None."""
    return value if isinstance(value, str) and value and is_text(value) else None


def storable_text(value: str) -> str:
    """`value` with every lone surrogate written as an escape: text any file or column
    takes."""
    return value if is_text(value) else _SURROGATES.sub(_escape, value)


def escaped(value: str) -> str:
    """`value` for a log line or an error message: lone surrogates and control characters
    written as escapes, everything else (letters of any script, emoji) as it is."""
    return value if value.isprintable() else _UNSAFE.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, read with surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"
