"""JSON values as Allegro sent them, where the app's usual reading could not hold them exactly.

`api/exact_json.py` reads an answer exactly when orjson would not (see there). What it makes is
plain data, kept here so every layer can recognise it without importing the API layer:

- `Received`: a JSON object (a dict) that remembers its own text exactly as received, so a
  record the app cannot store is kept aside as Allegro sent it, not as a re-written copy;
- `Inexact`: a value the app cannot hold exactly (a number past a float's range or precision,
  a member nested too deep to read), with its text and the reason. It is not JSON-serialisable
  on purpose: a record holding one cannot be stored by mistake.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Inexact", "Received", "received_text"]


class Inexact:
    """A JSON value the app cannot hold exactly: its text as received and the reason."""

    __slots__ = ("reason", "text")

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        return f"<{self.reason}: {shown}>"


class Received(dict[str, Any]):
    """A JSON object with its own text exactly as received."""

    __slots__ = ("text",)

    def __init__(self, members: dict[str, Any], text: str) -> None:
        super().__init__(members)
        self.text = text


def received_text(value: object) -> str | None:
    """The text `value` was read from, when it is a `Received` object (None otherwise)."""
    return value.text if isinstance(value, Received) else None
