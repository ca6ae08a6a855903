"""SIGKILL while an invoice is being sent never makes a second invoice nor a second upload
(docs/ORDER-ACTIONS.md): a real `allegro-desktop orders …` process — which sends every due
action of the profile, an invoice queued from the window among them — is killed once Allegro
has taken the invoice's creation (or its file) and the answer is still on its way; the command
run again looks at the order's invoices first and sends only what is missing. Real processes,
a real data folder, the emulator over HTTP behind a `HostileProxy` that never ends the
answer."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from allegro_desktop.config.paths import resolve_paths
from allegro_desktop.services.order_actions import OrderActions
from allegro_desktop.storage.database import Database
from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.hostile_proxy import HostileProxy, Rule
from tests.helpers.invoices import PDF, new_paid_order
from tests.helpers.processes import app_env, login_in_a_process, run_app, shared_keyring


def _invoices(emu: RunningEmulator, order_id: str) -> list[dict[str, Any]]:
    held: list[dict[str, Any]] = emu.control("GET", f"/orders/{order_id}/invoices")["invoices"]
    return held


def _invoice_state(database: Path) -> str | None:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT state FROM order_actions WHERE kind = 'invoice'").fetchone()
    return None if row is None else str(row[0])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs SIGKILL")
@pytest.mark.parametrize("step", ["create", "upload"])
def test_a_kill_while_an_invoice_is_sent_never_makes_a_second(
        start_emulator: StartEmulator, tmp_path: Path, step: str) -> None:
    emu = start_emulator(orders=5, device_interval=1)
    proxy = HostileProxy(emu.base_url)
    proxy.start()
    try:
        with httpx.Client(base_url=proxy.base_url, timeout=10) as http:
            app_side = RunningEmulator(emu.emulator, proxy.base_url, http)
            data = tmp_path / "app"
            login_in_a_process(app_side, data)
            order_id = new_paid_order(emu, invoice=True)
            other_id = new_paid_order(emu, invoice=False)
            assert run_app(data, "sync").returncode == 0
            pdf = tmp_path / "FV 1-2026.pdf"
            pdf.write_bytes(PDF)
            database = resolve_paths(data).database
            with Database.open(database) as db:  # queued as the window queues it
                (queued,) = OrderActions(db).queue_invoice(order_id, pdf,
                                                           invoice_number="FV 1/2026")
            assert queued.action is not None
            if step == "create":
                proxy.add(Rule(path=r"/invoices$", method="POST", endless=1024, times=1))
            else:
                proxy.add(Rule(path=r"/file$", method="PUT", endless=1024, times=1))
            command = ["orders", "set-status", "--status", "PROCESSING", other_id]

            # Allegro takes the request; its answer never ends; the command is killed then.
            process = subprocess.Popen(
                [sys.executable, "-m", "allegro_desktop", "--data-dir", str(data), *command],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=app_env(**shared_keyring(data)))
            deadline = time.monotonic() + 60

            def taken() -> bool:
                held = _invoices(emu, order_id)
                return bool(held) and (step == "create"
                                       or held[0]["file"]["uploadedAt"] is not None)

            while not (taken() and _invoice_state(database) == "sending"):
                assert time.monotonic() < deadline, "the request never reached Allegro"
                with pytest.raises(subprocess.TimeoutExpired):
                    process.wait(timeout=0.02)
            os.kill(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
            assert process.returncode == -signal.SIGKILL

            # The command again: it looks at the order's invoices, sends only what is missing.
            again = run_app(data, *command)
            assert again.returncode == 0, again.stderr
            assert _invoice_state(database) == "sent"
            (held,) = _invoices(emu, order_id)
            assert held["invoiceNumber"] == "FV 1/2026"
            assert held["file"]["size"] == len(PDF)
            assert held["file"]["sha256"] == hashlib.sha256(PDF).hexdigest()
            assert proxy.count(r"POST .*/invoices$") == 1
            assert proxy.count(r"PUT .*/file$") == 1
    finally:
        proxy.stop()
