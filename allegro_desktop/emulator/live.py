"""Live mode: new orders and status changes keep arriving, as in a shop on a busy day.

A background task on the server's event loop: each step either brings a new order (bought and
usually paid just now) or moves an open order forward (payment, packing, shipping, a buyer
cancellation or address change), at the configured rates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from allegro_desktop.emulator.store import StoreError

if TYPE_CHECKING:
    from allegro_desktop.emulator.core import Emulator

log = logging.getLogger("allegro_desktop.emulator.live")

_NEXT_FULFILLMENT = {
    "NEW": "PROCESSING",
    "PROCESSING": "READY_FOR_SHIPMENT",
    "READY_FOR_SHIPMENT": "SENT",
    "READY_FOR_PICKUP": "PICKED_UP",
}


def step(emulator: Emulator) -> dict[str, Any]:
    """One live-mode change; returns what happened (also used by the control API).

    Runs under the store's lock from picking an order to changing it, so a change made
    meanwhile by another thread cannot be overwritten with a stale status.
    """
    with emulator.store.lock:
        emulator.store.auto_cancel_due()
        return _step(emulator)


def _step(emulator: Emulator) -> dict[str, Any]:
    rng = emulator.live_rng
    store = emulator.store
    orders_rate = emulator.live_orders_per_minute
    changes_rate = emulator.live_changes_per_minute
    total = orders_rate + changes_rate
    seller_id = rng.choice(list(store.sellers))
    if total <= 0 or rng.random() < orders_rate / total:
        form = store.add_generated(seller_id, 1)[0]
        return {"action": "new_order", "id": form["id"]}
    with store.lock:
        seller = store.sellers[seller_id]
        recent = seller.by_bought.records[-300:]
        open_orders = [r for r in recent if r.status in ("BOUGHT", "FILLED_IN")
                       or (r.status == "READY_FOR_PROCESSING"
                           and r.fulfillment_status in _NEXT_FULFILLMENT)]
        if not open_orders:
            form = store.add_generated(seller_id, 1)[0]
            return {"action": "new_order", "id": form["id"]}
        record = rng.choice(open_orders)
    try:
        if record.status in ("BOUGHT", "FILLED_IN"):
            if rng.random() < 0.1:
                store.buyer_cancel(record.id)
                return {"action": "buyer_cancelled", "id": record.id}
            store.pay(record.id)
            return {"action": "paid", "id": record.id}
        roll = rng.random()
        if roll < 0.03:
            store.buyer_cancel(record.id)
            return {"action": "buyer_cancelled", "id": record.id}
        if roll < 0.06 and record.fulfillment_status == "NEW":
            store.modify_address(record.id, None)
            return {"action": "buyer_modified", "id": record.id}
        status = _NEXT_FULFILLMENT[record.fulfillment_status or "NEW"]
        store.set_fulfillment(record.id, status)
        return {"action": "fulfillment", "id": record.id, "status": status}
    except StoreError as exc:  # the order changed under us (e.g. merged): skip this step
        log.debug("live step skipped: %s", exc)
        return {"action": "none"}


async def run(emulator: Emulator) -> None:
    """Apply `step` at the configured rate while live mode is on."""
    while True:
        total = emulator.live_orders_per_minute + emulator.live_changes_per_minute
        delay = 60.0 / total if total > 0 else 1.0
        await asyncio.sleep(emulator.live_rng.expovariate(1.0 / delay))
        if emulator.live_enabled and total > 0:
            step(emulator)


def live_context(key: web.AppKey[Emulator]
                 ) -> Callable[[web.Application], AsyncIterator[None]]:
    """aiohttp cleanup context that runs the live-mode task for the app's lifetime."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(run(app[key]))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
