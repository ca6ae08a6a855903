"""What the robustness tests of the sync share: changes a shop's buyers and warehouse make
through the emulator's control API, and a look into the order database that needs none of the
app's code (so it also reads a file a killed process left behind, without repairing it).

The emulator runs in the test's process, so its journal and orders are read directly
(`OrderStore`, under its lock) — the authoritative answer to "what should the app have".
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from allegro_desktop.emulator.generator import FULFILLMENT_STATUSES
from allegro_desktop.emulator.store import EVENT_RETENTION, SellerStore
from tests.helpers.emulator import RunningEmulator

UNPAID = ("BOUGHT", "FILLED_IN")


@contextmanager
def seller_store(emu: RunningEmulator) -> Iterator[SellerStore]:
    """The first seller's orders and journal, locked against the emulator's thread."""
    store = emu.emulator.store
    with store.lock:
        yield store.sellers[emu.emulator.default_seller_id]


def same(mine: bytes | None, theirs: bytes) -> bool:
    """Two checkout forms as JSON texts are the same form (compared as JSON when the texts
    differ, e.g. in spacing or key order)."""
    return mine is not None and (mine == theirs or orjson.loads(mine) == orjson.loads(theirs))


@dataclass(frozen=True)
class Truth:
    """What the emulator holds now: every order as its API returns it, and its journal."""

    forms: dict[str, bytes]  # the JSON of `GET /order/checkout-forms/{id}`
    merged_ids: frozenset[str]  # checkout forms that answer 404 (merged away, ghosts)
    event_ids: list[int]  # every event ever recorded, in id order
    retained: list[int]  # the events the journal still serves (60 days)
    first_event: dict[str, int]  # per checkout form id named by an event: its lowest event id
    last_event: dict[str, int]  # … and its highest

    @classmethod
    def read(cls, emu: RunningEmulator) -> Truth:
        with seller_store(emu) as seller:
            forms = {record.id: record.body for record in seller.orders.values()}
            events = [(event.id, event.order_id) for event in seller.events]
            merged = frozenset(seller.merged_ids)
        cutoff = int((emu.emulator.clock.time() - EVENT_RETENTION.total_seconds()) * 1e6)
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for event_id, form_id in events:
            first.setdefault(form_id, event_id)
            last[form_id] = event_id  # ids increase along the journal
        ids = [event_id for event_id, _ in events]
        return cls(forms, merged, ids, [i for i in ids if i > cutoff], first, last)


@dataclass
class Stored:
    """One account's rows in the order database, read with plain `sqlite3`."""

    schema: bool = False  # the tables exist (a process killed while creating them: no)
    cursor: str | None = None
    backfill_done: bool = False
    forms: dict[str, bytes] = field(default_factory=dict)  # not gone: id -> raw JSON
    gone: set[str] = field(default_factory=set)  # recorded gone (table or flag)
    pending: set[str] = field(default_factory=set)  # recorded to be fetched again
    event_ids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # broken invariants of the rows

    @classmethod
    def read(cls, path: Path, account_key: str) -> Stored:
        stored = cls()
        if not path.exists():
            return stored
        with closing(sqlite3.connect(path)) as db:
            tables = {name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            wanted = {"orders", "order_forms", "sync_state", "order_events", "gone_forms"}
            if not wanted <= tables:
                return stored
            stored.schema = True
            row = db.execute("SELECT event_cursor, backfill_done FROM sync_state "
                             "WHERE account_key = ?", (account_key,)).fetchone()
            if row is not None:
                stored.cursor, stored.backfill_done = row[0], bool(row[1])
            for order_id, raw, gone in db.execute(
                    "SELECT id, raw, gone FROM orders JOIN order_forms USING (seq) "
                    "WHERE account_key = ?", (account_key,)):
                if gone:
                    stored.gone.add(order_id)
                else:
                    stored.forms[order_id] = raw.encode()
            stored.gone |= {form_id for (form_id,) in db.execute(
                "SELECT checkout_form_id FROM gone_forms WHERE account_key = ?", (account_key,))}
            if "pending_forms" in tables:
                stored.pending = {form_id for (form_id,) in db.execute(
                    "SELECT checkout_form_id FROM pending_forms WHERE account_key = ?",
                    (account_key,))}
            stored.event_ids = sorted(int(event_id) for (event_id,) in db.execute(
                "SELECT event_id FROM order_events WHERE account_key = ?", (account_key,)))
            stored.problems = _problems(db, tables)
        return stored


def _problems(db: sqlite3.Connection, tables: set[str]) -> list[str]:
    """Rows that disagree with each other (a half-written batch would leave some)."""
    problems = []
    for (order_id,) in db.execute(
            "SELECT o.id FROM orders o LEFT JOIN order_forms f ON f.seq = o.seq "
            "LEFT JOIN (SELECT order_id, count(*) AS n FROM "
            "line_items GROUP BY order_id) li ON li.order_id = o.id "
            "WHERE f.raw IS NULL OR coalesce(li.n, 0) != json_array_length(f.raw, '$.lineItems') "
            "OR json_extract(f.raw, '$.id') != o.id LIMIT 5"):
        problems.append(f"order {order_id}: its line items or id disagree with its form")
    orphans = db.execute("SELECT count(*) FROM line_items WHERE order_id NOT IN "
                         "(SELECT id FROM orders)").fetchone()[0]
    if orphans:
        problems.append(f"{orphans} line items of no order")
    twice = db.execute("SELECT count(*) - count(DISTINCT account_key || ' ' || event_id) "
                       "FROM order_events").fetchone()[0]
    if twice:
        problems.append(f"{twice} events stored twice")
    if "orders_fts" in tables:
        unindexed = db.execute("SELECT count(*) FROM orders WHERE seq NOT IN "
                               "(SELECT rowid FROM orders_fts)").fetchone()[0]
        stale = db.execute("SELECT count(*) FROM orders_fts WHERE rowid NOT IN "
                           "(SELECT seq FROM orders)").fetchone()[0]
        if unindexed or stale:
            problems.append(f"search index: {unindexed} orders unindexed, {stale} stale rows")
    return problems


def assert_consistent(stored: Stored, truth: Truth) -> None:
    """What must hold at ANY instant, also right after a kill: rows agree with each other,
    nothing is invented, and the cursor is never ahead of the orders it stands for."""
    assert stored.problems == []
    invented = set(stored.forms) - set(truth.forms) - truth.merged_ids
    assert not invented, f"orders the emulator never had: {sorted(invented)[:5]}"
    unknown_events = set(stored.event_ids) - set(truth.event_ids)
    assert not unknown_events, f"events the journal never had: {sorted(unknown_events)[:5]}"
    alive_gone = stored.gone & set(truth.forms) - set(stored.forms) - stored.pending
    assert not alive_gone, f"existing orders recorded gone: {sorted(alive_gone)[:5]}"
    if not stored.backfill_done:
        return
    cursor = int(stored.cursor or 0)
    stale, missing = [], []
    for form_id, form in truth.forms.items():
        if form_id in stored.pending:
            continue
        last = truth.last_event.get(form_id)
        if last is None or last <= cursor:
            # Every change of this order is at or before the cursor: the stored copy must be
            # today's (every change records an event, and the form was fetched after the
            # event it was fetched for).
            if not same(stored.forms.get(form_id), form):
                stale.append(form_id)
        elif truth.first_event[form_id] <= cursor and form_id not in stored.forms:
            missing.append(form_id)
    assert not stale, (f"cursor {cursor}: {len(stale)} orders whose every event is at or "
                       f"before it are missing or outdated, e.g. {stale[:3]}")
    assert not missing, (f"cursor {cursor}: {len(missing)} orders with events at or before it "
                         f"are not stored, e.g. {missing[:3]}")


def assert_exact(stored: Stored, truth: Truth, *, whole_journal: bool = True) -> None:
    """The end state of a finished sync: the stored (not gone) orders are exactly the
    emulator's, field by field; nothing is pending; the cursor is at the journal's last event;
    with `whole_journal` (no events expired unread), the journal is stored without gaps."""
    assert_consistent(stored, truth)
    assert stored.pending == set()
    missing = set(truth.forms) - set(stored.forms)
    extra = set(stored.forms) - set(truth.forms)
    assert not missing, f"missing {sorted(missing)[:5]}"
    assert not extra, f"extra {sorted(extra)[:5]}"
    differing = [form_id for form_id, form in truth.forms.items()
                 if not same(stored.forms[form_id], form)]
    assert not differing, f"{len(differing)} orders differ, e.g. {differing[:3]}"
    if truth.retained:
        assert stored.cursor == str(truth.retained[-1])
    else:  # event-stats had nothing to give: the cursor stays where it was, or None
        assert stored.cursor is None or int(stored.cursor) <= truth.event_ids[-1]
    if whole_journal and stored.event_ids:
        tail = truth.event_ids[truth.event_ids.index(stored.event_ids[0]):]
        assert stored.event_ids == tail, "the stored journal has gaps"


# -- changes ----------------------------------------------------------------------------------


def _records(emu: RunningEmulator, *statuses: str) -> list[tuple[str, str, str | None]]:
    """(id, status, fulfillment status) of the orders in `statuses`, in id order."""
    with seller_store(emu) as seller:
        records = [(r.id, r.status, r.fulfillment_status) for r in seller.orders.values()
                   if r.status in statuses]
    return sorted(records)


def new_unpaid(emu: RunningEmulator, count: int, buyer: int) -> list[str]:
    """`count` unpaid orders of one buyer (so that they can be merged), bought now."""
    data = {"id": str(900_000_000 + buyer), "login": f"kupujacy_{buyer}",
            "email": f"kupujacy{buyer}@example.pl", "guest": False}
    return [emu.control("POST", "/orders", {"checkoutForm": {
        "status": "BOUGHT", "buyer": data, "marketplace": {"id": "allegro-pl"}}})[
        "checkoutForms"][0]["id"] for _ in range(count)]


def pay(emu: RunningEmulator, rng: random.Random, count: int) -> None:
    for form_id, _, _ in _sample(rng, _records(emu, *UNPAID), count):
        emu.control("POST", f"/orders/{form_id}/pay")


def move_parcels(emu: RunningEmulator, rng: random.Random, count: int) -> None:
    """Fulfillment changes: `updatedAt` and `revision` stay, as in the emulator
    (ALLEGRO-API.md §9.5; for `revision` an open question, §10.7, §16 item 7)."""
    for form_id, _, status in _sample(rng, _records(emu, "READY_FOR_PROCESSING"), count):
        choices = [s for s in FULFILLMENT_STATUSES if s != status]
        emu.control("POST", f"/orders/{form_id}/fulfillment", {"status": rng.choice(choices)})


def churn(emu: RunningEmulator, rng: random.Random, orders: int, changes: int) -> None:
    """`changes` fulfillment changes of each of `orders` orders: many events, few forms (so a
    run spans several pages of the journal cheaply). Straight into the emulator's store, what
    `POST /__emulator__/orders/{id}/fulfillment` calls, to save a thousand HTTP calls."""
    picked = _sample(rng, _records(emu, "READY_FOR_PROCESSING"), orders)
    store = emu.emulator.store
    for step in range(changes):
        for form_id, _, status in picked:
            index = (FULFILLMENT_STATUSES.index(status or "NEW") + 1 + step) % len(
                FULFILLMENT_STATUSES)
            store.set_fulfillment(form_id, FULFILLMENT_STATUSES[index])


def buyer_cancel(emu: RunningEmulator, rng: random.Random, count: int) -> None:
    records = _records(emu, *UNPAID, "READY_FOR_PROCESSING")
    for form_id, _, _ in _sample(rng, records, count):
        emu.control("POST", f"/orders/{form_id}/cancel", {"by": "buyer"})


def change_address(emu: RunningEmulator, rng: random.Random, count: int) -> None:
    records = _records(emu, *UNPAID, "READY_FOR_PROCESSING")
    for form_id, _, _ in _sample(rng, records, count):
        emu.control("POST", f"/orders/{form_id}/address", {})


def _sample(rng: random.Random, items: list[Any], count: int) -> list[Any]:
    return rng.sample(items, min(count, len(items)))
