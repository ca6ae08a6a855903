"""Where the app keeps its files: the platform's usual folders, or one folder given by the user.

`--data-dir DIR` puts everything (database, settings, logs, cache) under DIR: tests use it to stay
isolated, and some people want a portable install on a USB stick.

Without it, the seller may still choose where the database lives (Settings → Data → Data
folder, e.g. a bigger disk or a backed-up folder): that choice is the `data_dir` setting in the
settings file of the platform's config folder, which is why it is read here, before anything
else, and why a change takes effect at the next start. Settings, accounts and logs stay in the
platform's folders; only the data folder moves. The app does not move the database itself:
the Settings dialog tells the seller to move `orders.sqlite3` (with its `-wal`/`-shm`
companions) while the app is closed, or else the new folder starts empty and the orders are
synced again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
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
    #: The data folder is the one chosen in Settings (`Settings.data_dir`), not the platform's.
    data_dir_chosen: bool = False

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
    """The app's folders, created if missing; a clear error if they cannot be used.

    `data_dir` (--data-dir) holds everything; without it the platform's folders are used, the
    data folder being the one chosen in Settings if any."""
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
        chosen = _chosen_data_dir(paths.settings_file)
        if chosen is not None:
            paths = replace(paths, data_dir=chosen, data_dir_chosen=True)
    for folder in (paths.data_dir, paths.config_dir, paths.cache_dir, paths.log_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if paths.data_dir_chosen and folder == paths.data_dir:
                raise AppPathsError(_chosen_unusable(paths, exc.strerror or str(exc))) from exc
            raise AppPathsError(
                f"cannot create the folder {folder}: {exc.strerror or exc}. Choose another "
                "place with --data-dir, or fix the folder's permissions.") from exc
        if not os.access(folder, os.W_OK):
            if paths.data_dir_chosen and folder == paths.data_dir:
                raise AppPathsError(_chosen_unusable(paths, "it is not writable"))
            raise AppPathsError(
                f"the folder {folder} is not writable. Fix its permissions or choose another "
                "place with --data-dir.")
    return paths


def _chosen_data_dir(settings_file: Path) -> Path | None:
    """The data folder chosen in Settings, read from the platform's settings file."""
    if not settings_file.is_file():
        return None
    from allegro_desktop.config.settings import Settings

    return Settings(settings_file).data_dir


def _chosen_unusable(paths: AppPaths, reason: str) -> str:
    return (f"the data folder chosen in Settings, {paths.data_dir}, cannot be used: {reason}. "
            "Connect the disk it is on, fix its permissions, or start once with --data-dir "
            f"DIR; to go back to the usual folder, delete the line \"folder=...\" of the "
            f"[data] section in {paths.settings_file}.")
