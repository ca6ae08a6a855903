"""The process-wide request governor: token-bucket spacing and the 429 pause
(ALLEGRO-API.md §6.1, §6.3).

Pure unit tests: an injected clock and sleep, so the waits are asserted as the numbers the
governor asks for, never measured.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from allegro_desktop.api.errors import RateLimitedError
from allegro_desktop.api.ratelimit import RequestGovernor
from tests.helpers.api_stack import T0, FakeClock, RecordingSleep


def _governor(per_minute: int = 5, burst: int | None = 5) -> tuple[RequestGovernor, FakeClock,
                                                                   RecordingSleep]:
    clock = FakeClock()
    sleep = RecordingSleep(clock)
    return RequestGovernor(per_minute=per_minute, burst=burst, clock=clock, sleep=sleep), \
        clock, sleep


async def test_five_a_minute_lets_five_through_and_the_sixth_waits() -> None:
    governor, _clock, sleep = _governor()
    for _ in range(5):
        await governor.acquire("app")
    assert sleep.calls == []
    await governor.acquire("app")
    assert sleep.calls == [pytest.approx(12.0)]  # one token every 60/5 s
    await governor.acquire("app")
    assert sleep.calls == [pytest.approx(12.0), pytest.approx(12.0)]


async def test_queued_waiters_get_consecutive_turns() -> None:
    """Waiters that arrive together sleep once each, for their own turn, not in a herd."""
    clock = FakeClock()
    waits: list[float] = []

    async def record(seconds: float) -> None:  # the clock stands still: all arrive at once
        waits.append(seconds)

    governor = RequestGovernor(per_minute=60, burst=2, clock=clock, sleep=record)
    await asyncio.gather(*(governor.acquire("app") for _ in range(5)))
    assert sorted(waits) == pytest.approx([1.0, 2.0, 3.0])


async def test_the_bucket_refills_up_to_its_burst() -> None:
    governor, clock, sleep = _governor()
    for _ in range(5):
        await governor.acquire("app")
    clock.advance(3600)  # an idle hour refills 5, not 300
    for _ in range(5):
        await governor.acquire("app")
    assert sleep.calls == []
    await governor.acquire("app")
    assert sleep.calls == [pytest.approx(12.0)]


async def test_client_ids_have_their_own_buckets() -> None:
    governor, _clock, sleep = _governor(burst=1)
    await governor.acquire("production-app")
    await governor.acquire("sandbox-app")
    assert sleep.calls == []


def test_default_burst_is_one_seconds_worth() -> None:
    assert RequestGovernor().burst == 150  # 9000 a minute
    assert RequestGovernor(per_minute=30).burst == 1
    with pytest.raises(ValueError, match="per_minute"):
        RequestGovernor(per_minute=0)


async def test_a_pause_refuses_at_once_without_waiting() -> None:
    governor, clock, sleep = _governor()
    until = governor.pause("app", 60)
    assert until == T0 + 60
    assert governor.paused_until("app") == T0 + 60
    with pytest.raises(RateLimitedError) as caught:
        await governor.acquire("app")
    assert caught.value.retry_at == T0 + 60
    assert sleep.calls == []  # refused, not queued
    await governor.acquire("other-app")  # other client ids are not affected

    clock.advance(59.9)
    with pytest.raises(RateLimitedError):
        await governor.acquire("app")
    clock.advance(0.1)
    assert governor.paused_until("app") is None
    await governor.acquire("app")


async def test_a_shorter_pause_does_not_cut_a_longer_one() -> None:
    governor, _clock, _sleep = _governor()
    governor.pause("app", 90)
    governor.pause("app", 10)
    assert governor.paused_until("app") == T0 + 90


async def test_a_pause_that_starts_while_waiting_for_a_token_refuses_the_waiter() -> None:
    clock = FakeClock()
    governor: RequestGovernor

    async def sleep_while_another_request_gets_429(seconds: float) -> None:
        clock.advance(seconds)
        governor.pause("app", 60)

    governor = RequestGovernor(per_minute=60, burst=1, clock=clock,
                               sleep=sleep_while_another_request_gets_429)
    await governor.acquire("app")
    with pytest.raises(RateLimitedError):
        await governor.acquire("app")


async def test_a_cancelled_waiter_gives_its_token_back() -> None:
    clock = FakeClock()
    blocked = asyncio.Event()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        blocked.set()
        await asyncio.Event().wait()  # until cancelled

    governor = RequestGovernor(per_minute=60, burst=1, clock=clock, sleep=sleep)
    await governor.acquire("app")
    waiter = asyncio.create_task(governor.acquire("app"))
    await blocked.wait()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    clock.advance(1.0)  # one token's worth: it is there, the cancelled one did not keep it
    waits.clear()
    task = asyncio.create_task(governor.acquire("app"))
    await asyncio.sleep(0)
    assert task.done()
    assert waits == []


def test_one_governor_is_shared_by_threads_with_their_own_event_loops() -> None:
    """The sync thread and the GUI thread each run a loop; the budget is one."""
    clock = FakeClock()  # stands still: only the burst goes through without waiting
    waits: list[float] = []
    lock = threading.Lock()

    async def record(seconds: float) -> None:
        with lock:
            waits.append(seconds)

    governor = RequestGovernor(per_minute=600, burst=10, clock=clock, sleep=record)

    async def five() -> None:
        for _ in range(5):
            await governor.acquire("app")

    threads = [threading.Thread(target=asyncio.run, args=(five(),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 20 requests, a burst of 10: exactly 10 waited, each for its own 0.1 s slot.
    assert sorted(waits) == pytest.approx([0.1 * k for k in range(1, 11)])
