"""Shared fixtures: a real emulator on a loopback port, and HTTP helpers to talk to it."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import hypothesis  # noqa: F401 - see below
import pytest

# Imported here, at start-up: otherwise hypothesis's pytest plugin imports it lazily in the
# terminal summary, where CPython 3.11.7's AST validator fails on pytest's assertion rewriting
# ("SystemError: AST constructor recursion depth mismatch") after a run with background threads.

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from allegro_desktop.emulator.core import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    Emulator,
    EmulatorConfig,
)
from allegro_desktop.emulator.runner import EmulatorServer

ACCEPT = "application/vnd.allegro.public.v1+json"
#: Where test emulators' clocks start: generated shops are then the same on every run, whatever
#: the time of day (a shop generated "now" may or may not hold, say, unpaid orders).
TEST_EPOCH = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def basic(client_id: str = DEMO_CLIENT_ID, secret: str = DEMO_CLIENT_SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@dataclass
class RunningEmulator:
    """An emulator served over real HTTP on 127.0.0.1, and ways to talk to it."""

    emulator: Emulator
    base_url: str
    http: httpx.Client

    def control(self, method: str, path: str, json: Any = None) -> Any:
        response = self.http.request(method, f"/__emulator__{path}", json=json)
        assert response.status_code < 300, response.text
        return response.json()

    def advance(self, seconds: float) -> None:
        self.control("POST", "/clock/advance", {"seconds": seconds})

    def start_device(self, **extra: str) -> dict[str, Any]:
        response = self.http.post("/auth/oauth/device", params={"client_id": DEMO_CLIENT_ID},
                                  data=extra or None, headers={"Authorization": basic()})
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def poll(self, device_code: str) -> httpx.Response:
        return self.http.post("/auth/oauth/token", headers={"Authorization": basic()},
                              data={"grant_type": DEVICE_GRANT, "device_code": device_code})

    def login(self, seller: str | None = None) -> dict[str, Any]:
        """A token pair for the seller, through the real device flow."""
        device = self.start_device()
        body = {"user_code": device["user_code"]} | ({"seller": seller} if seller else {})
        self.control("POST", "/device/approve", body)
        response = self.poll(device["device_code"])
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def refresh(self, refresh_token: str) -> httpx.Response:
        return self.http.post("/auth/oauth/token", headers={"Authorization": basic()},
                              data={"grant_type": "refresh_token",
                                    "refresh_token": refresh_token})

    def api(self, token: str, path: str, params: Any = None, *,
            accept: str = ACCEPT, **headers: str) -> httpx.Response:
        return self.http.get(path, params=params,
                             headers={"Authorization": f"Bearer {token}", "Accept": accept,
                                      **headers})


StartEmulator = Callable[..., RunningEmulator]


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
    """For a test that calls `configure_logging`: the root logger's handlers and level as
    they were before, once it ends (the handlers it added closed)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
