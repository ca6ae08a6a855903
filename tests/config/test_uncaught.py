"""`config/uncaught.py`: what nothing caught is logged and handed on; what Python itself treats
as no error (a thread's SystemExit) or as the user's (Ctrl+C) is left as Python leaves it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

import pytest

from allegro_desktop.config.uncaught import UncaughtExceptions, describe


def _run_thread(target: Callable[[], object]) -> None:
    thread = threading.Thread(target=target, name="allegro-test")
    thread.start()
    thread.join()


def test_a_thread_s_exception_is_logged_and_handed_on(caplog: pytest.LogCaptureFixture) -> None:
    told: list[tuple[str, str]] = []
    hooks = UncaughtExceptions(lambda exc, where: told.append((describe(exc), where)))

    def fail() -> None:
        raise ValueError("a bug")

    def leave() -> None:
        sys.exit(3)

    earlier = threading.excepthook
    hooks.install()
    try:
        _run_thread(fail)
        _run_thread(leave)  # SystemExit ends a thread quietly, as in Python
    finally:
        hooks.uninstall()
    assert threading.excepthook is earlier
    assert told == [("ValueError: a bug", "the thread allegro-test")]
    [record] = caplog.records
    assert record.levelname == "CRITICAL"
    assert record.getMessage() == "an unexpected error in the thread allegro-test (a bug)"
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError


def test_ctrl_c_goes_to_the_earlier_hook() -> None:
    seen: list[type[BaseException]] = []

    def earlier(kind: type[BaseException], _exc: BaseException,
                _tb: TracebackType | None) -> None:
        seen.append(kind)

    told: list[BaseException] = []
    hooks = UncaughtExceptions(lambda exc, _where: told.append(exc))
    saved = sys.excepthook
    sys.excepthook = earlier
    try:
        hooks.install()
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
        hooks.uninstall()
        assert sys.excepthook is earlier
    finally:
        sys.excepthook = saved
    assert seen == [KeyboardInterrupt]
    assert told == []


def test_the_description_is_one_short_line_without_secrets() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyX25hbWUiOiI0ODIxMzM3NyJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
    text = describe(RuntimeError(f"refused\n  Bearer {token}"))
    assert text.startswith("RuntimeError: refused Bearer ")
    assert token not in text
    assert describe(KeyError()) == "KeyError"
    long = describe(ValueError("no such order " * 100))
    assert len(long) == 300
    assert long.endswith("…")
