"""What the benchmarks share: an emulator running as its own process (as other tools use it),
and an access token for it through the real device flow, approved via the control API."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from typing import Any

import httpx

CLIENT = ("allegro-desktop-demo", "demo-secret")


def _basic() -> str:
    return "Basic " + base64.b64encode(":".join(CLIENT).encode()).decode()


def start_emulator(orders: int, *extra: str) -> tuple[subprocess.Popen[str], str, float]:
    """(process, base URL, seconds it took to start) of `allegro-desktop emulator` serving
    `orders` orders with no rate limit; `extra` are more of its switches."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "--log-level", "WARNING", "emulator",
         "--port", "0", "--orders", str(orders), "--rate-limit", str(10**9), *extra],
        stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    if not base_url.startswith("http"):
        process.kill()
        raise SystemExit("the emulator did not start")
    return process, base_url, time.perf_counter() - started


def device_token(http: httpx.Client) -> str:
    """An access token through the device flow (approved through the control API)."""
    token: str = device_tokens(http)["access_token"]
    return token


def device_tokens(http: httpx.Client) -> dict[str, Any]:
    """The token answer (access and refresh token, expiry, scope) of the device flow, approved
    through the control API."""
    device = http.post("/auth/oauth/device", params={"client_id": CLIENT[0]},
                       headers={"Authorization": _basic()}).json()
    http.post("/__emulator__/device/approve", json={"user_code": device["user_code"]})
    pair: dict[str, Any] = http.post(
        "/auth/oauth/token", headers={"Authorization": _basic()}, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": device["device_code"]}).json()
    return pair
