"""The sync lease between processes (`sync/lease.py`): one holder at a time, the others told
who holds it; a killed holder leaves nothing stuck. The other holder is always a real process."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from allegro_desktop.sync.lease import (
    LeaseError,
    LeaseHolder,
    LeaseOwner,
    ProfileBusyError,
    SyncLease,
)
from tests.helpers.lease_holder import LeaseHolderProcess


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "orders.sqlite3"


@pytest.fixture(autouse=True)
def _folder(database: Path) -> None:
    database.parent.mkdir()


def test_taken_and_let_go_with_its_owner_written_beside_it(database: Path) -> None:
    lease = SyncLease(database, holder=LeaseHolder.COMMAND)
    with lease.holding():
        assert lease.held
        owner = lease.owner()
        assert owner is not None
        assert (owner.program, owner.pid) == ("allegro-desktop sync", os.getpid())
    assert not lease.held
    assert lease.owner() is None  # gone before the lock: nobody is named who has left
    with lease.holding():  # and again
        assert lease.held


def test_a_second_process_finds_it_busy_and_is_told_who(database: Path) -> None:
    with LeaseHolderProcess(database, LeaseHolder.WINDOW) as holder:
        lease = SyncLease(database, holder=LeaseHolder.COMMAND)
        with pytest.raises(ProfileBusyError) as caught:
            lease.acquire()
        assert not lease.held
        assert caught.value.owner is not None
        assert caught.value.owner.pid == holder.pid
        assert caught.value.user_message == (
            f"The profile is busy: Allegro Desktop (pid {holder.pid}) is syncing it.")
        holder.release()
    lease.acquire()
    assert lease.held
    lease.release()


def test_a_killed_holder_leaves_nothing_stuck(database: Path) -> None:
    with LeaseHolderProcess(database, LeaseHolder.COMMAND) as holder:
        holder.kill()  # SIGKILL: it cleans nothing up
    stale = LeaseOwner.read(database.parent / "sync-owner.json")
    assert stale is not None
    assert stale.pid == holder.pid  # what it wrote is still there...
    lease = SyncLease(database, holder=LeaseHolder.WINDOW)
    lease.acquire()  # ...but the kernel let its lock go: no wait, no stale-lock guessing
    owner = lease.owner()
    assert owner is not None
    assert owner.pid == os.getpid()
    lease.release()


def test_waiting_gets_it_when_the_holder_lets_go(database: Path) -> None:
    lease = SyncLease(database, holder=LeaseHolder.COMMAND)
    failure: list[BaseException] = []

    def wait_for_it() -> None:
        try:
            lease.acquire(wait=120)
        except BaseException as exc:  # reported by the test
            failure.append(exc)

    with LeaseHolderProcess(database) as holder:
        waiter = threading.Thread(target=wait_for_it)
        waiter.start()
        holder.release()
        waiter.join(timeout=120)
    assert not failure
    assert lease.held
    lease.release()
    assert not lease.held


def test_waiting_gives_up_after_its_bound(database: Path) -> None:
    with LeaseHolderProcess(database) as holder:
        with pytest.raises(ProfileBusyError) as caught:
            SyncLease(database, holder=LeaseHolder.COMMAND).acquire(wait=0.5)
        assert caught.value.owner is not None
        assert caught.value.owner.pid == holder.pid
        holder.release()


def test_an_unreadable_owner_file_gives_the_general_message(database: Path) -> None:
    with LeaseHolderProcess(database) as holder:
        (database.parent / "sync-owner.json").write_text("{not json")  # rubbish in its place
        with pytest.raises(ProfileBusyError) as caught:
            SyncLease(database, holder=LeaseHolder.COMMAND).acquire()
        assert caught.value.owner is None
        assert caught.value.user_message == (
            "The profile is busy: another copy of Allegro Desktop is syncing it.")
        holder.release()


def test_a_folder_that_cannot_hold_the_lock_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    impossible = tmp_path / "a-file" / "orders.sqlite3"  # its "folder" is a file
    with pytest.raises(LeaseError) as caught:
        SyncLease(impossible, holder=LeaseHolder.COMMAND).acquire()
    assert "The sync lock" in caught.value.user_message
