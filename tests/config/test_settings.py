"""Settings: declared once, typed, persisted across restarts, tolerant of hand edits; and the
data folder chosen in Settings, read before anything else (config/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegro_desktop.config.paths import AppPathsError, resolve_paths
from allegro_desktop.config.settings import (
    Setting,
    SettingError,
    Settings,
    check_webhook_url,
    history_days,
)
from allegro_desktop.sync.settings import SyncSettings

DEFAULTS = {
    "current_account": None,
    "environment": None,
    "requests_per_minute": 9000,
    "auto_sync_interval": 60,
    "history_months": None,
    "retention_months": None,
    "data_dir": None,
    "log_level": "INFO",
    "backup_interval_days": 1,
    "backups_kept": 7,
    "notify_new_orders": True,
    "notify_sound": False,
    "language": "system",
    "theme": "system",
}


def test_every_setting_is_declared_once_with_its_default(tmp_path: Path) -> None:
    declared = {s.name: s for s in Settings.declared()}
    assert set(declared) == set(DEFAULTS)
    assert len({s.key for s in declared.values()}) == len(declared)  # no key used twice
    settings = Settings(tmp_path / "settings.ini")
    for name, default in DEFAULTS.items():
        assert declared[name].default == default
        assert getattr(settings, name) == default, name
    assert isinstance(Settings.theme, Setting)


def test_values_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    settings.history_months = 24
    settings.notify_new_orders = False
    settings.notify_sound = True
    settings.theme = "dark"
    settings.log_level = "DEBUG"
    settings.language = "pl"
    settings.data_dir = tmp_path / "orders"
    settings.retention_months = 36
    settings.auto_sync_interval = 300
    settings.environment = "sandbox"
    settings.set_client_id("sandbox", " my-id ")
    del settings

    again = Settings(path)  # a new process would read the same file
    assert again.history_months == 24
    assert again.notify_new_orders is False
    assert again.notify_sound is True
    assert again.theme == "dark"
    assert again.log_level == "DEBUG"
    assert again.language == "pl"
    assert again.data_dir == tmp_path / "orders"
    assert again.retention_months == 36
    assert again.auto_sync_interval == 300
    assert again.environment == "sandbox"
    assert again.client_id("sandbox") == "my-id"
    assert again.client_id("production") is None


def test_the_default_or_none_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    settings.theme = "dark"
    settings.notify_sound = True
    assert "theme=dark" in path.read_text()
    settings.theme = "system"
    settings.notify_sound = None
    settings.reset("history_months")
    text = path.read_text() if path.exists() else ""
    assert "theme" not in text
    assert "sound" not in text
    assert Settings(path).theme == "system"


def test_hand_edited_nonsense_reads_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(
        "[sync]\nauto_interval=soon\nhistory_months=500\n"
        "[notifications]\nnew_orders=perhaps\nsound=2\nwebhook_url=ftp://example.com/x\n"
        "[ui]\nlanguage=de\ntheme=blue\n"
        "[data]\nlog_level=TRACE\nfolder=relative/folder\nretention_months=many\n"
        "[connection]\nrequests_per_minute=-5\n")
    settings = Settings(path)
    for name, default in DEFAULTS.items():
        assert getattr(settings, name) == default, name


def test_hand_edited_values_that_are_fine_are_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[sync]\nhistory_months= 18 \n[notifications]\nnew_orders=false\n"
                    "sound=yes\n[ui]\ntheme=light\n[data]\nretention_months=6\n")
    settings = Settings(path)
    assert settings.history_months == 18
    assert settings.notify_new_orders is False
    assert settings.notify_sound is True
    assert settings.theme == "light"
    # Kept as written: the retention policy refuses it with the reason where it is used.
    assert settings.retention_months == 6


@pytest.mark.parametrize(("name", "value"), [
    ("history_months", 0),
    ("history_months", 121),
    ("theme", "blue"),
    ("language", "de"),
    ("log_level", "TRACE"),
    ("data_dir", Path("relative/folder")),
    ("retention_months", 6),
    ("notify_sound", "yes"),
])
def test_values_outside_the_declaration_are_refused(tmp_path: Path, name: str,
                                                    value: object) -> None:
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    # SettingError, or RetentionPolicyError with the reason
    with pytest.raises(ValueError, match=r"\w"):
        setattr(settings, name, value)
    assert getattr(Settings(path), name) == DEFAULTS[name]


def test_webhook_urls_that_are_accepted_and_refused() -> None:
    """The address is kept in the keyring (a Slack address is the credential itself); the
    settings only say what a usable one is."""
    for url in ("http://127.0.0.1:8080/hook", "https://hooks.slack.com/services/T/B/X",
                "  https://example.com  "):
        assert check_webhook_url(url) == url.strip()
    assert check_webhook_url("   ") is None
    assert check_webhook_url(None) is None
    for bad in ("example.com", "hooks.example.com/x", "ftp://example.com/x", "https://",
                "https://exa mple.com/", "https://example.com:port/"):
        with pytest.raises(SettingError, match=r"\w"):
            check_webhook_url(bad)
    assert not hasattr(Settings, "webhook_url")


def test_history_depth_reaches_the_sync_engine(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    # The default: everything Allegro still has — the guaranteed 12 months always, and what
    # older it still answers, at most ten years back.
    assert settings.history_months is None
    assert settings.history_days is None
    everything = settings.sync_settings()
    assert everything.history_days == SyncSettings().history_days == 365
    assert everything.older_history
    assert everything.max_history_days == history_days(120) >= 3650
    settings.history_months = 24  # a limit: exactly that, nothing older asked for
    assert settings.sync_settings().history_days == 730
    assert not settings.sync_settings().older_history
    base = SyncSettings(window_days=7)
    tuned = settings.sync_settings(base)
    assert (tuned.history_days, tuned.window_days) == (730, 7)
    assert history_days(1) == 30
    settings.history_months = None
    settings.retention_months = 36  # nothing older than what is kept is fetched
    kept = settings.sync_settings()
    assert (kept.history_days, kept.older_history, kept.max_history_days) == (
        365, True, history_days(36))


def test_history_everything_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[sync]\nhistory_months=all\n")
    assert Settings(path).history_months is None
    path.write_text("[sync]\nhistory_months=18\n")
    assert Settings(path).history_months == 18


# -- the data folder ----------------------------------------------------------------------


@pytest.fixture
def platform_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The platform's folders (XDG on Linux) inside tmp_path."""
    if not hasattr(__import__("os"), "uname"):
        pytest.skip("XDG folders are Linux/BSD")
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    return home


def test_the_data_folder_chosen_in_settings_is_used_at_the_next_start(
        platform_home: Path, tmp_path: Path) -> None:
    usual = resolve_paths()
    assert usual.data_dir == platform_home / "data" / "allegro-desktop"
    assert not usual.portable
    assert not usual.data_dir_chosen
    chosen = tmp_path / "big disk" / "orders"
    Settings(usual.settings_file).data_dir = chosen

    paths = resolve_paths()
    assert paths.data_dir == chosen
    assert chosen.is_dir()
    assert paths.database == chosen / "orders.sqlite3"
    assert paths.data_dir_chosen
    # Settings, accounts and logs stay in the platform's folders.
    assert paths.settings_file == usual.settings_file
    assert paths.log_dir == usual.log_dir


def test_data_dir_option_wins_over_the_setting(platform_home: Path, tmp_path: Path) -> None:
    Settings(resolve_paths().settings_file).data_dir = tmp_path / "chosen"
    paths = resolve_paths(tmp_path / "portable")
    assert paths.data_dir == tmp_path / "portable"
    assert paths.portable
    assert not paths.data_dir_chosen
    assert not (tmp_path / "chosen").exists()


def test_an_unusable_chosen_folder_says_how_to_get_out(platform_home: Path,
                                                       tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    settings_file = resolve_paths().settings_file
    Settings(settings_file).data_dir = blocker / "orders"
    with pytest.raises(AppPathsError) as caught:
        resolve_paths()
    message = str(caught.value)
    assert "chosen in Settings" in message
    assert "--data-dir" in message
    assert str(settings_file) in message
