"""`CarrierList`: the carriers a tracking number may name, per account — Allegro's
`GET /order/carriers`, read once a session (on a `TaskQueue` thread, its own short
`asyncio.run`) and kept in memory and in the window's state (`UiState`), so the dialog offers
them at once next time, offline too; a list older than a day is read again. `OTHER` (any other
carrier, named by the seller) is always offered, even when the list could not be read."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QObject, Signal

from allegro_desktop.api.client import AllegroClient, make_http_client
from allegro_desktop.api.models import Carrier
from allegro_desktop.api.order_writes import OTHER_CARRIER
from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, AppError, Text
from allegro_desktop.sync.account_sync import AccountSource
from allegro_desktop.ui.tasks import TaskQueue, failure_text

__all__ = ["FRESH_FOR", "STATE_NAME", "CarrierList", "fetch_carriers"]

log = logging.getLogger("allegro_desktop.ui")

#: Seconds a stored list is used without reading it again (Allegro changes it rarely).
FRESH_FOR: Final = 24 * 3600.0
#: The `UiState` choices holding the lists and the carrier chosen last.
STATE_NAME: Final = "carriers"


class NoAccountError(AppError):
    """The order's account is not connected any more: its carriers cannot be read."""


def fetch_carriers(source: AccountSource, account_key: str) -> list[Carrier]:
    """Allegro's carriers for the account (blocking: run it off the GUI thread)."""
    account = next((a for a in source.registry.all() if a.key == account_key), None)
    if account is None:
        raise NoAccountError(f"account {account_key} not connected", user_message=Text(
            QT_TRANSLATE_NOOP("Errors", "The order's account is not connected.")))

    async def read() -> list[Carrier]:
        async with make_http_client() as http:
            client = AllegroClient(source.environment(account.environment), http=http,
                                   tokens=source.token_provider(account),
                                   governor=source.governor,
                                   accept_language=source.accept_language)
            return await client.carriers()

    return asyncio.run(read())


class CarrierList(QObject):
    """The carriers per account (see the module). `source` None: nothing is read (only what
    the state holds, and OTHER).

    Signals:
        changed(str): the list of this account (its key) was read, or could not be.
    """

    changed = Signal(str)

    def __init__(self, *, source: AccountSource | None, ui_state: UiState,
                 tasks: TaskQueue, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._state = ui_state
        self._tasks = tasks
        self._clock = clock
        self._read_this_session: set[str] = set()
        self._reading: set[str] = set()
        self._errors: dict[str, str] = {}

    def carriers(self, account_key: str) -> list[Carrier]:
        """The account's carriers as known now (OTHER last, always there)."""
        entry = self._stored().get(account_key)
        found: list[Carrier] = []
        if isinstance(entry, dict) and isinstance(entry.get("carriers"), list):
            for item in entry["carriers"]:
                if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) \
                        and item[0] and item[0] != OTHER_CARRIER:
                    found.append(Carrier(item[0], item[1] if isinstance(item[1], str)
                                         else None))
        return [*found, Carrier(OTHER_CARRIER)]

    def names(self, account_key: str) -> dict[str, str]:
        """Carrier id -> its name, for showing a tracking number."""
        return {c.id: c.name for c in self.carriers(account_key) if c.name}

    def reading(self, account_key: str) -> bool:
        return account_key in self._reading

    def error(self, account_key: str) -> str | None:
        """Why the last read failed (None: it did not)."""
        return self._errors.get(account_key)

    def last_chosen(self) -> str | None:
        chosen = self._state.choices(STATE_NAME) or {}
        value = chosen.get("last")
        return value if isinstance(value, str) else None

    def remember_chosen(self, carrier_id: str) -> None:
        choices = dict(self._state.choices(STATE_NAME) or {})
        choices["last"] = carrier_id
        self._state.set_choices(STATE_NAME, choices)

    def ensure(self, account_key: str) -> None:
        """Read the account's list unless it was read this session, or the stored one is
        fresh, or it is being read; `changed` tells when it is there."""
        if self._source is None or account_key in self._reading \
                or account_key in self._read_this_session:
            return
        entry = self._stored().get(account_key)
        at = entry.get("at") if isinstance(entry, dict) else None
        if isinstance(at, int | float) and 0 <= self._clock() - at < FRESH_FOR \
                and len(self.carriers(account_key)) > 1:
            return
        source = self._source
        self._reading.add(account_key)
        self._tasks.submit(lambda _task: fetch_carriers(source, account_key),
                           done=lambda carriers: self._on_read(account_key, carriers),
                           failed=lambda error: self._on_failed(account_key, error),
                           context=self)

    def _stored(self) -> dict[str, Any]:
        lists = (self._state.choices(STATE_NAME) or {}).get("accounts")
        return lists if isinstance(lists, dict) else {}

    def _on_read(self, account_key: str, carriers: list[Carrier]) -> None:
        self._reading.discard(account_key)
        self._read_this_session.add(account_key)
        self._errors.pop(account_key, None)
        choices = dict(self._state.choices(STATE_NAME) or {})
        lists = dict(self._stored())
        lists[account_key] = {"at": self._clock(),
                              "carriers": [[c.id, c.name] for c in carriers]}
        choices["accounts"] = lists
        self._state.set_choices(STATE_NAME, choices)
        self.changed.emit(account_key)

    def _on_failed(self, account_key: str, error: Exception) -> None:
        self._reading.discard(account_key)
        self._errors[account_key] = failure_text(error)
        log.warning("the carriers of %s could not be read: %s", account_key, error)
        self.changed.emit(account_key)
