"""How fast the emulator serves, so later sync benchmarks know it is not their bottleneck.

    python benchmarks/bench_emulator.py                    # 10 000 and 100 000 orders
    python benchmarks/bench_emulator.py --orders 5000 --seconds 5

The emulator runs as its own process (`allegro-desktop emulator`, as other tools use it); this
process is the client: several asyncio connections over real HTTP on loopback. It prints the
start-up time (data generation), then requests/second and latency percentiles for the order-list
endpoint (pages of 100: unfiltered deep pages, boughtAt windows, status filters), single checkout
forms, and event pages of 1000. Figures, not assertions: copy them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from emulator_process import device_token, start_emulator

ACCEPT = "application/vnd.allegro.public.v1+json"


async def _measure(base_url: str, token: str,
                   make: Callable[[random.Random], tuple[str, dict[str, Any]]],
                   *, seconds: float, concurrency: int) -> tuple[int, list[float], int]:
    headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT}
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(seed: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            path, params = make(rng)
            t0 = time.perf_counter()
            response = await http.get(path, params=params, headers=headers)
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 200:
                errors += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:
        await asyncio.gather(*(worker(i, http) for i in range(concurrency)))
    return len(latencies), latencies, errors


def _scenarios(base_url: str, token: str, orders: int
               ) -> dict[str, Callable[[random.Random], tuple[str, dict[str, Any]]]]:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        forms = http.get("/order/checkout-forms", params={"limit": 100},
                         headers={"Authorization": f"Bearer {token}", "Accept": ACCEPT}).json()
        ids = [f["id"] for f in forms["checkoutForms"]]
        stats = http.get("/order/event-stats",
                         headers={"Authorization": f"Bearer {token}", "Accept": ACCEPT}).json()
    now = datetime.fromisoformat(stats["latestEvent"]["occurredAt"])
    max_offset = min(orders, 10_000) - 100

    def list_deep(rng: random.Random) -> tuple[str, dict[str, Any]]:
        return "/order/checkout-forms", {"limit": 100, "offset": rng.randrange(0, max_offset)}

    def list_window(rng: random.Random) -> tuple[str, dict[str, Any]]:
        start = now - timedelta(days=rng.randrange(7, 390))
        return "/order/checkout-forms", {
            "limit": 100, "lineItems.boughtAt.gte": start.isoformat(),
            "lineItems.boughtAt.lte": (start + timedelta(days=7)).isoformat()}

    def list_status(rng: random.Random) -> tuple[str, dict[str, Any]]:
        return "/order/checkout-forms", {
            "limit": 100, "status": "READY_FOR_PROCESSING",
            "fulfillment.status": rng.choice(["NEW", "PROCESSING", "SENT"]),
            "offset": rng.randrange(0, 500)}

    def single(rng: random.Random) -> tuple[str, dict[str, Any]]:
        return f"/order/checkout-forms/{rng.choice(ids)}", {}

    def events(rng: random.Random) -> tuple[str, dict[str, Any]]:
        return "/order/events", {"limit": 1000}

    return {
        "list, page of 100, random offset": list_deep,
        "list, 7-day boughtAt window": list_window,
        "list, status + fulfillment filter": list_status,
        "single checkout form": single,
        "events, page of 1000": events,
    }


def _rss_mb(pid: int) -> str:
    """The emulator process's resident memory (Linux), or "?" elsewhere."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return f"{int(line.split()[1]) / 1024:.0f} MB"
    except OSError:
        pass
    return "?"


def run(orders: int, seconds: float, concurrency: int) -> None:
    process, base_url, startup = start_emulator(orders)
    try:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            token = device_token(http)
        print(f"\n{orders:,} orders — emulator start-up (generation + indexing): {startup:.1f} s, "
              f"resident memory {_rss_mb(process.pid)}")
        print(f"  {'scenario':36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for name, make in _scenarios(base_url, token, orders).items():
            count, latencies, errors = asyncio.run(
                _measure(base_url, token, make, seconds=seconds, concurrency=concurrency))
            quantiles = statistics.quantiles(latencies, n=20)
            print(f"  {name:36} {count / seconds:8.0f} {statistics.median(latencies) * 1000:8.1f}"
                  f" {quantiles[18] * 1000:8.1f} {errors:7d}")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--seconds", type=float, default=8.0, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; client: {args.concurrency} "
          f"connections, {args.seconds:.0f} s per scenario")
    for orders in args.orders:
        run(orders, args.seconds, args.concurrency)


if __name__ == "__main__":
    main()
