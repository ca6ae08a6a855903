"""An in-memory keyring backend, so tests never touch (or depend on) the machine's keyring.

Use it directly (`TokenStore(backend=MemoryKeyring())`) or for a whole process with
`PYTHON_KEYRING_BACKEND=tests.helpers.memory_keyring.MemoryKeyring`. Its switches imitate what real
keyrings do to an app: a locked collection, a refused write, Windows' limit on an entry's length.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, keyed by (service, username). Thread-safe.

    - `locked`: every call raises `KeyringLocked`, like a Secret Service collection whose unlock
      prompt was dismissed;
    - `refuse_writes`: `set_password` raises `PasswordSetError`;
    - `max_length`: longer values are refused like Windows Credential Manager refuses them
      (1280 characters there).
    """

    # Above every real backend (Secret Service 5, the chainer 10), so automatic selection in a
    # test process that imported this module picks it rather than the machine's keyring.
    priority = 50  # type: ignore[assignment]

    def __init__(self, *, max_length: int | None = None) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.max_length = max_length
        self.locked = False
        self.refuse_writes = False
        self._lock = threading.Lock()

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        with self._lock:
            return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        if self.refuse_writes:
            raise PasswordSetError("the keyring refused the write")
        if self.max_length is not None and len(password) > self.max_length:
            raise OSError(1783, "CredWrite", "The stub received bad data.")
        with self._lock:
            self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        with self._lock:
            if self.entries.pop((service, username), None) is None:
                raise PasswordDeleteError("Password not found")

    def values(self) -> list[str]:
        """Every stored value (tests look for secrets where they must not be)."""
        with self._lock:
            return list(self.entries.values())
