"""What the engine makes of a record Allegro sent: its id (`form_id`, `event_form_id`), how a log
line names it, why it is kept aside (`unreadable_reason`), and `Batch`, what one step gathered
for `OrderRepository.apply_batch`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from allegro_desktop.api.errors import MalformedResponseError
from allegro_desktop.api.parsing import MalformedOrderError
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text
from allegro_desktop.domain.orders import Order
from allegro_desktop.domain.safe_text import escaped, text_id
from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason
from allegro_desktop.storage import PendingForm, UnreadableRecord

__all__ = [
    "Batch",
    "canonical",
    "event_form_id",
    "form_id",
    "logged",
    "shown",
    "unreadable_reason",
]

# Why a record is kept aside where the parser does not say it (the predicate of "<field> …",
# `domain.unreadable`).
_CANNOT_BE_READ: Final = QT_TRANSLATE_NOOP("Errors", "cannot be read")


@dataclass(slots=True)
class Batch:
    """What one step gathered for `apply_batch`."""

    orders: list[Order] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    pending: list[PendingForm] = field(default_factory=list)
    unreadable: list[UnreadableRecord] = field(default_factory=list)
    #: Forms received exactly as stored, not parsed (`SyncRun.parse_forms`).
    unchanged: list[str] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.orders.extend(other.orders)
        self.gone.extend(other.gone)
        self.pending.extend(other.pending)
        self.unreadable.extend(other.unreadable)
        self.unchanged.extend(other.unchanged)


def event_form_id(data: object) -> str | None:
    """The checkout-form id of an event that could not be read, if it can be made out (and
    is text: `text_id`)."""
    if not isinstance(data, Mapping):
        return None
    order = data.get("order")
    form = order.get("checkoutForm") if isinstance(order, Mapping) else None
    return text_id(form.get("id")) if isinstance(form, Mapping) else None


def form_id(form: object) -> str | None:
    """A form's id, when it has a usable one: a non-empty string that is text (`text_id`).
    One that is not can be neither stored nor asked for: the form is id-less."""
    return text_id(form.get("id")) if isinstance(form, Mapping) else None


def logged(form_id: str | None) -> str:
    """A form id for a log line: escaped, one line."""
    return "(no id)" if form_id is None else escaped(form_id)


def unreadable_reason(exc: MalformedResponseError, kind: RecordKind,
                      record_id: str | None) -> UnreadableReason:
    """Why a record `kind` was kept aside: the parser's reason; for any other broken answer
    (none is expected: the parser says why), "cannot be read", with the error as its
    detail."""
    if isinstance(exc, MalformedOrderError):
        return exc.reason
    return UnreadableReason(kind=kind, record_id=record_id, field=None,
                            problem=Text(_CANNOT_BE_READ),
                            detail=str(exc))


def shown(value: object) -> str:
    """A value Allegro sent, short enough for a log line or an error."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def canonical(raw: object) -> str:
    """One text per JSON value, whatever its key order."""
    return json.dumps(raw, sort_keys=True, default=str)
