"""Allegro's OAuth as a device-type app sees it: device codes, tokens, rotation
(ALLEGRO-API.md §3, §4).

What is imitated, because it is what breaks integrations (ALLEGRO-API.md §3.6, §4.2-§4.5, §15):
- a device code yields a token once; used, unknown and expired codes are "Invalid device code";
- polling faster than `interval` answers `slow_down`;
- refresh tokens rotate: the used one keeps working for 60 s, then `invalid_grant`;
- every new pair invalidates the previous access token of that session;
- at most 20 sessions per user: the 21st pair kills the oldest session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from allegro_desktop.emulator.clock import Clock

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
REFRESH_GRACE_SECONDS = 60.0
REFRESH_TTL_SECONDS = 90 * 86400.0
MAX_SESSIONS_PER_USER = 20
DEFAULT_SCOPES = (
    "allegro:api:orders:read",
    "allegro:api:orders:write",
    "allegro:api:profile:read",
)
_USER_CODE_ALPHABET = string.ascii_lowercase + string.digits


class OAuthError(Exception):
    """An OAuth answer other than 200: `status` and the JSON body Allegro sends."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status} {body!r}")
        self.status = status
        self.body = body


def _error(status: int, error: str, description: str | None = None) -> OAuthError:
    body: dict[str, str] = {"error": error}
    if description is not None:
        body["error_description"] = description
    return OAuthError(status, body)


UNAUTHORIZED = {"error": "Unauthorized", "error_description": "Unauthorized"}


@dataclass
class Client:
    client_id: str
    client_secret: str
    type: str = "device"  # "device" or "web" (a web app has no device_code grant)
    scopes: tuple[str, ...] = DEFAULT_SCOPES


@dataclass
class DeviceAuthorization:
    device_code: str
    user_code: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float
    interval: int
    state: str = "pending"  # pending | approved | denied | used
    seller_id: str | None = None
    last_poll: float | None = None

    def to_json(self, verification_uri: str) -> dict[str, Any]:
        return {
            "user_code": self.user_code,
            "client_id": self.client_id,
            "expires_at": self.expires_at,
            "state": self.state,
            "verification_uri_complete": f"{verification_uri}?code={self.user_code}",
        }


@dataclass
class Session:
    """One access+refresh pair lineage: what Allegro counts toward the 20-session limit."""

    id: str
    client_id: str
    seller_id: str
    scopes: tuple[str, ...]
    access_token: str = ""
    alive: bool = True


@dataclass
class AccessToken:
    session: Session
    expires_at: float


@dataclass
class RefreshToken:
    session: Session
    expires_at: float
    used_at: float | None = None


@dataclass
class OAuthState:
    """All OAuth state of the emulator; thread-safe."""

    clock: Clock
    device_interval: int = 5
    device_ttl: int = 3600
    access_ttl: int = 43200
    clients: dict[str, Client] = field(default_factory=dict)
    devices: dict[str, DeviceAuthorization] = field(default_factory=dict)
    access: dict[str, AccessToken] = field(default_factory=dict)
    refresh: dict[str, RefreshToken] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: how often each grant was used (tests assert e.g. "exactly one refresh")
    counters: dict[str, int] = field(default_factory=lambda: {
        "device_authorizations": 0, "device_polls": 0, "refreshes": 0, "pairs_issued": 0})
    _signing_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    # -- clients ---------------------------------------------------------------------------

    def add_client(self, client: Client) -> None:
        with self.lock:
            self.clients[client.client_id] = client

    def authenticate(self, authorization: str | None) -> Client:
        """The client named by a `Basic base64(client_id:client_secret)` header, or 401."""
        if not authorization or not authorization.startswith("Basic "):
            raise OAuthError(401, UNAUTHORIZED)
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            raise OAuthError(401, UNAUTHORIZED) from None
        client_id, sep, secret = decoded.partition(":")
        client = self.clients.get(client_id)
        if not sep or client is None or not hmac.compare_digest(client.client_secret, secret):
            raise OAuthError(401, UNAUTHORIZED)
        return client

    # -- device flow -----------------------------------------------------------------------

    def start_device(self, client: Client, query_client_id: str | None,
                     scope: str | None) -> DeviceAuthorization:
        if query_client_id is not None and query_client_id != client.client_id:
            raise OAuthError(401, UNAUTHORIZED)
        if client.type != "device":
            # Allegro answers this one with its errors-array shape (ALLEGRO-API.md §2.1, [#9828]).
            raise OAuthError(401, [{
                "code": "unauthorized_client",
                "message": "Client does not have the device_code grant.",
                "details": None,
                "path": None,
                "userMessage": "An error has occurred",
            }])
        requested = tuple(scope.split()) if scope else client.scopes
        granted = tuple(s for s in requested if s in client.scopes) or client.scopes
        with self.lock:
            self.counters["device_authorizations"] += 1
            now = self.clock.time()
            self._expire_devices(now)
            auth = DeviceAuthorization(
                device_code=secrets.token_hex(16),  # 32 characters, like observed codes
                user_code="".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(9)),
                client_id=client.client_id,
                scopes=granted,
                expires_at=now + self.device_ttl,
                interval=self.device_interval,
            )
            self.devices[auth.device_code] = auth
            return auth

    def _expire_devices(self, now: float) -> None:
        for code in [c for c, a in self.devices.items() if a.expires_at + 3600 < now]:
            del self.devices[code]

    def pending_devices(self) -> list[DeviceAuthorization]:
        with self.lock:
            now = self.clock.time()
            return [a for a in self.devices.values()
                    if a.state == "pending" and a.expires_at > now]

    def decide(self, user_code: str, *, approve: bool, seller_id: str) -> DeviceAuthorization:
        """The user clicked Allow or Deny on the consent page."""
        code = user_code.replace(" ", "").replace("-", "").lower()
        with self.lock:
            now = self.clock.time()
            for auth in self.devices.values():
                if auth.user_code == code and auth.state == "pending" and auth.expires_at > now:
                    auth.state = "approved" if approve else "denied"
                    auth.seller_id = seller_id
                    return auth
        raise KeyError(user_code)

    def poll(self, client: Client, device_code: str) -> dict[str, Any]:
        with self.lock:
            self.counters["device_polls"] += 1
            now = self.clock.time()
            auth = self.devices.get(device_code)
            if (auth is None or auth.client_id != client.client_id or auth.state == "used"
                    or auth.expires_at <= now):
                raise _error(400, "invalid_request", "Invalid device code")
            if auth.state == "denied":
                raise _error(400, "access_denied")
            too_fast = auth.last_poll is not None and now - auth.last_poll < auth.interval
            auth.last_poll = now
            if too_fast:
                raise _error(400, "slow_down")
            if auth.state == "pending":
                raise _error(400, "authorization_pending",
                             "User has not authorized the device code yet.")
            auth.state = "used"
            assert auth.seller_id is not None
            session = self._new_session(client.client_id, auth.seller_id, auth.scopes, now)
            return self._issue(session, now)

    # -- tokens ----------------------------------------------------------------------------

    def _new_session(self, client_id: str, seller_id: str, scopes: tuple[str, ...],
                     now: float) -> Session:
        session = Session(id=uuid.uuid4().hex, client_id=client_id, seller_id=seller_id,
                          scopes=scopes)
        self.sessions.append(session)
        alive = [s for s in self.sessions if s.alive and s.seller_id == seller_id]
        for old in alive[:-MAX_SESSIONS_PER_USER]:
            self._kill(old)
        return session

    def _kill(self, session: Session) -> None:
        session.alive = False
        self.access.pop(session.access_token, None)

    def _issue(self, session: Session, now: float) -> dict[str, Any]:
        """A new pair for the session; the session's previous access token dies."""
        self.counters["pairs_issued"] += 1
        self.access.pop(session.access_token, None)
        jti = str(uuid.uuid4())
        exp = int(now + self.access_ttl)
        access = self._jwt({"user_name": session.seller_id, "scope": list(session.scopes),
                            "allegro_api": True, "exp": exp, "client_id": session.client_id,
                            "jti": jti})
        refresh = self._jwt({"user_name": session.seller_id, "scope": list(session.scopes),
                             "allegro_api": True, "ati": jti,
                             "exp": int(now + REFRESH_TTL_SECONDS),
                             "client_id": session.client_id, "jti": str(uuid.uuid4())})
        session.access_token = access
        self.access[access] = AccessToken(session, now + self.access_ttl)
        self.refresh[refresh] = RefreshToken(session, now + REFRESH_TTL_SECONDS)
        return {
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": max(self.access_ttl - 1, 0),
            "scope": " ".join(session.scopes),
            "allegro_api": True,
            "jti": jti,
        }

    def refresh_grant(self, client: Client, refresh_token: str) -> dict[str, Any]:
        with self.lock:
            self.counters["refreshes"] += 1
            now = self.clock.time()
            record = self.refresh.get(refresh_token)
            invalid = _error(400, "invalid_grant", f"Invalid refresh token: {refresh_token}")
            if (record is None or record.session.client_id != client.client_id
                    or not record.session.alive or record.expires_at <= now):
                raise invalid
            if record.used_at is None:
                record.used_at = now
            elif now - record.used_at > REFRESH_GRACE_SECONDS:
                raise invalid
            return self._issue(record.session, now)

    def check_access(self, token: str) -> tuple[Session, None] | tuple[None, dict[str, str]]:
        """The session behind a bearer token, or the 401 body Allegro sends."""
        with self.lock:
            record = self.access.get(token)
            if record is None:
                if not _looks_like_jwt(token):
                    return None, {"error": "invalid_token",
                                  "error_description": "Cannot convert access token to JSON"}
                # A superseded or revoked token reads as expired ([#10619]).
                return None, {"error": "invalid_token",
                              "error_description": f"Access token expired: {token}"}
            if record.expires_at <= self.clock.time() or not record.session.alive:
                return None, {"error": "invalid_token",
                              "error_description": f"Access token expired: {token}"}
            return record.session, None

    def expire_access_tokens(self, seller_id: str | None = None) -> int:
        """Make live access tokens expire now (tests of refresh-on-401)."""
        with self.lock:
            now = self.clock.time()
            count = 0
            for record in self.access.values():
                if seller_id is None or record.session.seller_id == seller_id:
                    record.expires_at = min(record.expires_at, now)
                    count += 1
            return count

    def revoke(self, seller_id: str | None = None) -> int:
        """The user unlinked the app, changed the password or logged out everywhere."""
        with self.lock:
            victims = [s for s in self.sessions
                       if s.alive and (seller_id is None or s.seller_id == seller_id)]
            for session in victims:
                self._kill(session)
            return len(victims)

    def _jwt(self, payload: dict[str, Any]) -> str:
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        head = b64(orjson.dumps({"alg": "HS256", "typ": "JWT"}))
        body = b64(orjson.dumps(payload))
        sig = hmac.new(self._signing_key, f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{b64(sig)}"


def _looks_like_jwt(token: str) -> bool:
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        orjson.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, orjson.JSONDecodeError):
        return False
    return True
