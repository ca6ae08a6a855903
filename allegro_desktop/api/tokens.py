"""The contract between the API client and whoever owns an account's tokens (auth/)."""

from __future__ import annotations

from typing import Protocol


class AccessTokenSource(Protocol):
    """Gives the API client a valid access token, and a fresh one when Allegro rejects it.

    Implementations refresh single-flight (one refresh per account at a time, across threads and
    tasks) and save the new pair before returning it (ALLEGRO-API.md §4.3).
    """

    async def access_token(self) -> str:
        """A token valid for a while yet (refreshed ahead of expiry if needed)."""
        ...

    async def token_rejected(self, token: str) -> str:
        """Allegro answered 401 invalid_token to `token`: return a newer token (refreshing only
        if nobody did already), or raise `ReconnectNeededError`."""
        ...
