"""One app per profile, one syncer per profile, SIGTERM as a quit — with real processes: the
window (`allegro-desktop`, offscreen) and `allegro-desktop sync` against a real emulator, the
app's requests through a `HostileProxy` that can hold one answer for as long as a test needs a
sync to be under way; the database held locked by another program (the window waits to open
it), the sync lease held by another process (`tests/helpers/lease_holder.py`); a restore under
way when the app quits."""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.headless import ExitCode
from allegro_desktop.storage import Database
from allegro_desktop.sync import sync_all_accounts
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.file_keyring import SharedFileKeyring
from tests.helpers.hostile_proxy import HostileProxy, ProxiedRequest, Rule
from tests.helpers.lease_holder import LeaseHolderProcess
from tests.helpers.processes import app_env
from tests.helpers.synced_shop import FAST_RETRY, connect

WAIT = 120.0  # seconds: a bound for what must happen, never a pause


class Lines:
    """A process's stderr, read on a thread as it comes; `wait_for` blocks until a line matches
    (the process is killed if none does within `WAIT`, failing the test instead of hanging)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, pattern: str) -> str:
        def found() -> str | None:
            return next((line for line in self.lines if re.search(pattern, line)), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None or self._ended,
                                          timeout=WAIT):
                self.process.kill()
            line = found()
        assert line is not None, f"no line matching {pattern!r}:\n" + "\n".join(self.lines)
        return line

    def finish(self) -> int:
        """Wait for the process to end; its exit code."""
        code = self.process.wait(timeout=WAIT)
        self._thread.join(timeout=WAIT)
        return code


@dataclass
class Profile:
    """A data folder whose processes share one keyring (a file), and how to start them."""

    data_dir: Path
    env: dict[str, str]

    def start_window(self, *args: str) -> Lines:
        process = subprocess.Popen(
            [sys.executable, "-m", "allegro_desktop", "--data-dir", str(self.data_dir), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=self.env)
        return Lines(process)

    def sync(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "allegro_desktop", "--data-dir", str(self.data_dir), "sync",
             *args], capture_output=True, text=True, env=self.env, timeout=WAIT, check=False)

    def start_sync(self, *args: str, options: tuple[str, ...] = ()) -> Lines:
        """`allegro-desktop [options] sync [args]`."""
        process = subprocess.Popen(
            [sys.executable, "-m", "allegro_desktop", "--data-dir", str(self.data_dir),
             *options, "sync", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=self.env)
        return Lines(process)

    def lock_database(self) -> sqlite3.Connection:
        """Another program holding the profile's database (of this version) locked — no
        reader gets past it — until the returned connection is closed."""
        Database.open(self.data_dir / "orders.sqlite3").close()
        holder = sqlite3.connect(self.data_dir / "orders.sqlite3", isolation_level=None)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("COMMIT")  # the exclusive lock stays until the connection closes
        return holder

    def runs(self) -> list[tuple[str, str]]:
        """(kind, outcome) of every recorded sync run, oldest first."""
        with closing(sqlite3.connect(self.data_dir / "orders.sqlite3")) as db:
            return [(str(kind), str(outcome)) for kind, outcome in db.execute(
                "SELECT kind, outcome FROM sync_runs ORDER BY id")]

    def stored_orders(self) -> int:
        with closing(sqlite3.connect(self.data_dir / "orders.sqlite3")) as db:
            count: int = db.execute("SELECT count(*) FROM orders").fetchone()[0]
            return count


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Profile:
    keyring = {"PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.SharedFileKeyring",
               "TEST_KEYRING_FILE": str(tmp_path / "test-keyring.json")}
    monkeypatch.setenv("TEST_KEYRING_FILE", keyring["TEST_KEYRING_FILE"])
    return Profile(tmp_path / "profile", app_env(QT_QPA_PLATFORM="offscreen", **keyring))


@dataclass
class Shop:
    emu: RunningEmulator
    proxy: HostileProxy
    orders: int

    def hold_next_answer(self) -> threading.Event:
        """From now on, the app's next request for orders is answered one byte an hour: its
        sync is under way (run recorded as running) and stays so. Returns what is set when
        that request has arrived."""
        arrived = threading.Event()

        def note(body: Any, _request: ProxiedRequest) -> Any:
            arrived.set()
            return body

        self.proxy.add(Rule(path=r"^/order/", json=note, trickle=(1, 3600.0), times=1))
        return arrived


@pytest.fixture
def shop(start_emulator: StartEmulator, profile: Profile) -> Iterator[Shop]:
    """An emulator with an account connected in `profile` (through the proxy) and synced
    once: its orders are in the database."""
    emu = start_emulator(orders=120, history_days=60, seed=13)
    with HostileProxy(emu.base_url) as proxy, httpx.Client(base_url=proxy.base_url,
                                                            timeout=10) as http:
        paths = resolve_paths(profile.data_dir)
        services = open_app_services(paths, store=TokenStore(backend=SharedFileKeyring()))
        connect(RunningEmulator(emu.emulator, proxy.base_url, http), services)
        with Database.open(paths.database) as database:
            results = asyncio.run(sync_all_accounts(services, database, retry=FAST_RETRY))
        assert [r.report.outcome for r in results] == ["succeeded"]
        yield Shop(emu, proxy, orders=120)


# -- one window per profile ---------------------------------------------------------------------

def test_a_second_start_brings_the_first_window_to_the_front(profile: Profile) -> None:
    first = profile.start_window()
    first.wait_for("this window answers further starts")

    second = profile.start_window("--language", "en")
    assert second.finish() == 0
    assert second.lines == [f"Allegro Desktop is already running with the data folder "
                            f"{profile.data_dir.resolve()}: its window was brought to the front."]
    first.wait_for(rf"another start \(pid {second.process.pid}, arguments: --data-dir "
                   rf".* --language en\) asked for this window")

    first.process.send_signal(signal.SIGTERM)
    assert first.finish() == 0
    first.wait_for("quitting on SIGTERM")


def test_a_killed_window_leaves_no_stuck_lock(profile: Profile) -> None:
    killed = profile.start_window()
    killed.wait_for("this window answers further starts")
    killed.process.send_signal(signal.SIGKILL)
    assert killed.finish() == -signal.SIGKILL
    assert (profile.data_dir / "window.lock").exists()  # left behind, naming a dead pid

    after = profile.start_window()
    after.wait_for("this window answers further starts")  # it took the profile over
    third = profile.start_window()
    assert third.finish() == 0  # and answers as the first window
    after.wait_for(rf"another start \(pid {third.process.pid}")
    after.process.send_signal(signal.SIGTERM)
    assert after.finish() == 0


def test_the_demo_is_a_profile_of_its_own(profile: Profile) -> None:
    window = profile.start_window()
    window.wait_for("this window answers further starts")
    demo = profile.start_window("--demo")  # "Try the demo" from the window
    demo.wait_for(rf"this window answers further starts on {re.escape(str(profile.data_dir))}")
    demo.wait_for("order database .*demo")
    for process in (window, demo):
        process.process.send_signal(signal.SIGTERM)
        assert process.finish() == 0


# -- one syncer per profile; SIGTERM ------------------------------------------------------------

def test_sigterm_during_a_sync_quits_the_window_cleanly(profile: Profile, shop: Shop) -> None:
    arrived = shop.hold_next_answer()
    window = profile.start_window()
    assert arrived.wait(WAIT)  # its start-up sync is under way, held by the proxy
    assert [outcome for _kind, outcome in profile.runs()] == ["succeeded", "running"]

    # A scheduled `sync` meanwhile: the window holds the lease, the command says so.
    busy = profile.sync("--wait", "0")
    assert busy.returncode == ExitCode.BUSY, busy.stderr
    assert busy.stderr.splitlines() == [  # one line
        f"allegro-desktop: The profile is busy: Allegro Desktop (pid {window.process.pid}) is "
        f"syncing it."]

    window.process.send_signal(signal.SIGTERM)
    assert window.finish() == 0
    window.wait_for("quitting on SIGTERM")
    assert [outcome for _kind, outcome in profile.runs()] == ["succeeded", "cancelled"]
    wal = profile.data_dir / "orders.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: all in the main file
    assert profile.stored_orders() == shop.orders

    again = profile.sync()  # the lease went with the window
    assert again.returncode == 0, again.stderr


def test_sigterm_stops_the_sync_command_calmly(profile: Profile, shop: Shop) -> None:
    arrived = shop.hold_next_answer()
    command = profile.start_sync()
    assert arrived.wait(WAIT)
    command.process.send_signal(signal.SIGTERM)
    assert command.finish() == ExitCode.TERMINATED
    command.wait_for("^Stopped on SIGTERM: the sync was cancelled; what it stored is kept.$")
    assert [outcome for _kind, outcome in profile.runs()] == ["succeeded", "cancelled"]
    assert profile.stored_orders() == shop.orders
    assert profile.sync().returncode == 0  # nothing left held


def test_the_sync_command_waits_for_the_other_sync(profile: Profile, shop: Shop) -> None:
    arrived = shop.hold_next_answer()
    first = profile.start_sync()
    assert arrived.wait(WAIT)  # the first holds the lease, its sync held by the proxy
    second = profile.start_sync("--wait", str(WAIT))
    first.process.send_signal(signal.SIGTERM)  # the first ends; the second gets its turn
    assert first.finish() == ExitCode.TERMINATED
    assert second.finish() == 0, "\n".join(second.lines)
    assert [outcome for _kind, outcome in profile.runs()] == [
        "succeeded", "cancelled", "succeeded"]


def test_sigterm_during_a_sync_commands_wait_for_the_profile(profile: Profile) -> None:
    """Outside the sync itself (here: waiting for the lease) SIGTERM and SIGHUP stop the
    command calmly too, with their own exit codes."""
    profile.data_dir.mkdir(parents=True)
    with LeaseHolderProcess(profile.data_dir / "orders.sqlite3"):
        for sig, code in ((signal.SIGTERM, ExitCode.TERMINATED),
                          (signal.SIGHUP, ExitCode.HANGUP)):
            command = profile.start_sync("--wait", str(WAIT), options=("--log-level", "INFO"))
            command.wait_for(r"waiting up to \d+ s for the profile")
            command.process.send_signal(sig)
            assert command.finish() == code
            assert command.lines[-1] == f"Stopped on {sig.name}."
            assert not any("Traceback" in line for line in command.lines)


# -- a quit signal or a second start while the database opens -----------------------------------

def test_sigterm_while_the_window_waits_for_its_database_quits_calmly(profile: Profile) -> None:
    holder = profile.lock_database()
    try:
        window = profile.start_window()
        window.wait_for("is locked by another program; waiting")
        window.process.send_signal(signal.SIGTERM)
        assert window.finish() == 0
    finally:
        holder.close()
    window.wait_for("quitting on SIGTERM")
    assert not any(re.search(r"order database .* \(schema", line) for line in window.lines)
    assert profile.sync().returncode == 0  # nothing left held


def test_a_second_start_while_the_first_waits_for_its_database(profile: Profile) -> None:
    """The first start has no window yet: the second is told it is starting (not that a
    window came to the front), and the window, once built, comes to the front."""
    holder = profile.lock_database()
    try:
        first = profile.start_window()
        first.wait_for("is locked by another program; waiting")
        second = profile.start_window()
        assert second.finish() == 0
        assert second.lines == [
            f"Allegro Desktop is already starting with the data folder "
            f"{profile.data_dir.resolve()}: its window appears as soon as it has opened the "
            f"order database."]
        first.wait_for(rf"another start \(pid {second.process.pid}\) asked for this window "
                       rf"while it starts")
    finally:
        holder.close()
    first.wait_for(rf"bringing the window to the front for the start \(pid "
                   rf"{second.process.pid}\) that asked while it started")
    third = profile.start_window()
    assert third.finish() == 0
    assert third.lines[0].endswith("its window was brought to the front.")
    first.process.send_signal(signal.SIGTERM)
    assert first.finish() == 0


# -- quitting while a restore is under way ------------------------------------------------------

_GATED_RESTORE = """
import logging
import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication

from allegro_desktop.app import stop_sync_thread
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.storage import Database
from allegro_desktop.sync.worker import SyncWorker

logging.basicConfig(level=logging.INFO, stream=sys.stderr)
app = QApplication([])
paths = resolve_paths(Path(sys.argv[1]))
database = Database.open(paths.database)
worker = SyncWorker(source=open_app_services(paths), database=database)
worker.start()
running = threading.Event()


def restore() -> None:
    # As a restore: the database's only writer, not to be stopped half-way; held at a gate
    # (a line on stdin) for as long as the test wants it under way.
    running.set()
    sys.stdin.readline()
    with database.write() as connection:
        connection.exec_driver_sql(
            "INSERT INTO app_meta (key, value) VALUES ('gated restore', 'done')")
    print("restored", flush=True)


worker.run_exclusive(restore, refused=print)
running.wait()
print("quitting", flush=True)
ended = stop_sync_thread(worker)  # what the window's quit does with the sync thread
print("thread ended" if ended else "thread left running", flush=True)
database.close()
"""


def test_quitting_during_a_restore_waits_for_it_and_exits_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "profile"
    process = subprocess.Popen(
        [sys.executable, "-c", _GATED_RESTORE, str(data_dir)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=app_env(QT_QPA_PLATFORM="offscreen"))
    assert process.stdout is not None
    assert process.stdin is not None
    try:
        assert process.stdout.readline() == "quitting\n"
        log = Lines(process)
        log.wait_for("quitting once the restore under way has ended")
        assert process.poll() is None  # the quit waits: the restore is at its gate
        process.stdin.write("go on\n")
        process.stdin.flush()
        assert process.wait(timeout=WAIT) == 0
        assert process.stdout.read().splitlines() == ["restored", "thread ended"]
    finally:
        if process.poll() is None:
            process.kill()
    log.finish()
    assert not any("QThread" in line or "Traceback" in line for line in log.lines), log.lines
    with closing(sqlite3.connect(data_dir / "orders.sqlite3")) as db:
        assert db.execute("SELECT value FROM app_meta WHERE key = 'gated restore'"
                          ).fetchall() == [("done",)]
