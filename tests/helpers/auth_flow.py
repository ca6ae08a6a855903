"""The auth tests' pieces: the emulator's clock as the code under test's `clock` and `sleep`
(`EmulatorTime`: a 5 s polling interval costs no real time), token pairs made up or through the
emulator's real device flow, and the emulator's OAuth counters."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from allegro_desktop.api.models import TokenPair
from allegro_desktop.api.oauth import parse_token_pair
from tests.helpers.emulator import RunningEmulator


@dataclass
class EmulatorTime:
    """The emulator's clock, as `clock` and `sleep` for the code under test.

    `sleep(s)` advances the emulator's clock by `s` (through its control API, from a worker
    thread so the loop keeps running) and returns at once; `sleeps` records every request.
    `skew` maps a requested sleep to the seconds actually advanced: a clock running fast.
    """

    emu: RunningEmulator
    sleeps: list[float] = field(default_factory=list)
    skew: Callable[[int, float], float] | None = None
    before_return: Callable[[int], Awaitable[None]] | None = None

    def clock(self) -> float:
        return self.emu.emulator.clock.time()

    async def sleep(self, seconds: float) -> None:
        index = len(self.sleeps)
        self.sleeps.append(seconds)
        advance = self.skew(index, seconds) if self.skew else seconds
        await asyncio.to_thread(self.emu.advance, advance)
        if self.before_return is not None:
            await self.before_return(index)


def a_pair(length: int = 40, tag: str = "a") -> TokenPair:
    """A made-up pair (for the store's own tests: no server involved)."""
    return TokenPair(access_token="A" * length + tag, refresh_token="R" * length + tag,
                     access_expires_at=1_800_000_000.5, refresh_expires_at=1_807_776_000.0,
                     scope="allegro:api:orders:read allegro:api:profile:read")


def stats(emu: RunningEmulator) -> dict[str, int]:
    """The emulator's OAuth counters (device_polls, refreshes, pairs_issued, ...)."""
    counters: dict[str, int] = emu.control("GET", "/stats")["oauth"]
    return counters


def login_pair(emu: RunningEmulator, etime: EmulatorTime) -> TokenPair:
    """A token pair of the first seller, through the emulator's real device flow."""
    return parse_token_pair(emu.login(), now=etime.clock())


def pending_user_code(emu: RunningEmulator) -> str:
    (device,) = emu.control("GET", "/device")
    code: str = device["user_code"]
    return code


def approve_first_pending(emu: RunningEmulator, seller: str | None = None
                          ) -> Callable[[int], Awaitable[None]]:
    """A `before_return` hook for `EmulatorTime`: the seller approves the first pending code
    (as `seller`, else the emulator's first) once the flow's first wait is over."""
    async def hook(index: int) -> None:
        if index == 0:
            (device,) = await asyncio.to_thread(emu.control, "GET", "/device")
            body = {"user_code": device["user_code"]} | ({"seller": seller} if seller else {})
            await asyncio.to_thread(emu.control, "POST", "/device/approve", body)

    return hook
