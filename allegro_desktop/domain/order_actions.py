"""A seller's action on an order, as the durable queue keeps it (docs/ORDER-ACTIONS.md): what
it does (`ActionKind` and its payload), where it stands (`ActionState`), and the app's rule for
which fulfillment status may be set (`status_refusal`). An invoice's PDF is not in its payload:
the queue keeps the file's bytes beside the action (`storage/order_actions.py`).

Plain data, no I/O: the queue is `storage/order_actions.py`, the service that queues
`services/order_actions.py`, the sender `sync/actions.py`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, FulfillmentName, Text
from allegro_desktop.domain.orders import FulfillmentStatus, OrderStatus

__all__ = [
    "SELLER_STATUSES",
    "ActionKind",
    "ActionMark",
    "ActionState",
    "InvoiceAttachment",
    "OrderAction",
    "StatusChange",
    "TrackingNumber",
    "status_refusal",
]

#: The fulfillment statuses a seller may set: every one but `RETURNED`, which only Allegro
#: sets (ALLEGRO-API.md §11.1; the same list as `api.order_writes.SELLER_FULFILLMENT_STATUSES`).
SELLER_STATUSES: Final = tuple(status.value for status in FulfillmentStatus
                               if status is not FulfillmentStatus.RETURNED)


class ActionKind(enum.StrEnum):
    """What an action does (the `kind` column; new kinds may follow)."""

    FULFILLMENT_STATUS = "fulfillment_status"
    TRACKING_NUMBER = "tracking_number"
    INVOICE = "invoice"


class ActionState(enum.StrEnum):
    """Where an action stands. `SENDING` is written before its request goes out: one found
    so later (a crash, a lost answer) is looked up on Allegro before anything is sent again."""

    WAITING = "waiting"  # to be sent (at `next_attempt_at`), after the order's earlier ones
    SENDING = "sending"  # sent or being sent, its outcome not known yet
    SENT = "sent"  # Allegro took it
    FAILED = "failed"  # refused, or cannot be done any more: `last_error` says why
    DISCARDED = "discarded"  # the seller dropped it (a failed or waiting one)

    @property
    def unfinished(self) -> bool:
        """Still the queue's business: it holds back the order's later actions."""
        return self in (ActionState.WAITING, ActionState.SENDING, ActionState.FAILED)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """Set the order's fulfillment status to `target`; `base` is the status the seller saw
    (Allegro's, or the target of an earlier action of the order still to be sent)."""

    target: str
    base: str | None

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "base": self.base}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatusChange:
        return cls(target=str(data["target"]), base=data.get("base"))


@dataclass(frozen=True, slots=True)
class TrackingNumber:
    """Add a parcel's tracking number (all line items when `line_item_ids` is empty)."""

    carrier_id: str
    waybill: str
    carrier_name: str | None = None
    line_item_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"carrier_id": self.carrier_id, "waybill": self.waybill,
                "carrier_name": self.carrier_name, "line_item_ids": list(self.line_item_ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackingNumber:
        return cls(carrier_id=str(data["carrier_id"]), waybill=str(data["waybill"]),
                   carrier_name=data.get("carrier_name"),
                   line_item_ids=tuple(str(i) for i in data.get("line_item_ids") or ()))


@dataclass(frozen=True, slots=True)
class InvoiceAttachment:
    """Attach an invoice: its PDF (`size` bytes, `sha256` of them; the bytes themselves are
    kept by the queue) under `file_name`, with the seller's optional `invoice_number`.
    `invoice_id` is Allegro's id of the invoice once it was created (the first of the two
    requests): then only the file remains to be sent."""

    file_name: str
    size: int
    sha256: str
    invoice_number: str | None = None
    invoice_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file_name": self.file_name, "size": self.size, "sha256": self.sha256,
                "invoice_number": self.invoice_number, "invoice_id": self.invoice_id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvoiceAttachment:
        number, invoice_id = data.get("invoice_number"), data.get("invoice_id")
        return cls(file_name=str(data["file_name"]), size=int(data["size"]),
                   sha256=str(data["sha256"]),
                   invoice_number=str(number) if number is not None else None,
                   invoice_id=str(invoice_id) if invoice_id is not None else None)


@dataclass(frozen=True, slots=True)
class OrderAction:
    """One queued action. `sequence` orders an order's actions (1, 2, …: sent in this order);
    `revision_seen` is the order's revision when it was queued (the guard of a status change);
    `last_error` is why it failed or is waiting again (a `Text` shown in the seller's
    language, or an older plain string)."""

    id: int
    account_key: str
    order_id: str
    sequence: int
    kind: ActionKind | str
    payload: dict[str, Any] = field(compare=True)
    state: ActionState
    attempts: int
    last_error: Text | str | None
    revision_seen: str | None
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime

    @property
    def status_change(self) -> StatusChange | None:
        return (StatusChange.from_json(self.payload)
                if self.kind == ActionKind.FULFILLMENT_STATUS else None)

    @property
    def tracking_number(self) -> TrackingNumber | None:
        return (TrackingNumber.from_json(self.payload)
                if self.kind == ActionKind.TRACKING_NUMBER else None)

    @property
    def invoice(self) -> InvoiceAttachment | None:
        return (InvoiceAttachment.from_json(self.payload)
                if self.kind == ActionKind.INVOICE else None)

    def describe(self) -> str:
        """The action in a few English words (the command line, the log)."""
        change, tracking = self.status_change, self.tracking_number
        if change is not None:
            return f"status {change.target}"
        if tracking is not None:
            return f"tracking number {tracking.carrier_id} {tracking.waybill}"
        if (invoice := self.invoice) is not None:
            number = f" {invoice.invoice_number}" if invoice.invoice_number else ""
            return f"invoice{number} ({invoice.file_name})"
        return str(self.kind)


@dataclass(frozen=True, slots=True)
class ActionMark:
    """What the order table shows of an order's actions: the fulfillment status it is being
    given (`pending_status`: a status change waiting, being sent, or sent and not yet
    confirmed by the journal), and whether actions wait or failed."""

    pending_status: str | None = None
    waiting: int = 0
    failed: int = 0

    @property
    def state(self) -> ActionState | None:
        """FAILED when one failed, else WAITING when some wait, else None."""
        if self.failed:
            return ActionState.FAILED
        return ActionState.WAITING if self.waiting else None


def status_refusal(order_status: str, current: str | None, target: str) -> Text | None:
    """Why the app will not set `target` on an order whose `status` is `order_status` and
    whose fulfillment status is (or is about to be) `current`; None when it may. The app's
    rule (Allegro publishes no transitions, ALLEGRO-API.md §11): a status the seller may set,
    on a paid (or cash-on-delivery) order the buyer has not cancelled, and not the one it has."""
    if target == FulfillmentStatus.RETURNED:
        return Text(QT_TRANSLATE_NOOP("Errors", "Only Allegro sets the status %1."),
                    FulfillmentName(target))
    if target not in SELLER_STATUSES:
        return Text(QT_TRANSLATE_NOOP("Errors", "%1 is not a fulfillment status."), target)
    if order_status == OrderStatus.CANCELLED:
        return Text(QT_TRANSLATE_NOOP("Errors", "The buyer cancelled the order."))
    if order_status != OrderStatus.READY_FOR_PROCESSING:
        return Text(QT_TRANSLATE_NOOP("Errors", "The order is not paid yet."))
    if current == target:
        return Text(QT_TRANSLATE_NOOP("Errors", "The order already has the status %1."),
                    FulfillmentName(target))
    return None
