"""Terminal commands that act on orders: `allegro-desktop orders set-status` and `orders
add-tracking` (docs/ORDER-ACTIONS.md).

Each queues its actions in the same durable queue the window uses (`services/order_actions.py`),
then sends them (`sync/actions.py`) — every action waiting in the profile, older ones included —
holding the profile's sync lease, and waits until its own actions are sent. What Allegro cannot
take yet (offline, its trouble, a rate limit) is tried again until `--wait` seconds have passed;
then it stays queued for the window or the next command. Exit 0 when every action was sent, 1
with one line per action that was refused, failed or is still waiting (`ORDER_ID: …`).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.order_actions import ActionState, OrderAction
from allegro_desktop.headless import DEFAULT_LEASE_WAIT, ExitCode, hold_lease

if TYPE_CHECKING:
    from allegro_desktop.config.app_services import AppServices
    from allegro_desktop.services.order_actions import OrderActions, Queued
    from allegro_desktop.storage import Database

log = logging.getLogger("allegro_desktop.headless")

#: How long the commands keep trying what Allegro cannot take yet (seconds, `--wait`).
DEFAULT_SEND_WAIT = 60.0

Queue = Callable[["OrderActions"], list["Queued"]]


def set_status(*, paths: AppPaths, status: str, order_ids: Sequence[str],
               wait: float = DEFAULT_SEND_WAIT, out: TextIO = sys.stdout,
               err: TextIO = sys.stderr) -> ExitCode:
    """`orders set-status --status STATUS ORDER_ID…`."""
    return _queue_and_send(
        paths, lambda actions: actions.queue_status(order_ids, status.upper()),
        wait=wait, out=out, err=err)


def add_tracking(*, paths: AppPaths, order_id: str, carrier: str, waybill: str,
                 carrier_name: str | None = None, mark_sent: bool = False,
                 wait: float = DEFAULT_SEND_WAIT, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr) -> ExitCode:
    """`orders add-tracking ORDER_ID --carrier CARRIER_ID --waybill NUMBER [--mark-sent]`."""
    return _queue_and_send(
        paths, lambda actions: actions.queue_tracking(
            order_id, carrier_id=carrier.upper(), waybill=waybill, carrier_name=carrier_name,
            mark_sent=mark_sent), wait=wait, out=out, err=err)


def _queue_and_send(paths: AppPaths, queue: Queue, *, wait: float, out: TextIO,
                    err: TextIO) -> ExitCode:
    from allegro_desktop.sync.lease import LeaseHolder

    lease = hold_lease(paths, LeaseHolder.ORDERS, wait=DEFAULT_LEASE_WAIT, err=err)
    if isinstance(lease, ExitCode):
        return lease
    try:
        return _holding_lease(paths, queue, wait=wait, out=out, err=err)
    finally:
        lease.release()


def _holding_lease(paths: AppPaths, queue: Queue, *, wait: float, out: TextIO,
                   err: TextIO) -> ExitCode:
    from allegro_desktop import __version__
    from allegro_desktop.services.order_actions import OrderActions
    from allegro_desktop.storage import Database

    try:
        services = open_app_services(paths)
        database = Database.open(paths.database, app_version=__version__)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    try:
        actions = OrderActions(database)
        queued = queue(actions)
        failed = False
        for result in queued:
            if result.refusal is not None:
                failed = True
                print(f"allegro-desktop: {result.order_id}: not queued: {result.refusal}",
                      file=err)
        ids = [result.action.id for result in queued if result.action is not None]
        if ids:
            asyncio.run(_send_until_done(services, database, actions, ids, wait))
        for action_id in ids:
            action = actions.get(action_id)
            if action is None:  # its order was deleted meanwhile (retention)
                continue
            failed |= not _told(action, _blocked(actions, action), out, err)
        database.checkpoint()
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    finally:
        database.close()
    return ExitCode.FAILED if failed else ExitCode.OK


async def _send_until_done(services: AppServices, database: Database, actions: OrderActions,
                           ids: list[int], wait: float) -> None:
    """Send what is due until every action of `ids` is sent or failed, or `wait` seconds
    have passed; between passes, sleep until the next action is due."""
    from allegro_desktop.sync.actions import send_all_actions

    deadline = time.monotonic() + wait
    while True:
        await send_all_actions(services, database)
        open_ = [a for a in (actions.get(i) for i in ids)
                 if a is not None and a.state in (ActionState.WAITING, ActionState.SENDING)
                 and not _blocked(actions, a)]
        left = deadline - time.monotonic()
        if not open_ or left <= 0:
            return
        due = min(a.next_attempt_at for a in open_)
        pause = (due - database.clock()).total_seconds()
        await asyncio.sleep(min(max(pause, 0.05), left))


def _blocked(actions: OrderActions, action: OrderAction) -> bool:
    """An earlier action of the order failed: this one waits until it is retried or
    discarded."""
    return any(a.state is ActionState.FAILED and a.sequence < action.sequence
               for a in actions.pending(action.order_id))


def _told(action: OrderAction, blocked: bool, out: TextIO, err: TextIO) -> bool:
    """One line about the action; True when it was sent."""
    what = action.describe()
    if action.state is ActionState.SENT:
        print(f"{action.order_id}: {what}: sent", file=out)
        return True
    if blocked and action.state is ActionState.WAITING:
        print(f"allegro-desktop: {action.order_id}: {what}: not sent: it waits behind the "
              f"order's failed action (retry or discard that one in the app)", file=err)
        return False
    reason = action.last_error or "no reason given"
    if action.state is ActionState.FAILED:
        print(f"allegro-desktop: {action.order_id}: {what}: failed: {reason}", file=err)
    elif action.state is ActionState.DISCARDED:
        print(f"allegro-desktop: {action.order_id}: {what}: discarded", file=err)
    else:
        when = action.next_attempt_at.astimezone(UTC)
        print(f"allegro-desktop: {action.order_id}: {what}: not sent yet ({reason}); kept in "
              f"the queue, to be sent by the app or the next command (next try after "
              f"{when:%H:%M:%S} UTC)", file=err)
    return False
