"""Why a record Allegro sent was kept aside, said as data: shown in the seller's language by
the window, in English by the log, the command line and the diagnostics report.

The sync keeps aside a checkout form or an order event the app cannot read or store exactly
(`api/parsing.py`, `storage/order_repository.py`). `UnreadableReason` says which record (its
kind and id), which field (a path of Allegro's JSON keys, as Allegro names them: never
translated; None for the record as a whole) and what is wrong with it: a translatable `Text`
whose English is a predicate of the field ("has more than two decimals: %1"), plus, for support
only, a technical detail in English.

- `str(reason)`: the English line ("checkout form 6f1c…: summary.totalToPay.amount has more
  than two decimals: '0.001'");
- `reason.text`: the same as a `Text` the window translates ("Zamówienie 6f1c…: pole
  summary.totalToPay.amount ma więcej niż dwa miejsca po przecinku: '0.001'"), without the
  detail;
- `reason.stored()` / `read_reason`: the one-line JSON object kept in `unreadable.error`:
  `{"kind", "id", "field", "problem": [template, argument…], "detail", "en"}` (`en` is the
  English line). A row an earlier version wrote (its English line as plain text) reads back
  as that text.

Every part is escaped text (`domain.safe_text.escaped`) and short — an id, a field, a quoted
value or a detail longer than its limit is cut with "…" — so the stored object, a log line or a
label stays one bounded line.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.safe_text import escaped

__all__ = ["RecordKind", "UnreadableReason", "read_reason"]

# The record in the window's words. Before the "#:" comments: lupdate gives them all to the
# first text after them, as a note for the translator.
_NO_ID: Final = QT_TRANSLATE_NOOP("Errors", "(no id)")
_FORM: Final = QT_TRANSLATE_NOOP("Errors", "Order %1 %2")
_FORM_FIELD: Final = QT_TRANSLATE_NOOP("Errors", "Order %1: the field %2 %3")
_EVENT: Final = QT_TRANSLATE_NOOP("Errors", "Order event %1 %2")
_EVENT_FIELD: Final = QT_TRANSLATE_NOOP("Errors", "Order event %1: the field %2 %3")

#: The longest id, field, quoted value and detail a reason keeps.
ID_LIMIT: Final = 100
FIELD_LIMIT: Final = 200
VALUE_LIMIT: Final = 200
DETAIL_LIMIT: Final = 500


class RecordKind(enum.StrEnum):
    """What a kept record is (the value: the `kind` column of `unreadable`)."""

    FORM = "form"
    EVENT = "event"

    @property
    def english(self) -> str:
        """The record as the English line names it."""
        return "checkout form" if self is RecordKind.FORM else "order event"


@dataclass(frozen=True)
class UnreadableReason:
    """Why the record `kind` `record_id` (None: it has no usable id) was kept aside: its
    `field` (None: the record as a whole) `problem`, and a technical `detail` for support.
    The parts are made escaped and short as they are taken (see the module doc)."""

    kind: RecordKind
    record_id: str | None
    field: str | None
    problem: Text
    detail: str | None = None

    def __post_init__(self) -> None:
        problem = Text(self.problem.template,
                       *(_short(value, VALUE_LIMIT) if isinstance(value, str) else value
                         for value in self.problem.args), context=self.problem.context)
        object.__setattr__(self, "record_id",
                           _short(self.record_id, ID_LIMIT) if self.record_id else None)
        object.__setattr__(self, "field",
                           None if self.field is None else _short(self.field, FIELD_LIMIT))
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "detail",
                           _short(self.detail, DETAIL_LIMIT) if self.detail else None)

    @property
    def subject(self) -> str:
        """The record as the English line names it: "checkout form 6f1c…"."""
        return f"{self.kind.english} {self.record_id or '(no id)'}"

    def __str__(self) -> str:
        line = (f"{self.subject} {self.problem}" if self.field is None
                else f"{self.subject}: {self.field} {self.problem}")
        return f"{line} ({self.detail})" if self.detail else line

    @property
    def text(self) -> Text:
        """What the window shows, translated there: the record, the field, the problem."""
        name: str | Text = self.record_id or Text(_NO_ID)
        form = self.kind is RecordKind.FORM
        if self.field is None:
            return Text(_FORM if form else _EVENT, name, self.problem)
        return Text(_FORM_FIELD if form else _EVENT_FIELD, name, self.field, self.problem)

    def stored(self) -> str:
        """The reason as the one-line JSON object `read_reason` reads (see the module doc)."""
        return json.dumps({"kind": str(self.kind), "id": self.record_id, "field": self.field,
                           "problem": self.problem.stored(), "detail": self.detail,
                           "en": str(self)}, ensure_ascii=False, separators=(",", ":"))


def read_reason(stored: str) -> UnreadableReason | str:
    """The reason `UnreadableReason.stored` wrote; the text as it is when it is not one (a
    row of an earlier version: its English line), or the English line it holds when its
    parts cannot be read."""
    if not stored.startswith("{"):
        return stored
    try:
        data = json.loads(stored)
    except (ValueError, RecursionError):
        return stored
    if not isinstance(data, dict):
        return stored
    english = data.get("en")
    fallback = english if isinstance(english, str) else stored
    kind, record_id, field, detail = (data.get(key) for key in ("kind", "id", "field",
                                                                 "detail"))
    problem = Text.from_stored(data.get("problem"))
    if problem is None or not isinstance(kind, str) \
            or kind not in {known.value for known in RecordKind} \
            or not all(value is None or isinstance(value, str)
                       for value in (record_id, field, detail)):
        return fallback
    return UnreadableReason(kind=RecordKind(kind), record_id=record_id, field=field,
                            problem=problem, detail=detail)


def _short(value: str, limit: int) -> str:
    """`value` escaped, cut to `limit` characters with "…"."""
    text = escaped(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
