"""Injected faults and the rate limit (ALLEGRO-API.md §6)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.helpers.emulator import StartEmulator
from tests.helpers.openapi_validation import assert_valid


def test_scripted_faults_in_order(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["500", "502", "503", "ok", "429"]})
    statuses = [emu.api(token, "/me").status_code for _ in range(5)]
    assert statuses == [500, 502, 503, 200, 429]
    assert emu.control("GET", "/faults")["script"] == []


def test_fault_bodies(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["500", "502", "429"]})
    server_error = emu.api(token, "/order/event-stats")
    assert server_error.json()["errors"][0]["code"] == "InternalServerErrorException"
    gateway = emu.api(token, "/order/event-stats")
    assert gateway.headers["content-type"].startswith("text/html")  # not JSON: cope with it
    assert gateway.headers["trace-id"]
    limited = emu.api(token, "/order/checkout-forms")
    assert_valid(limited, allow_undocumented_status=True)
    assert limited.json()["errors"][0]["code"] == "TooManyRequestsException"
    assert "Retry-After" not in limited.headers  # Allegro documents none (ALLEGRO-API.md §6.4)


def test_dropped_connection(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["drop"]})
    with pytest.raises(httpx.TransportError):
        emu.api(token, "/me")
    assert emu.api(token, "/me").status_code == 200  # the next request is fine


def test_truncated_body(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=30)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["truncate"]})
    with pytest.raises(httpx.RemoteProtocolError):
        emu.api(token, "/order/checkout-forms")
    assert emu.api(token, "/order/checkout-forms").status_code == 200


def test_answer_slower_than_the_client_timeout(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["slow"], "slow_seconds": 5})
    with httpx.Client(base_url=emu.base_url, timeout=0.3) as impatient, \
            pytest.raises(httpx.ReadTimeout):
        impatient.get("/me", headers={"Authorization": f"Bearer {token}",
                                      "Accept": "application/vnd.allegro.public.v1+json"})


def test_latency_is_added(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"latency_ms": 150, "jitter_ms": 50})
    started = time.monotonic()
    assert emu.api(token, "/me").status_code == 200
    assert time.monotonic() - started >= 0.15  # a lower bound: the switch works
    # the control API is never slowed down or broken
    emu.control("POST", "/faults", {"error_rate": 1.0, "latency_ms": 0, "jitter_ms": 0})
    assert emu.http.get("/__emulator__/clock").status_code == 200


def test_fault_shares_and_path_filter(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"error_rate": 0.5, "paths": ["/order/"]})
    statuses = [emu.api(token, "/order/event-stats").status_code for _ in range(60)]
    assert set(statuses) >= {200}
    assert set(statuses) - {200} <= {500, 502, 503}
    assert 10 <= statuses.count(200) <= 50
    assert all(emu.api(token, "/me").status_code == 200 for _ in range(10))  # not filtered in
    emu.http.delete("/__emulator__/faults")
    assert all(emu.api(token, "/order/event-stats").status_code == 200 for _ in range(10))


def test_bad_fault_settings_are_refused(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    for body in ({"error_rate": 2}, {"script": ["explode"]}, {"latency": 5}):
        assert emu.http.post("/__emulator__/faults", json=body).status_code == 400


def test_rate_limit_block_grows_while_the_client_keeps_calling(
        start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3, rate_per_minute=5)
    token = emu.login()["access_token"]
    assert [emu.api(token, "/me").status_code for _ in range(5)] == [200] * 5
    blocked = emu.api(token, "/me")
    assert blocked.status_code == 429
    assert blocked.json()["errors"][0]["code"] == "TooManyRequestsException"
    state = emu.control("GET", "/ratelimit")["clients"]["allegro-desktop-demo"]
    assert 59 <= state["blocked_for"] <= 60
    for _ in range(4):  # hammering during the block makes it longer ([#3454])
        assert emu.api(token, "/me").status_code == 429
    state = emu.control("GET", "/ratelimit")["clients"]["allegro-desktop-demo"]
    assert state["blocked_for"] >= 79
    emu.advance(61)
    assert emu.api(token, "/me").status_code == 429  # a one-minute pause is not enough now
    emu.advance(40)
    assert emu.api(token, "/me").status_code == 200


def test_rate_limit_is_per_client_and_window_slides(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3, rate_per_minute=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/clients", {"client_id": "other-app", "client_secret": "s",
                                     "type": "device"})
    for _ in range(3):
        assert emu.api(token, "/me").status_code == 200
    emu.advance(61)  # the window slides: old requests no longer count
    for _ in range(3):
        assert emu.api(token, "/me").status_code == 200
    assert emu.api(token, "/me").status_code == 429
    emu.control("POST", "/ratelimit", {"per_minute": 9000})
    assert emu.api(token, "/me").status_code == 200


def test_an_injected_429_starts_a_real_block(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=3)
    token = emu.login()["access_token"]
    emu.control("POST", "/faults", {"script": ["429"]})
    assert emu.api(token, "/me").status_code == 429
    assert emu.api(token, "/me").status_code == 429  # retrying at once meets the block
    emu.advance(120)
    assert emu.api(token, "/me").status_code == 200
