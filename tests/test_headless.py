"""`allegro-desktop login` and `accounts` as a user runs them: real processes, a real emulator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.emulator import RunningEmulator, StartEmulator
from tests.helpers.processes import app_env, code_from, start_login


@pytest.fixture
def emu(start_emulator: StartEmulator) -> RunningEmulator:
    return start_emulator(device_interval=1, orders=0, sellers=2)


def test_login_then_accounts(emu: RunningEmulator, tmp_path: Path) -> None:
    process = start_login(tmp_path, emu.base_url)
    lines, code = code_from(process)
    assert f"{emu.base_url}/skojarz-aplikacje?code={code}" in lines[0]
    seller = list(emu.emulator.store.sellers.values())[1].seller
    emu.control("POST", "/device/approve", {"user_code": code, "seller": seller.login})
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert f"Connected: {seller.login} (seller id {seller.id})" in out

    listed = subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir",
                             str(tmp_path), "accounts"], capture_output=True, text=True,
                            env=app_env(), timeout=60, check=False)
    assert listed.returncode == 0
    assert seller.login in listed.stdout
    assert "(connected)" in listed.stdout

    # Nothing secret anywhere on disk or in the (DEBUG) output.
    secrets = [*emu.emulator.oauth.access, *emu.emulator.oauth.refresh, "demo-secret"]
    assert secrets
    texts = [out, err, listed.stdout, listed.stderr]
    texts += [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    for secret in secrets:
        assert not any(secret in text for text in texts)


def test_denied_login_exits_1(emu: RunningEmulator, tmp_path: Path) -> None:
    process = start_login(tmp_path, emu.base_url)
    _lines, code = code_from(process)
    emu.control("POST", "/device/deny", {"user_code": code})
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "denied" in err.lower()


def test_expired_code_exits_1(emu: RunningEmulator, tmp_path: Path) -> None:
    process = start_login(tmp_path, emu.base_url)
    code_from(process)
    emu.advance(3601)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "expired" in err.lower()


def test_no_keyring_is_explained(emu: RunningEmulator, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(tmp_path), "--environment",
         emu.base_url, "login"], capture_output=True, text=True, timeout=60, check=False,
        env=app_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"))
    assert result.returncode == 1
    assert "keyring" in result.stderr.lower()
    assert "gnome-keyring" in result.stderr.lower() or "secret service" in result.stderr.lower()


def test_missing_client_credentials_are_explained(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "allegro_desktop", "--data-dir", str(tmp_path), "--environment",
         "production", "login"], capture_output=True, text=True, timeout=60, check=False,
        env=app_env())
    assert result.returncode == 1
    assert "ALLEGRO_CLIENT_ID" in result.stderr


def test_no_accounts_yet(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir",
                             str(tmp_path), "accounts"], capture_output=True, text=True,
                            env=app_env(), timeout=60, check=False)
    assert result.returncode == 0
    assert "allegro-desktop login" in result.stdout
