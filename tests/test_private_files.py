"""The app's files hold buyers' personal data, so they are private (POSIX): a fresh profile's
folders are 0700 and its files 0600 (the process's umask, set by `cli.main`, plus explicit
modes); an export is 0600; what older versions left readable (0755/0644) is tightened — only
the app's own folders and files, never a folder of the user's. Real processes, real files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from allegro_desktop.config.paths import resolve_paths
from tests.helpers.processes import app_env
from tests.helpers.stored_shop import realistic_forms, store_shop

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _modes(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): _mode(path) for path in sorted(root.rglob("*"))}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "allegro_desktop", *args], capture_output=True,
                          text=True, env=app_env(), timeout=120, check=False)


@pytest.fixture
def loose_umask() -> None:
    """What a desktop session usually has (022): the app must not depend on it."""
    before = os.umask(0o022)
    os.umask(before)
    if before & 0o077 == 0o077:
        pytest.skip("the test process's umask is already private")


@pytest.mark.usefixtures("loose_umask")
def test_a_fresh_profile_and_an_export_are_private(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    result = _cli("--data-dir", str(profile), "export", "--format", "xlsx", "--out",
                  str(documents / "orders.xlsx"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Exported 0 orders")
    modes = _modes(profile)
    assert {"orders.sqlite3", "logs/allegro-desktop.log", "config", "cache"} <= set(modes)
    for name, mode in modes.items():
        kind = os.lstat(profile / name).st_mode
        assert mode == (0o700 if stat.S_ISDIR(kind) else 0o600), name
    assert _mode(profile) == 0o700
    assert _mode(documents / "orders.xlsx") == 0o600
    assert _mode(documents) == 0o755  # the user's folder is not the app's to change


@pytest.mark.usefixtures("loose_umask")
def test_settings_written_by_qt_are_private(tmp_path: Path) -> None:
    """settings.ini is written by QSettings (its own temporary file and rename): the umask
    `cli.main` sets is what makes it private."""
    settings = tmp_path / "config" / "settings.ini"
    program = ("import sys; from pathlib import Path\n"
               "from allegro_desktop.config.paths import use_private_umask\n"
               "from allegro_desktop.config.settings import Settings\n"
               "use_private_umask()\n"
               "Path(sys.argv[1]).parent.mkdir()\n"
               "Settings(Path(sys.argv[1])).log_level = 'DEBUG'\n")
    subprocess.run([sys.executable, "-c", program, str(settings)], env=app_env(), check=True,
                   timeout=60)
    assert "DEBUG" in settings.read_text()
    assert _mode(settings) == 0o600
    assert _mode(settings.parent) == 0o700


def _older_profile(root: Path) -> dict[str, Path]:
    """A profile as older versions left it: 0755 folders, 0644 files, a file of the user's
    beside the database."""
    paths = resolve_paths(root)
    store_shop(paths.database, realistic_forms()).close()
    files = {
        "database": paths.database,
        "wal": paths.database.with_name("orders.sqlite3-wal"),
        "backup": paths.backup_dir / "orders-2026-11-20.sqlite3",
        "settings": paths.settings_file,
        "accounts": paths.config_dir / "accounts.json",
        "log": paths.log_file,
        "old log": paths.log_dir / "allegro-desktop.log.1",
        "demo": paths.demo_dir / "orders.sqlite3",
        "demo log": paths.demo_dir / "logs" / "allegro-desktop.log",
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text("x")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    mine = root / "my-notes.txt"
    mine.write_text("mine")
    mine.chmod(0o644)
    return files


def test_an_older_profile_is_tightened(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    files = _older_profile(root)
    paths = resolve_paths(root)
    for name, path in files.items():
        assert _mode(path) == 0o600, name
    for folder in (paths.config_dir, paths.cache_dir, paths.log_dir, paths.backup_dir,
                   paths.demo_dir, paths.demo_dir / "logs"):
        assert _mode(folder) == 0o700, folder
    assert _mode(root) == 0o755  # a --data-dir folder is the user's: left as it is
    assert _mode(root / "my-notes.txt") == 0o644


def test_the_platform_data_folder_is_tightened_whole(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "uname"):
        pytest.skip("XDG folders are Linux/BSD")
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    paths = resolve_paths()
    (paths.data_dir / "something.csv").write_text("x")
    for path in [paths.data_dir, *paths.data_dir.rglob("*"), paths.config_dir]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    resolve_paths()
    assert _mode(paths.data_dir) == 0o700
    assert _mode(paths.data_dir / "something.csv") == 0o600
    assert _mode(paths.config_dir) == 0o700
    assert _mode(home / "data") == 0o777 & ~_umask()  # the platform's, above the app's


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
