"""One account's sync as the window and the command run it (`sync/account_sync.py`, `AccountSync`):
under the profile's sync lease, against the emulator, into a real SQLite file. The other holder
of the lease is a real process."""

from __future__ import annotations

import pytest

from allegro_desktop.sync import AccountSync
from allegro_desktop.sync.lease import LeaseHolder, ProfileBusyError, SyncLease
from tests.helpers.lease_holder import LeaseHolderProcess
from tests.helpers.synced_shop import FAST_RETRY, MakeShop, Shop


def _account_sync(shop: Shop, lease: SyncLease) -> AccountSync:
    return AccountSync(shop.services, shop.database, settings=shop.settings, clock=shop.now,
                       retry=FAST_RETRY, lease=lease)


async def test_a_run_holds_the_lease_and_lets_it_go(make_shop: MakeShop) -> None:
    shop = make_shop(orders=40, seed=21)
    lease = SyncLease(shop.database.path, holder=LeaseHolder.WINDOW)
    held_when_started: list[bool] = []
    result = await _account_sync(shop, lease).run(
        shop.account, started=lambda: held_when_started.append(lease.held))
    assert held_when_started == [True]
    assert not lease.held
    assert result.report.succeeded, result.report.error
    assert (result.problem, result.message) == (None, None)
    shop.assert_in_sync()


async def test_a_lease_the_caller_holds_stays_held(make_shop: MakeShop) -> None:
    """`allegro-desktop sync` holds the lease for its whole round (and what follows it)."""
    shop = make_shop(orders=20, seed=22)
    lease = SyncLease(shop.database.path, holder=LeaseHolder.COMMAND)
    with lease.holding():
        result = await _account_sync(shop, lease).run(shop.account)
        assert lease.held
    assert result.report.succeeded, result.report.error


async def test_another_process_holding_the_lease_keeps_the_run_from_starting(
        make_shop: MakeShop) -> None:
    shop = make_shop(orders=20, seed=23)
    lease = SyncLease(shop.database.path, holder=LeaseHolder.WINDOW)
    started: list[bool] = []
    with LeaseHolderProcess(shop.database.path, LeaseHolder.COMMAND) as holder:
        with pytest.raises(ProfileBusyError) as busy:
            await _account_sync(shop, lease).run(shop.account,
                                                 started=lambda: started.append(True))
        assert busy.value.owner is not None
        assert busy.value.owner.pid == holder.pid
        holder.release()
    assert started == []
    assert not lease.held
    assert shop.state.runs(shop.account.key) == []  # nothing ran, nothing recorded
