"""Where demo mode keeps its tokens: in memory, for the life of the process.

Demo mode connects to the built-in emulator, whose tokens are worth nothing outside this process
and die with it, so they need no OS keyring — and a first-time user on a machine without one can
still try the app. This is chosen explicitly for demo mode only: with priority -1, keyring's
automatic backend selection never picks it for the real app.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class DemoMemoryKeyring(KeyringBackend):
    """Secrets in a dict; never chosen automatically (see the module docstring)."""

    priority = -1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._entries.pop((service, username), None) is None:
                raise PasswordDeleteError("Password not found")
