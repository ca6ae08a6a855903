"""The seller's own labels on orders, kept only on this computer: tags (a name and a colour,
e.g. "do spakowania" in orange) set on any number of orders, and one private note per order.

Nothing here is sent to Allegro. What a seller types is checked here, the same for the window
and the command line (`clean_tag_name`, `clean_colour`, `clean_note`): a clear `LabelError`
for what cannot be kept, instead of a name that breaks a line, a note of megabytes, or text
that reorders what the table shows around it.

- A tag's name: 1-40 characters after trimming (inner runs of whitespace, line breaks included,
  become one space), unique per profile regardless of case ("Pilne" is "pilne"); letters of
  any script and emoji are welcome.
- A colour: "#rrggbb" (stored in lower case).
- A note: at most 5000 characters; line breaks and tabs are kept (Windows' "\\r\\n" becomes
  "\\n"), surrounding blank space is trimmed, an empty note is no note.
- Neither takes control characters (other than a note's line breaks and tabs), nor the
  bidirectional embedding and override marks (U+202A-U+202E) that would make the text beside
  them read backwards; the isolates and marks right-to-left typing uses are fine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text

__all__ = [
    "DEFAULT_COLOUR",
    "MAX_NOTE_LENGTH",
    "MAX_TAG_NAME_LENGTH",
    "PALETTE",
    "LabelError",
    "Tag",
    "clean_colour",
    "clean_note",
    "clean_tag_name",
    "first_line",
    "tag_key",
]

MAX_TAG_NAME_LENGTH: Final = 40
MAX_NOTE_LENGTH: Final = 5000
#: Colours the window offers (readable with black or white text); any "#rrggbb" is accepted.
PALETTE: Final = ("#e53935", "#fb8c00", "#fdd835", "#43a047", "#00897b", "#1e88e5",
                  "#5e35b1", "#d81b60", "#6d4c41", "#757575")
DEFAULT_COLOUR: Final = PALETTE[5]

_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{6}")
#: C0 and C1 controls, DEL, lone surrogates and the bidirectional embeddings and overrides.
_REFUSED: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e]")
#: The same, but a note's line breaks and tabs.
_REFUSED_IN_NOTE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e]")


class LabelError(AppError, ValueError):
    """A tag name, colour or note that cannot be kept, or a tag or order that is not there;
    `user_message` says which and why (nothing was changed)."""


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag of this profile: `id` names it for good (a rename keeps it, and the orders and
    saved views that use it); `colour` is "#rrggbb"."""

    id: int
    name: str
    colour: str
    created_at: datetime | None = None


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_tag_name(name: str) -> str:
    """`name` as a tag's name: NFC, trimmed, whitespace runs as one space; `LabelError` if it
    is empty, too long or holds a character a name cannot have."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if refused := _REFUSED.search(cleaned):
        raise LabelError(f"tag name holds {_code_point(refused.group())}",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "A tag's name cannot contain the control character "
                                       "%1. Type the name again without it."),
                             _code_point(refused.group())))
    if not cleaned:
        raise LabelError("empty tag name", user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "A tag needs a name.")))
    if len(cleaned) > MAX_TAG_NAME_LENGTH:
        raise LabelError(f"tag name of {len(cleaned)} characters",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "A tag's name can be at most %1 characters long "
                                       "(this one has %2)."),
                             MAX_TAG_NAME_LENGTH, len(cleaned)))
    return cleaned


def tag_key(name: str) -> str:
    """What makes two tag names the same: case ignored ("Pilne", "PILNE", "pilne")."""
    return unicodedata.normalize("NFC", name).casefold()


def clean_colour(colour: str) -> str:
    """`colour` as "#rrggbb" in lower case; `LabelError` if it is not one."""
    text = colour.strip()
    if not _COLOUR.fullmatch(text):
        raise LabelError(f"colour {colour!r}", user_message=Text(QT_TRANSLATE_NOOP(
            "Errors", "\"%1\" is not a colour: give it as #rrggbb, e.g. #1e88e5."),
            str(colour)[:20]))
    return text.lower()


def clean_note(text: str) -> str:
    """`text` as a private note: NFC, "\\r\\n" and "\\r" as "\\n", trimmed (an empty result
    means no note); `LabelError` if it is too long or holds a control character."""
    cleaned = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = cleaned.strip()
    if refused := _REFUSED_IN_NOTE.search(cleaned):
        raise LabelError(f"note holds {_code_point(refused.group())}",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "A note cannot contain the control character %1. "
                                       "Remove it and save the note again."),
                             _code_point(refused.group())))
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise LabelError(f"note of {len(cleaned)} characters",
                         user_message=Text(QT_TRANSLATE_NOOP(
                             "Errors", "A note can be at most %1 characters long (this one "
                                       "has %2). Shorten it and save it again."),
                             MAX_NOTE_LENGTH, len(cleaned)))
    return cleaned


def first_line(note: str | None) -> str | None:
    """The note's first line that is not blank (what the table's column shows), or None."""
    if not note:
        return None
    for line in note.split("\n"):
        if line.strip():
            return line.strip()
    return None
