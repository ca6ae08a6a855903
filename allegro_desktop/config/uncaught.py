"""Exceptions nothing caught — in a Qt slot, on a thread — logged with their traceback, then
handed to whoever tells the seller (the window's error box, the command line's exit code).

Python's own hooks print the traceback on stderr, which a windowed app (a bundle started from
the desktop) does not have: an exception in a slot would be lost without a trace, and the app
would go on as if nothing happened. `UncaughtExceptions` replaces `sys.excepthook` (the GUI
thread's slots and event handlers, a `QThread`'s `run`) and `threading.excepthook` (Python's
threads) while it is installed.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Final

from allegro_desktop.services.redaction import redact

__all__ = ["UncaughtExceptions", "describe"]

log = logging.getLogger("allegro_desktop")

#: The longest description of an exception shown to the seller (the log has all of it).
_SHOWN_LENGTH: Final = 300

#: What is told of an uncaught exception after it is logged: the exception and where it
#: happened ("the main thread", "the thread allegro-webhook").
OnException = Callable[[BaseException, str], None]
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]


def describe(exc: BaseException) -> str:
    """One line for the seller: the exception's type and message, redacted and shortened."""
    message = " ".join(str(exc).split())
    text = redact(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)
    return text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH - 1] + "…"


class UncaughtExceptions:
    """From `install()` until `uninstall()` (which puts the earlier hooks back), an exception
    nothing caught is logged at CRITICAL with its traceback (redacted, as every record), then
    passed to `on_exception`. Ctrl+C (`KeyboardInterrupt`) goes to the earlier hook, and a
    thread ending with `SystemExit` is ignored, as Python does."""

    def __init__(self, on_exception: OnException) -> None:
        self._on_exception = on_exception
        self._previous: tuple[ExceptHook, ThreadHook] | None = None

    @property
    def installed(self) -> bool:
        return self._previous is not None

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._on_uncaught
            threading.excepthook = self._on_uncaught_in_thread

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _on_uncaught(self, exc_type: type[BaseException], exc: BaseException,
                     traceback: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous = self._previous[0] if self._previous is not None else sys.__excepthook__
            previous(exc_type, exc, traceback)
            return
        thread = threading.current_thread()
        where = ("the main thread" if thread is threading.main_thread()
                 else f"the thread {thread.name}")
        self._handle(exc, traceback, where)

    def _on_uncaught_in_thread(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        exc = (args.exc_value if args.exc_value is not None
               else RuntimeError(f"{args.exc_type.__name__} without a value"))
        where = f"the thread {args.thread.name}" if args.thread is not None else "a thread"
        self._handle(exc, args.exc_traceback, where)

    def _handle(self, exc: BaseException, traceback: TracebackType | None, where: str) -> None:
        log.critical("an unexpected error in %s (a bug)", where,
                     exc_info=(type(exc), exc, traceback))
        try:
            self._on_exception(exc, where)
        except Exception:  # telling it failed too: the log has both
            log.critical("the unexpected error could not be shown", exc_info=True)
