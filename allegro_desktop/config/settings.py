"""The app's settings: typed, declared once, stored in an INI file in the config folder.

Never a secret here: tokens and the client secret live in the OS keyring only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

DEFAULT_REQUESTS_PER_MINUTE = 9000
DEFAULT_AUTO_SYNC_INTERVAL = 60  # seconds
MIN_AUTO_SYNC_INTERVAL = 15


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

    @property
    def retention_months(self) -> int | None:
        """Delete orders bought more than this many months ago after each sync; None (the
        default) keeps them forever — the local history outliving Allegro's 12 months is the
        point. A hand-edited value that is not a number reads as None (nothing is deleted); a
        number below the minimum is returned as it is, for `RetentionPolicy` to refuse with
        the reason."""
        value = self._get_str("data/retention_months")
        try:
            return int(value) if value else None
        except ValueError:
            return None

    @retention_months.setter
    def retention_months(self, months: int | None) -> None:
        """Raises `ValueError` (a `RetentionPolicyError`, with the reason for the seller) for
        fewer than 12 months: the sync would fetch younger orders again."""
        if months is not None:
            from allegro_desktop.storage.retention import RetentionPolicy

            RetentionPolicy(keep_orders_months=months)  # validates
        self._set("data/retention_months", None if months is None else str(months))

    @property
    def auto_sync_interval(self) -> int:
        """Seconds between automatic syncs while the app runs (default 60, at least 15); 0 turns
        them off (Sync now still works). A value that is not a number reads as the default."""
        value = self._get_str("sync/auto_interval")
        try:
            seconds = int(value) if value else DEFAULT_AUTO_SYNC_INTERVAL
        except ValueError:
            return DEFAULT_AUTO_SYNC_INTERVAL
        return 0 if seconds <= 0 else max(seconds, MIN_AUTO_SYNC_INTERVAL)

    @auto_sync_interval.setter
    def auto_sync_interval(self, seconds: int | None) -> None:
        """None restores the default; 0 turns automatic syncs off; other values below the
        minimum are raised to it."""
        if seconds is not None and seconds > 0:
            seconds = max(seconds, MIN_AUTO_SYNC_INTERVAL)
        self._set("sync/auto_interval", None if seconds is None else str(max(seconds, 0)))

    @property
    def language(self) -> str:
        """The window's language: "system" (the default: Polish on a Polish system, else
        English), "pl" or "en". An unknown value reads as "system"."""
        value = self._get_str("ui/language")
        return value if value in ("pl", "en") else "system"

    @language.setter
    def language(self, value: str | None) -> None:
        if value not in (None, "system", "pl", "en"):
            raise ValueError(f"unknown language {value!r}: system, pl or en")
        self._set("ui/language", None if value in (None, "system") else value)


def _section(environment_key: str) -> str:
    """A settings-safe section name for an environment key (URLs contain '/' and ':')."""
    return "".join(c if c.isalnum() else "_" for c in environment_key)
