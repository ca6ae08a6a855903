"""Orders and the order-event journal of each emulated seller.

Orders are kept as their serialized JSON (what `GET /order/checkout-forms/{id}` returns) plus a
small record of the fields the list endpoint filters and sorts on, indexed so a filtered
page costs what it matches; a page of 100 is a byte join, not a re-serialization. Events are
serialized once, when Allegro would record them, and served by id order.

Event ids imitate Allegro's: the microsecond timestamp of *recording* (16 digits), strictly
increasing in recording order — not in `occurredAt` order (ALLEGRO-API.md §7.5).
"""

from __future__ import annotations

import bisect
import random
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson

from allegro_desktop.emulator.clock import Clock
from allegro_desktop.emulator.generator import (
    FULFILLMENT_STATUSES,
    ORDER_STATUSES,
    GeneratedEvent,
    GeneratedOrder,
    OrderGenerator,
    iso,
    time_uuid,
)

EVENT_RETENTION = timedelta(days=60)
AUTO_CANCEL_AFTER = timedelta(days=7)
#: Fulfillment statuses a seller may not set through `PUT .../fulfillment` (ALLEGRO-API.md §11.1).
SELLER_FORBIDDEN_FULFILLMENT = frozenset({"RETURNED"})


class StoreError(Exception):
    """A request the store refuses; `kind` maps to an HTTP answer in the server.

    A refusal worded as Allegro words it gives its own `status`, error `code`, field `path`
    and `user_message` (a key of `rest.USER_MESSAGES`, or None for Allegro's null); the
    control API answers it like any other of its `kind`.
    """

    def __init__(self, kind: str, message: str, *, status: int | None = None,
                 code: str | None = None, path: str | None = None,
                 user_message: str | None = "invalid_data") -> None:
        super().__init__(message)
        self.kind = kind  # "not_found" | "conflict" | "invalid"
        self.message = message
        self.status = status
        self.code = code
        self.path = path
        self.user_message = user_message


@dataclass(frozen=True, slots=True)
class Quirks:
    """Allegro behaviours the emulator reproduces on demand (ALLEGRO-API.md §7.5-§7.6,
    §9.5-§9.6, §10.3).

    Rates are shares of the affected events/orders, drawn from the emulator's seeded RNG.
    """

    duplicate_rfp: float = 0.0  # READY_FOR_PROCESSING recorded twice (second id later)
    out_of_order: float = 0.0  # an order's BOUGHT recorded after its READY_FOR_PROCESSING
    missing_early: float = 0.0  # an order's BOUGHT / FILLED_IN never recorded
    merged_orders: float = 0.0  # history: the BOUGHT event names an id that now 404s
    fulfillment_keeps_updated_at: bool = True  # real Allegro: updatedAt ignores fulfillment
    order_retention_days: int | None = None  # orders older than this 404 and leave the list

    @classmethod
    def realistic(cls) -> Quirks:
        """What a seller's real journal looks like now and then: rare, but there."""
        return cls(duplicate_rfp=0.03, out_of_order=0.03, missing_early=0.02, merged_orders=0.01)

    @classmethod
    def everything(cls) -> Quirks:
        """Frequent quirks: for tests and for stress-testing a sync engine."""
        return cls(duplicate_rfp=0.3, out_of_order=0.3, missing_early=0.2, merged_orders=0.1)

    def to_json(self) -> dict[str, Any]:
        return {
            "duplicate_rfp": self.duplicate_rfp,
            "out_of_order": self.out_of_order,
            "missing_early": self.missing_early,
            "merged_orders": self.merged_orders,
            "fulfillment_keeps_updated_at": self.fulfillment_keeps_updated_at,
            "order_retention_days": self.order_retention_days,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, base: Quirks | None = None) -> Quirks:
        """Overlay `data` on `base`; unknown keys are an error (a typo must not pass silently)."""
        current = (base or cls()).to_json()
        unknown = set(data) - set(current)
        if unknown:
            raise ValueError(f"unknown quirk(s): {', '.join(sorted(unknown))}")
        current.update(data)
        for name in ("duplicate_rfp", "out_of_order", "missing_early", "merged_orders"):
            value = float(current[name])
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a share between 0 and 1")
            current[name] = value
        current["fulfillment_keeps_updated_at"] = bool(current["fulfillment_keeps_updated_at"])
        days = current["order_retention_days"]
        current["order_retention_days"] = None if days is None else int(days)
        return cls(**current)


@dataclass(slots=True)
class OrderRecord:
    """One order: its JSON and the fields the list endpoint filters and sorts on."""

    id: str
    body: bytes
    bought_at: float
    updated_at: float
    status: str
    fulfillment_status: str | None
    provider_id: str | None
    line_items_sent: str | None
    payment_id: str | None
    surcharge_ids: tuple[str, ...]
    delivery_method_id: str | None
    buyer_login: str
    marketplace_id: str | None
    revision: str | None

    @classmethod
    def from_form(cls, form: dict[str, Any]) -> OrderRecord:
        fulfillment = form.get("fulfillment") or {}
        payment = form.get("payment") or {}
        delivery = form.get("delivery") or {}
        line_items = form.get("lineItems") or []
        # The spec's lineItems.boughtAt filter speaks of the latest line item's bought date.
        bought = max((_ts(li["boughtAt"]) for li in line_items if li.get("boughtAt")), default=0.0)
        return cls(
            id=form["id"],
            body=_dumps(form),
            bought_at=bought,
            updated_at=_ts(form["updatedAt"]) if form.get("updatedAt") else bought,
            status=form["status"],
            fulfillment_status=fulfillment.get("status"),
            provider_id=(fulfillment.get("provider") or {}).get("id"),
            line_items_sent=(fulfillment.get("shipmentSummary") or {}).get("lineItemsSent"),
            payment_id=payment.get("id"),
            surcharge_ids=tuple(s["id"] for s in form.get("surcharges") or [] if s.get("id")),
            delivery_method_id=(delivery.get("method") or {}).get("id"),
            buyer_login=(form.get("buyer") or {}).get("login", ""),
            marketplace_id=(form.get("marketplace") or {}).get("id"),
            revision=form.get("revision"),
        )

    def form(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.body)
        return parsed


@dataclass(slots=True)
class EventRecord:
    id: int
    type: str
    occurred_at: str
    order_id: str
    body: bytes


@dataclass(frozen=True, slots=True)
class OrderQuery:
    """The filters of `GET /order/checkout-forms`, already validated."""

    offset: int = 0
    limit: int = 100
    status: str | None = None
    fulfillment_status: str | None = None
    provider_id: str | None = None
    line_items_sent: str | None = None
    bought_gte: float | None = None
    bought_lte: float | None = None
    payment_id: str | None = None
    surcharge_id: str | None = None
    delivery_method_id: str | None = None
    buyer_login: str | None = None
    marketplace_id: str | None = None
    updated_gte: float | None = None
    updated_lte: float | None = None
    sort: str = "-lineItems.boughtAt"


@dataclass
class Seller:
    """An emulated Allegro seller account (what `GET /me` describes)."""

    id: str
    login: str
    first_name: str
    last_name: str
    email: str
    company_name: str | None
    company_tax_id: str | None
    base_marketplace: str = "allegro-pl"

    def me(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "login": self.login,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "baseMarketplace": {"id": self.base_marketplace},
            "company": {"name": self.company_name, "taxId": self.company_tax_id},
            "features": [],
        }


class SortedIndex:
    """Records kept in (key, id) order, for bisecting a key range in O(log n)."""

    __slots__ = ("_key", "keys", "records")

    def __init__(self, key: str) -> None:
        self._key = key
        self.keys: list[tuple[float, str]] = []
        self.records: list[OrderRecord] = []

    def __len__(self) -> int:
        return len(self.records)

    def add(self, record: OrderRecord) -> None:
        key = (getattr(record, self._key), record.id)
        if not self.keys or key > self.keys[-1]:  # the common case: the newest order
            self.keys.append(key)
            self.records.append(record)
            return
        i = bisect.bisect_left(self.keys, key)
        self.keys.insert(i, key)
        self.records.insert(i, record)

    def discard(self, record: OrderRecord) -> None:
        key = (getattr(record, self._key), record.id)
        i = bisect.bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            del self.keys[i]
            del self.records[i]

    def window(self, lo: float | None, hi: float | None) -> list[OrderRecord]:
        """Records with lo <= key <= hi (either bound may be open), in key order."""
        start = 0 if lo is None else bisect.bisect_left(self.keys, (lo, ""))
        end = len(self.keys) if hi is None else bisect.bisect_right(self.keys, (hi, "\uffff"))
        return self.records[start:end] if end > start else []


#: OrderRecord fields with an index per value: a filtered list query walks only the orders
#: of its most selective filter, not all 100 000.
INDEXED_FIELDS = ("status", "fulfillment_status", "provider_id", "line_items_sent",
                  "delivery_method_id", "buyer_login", "marketplace_id")
_QUERY_FIELD = {"status": "status", "fulfillment_status": "fulfillment_status",
                "provider_id": "provider_id", "line_items_sent": "line_items_sent",
                "delivery_method_id": "delivery_method_id", "buyer_login": "buyer_login",
                "marketplace_id": "marketplace_id"}


_STATUS_PAIR = "status/fulfillment_status"


def _index_keys(record: OrderRecord) -> list[tuple[str, str | None]]:
    keys: list[tuple[str, str | None]] = [(name, getattr(record, name))
                                          for name in INDEXED_FIELDS]
    keys.append((_STATUS_PAIR, f"{record.status}/{record.fulfillment_status}"))
    return keys


@dataclass
class SellerStore:
    """All of one seller's orders and events. Callers hold `OrderStore.lock`."""

    seller: Seller
    generator: OrderGenerator
    orders: dict[str, OrderRecord] = field(default_factory=dict)
    by_bought: SortedIndex = field(default_factory=lambda: SortedIndex("bought_at"))
    by_updated: SortedIndex = field(default_factory=lambda: SortedIndex("updated_at"))
    by_value: dict[tuple[str, str | None], SortedIndex] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    merged_ids: set[str] = field(default_factory=set)

    # -- indexes ---------------------------------------------------------------------------

    def put(self, record: OrderRecord) -> None:
        old = self.orders.get(record.id)
        if old is not None:
            self._unindex(old)
        self.orders[record.id] = record
        self.by_bought.add(record)
        self.by_updated.add(record)
        for key in _index_keys(record):
            index = self.by_value.get(key)
            if index is None:
                index = self.by_value[key] = SortedIndex("bought_at")
            index.add(record)

    def remove(self, order_id: str) -> None:
        old = self.orders.pop(order_id, None)
        if old is not None:
            self._unindex(old)

    def _unindex(self, record: OrderRecord) -> None:
        self.by_bought.discard(record)
        self.by_updated.discard(record)
        for key in _index_keys(record):
            self.by_value[key].discard(record)

    def candidates(self, query: OrderQuery, gte: float | None,
                   lte: float | None) -> tuple[list[OrderRecord], bool]:
        """The orders to check against `query`, in boughtAt order, and whether every one of
        them already matches (so no further filtering is needed)."""
        filters: list[tuple[str, str | None]] = [
            (name, getattr(query, attr)) for attr, name in _QUERY_FIELD.items()
            if getattr(query, attr) is not None]
        if not filters:
            return self.by_bought.window(gte, lte), not _has_filters(query)
        if query.status is not None and query.fulfillment_status is not None:
            # The sellers' everyday question ("paid, still to pack") has an index of its own.
            filters = [f for f in filters if f[0] not in ("status", "fulfillment_status")]
            filters.append((_STATUS_PAIR, f"{query.status}/{query.fulfillment_status}"))
        windows = [self.by_value[key].window(gte, lte) if key in self.by_value else []
                   for key in filters]
        smallest = min(windows, key=len)
        return smallest, len(filters) == 1 and not _has_unindexed_filters(query)

    def append_event(self, event_id: int, type_: str, occurred_at: str, order_id: str,
                     body: bytes) -> None:
        self.event_ids.append(event_id)
        self.events.append(EventRecord(event_id, type_, occurred_at, order_id, body))


class OrderStore:
    """Every seller's orders and events, behind one lock (the server is one event loop, but the
    live-mode task, tests and the demo may touch it from other threads)."""

    def __init__(self, *, clock: Clock, seed: int, quirks: Quirks | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.quirks = quirks or Quirks()
        self.rng = random.Random(seed * 7919 + 17)
        self.sellers: dict[str, SellerStore] = {}
        self._last_event_id = 0

    # -- setup -----------------------------------------------------------------------------

    def add_seller(self, seller: Seller, generator: OrderGenerator) -> SellerStore:
        with self.lock:
            store = SellerStore(seller=seller, generator=generator)
            self.sellers[seller.id] = store
            return store

    def load_histories(self, histories: Mapping[str, Iterable[GeneratedOrder]]) -> int:
        """Store generated past orders of each seller and record their events as Allegro would
        have: ids follow recording time across all sellers, so retention and `from` behave the
        same for every seller.

        Events older than the 60-day retention are not kept (they could never be served);
        events whose recording falls after "now" (a delayed BOUGHT) are recorded now.
        Returns the number of orders stored.
        """
        with self.lock:
            now = self.clock.time()
            cutoff = now - EVENT_RETENTION.total_seconds()
            pending: list[tuple[float, int, SellerStore, str, str, str, dict[str, Any], str]] = []
            count = 0
            seq = 0
            for seller_id, orders in histories.items():
                store = self.sellers[seller_id]
                for order in orders:
                    count += 1
                    form = order.form
                    ghost_id: str | None = None
                    if self.quirks.merged_orders and self.rng.random() < self.quirks.merged_orders:
                        # The buyer's first purchase was merged into this checkout form: the
                        # BOUGHT event names the old form, which now answers 404
                        # (ALLEGRO-API.md §10.3).
                        ghost_id = time_uuid(order.events[0].occurred_at, self.rng)
                        store.merged_ids.add(ghost_id)
                    store.put(OrderRecord.from_form(form))
                    for recorded, event in self._recordings(order):
                        if recorded < cutoff:
                            continue
                        seq += 1
                        order_id = ghost_id if ghost_id and event.type == "BOUGHT" else form["id"]
                        pending.append((min(recorded, now), seq, store, event.type,
                                        iso(event.occurred_at), order_id, form, event.revision))
            pending.sort(key=lambda p: (p[0], p[1]))
            for recorded, _seq, store, type_, occurred, order_id, form, revision in pending:
                self._append(store, recorded, type_, occurred, order_id=order_id, form=form,
                             revision=revision)
            return count

    def _recordings(self, order: GeneratedOrder) -> Iterator[tuple[float, Any]]:
        """(recording time, event) pairs for an order's history, with the journal quirks."""
        q = self.quirks
        events = list(order.events)
        if q.missing_early and self.rng.random() < q.missing_early:
            kept = [e for e in events if e.type not in ("BOUGHT", "FILLED_IN")]
            events = kept or events[-1:]
        late_bought = bool(q.out_of_order) and self.rng.random() < q.out_of_order
        for event in events:
            recorded = event.occurred_at.timestamp() + self.rng.uniform(0.05, 3.0)
            if late_bought and event.type == "BOUGHT":
                # Recorded after the order's later events, so its id is higher
                # (ALLEGRO-API.md §7.5).
                recorded += 600.0 + self.rng.uniform(0, 600)
            yield recorded, event
            if (event.type == "READY_FOR_PROCESSING" and q.duplicate_rfp
                    and self.rng.random() < q.duplicate_rfp):
                yield recorded + self.rng.uniform(0.5, 30.0), event

    # -- recording ------------------------------------------------------------------------

    def _next_event_id(self, recorded: float) -> int:
        event_id = max(self._last_event_id + 1, int(recorded * 1_000_000))
        self._last_event_id = event_id
        return event_id

    def _append(self, store: SellerStore, recorded: float, type_: str, occurred_at: str, *,
                order_id: str, form: dict[str, Any], revision: str | None) -> int:
        event_id = self._next_event_id(recorded)
        event = {
            "id": str(event_id),
            "order": _event_order(store.seller.id, form, order_id, revision),
            "type": type_,
            "occurredAt": occurred_at,
        }
        store.append_event(event_id, type_, occurred_at, order_id, _dumps(event))
        return event_id

    def record_now(self, store: SellerStore, type_: str, form: dict[str, Any],
                   *, occurred_at: str | None = None) -> None:
        """Record one event at the current emulator time, with the journal quirks applied."""
        now = self.clock.time()
        occurred = occurred_at or iso(_dt(now))
        self._append(store, now, type_, occurred, order_id=form["id"], form=form,
                     revision=form.get("revision"))
        if (type_ == "READY_FOR_PROCESSING" and self.quirks.duplicate_rfp
                and self.rng.random() < self.quirks.duplicate_rfp):
            self._append(store, now, type_, occurred, order_id=form["id"], form=form,
                         revision=form.get("revision"))

    def _record_new_order(self, store: SellerStore, order: GeneratedOrder) -> None:
        """Record the history of an order that reaches the journal now (live mode, control API)."""
        form = order.form
        events = list(order.events)
        q = self.quirks
        if q.missing_early and len(events) > 1 and self.rng.random() < q.missing_early:
            events = [e for e in events if e.type not in ("BOUGHT", "FILLED_IN")] or events[-1:]
        if q.out_of_order and len(events) > 1 and self.rng.random() < q.out_of_order:
            events = events[1:] + events[:1]  # BOUGHT recorded last: the highest id
        now = self.clock.time()
        for event in events:
            revision_form = dict(form, revision=event.revision)
            self._append(store, now, event.type, iso(event.occurred_at), order_id=form["id"],
                         form=revision_form, revision=event.revision)
            if (event.type == "READY_FOR_PROCESSING" and q.duplicate_rfp
                    and self.rng.random() < q.duplicate_rfp):
                self._append(store, now, event.type, iso(event.occurred_at),
                             order_id=form["id"], form=revision_form, revision=event.revision)

    # -- queries ---------------------------------------------------------------------------

    def seller_store(self, seller_id: str) -> SellerStore:
        try:
            return self.sellers[seller_id]
        except KeyError:
            raise StoreError("not_found", f"unknown seller {seller_id}") from None

    def _visible_after(self) -> float | None:
        days = self.quirks.order_retention_days
        return None if days is None else self.clock.time() - days * 86400.0

    def get_order(self, seller_id: str, order_id: str) -> OrderRecord:
        with self.lock:
            store = self.seller_store(seller_id)
            record = store.orders.get(order_id)
            visible_after = self._visible_after()
            if record is None or (visible_after is not None and record.bought_at < visible_after):
                raise StoreError("not_found", f"Checkout form {order_id} not found")
            return record

    def list_orders(self, seller_id: str, query: OrderQuery) -> tuple[list[bytes], int]:
        """One page of orders and the total count matching the filters."""
        with self.lock:
            store = self.seller_store(seller_id)
            gte = query.bought_gte
            visible_after = self._visible_after()
            if visible_after is not None:
                gte = visible_after if gte is None else max(gte, visible_after)
            lte = query.bought_lte
            if query.sort in ("updatedAt", "-updatedAt"):
                base = store.by_updated.window(query.updated_gte, query.updated_lte)
                if gte is not None or lte is not None:
                    bought, _exact = store.candidates(query, gte, lte)
                    if len(bought) < len(base):  # a boughtAt window is narrower: sort it
                        base = sorted(bought, key=lambda r: (r.updated_at, r.id))
                matching = [r for r in base if _matches(r, query)
                            and (gte is None or r.bought_at >= gte)
                            and (lte is None or r.bought_at <= lte)]
            else:
                base, exact = store.candidates(query, gte, lte)
                matching = base if exact else [r for r in base if _matches(r, query)]
            total = len(matching)
            if query.sort.startswith("-"):
                start = total - query.offset - query.limit
                page = matching[max(start, 0):max(total - query.offset, 0)][::-1]
            else:
                page = matching[query.offset:query.offset + query.limit]
            return [r.body for r in page], total

    def events_after(self, seller_id: str, from_id: int | None, types: frozenset[str] | None,
                     limit: int) -> list[bytes]:
        """Events recorded after `from_id` (oldest retained first), at most `limit`."""
        with self.lock:
            store = self.seller_store(seller_id)
            cutoff = int((self.clock.time() - EVENT_RETENTION.total_seconds()) * 1_000_000)
            start = max(cutoff, from_id if from_id is not None else 0)
            i = bisect.bisect_right(store.event_ids, start)
            out: list[bytes] = []
            events = store.events
            while i < len(events) and len(out) < limit:
                event = events[i]
                if types is None or event.type in types:
                    out.append(event.body)
                i += 1
            return out

    def latest_event(self, seller_id: str) -> dict[str, str] | None:
        with self.lock:
            store = self.seller_store(seller_id)
            cutoff = int((self.clock.time() - EVENT_RETENTION.total_seconds()) * 1_000_000)
            if not store.events or store.events[-1].id <= cutoff:
                return None
            last = store.events[-1]
            return {"id": str(last.id), "occurredAt": last.occurred_at}

    def all_forms(self, seller_id: str | None = None) -> list[bytes]:
        """Every order (newest first) exactly as `GET /order/checkout-forms/{id}` returns it —
        orders hidden by `order_retention_days` are left out, as they answer 404 there."""
        with self.lock:
            stores = [self.seller_store(seller_id)] if seller_id else list(self.sellers.values())
            visible_after = self._visible_after()
            return [r.body for st in stores for r in reversed(st.by_bought.records)
                    if visible_after is None or r.bought_at >= visible_after]

    def find(self, order_id: str) -> tuple[SellerStore, OrderRecord]:
        """The seller and record of an order, whoever sells it (for the control API)."""
        with self.lock:
            for store in self.sellers.values():
                record = store.orders.get(order_id)
                if record is not None:
                    return store, record
            raise StoreError("not_found", f"Checkout form {order_id} not found")

    # -- mutations -------------------------------------------------------------------------

    def save(self, store: SellerStore, form: dict[str, Any]) -> dict[str, Any]:
        store.put(OrderRecord.from_form(form))
        return form

    def add_generated(self, seller_id: str, count: int) -> list[dict[str, Any]]:
        """`count` brand-new orders bought just now, their events recorded now."""
        with self.lock:
            store = self.seller_store(seller_id)
            forms = []
            for _ in range(count):
                order = store.generator.new_order(at=self.clock.now())
                self.save(store, order.form)
                self._record_new_order(store, order)
                forms.append(order.form)
            return forms

    def add_form(self, seller_id: str, form: dict[str, Any]) -> dict[str, Any]:
        """Store a caller-made checkout form as a new order; fill in ids and times it lacks and
        record the events its status implies."""
        with self.lock:
            store = self.seller_store(seller_id)
            now = self.clock.now()
            form = _complete_form(form, now=now, gen=store.generator, rng=self.rng)
            if form["id"] in store.orders or form["id"] in store.merged_ids:
                raise StoreError("conflict", f"checkout form {form['id']} already exists")
            record = OrderRecord.from_form(form)  # fails before anything is stored
            store.put(record)
            bought_at = (datetime.fromisoformat(form["lineItems"][0]["boughtAt"])
                         if form["lineItems"] else now)
            types = {
                "BOUGHT": ["BOUGHT"],
                "FILLED_IN": ["BOUGHT", "FILLED_IN"],
                "READY_FOR_PROCESSING": ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"],
                "CANCELLED": ["BOUGHT", "BUYER_CANCELLED"],
            }[form["status"]]
            events = [GeneratedEvent(t, bought_at if t == "BOUGHT" else now, form["revision"])
                      for t in types]
            self._record_new_order(store, GeneratedOrder(form=form, events=events))
            return form

    def set_fulfillment(self, order_id: str, status: str, *, seller_id: str | None = None,
                        revision: str | None = None, by_seller_api: bool = False
                        ) -> dict[str, Any]:
        if status not in FULFILLMENT_STATUSES:
            raise StoreError("invalid", f"Unknown fulfillment status: {status}")
        if by_seller_api and status in SELLER_FORBIDDEN_FULFILLMENT:
            raise StoreError("invalid", f"Fulfillment status {status} cannot be set by seller")
        with self.lock:
            store, record = self.locate(order_id, seller_id)
            if revision is not None and revision != record.revision:
                raise StoreError("conflict", "Provided revision is outdated")
            form = record.form()
            fulfillment = form.get("fulfillment") or {}
            if fulfillment.get("status") == status:
                return form  # PUT is idempotent: no change, no event
            fulfillment["status"] = status
            summary = fulfillment.setdefault("shipmentSummary", {})
            summary["lineItemsSent"] = "ALL" if status in ("SENT", "PICKED_UP", "RETURNED") \
                else summary.get("lineItemsSent") or "NONE"
            fulfillment.setdefault("provider", {"id": "SELLER"})
            form["fulfillment"] = fulfillment
            if not self.quirks.fulfillment_keeps_updated_at:
                form["updatedAt"] = iso(self.clock.now())
            self.save(store, form)
            self.record_now(store, "FULFILLMENT_STATUS_CHANGED", form)
            return form

    def buyer_cancel(self, order_id: str) -> dict[str, Any]:
        """The buyer cancelled (BUYER_CANCELLED; before or after payment)."""
        return self._cancel(order_id, "BUYER_CANCELLED",
                            allowed=("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING"))

    def auto_cancel(self, order_id: str) -> dict[str, Any]:
        """Allegro cancelled an unpaid order (AUTO_CANCELLED)."""
        return self._cancel(order_id, "AUTO_CANCELLED", allowed=("BOUGHT", "FILLED_IN"))

    def _cancel(self, order_id: str, event: str, *, allowed: tuple[str, ...]) -> dict[str, Any]:
        with self.lock:
            store, record = self.locate(order_id, None)
            form = record.form()
            if form["status"] not in allowed:
                raise StoreError("conflict", f"an order in status {form['status']} cannot get "
                                             f"{event}")
            self._buyer_change(store, form)
            form["status"] = "CANCELLED"
            (form.get("fulfillment") or form.setdefault("fulfillment", {}))["status"] = "CANCELLED"
            self.save(store, form)
            self.record_now(store, event, form)
            return form

    def pay(self, order_id: str) -> dict[str, Any]:
        """Move an unpaid order forward: BOUGHT → FILLED_IN → READY_FOR_PROCESSING."""
        with self.lock:
            store, record = self.locate(order_id, None)
            form = record.form()
            now = self.clock.now()
            if form["status"] == "BOUGHT":
                self._buyer_change(store, form)
                form["status"] = "FILLED_IN"
                self.save(store, form)
                self.record_now(store, "FILLED_IN", form)
            if form["status"] != "FILLED_IN":
                raise StoreError("conflict", f"an order in status {form['status']} is not unpaid")
            self._buyer_change(store, form)
            form["status"] = "READY_FOR_PROCESSING"
            payment = form.get("payment") or {"id": str(_uuid4(self.rng)), "type": "ONLINE",
                                               "provider": "PAYU"}
            if payment.get("type") != "CASH_ON_DELIVERY":
                payment["finishedAt"] = iso(now)
                payment["paidAmount"] = dict(form["summary"]["totalToPay"])
                payment["reconciliation"] = dict(form["summary"]["totalToPay"])
            form["payment"] = payment
            self.save(store, form)
            self.record_now(store, "READY_FOR_PROCESSING", form)
            return form

    def modify_address(self, order_id: str, address: dict[str, Any] | None) -> dict[str, Any]:
        with self.lock:
            store, record = self.locate(order_id, None)
            form = record.form()
            if form["status"] == "CANCELLED":
                raise StoreError("conflict", "a cancelled order cannot be modified")
            delivery = form.setdefault("delivery", {})
            country = (delivery.get("address") or {}).get("countryCode", "PL")
            new_address = dict(store.generator.random_address(country_code=country))
            new_address.update(address or {})
            self._buyer_change(store, form)
            new_address["modifiedAt"] = form["updatedAt"]
            delivery["address"] = new_address
            self.save(store, form)
            self.record_now(store, "BUYER_MODIFIED", form)
            return form

    def merge(self, order_ids: list[str]) -> dict[str, Any]:
        """The buyer paid several purchases together: Allegro creates a new checkout form and
        the old ids answer 404 (ALLEGRO-API.md §10.3, [#2141])."""
        order_ids = list(dict.fromkeys(order_ids))  # each order once
        if len(order_ids) < 2:
            raise StoreError("invalid", "name at least two different orders to merge")
        with self.lock:
            located = [self.locate(i, None) for i in order_ids]
            store = located[0][0]
            if any(s is not store for s, _ in located):
                raise StoreError("invalid", "orders of different sellers cannot be merged")
            forms = [r.form() for _, r in located]
            if any(f["status"] not in ("BOUGHT", "FILLED_IN") for f in forms):
                raise StoreError("conflict", "only unpaid orders can be merged")
            if len({f["buyer"]["login"] for f in forms}) > 1:
                raise StoreError("invalid", "only one buyer's orders can be merged")
            if len({f["summary"]["totalToPay"]["currency"] for f in forms}) > 1:
                raise StoreError("invalid", "orders in different currencies cannot be merged")
            now = self.clock.now()
            merged = forms[0]
            merged["id"] = time_uuid(now, self.rng)
            merged["lineItems"] = [li for f in forms for li in f["lineItems"]]
            merged["summary"] = {"totalToPay": _total(merged)}
            for _, record in located:
                store.remove(record.id)
                store.merged_ids.add(record.id)
            merged["status"] = "FILLED_IN"
            self._buyer_change(store, merged)
            self.save(store, merged)
            self.record_now(store, "FILLED_IN", merged)
            return merged

    def auto_cancel_due(self) -> int:
        """Cancel unpaid orders whose payment deadline has passed: Allegro does it after 7 days
        (Buy Now; ALLEGRO-API.md §7.3, [#4646]). Called as the clock moves (live mode,
        clock/advance). Returns how many were cancelled."""
        deadline = self.clock.time() - AUTO_CANCEL_AFTER.total_seconds()
        cancelled = 0
        with self.lock:
            for store in self.sellers.values():
                due = [r for status in ("BOUGHT", "FILLED_IN")
                       for r in (store.by_value.get(("status", status)) or SortedIndex("x"))
                       .window(None, deadline)]
                for record in due:
                    self.auto_cancel(record.id)
                    cancelled += 1
        return cancelled

    def locate(self, order_id: str, seller_id: str | None) -> tuple[SellerStore, OrderRecord]:
        if seller_id is None:
            return self.find(order_id)
        store = self.seller_store(seller_id)
        record = store.orders.get(order_id)
        if record is None:
            raise StoreError("not_found", f"Checkout form {order_id} not found")
        return store, record

    def _buyer_change(self, store: SellerStore, form: dict[str, Any]) -> None:
        """A buyer-side change: new revision, updatedAt moves (ALLEGRO-API.md §10.7, §9.5)."""
        form["revision"] = store.generator.new_revision()
        form["updatedAt"] = iso(self.clock.now())


# -- helpers -------------------------------------------------------------------------------


def _dumps(data: Any) -> bytes:
    """orjson's bytes keep spare capacity (about 3x their length): copy them to a tight object,
    which matters when 100 000 orders are held in memory."""
    return bytes(memoryview(orjson.dumps(data)))


def _ts(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _has_filters(q: OrderQuery) -> bool:
    return any(v is not None for v in (
        q.status, q.fulfillment_status, q.provider_id, q.line_items_sent, q.payment_id,
        q.surcharge_id, q.delivery_method_id, q.buyer_login, q.marketplace_id, q.updated_gte,
        q.updated_lte,
    ))


def _has_unindexed_filters(q: OrderQuery) -> bool:
    return any(v is not None for v in (q.payment_id, q.surcharge_id, q.updated_gte,
                                       q.updated_lte))


def _matches(r: OrderRecord, q: OrderQuery) -> bool:
    return (
        (q.status is None or r.status == q.status)
        and (q.fulfillment_status is None or r.fulfillment_status == q.fulfillment_status)
        and (q.provider_id is None or r.provider_id == q.provider_id)
        and (q.line_items_sent is None or r.line_items_sent == q.line_items_sent)
        and (q.payment_id is None or r.payment_id == q.payment_id)
        and (q.surcharge_id is None or q.surcharge_id in r.surcharge_ids)
        and (q.delivery_method_id is None or r.delivery_method_id == q.delivery_method_id)
        and (q.buyer_login is None or r.buyer_login == q.buyer_login)
        and (q.marketplace_id is None or r.marketplace_id == q.marketplace_id)
        and (q.updated_gte is None or r.updated_at >= q.updated_gte)
        and (q.updated_lte is None or r.updated_at <= q.updated_lte)
    )


def _event_order(seller_id: str, form: dict[str, Any], order_id: str,
                 revision: str | None) -> dict[str, Any]:
    """The `order` part of an event (schema OrderEventData): a summary of the checkout form."""
    buyer = form.get("buyer") or {}
    out: dict[str, Any] = {
        "seller": {"id": seller_id},
        "buyer": {
            "id": buyer.get("id"),
            "email": buyer.get("email"),
            "login": buyer.get("login"),
            "guest": bool(buyer.get("guest")),
            "preferences": buyer.get("preferences") or {"language": "pl-PL"},
        },
        "lineItems": [
            {
                "id": li["id"],
                "offer": {
                    "id": li["offer"]["id"],
                    "name": li["offer"]["name"],
                    "external": li["offer"].get("external"),
                },
                "quantity": li["quantity"],
                "originalPrice": li["originalPrice"],
                "price": li["price"],
                "boughtAt": li.get("boughtAt"),
            }
            for li in form.get("lineItems") or []
        ],
        "checkoutForm": {"id": order_id, "revision": revision},
        "marketplace": form.get("marketplace") or {"id": "allegro-pl"},
    }
    return out


_CURRENCY_MARKETPLACE = {"PLN": "allegro-pl", "CZK": "allegro-cz", "EUR": "allegro-sk",
                         "HUF": "allegro-hu"}


def _deep_merge(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` over `base`, objects merged key by key at every depth (lists are replaced)."""
    out = dict(base)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _deep_merge(base[key], value)
        else:
            out[key] = value
    return out


def _money(value: Any, where: str) -> tuple[Decimal, str]:
    try:
        return Decimal(str(value["amount"])), str(value["currency"])
    except (KeyError, TypeError, ArithmeticError):
        raise StoreError("invalid", f"{where} must be {{\"amount\": \"12.34\", "
                                    f"\"currency\": \"PLN\"}}") from None


def _total(form: dict[str, Any]) -> dict[str, str]:
    """summary.totalToPay: the line items plus delivery, in the order's currency."""
    currency = form["lineItems"][0]["price"]["currency"]
    total = sum((Decimal(li["price"]["amount"]) * li["quantity"] for li in form["lineItems"]),
                Decimal("0"))
    cost = (form.get("delivery") or {}).get("cost")
    if cost:
        total += Decimal(cost["amount"])
    return {"amount": f"{total:.2f}", "currency": currency}


def _complete_form(form: dict[str, Any], *, now: datetime, gen: OrderGenerator,  # noqa: C901 - a default per missing field
                   rng: random.Random) -> dict[str, Any]:
    """Fill in what a caller-made checkout form lacks, so tests state only the fields they care
    about, and refuse what Allegro could never return (the result must be a valid, consistent
    CheckoutForm): a non-time id, no line items, mixed currencies."""
    status = form.get("status", "READY_FOR_PROCESSING")
    if status not in ORDER_STATUSES:
        raise StoreError("invalid", f"status must be one of {', '.join(ORDER_STATUSES)}")
    marketplace = (form.get("marketplace") or {}).get("id")
    if marketplace is None:
        # Not said: the marketplace of the line items' currency, else allegro.pl.
        currencies = {(li.get("price") or {}).get("currency") for li in form.get("lineItems") or []
                      if isinstance(li, dict)}
        marketplace = next((_CURRENCY_MARKETPLACE[c] for c in currencies
                            if c in _CURRENCY_MARKETPLACE), "allegro-pl")
    try:
        base = gen.new_order(at=now, paid=status == "READY_FOR_PROCESSING",
                             marketplace=marketplace).form
    except ValueError as exc:
        raise StoreError("invalid", str(exc)) from None
    merged = _deep_merge(base, form)
    merged["status"] = status
    currency = base["summary"]["totalToPay"]["currency"]

    items_given = "lineItems" in form
    if items_given:
        if not isinstance(form["lineItems"], list) or not form["lineItems"]:
            raise StoreError("invalid", "lineItems must be a non-empty list")
        bought = next((li.get("boughtAt") for li in form["lineItems"]
                       if isinstance(li, dict) and li.get("boughtAt")), None) or iso(now)
        items = []
        for index, li in enumerate(form["lineItems"]):
            offer = li.get("offer") if isinstance(li, dict) else None
            if not isinstance(offer, dict) or not offer.get("id") or not offer.get("name"):
                raise StoreError("invalid", f"lineItems[{index}] needs an offer with id and name")
            _amount, price_currency = _money(li.get("price"), f"lineItems[{index}].price")
            if price_currency != currency:
                raise StoreError("invalid", f"lineItems[{index}] is in {price_currency}, but "
                                            f"{base['marketplace']['id']} sells in {currency}")
            quantity = li.get("quantity", 1)
            if not isinstance(quantity, int) or quantity < 1:
                raise StoreError("invalid", f"lineItems[{index}].quantity must be 1 or more")
            item = {**base["lineItems"][0], "id": _uuid4(rng), "boughtAt": bought,
                    "originalPrice": li["price"], **li}
            item["offer"] = {"external": None, "productSet": None, "hsNumber": None, **offer}
            items.append(item)
        merged["lineItems"] = items
    bought_at = merged["lineItems"][0]["boughtAt"]

    if "id" in form:
        try:
            parsed = uuid.UUID(str(form["id"]))
        except ValueError:
            raise StoreError("invalid", f"id {form['id']!r} is not a UUID") from None
        if parsed.version != 1:
            raise StoreError("invalid", "id must be a time-based (version 1) UUID, as "
                                        "Allegro's checkout-form ids are")
        merged["id"] = str(parsed)
    else:
        merged["id"] = time_uuid(datetime.fromisoformat(bought_at), rng)

    if status == "CANCELLED" and "status" not in (form.get("fulfillment") or {}):
        merged.setdefault("fulfillment", {})["status"] = "CANCELLED"
    if "summary" not in form:
        merged["summary"] = {"totalToPay": _total(merged)}
    payment = merged.get("payment")
    if isinstance(payment, dict) and "payment" not in form:
        if status == "READY_FOR_PROCESSING" and payment.get("type") != "CASH_ON_DELIVERY":
            payment["paidAmount"] = dict(merged["summary"]["totalToPay"])
            if payment.get("reconciliation") is not None:
                payment["reconciliation"] = dict(merged["summary"]["totalToPay"])
            payment["finishedAt"] = payment.get("finishedAt") or iso(now)
        elif status != "READY_FOR_PROCESSING":
            payment.update(finishedAt=None, paidAmount=None, reconciliation=None)
    if "revision" not in form:
        merged["revision"] = gen.new_revision()
    if "updatedAt" not in form:
        merged["updatedAt"] = iso(now)
    buyer = merged.get("buyer")
    if not isinstance(buyer, dict) or not all(buyer.get(k) is not None
                                              for k in ("id", "email", "login", "guest")):
        raise StoreError("invalid", "buyer needs id, email, login and guest")
    return merged
