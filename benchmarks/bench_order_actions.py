"""How fast the seller's bulk status changes go out: 500 orders, the emulator at 50 ms latency.

    python benchmarks/bench_order_actions.py                  # 500 orders, 50 ms
    python benchmarks/bench_order_actions.py --orders 200 --latency-ms 20

An emulator runs as its own process (`allegro-desktop emulator --latency-ms L --rate-limit
9000`, Allegro's own limit); `allegro-desktop login` connects its seller into a temporary data
folder (a test keyring file); `--orders` paid orders at NEW are created through the control API
and synced. Then:

1. the whole command, `allegro-desktop orders set-status --status PROCESSING ID…` with every
   id: wall time of the process (start-up, migrations, queueing, sending, waiting) and its exit;
2. the sender alone (`sync.actions.send_account_actions`, in this process) at concurrency 1, 4
   (the app's `CONCURRENCY`) and 16, each round to the next status, to show what bounds it.

Printed: seconds, actions/s, API requests the emulator served, and whether its rate limit ever
blocked the client id; for the sender alone also the CPU it used (this process's: the emulator
runs in its own), what it takes from the window's threads while it sends. Figures, not
assertions: copy them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from emulator_process import start_emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allegro_desktop.auth.token_store import TokenStore  # noqa: E402
from allegro_desktop.config.app_services import open_app_services  # noqa: E402
from allegro_desktop.config.paths import resolve_paths  # noqa: E402
from allegro_desktop.services.order_actions import OrderActions  # noqa: E402
from allegro_desktop.storage import Database  # noqa: E402
from allegro_desktop.sync.actions import send_account_actions  # noqa: E402
from tests.helpers.file_keyring import SharedFileKeyring  # noqa: E402
from tests.helpers.processes import app_env, code_from, shared_keyring, start_login  # noqa: E402

ROUNDS = (("READY_FOR_SHIPMENT", 1), ("READY_FOR_PICKUP", 4), ("SENT", 16))


def _control(http: httpx.Client, method: str, path: str, json: Any = None) -> Any:
    response = http.request(method, f"/__emulator__{path}", json=json)
    response.raise_for_status()
    return response.json()


def _login(http: httpx.Client, base_url: str, data: Path) -> None:
    process = start_login(data, base_url, **shared_keyring(data))
    _lines, code = code_from(process)
    _control(http, "POST", "/device/approve", {"user_code": code})
    _out, err = process.communicate(timeout=60)
    if process.returncode != 0:
        raise SystemExit(f"login failed: {err}")


def _app(data: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir", str(data),
                             *args], capture_output=True, text=True, check=False,
                            env=app_env(**shared_keyring(data)))
    return time.perf_counter() - began, result


def _served(http: httpx.Client) -> int:
    return int(_control(http, "GET", "/stats")["api_requests"])


def _blocked(http: httpx.Client) -> float:
    clients = _control(http, "GET", "/ratelimit")["clients"]
    return max((c["blocked_for"] for c in clients.values()), default=0.0)


async def _send_all(data: Path, concurrency: int) -> tuple[int, int]:
    paths = resolve_paths(data)
    services = open_app_services(paths, store=TokenStore(
        backend=SharedFileKeyring()))  # type: ignore[no-untyped-call]  # keyring is untyped
    (account,) = services.registry.all()
    database = Database.open(paths.database)
    try:
        outcomes = await send_account_actions(services, database, account,
                                              concurrency=concurrency)
    finally:
        database.close()
    return sum(o.sent for o in outcomes), len(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.orders} status changes, emulator latency {args.latency_ms:g} ms, "
          f"rate limit 9000 requests/min\n")
    emulator, base_url, _ = start_emulator(0, "--latency-ms", str(args.latency_ms),
                                           "--rate-limit", "9000", "--device-interval", "1")
    try:
        with tempfile.TemporaryDirectory() as folder, \
                httpx.Client(base_url=base_url, timeout=30) as http:
            data = Path(folder) / "app"
            os.environ.update(shared_keyring(data))
            _login(http, base_url, data)
            ids = [_control(http, "POST", "/orders", {"checkoutForm": {
                "status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}})[
                "checkoutForms"][0]["id"] for _ in range(args.orders)]
            seconds, synced = _app(data, "sync")
            assert synced.returncode == 0, synced.stderr
            print(f"setup: {args.orders} paid orders synced in {seconds:.1f} s")

            before = _served(http)
            seconds, result = _app(data, "orders", "set-status", "--status", "PROCESSING",
                                   *ids)
            sent = sum(1 for line in result.stdout.splitlines() if line.endswith(": sent"))
            print(f"\n1. allegro-desktop orders set-status (the whole command, concurrency 4)"
                  f"\n   {seconds:6.1f} s  exit {result.returncode}  sent {sent}/{args.orders}"
                  f"  {sent / seconds:6.1f} actions/s  API requests "
                  f"{_served(http) - before}  blocked {_blocked(http):.0f} s")

            print("\n2. the sender alone (queued in this process, then sent)")
            for status, concurrency in ROUNDS:
                database = Database.open(resolve_paths(data).database)
                OrderActions(database).queue_status(ids, status)
                database.close()
                before = _served(http)
                began, cpu = time.perf_counter(), time.process_time()
                sent, tried = asyncio.run(_send_all(data, concurrency))
                seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
                print(f"   concurrency {concurrency:2d}: {seconds:6.1f} s  sent {sent}/{tried}"
                      f"  {sent / seconds:6.1f} actions/s  API requests "
                      f"{_served(http) - before}  blocked {_blocked(http):.0f} s  CPU "
                      f"{cpu:.1f} s ({1000 * cpu / max(1, tried):.1f} ms an action)")
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
