"""Reading the settings file without Qt: `read_ini` gives what `QSettings` (INI format) reads from
the same file, so the terminal commands (`sync`, `export`, `accounts`, `doctor`) and the start of
every command read the window's settings without loading QtCore.

The file is Qt's INI dialect, written by `QSettings` (the window's Settings dialog) or by hand:
`[section]` groups (`[General]`: keys without a group), `key=value` lines, `;` comments, keys with
`%XX`/`%UXXXX` escapes and `\\` for `/`, values with C escapes (`\\n`, `\\x41`, `\\101`), double
quotes (a quoted value keeps its spaces and commas), a comma outside quotes making a list, a
backslash at the end of a line continuing it, and Qt's `@` forms (`@@` for a leading `@`,
`@Invalid()` for no value, `@String(...)`). The rules follow Qt's own reader (qsettings.cpp,
`readIniLine`, `iniUnescapedKey`, `iniUnescapedStringList`, `stringToVariant`);
tests/config/test_ini_file.py holds the two equal on files QSettings wrote and on hand-edited
ones. Only Qt's binary forms (`@ByteArray(...)`, `@Variant(...)`, `@Rect(...)`, …), which
the app never writes as a setting, read as `UNREADABLE` here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

__all__ = ["UNREADABLE", "IniValue", "read_ini"]

log = logging.getLogger("allegro_desktop.config")


class _Unreadable:
    """A value in one of Qt's binary forms: a setting reads it as not set."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE: Final = _Unreadable()
#: What a key holds: a text, a list of texts (commas outside quotes), None (`@Invalid()`), or
#: `UNREADABLE`.
IniValue = str | list[str] | None | _Unreadable

_ESCAPES: Final = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v", '"': '"', "?": "?", "'": "'", "\\": "\\"}
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_OCTAL: Final = frozenset("01234567")
_BINARY_FORMS: Final = ("@ByteArray(", "@Variant(", "@Rect(", "@Size(", "@Point(",
                        "@DateTime(")


def read_ini(path: Path) -> dict[str, IniValue]:
    """Every key of the INI file at `path` ("section/key", as QSettings names it) and its
    value; {} when there is no file. Raises OSError when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    return parse_ini(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace"))


def parse_ini(text: str) -> dict[str, IniValue]:
    """The keys and values of an INI text (see the module docstring); later keys win."""
    values: dict[str, IniValue] = {}
    section = ""
    for line, equals in _lines(text):
        if line.startswith("["):
            end = line.find("]")
            name = (line[1:] if end == -1 else line[1:end]).strip()
            if name.lower() == "general":
                section = ""
            elif name.lower() == "%general":
                section = name[1:] + "/"
            else:
                section = _unescaped_key(name) + "/"
            continue
        if equals < 0:
            continue  # a line without "=": Qt skips it
        key = _normalized(section + _unescaped_key(line[:equals].strip()))
        if key:
            values[key] = _value(line[equals + 1:])
    return values


def _lines(text: str) -> list[tuple[str, int]]:  # noqa: C901 - Qt's readIniLine, as is
    """The logical lines of `text` with the position of their first `=` outside quotes (-1):
    a `;` outside quotes starts a comment, a quote or a backslash carries a line over its
    end (Qt's `readIniLine`)."""
    lines: list[tuple[str, int]] = []
    size = len(text)
    i = 0
    while i < size:
        while i < size and text[i] in " \t\r\n":
            i += 1
        start = i
        equals = -1
        quoted = False
        while i < size:
            ch = text[i]
            i += 1
            if ch == "=":
                if not quoted and equals < 0:
                    equals = i - 1 - start
            elif ch in "\r\n":
                if not quoted:
                    i -= 1
                    break
            elif ch == "\\":
                if i < size:
                    first = text[i]
                    i += 1
                    if i < size and {first, text[i]} == {"\r", "\n"}:
                        i += 1
            elif ch == '"':
                quoted = not quoted
            elif ch == ";":
                if i - 1 == start:  # a comment line
                    while i < size and text[i] not in "\r\n":
                        i += 1
                    start = i
                    break
                if not quoted:
                    i -= 1
                    break
        if i > start:
            lines.append((text[start:i], equals))
        while i < size and text[i] == ";":  # a comment after a value: to the line's end
            while i < size and text[i] not in "\r\n":
                i += 1
    return lines


def _unescaped_key(key: str) -> str:
    """A key or section name as Qt reads it: `\\` is `/`, `%XX` and `%UXXXX` are escapes."""
    result: list[str] = []
    i = 0
    while i < len(key):
        ch = key[i]
        if ch == "\\":
            result.append("/")
            i += 1
            continue
        if ch != "%" or i == len(key) - 1:
            result.append(ch)
            i += 1
            continue
        digits = 4 if key[i + 1] == "U" else 2
        first = i + (2 if digits == 4 else 1)
        code = key[first:first + digits]
        if len(code) == digits and all(c in _HEX for c in code):
            result.append(chr(int(code, 16)))
            i = first + digits
        else:
            result.append("%")
            i += 1
    return "".join(result)


def _normalized(key: str) -> str:
    """QSettings' form of a key: no empty parts (leading, trailing or doubled `/`)."""
    return "/".join(part for part in key.split("/") if part)


def _value(raw: str) -> IniValue:
    texts, is_list = _unescaped(raw)
    if is_list:
        return [t if isinstance(t, str) else "" for t in map(_variant, texts)]
    return _variant(texts[0])


def _variant(text: str) -> IniValue:
    """Qt's `stringToVariant` for the forms a text setting can take."""
    if not text.startswith("@"):
        return text
    if text.startswith("@@"):
        return text[1:]
    if text == "@Invalid()":
        return None
    if text.startswith("@String(") and text.endswith(")"):
        return text[len("@String("):-1]
    if text.startswith(_BINARY_FORMS):
        return UNREADABLE
    return text


def _unescaped(raw: str) -> tuple[list[str], bool]:  # noqa: C901 - Qt's state machine
    """Qt's `iniUnescapedStringList`: the value's text (or texts, and True, when a comma
    outside quotes made it a list). Spaces and tabs ending an unquoted text are dropped, up
    to the last escape or closing quote."""
    items: list[str] = []
    current: list[str] = []  # characters
    is_list = quoted = current_quoted = False
    size = len(raw)

    def skip_spaces(at: int) -> int:
        while at < size and raw[at] in " \t":
            at += 1
        return at

    def chop(limit: int) -> None:
        while len(current) > limit and current[-1] in " \t":
            current.pop()

    i = skip_spaces(0)
    chop_limit = 0
    while i < size:
        ch = raw[i]
        if ch == "\\":
            i += 1
            if i >= size:
                break
            ch = raw[i]
            i += 1
            if ch in _ESCAPES:
                current.append(_ESCAPES[ch])
            elif ch == "x" and i < size and raw[i] in _HEX:
                start = i
                while i < size and raw[i] in _HEX:
                    i += 1
                current.append(chr(int(raw[start:i], 16) & 0xFFFF))
            elif ch in _OCTAL:
                start = i - 1
                while i < size and raw[i] in _OCTAL:
                    i += 1
                current.append(chr(int(raw[start:i], 8) & 0xFFFF))
            elif ch in "\r\n" and i < size and raw[i] in "\r\n" and raw[i] != ch:
                i += 1  # a line continued: its end is dropped (any other character too)
            chop_limit = len(current)
        elif ch == '"':
            i += 1
            current_quoted = True
            quoted = not quoted
            if not quoted:
                i = skip_spaces(i)
                chop_limit = len(current)
        elif ch == "," and not quoted:
            if not current_quoted:
                chop(chop_limit)
            is_list = True
            items.append("".join(current))
            current.clear()
            current_quoted = False
            i = skip_spaces(i + 1)
            chop_limit = 0
        else:
            start = i
            i += 1
            while i < size and raw[i] not in '\\",':
                i += 1
            current.extend(raw[start:i])
    if not current_quoted:
        chop(chop_limit)
    items.append("".join(current))
    return items, is_list
