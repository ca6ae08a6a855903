"""How long a terminal command takes as a whole process, against the least any client can take.

    python benchmarks/bench_startup.py                  # 5 runs each, 50 ms latency
    python benchmarks/bench_startup.py --runs 9 --latency-ms 0

An emulator runs as its own process (`allegro-desktop emulator --latency-ms L`, 2 000 orders);
an account is connected with `allegro-desktop login` and synced once. Then, in turns, each of
these is started as a new process and timed from start to exit (wall time), `--runs` times:

1. `allegro-desktop sync` with nothing to do: the account's one request (`GET /order/events`
   from its cursor, answered with no event), the run recorded — what the window and a cron job
   do every minute;
2. a minimal Python client making that same request: `python -c "import httpx;
   httpx.get(...)"` with the account's token and cursor, against the same emulator process;
3. `allegro-desktop accounts` (reads a file, no request) and `allegro-desktop export --format
   csv` of the synced orders.

The app's modules run compiled, as pip leaves an installed app (`with_bytecode_cache`: where
PYTHONDONTWRITEBYTECODE is set, every start would compile the checkout's modules from source);
the sync is also timed that way, compiling them at each start, in the same turns.

With `--baseline-root DIR` (another checkout of the app, e.g. `git worktree add` of an older
commit), that checkout's `sync` is timed too, in the same turns, on the same data folder.

Printed: the median (and min–max) of each, and the ratio of the sync to the minimal client (the
target: at most 3). Then where the sync's start-up goes: `python -X importtime` of the same
command, its slowest imports. The tokens live in a test keyring file (the keyring is chosen by
`PYTHON_KEYRING_BACKEND`, so the figure does not include keyring's probe of every backend,
which the app now does once and remembers: `auth/token_store.py`); `--keyring-probe` also
times that probe against loading the remembered backend, each in a new process.

Figures, not assertions: they depend on the machine and its load (printed with them); compare
the rows of one run, and copy them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from emulator_process import start_emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.processes import with_bytecode_cache  # noqa: E402

ACCEPT = "application/vnd.allegro.public.v1+json"

#: The minimal client: one GET, its status checked, nothing else.
MINIMAL_CLIENT = """
import sys, httpx
response = httpx.get(sys.argv[1] + "/order/events", params={"from": sys.argv[3]},
                     headers={"Authorization": "Bearer " + sys.argv[2],
                              "Accept": "ACCEPT"})
response.raise_for_status()
""".replace("ACCEPT", ACCEPT)


def _env(data_dir: Path, root: Path = ROOT) -> dict[str, str]:
    """The commands' environment: the app from `root`, the test keyring, and Python's
    bytecode cache as an installed app has it (`with_bytecode_cache`)."""
    env = with_bytecode_cache({k: v for k, v in os.environ.items()
                               if not k.startswith(("ALLEGRO_", "PYTHON_KEYRING"))})
    env["PYTHONPATH"] = f"{root}{os.pathsep}{ROOT}"  # the app from `root`, the test keyring
    env["PYTHON_KEYRING_BACKEND"] = "tests.helpers.file_keyring.SharedFileKeyring"
    env["TEST_KEYRING_FILE"] = str(data_dir / "test-keyring.json")
    return env


def _app(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir), *args]


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])}... failed ({done.returncode}): "
                         f"{done.stderr.strip()}")
    return elapsed


def _login(base_url: str, data_dir: Path, env: dict[str, str]) -> None:
    import httpx

    process = subprocess.Popen(_app(data_dir, "--environment", base_url, "login"),
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "shows the code:" in line:
            code = line.rsplit(":", 1)[1].strip().replace(" ", "").lower()
            break
    else:
        raise SystemExit("login printed no code")
    httpx.post(f"{base_url}/__emulator__/device/approve", json={"user_code": code})
    if process.wait(timeout=120) != 0:
        raise SystemExit("login failed")


def _token_and_cursor(data_dir: Path) -> tuple[str, str]:
    """The account's access token (from the test keyring file) and event cursor."""
    sys.path.insert(0, str(ROOT))
    os.environ["TEST_KEYRING_FILE"] = str(data_dir / "test-keyring.json")
    from allegro_desktop.auth.account_registry import AccountRegistry
    from allegro_desktop.auth.token_store import TokenStore
    from tests.helpers.file_keyring import SharedFileKeyring

    account = AccountRegistry(data_dir / "config" / "accounts.json").all()[0]
    keyring_file = SharedFileKeyring()  # type: ignore[no-untyped-call]
    pair = TokenStore(backend=keyring_file).load(account.key)
    assert pair is not None
    with sqlite3.connect(data_dir / "orders.sqlite3") as connection:
        cursor = connection.execute("SELECT event_cursor FROM sync_state").fetchone()[0]
    return pair.access_token, str(cursor)


def _row(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"  {name:<44} {median:6.3f} s   (min {min(times):.3f}, max {max(times):.3f})")
    return median


def _slowest_imports(command: list[str], env: dict[str, str], count: int = 12) -> None:
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], env=env,
                          capture_output=True, text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip(
                ).isdigit():
            continue
        rows.append((int(parts[1]), parts[2].rstrip()[1:]))
    top_level = [(us, name) for us, name in rows if not name.startswith("  ")]
    total = sum(us for us, _ in top_level)
    print(f"  imports of `{' '.join(command[4:])}`: {total / 1e6:.3f} s in all; the slowest:")
    for us, name in sorted(rows, reverse=True)[:count]:
        print(f"    {us / 1e6:6.3f} s  {name}")


def _keyring_probe(runs: int, data_dir: Path) -> None:
    """keyring's own choice (every backend probed) against loading one backend by name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON_KEYRING")}
    env["XDG_CONFIG_HOME"] = str(data_dir / "no-keyring-config")
    probe = [sys.executable, "-c", "import keyring; keyring.get_keyring()"]
    remembered = [sys.executable, "-c", "import keyring.core; "
                  "keyring.core.load_keyring('keyring.backends.fail.Keyring')"]
    bare = [sys.executable, "-c", "import keyring.core"]
    print("keyring (new processes; this machine's backends):")
    _row("import keyring", [_timed(bare, env) for _ in range(runs)])
    _row("import + probe every backend (keyring's choice)",
         [_timed(probe, env) for _ in range(runs)])
    _row("import + load the remembered backend", [_timed(remembered, env) for _ in range(runs)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--keyring-probe", action="store_true")
    parser.add_argument("--baseline-root", type=Path, metavar="DIR",
                        help="also time this checkout's sync, in the same turns")
    options = parser.parse_args()

    emulator, base_url, _ = start_emulator(options.orders, "--latency-ms",
                                           str(options.latency_ms), "--history-days", "364")
    try:
        with tempfile.TemporaryDirectory() as folder:
            data_dir = Path(folder)
            env = _env(data_dir)
            _login(base_url, data_dir, env)
            _timed(_app(data_dir, "sync"), env)  # the first sync: the database made
            token, cursor = _token_and_cursor(data_dir)
            sync, client, baseline, uncompiled = [], [], [], []
            # the same command with the app's modules compiled from source at each start: a
            # copy of them without their caches, where none may be written
            uncompiled_root = data_dir / "uncompiled"
            shutil.copytree(ROOT / "allegro_desktop", uncompiled_root / "allegro_desktop",
                            ignore=shutil.ignore_patterns("__pycache__"))
            from_source = {**env, "PYTHONDONTWRITEBYTECODE": "1",
                           "PYTHONPATH": f"{uncompiled_root}{os.pathsep}{ROOT}"}
            baseline_env = (_env(data_dir, options.baseline_root.resolve())
                            if options.baseline_root else None)
            accounts, export = [], []
            out_file = data_dir / "orders.csv"
            for _ in range(options.runs):  # in turns: the machine's load hits each alike
                sync.append(_timed(_app(data_dir, "sync"), env))
                uncompiled.append(_timed(_app(data_dir, "sync"), from_source))
                if baseline_env is not None:
                    baseline.append(_timed(_app(data_dir, "sync"), baseline_env))
                client.append(_timed([sys.executable, "-c", MINIMAL_CLIENT, base_url, token,
                                      cursor], env))
                accounts.append(_timed(_app(data_dir, "accounts"), env))
                export.append(_timed(_app(data_dir, "export", "--format", "csv", "--out",
                                          str(out_file)), env))
            load = os.getloadavg()
            print(f"Whole processes, medians of {options.runs}; emulator at "
                  f"{options.latency_ms:g} ms latency, {options.orders} orders; load average "
                  f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
            synced = _row("allegro-desktop sync (nothing to do)", sync)
            minimal = _row("minimal httpx client, the same request", client)
            _row("allegro-desktop accounts", accounts)
            _row(f"allegro-desktop export --format csv ({options.orders} orders)", export)
            print(f"  sync / minimal client: {synced / minimal:.2f}x (target: at most 3x)")
            compiling = _row("sync, its modules compiled at each start", uncompiled)
            print(f"  that sync / minimal client: {compiling / minimal:.2f}x")
            if baseline:
                before = _row(f"sync of {options.baseline_root}", baseline)
                print(f"  that sync / minimal client: {before / minimal:.2f}x")
            _slowest_imports(_app(data_dir, "sync"), env)
            if options.keyring_probe:
                _keyring_probe(options.runs, data_dir)
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
