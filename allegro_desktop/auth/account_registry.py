"""The connected accounts (a small JSON file, no secrets), and connecting/disconnecting one.

The registry only says which accounts exist and whether they need connecting again; their
tokens are in the keyring (`TokenStore`) under `Account.key`. The file is written atomically (a
temporary file, then `os.replace`), so a crash or a full disk leaves the previous version, and a
damaged file is reported with its path rather than silently replaced by an empty list: that
would make every account vanish from the app.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allegro_desktop.api.errors import ReconnectNeededError
from allegro_desktop.auth.errors import AccountsFileError
from allegro_desktop.domain.accounts import Account, AccountState
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text

if TYPE_CHECKING:  # connecting only: listing the accounts (`accounts`, `export`) needs none
    import httpx

    from allegro_desktop.api.environments import Environment
    from allegro_desktop.api.models import TokenPair
    from allegro_desktop.api.ratelimit import RequestGovernor
    from allegro_desktop.auth.device_flow import DeviceFlow, FlowState
    from allegro_desktop.auth.token_store import TokenStore

log = logging.getLogger("allegro_desktop.auth")

FILE_FORMAT = 1


class AccountRegistry:
    """The accounts in `path` (e.g. `<config dir>/accounts.json`).

    Every call reads the file again (it is tiny): another process of the app — `allegro-desktop
    login` next to the running window — may have changed it. Thread-safe within a process.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path

    def all(self) -> list[Account]:
        """Every account, in the order they were first connected."""
        with self._lock:
            return list(self._read().values())

    def get(self, key: str) -> Account | None:
        with self._lock:
            return self._read().get(key)

    def add_or_update(self, account: Account) -> None:
        """Register an account, or replace what is known of it (login, state) if it exists."""
        with self._lock:
            accounts = self._read()
            accounts[account.key] = account
            self._write(accounts)

    def set_state(self, key: str, state: AccountState) -> Account | None:
        """Change an account's state; None (and nothing written) if it is not registered, e.g.
        disconnected while a sync was finding out its tokens are dead."""
        with self._lock:
            accounts = self._read()
            account = accounts.get(key)
            if account is None:
                return None
            if account.state is not state:
                account = Account(account.seller_id, account.login, account.environment, state)
                accounts[key] = account
                self._write(accounts)
            return account

    def remove(self, key: str) -> None:
        """Forget an account (nothing happens if it is not registered)."""
        with self._lock:
            accounts = self._read()
            if accounts.pop(key, None) is not None:
                self._write(accounts)

    # -- the file ------------------------------------------------------------------------

    def _damaged(self, problem: Text) -> AccountsFileError:
        return AccountsFileError(
            f"{self._path}: {problem}", path=self._path, user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "The list of connected Allegro accounts (%1) is damaged: %2. Move the "
                "file somewhere else (or delete it) and connect your accounts again; your "
                "orders on this computer are kept."), self._path, problem))

    def _read(self) -> dict[str, Account]:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                raise self._damaged(Text(QT_TRANSLATE_NOOP("Errors", "it is not text"))) from exc
            raise AccountsFileError(
                f"{self._path}: {exc}", path=self._path, user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "The list of connected Allegro accounts (%1) cannot be read: %2. "
                    "Check the file's permissions."), self._path, exc.strerror or exc)) from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise self._damaged(Text(QT_TRANSLATE_NOOP("Errors", "it is not valid JSON"))) from exc
        if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
            raise self._damaged(Text(QT_TRANSLATE_NOOP("Errors", "it has no list of accounts")))
        version = data.get("format")
        if not isinstance(version, int):
            raise self._damaged(Text(QT_TRANSLATE_NOOP("Errors", "its format is not stated")))
        if version > FILE_FORMAT:
            raise AccountsFileError(
                f"{self._path}: format {version} is newer than {FILE_FORMAT}", path=self._path,
                user_message=Text(QT_TRANSLATE_NOOP(
                    "Errors", "The list of connected Allegro accounts (%1) was written by a "
                    "newer version of Allegro Desktop. Update the app."), self._path))
        accounts: dict[str, Account] = {}
        for index, entry in enumerate(data["accounts"]):
            account = _account_from_json(entry)
            if account is None:
                raise self._damaged(Text(QT_TRANSLATE_NOOP(
                    "Errors", "account number %1 is incomplete"), index + 1))
            accounts[account.key] = account
        return accounts

    def _write(self, accounts: dict[str, Account]) -> None:
        text = json.dumps({"format": FILE_FORMAT,
                           "accounts": [_account_to_json(a) for a in accounts.values()]},
                          ensure_ascii=False, indent=2) + "\n"
        directory = self._path.parent
        temporary: str | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=f".{self._path.name}.", suffix=".tmp",
                                             dir=directory)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self._path)
            temporary = None
        except OSError as exc:
            raise AccountsFileError(
                f"{self._path}: cannot write: {exc}", path=self._path, user_message=Text(
                    QT_TRANSLATE_NOOP(
                        "Errors", "The list of connected Allegro accounts (%1) cannot be saved: "
                        "%2. Check the free disk space and the folder's permissions."),
                    self._path, exc.strerror or exc)) from exc
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _account_to_json(account: Account) -> dict[str, str]:
    return {"seller_id": account.seller_id, "login": account.login,
            "environment": account.environment, "state": account.state.value}


def _account_from_json(entry: Any) -> Account | None:
    if not isinstance(entry, dict):
        return None
    seller_id, login, environment, state = (
        entry.get(name) for name in ("seller_id", "login", "environment", "state"))
    if not (isinstance(seller_id, str) and isinstance(login, str)
            and isinstance(environment, str) and isinstance(state, str)
            and seller_id and login and environment):
        return None
    try:
        return Account(seller_id, login, environment, AccountState(state))
    except ValueError:
        return None


# -- connecting and disconnecting ------------------------------------------------------------


class _FreshPair:
    """The token source of an account being connected: the pair the device flow just gave.

    A refresh makes no sense here; a rejected fresh token means the flow must be run again."""

    def __init__(self, pair: TokenPair) -> None:
        self._pair = pair

    async def access_token(self) -> str:
        return self._pair.access_token

    async def token_rejected(self, token: str) -> str:
        raise ReconnectNeededError(
            "Allegro refused the token it had just issued", error="invalid_token",
            user_message=Text(QT_TRANSLATE_NOOP(
                "Errors", "Allegro did not accept the new connection. Try connecting again.")))


async def connect_account(*, flow: DeviceFlow, environment: Environment, store: TokenStore,
                          registry: AccountRegistry, governor: RequestGovernor,
                          http: httpx.AsyncClient,
                          on_state: Callable[[FlowState], None] | None = None) -> Account:
    """Finish connecting an account: wait for the started `flow`'s tokens, ask Allegro whose
    they are (GET /me), save them under the account's key, then register the account.

    Connecting an account that is registered already (e.g. one that needed reconnecting)
    replaces its tokens and marks it connected. `http` belongs to the caller's loop.
    """
    import asyncio

    from allegro_desktop.api.client import AllegroClient

    pair = await flow.wait(on_state)
    client = AllegroClient(environment, http=http, tokens=_FreshPair(pair), governor=governor)
    profile = await client.me()
    account = Account(seller_id=profile.seller_id, login=profile.login,
                      environment=environment.key, state=AccountState.CONNECTED)
    # Tokens first: an account without tokens in the registry would look connected but fail.
    await asyncio.to_thread(store.save, account.key, pair)
    await asyncio.to_thread(registry.add_or_update, account)
    log.info("Connected account %s (%s)", account.key, account.login)
    return account


def disconnect(account: Account, *, store: TokenStore, registry: AccountRegistry) -> None:
    """Forget an account's tokens and remove it from the registry (blocking: the keyring).

    Whether its orders stay in the local database is the caller's business. Allegro has no
    endpoint to revoke a token; the seller can unlink the app in "Moje Allegro → Powiązane
    aplikacje" (ALLEGRO-API.md §4.7).
    """
    store.delete(account.key)
    registry.remove(account.key)
    log.info("Disconnected account %s", account.key)
