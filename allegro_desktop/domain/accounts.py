"""A connected Allegro seller account, as the app knows it (no secrets here: tokens live in the
OS keyring, see `auth/token_store.py`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AccountState(enum.Enum):
    CONNECTED = "connected"
    RECONNECT_NEEDED = "reconnect_needed"  # the refresh token was refused: run the device flow


@dataclass(frozen=True)
class Account:
    """One seller account in one environment. `key` is unique across environments."""

    seller_id: str
    login: str
    environment: str  # Environment.key: "production", "sandbox" or "custom:<base url>"
    state: AccountState = AccountState.CONNECTED

    @property
    def key(self) -> str:
        return f"{self.environment}|{self.seller_id}"
