"""Retention over a real SQLite file: exactly which orders, line items, search rows, events,
gone markers and sync runs `prune` deletes — and which it keeps."""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from allegro_desktop.domain.errors import AppError
from allegro_desktop.domain.orders import Order, OrderEvent
from allegro_desktop.storage import Database, OrderRepository, SyncStateRepository
from allegro_desktop.storage import retention as retention_module
from allegro_desktop.storage.retention import (
    PruneReport,
    RetentionPolicy,
    RetentionPolicyError,
    orders_cutoff,
    prune,
)
from allegro_desktop.storage.schema import (
    gone_forms,
    line_items,
    order_events,
    orders,
    orders_fts,
    sync_runs,
)
from allegro_desktop.storage.times import to_ms
from tests.helpers.database_rows import every_row
from tests.helpers.served_orders import (
    ACCOUNT,
    NOW,
    OTHER_ACCOUNT,
    FakeClock,
    Shop,
    parse_all,
    parse_events,
)

#: 12 months before NOW: the shop's orders span 395 days, so about a month of them is older.
CUTOFF_12 = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _bought(form: dict[str, Any], moment: datetime) -> dict[str, Any]:
    for item in form["lineItems"]:
        item["boughtAt"] = _iso(moment)
    return form


_next_event_id = iter(range(9_000_000_000_000_000, 10**17))


def _event(template: dict[str, Any], form_id: str, occurred: datetime,
           kind: str = "READY_FOR_PROCESSING") -> dict[str, Any]:
    event = copy.deepcopy(template)
    event["id"] = str(next(_next_event_id))
    event["type"] = kind
    event["occurredAt"] = _iso(occurred)
    event["order"]["checkoutForm"] = {"id": form_id, "revision": "0000beef"}
    return event


@dataclass
class World:
    """What was stored: every order and (account, event), to compute what must remain."""

    orders: list[Order]
    events: list[tuple[str, OrderEvent]]
    gone: dict[str, set[str]]  # account -> gone checkout-form ids

    def kept_orders(self, cutoff: datetime | None) -> set[str]:
        return {o.id for o in self.orders if cutoff is None or o.bought_at >= cutoff}

    def kept_events(self, order_cutoff: datetime | None,
                    event_cutoff: datetime | None) -> set[tuple[str, str]]:
        kept = self.kept_orders(order_cutoff)
        deleted = {(o.account_key, o.id) for o in self.orders if o.id not in kept}
        limit = max((c for c in (order_cutoff, event_cutoff) if c is not None), default=None)
        return {(account, e.id) for account, e in self.events
                if (limit is None or e.occurred_at >= limit)
                and (account, e.checkout_form_id) not in deleted}


@pytest.fixture
def world(repo: OrderRepository, clock: FakeClock, shop: Shop) -> World:
    """300 orders of ACCOUNT over 395 days and 10 of OTHER_ACCOUNT (half of them two years
    old), the emulator's journal plus a BOUGHT event per order, late events of old orders,
    events of forms never stored, and gone markers of every kind."""
    forms = shop.form_copies()
    mine = parse_all(forms)
    theirs_forms = []
    for n, form in enumerate(shop.form_copies(10)):
        form["id"] = f"other-{n:02d}"
        theirs_forms.append(_bought(form, NOW - timedelta(days=730 if n % 2 else 30, hours=n)))
    theirs = parse_all(theirs_forms, OTHER_ACCOUNT)
    template = shop.events[0]
    old = sorted(mine, key=lambda o: o.bought_at)[:3]
    assert all(o.bought_at < CUTOFF_12 for o in old)
    extra = [_event(template, o.id, o.bought_at, "BOUGHT") for o in mine]
    extra += [_event(template, o.id, NOW - timedelta(days=10), "FULFILLMENT_STATUS_CHANGED")
              for o in old]  # young events of old orders: they go with their order
    extra += [_event(template, "never-stored-old", NOW - timedelta(days=700)),
              _event(template, "never-stored-young", NOW - timedelta(days=7))]
    their_events = [_event(template, o.id, o.bought_at, "BOUGHT") for o in theirs]
    events = parse_events(list(shop.events) + extra)

    clock.now = NOW - timedelta(days=500)
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     gone_ids=["gone-long-ago"])
    clock.now = NOW - timedelta(days=5)
    repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                     gone_ids=["gone-lately"])
    clock.now = NOW
    young = max(mine, key=lambda o: o.bought_at)
    repo.apply_batch(account_key=ACCOUNT, orders=mine, events=events, cursor=None,
                     gone_ids=[old[0].id, young.id])
    repo.apply_batch(account_key=OTHER_ACCOUNT, orders=theirs,
                     events=parse_events(their_events), cursor=None,
                     gone_ids=[theirs[1].id])
    return World(orders=mine + theirs,
                 events=[(ACCOUNT, e) for e in events]
                 + [(OTHER_ACCOUNT, e) for e in parse_events(their_events)],
                 gone={ACCOUNT: {"gone-long-ago", "gone-lately", old[0].id, young.id},
                       OTHER_ACCOUNT: {theirs[1].id}})


def _order_ids(db: Database) -> set[str]:
    with db.read() as connection:
        return set(connection.scalars(select(orders.c.id)))


def _event_keys(db: Database) -> set[tuple[str, str]]:
    with db.read() as connection:
        return {(row.account_key, row.event_id) for row in connection.execute(
            select(order_events.c.account_key, order_events.c.event_id))}


def _gone(db: Database) -> set[tuple[str, str]]:
    with db.read() as connection:
        return {(row.account_key, row.checkout_form_id) for row in connection.execute(
            select(gone_forms.c.account_key, gone_forms.c.checkout_form_id))}


def _assert_consistent(db: Database, world: World) -> None:
    """Every stored order has all its line items and its search row, and nothing else has."""
    by_id = {o.id: o for o in world.orders}
    with db.read() as connection:
        seqs = {row.id: row.seq for row in connection.execute(select(orders.c.id, orders.c.seq))}
        fts = set(connection.scalars(select(orders_fts.c.rowid)))
        items: dict[str, int] = {}
        for order_id in connection.scalars(select(line_items.c.order_id)):
            items[order_id] = items.get(order_id, 0) + 1
    assert fts == set(seqs.values())
    assert items == {order_id: len(by_id[order_id].line_items) for order_id in seqs}


# -- the policy -------------------------------------------------------------------------------


@pytest.mark.parametrize("months", [1, 6, 11, 0, -12])
def test_fewer_than_12_months_of_orders_are_refused_with_the_reason(months: int) -> None:
    with pytest.raises(RetentionPolicyError) as caught:
        RetentionPolicy(keep_orders_months=months)
    assert isinstance(caught.value, AppError)
    assert isinstance(caught.value, ValueError)
    message = caught.value.user_message
    assert "12 months" in message
    assert "come back" in message  # the why: the sync fetches 12 months again


@pytest.mark.parametrize("kwargs", [{"keep_events_days": 30}, {"keep_runs_days": 0},
                                    {"keep_latest_runs": 0}, {"keep_orders_months": 5000}])
def test_other_unusable_limits_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(RetentionPolicyError):
        RetentionPolicy(**kwargs)


def test_the_default_keeps_orders_and_events_forever() -> None:
    policy = RetentionPolicy()
    assert policy.keep_orders_months is None
    assert policy.keep_events_days is None
    assert RetentionPolicy(keep_orders_months=12).keep_orders_months == 12


@pytest.mark.parametrize(("now", "months", "cutoff"), [
    (NOW, 12, CUTOFF_12),
    (datetime(2026, 3, 31, 8, tzinfo=UTC), 13, datetime(2025, 2, 28, 8, tzinfo=UTC)),
    (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2027, 2, 28, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), 25, datetime(2023, 12, 15, tzinfo=UTC)),
])
def test_months_are_calendar_months(now: datetime, months: int, cutoff: datetime) -> None:
    assert orders_cutoff(now, months) == cutoff
    assert now - orders_cutoff(now, 12) >= timedelta(days=365)  # the sync's history depth


# -- pruning orders and events ----------------------------------------------------------------


def test_the_default_policy_deletes_no_order_and_no_event(db: Database, world: World) -> None:
    before = every_row(db)
    report = prune(db, RetentionPolicy(), now=NOW)
    assert report == PruneReport(duration=report.duration)
    assert every_row(db) == before


@pytest.mark.parametrize("batch_size", [7, 1000])
def test_old_orders_go_with_their_items_search_rows_events_and_gone_markers(
        db: Database, repo: OrderRepository, world: World, batch_size: int) -> None:
    kept = world.kept_orders(CUTOFF_12)
    deleted = {o.id for o in world.orders} - kept
    assert len(deleted) > 20
    assert len(kept) > 250
    assert {"other-01", "other-03"} <= deleted
    assert "other-00" in kept

    report = prune(db, RetentionPolicy(keep_orders_months=12), now=NOW, batch_size=batch_size)

    assert _order_ids(db) == kept
    assert report.orders == len(deleted)
    _assert_consistent(db, world)
    expected_events = world.kept_events(CUTOFF_12, None)
    assert _event_keys(db) == expected_events
    assert report.events == len(world.events) - len(expected_events)
    young = max((o for o in world.orders if o.account_key == ACCOUNT), key=lambda o: o.bought_at)
    assert _gone(db) == {(ACCOUNT, "gone-lately"), (ACCOUNT, young.id)}
    assert report.gone_forms == 3  # an old order's, an orphan's recorded long ago, OTHER's
    # Search finds kept orders and no longer the deleted ones.
    for order_id in sorted(deleted)[:10]:
        assert repo.search_ids(order_id) == []
    for order_id in sorted(kept)[:10]:
        assert repo.search_ids(order_id) == [order_id]
    assert report.complete
    assert report.runs == 0


def test_an_order_bought_exactly_at_the_limit_stays(db: Database, repo: OrderRepository,
                                                    shop: Shop) -> None:
    forms = shop.form_copies(3)
    _bought(forms[0], CUTOFF_12)
    _bought(forms[1], CUTOFF_12 - timedelta(milliseconds=1))
    _bought(forms[2], CUTOFF_12 + timedelta(milliseconds=1))
    repo.apply_batch(account_key=ACCOUNT, orders=parse_all(forms), events=[], cursor=None)
    assert prune(db, RetentionPolicy(keep_orders_months=12), now=NOW).orders == 1
    assert _order_ids(db) == {forms[0]["id"], forms[2]["id"]}


def test_a_second_prune_deletes_nothing(db: Database, world: World) -> None:
    policy = RetentionPolicy(keep_orders_months=12, keep_events_days=90)
    first = prune(db, policy, now=NOW, batch_size=50)
    assert first.orders
    assert first.events
    assert first.gone_forms
    after = every_row(db)
    second = prune(db, policy, now=NOW, batch_size=50)
    assert second.deleted == 0
    assert every_row(db) == after


def test_old_events_go_and_their_orders_stay(db: Database, world: World) -> None:
    limit = NOW - timedelta(days=90)
    report = prune(db, RetentionPolicy(keep_events_days=90), now=NOW, batch_size=100)
    assert _order_ids(db) == world.kept_orders(None)
    expected = world.kept_events(None, limit)
    assert _event_keys(db) == expected
    assert report.events == len(world.events) - len(expected) > 200
    assert report.orders == report.gone_forms == 0


def test_events_and_orders_limits_together(db: Database, world: World) -> None:
    prune(db, RetentionPolicy(keep_orders_months=12, keep_events_days=120), now=NOW)
    assert _order_ids(db) == world.kept_orders(CUTOFF_12)
    assert _event_keys(db) == world.kept_events(CUTOFF_12, NOW - timedelta(days=120))


def test_a_prune_killed_midway_leaves_a_consistent_database(
        db: Database, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    real = retention_module._delete_orders
    calls = 0

    def dies_in_the_second_chunk(connection: Any, before: int, limit: int) -> Any:
        nonlocal calls
        calls += 1
        result = real(connection, before, limit)
        if calls == 2:  # everything of the chunk deleted, the transaction not yet committed
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(retention_module, "_delete_orders", dies_in_the_second_chunk)
    policy = RetentionPolicy(keep_orders_months=12)
    with pytest.raises(KeyboardInterrupt):
        prune(db, policy, now=NOW, batch_size=5)
    oldest_first = sorted(world.orders, key=lambda o: o.bought_at)
    gone_five = {o.id for o in oldest_first[:5]}
    assert _order_ids(db) == {o.id for o in world.orders} - gone_five
    _assert_consistent(db, world)
    assert _event_keys(db) == {(account, event.id) for account, event in world.events
                               if event.checkout_form_id not in gone_five}

    monkeypatch.setattr(retention_module, "_delete_orders", real)
    prune(db, policy, now=NOW, batch_size=5)
    assert _order_ids(db) == world.kept_orders(CUTOFF_12)
    assert _event_keys(db) == world.kept_events(CUTOFF_12, None)
    _assert_consistent(db, world)


def test_stop_ends_a_prune_between_transactions(db: Database, world: World) -> None:
    answers = iter([False, False, True])
    policy = RetentionPolicy(keep_orders_months=12)
    report = prune(db, policy, now=NOW, batch_size=4, stop=lambda: next(answers))
    assert not report.complete
    assert report.orders == 8
    _assert_consistent(db, world)
    rest = prune(db, policy, now=NOW, batch_size=4)
    assert rest.complete
    assert report.orders + rest.orders == len(world.orders) - len(world.kept_orders(CUTOFF_12))
    assert _order_ids(db) == world.kept_orders(CUTOFF_12)


# -- sync runs --------------------------------------------------------------------------------


def _add_runs(db: Database, account: str, starts: list[datetime],
              outcome: str = "succeeded") -> None:
    with db.write() as connection:
        connection.execute(insert(sync_runs), [
            {"account_key": account, "kind": "incremental", "outcome": outcome,
             "started_at": to_ms(start), "finished_at": to_ms(start) + 1000,
             "duration_ms": 1000} for start in starts])


def _runs(db: Database) -> dict[str, list[int]]:
    """Each account's run start times, as days before NOW, newest first."""
    found: dict[str, list[int]] = {}
    with db.read() as connection:
        for row in connection.execute(select(sync_runs.c.account_key, sync_runs.c.started_at)
                                      .order_by(sync_runs.c.started_at.desc())):
            found.setdefault(row.account_key, []).append(
                (to_ms(NOW) - row.started_at) // 86_400_000)
    return found


def test_old_runs_go_but_each_account_keeps_its_latest(db: Database,
                                                       states: SyncStateRepository) -> None:
    daily = "production|1"  # synced daily for 150 days
    rare = "production|2"  # synced five times, long ago
    busy = "production|3"  # synced 120 times in the last ten days
    _add_runs(db, daily, [NOW - timedelta(days=d) for d in range(1, 151)])
    _add_runs(db, rare, [NOW - timedelta(days=200 + d) for d in range(5)])
    _add_runs(db, busy, [NOW - timedelta(days=10) + timedelta(minutes=m) for m in range(120)])
    _add_runs(db, daily, [NOW - timedelta(minutes=1)], outcome="running")

    report = prune(db, RetentionPolicy(), now=NOW, batch_size=7)

    runs = _runs(db)
    # The latest 100 (the running one and days 1-99) and beyond them the days within 90: none.
    assert runs[daily] == [0, *range(1, 100)]
    assert runs[rare] == [200, 201, 202, 203, 204]
    assert len(runs[busy]) == 120
    assert report.runs == 51
    assert states.runs(daily, limit=1)[0].outcome == "running"
    assert prune(db, RetentionPolicy(), now=NOW).runs == 0


def test_runs_by_days_only_when_the_latest_are_few(db: Database) -> None:
    _add_runs(db, ACCOUNT, [NOW - timedelta(days=d) for d in range(40)])
    prune(db, RetentionPolicy(keep_runs_days=30, keep_latest_runs=5), now=NOW)
    assert _runs(db)[ACCOUNT] == list(range(31))
    prune(db, RetentionPolicy(keep_runs_days=None, keep_latest_runs=1), now=NOW)
    assert len(_runs(db)[ACCOUNT]) == 31


# -- `allegro-desktop sync` -------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, shop: Shop) -> Path:
    """A data folder whose database holds an order bought today and one bought three years
    ago (the sync process prunes as of the real clock)."""
    folder = tmp_path / "data"
    today = datetime.now(UTC).replace(microsecond=0)
    forms = shop.form_copies(2)
    _bought(forms[0], today - timedelta(days=1))
    _bought(forms[1], today - timedelta(days=3 * 365))
    with Database.open(folder / "orders.sqlite3") as database:
        OrderRepository(database=database).apply_batch(
            account_key=ACCOUNT, orders=parse_all(forms), events=[], cursor=None)
    return folder


def _sync(data_dir: Path) -> subprocess.CompletedProcess[str]:
    from tests.helpers.processes import app_env

    return subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir",
                           str(data_dir), "sync"], capture_output=True, text=True, env=app_env(),
                          timeout=120, check=False)


def _stored_count(data_dir: Path) -> int:
    with Database.open(data_dir / "orders.sqlite3") as database:
        return OrderRepository(database=database).count_orders()


@pytest.mark.parametrize(("months", "left"), [(None, 2), (24, 1)])
def test_sync_prunes_per_the_setting(data_dir: Path, months: int | None, left: int) -> None:
    from allegro_desktop.config.settings import Settings

    Settings(data_dir / "config" / "settings.ini").retention_months = months
    result = _sync(data_dir)
    assert result.returncode == 0, result.stderr
    assert _stored_count(data_dir) == left
    assert ("1 order" in result.stdout) is (left == 1)


def test_sync_explains_an_unusable_setting_and_deletes_nothing(data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True, exist_ok=True)
    (data_dir / "config" / "settings.ini").write_text("[data]\nretention_months=6\n")
    result = _sync(data_dir)
    assert result.returncode == 0, result.stderr
    assert "12 months" in result.stderr
    assert _stored_count(data_dir) == 2


def test_the_setting_refuses_fewer_than_12_months(tmp_path: Path) -> None:
    from allegro_desktop.config.settings import Settings

    settings = Settings(tmp_path / "settings.ini")
    assert settings.retention_months is None
    with pytest.raises(ValueError, match="12"):
        settings.retention_months = 6
    settings.retention_months = 18
    assert Settings(tmp_path / "settings.ini").retention_months == 18
    settings.retention_months = None
    assert settings.retention_months is None


def test_unreadable_records_go_with_the_runs_age_and_a_form_is_kept_once(
        db: Database, repo: OrderRepository, clock: FakeClock) -> None:
    from allegro_desktop.domain.errors import Text
    from allegro_desktop.domain.unreadable import RecordKind, UnreadableReason
    from allegro_desktop.storage import PendingForm, UnreadableRecord

    def keep(kind: str, form_id: str | None, raw: Any) -> None:
        reason = UnreadableReason(kind=RecordKind(kind), record_id=None, field="id",
                                  problem=Text("is missing"))
        repo.apply_batch(account_key=ACCOUNT, orders=[], events=[], cursor=None,
                         pending=[PendingForm(form_id, "unreadable")] if kind == "form"
                         and form_id else [],
                         unreadable_records=[UnreadableRecord(reason=reason, raw=raw,
                                                              form_id=form_id)])

    clock.now = NOW - timedelta(days=120)
    keep("event", None, {"id": "x"})
    keep("form", "f-1", {"id": "f-1", "v": 1})
    clock.now = NOW - timedelta(days=1)
    keep("form", "f-1", {"id": "f-1", "v": 2})  # asked again, still unreadable: replaced
    keep("event", "f-2", {"id": "y"})
    records = repo.unreadable_records(ACCOUNT)
    assert [(r["kind"], r["checkout_form_id"]) for r in records] == [
        ("event", "f-2"), ("form", "f-1"), ("event", None)]
    assert '"v":2' in records[1]["raw"]

    report = prune(db, RetentionPolicy(), now=NOW)
    assert report.unreadable == 1
    assert [r["checkout_form_id"] for r in repo.unreadable_records(ACCOUNT)] == ["f-2", "f-1"]
    assert repo.pending_form_ids(ACCOUNT) == ["f-1"]  # still asked for: never pruned
