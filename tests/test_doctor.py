"""`allegro-desktop doctor`: the health checks in the terminal, against a real emulator, real
SQLite files and keyrings that work or are broken; and the log file's redaction."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from allegro_desktop import headless_doctor
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.logging_setup import (
    configure_logging,
    line_level,
    read_log_tail,
    resolve_level,
)
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.storage import Database
from allegro_desktop.storage.migrations import head_schema
from allegro_desktop.sync import sync_all_accounts
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.processes import app_env
from tests.helpers.synced_shop import FAST_RETRY, connect


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator(device_interval=1, orders=20, history_days=30)


def doctor(paths: AppPaths, store: TokenStore, *args: str,
           environment: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = headless_doctor.doctor(paths=paths, store=store, environment=environment,
                           as_json="--json" in args, full="--full" in args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def healthy(emu: RunningEmulator, tmp_path: Path) -> tuple[AppPaths, TokenStore]:
    """A profile with an account connected to the emulator and synced once, for real."""
    paths = resolve_paths(tmp_path / "profile")
    store = TokenStore(backend=MemoryKeyring())
    services = open_app_services(paths, store=store)
    connect(emu, services)
    with Database.open(paths.database) as database:
        results = asyncio.run(sync_all_accounts(services, database, retry=FAST_RETRY))
    assert [r.report.succeeded for r in results] == [True]
    return paths, store


def test_a_healthy_setup_exits_0(healthy: tuple[AppPaths, TokenStore],
                                 emu: RunningEmulator) -> None:
    paths, store = healthy
    code, out, err = doctor(paths, store)
    assert code == 0, out + err
    assert err == ""
    lines = out.splitlines()
    checks = [line for line in lines if line.startswith("  ✓")]
    assert len(checks) == 8  # every check, the per-account ones once (one account)
    assert any("System keyring" in line for line in checks)
    assert any(emu.base_url in line for line in lines)
    assert f"database: {paths.database}" in out
    assert "Python:" in out
    assert "0 failed" in out

    code, out, _err = doctor(paths, store, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert {c["check"] for c in report["checks"]} == {
        "api", "keyring", "token", "database", "disk", "rate_limit", "last_sync",
        "kept_aside"}
    assert all(c["status"] == "ok" for c in report["checks"])
    assert report["paths"]["log file"] == str(paths.log_file)


def test_no_secret_is_printed(healthy: tuple[AppPaths, TokenStore],
                              emu: RunningEmulator) -> None:
    paths, store = healthy
    _code, out, err = doctor(paths, store, "--json")
    _code, text, _err = doctor(paths, store)
    secrets = [*emu.emulator.oauth.access, *emu.emulator.oauth.refresh, "demo-secret"]
    assert secrets
    for secret in secrets:
        assert secret not in out + err + text


def test_a_broken_keyring_exits_1_and_says_so(emu: RunningEmulator, tmp_path: Path) -> None:
    """The real command, with a keyring backend that fails every call."""
    result = subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(tmp_path),
         "--environment", emu.base_url, "doctor"],
        capture_output=True, text=True, timeout=120, check=False,
        env=app_env(PYTHON_KEYRING_BACKEND="tests.helpers.broken_keyring.BrokenKeyring",
                 PYTHONIOENCODING="utf-8"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "✗ System keyring" in result.stdout
    assert "keyring" in result.stderr.lower()
    assert "✓ Allegro reachable" in result.stdout  # the other checks ran
    assert "✓ Order database" in result.stdout
    # the log file was written (and its level was INFO: no DEBUG lines)
    log_file = tmp_path / "logs" / "allegro-desktop.log"
    assert log_file.exists()
    assert " DEBUG " not in log_file.read_text(encoding="utf-8")


def test_a_corrupt_database_exits_1(healthy: tuple[AppPaths, TokenStore]) -> None:
    paths, store = healthy
    paths.database.write_bytes(b"\x00garbage\xff" * 4096)
    code, out, err = doctor(paths, store)
    assert code == 1
    assert "✗ Order database" in out
    assert "damaged" in err


def test_a_database_newer_than_the_app_exits_1(healthy: tuple[AppPaths, TokenStore]) -> None:
    paths, store = healthy
    raw = sqlite3.connect(paths.database)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = 'ffff'")
        raw.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('written_by', '9.0')")
    raw.close()
    code, out, err = doctor(paths, store)
    assert code == 1
    assert "was last used by Allegro Desktop 9.0, which is newer than this version" in out
    assert "Order database" in err


def test_warnings_do_not_fail(emu: RunningEmulator, tmp_path: Path) -> None:
    """Connected but never synced: a warning, exit 0."""
    paths = resolve_paths(tmp_path / "profile")
    store = TokenStore(backend=MemoryKeyring())
    connect(emu, open_app_services(paths, store=store))
    code, out, _err = doctor(paths, store)
    assert code == 0
    assert "! Last sync" in out
    assert "Never synced" in out


# -- the log file -------------------------------------------------------------------------------


@pytest.mark.usefixtures("restore_logging")
def test_text_from_outside_stays_one_line_of_the_log(tmp_path: Path) -> None:
    """A message quoting what Allegro or a file said — a newline that would forge a line, a
    terminal's colour codes, a lone surrogate — is written escaped, on its own line, in the
    file and on the console; an exception's text too."""
    log_file = tmp_path / "logs" / "allegro-desktop.log"
    console = io.StringIO()
    assert configure_logging(level="INFO", log_file=log_file, stream=console) == log_file
    hostile = "Brak \ud800 \x1b[31mdost\u0119pu\n2026-01-01 00:00:00 ERROR forged"
    log = logging.getLogger("allegro_desktop.test")
    log.warning("Allegro said: %s", hostile)
    try:
        raise ValueError(hostile)
    except ValueError:
        log.exception("it failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    for text in (log_file.read_text(encoding="utf-8"), console.getvalue()):
        said = [line for line in text.splitlines() if "Allegro said" in line]
        assert len(said) == 1
        assert said[0].endswith(
            "Brak \\ud800 \\x1b[31mdost\u0119pu\\n2026-01-01 00:00:00 ERROR forged")
        assert not any(line.startswith("2026-01-01") for line in text.splitlines())
        assert "\x1b" not in text
        assert "\\ud800" in text.split("it failed", 1)[1]  # in the traceback too


@pytest.mark.usefixtures("restore_logging")
def test_a_secret_logged_by_mistake_does_not_reach_the_file(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "allegro-desktop.log"
    console = io.StringIO()
    assert configure_logging(level="DEBUG", log_file=log_file, stream=console) == log_file
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyX25hbWUiOiI0ODIxMzM3NyJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
    refresh = "rt-Zm9vYmFyYmF6cXV4cXV1eGNvcmdl"
    log = logging.getLogger("allegro_desktop.test")
    log.debug("headers %s", {"Authorization": f"Bearer {jwt}", "Accept": "application/json"})
    log.info('token answer: {"access_token": "%s", "refresh_token": "%s"}', jwt, refresh)
    log.warning("device flow: device_code=%s client_secret=%s", "DC-1234-secret", "hunter2x")
    try:
        raise RuntimeError(f"Invalid refresh token: {refresh}")
    except RuntimeError:
        log.exception("refresh failed")
    log.warning("a proxy said: Bearer\nsecretABC123")  # a line break between scheme and secret
    log.info("order 29d2b3b0-67e1-11ee-8c99-0242ac120002 stored")
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    for text in (written, console.getvalue()):
        for secret in (jwt, refresh, "DC-1234-secret", "hunter2x", "c2lnbmF0dXJl",
                       "secretABC123"):
            assert secret not in text
        assert text.count("<redacted>") >= 5
        assert "Traceback" in text  # the traceback is kept, its secret is not
        assert "29d2b3b0-67e1-11ee-8c99-0242ac120002" in text

    tail = read_log_tail(log_file, 3)
    assert len(tail) == 3
    assert tail[-1].endswith("order 29d2b3b0-67e1-11ee-8c99-0242ac120002 stored")
    assert line_level(tail[-1]) == logging.INFO
    levels = [line_level(line) for line in read_log_tail(log_file, 100)]
    assert logging.WARNING in levels
    assert None in levels  # a traceback's lines belong to the record above


@pytest.mark.usefixtures("restore_logging")
def test_a_value_that_is_not_text_reaches_the_file_escaped(tmp_path: Path) -> None:
    """A lone surrogate (what a byte that was not UTF-8 becomes) in a logged value: the line is
    written, the surrogate as an escape — not lost to a logging error."""
    log_file = tmp_path / "allegro-desktop.log"
    assert configure_logging(level="INFO", log_file=log_file, console=False) == log_file
    logging.getLogger("allegro_desktop.test").warning("Allegro said %s", "Brak \udcff")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert log_file.read_text(encoding="utf-8").endswith("Allegro said Brak \\xff\n")


@pytest.mark.usefixtures("restore_logging")
def test_the_log_level_and_an_unwritable_log_folder(tmp_path: Path) -> None:
    assert resolve_level("debug", "WARNING") == "DEBUG"  # the command line wins
    assert resolve_level(None, "WARNING") == "WARNING"
    assert resolve_level(None, None) == "INFO"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    console = io.StringIO()
    assert configure_logging(level="WARNING", log_file=blocker / "x.log", stream=console) is None
    assert "no log file" in console.getvalue()
    logging.getLogger("allegro_desktop.test").info("not shown at WARNING")
    assert "not shown" not in console.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_a_migration_logs_to_the_file_not_the_terminal(tmp_path: Path) -> None:
    """Start-up migrates an older database: Alembic's lines ("Running upgrade ...") reach the
    log file, the terminal shows only the app's own; asked for DEBUG, the terminal shows them
    too. (A new file gets the head schema without Alembic: storage/migrations/head_schema.py.)"""
    for name in ("orders.sqlite3", "debug.sqlite3"):
        head_schema.migrate(tmp_path / name, "0001")
    log_file = tmp_path / "allegro-desktop.log"
    console = io.StringIO()
    configure_logging(level="INFO", log_file=log_file, stream=console)
    Database.open(tmp_path / "orders.sqlite3").close()
    logging.getLogger("alembic.runtime.migration").warning("a problem is still shown")
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    assert "INFO alembic.runtime.migration: Running upgrade 0001 -> 0002" in written
    assert "INFO allegro_desktop.storage: migrating" in written
    shown = console.getvalue()
    assert "INFO allegro_desktop.storage: migrating" in shown
    assert "INFO alembic" not in shown
    assert "WARNING alembic.runtime.migration: a problem is still shown" in shown

    debug_console = io.StringIO()
    configure_logging(level="DEBUG", log_file=None, stream=debug_console)
    Database.open(tmp_path / "debug.sqlite3").close()
    assert "INFO alembic.runtime.migration: Running upgrade" in debug_console.getvalue()


def test_rotated_tail_reads_only_whole_lines(tmp_path: Path) -> None:
    log_file = tmp_path / "x.log"
    log_file.write_text("".join(f"line {i}\n" for i in range(10_000)), encoding="utf-8")
    tail = read_log_tail(log_file, 5, max_bytes=100)
    assert tail == [f"line {i}" for i in range(9995, 10_000)]
    assert read_log_tail(tmp_path / "missing.log") == []
