"""`allegro-desktop doctor`: the health checks of the Diagnostics dialog (`services/health.py`),
one line each, exiting 1 when one fails: a scheduled job or support's first question ("what does
doctor say?")."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import AppPaths
from allegro_desktop.domain.errors import AppError
from allegro_desktop.headless import ExitCode

if TYPE_CHECKING:
    from allegro_desktop.auth.token_store import TokenStore


def doctor(*, paths: AppPaths, environment: str | None = None, as_json: bool = False,
           full: bool = False, store: TokenStore | None = None, out: TextIO = sys.stdout,
           err: TextIO = sys.stderr) -> ExitCode:
    """`allegro-desktop doctor`: every health check (`services/health.py`) as a line — ✓, ! or
    ✗, the check, what was found — then versions and paths; with `as_json` one JSON object.
    0 when no check FAILED (warnings allowed), 1 otherwise. `full`: the database's integrity
    is checked whatever the file's size. The keyring is not required to start: that it is
    missing is one of the things reported. Nothing secret is printed."""
    import json

    from allegro_desktop import __version__
    from allegro_desktop.api.environments import PRODUCTION_KEY
    from allegro_desktop.services.health import (
        DEFAULT_QUICK_CHECK_MAX_BYTES,
        CheckResult,
        HealthChecker,
        Status,
        versions,
    )

    try:
        services = open_app_services(paths, store=store, require_keyring=False)
    except AppError as exc:
        print(f"allegro-desktop: {exc.user_message}", file=err)
        return ExitCode.FAILED
    try:
        has_accounts = bool(services.registry.all())
    except AppError:
        has_accounts = False  # the sign-in check says why
    keys = ([environment] if environment else
            [] if has_accounts else [services.settings.environment or PRODUCTION_KEY])
    checker = HealthChecker(
        data_dir=paths.data_dir, database_path=paths.database, store=services.store,
        registry=services.registry, environment_keys=keys, governor=services.governor,
        resolve_environment=services.environment,
        quick_check_max_bytes=None if full else DEFAULT_QUICK_CHECK_MAX_BYTES)
    where = _profile_paths(paths)
    marks = _marks(out)

    def show(result: CheckResult) -> None:
        if as_json:
            return
        detail = str(result.detail).replace("\n", "\n      ")
        print(f"  {marks[result.status]} {result.name}: {detail}", file=out, flush=True)

    if not as_json:
        print(f"Allegro Desktop {__version__} — health checks", file=out, flush=True)
    results = checker.run(show)
    failed = [r for r in results if r.status is Status.FAILED]
    if as_json:
        print(json.dumps({"ok": not failed, "checks": [r.to_json() for r in results],
                          "versions": versions(), "paths": where}, indent=2,
                         ensure_ascii=False), file=out)
    else:
        print("\nVersions:", file=out)
        for name, value in versions().items():
            print(f"  {name}: {value}", file=out)
        print("Paths:", file=out)
        for name, value in where.items():
            print(f"  {name}: {value}", file=out)
        warned = sum(1 for r in results if r.status is Status.WARNING)
        print(f"\n{len(failed)} failed, {warned} warning(s), "
              f"{len(results) - len(failed) - warned} OK.", file=out)
    for result in failed:
        print(f"allegro-desktop: {result.name}: {str(result.detail).splitlines()[0]}", file=err)
    return ExitCode.FAILED if failed else ExitCode.OK


def _profile_paths(paths: AppPaths) -> dict[str, str]:
    """The profile's folders and files, as the doctor and the diagnostics report name them."""
    return {"data folder": str(paths.data_dir), "database": str(paths.database),
            "settings": str(paths.settings_file), "log file": str(paths.log_file),
            "config folder": str(paths.config_dir), "cache folder": str(paths.cache_dir),
            "portable (--data-dir)": "yes" if paths.portable else "no"}


def _marks(out: TextIO) -> dict[object, str]:
    """✓ ! ✗ where the terminal can print them, [ok] [!!] [XX] where it cannot (a Windows
    console in an old code page)."""
    from allegro_desktop.services.health import Status

    encoding = getattr(out, "encoding", None) or "utf-8"  # None: a StringIO, text as it is
    try:
        "✓✗".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return {Status.OK: "[ok]", Status.WARNING: "[!!]", Status.FAILED: "[XX]"}
    return {Status.OK: "✓", Status.WARNING: "!", Status.FAILED: "✗"}
