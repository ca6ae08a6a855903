"""A keyring backend that fails every call, as a broken Secret Service (D-Bus gone, a crashed
daemon) does: `PYTHON_KEYRING_BACKEND=tests.helpers.broken_keyring.BrokenKeyring`."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError


class BrokenKeyring(KeyringBackend):
    priority = 50  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")
