"""Where the app keeps its files: the platform's usual folders, or one folder given by the user.

`--data-dir DIR` puts everything (database, settings, logs, cache) under DIR: tests use it to stay
isolated, and some people want a portable install on a USB stick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "allegro-desktop"


class AppPathsError(Exception):
    """The app's folders cannot be created or written to."""


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    cache_dir: Path
    log_dir: Path
    portable: bool

    @property
    def database(self) -> Path:
        return self.data_dir / "orders.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.ini"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "allegro-desktop.log"


def resolve_paths(data_dir: Path | None = None) -> AppPaths:
    """The app's folders, created if missing; a clear error if they cannot be used."""
    if data_dir is not None:
        root = data_dir.expanduser().resolve()
        paths = AppPaths(data_dir=root, config_dir=root / "config", cache_dir=root / "cache",
                         log_dir=root / "logs", portable=True)
    else:
        paths = AppPaths(
            data_dir=Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False)),
            portable=False,
        )
    for folder in (paths.data_dir, paths.config_dir, paths.cache_dir, paths.log_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AppPathsError(
                f"cannot create the folder {folder}: {exc.strerror or exc}. Choose another "
                "place with --data-dir, or fix the folder's permissions.") from exc
        if not os.access(folder, os.W_OK):
            raise AppPathsError(
                f"the folder {folder} is not writable. Fix its permissions or choose another "
                "place with --data-dir.")
    return paths
