"""What the OAuth endpoints, /me and the order write endpoints (carriers, shipments, invoices)
return, parsed and typed. Secrets never appear in repr()."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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


@dataclass(frozen=True)
class Carrier:
    """One entry of GET /order/carriers. `name` is None for `OTHER`, whose name the seller
    gives with each tracking number (`carrier_name`)."""

    id: str
    name: str | None = None


@dataclass(frozen=True)
class Shipment:
    """A parcel's tracking number on an order (GET/POST /order/checkout-forms/{id}/shipments).

    `carrier_name` is Allegro's only for carrier `OTHER`; `line_item_ids` are the order's line
    items the parcel carries; `created_at` is when Allegro registered it (None if it did not
    say or said something unreadable).
    """

    id: str
    carrier_id: str
    waybill: str
    carrier_name: str | None = None
    line_item_ids: tuple[str, ...] = ()
    created_at: datetime | None = None


@dataclass(frozen=True)
class OrderShipments:
    """An order's tracking numbers as Allegro holds them, including those added on the web site
    or by a carrier. `unreadable` describes entries that could not be read (kept aside, not
    dropped silently): a caller deciding whether to send a tracking number again must not treat
    the list as complete while it is not empty."""

    shipments: tuple[Shipment, ...]
    unreadable: tuple[str, ...] = ()

    def has_waybill(self, waybill: str, carrier_id: str | None = None) -> bool:
        """Whether Allegro already holds this tracking number (for this carrier, if given)."""
        return any(s.waybill == waybill and (carrier_id is None or s.carrier_id == carrier_id)
                   for s in self.shipments)


@dataclass(frozen=True)
class Invoice:
    """An invoice attached to an order (GET /order/checkout-forms/{id}/invoices).

    `uploaded_at` is None until its PDF was uploaded; `scan_status` is Allegro's antivirus
    verdict on the file (`WAITING`, `ACCEPTED`, `REJECTED`), None before the upload.
    """

    id: str
    number: str | None
    file_name: str | None
    created_at: datetime | None = None
    uploaded_at: datetime | None = None
    scan_status: str | None = None
