"""How the window words the seller's queued actions: the order table's fulfillment cell with its
waiting / failed marker, an action as one line ("Status: Sent", "Tracking number 123 (DPD)",
"Invoice FV 1/2026 (fv.pdf)") and
where it stands ("Waiting to be sent", "Failed: <Allegro's reason>"). Pure functions, no widgets;
translated in the "OrderProcessing" context. A reason stored by the queue is a `Text` shown in
the seller's language (`ui.i18n.translated`)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLocale

from allegro_desktop.api.order_writes import OTHER_CARRIER
from allegro_desktop.domain.order_actions import ActionState, OrderAction
from allegro_desktop.storage.order_query import OrderRow
from allegro_desktop.ui.formatting import datetime_text, fulfillment_label
from allegro_desktop.ui.i18n import translated

__all__ = [
    "FAILED_MARK",
    "WAITING_MARK",
    "action_title",
    "fulfillment_cell",
    "marker_tooltip",
    "reason_text",
    "state_text",
]

#: Put before the fulfillment status in the table: an action of the order failed / waits.
FAILED_MARK = "⚠"
WAITING_MARK = "↻"


def fulfillment_cell(row: OrderRow) -> str:
    """The table's fulfillment cell: the status the order is being given (a change waiting,
    being sent, or sent and not yet confirmed by the journal), else Allegro's; marked when an
    action of the order failed or waits."""
    mark = row.actions
    if mark is None:
        return fulfillment_label(row.fulfillment_status)
    label = fulfillment_label(mark.pending_status or row.fulfillment_status)
    if mark.state is ActionState.FAILED:
        return f"{FAILED_MARK} {label}"
    if mark.state is ActionState.WAITING:
        return f"{WAITING_MARK} {label}"
    return label


def marker_tooltip(row: OrderRow) -> str | None:
    """What the fulfillment cell's marker means (None: no action under way)."""
    mark = row.actions
    if mark is None:
        return None
    if mark.state is ActionState.FAILED:
        return QCoreApplication.translate(
            "OrderProcessing", "An action on this order failed: see why, retry or discard it "
            "in the order's details")
    if mark.state is ActionState.WAITING:
        if mark.pending_status:
            return QCoreApplication.translate(
                "OrderProcessing", "Being changed to %1: waiting to be sent to Allegro").replace(
                "%1", fulfillment_label(mark.pending_status))
        return QCoreApplication.translate("OrderProcessing",
                                          "An action waits to be sent to Allegro")
    if mark.pending_status:
        return QCoreApplication.translate(
            "OrderProcessing", "Changed to %1 on Allegro; the next sync confirms it").replace(
            "%1", fulfillment_label(mark.pending_status))
    return None


def action_title(action: OrderAction, carrier_names: Mapping[str, str] | None = None) -> str:
    """What the action does, in a few words."""
    change, tracking = action.status_change, action.tracking_number
    if change is not None:
        return QCoreApplication.translate("OrderProcessing", "Status: %1").replace(
            "%1", fulfillment_label(change.target))
    if tracking is not None:
        if tracking.carrier_id == OTHER_CARRIER and tracking.carrier_name:
            carrier = tracking.carrier_name
        else:
            carrier = (carrier_names or {}).get(tracking.carrier_id) or tracking.carrier_id
        return QCoreApplication.translate("OrderProcessing", "Tracking number %1 (%2)").replace(
            "%1", tracking.waybill).replace("%2", carrier)
    if (invoice := action.invoice) is not None:
        if invoice.invoice_number:
            return QCoreApplication.translate("OrderProcessing", "Invoice %1 (%2)").replace(
                "%2", invoice.file_name).replace("%1", invoice.invoice_number)
        return QCoreApplication.translate("OrderProcessing", "Invoice %1").replace(
            "%1", invoice.file_name)
    return str(action.kind)


def reason_text(action: OrderAction) -> str:
    """Why it failed or waits again, in the seller's language ("" when nothing was said)."""
    return translated(action.last_error) if action.last_error is not None else ""


def state_text(action: OrderAction, locale: QLocale) -> str:
    """Where the action stands, with when it changed."""
    when = datetime_text(action.updated_at, locale)
    state = action.state
    if state is ActionState.WAITING:
        if action.attempts and action.last_error is not None:
            return QCoreApplication.translate(
                "OrderProcessing", "Not sent yet, tried again at %1").replace(
                "%1", datetime_text(action.next_attempt_at, locale))
        return QCoreApplication.translate("OrderProcessing", "Waiting to be sent")
    if state is ActionState.SENDING:
        return QCoreApplication.translate("OrderProcessing", "Being sent")
    if state is ActionState.SENT:
        return QCoreApplication.translate("OrderProcessing", "Sent %1").replace("%1", when)
    if state is ActionState.FAILED:
        return QCoreApplication.translate("OrderProcessing", "Failed %1").replace("%1", when)
    return QCoreApplication.translate("OrderProcessing", "Discarded %1").replace("%1", when)
