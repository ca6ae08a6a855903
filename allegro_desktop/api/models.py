"""What the OAuth endpoints and /me return, parsed and typed. Secrets never appear in repr()."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeviceAuthorization:
    """The answer of POST /auth/oauth/device. `expires_at` is epoch seconds (our clock)."""

    user_code: str
    device_code: str = field(repr=False)
    verification_uri: str
    verification_uri_complete: str
    expires_at: float
    interval: float

    @property
    def formatted_user_code(self) -> str:
        """`XXX XXX XXX`, as Allegro recommends displaying it."""
        code = self.user_code.upper()
        return " ".join(code[i:i + 3] for i in range(0, len(code), 3))


@dataclass(frozen=True)
class TokenPair:
    """An access/refresh token pair; times are epoch seconds."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: float
    refresh_expires_at: float
    scope: str = ""


@dataclass(frozen=True)
class SellerProfile:
    """GET /me."""

    seller_id: str
    login: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    base_marketplace: str | None = None
