"""A fork server for the kill test: `allegro-desktop sync` in a fresh process, without paying
the interpreter's start-up and imports (about a second) for each of dozens of runs.

Run as `python -m tests.sync.sync_zygote`. It imports what `allegro-desktop sync` needs, prints
`ready`, then for every line `run <json list of CLI arguments>` on stdin forks a child that runs
`allegro_desktop.cli.main(arguments)` — the very code of `python -m allegro_desktop ... sync` —
with its output appended to `<data dir>/sync-runs.log`, and prints `pid <pid>`; when the child
ends (by itself or by the test's SIGKILL) it prints `exit <pid> <code>` (`-9` for SIGKILL).
The zygote itself never opens the database, a socket or a thread, so forking it is safe.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _warm_up() -> None:
    """Import everything a sync imports, so each child starts at once."""
    import sqlite3  # noqa: F401

    import alembic.command  # noqa: F401
    import httpx  # noqa: F401
    import keyring  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import allegro_desktop.cli
    import allegro_desktop.headless
    import allegro_desktop.headless_sync
    import allegro_desktop.storage
    import allegro_desktop.sync  # noqa: F401


def _child(arguments: list[str], log_path: str) -> None:
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    code = 70
    try:
        from allegro_desktop.cli import main

        code = main(arguments)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    _warm_up()
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command != "run":
            continue
        arguments = json.loads(argument)
        data_dir = arguments[arguments.index("--data-dir") + 1]
        pid = os.fork()
        if pid == 0:
            _child(arguments, os.path.join(data_dir, "sync-runs.log"))
        out.write(f"pid {pid}\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        out.write(f"exit {pid} {os.waitstatus_to_exitcode(status)}\n")
        out.flush()


if __name__ == "__main__":
    serve()
