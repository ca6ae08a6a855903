"""`allegro-desktop sync` and `export` as a user runs them: real processes, a real emulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import RunningEmulator, StartEmulator
from tests.test_headless import _code_from, _env, _start_login


def _keyring(data_dir: Path) -> dict[str, str]:
    """One keyring for the test's processes: login saves the tokens that sync then uses."""
    return {"PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.SharedFileKeyring",
            "TEST_KEYRING_FILE": str(data_dir / "test-keyring.json")}


def _login(emu: RunningEmulator, data_dir: Path) -> None:
    process = _start_login(data_dir, emu.base_url, **_keyring(data_dir))
    _lines, code = _code_from(process)
    emu.control("POST", "/device/approve", {"user_code": code})
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True, env=_env(**_keyring(data_dir)),
                          timeout=120, check=False)


def test_login_sync_export(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=250, history_days=200, seed=21)
    _login(emu, tmp_path)

    synced = _run(tmp_path, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    reports = json.loads(synced.stdout)
    assert len(reports) == 1
    assert reports[0]["outcome"] == "succeeded"
    assert reports[0]["new"] == 250
    assert reports[0]["requests"] > 0

    again = _run(tmp_path, "sync")
    assert again.returncode == 0, again.stderr
    assert "succeeded" in again.stdout
    assert "0 new" in again.stdout

    out_file = tmp_path / "orders.json"
    exported = _run(tmp_path, "export", "--format", "json", "--raw", "--out", str(out_file))
    assert exported.returncode == 0, exported.stderr
    mine = {form["id"]: form for form in json.loads(out_file.read_text())}
    theirs = {form["id"]: form for form in emu.control("GET", "/checkout-forms")["checkoutForms"]}
    assert mine == theirs

    login = json.loads(synced.stdout)[0]["login"]
    only = tmp_path / "only.json"
    assert _run(tmp_path, "export", "--format", "json", "--raw", "--out", str(only),
                "--account", login).returncode == 0
    assert only.read_bytes() == out_file.read_bytes()
    unknown = _run(tmp_path, "export", "--format", "json", "--raw", "--out",
                   str(tmp_path / "no.json"),
                   "--account", "nobody")
    assert unknown.returncode == 1
    assert "no account 'nobody'" in unknown.stderr
    assert login in unknown.stderr
    assert not (tmp_path / "no.json").exists()
    assert [p.name for p in tmp_path.glob(".*.part")] == []


def test_failed_sync_exits_1(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=20, history_days=100)
    _login(emu, tmp_path)
    emu.control("POST", "/faults", {"script": ["429"]})
    synced = _run(tmp_path, "sync")
    assert synced.returncode == 1
    assert "slow down" in synced.stderr.lower() or "429" in synced.stderr


def test_unknown_export_format(tmp_path: Path) -> None:
    result = _run(tmp_path, "export", "--format", "ods", "--out", str(tmp_path / "x.ods"))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_revoked_account_is_named(start_emulator: StartEmulator, tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=10, history_days=100)
    _login(emu, tmp_path)
    emu.control("POST", "/tokens/revoke", {})
    first = _run(tmp_path, "sync")
    assert first.returncode == 1
    assert "connect" in first.stderr.lower()
    second = _run(tmp_path, "sync", "--json")  # the account is marked: not tried again
    assert second.returncode == 1
    assert json.loads(second.stdout) == []
    assert "allegro-desktop login" in second.stderr
