"""Another process holding a profile's sync lease, for tests: a real process (the lease is an OS
lock between processes), told by the test when to let go — or killed.

    with LeaseHolderProcess(database_path) as holder:   # holds it as the window would
        ... the test's own sync finds the profile busy, naming holder.pid ...
        holder.release()                                # or holder.kill()
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from allegro_desktop.sync.lease import LeaseHolder
from tests.helpers.processes import app_env

_SCRIPT = """
import sys
from pathlib import Path

from allegro_desktop.sync.lease import LeaseHolder, SyncLease

lease = SyncLease(Path(sys.argv[1]), holder=LeaseHolder[sys.argv[2]])
lease.acquire(wait=60)
print("held", flush=True)
sys.stdin.readline()
lease.release()
print("released", flush=True)
"""


class LeaseHolderProcess:
    """A process that takes the lease of the database at `database` as `holder` on start and
    holds it until `release()` (or `kill()`)."""

    def __init__(self, database: Path, holder: LeaseHolder = LeaseHolder.WINDOW) -> None:
        self.database = database
        self.holder = holder
        self._process: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> LeaseHolderProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SCRIPT, str(self.database), self.holder.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=app_env())
        assert self._process.stdout is not None
        line = self._process.stdout.readline()  # blocks until it holds the lease (or fails)
        if line.strip() != "held":
            self._process.kill()
            _out, err = self._process.communicate(timeout=30)
            raise AssertionError(f"the lease holder did not take the lease: {line!r} {err}")
        return self

    def release(self) -> None:
        """Let the lease go, and wait until the process has ended."""
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.write("\n")
        self._process.stdin.flush()
        out, err = self._process.communicate(timeout=30)
        assert self._process.returncode == 0, err
        assert out.strip() == "released", out

    def kill(self) -> None:
        """SIGKILL: no clean-up of its own; the kernel drops its lock."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.communicate(timeout=30)

    def __enter__(self) -> LeaseHolderProcess:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate(timeout=30)
