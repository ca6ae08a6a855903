"""`OrderActions`: what the window and the command line call to act on orders — queue a
fulfillment status, a tracking number or an invoice (a PDF), retry or discard a failed action,
list an order's actions (docs/ORDER-ACTIONS.md). Qt-free.

Queueing only writes the action locally (one short transaction, checked against the stored
order; the table shows it at once): the sync thread (`SyncWorker.send_actions()`) or the
command (`sync/actions.py`) sends it. What Allegro would refuse for sure — a status the seller
cannot set, an empty or too long tracking number, carrier `OTHER` without a name, an invoice
for an order whose buyer did not ask for one, a file that is empty, not a PDF or larger than
Allegro takes — is refused here, with the reason, and never queued. An invoice's file is read
once, here (at most one byte more than Allegro takes), and its bytes kept with the action: the
seller may move or delete the file afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from allegro_desktop.api.order_writes import (
    MAX_CARRIER_NAME_LENGTH,
    MAX_INVOICE_FILE_BYTES,
    MAX_WAYBILL_LENGTH,
    OTHER_CARRIER,
)
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, ByteSize, Text
from allegro_desktop.domain.order_actions import (
    ActionMark,
    InvoiceAttachment,
    OrderAction,
    TrackingNumber,
)
from allegro_desktop.storage import Database
from allegro_desktop.storage.order_actions import OrderActionQueue, Queued

__all__ = ["PDF_MAGIC", "OrderActions", "Queued"]

#: How every PDF file begins (ISO 32000-1 §7.5.2): Allegro refuses anything else as an invoice.
PDF_MAGIC: Final = b"%PDF-"


class OrderActions:
    """The seller's actions on orders (see the module); every call is one short read or write
    of the database, safe from any thread — the window should still call the writes off the
    GUI thread (a `TaskQueue`), as the database may be busy for a moment."""

    def __init__(self, database: Database) -> None:
        self._queue = OrderActionQueue(database=database)

    def queue_status(self, order_ids: Sequence[str], status: str) -> list[Queued]:
        """Queue setting each order's fulfillment status to `status` (e.g. "PROCESSING");
        per order the action queued or the refusal (`Queued.refusal`, a `Text`)."""
        return self._queue.queue_status(order_ids, status)

    def queue_tracking(self, order_id: str, *, carrier_id: str, waybill: str,
                       carrier_name: str | None = None, mark_sent: bool = False,
                       line_item_ids: Sequence[str] = ()) -> list[Queued]:
        """Queue a tracking number (`carrier_id` from `AllegroClient.carriers()`; a name
        with `OTHER`) and, with `mark_sent`, the status SENT after it."""
        waybill = waybill.strip()
        carrier_id = carrier_id.strip()
        carrier_name = carrier_name.strip() if carrier_name else None
        refusal = _tracking_refusal(carrier_id, waybill, carrier_name)
        if refusal is not None:
            return [Queued(order_id, refusal=refusal)]
        tracking = TrackingNumber(carrier_id=carrier_id, waybill=waybill,
                                  carrier_name=carrier_name if carrier_id == OTHER_CARRIER
                                  else None, line_item_ids=tuple(line_item_ids))
        return self._queue.queue_tracking(order_id, tracking, mark_sent=mark_sent)

    def queue_invoice(self, order_id: str, path: Path, *,
                      invoice_number: str | None = None) -> list[Queued]:
        """Queue attaching the PDF at `path` as an invoice of the order (whose buyer asked for
        one), under the file's name, with the seller's optional `invoice_number`. The file is
        read now (a refusal when it cannot be, is empty, not a PDF or too large) and its bytes
        kept with the action."""
        number = (invoice_number or "").strip() or None
        data, refusal = _read_invoice(path)
        if refusal is not None:
            return [Queued(order_id, refusal=refusal)]
        attachment = InvoiceAttachment(file_name=path.name, size=len(data),
                                       sha256=hashlib.sha256(data).hexdigest(),
                                       invoice_number=number)
        return self._queue.queue_invoice(order_id, attachment, data)

    def retry(self, action_id: int) -> bool:
        """Send a failed action again (False: it is not failed)."""
        return self._queue.retry(action_id)

    def discard(self, action_id: int) -> bool:
        """Drop a failed or waiting action (False: it is being sent, or done)."""
        return self._queue.discard(action_id)

    def pending(self, order_id: str) -> list[OrderAction]:
        """The order's actions still waiting, being sent or failed, in sending order."""
        return [a for a in self._queue.for_order(order_id) if a.state.unfinished]

    def history(self, order_id: str) -> list[OrderAction]:
        """Every action of the order, sent and discarded ones included."""
        return self._queue.for_order(order_id)

    def failed(self, account_key: str | None = None) -> list[OrderAction]:
        """The failed actions (of one account), each with its reason (`last_error`)."""
        return self._queue.failed(account_key)

    def marks(self, order_ids: Iterable[str]) -> dict[str, ActionMark]:
        """What the table shows of these orders' actions (also in `OrderRow.actions`)."""
        return self._queue.marks(order_ids)

    def get(self, action_id: int) -> OrderAction | None:
        return self._queue.get(action_id)


def _tracking_refusal(carrier_id: str, waybill: str, carrier_name: str | None) -> Text | None:
    if not carrier_id:
        return Text(QT_TRANSLATE_NOOP("Errors", "Choose the carrier."))
    if not waybill:
        return Text(QT_TRANSLATE_NOOP("Errors", "Enter the tracking number."))
    if len(waybill) > MAX_WAYBILL_LENGTH:
        return Text(QT_TRANSLATE_NOOP(
            "Errors", "A tracking number has at most %1 characters."), MAX_WAYBILL_LENGTH)
    if carrier_id == OTHER_CARRIER and not carrier_name:
        return Text(QT_TRANSLATE_NOOP("Errors", "Enter the carrier's name."))
    if carrier_name and len(carrier_name) > MAX_CARRIER_NAME_LENGTH:
        return Text(QT_TRANSLATE_NOOP(
            "Errors", "A carrier's name has at most %1 characters."), MAX_CARRIER_NAME_LENGTH)
    return None


def _read_invoice(path: Path) -> tuple[bytes, Text | None]:
    """The file's bytes (at most one more than Allegro takes), or why they will not do."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_INVOICE_FILE_BYTES + 1)
    except OSError as exc:
        return b"", Text(QT_TRANSLATE_NOOP("Errors", "The file %1 could not be read: %2"),
                         str(path), exc.strerror or str(exc))
    if not data:
        return data, Text(QT_TRANSLATE_NOOP("Errors", "The file %1 is empty."), path.name)
    if len(data) > MAX_INVOICE_FILE_BYTES:
        return data, Text(QT_TRANSLATE_NOOP(
            "Errors", "The invoice file is larger than the %1 Allegro takes."),
            ByteSize(MAX_INVOICE_FILE_BYTES))
    if not data.startswith(PDF_MAGIC):
        return data, Text(QT_TRANSLATE_NOOP(
            "Errors", "%1 is not a PDF file: Allegro takes invoices only as PDF."), path.name)
    return data, None
