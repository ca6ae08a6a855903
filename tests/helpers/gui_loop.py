"""Running a test's own coroutine on the GUI thread's asyncio loop (`gui_loop`, qasync)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

T = TypeVar("T")


def run_on(loop: asyncio.AbstractEventLoop, qtbot: QtBot, coroutine: Coroutine[Any, Any, T],
           ) -> T:
    """Run `coroutine` on the GUI loop (`gui_loop`) until it ends, Qt's event loop running;
    its result (or its error, raised here)."""
    task = loop.create_task(coroutine)
    qtbot.waitUntil(task.done)
    return task.result()
