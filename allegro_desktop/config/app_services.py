"""The app's services for one process (`AppServices`): what every front end needs to talk to
Allegro — the environment with its credentials, the keyring token store, the account registry
and the request governor — and the settings.

Shared by the GUI (`app.py`) and the headless commands (`headless.py`), so both resolve
credentials and store tokens the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from allegro_desktop.api.environments import PRODUCTION_KEY, Environment, environment_from_key
from allegro_desktop.api.ratelimit import RequestGovernor
from allegro_desktop.auth.account_registry import AccountRegistry
from allegro_desktop.auth.credentials import resolve_environment
from allegro_desktop.auth.token_provider import TokenProvider
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.config.settings import Settings
from allegro_desktop.domain.accounts import Account, AccountState


@dataclass
class AppServices:
    """What connecting and syncing accounts needs, for one process (a bundle of services, not
    a network connection)."""

    settings: Settings
    store: TokenStore
    registry: AccountRegistry
    governor: RequestGovernor
    #: The language asked of Allegro for its `userMessage`s (e.g. "pl-PL" for the Polish
    #: window; None: Allegro's default, English, as the terminal commands speak).
    accept_language: str | None = None

    def environment(self, key: str | None = None) -> Environment:
        """The environment `key` (a key or base URL; default: the one in settings, else
        production) with the app's client credentials filled in."""
        chosen = key or self.settings.environment or PRODUCTION_KEY
        normalized = environment_from_key(chosen).key
        return resolve_environment(normalized,
                                   settings_client_id=self.settings.client_id(normalized),
                                   store=self.store)

    def token_provider(self, account: Account) -> TokenProvider:
        """The account's tokens, for API clients in any thread. When Allegro refuses the
        refresh token, the account is marked "reconnect needed" in the registry (the window
        and `allegro-desktop accounts` show it); nothing retries."""
        registry = self.registry

        def reconnect_needed(key: str) -> None:
            registry.set_state(key, AccountState.RECONNECT_NEEDED)

        return TokenProvider(account_key=account.key,
                             environment=self.environment(account.environment),
                             store=self.store, governor=self.governor,
                             on_reconnect_needed=reconnect_needed)


def open_app_services(paths: AppPaths, *, store: TokenStore | None = None,
                    governor: RequestGovernor | None = None,
                    require_keyring: bool = True) -> AppServices:
    """The process's AppServices. Raises `KeyringUnavailableError` when there is no usable OS
    keyring (tokens are never kept anywhere else) — unless `require_keyring` is false, which
    only demo mode does, with its in-memory store."""
    store = store or TokenStore(remember_in=paths.cache_dir / "keyring-backend")
    if require_keyring:
        store.check_available()
    settings = Settings(paths.settings_file)
    return AppServices(settings=settings, store=store,
                      registry=AccountRegistry(paths.config_dir / "accounts.json"),
                      governor=governor or RequestGovernor(
                          per_minute=settings.requests_per_minute))
