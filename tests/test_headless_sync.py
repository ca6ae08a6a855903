"""`allegro-desktop sync` and `export` as a user runs them: real processes, a real emulator."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.emulator import StartEmulator
from tests.helpers.processes import login_in_a_process, run_app


def test_login_sync_export(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=250, history_days=200, seed=21)
    login_in_a_process(emu, tmp_path)

    synced = run_app(tmp_path, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    reports = json.loads(synced.stdout)
    assert len(reports) == 1
    assert reports[0]["outcome"] == "succeeded"
    assert reports[0]["new"] == 250
    assert reports[0]["requests"] > 0

    again = run_app(tmp_path, "sync")
    assert again.returncode == 0, again.stderr
    assert "succeeded" in again.stdout
    assert "0 new" in again.stdout

    out_file = tmp_path / "orders.json"
    exported = run_app(tmp_path, "export", "--format", "json", "--raw", "--out", str(out_file))
    assert exported.returncode == 0, exported.stderr
    mine = {form["id"]: form for form in json.loads(out_file.read_text())}
    theirs = {form["id"]: form for form in emu.control("GET", "/checkout-forms")["checkoutForms"]}
    assert mine == theirs

    login = json.loads(synced.stdout)[0]["login"]
    only = tmp_path / "only.json"
    assert run_app(tmp_path, "export", "--format", "json", "--raw", "--out", str(only),
                "--account", login).returncode == 0
    assert only.read_bytes() == out_file.read_bytes()
    unknown = run_app(tmp_path, "export", "--format", "json", "--raw", "--out",
                   str(tmp_path / "no.json"),
                   "--account", "nobody")
    assert unknown.returncode == 1
    assert "no account 'nobody'" in unknown.stderr
    assert login in unknown.stderr
    assert not (tmp_path / "no.json").exists()
    assert [p.name for p in tmp_path.glob(".*.part")] == []


def test_failed_sync_exits_1(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=20, history_days=100)
    login_in_a_process(emu, tmp_path)
    emu.control("POST", "/faults", {"script": ["429"]})
    synced = run_app(tmp_path, "sync")
    assert synced.returncode == 1
    assert "slow down" in synced.stderr.lower() or "429" in synced.stderr


def test_unknown_export_format(tmp_path: Path) -> None:
    result = run_app(tmp_path, "export", "--format", "ods", "--out", str(tmp_path / "x.ods"))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_revoked_account_is_named(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=10, history_days=100)
    login_in_a_process(emu, tmp_path)
    emu.control("POST", "/tokens/revoke", {})
    first = run_app(tmp_path, "sync")
    assert first.returncode == 1
    assert "connect" in first.stderr.lower()
    second = run_app(tmp_path, "sync", "--json")  # the account is marked: not tried again
    assert second.returncode == 1
    assert json.loads(second.stdout) == []
    assert "allegro-desktop login" in second.stderr
