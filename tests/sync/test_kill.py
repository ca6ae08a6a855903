"""`allegro-desktop sync` killed with SIGKILL at random moments, over and over, while the shop
keeps changing: every kill leaves a database whose cursor is never ahead of its orders, and the
next runs end with exactly what Allegro has (ARCHITECTURE.md "Sync": killing it at any instant and
running it again ends with exactly what one clean run stores).

The sync runs in processes of its own against the emulator of the test's process (with latency,
so that a run lasts long enough to be hit anywhere). Each is a fork of a warmed-up fork server
running `allegro_desktop.cli.main(["--data-dir", D, "sync"])` — the code of `python -m
allegro_desktop sync` without a second of imports per run (`sync_zygote.py`); the last runs are
the real `python -m allegro_desktop sync --json`. Kill points come from a seeded RNG: after a
drawn number of API requests the emulator has served to the run (plus a drawn fraction of a
request), or a drawn time after the start (start-up, migrations, token, event-stats).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.emulator.limits import FaultProfile
from allegro_desktop.emulator.store import Quirks
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.file_keyring import SharedFileKeyring
from tests.helpers.processes import ROOT, app_env
from tests.helpers.sync_truth import (
    Stored,
    Truth,
    assert_consistent,
    assert_exact,
    buyer_cancel,
    change_address,
    churn,
    move_parcels,
    new_unpaid,
    pay,
)
from tests.helpers.synced_shop import connect

SEED = 20261124
BACKFILL_KILLS = 8
INCREMENTAL_KILLS = 20
BACKFILL_REQUESTS = 18  # about what a back-fill of the test's shop takes
INCREMENTAL_REQUESTS = 40  # less than most runs after a small change take
KILLED = -9  # the exit code of a process killed by SIGKILL

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


class Zygote:
    """The fork server of `sync_zygote.py`, and the runs it forks."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.sync_zygote"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, cwd=ROOT)
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        self._buffer = b""
        self.running: int | None = None  # the pid of the run under way
        assert self._line(120) == "ready"

    def _line(self, timeout: float) -> str | None:
        """The next line of the server, or None after `timeout` seconds without one."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self._fd, 4096)
            assert chunk, "the fork server died"
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def start(self, arguments: list[str]) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(f"run {json.dumps(arguments)}\n".encode())
        self.process.stdin.flush()
        line = self._line(30)
        assert line is not None
        assert line.startswith("pid "), line
        self.running = int(line.split()[1])
        return self.running

    def exit_code(self, pid: int, timeout: float) -> int | None:
        """The run's exit code once it ended (within `timeout` seconds), else None."""
        line = self._line(timeout)
        if line is None:
            return None
        word, ended, code = line.split()
        assert (word, int(ended)) == ("exit", pid), line
        self.running = None
        return int(code)

    def close(self) -> None:
        """End the server (and a run a failed test left under way)."""
        if self.running is not None:
            os.kill(self.running, signal.SIGKILL)
            self.exit_code(self.running, 30)
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def zygote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Zygote]:
    keyring = {"PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.SharedFileKeyring",
               "TEST_KEYRING_FILE": str(tmp_path / "test-keyring.json")}
    monkeypatch.setenv("TEST_KEYRING_FILE", keyring["TEST_KEYRING_FILE"])
    server = Zygote(app_env(**keyring))
    yield server
    server.close()


@dataclass(frozen=True)
class Kill:
    """When to kill a run: `seconds` after its start; or once the emulator served it
    `requests` API requests — counted from its first commit of an event page when
    `after_commit` — and then a drawn moment more (`extra` seconds)."""

    seconds: float | None = None
    requests: int = 0
    after_commit: bool = False
    extra: float = 0.0


def _cursor(database: Path) -> str | None:
    """The stored cursor, read while a run may be writing (WAL: it never waits for it)."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT event_cursor FROM sync_state").fetchone()
    except sqlite3.Error:  # not created yet
        return None
    return None if row is None else str(row[0])


def _run(zygote: Zygote, emu: RunningEmulator, data_dir: Path, kill: Kill | None) -> int:
    """One sync run, killed as `kill` says (None: never). Its exit code, `KILLED` if killed.
    Waiting polls the run's exit, the emulator's request count and the database: no sleeps."""
    database = resolve_paths(data_dir).database
    cursor = _cursor(database)
    served = emu.emulator.api_request_count
    pid = zygote.start(["--data-dir", str(data_dir), "--log-level", "INFO", "sync"])
    if kill is not None:
        if kill.seconds is not None:
            code = zygote.exit_code(pid, kill.seconds)
        else:
            while (code := zygote.exit_code(pid, 0.003)) is None:
                if kill.after_commit and _cursor(database) == cursor:
                    served = emu.emulator.api_request_count
                    continue
                if emu.emulator.api_request_count - served >= kill.requests:
                    code = zygote.exit_code(pid, kill.extra)
                    break
        if code is not None:
            return code  # it ended before the kill point
        os.kill(pid, signal.SIGKILL)
    code = zygote.exit_code(pid, 120)
    assert code is not None, "a sync run did not end in 2 minutes"
    return code


def _plan(rng: random.Random) -> list[tuple[str, Kill | None]]:
    """(how to change the shop before the run, when to kill it), a seeded draw."""
    moment = lambda: rng.uniform(0, 0.02)  # noqa: E731 - within a request or a commit
    plan: list[tuple[str, Kill | None]] = [
        ("none", Kill(seconds=rng.uniform(0.0, 0.3))) for _ in range(2)]  # start-up
    plan += [("small", Kill(requests=rng.randint(0, BACKFILL_REQUESTS), extra=moment()))
             for _ in range(BACKFILL_KILLS - 2)]
    plan.append(("small", None))  # the back-fill finishes
    for round_ in range(INCREMENTAL_KILLS):
        if round_ % 5 == 4:
            plan.append(("big", Kill(requests=rng.randint(0, 8), after_commit=True,
                                     extra=moment())))
        elif round_ % 7 == 6:
            plan.append(("small", Kill(seconds=rng.uniform(0.0, 0.3))))
        else:
            plan.append(("small", Kill(requests=rng.randint(0, INCREMENTAL_REQUESTS),
                                       extra=moment())))
        if round_ % 8 == 7:
            plan.append(("small", None))  # a run that ends: later kills start from its cursor
    return plan


def _change_the_shop(emu: RunningEmulator, rng: random.Random, size: str, round_: int) -> None:
    """Buyers buy, pay, cancel and move; the warehouse ships; two fresh purchases of one
    buyer are merged (their old ids 404; events name them). A big change spans more than
    one page of the event journal."""
    if size == "none":
        return
    emu.control("POST", "/orders", {"count": rng.randint(5, 30)})
    if size == "big":
        churn(emu, rng, orders=40, changes=30)
    fresh = new_unpaid(emu, 3, buyer=round_)
    emu.control("POST", "/orders/merge", {"ids": fresh[:2]})
    pay(emu, rng, rng.randint(1, 5))
    move_parcels(emu, rng, rng.randint(5, 20))
    buyer_cancel(emu, rng, rng.randint(1, 3))
    change_address(emu, rng, rng.randint(1, 3))


def test_sync_killed_at_random_moments(start_emulator: StartEmulator, zygote: Zygote,
                                       tmp_path: Path) -> None:
    rng = random.Random(SEED)
    # Real time (`now=None`): the sync process runs on the real clock. History within the
    # app's 12 months; journal quirks as Allegro has them now and then.
    emu = start_emulator(now=None, orders=1000, history_days=200, seed=SEED % 1000,
                         quirks=Quirks.realistic(),
                         faults=FaultProfile(latency_ms=3, jitter_ms=12))
    data_dir = tmp_path / "app"
    services = open_app_services(resolve_paths(data_dir),
                                 store=TokenStore(backend=SharedFileKeyring()))
    account = connect(emu, services)
    database = resolve_paths(data_dir).database

    kills = {"back-fill": 0, "incremental": 0, "after a commit": 0}
    previous = Stored()
    for round_, (change, kill) in enumerate(_plan(rng)):
        _change_the_shop(emu, rng, change, round_)
        code = _run(zygote, emu, data_dir, kill)
        assert code in (0, KILLED), _log_tail(data_dir)
        stored = Stored.read(database, account.key)
        assert_consistent(stored, Truth.read(emu))
        # A cursor never moves back, a finished back-fill never becomes unfinished.
        assert stored.backfill_done or not previous.backfill_done
        if previous.cursor is not None and stored.cursor is not None:
            assert int(stored.cursor) >= int(previous.cursor)
        if code == KILLED and not stored.backfill_done:
            kills["back-fill"] += 1
        elif code == KILLED and previous.backfill_done:
            kills["incremental"] += 1
            kills["after a commit"] += stored.cursor != previous.cursor
        previous = stored

    # The kills did land in both phases, and some of them after pages were committed (the
    # others hit runs that were over sooner than drawn).
    assert kills["back-fill"] >= BACKFILL_KILLS // 2, kills
    assert kills["incremental"] >= INCREMENTAL_KILLS // 3, kills
    assert kills["after a commit"] >= 1, kills

    # The real command, twice: it finishes, and it finds nothing left to do.
    for attempt in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir), "sync",
             "--json"], capture_output=True, text=True, timeout=120, check=False,
            env=app_env(PYTHON_KEYRING_BACKEND="tests.helpers.file_keyring.SharedFileKeyring",
                     TEST_KEYRING_FILE=os.environ["TEST_KEYRING_FILE"]))
        assert result.returncode == 0, result.stderr[-3000:]
        report: dict[str, Any] = json.loads(result.stdout)[0]
        assert report["outcome"] == "succeeded"
        if attempt:
            assert (report["new"], report["updated"], report["gone"]) == (0, 0, 0), report
        assert_exact(Stored.read(database, account.key), Truth.read(emu))


def _log_tail(data_dir: Path) -> str:
    log = data_dir / "sync-runs.log"
    return log.read_text()[-3000:] if log.exists() else "(no log)"
