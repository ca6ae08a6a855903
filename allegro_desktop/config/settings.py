"""The app's settings: typed, declared once, stored in an INI file in the config folder.

Read without Qt (`config/ini_file.py` reads Qt's INI dialect as `QSettings` does), so that the
terminal commands never load QtCore; written through `QSettings` (loaded at the first write, which
only the window makes), so the file stays exactly what Qt writes and reads.

Every setting is one declaration on `Settings` (a `Setting` descriptor): its key in the file,
its type, its default, the values it accepts and how a value is checked. Reading a setting
never fails: a missing value, or one a person mistyped while editing the file by hand, reads as
the default (and is logged), so a damaged file can never stop the app. Writing refuses a value
the declaration does not accept with a `SettingError` whose message is for the seller (the
Settings dialog shows it under the field). Writing the default (or None) removes the key, so
the file holds only what the seller changed, and a better default in a later version reaches
them.

Never a secret here: tokens, the client secret and the webhook secret live in the OS keyring
only (`auth/token_store.py`).

`data_dir` is special: it says where the database lives, so it is read before the data folder
is known — from the settings file in the platform's config folder (`config/paths.py`), and it
takes effect at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload
from urllib.parse import urlsplit

from allegro_desktop.config.ini_file import IniValue, read_ini

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from allegro_desktop.storage.backup import BackupPolicy
    from allegro_desktop.sync.settings import SyncSettings

__all__ = [
    "DEFAULT_AUTO_SYNC_INTERVAL",
    "DEFAULT_BACKUPS_KEPT",
    "DEFAULT_BACKUP_INTERVAL_DAYS",
    "DEFAULT_HISTORY_MONTHS",
    "DEFAULT_REQUESTS_PER_MINUTE",
    "GUARANTEED_HISTORY_MONTHS",
    "LOG_LEVELS",
    "MAX_BACKUPS_KEPT",
    "MAX_BACKUP_INTERVAL_DAYS",
    "MAX_HISTORY_MONTHS",
    "MIN_AUTO_SYNC_INTERVAL",
    "THEMES",
    "Setting",
    "SettingError",
    "Settings",
    "check_webhook_url",
    "history_days",
]

log = logging.getLogger("allegro_desktop.config")

DEFAULT_REQUESTS_PER_MINUTE = 9000
DEFAULT_AUTO_SYNC_INTERVAL = 60  # seconds
MIN_AUTO_SYNC_INTERVAL = 15
MAX_AUTO_SYNC_INTERVAL = 24 * 3600
#: The first sync's default depth: None, everything Allegro still has (it guarantees 12 months
#: of orders and often answers older ones: ALLEGRO-API.md §9.6).
DEFAULT_HISTORY_MONTHS = None
#: What Allegro guarantees (ALLEGRO-API.md §9.6): the first sync always reads this far back.
GUARANTEED_HISTORY_MONTHS = 12
MAX_HISTORY_MONTHS = 120
DEFAULT_BACKUP_INTERVAL_DAYS = 1
MAX_BACKUP_INTERVAL_DAYS = 365
DEFAULT_BACKUPS_KEPT = 7
MAX_BACKUPS_KEPT = 365
LANGUAGES = ("system", "pl", "en")
THEMES = ("system", "light", "dark")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

T = TypeVar("T")


class SettingError(ValueError):
    """A value a setting does not accept; the message is for the seller."""


def history_days(months: int) -> int:
    """The first sync's depth in days for a depth in months (12 months: 365 days)."""
    return round(months * 365.25 / 12)


class Setting(Generic[T]):
    """One setting: `key` in the file, `default`, and how its text is read and checked.

    Subclasses say how a value becomes text (`encode`) and back (`decode`, raising ValueError
    for text that is not a value), and what is allowed (`check`: returns the value to store,
    possibly normalised, or raises `SettingError`). `check_on_read=False` keeps a stored value
    that fails `check` (for a setting whose user explains the problem itself, see
    `retention_months`)."""

    def __init__(self, key: str, default: T, *, check_on_read: bool = True) -> None:
        self.key = key
        self.default = default
        self.check_on_read = check_on_read
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    # -- conversions (subclasses) ---------------------------------------------------------

    def decode(self, text: str) -> T:
        raise NotImplementedError

    def encode(self, value: T) -> str:
        return str(value)

    def check(self, value: T) -> T:
        return value

    # -- reading and writing --------------------------------------------------------------

    def read(self, settings: Settings, key: str | None = None) -> T:
        """The stored value, or the default when there is none or it is not usable."""
        key = key or self.key
        raw = settings.stored(key)
        if raw is None or raw == "" or not isinstance(raw, str | list):
            return self.default
        text = ", ".join(map(str, raw)) if isinstance(raw, list) else str(raw)
        try:
            value = self.decode(text)
            return self.check(value) if self.check_on_read else value
        except ValueError as exc:
            log.warning("setting %s: ignoring %r (%s); using the default", key, text, exc)
            return self.default

    def write(self, settings: Settings, value: T | None, key: str | None = None) -> None:
        """Store `value` (checked); None or the default removes the key."""
        key = key or self.key
        if value is not None:
            value = self.check(value)
        settings.store(key, None if value is None or value == self.default
                       else self.encode(value))

    # -- the descriptor ---------------------------------------------------------------------

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...

    @overload
    def __get__(self, instance: Settings, owner: type) -> T: ...

    def __get__(self, instance: Settings | None, owner: type) -> Setting[T] | T:
        if instance is None:
            return self
        return self.read(instance)

    def __set__(self, instance: Settings, value: T | None) -> None:
        self.write(instance, value)


class BoolSetting(Setting[bool]):
    def decode(self, text: str) -> bool:
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise ValueError("not true or false")

    def encode(self, value: bool) -> str:
        return "true" if value else "false"

    def check(self, value: bool) -> bool:
        if not isinstance(value, bool):
            raise SettingError(f"{self.name}: true or false, not {value!r}")
        return value


class IntSetting(Setting[int]):
    """A whole number in `minimum`..`maximum`."""

    def __init__(self, key: str, default: int, *, minimum: int, maximum: int,
                 check_on_read: bool = True) -> None:
        super().__init__(key, default, check_on_read=check_on_read)
        self.minimum = minimum
        self.maximum = maximum

    def decode(self, text: str) -> int:
        return int(text.strip())

    def check(self, value: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingError(f"{self.name}: a whole number, not {value!r}")
        if not self.minimum <= value <= self.maximum:
            raise SettingError(
                f"Choose a number from {self.minimum} to {self.maximum}, not {value}.")
        return value


class ChoiceSetting(Setting[str]):
    """One of a few words."""

    def __init__(self, key: str, default: str, *, choices: tuple[str, ...]) -> None:
        super().__init__(key, default)
        self.choices = choices

    def decode(self, text: str) -> str:
        return text.strip()

    def check(self, value: str) -> str:
        if value not in self.choices:
            raise SettingError(f"unknown {self.name} {value!r}: " + ", ".join(self.choices))
        return value


class TextSetting(Setting[str | None]):
    """Free text; None (the default) when not set. Surrounding spaces are dropped."""

    def __init__(self, key: str) -> None:
        super().__init__(key, None)

    def decode(self, text: str) -> str | None:
        return text.strip() or None

    def check(self, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


def check_webhook_url(value: str | None) -> str | None:
    """The webhook's address as it will be used: an http:// or https:// address, surrounding
    spaces dropped, None for nothing; `SettingError` (with the reason) for anything else.
    The address itself is kept in the keyring (`TokenStore.save_webhook_url`), not here: a
    Slack or Discord address is the credential that lets anyone post to the channel."""
    value = value.strip() or None if value is not None else None
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        raise SettingError(
            f"{value} is not a web address. Enter one that starts with https:// (or "
            "http://), such as https://hooks.example.com/allegro.")
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError as exc:
        raise SettingError(f"{value} has an invalid port number.") from exc
    return value


class PathSetting(Setting[Path | None]):
    """An absolute folder path; None (the default) when not set."""

    def __init__(self, key: str) -> None:
        super().__init__(key, None)

    def decode(self, text: str) -> Path | None:
        return Path(text.strip()) if text.strip() else None

    def encode(self, value: Path | None) -> str:
        return str(value)

    def check(self, value: Path | None) -> Path | None:
        if value is None or str(value).strip() == "":
            return None
        path = Path(value).expanduser()
        if not path.is_absolute():
            raise SettingError(f"{value}: choose a full folder path, such as "
                               f"{Path.home() / 'Allegro Desktop'}.")
        return path


class AutoSyncInterval(IntSetting):
    """0 turns automatic syncs off (reads of a negative value too); other values below the
    minimum are raised to it rather than refused — the file may say 5 from an older version."""

    def check(self, value: int) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = 0 if value <= 0 else max(value, self.minimum)
        return super().check(value) if value else 0


class HistoryMonths(Setting[int | None]):
    """Months of orders the first sync reads, None: everything Allegro still has (at least
    `GUARANTEED_HISTORY_MONTHS`). "all" in the file reads as None too."""

    def decode(self, text: str) -> int | None:
        return None if text.strip().lower() == "all" else int(text.strip())

    def check(self, value: int | None) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingError(f"{self.name}: a whole number, not {value!r}")
        if not 1 <= value <= MAX_HISTORY_MONTHS:
            raise SettingError(f"Choose a number from 1 to {MAX_HISTORY_MONTHS}, not {value}.")
        return value


class RetentionMonths(Setting[int | None]):
    """Months of orders to keep, None: forever. Checked by `RetentionPolicy` (the one place
    that knows the limits and says why, in the seller's words)."""

    def decode(self, text: str) -> int | None:
        return int(text.strip())

    def check(self, value: int | None) -> int | None:
        if value is None:
            return None
        from allegro_desktop.storage.retention import RetentionPolicy

        RetentionPolicy(keep_orders_months=value)  # raises RetentionPolicyError (ValueError)
        return value


class Settings:
    """Typed access to the settings file (Qt's INI format, so it is readable and portable
    with --data-dir). Each class attribute below is one setting (see `Setting`);
    `declared()` lists them (the Settings dialog and the tests go through it).

    Every read sees the file as it is on disk (parsed again only when it changed: another
    `Settings`, the window, a hand edit); writes go through `QSettings`, imported then."""

    # -- accounts and connection --
    current_account = TextSetting("accounts/current")
    """The key of the account the window shows (see `Account.key`)."""
    environment = TextSetting("connection/environment")
    """The environment new connections use (None: production)."""
    requests_per_minute = IntSetting("connection/requests_per_minute",
                                     DEFAULT_REQUESTS_PER_MINUTE, minimum=1, maximum=100_000)
    """This install's ceiling on requests to Allegro (default: Allegro's 9000 a minute per
    client id). Every install of the app shares one client id's budget, so a lower value is
    kinder to the others."""
    _client_id = TextSetting("clients/{}/client_id")

    # -- sync and data --
    auto_sync_interval = AutoSyncInterval("sync/auto_interval", DEFAULT_AUTO_SYNC_INTERVAL,
                                          minimum=MIN_AUTO_SYNC_INTERVAL,
                                          maximum=MAX_AUTO_SYNC_INTERVAL)
    """Seconds between automatic syncs while the app runs (default 60, at least 15); 0 turns
    them off (Sync now still works)."""
    history_months = HistoryMonths("sync/history_months", DEFAULT_HISTORY_MONTHS)
    """How far back the first sync of an account fetches orders: None (the default) is
    everything Allegro still has — the 12 months it guarantees and whatever older it still
    answers (`SyncSettings.older_history`) —, a number of months limits it."""
    retention_months = RetentionMonths("data/retention_months", None, check_on_read=False)
    """Delete orders bought more than this many months ago after each sync; None (the
    default) keeps them forever — the local history outliving Allegro's 12 months is the
    point. A hand-edited value that is not a number reads as None (nothing is deleted); a
    number the policy refuses is returned as it is, for `RetentionPolicy` to refuse with the
    reason where it is used."""
    data_dir = PathSetting("data/folder")
    """Where the database lives when --data-dir is not given (None: the platform's data
    folder). Read at start-up from the platform's config folder (`config/paths.py`)."""
    log_level = ChoiceSetting("data/log_level", "INFO", choices=LOG_LEVELS)
    backup_interval_days = IntSetting("data/backup_interval_days", DEFAULT_BACKUP_INTERVAL_DAYS,
                                      minimum=0, maximum=MAX_BACKUP_INTERVAL_DAYS)
    """Days between the automatic backups of the order database (`backups/` in the data
    folder, taken after a successful sync: storage/backup.py); 0 turns them off."""
    backups_kept = IntSetting("data/backups_kept", DEFAULT_BACKUPS_KEPT, minimum=1,
                              maximum=MAX_BACKUPS_KEPT)
    """How many automatic backups are kept (the oldest beyond are deleted)."""

    # -- notifications --
    notify_new_orders = BoolSetting("notifications/new_orders", True)
    """A desktop notification when new orders arrive."""
    notify_sound = BoolSetting("notifications/sound", False)
    """A sound with that notification."""
    # The webhook's address and secret are secrets: kept in the keyring (`TokenStore`), with
    # `check_webhook_url` for the address.

    # -- appearance --
    language = ChoiceSetting("ui/language", "system", choices=LANGUAGES)
    """The window's language: "system" (Polish on a Polish system, else English), "pl" or
    "en"; takes effect at the next start."""
    theme = ChoiceSetting("ui/theme", "system", choices=THEMES)
    """"system", "light" or "dark" (`ui/theme.py`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: tuple[tuple[int, int, int] | None, dict[str, IniValue]] = (None, {})
        self._writer: QSettings | None = None

    def stored(self, key: str) -> IniValue:
        """What the file holds at `key` ("section/name"), as QSettings reads it; None when
        nothing (also when the file cannot be read: every setting then has its default)."""
        try:
            status = self.path.stat()
        except OSError:
            return None
        stamp = (status.st_ino, status.st_mtime_ns, status.st_size)
        if self._read[0] != stamp:
            try:
                self._read = (stamp, read_ini(self.path))
            except OSError as exc:
                log.warning("the settings file %s cannot be read (%s): using the defaults",
                            self.path, exc)
                return None
        return self._read[1].get(key)

    def store(self, key: str, text: str | None) -> None:
        """Write `text` at `key` (None removes it) to the file now. Raises `SettingError`."""
        from PySide6.QtCore import QSettings

        if self._writer is None:
            self._writer = QSettings(str(self.path), QSettings.Format.IniFormat)
        writer = self._writer
        if text is None:
            writer.remove(key)
        else:
            writer.setValue(key, text)
        writer.sync()
        self._read = (None, {})
        if writer.status() is not QSettings.Status.NoError:
            raise SettingError(f"The settings file {writer.fileName()} could not be written. "
                               "Check that the disk is not full and the folder is writable.")

    @classmethod
    def declared(cls) -> Iterator[Setting[Any]]:
        """Every setting of one value (the per-environment client ids excluded)."""
        for name, value in vars(cls).items():
            if isinstance(value, Setting) and not name.startswith("_"):
                yield value

    def reset(self, name: str) -> None:
        """Back to the default (the key leaves the file)."""
        setting = vars(type(self))[name]
        assert isinstance(setting, Setting)
        setting.write(self, None)

    def client_id(self, environment_key: str) -> str | None:
        """The app's client id for an environment, if the user set one (else the built-in or
        ALLEGRO_CLIENT_ID is used)."""
        setting = type(self)._client_id
        return setting.read(self, setting.key.format(_section(environment_key)))

    def set_client_id(self, environment_key: str, client_id: str | None) -> None:
        setting = type(self)._client_id
        setting.write(self, client_id, setting.key.format(_section(environment_key)))

    @property
    def history_days(self) -> int | None:
        """`history_months` in days, for `SyncSettings.history_days`; None: everything
        Allegro still has."""
        months = self.history_months
        return None if months is None else history_days(months)

    def backup_policy(self) -> BackupPolicy:
        """The automatic backups these settings ask for."""
        from allegro_desktop.storage.backup import BackupPolicy

        return BackupPolicy(interval_days=self.backup_interval_days, keep=self.backups_kept)

    def sync_settings(self, base: SyncSettings | None = None) -> SyncSettings:
        """The sync engine's settings with this install's history depth (on `base`'s other
        values, default: the engine's). Everything Allegro still has is the guaranteed 12
        months and what older it answers, no further back than orders are kept
        (`retention_months`: what would be deleted right after is not fetched)."""
        from dataclasses import replace

        from allegro_desktop.sync.settings import SyncSettings

        base = base or SyncSettings()
        days = self.history_days
        if days is not None:
            return replace(base, history_days=days, older_history=False)
        deepest = MAX_HISTORY_MONTHS
        if (kept := self.retention_months) is not None:
            deepest = min(max(kept, GUARANTEED_HISTORY_MONTHS), deepest)
        return replace(base, history_days=history_days(GUARANTEED_HISTORY_MONTHS),
                       older_history=True, max_history_days=history_days(deepest))


def _section(environment_key: str) -> str:
    """A settings-safe section name for an environment key (URLs contain '/' and ':')."""
    return "".join(c if c.isalnum() else "_" for c in environment_key)
