"""`allegro-desktop orders set-status` and `orders add-tracking` as a user runs them: real
processes, a real data folder, the emulator over HTTP. Exit codes and one line per action that
was refused, failed or is not sent yet; SIGKILL between sending a tracking number (or a status)
and recording it never sends it twice (docs/ORDER-ACTIONS.md)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from allegro_desktop.config.paths import resolve_paths
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.hostile_proxy import HostileProxy, Rule
from tests.helpers.processes import app_env, login_in_a_process, run_app, shared_keyring


def _paid(emu: RunningEmulator, count: int) -> list[str]:
    return [emu.control("POST", "/orders", {"checkoutForm": {
        "status": "READY_FOR_PROCESSING", "fulfillment": {"status": "NEW"}}})[
        "checkoutForms"][0]["id"] for _ in range(count)]


def _status(emu: RunningEmulator, order_id: str) -> str:
    forms = emu.control("GET", "/checkout-forms")["checkoutForms"]
    return str(next(f["fulfillment"]["status"] for f in forms if f["id"] == order_id))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_orders_commands_send_and_say_what_failed(start_emulator: StartEmulator,
                                                  tmp_path: Path) -> None:
    emu = start_emulator(orders=5, device_interval=1)
    data = tmp_path / "app"
    login_in_a_process(emu, data)
    first, second, third = _paid(emu, 3)
    assert run_app(data, "sync").returncode == 0

    done = run_app(data, "orders", "set-status", "--status", "processing", first, second)
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout) == [f"{first}: status PROCESSING: sent",
                                   f"{second}: status PROCESSING: sent"]
    assert _status(emu, first) == _status(emu, second) == "PROCESSING"

    refused = run_app(data, "orders", "set-status", "--status", "SENT", first, "no-such-id")
    assert refused.returncode == 1
    assert _lines(refused.stdout) == [f"{first}: status SENT: sent"]
    assert _lines(refused.stderr) == [
        "allegro-desktop: no-such-id: not queued: Order no-such-id is not in the local "
        "database: sync first."]

    bad = run_app(data, "orders", "add-tracking", third, "--carrier", "DPD", "--waybill",
                  "BAD*NUMBER", "--mark-sent")
    assert bad.returncode == 1
    failed, behind = _lines(bad.stderr)  # a line per action: the status change waits
    assert failed.startswith(f"allegro-desktop: {third}: tracking number DPD BAD*NUMBER: "
                             f"failed: ")
    assert behind == (f"allegro-desktop: {third}: status SENT: not sent: it waits behind "
                      f"the order's failed action (retry or discard that one in the app)")

    # Offline: kept in the queue, one line; sent by the same command run again later.
    emu.control("POST", "/faults", {"drop_rate": 1.0, "paths": ["/order"]})
    offline = run_app(data, "orders", "set-status", "--status", "READY_FOR_SHIPMENT", second,
                      "--wait", "0")
    assert offline.returncode == 1
    (line,) = _lines(offline.stderr)
    assert line.startswith(f"allegro-desktop: {second}: status READY_FOR_SHIPMENT: not sent "
                           f"yet (Could not reach Allegro.")
    emu.control("DELETE", "/faults")
    again = run_app(data, "orders", "set-status", "--status", "READY_FOR_SHIPMENT", second)
    assert again.returncode == 0, again.stderr
    assert _status(emu, second) == "READY_FOR_SHIPMENT"

    usage = run_app(data, "orders", "set-status", "--status", "RETURNED", first)
    assert usage.returncode == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs SIGKILL")
@pytest.mark.parametrize("kind", ["tracking", "status"])
def test_a_kill_between_sending_and_recording_never_sends_twice(
        start_emulator: StartEmulator, tmp_path: Path, kind: str) -> None:
    emu = start_emulator(orders=5, device_interval=1)
    proxy = HostileProxy(emu.base_url)
    proxy.start()
    try:
        with httpx.Client(base_url=proxy.base_url, timeout=10) as http:
            app_side = RunningEmulator(emu.emulator, proxy.base_url, http)
            data = tmp_path / "app"
            login_in_a_process(app_side, data)
            (order_id,) = _paid(emu, 1)
            assert run_app(data, "sync").returncode == 0
            if kind == "tracking":
                command = ["orders", "add-tracking", order_id, "--carrier", "INPOST",
                           "--waybill", "620000000000000000000042"]
                sending = Rule(path=r"/shipments$", method="POST", endless=1024, times=1)
            else:
                command = ["orders", "set-status", "--status", "PICKED_UP", order_id]
                sending = Rule(path=r"/fulfillment$", method="PUT", status=200, endless=1024,
                               times=1)
            proxy.add(sending)

            # Allegro takes the request; its answer never ends; the command is killed then.
            process = subprocess.Popen(
                [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data), *command],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=app_env(**shared_keyring(data)))
            database = resolve_paths(data).database
            deadline = time.monotonic() + 60
            while not (_taken(emu, kind, order_id) and _state(database) == "sending"):
                assert time.monotonic() < deadline, "the request never reached Allegro"
                with pytest.raises(subprocess.TimeoutExpired):
                    process.wait(timeout=0.02)
            os.kill(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
            assert process.returncode == -signal.SIGKILL

            # The same command again: it looks, finds it done, sends nothing more.
            again = run_app(data, *command)
            assert again.returncode == 0, again.stderr
            assert _state(database) == "sent"
            if kind == "tracking":
                held = emu.control("GET", f"/orders/{order_id}/shipments")["shipments"]
                assert [s["waybill"] for s in held] == ["620000000000000000000042"]
                assert proxy.count(r"POST .*/shipments$") == 1
            else:
                assert _status(emu, order_id) == "PICKED_UP"
                assert proxy.count(r"PUT .*/fulfillment") == 1
    finally:
        proxy.stop()


def _taken(emu: RunningEmulator, kind: str, order_id: str) -> bool:
    if kind == "tracking":
        return bool(emu.emulator.actions.shipments(None, order_id))
    return _status(emu, order_id) == "PICKED_UP"


def _state(database: Path) -> str | None:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT state FROM order_actions ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else str(row[0])
