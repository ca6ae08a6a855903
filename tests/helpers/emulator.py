"""A real emulator of Allegro's API on a loopback port, as tests talk to it: `RunningEmulator`
(the emulator, its base URL, an HTTP client, and the device flow and API calls in a line each),
the `start_emulator` fixture's type, and the fixed moment test emulators' clocks start at."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from allegro_desktop.emulator.core import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Emulator

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
