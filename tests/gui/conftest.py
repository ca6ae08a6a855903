"""Fixtures of the GUI tests: the background asyncio bridge, and an emulator that answers the
device flow with a 1-second polling interval (so a whole login takes a second or two)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from allegro_desktop.ui.async_bridge import AsyncBridge
from tests.conftest import RunningEmulator, StartEmulator


@pytest.fixture
def bridge() -> Iterator[AsyncBridge]:
    bridge = AsyncBridge()
    yield bridge
    bridge.shutdown()


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator(device_interval=1, orders=0)
