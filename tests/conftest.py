"""Shared fixtures: real emulators on loopback ports (`tests/helpers/emulator.py` says how to
talk to them), and the logging set-up put back after a test; Ctrl+C as a terminal has it."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis  # noqa: F401 - see below
import pytest

# Imported here, at start-up: otherwise hypothesis's pytest plugin imports it lazily in the
# terminal summary, where CPython 3.11.7's AST validator fails on pytest's assertion rewriting
# ("SystemError: AST constructor recursion depth mismatch") after a run with background threads.

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from allegro_desktop.domain.safe_text import storable_text
from allegro_desktop.emulator.core import Emulator, EmulatorConfig
from allegro_desktop.emulator.runner import EmulatorServer
from tests.helpers.emulator import TEST_EPOCH, RunningEmulator, StartEmulator


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl+C as a terminal delivers it. A suite started in the background by a shell without
    job control (`./.ci/run &` in a script) inherits SIGINT ignored — such a shell ignores it
    for background commands —, and so would every app process a test starts: the tests of
    Ctrl+C would then find a command that cannot be interrupted, whatever the app does. The
    test process takes Python's own handler back; its children start with the default."""
    if os.name == "posix" and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def start_emulator() -> Iterator[StartEmulator]:
    """Start emulators with the given `EmulatorConfig` fields; all stop after the test."""
    started: list[tuple[EmulatorServer, httpx.Client]] = []

    def start(**config: Any) -> RunningEmulator:
        config.setdefault("orders", 0)
        config.setdefault("now", TEST_EPOCH)
        emulator = Emulator(EmulatorConfig(**config))
        server = EmulatorServer(emulator)
        base_url = server.start()
        http = httpx.Client(base_url=base_url, timeout=10)
        started.append((server, http))
        return RunningEmulator(emulator, base_url, http)

    yield start
    for server, http in started:
        http.close()
        server.stop()


@pytest.fixture(scope="module")
def shop() -> Iterator[RunningEmulator]:
    """A read-mostly emulator with 600 orders of history, shared by a module's tests."""
    emulator = Emulator(EmulatorConfig(orders=600, seed=7, now=TEST_EPOCH))
    with EmulatorServer(emulator) as server, httpx.Client(base_url=server.base_url,
                                                           timeout=10) as http:
        yield RunningEmulator(emulator, server.base_url, http)


@pytest.fixture(scope="module")
def shop_token(shop: RunningEmulator) -> str:
    token: str = shop.login()["access_token"]
    return token


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """For a test that calls `configure_logging`: the root logger's handlers and level, and
    the levels it sets on the libraries' loggers, as they were before, once it ends (the
    handlers it added closed)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    libraries = {name: logging.getLogger(name).level
                 for name in ("httpx", "httpcore", "alembic", "alembic.runtime.plugins")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:  # and those it replaced (`log_to_file`) put back
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    for name, was in libraries.items():
        logging.getLogger(name).setLevel(was)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test's captured output and log as text any process can be sent: the hostile tests
    log what Allegro sent, lone surrogates included, and pytest-xdist's workers could not
    pass such a report on (the run would stop with an internal error)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    report.sections = [(title, storable_text(text)) for title, text in report.sections]
