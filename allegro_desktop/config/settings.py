"""The app's settings: typed, declared once, stored in an INI file in the config folder.

Never a secret here: tokens and the client secret live in the OS keyring only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

DEFAULT_REQUESTS_PER_MINUTE = 9000


class Settings:
    """Typed access to the settings file (QSettings, INI format, so it is readable and
    portable with --data-dir)."""

    def __init__(self, path: Path) -> None:
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def _get_str(self, key: str) -> str | None:
        value = self._qsettings.value(key)
        return str(value) if value not in (None, "") else None

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self._qsettings.remove(key)
        else:
            self._qsettings.setValue(key, value)
        self._qsettings.sync()

    @property
    def current_account(self) -> str | None:
        """The key of the account the window shows (see `Account.key`)."""
        return self._get_str("accounts/current")

    @current_account.setter
    def current_account(self, key: str | None) -> None:
        self._set("accounts/current", key)

    def client_id(self, environment_key: str) -> str | None:
        """The app's client id for an environment, if the user set one (else the built-in or
        ALLEGRO_CLIENT_ID is used)."""
        return self._get_str(f"clients/{_section(environment_key)}/client_id")

    def set_client_id(self, environment_key: str, client_id: str | None) -> None:
        self._set(f"clients/{_section(environment_key)}/client_id", client_id)

    @property
    def requests_per_minute(self) -> int:
        """This install's ceiling on requests to Allegro (default: Allegro's 9000 a minute per
        client id). Every install of the app shares one client id's budget, so a lower value
        is kinder to the others."""
        value = self._get_str("connection/requests_per_minute")
        try:
            return max(int(value), 1) if value else DEFAULT_REQUESTS_PER_MINUTE
        except ValueError:
            return DEFAULT_REQUESTS_PER_MINUTE

    @requests_per_minute.setter
    def requests_per_minute(self, value: int | None) -> None:
        self._set("connection/requests_per_minute", None if value is None else str(value))

    @property
    def environment(self) -> str | None:
        """The environment new connections use (production unless the user chose another)."""
        return self._get_str("connection/environment")

    @environment.setter
    def environment(self, key: str | None) -> None:
        self._set("connection/environment", key)


def _section(environment_key: str) -> str:
    """A settings-safe section name for an environment key (URLs contain '/' and ':')."""
    return "".join(c if c.isalnum() else "_" for c in environment_key)
