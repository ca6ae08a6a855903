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

Demo mode has a profile of its own, `demo_dir` inside the data folder (`resolve_paths(...,
demo=True)`): its database, settings and log, emptied at each start of the demo, so that
nothing of the demo mixes with the seller's real orders or log.

The files hold buyers' personal data, so they are private (POSIX): `use_private_umask` at start
makes every file the process creates its owner's only, the app's folders are created 0700, and
folders and files left readable by older versions are tightened when the profile is opened —
only the app's own (`OwnedPlaces`), never a folder of the user's. The same `OwnedPlaces` are
what an export may never be written over (`services/safe_write.py`): `resolve_paths` protects
them for the rest of the process.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import platformdirs

from allegro_desktop.files.names import (
    DEMO_WINDOW_LOCK,
    SYNC_LOCK,
    SYNC_LOCK_OWNER,
    WINDOW_LOCK,
)
from allegro_desktop.services.safe_write import OwnedPlaces, protect

APP_DIR_NAME: Final = "allegro-desktop"
DATABASE_NAME: Final = "orders.sqlite3"
#: SQLite's companions of the database file (write-ahead log, shared memory, rollback journal).
DATABASE_COMPANIONS: Final = ("-wal", "-shm", "-journal")
#: The process's umask on POSIX: new files 0600, new folders 0700.
PRIVATE_UMASK: Final = 0o077


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
    #: Demo mode's own profile (`demo_dir` of the real one): everything, its log included,
    #: under one folder emptied at each start of the demo.
    demo: bool = False

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def backup_dir(self) -> Path:
        """Where the database's backups are kept."""
        return self.data_dir / "backups"

    @property
    def demo_dir(self) -> Path:
        """Demo mode's own profile, emptied at each start of the demo."""
        return self.data_dir / "demo"

    @property
    def data_dir_fixed(self) -> bool:
        """This run's data folder cannot be chosen in Settings (--data-dir, or the demo)."""
        return self.portable or self.demo

    @property
    def data_dir_is_ours(self) -> bool:
        """The data folder is the platform's folder of the app (not one the user gave)."""
        return not (self.portable or self.data_dir_chosen)

    @property
    def owned_places(self) -> OwnedPlaces:
        """What belongs to the app in this profile: the database with its companions and
        anything named after it (backups) in the data folder, the other files the app keeps
        there (the sync lease's and the window's locks: `files/names.py`), the backup
        and demo folders, the config, cache and log folders, and the whole data folder when it
        is the app's."""
        folders = [self.config_dir, self.cache_dir, self.log_dir, self.backup_dir,
                   self.demo_dir]
        if self.data_dir_is_ours:
            folders.append(self.data_dir)
        database = self.database.resolve()
        locks = (database.with_name(SYNC_LOCK), database.with_name(SYNC_LOCK_OWNER),
                 *(self.data_dir.resolve() / name for name in (WINDOW_LOCK, DEMO_WINDOW_LOCK)))
        return OwnedPlaces(
            folders=tuple(folder.resolve() for folder in folders),
            files=(database, *(database.with_name(database.name + suffix)
                               for suffix in DATABASE_COMPANIONS), *locks),
            name_prefixes=((database.parent, DATABASE_NAME),))

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.ini"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "allegro-desktop.log"


def resolve_paths(data_dir: Path | None = None, *, demo: bool = False) -> AppPaths:
    """The app's folders, created if missing; a clear error if they cannot be used.

    `data_dir` (--data-dir) holds everything; without it the platform's folders are used, the
    data folder being the one chosen in Settings if any. `demo`: `data_dir` is demo mode's
    own folder (`AppPaths.demo_dir`), not one the user gave."""
    if data_dir is not None:
        root = data_dir.expanduser().resolve()
        paths = AppPaths(data_dir=root, config_dir=root / "config", cache_dir=root / "cache",
                         log_dir=root / "logs", portable=not demo, demo=demo)
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
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
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
    keep_private(paths)
    protect(paths.owned_places)
    return paths


def use_private_umask() -> None:
    """Make every file and folder this process creates from now on its owner's only (POSIX;
    Windows gives a user's profile folders to that user already). Called once at start: the
    SQLite database and its `-wal`/`-shm`, settings.ini and everything else inherit it."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def keep_private(paths: AppPaths) -> None:
    """Take group and others' access away from the app's own folders and files, as older
    versions left them (0755 folders, 0644 files): the folders of `owned_places`, and the
    database's files in a data folder of the user's. Never a folder of the user's itself."""
    if os.name != "posix":
        return
    folders = [paths.config_dir, paths.cache_dir, paths.log_dir, paths.backup_dir,
               paths.demo_dir]
    if paths.data_dir_is_ours:
        folders.append(paths.data_dir)
    for folder in folders:
        for root, subfolders, files in os.walk(folder):
            _tighten(Path(root))
            for name in (*subfolders, *files):
                _tighten(Path(root) / name)
    for file in paths.data_dir.glob(DATABASE_NAME + "*"):
        _tighten(file)


def _tighten(path: Path) -> None:
    """Remove group and others' permissions from `path` (not following a link)."""
    try:
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode) or not found.st_mode & 0o077:
            return
        os.chmod(path, stat.S_IMODE(found.st_mode) & 0o700)
    except FileNotFoundError:
        return  # gone meanwhile
    except PermissionError:
        return  # not the user's file (another account's, a file system without modes)


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
