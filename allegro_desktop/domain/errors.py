"""The root of the app's one exception hierarchy (ARCHITECTURE.md "Conventions"), and `Text`,
the user-visible texts of the layers below the UI.

`AppError` is an expected, user- or environment-caused condition (offline, authorization needed,
rate limited, disk full, a locked database): it carries a message a seller can act on and is shown
as a state or a dialog. Anything else that escapes is a bug and is reported as one.

The layers below the UI never import Qt, yet what they tell the seller must appear in the
seller's language. So they say it as a `Text`: an English template with `%1`-style placeholders
in the translation context "Errors", marked with `QT_TRANSLATE_NOOP` so Qt's `lupdate` collects
it into the translation file, plus its arguments. The window translates it
(`ui/i18n.py: translated`); the command line and the logs use the English (`str(text)`).
A text kept to be shown later (why a record was kept aside) is stored as data
(`Text.stored`, `Text.from_stored`), so it is shown in the language of the window that reads it.

What an error quotes may come from outside (Allegro's `userMessage`, a form's id), and a string
from outside may not even be text (`domain.safe_text`): an `AppError`'s messages and a `Text`'s
arguments are made storable text as they are taken, so any of them can be logged, stored in
the run history and shown; `detailed_message` is the one line that records an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from allegro_desktop.domain.safe_text import escaped, storable_text

__all__ = ["QT_TRANSLATE_NOOP", "AppError", "ByteSize", "Count", "FulfillmentName", "Moment",
           "Text"]

_PLACEHOLDER = re.compile(r"%(\d)")

#: The translation context of every `Text`.
CONTEXT = "Errors"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the name lupdate knows
    """Marks `source` for `lupdate` (which finds it by this name) and returns it unchanged."""
    return source


@dataclass(frozen=True, init=False)
class Text:
    """A user-visible text: an English template ("The folder %1 is not writable.") marked with
    `QT_TRANSLATE_NOOP("Errors", ...)` where it is written (or another `context`, the same in
    both places), and its arguments (any value; a `Text` argument is translated too). `str()`
    gives the English. An argument that is not text (a lone surrogate) is rendered with
    escapes."""

    template: str
    args: tuple[object, ...]
    context: str

    def __init__(self, template: str, *args: object, context: str = CONTEXT) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "context", context)

    def format(self, template: str, render: object = str) -> str:
        """`template` (this text's, or its translation) with the arguments put in, each
        rendered by `render` (a `Text` argument by the same means)."""
        assert callable(render)

        def argument(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index < len(self.args):
                return match.group(0)
            value = self.args[index]
            return storable_text(str(render(value)))

        return _PLACEHOLDER.sub(argument, template)

    def __str__(self) -> str:
        return self.format(self.template)

    def stored(self) -> list[object]:
        """This text as JSON data, to be kept (a database column) and shown later in the
        language of whoever reads it: `[template, argument…]` — an argument a string (made
        storable text), an integer, a `Text` (such a list), a `Moment` (`{"moment": epoch}`),
        a `ByteSize` (`{"bytes": size}`) or a `Count` (`{"count": n}`); any other as its
        English text. For texts of the "Errors" context, as every `Text` of the layers below
        the UI is (one of another is kept as its English)."""
        if self.context != CONTEXT:
            return [storable_text(str(self))]
        return [self.template, *(_stored_argument(value) for value in self.args)]

    @classmethod
    def from_stored(cls, data: object) -> Text | None:
        """The text `stored` made, or None when `data` is not one (a row of an older
        version, a damaged value)."""
        return _text_from_stored(data, depth=0)


#: How deep `Text.from_stored` follows texts within texts.
_STORED_DEPTH = 4


def _stored_argument(value: object) -> object:
    if isinstance(value, Text):
        return value.stored()
    if isinstance(value, Moment):
        return {"moment": value.epoch}
    if isinstance(value, ByteSize):
        return {"bytes": value.size}
    if isinstance(value, Count):
        return {"count": value.value}
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return storable_text(str(value))


def _text_from_stored(data: object, depth: int) -> Text | None:
    if not isinstance(data, list) or not data or not isinstance(data[0], str) \
            or depth > _STORED_DEPTH:
        return None
    args: list[object] = []
    for value in data[1:]:
        argument = _argument_from_stored(value, depth)
        if argument is None:
            return None
        args.append(argument)
    return Text(data[0], *args)


def _argument_from_stored(value: object, depth: int) -> object:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, list):
        return _text_from_stored(value, depth + 1)
    if isinstance(value, dict) and len(value) == 1:
        ((kind, number),) = value.items()
        if kind == "moment" and isinstance(number, int | float) \
                and not isinstance(number, bool):
            return Moment(float(number))
        if kind == "bytes" and isinstance(number, int) and not isinstance(number, bool):
            return ByteSize(number)
        if kind == "count" and isinstance(number, int) and not isinstance(number, bool):
            return Count(number)
    return None


@dataclass(frozen=True)
class Moment:
    """A moment as an argument of a `Text`: the window shows it in the user's locale and time
    zone; `str()` (command line, logs) to the minute in the computer's time zone."""

    epoch: float

    def __str__(self) -> str:
        return datetime.fromtimestamp(self.epoch).astimezone().strftime(
            "%Y-%m-%d %H:%M %Z").strip()


@dataclass(frozen=True)
class Count:
    """A count as an argument of a `Text` (requests, milliseconds, orders): the window writes
    it with every thousand grouped as its locale does ("9 000", "9,000"); `str()` plainly
    ("9000"). A plain `int` argument (a port, an HTTP status) is never grouped."""

    value: int

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class FulfillmentName:
    """A fulfillment status (Allegro's code, "PROCESSING") as an argument of a `Text`: the
    window shows its name in the seller's language ("W realizacji"); `str()` the code (the
    command line's options take codes)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class ByteSize:
    """A size in bytes as an argument of a `Text`: the window shows it in the user's locale
    ("58,3 GB"); `str()` with a decimal point."""

    size: int

    def __str__(self) -> str:
        size = float(self.size)
        for unit in ("B", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{size:.1f} TB"  # pragma: no cover - the loop returns at GB


class AppError(Exception):
    """An expected failure with a message fit for the user.

    `user_message` says what happened and what to do next, in plain words (English; `user_text`
    is the same as a translatable `Text` when the raiser gave one); `str(exc)` may carry
    technical detail for the log (never a secret). Both are text whatever they quote: a lone
    surrogate is kept as an escape (`domain.safe_text.storable_text`).
    """

    def __init__(self, message: str, *, user_message: str | Text | None = None) -> None:
        message = storable_text(message)
        super().__init__(message)
        self.user_text: str | Text = (message if user_message is None
                                      else storable_text(user_message)
                                      if isinstance(user_message, str) else user_message)

    @property
    def user_message(self) -> str:
        return str(self.user_text)

    @property
    def detailed_message(self) -> str:
        """One line that records the error (the run history, a sync report, the command
        line): what the seller is told, then the technical detail in brackets when it says
        more — never the same text twice ("X (X)"), whitespace and line breaks run together,
        control characters escaped (`domain.safe_text.escaped`)."""
        said, detail = (" ".join(text.split()) for text in (self.user_message, str(self)))
        if not detail or detail in said:
            line = said
        elif said in detail:  # no message of its own: the detail says it all
            line = detail
        else:
            line = f"{said} ({detail})"
        return escaped(line)
