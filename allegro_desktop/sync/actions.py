"""The sender of the seller's queued actions (docs/ORDER-ACTIONS.md): `ActionSender` sends one
account's due actions through one `AllegroClient`; `send_account_actions` and
`send_all_actions` are what the window's sync thread (`worker.py`) and the terminal commands
(`allegro-desktop orders …`) run. Qt-free; the caller holds the profile's sync lease.

Per order, actions go in their `sequence`, one at a time; a failed one holds back the order's
later ones until the seller retries or discards it. Orders go side by side, a few at once
(`CONCURRENCY`), every request through the shared `RequestGovernor`.

Never twice: an action is marked `sending` before its request goes out. One found `sending`
(a kill between the request and its record, an answer lost on the way) is looked up first:
a tracking number in the order's shipments (`OrderShipments.has_waybill`), a status in the
order read again, an invoice in the order's invoices (by the id Allegro gave it, else by its
file name and number): there with its file → done; there without → only the file is sent.
An invoice is two requests — create it, then upload its PDF — and its id is noted between
them, so a failure of the upload never creates it again.

A stale revision (409) reads the order again, stores it, and sends the change once more with
the new revision when it still makes sense: the buyer has not cancelled, and the order's status
is still the one the seller saw (else it fails, saying what changed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypeVar

from allegro_desktop.api.client import DEFAULT_RETRY, AllegroClient, make_http_client
from allegro_desktop.api.errors import (
    ApiError,
    AuthError,
    InvoiceFileExistsError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
    StaleRevisionError,
)
from allegro_desktop.api.models import Invoice
from allegro_desktop.api.parsing import parse_checkout_form
from allegro_desktop.api.retry import RetryPolicy
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.domain.order_actions import (
    ActionState,
    InvoiceAttachment,
    OrderAction,
    StatusChange,
    TrackingNumber,
    status_refusal,
)
from allegro_desktop.storage import Database, OrderRepository
from allegro_desktop.storage.order_actions import OrderActionQueue
from allegro_desktop.sync.account_sync import AccountSource

__all__ = ["CONCURRENCY", "ActionOutcome", "ActionSender", "send_account_actions",
           "send_all_actions"]

log = logging.getLogger("allegro_desktop.sync")

#: Orders whose actions are sent at once, per account: Allegro asks for few parallel requests
#: per seller (ALLEGRO-API.md §6.2); at 50 ms a request this sends ~80 a second.
CONCURRENCY: Final = 4
#: The first wait after a transient failure; doubled per attempt up to `_MAX_BACKOFF`.
_FIRST_BACKOFF: Final = timedelta(seconds=5)
_MAX_BACKOFF: Final = timedelta(minutes=15)

Clock = Callable[[], datetime]
#: Told each outcome as soon as it is known (a bulk run's progress), on the sending loop.
OnOutcome = Callable[["ActionOutcome"], None]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What one attempt at an action came to: its state after it (SENT, FAILED, or WAITING /
    SENDING when it will be tried again at `retry_at`) and, unless sent, why."""

    action_id: int
    account_key: str
    order_id: str
    description: str  # the action in a few English words
    state: ActionState
    message: Text | str | None = None
    retry_at: datetime | None = None

    @property
    def sent(self) -> bool:
        return self.state is ActionState.SENT


class _Transient(Exception):  # noqa: N818 - internal signal, not an error
    """Not sent for now; `unknown`: a request went out whose outcome is not known."""

    def __init__(self, cause: AppError, *, unknown: bool,
                 retry_at: datetime | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.unknown = unknown
        self.retry_at = retry_at


class _Dropped(Exception):  # noqa: N818 - internal signal, not an error
    """The seller discarded the action after the sender read it: not sent."""


class _Failed(Exception):  # noqa: N818 - internal signal, not an error
    def __init__(self, reason: Text | str) -> None:
        super().__init__(str(reason))
        self.reason = reason


class ActionSender:
    """Sends one account's due actions (see the module). `clock` is the database's (the
    queue's times are stamped with it); `concurrency` orders at once."""

    def __init__(self, *, account_key: str, client: AllegroClient, database: Database,
                 concurrency: int = CONCURRENCY) -> None:
        self.account_key = account_key
        self._client = client
        self._queue = OrderActionQueue(database=database)
        self._orders = OrderRepository(database=database)
        self._clock: Clock = database.clock
        self._concurrency = max(1, concurrency)

    async def send_due(self, cancel: asyncio.Event | None = None,
                       on_outcome: OnOutcome | None = None) -> list[ActionOutcome]:
        """Send every due action of the account, in order per order; the outcome of each
        attempt (each also told to `on_outcome` as soon as it is known). Raises the
        database's `StorageError` when it cannot record a step."""
        now = self._clock()
        chains: dict[str, list[OrderAction]] = {}
        for action in self._queue.unfinished(self.account_key):
            chains.setdefault(action.order_id, []).append(action)
        outcomes: list[ActionOutcome] = []
        slots = asyncio.Semaphore(self._concurrency)

        async def one_order(actions: list[OrderAction]) -> None:
            async with slots:
                for action in actions:
                    if (cancel is not None and cancel.is_set()) \
                            or action.state is ActionState.FAILED or action.next_attempt_at > now:
                        return  # a failed one holds back the order's later ones
                    outcome = await self._attempt(action)
                    outcomes.append(outcome)
                    if on_outcome is not None:
                        on_outcome(outcome)
                    if not outcome.sent:
                        return

        async with asyncio.TaskGroup() as group:
            for actions in chains.values():
                group.create_task(one_order(actions))
        return outcomes

    # -- one attempt -----------------------------------------------------------------------------

    async def _attempt(self, action: OrderAction) -> ActionOutcome:
        def outcome(state: ActionState, message: Text | str | None = None,
                    retry_at: datetime | None = None) -> ActionOutcome:
            return ActionOutcome(action.id, action.account_key, action.order_id,
                                 action.describe(), state, message, retry_at)

        change, tracking, invoice = action.status_change, action.tracking_number, action.invoice
        try:
            if change is not None:
                await self._send_status(action, change)
            elif tracking is not None:
                await self._send_tracking(action, tracking)
            elif invoice is not None:
                await self._send_invoice(action, invoice)
            else:  # a kind a newer version queued: left for it
                log.warning("order action %d of %s has a kind this version does not know: %s",
                            action.id, action.order_id, action.kind)
                return outcome(action.state)
        except _Dropped:
            log.info("order action %d (%s of %s) was discarded before it was sent",
                     action.id, action.describe(), action.order_id)
            return outcome(ActionState.DISCARDED)
        except _Failed as failed:
            log.info("order action %d (%s of %s) failed: %s", action.id, action.describe(),
                     action.order_id, failed.reason)
            self._queue.mark_failed(action.id, failed.reason)
            return outcome(ActionState.FAILED, failed.reason)
        except _Transient as transient:
            state = ActionState.SENDING if transient.unknown else ActionState.WAITING
            at = transient.retry_at or self._clock() + _backoff(action.attempts)
            log.info("order action %d (%s of %s) not sent for now (%s): again at %s",
                     action.id, action.describe(), action.order_id,
                     transient.cause.detailed_message, at)
            self._queue.reschedule(action.id, state=state, at=at,
                                   reason=transient.cause.user_text)
            return outcome(state, transient.cause.user_text, at)
        self._queue.mark_sent(action.id)
        log.info("order action %d (%s of %s) sent", action.id, action.describe(),
                 action.order_id)
        return outcome(ActionState.SENT)

    async def _send_status(self, action: OrderAction, change: StatusChange) -> None:
        """Returns once Allegro has the status; raises `_Failed` / `_Transient`."""
        facts = self._queue.order_facts([action.order_id]).get(action.order_id)
        if facts is None:
            raise _Failed(Text(QT_TRANSLATE_NOOP(
                "Errors", "The order is no longer in the local database.")))
        refusal = status_refusal(facts.status, None, change.target)
        if refusal is not None:
            raise _Failed(refusal)
        revision = action.revision_seen
        if action.state is ActionState.SENDING:  # sent before, outcome unknown: look first
            revision = await self._read_again(action, change, unknown=True)
            if revision is None:
                return
        await self._put(action, change, revision, unknown=action.state is ActionState.SENDING,
                        first=True)

    async def _put(self, action: OrderAction, change: StatusChange, revision: str | None, *,
                   unknown: bool, first: bool) -> None:
        """PUT the status (`unknown`: whether an earlier request may have reached Allegro);
        a stale revision resolved once (see the module)."""
        if first and not self._queue.mark_sending(action.id):
            raise _Dropped
        try:
            await self._guarded(self._client.set_fulfillment(
                action.order_id, change.target, revision=revision), unknown=True,
                rate_limit_unknown=unknown)
        except StaleRevisionError as stale:
            if not first:  # the order changed again under our hands: later, read afresh
                raise _Transient(stale, unknown=False) from None
            log.info("order %s changed on Allegro since revision %s: reading it again",
                     action.order_id, revision)
            fresh = await self._read_again(action, change, unknown=False)
            if fresh is not None:
                await self._put(action, change, fresh, unknown=False, first=False)

    async def _read_again(self, action: OrderAction, change: StatusChange, *,
                          unknown: bool) -> str | None:
        """The order read again from Allegro and stored. None when it already has the
        target; else its revision, to send the change with — when the change still makes
        sense (else `_Failed` says why)."""
        data = await self._guarded(self._client.checkout_form(action.order_id),
                                   unknown=unknown)
        try:
            order = parse_checkout_form(data, account_key=self.account_key)
        except MalformedResponseError as exc:
            raise _Transient(exc, unknown=unknown) from None
        self._orders.apply_batch(account_key=self.account_key, orders=[order], events=[],
                                 cursor=None)
        current = str(order.fulfillment_status) if order.fulfillment_status else None
        if current == change.target:
            return None
        refusal = status_refusal(str(order.status), None, change.target)
        if refusal is not None:
            raise _Failed(refusal)
        if current != change.base:
            raise _Failed(Text(QT_TRANSLATE_NOOP(
                "Errors", "The order's status was changed on Allegro to %1 in the meantime; "
                "it was not changed to %2."), current or "-", change.target))
        return order.revision

    async def _send_tracking(self, action: OrderAction, tracking: TrackingNumber) -> None:
        unknown = action.state is ActionState.SENDING
        if unknown:  # sent before, outcome unknown: never twice
            held = await self._guarded(self._client.shipments(action.order_id), unknown=True)
            if held.has_waybill(tracking.waybill, tracking.carrier_id):
                log.info("Allegro already has tracking number %s of order %s: not sent again",
                         tracking.waybill, action.order_id)
                return
            if held.unreadable:
                raise _Failed(Text(QT_TRANSLATE_NOOP(
                    "Errors", "Allegro's list of the order's tracking numbers could not be "
                    "read whole, so it is not known whether %1 was added. Check the order on "
                    "Allegro, then retry or discard."), tracking.waybill))
        if not self._queue.mark_sending(action.id):
            raise _Dropped
        await self._guarded(self._client.add_shipment(
            action.order_id, carrier_id=tracking.carrier_id, waybill=tracking.waybill,
            carrier_name=tracking.carrier_name, line_item_ids=tracking.line_item_ids),
            unknown=True, rate_limit_unknown=unknown)

    async def _send_invoice(self, action: OrderAction, invoice: InvoiceAttachment) -> None:
        """Create the invoice, note its id, upload its PDF; an action that may have been sent
        before (found `sending`, or with an invoice id noted) looks at the order's invoices
        first, so a second invoice is never created (see the module)."""
        pdf = self._queue.file_of(action.id)
        if pdf is None:
            raise _Failed(Text(QT_TRANSLATE_NOOP(
                "Errors", "The invoice's file is no longer kept with the action: discard it "
                "and attach the file again.")))
        unknown = action.state is ActionState.SENDING
        invoice_id = invoice.invoice_id
        if unknown or invoice_id is not None:  # created before, maybe: never twice
            held = await self._guarded(self._client.invoices(action.order_id), unknown=unknown)
            ours = _our_invoice(held, invoice)
            if ours is not None and ours.uploaded_at is not None:
                log.info("Allegro already has invoice %s of order %s with its file: not sent "
                         "again", ours.id, action.order_id)
                return
            if ours is not None:
                invoice_id = ours.id
        if not self._queue.mark_sending(action.id):
            raise _Dropped
        if invoice_id is None:
            invoice_id = await self._guarded(self._client.create_invoice(
                action.order_id, file_name=invoice.file_name,
                invoice_number=invoice.invoice_number), unknown=True,
                rate_limit_unknown=unknown)
            self._queue.note_invoice_id(action.id, invoice_id)
        # The invoice exists now: whatever happens, the next attempt looks it up first.
        await self._guarded(self._upload_invoice(action.order_id, invoice_id, pdf),
                            unknown=True, rate_limit_unknown=True)

    async def _upload_invoice(self, order_id: str, invoice_id: str, pdf: bytes) -> None:
        try:
            await self._client.upload_invoice_file(order_id, invoice_id, pdf)
        except InvoiceFileExistsError:  # a lost answer's upload arrived after all
            log.info("invoice %s of order %s already has its file", invoice_id, order_id)

    async def _guarded(self, request: Awaitable[_T], *, unknown: bool,
                       rate_limit_unknown: bool | None = None) -> _T:
        """The request's answer; Allegro's refusals as `_Failed` (its userMessage), what may
        pass as `_Transient` (`unknown`: whether the action may have reached Allegro; a 429
        or a paused governor sent nothing, so then only `rate_limit_unknown` — by default
        `unknown` — counts)."""
        try:
            return await request
        except StaleRevisionError:
            raise
        except RateLimitedError as exc:
            still = unknown if rate_limit_unknown is None else rate_limit_unknown
            pause = timedelta(seconds=max(exc.retry_at - time.time(), 0.0))
            raise _Transient(exc, unknown=still, retry_at=self._clock() + pause) from None
        except (NetworkError, ServerError, MalformedResponseError, AuthError) as exc:
            raise _Transient(exc, unknown=unknown) from None
        except ApiError as exc:  # 4xx: Allegro refused it, in its own words
            raise _Failed(exc.user_text) from None


def _our_invoice(held: list[Invoice], invoice: InvoiceAttachment) -> Invoice | None:
    """The action's invoice among the order's: by the id Allegro gave it, else by its file
    name and number (one with its file first)."""
    if invoice.invoice_id is not None:
        for candidate in held:
            if candidate.id == invoice.invoice_id:
                return candidate
    same = [candidate for candidate in held if candidate.file_name == invoice.file_name
            and candidate.number == invoice.invoice_number]
    with_file = [candidate for candidate in same if candidate.uploaded_at is not None]
    found = with_file or same
    return found[-1] if found else None


def _backoff(attempts: int) -> timedelta:
    wait: timedelta = _FIRST_BACKOFF * (2 ** min(max(attempts - 1, 0), 16))
    return min(wait, _MAX_BACKOFF)


async def send_account_actions(source: AccountSource, database: Database, account: Account, *,
                               retry: RetryPolicy | None = None, concurrency: int = CONCURRENCY,
                               cancel: asyncio.Event | None = None,
                               on_outcome: OnOutcome | None = None) -> list[ActionOutcome]:
    """Send the account's due actions over a fresh httpx client with its token provider
    (`ActionSender.send_due`). An account whose client cannot be made (no client
    credentials) sends nothing: its actions wait, and the outcome of none is told."""
    if not OrderActionQueue(database=database).has_unfinished(account.key):
        return []  # nothing queued: no client made
    try:
        environment = source.environment(account.environment)
        tokens = source.token_provider(account)
    except AppError as exc:
        log.warning("the actions of %s cannot be sent: %s", account.key, exc.detailed_message)
        return []
    async with make_http_client() as http:
        client = AllegroClient(environment, http=http, tokens=tokens, governor=source.governor,
                               retry=retry or DEFAULT_RETRY,
                               accept_language=source.accept_language)
        sender = ActionSender(account_key=account.key, client=client, database=database,
                              concurrency=concurrency)
        return await sender.send_due(cancel, on_outcome)


async def send_all_actions(source: AccountSource, database: Database, *,
                           retry: RetryPolicy | None = None, concurrency: int = CONCURRENCY,
                           cancel: asyncio.Event | None = None,
                           on_outcome: OnOutcome | None = None) -> list[ActionOutcome]:
    """`send_account_actions` for every connected account with actions waiting."""
    waiting = set(OrderActionQueue(database=database).accounts_with_work())
    outcomes: list[ActionOutcome] = []
    for account in source.registry.all():
        if account.key in waiting and account.state is AccountState.CONNECTED:
            outcomes += await send_account_actions(source, database, account, retry=retry,
                                                   concurrency=concurrency, cancel=cancel,
                                                   on_outcome=on_outcome)
    return outcomes
