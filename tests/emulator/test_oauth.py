"""The emulator's OAuth device flow and tokens, over real HTTP (ALLEGRO-API.md §3, §4)."""

from __future__ import annotations

import base64
import re

import orjson

from tests.helpers.emulator import DEVICE_GRANT, RunningEmulator, StartEmulator, basic
from tests.helpers.openapi_validation import assert_valid


def _jwt_payload(token: str) -> dict[str, object]:
    part = token.split(".")[1]
    data: dict[str, object] = orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return data


def test_device_authorization_answers_like_allegro(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    response = emu.http.post("/auth/oauth/device", params={"client_id": "allegro-desktop-demo"},
                             headers={"Authorization": basic()})
    assert_valid(response)
    body = response.json()
    assert re.fullmatch(r"[a-z0-9]{9}", body["user_code"])
    assert len(body["device_code"]) == 32
    assert body["expires_in"] == 3600
    assert body["interval"] == 5
    assert body["verification_uri"] == f"{emu.base_url}/skojarz-aplikacje"
    assert body["verification_uri_complete"] == (
        f"{emu.base_url}/skojarz-aplikacje?code={body['user_code']}")
    assert response.headers["trace-id"]


def test_device_rejects_bad_client_credentials(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    for headers in ({}, {"Authorization": basic(secret="wrong")},
                    {"Authorization": "Basic not-base64!"}, {"Authorization": "Bearer x"}):
        response = emu.http.post("/auth/oauth/device",
                                 params={"client_id": "allegro-desktop-demo"}, headers=headers)
        assert_valid(response)
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized", "error_description": "Unauthorized"}
    # client_id in the query naming another client than the Basic header: also 401
    response = emu.http.post("/auth/oauth/device", params={"client_id": "someone-else"},
                             headers={"Authorization": basic()})
    assert response.status_code == 401


def test_device_needs_client_id_but_takes_it_from_the_body_too(
        start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    missing = emu.http.post("/auth/oauth/device", headers={"Authorization": basic()})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    in_body = emu.http.post("/auth/oauth/device", data={"client_id": "allegro-desktop-demo"},
                            headers={"Authorization": basic()})
    assert in_body.status_code == 200


def test_web_type_app_gets_unauthorized_client(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    response = emu.http.post("/auth/oauth/device", params={"client_id": "allegro-desktop-web"},
                             headers={"Authorization": basic("allegro-desktop-web",
                                                             "web-secret")})
    assert_valid(response)
    assert response.status_code == 401
    [error] = response.json()
    assert error["code"] == "unauthorized_client"
    assert error["message"] == "Client does not have the device_code grant."


def test_polling_pending_slow_down_then_token_once(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    device = emu.start_device()
    first = emu.poll(device["device_code"])
    assert_valid(first)
    assert first.status_code == 400
    assert first.json() == {"error": "authorization_pending",
                            "error_description": "User has not authorized the device code yet."}
    too_fast = emu.poll(device["device_code"])
    assert_valid(too_fast)
    assert too_fast.json() == {"error": "slow_down"}
    emu.advance(5)
    assert emu.poll(device["device_code"]).json()["error"] == "authorization_pending"

    emu.control("POST", "/device/approve", {"user_code": device["user_code"]})
    emu.advance(5)
    token = emu.poll(device["device_code"])
    assert_valid(token)
    assert token.status_code == 200
    pair = token.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 43199
    assert pair["access_token"] != pair["refresh_token"]
    claims = _jwt_payload(pair["access_token"])
    assert claims["user_name"] == emu.emulator.default_seller_id
    assert claims["client_id"] == "allegro-desktop-demo"

    emu.advance(5)
    again = emu.poll(device["device_code"])  # a device code yields a token only once
    assert_valid(again)
    assert again.json() == {"error": "invalid_request", "error_description": "Invalid device code"}


def test_denied_unknown_and_expired_codes(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    denied = emu.start_device()
    emu.control("POST", "/device/deny", {"user_code": denied["user_code"]})
    response = emu.poll(denied["device_code"])
    assert_valid(response)
    assert response.json() == {"error": "access_denied"}

    unknown = emu.poll("0" * 32)
    assert unknown.json() == {"error": "invalid_request",
                              "error_description": "Invalid device code"}

    expiring = emu.start_device()
    assert any(d["user_code"] == expiring["user_code"]
               for d in emu.control("GET", "/device"))
    emu.advance(3601)
    assert emu.control("GET", "/device") == []
    assert emu.poll(expiring["device_code"]).json()["error_description"] == "Invalid device code"
    late = emu.http.post("/__emulator__/device/approve",
                         json={"user_code": expiring["user_code"]})
    assert late.status_code == 404


def test_token_endpoint_grant_types(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    device = emu.start_device()
    emu.control("POST", "/device/approve", {"user_code": device["user_code"]})
    # Double-encoded grant_type, the bug of Allegro's own sample ([#5613]).
    double = emu.http.post(
        "/auth/oauth/token", headers={"Authorization": basic(),
                                      "Content-Type": "application/x-www-form-urlencoded"},
        content="grant_type=urn%253Aietf%253Aparams%253Aoauth%253Agrant-type%253Adevice_code"
                f"&device_code={device['device_code']}")
    assert_valid(double)
    assert double.json() == {"error": "unsupported_grant_type",
                             "error_description": "Unsupported grant type"}
    # The emulator still takes them in the query string, as Allegro did until 2025-08-23
    # (ALLEGRO-API.md §3.4, [#2429]).
    query = emu.http.post("/auth/oauth/token", headers={"Authorization": basic()},
                          params={"grant_type": DEVICE_GRANT,
                                  "device_code": device["device_code"]})
    assert query.status_code == 200
    no_basic = emu.http.post("/auth/oauth/token", data={"grant_type": "refresh_token",
                                                        "refresh_token": "x"})
    assert no_basic.status_code == 401


def test_refresh_rotates_with_a_60_second_grace(start_emulator: StartEmulator) -> None:
    emu = start_emulator(orders=5)
    first = emu.login()
    assert emu.api(first["access_token"], "/me").status_code == 200

    rotated = emu.refresh(first["refresh_token"])
    assert_valid(rotated)
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    # A new pair kills the previous access token ([#6607], [#10619]).
    old = emu.api(first["access_token"], "/me")
    assert_valid(old)
    assert old.status_code == 401
    assert old.json()["error"] == "invalid_token"
    assert old.json()["error_description"].startswith("Access token expired")
    assert emu.api(second["access_token"], "/me").status_code == 200

    # The used refresh token still works within 60 s — and that kills `second`'s access token.
    emu.advance(59)
    third = emu.refresh(first["refresh_token"]).json()
    assert emu.api(second["access_token"], "/me").status_code == 401
    assert emu.api(third["access_token"], "/me").status_code == 200

    emu.advance(2)
    stale = emu.refresh(first["refresh_token"])
    assert_valid(stale)
    assert stale.status_code == 400
    assert stale.json() == {"error": "invalid_grant",
                            "error_description": f"Invalid refresh token: {first['refresh_token']}"}
    # Refresh tokens issued later are unaffected.
    assert emu.refresh(third["refresh_token"]).status_code == 200


def test_access_tokens_expire(start_emulator: StartEmulator) -> None:
    emu = start_emulator(access_ttl=120)
    pair = emu.login()
    assert pair["expires_in"] == 119
    assert emu.api(pair["access_token"], "/me").status_code == 200
    emu.advance(121)
    expired = emu.api(pair["access_token"], "/me")
    assert expired.status_code == 401
    assert expired.json()["error_description"] == f"Access token expired: {pair['access_token']}"
    assert emu.refresh(pair["refresh_token"]).status_code == 200

    # Control API: shorter lifetimes for tokens issued from now on, and expiry on demand.
    emu.control("POST", "/tokens/ttl", {"access_ttl": 10})
    short = emu.login()
    assert short["expires_in"] == 9
    assert emu.control("POST", "/tokens/expire", {})["expired"] >= 1
    assert emu.api(short["access_token"], "/me").status_code == 401


def test_revoked_access_gives_invalid_grant(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    pair = emu.login()
    assert emu.control("POST", "/tokens/revoke", {})["revoked"] == 1
    assert emu.api(pair["access_token"], "/me").status_code == 401
    assert emu.refresh(pair["refresh_token"]).json()["error"] == "invalid_grant"


def test_twenty_first_session_ends_the_first(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    pairs = [emu.login() for _ in range(21)]
    assert emu.api(pairs[0]["access_token"], "/me").status_code == 401
    assert emu.refresh(pairs[0]["refresh_token"]).json()["error"] == "invalid_grant"
    assert emu.api(pairs[1]["access_token"], "/me").status_code == 200


def test_garbage_and_missing_bearer_tokens(start_emulator: StartEmulator) -> None:
    emu = start_emulator()
    garbage = emu.api("not-a-token", "/me")
    assert_valid(garbage)
    assert garbage.json() == {"error": "invalid_token",
                              "error_description": "Cannot convert access token to JSON"}
    missing = emu.http.get("/me", headers={"Accept": "application/vnd.allegro.public.v1+json"})
    assert_valid(missing)
    assert missing.status_code == 401
    assert missing.json()["error"] == "unauthorized"


def test_consent_page_allow_and_deny(start_emulator: StartEmulator) -> None:
    emu = start_emulator(sellers=2)
    device = emu.start_device()
    page = emu.http.get(device["verification_uri_complete"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    code = device["user_code"].upper()
    assert f"{code[:3]} {code[3:6]} {code[6:]}" in page.text
    assert "Pozwól" in page.text
    assert "Odmów" in page.text
    second_seller = list(emu.emulator.store.sellers)[1]
    assert second_seller in page.text  # several accounts: the page offers a choice
    allowed = emu.http.post("/skojarz-aplikacje", data={
        "code": device["user_code"], "decision": "allow", "seller": second_seller})
    assert "Udało się" in allowed.text
    pair = emu.poll(device["device_code"]).json()
    me = emu.api(pair["access_token"], "/me").json()
    assert me["id"] == second_seller

    empty = emu.http.get("/skojarz-aplikacje")
    assert "Wpisz kod" in empty.text
    bad = emu.http.get("/skojarz-aplikacje", params={"code": "zzzzzzzzz"})
    assert "nieprawidłowy" in bad.text

    denied = emu.start_device()
    emu.http.post("/skojarz-aplikacje", data={"code": denied["user_code"], "decision": "deny"})
    assert emu.poll(denied["device_code"]).json() == {"error": "access_denied"}


def test_scope_request_narrows_the_token(start_emulator: StartEmulator) -> None:
    emu: RunningEmulator = start_emulator(orders=3)
    device = emu.start_device(scope="allegro:api:orders:read")
    emu.control("POST", "/device/approve", {"user_code": device["user_code"]})
    pair = emu.poll(device["device_code"]).json()
    assert pair["scope"] == "allegro:api:orders:read"
    assert emu.api(pair["access_token"], "/order/event-stats").status_code == 200
    forbidden = emu.api(pair["access_token"], "/me")
    assert_valid(forbidden)
    assert forbidden.status_code == 403
