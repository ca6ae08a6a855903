"""The emulated Allegro: sellers with orders (and their shipments and invoices), OAuth, rate
limits, faults, quirks, live mode.

`Emulator` is plain state with no I/O of its own; `server.py` puts HTTP in front of it and
`runner.py` runs that server on a loopback port (in a thread for the demo and tests, in the
foreground for `allegro-desktop emulator`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from allegro_desktop.emulator.clock import Clock
from allegro_desktop.emulator.generator import OrderGenerator
from allegro_desktop.emulator.limits import (
    FaultInjector,
    FaultProfile,
    RateLimiter,
    ResourceLimiter,
)
from allegro_desktop.emulator.oauth import Client, OAuthState
from allegro_desktop.emulator.seller_actions import SellerActions
from allegro_desktop.emulator.store import OrderStore, Quirks, Seller

DEMO_CLIENT_ID = "allegro-desktop-demo"
DEMO_CLIENT_SECRET = "demo-secret"
WEB_CLIENT_ID = "allegro-desktop-web"  # a web-type app: the device grant answers 401
WEB_CLIENT_SECRET = "web-secret"

_SELLERS = (
    # id, login, first name, last name, e-mail, company, NIP
    ("48213377", "DomOgrodPlus", "Agnieszka", "Wiśniewska", "sklep@domogrodplus.pl",
     "Dom i Ogród Plus Agnieszka Wiśniewska", "7791011327"),
    ("51877240", "TechKącik", "Paweł", "Zieliński", "kontakt@techkacik.pl",
     "TechKącik Sp. z o.o.", "5252248481"),
    ("60324418", "Rękodzieło_Ani", "Anna", "Kaczmarek", "ania.rekodzielo@wp.pl", None, None),
)


@dataclass(frozen=True)
class EmulatorConfig:
    """How an emulator starts. Every field has a command-line switch (see `cli.py`)."""

    seed: int = 1
    orders: int = 500
    sellers: int = 1
    history_days: int = 395  # 13 months: past Allegro's 12-month guarantee
    now: datetime | None = None  # the clock's start; real time if None
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = DEMO_CLIENT_SECRET
    access_ttl: int = 43200
    device_interval: int = 5
    device_ttl: int = 3600
    rate_per_minute: int = 9000
    quirks: Quirks = field(default_factory=Quirks)
    faults: FaultProfile = field(default_factory=FaultProfile)
    live: bool = False
    live_orders_per_minute: float = 2.0
    live_changes_per_minute: float = 4.0


class Emulator:
    """All state of one emulated Allegro."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config = config or EmulatorConfig()
        if not 1 <= config.sellers <= len(_SELLERS):
            raise ValueError(f"sellers must be between 1 and {len(_SELLERS)}")
        if config.orders < 0:
            raise ValueError("orders must not be negative")
        self.clock = Clock(start=config.now)
        self.store = OrderStore(clock=self.clock, seed=config.seed, quirks=config.quirks)
        self.oauth = OAuthState(clock=self.clock, device_interval=config.device_interval,
                                device_ttl=config.device_ttl, access_ttl=config.access_ttl)
        self.oauth.add_client(Client(config.client_id, config.client_secret, "device"))
        self.oauth.add_client(Client(WEB_CLIENT_ID, WEB_CLIENT_SECRET, "web"))
        self.limiter = RateLimiter(clock=self.clock, per_minute=config.rate_per_minute)
        self.resource_limiter = ResourceLimiter(clock=self.clock)
        self.actions = SellerActions(self.store)
        self.faults = FaultInjector(seed=config.seed, profile=config.faults)
        self.live_rng = random.Random(config.seed * 101 + 3)
        self.live_enabled = config.live
        self.live_orders_per_minute = config.live_orders_per_minute
        self.live_changes_per_minute = config.live_changes_per_minute
        self.request_count = 0  # every request served
        self.api_request_count = 0  # requests to OAuth and REST paths (not control, not consent)
        # The history is a function of its `now` to the millisecond (its random stream is seeded
        # with it): with a start given, it is generated at that start, never at the clock's
        # reading a moment later, which depends on how busy the machine is (a millisecond
        # later is another shop).
        now = self.clock.now() if config.now is None else config.now.astimezone(UTC)
        histories = {}
        for index, (sid, login, first, last, email, company, nip) in enumerate(
                _SELLERS[:config.sellers]):
            seller = Seller(id=sid, login=login, first_name=first, last_name=last, email=email,
                            company_name=company, company_tax_id=nip)
            generator = OrderGenerator(seed=config.seed * 1000 + index, seller_id=sid)
            self.store.add_seller(seller, generator)
            count = config.orders if index == 0 else max(config.orders // 3, 0)
            if count:
                histories[sid] = generator.history(count, now=now, days=config.history_days)
        self.store.load_histories(histories)

    @property
    def default_seller_id(self) -> str:
        return next(iter(self.store.sellers))

    def seller_id_for(self, login_or_id: str | None) -> str:
        """Resolve a seller given by login or id (None: the first seller)."""
        if not login_or_id:
            return self.default_seller_id
        for sid, store in self.store.sellers.items():
            if login_or_id in (sid, store.seller.login):
                return sid
        raise KeyError(login_or_id)
