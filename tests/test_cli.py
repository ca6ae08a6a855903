"""The `allegro-desktop` command as a user runs it: a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from allegro_desktop import __version__


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "allegro_desktop", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"allegro-desktop {__version__}"


def test_help_names_the_emulator() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "emulator" in result.stdout
    assert "--data-dir" in result.stdout


def test_emulator_prints_its_url_first_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "emulator", "--port", "0", "--orders", "25",
         "--seed", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        stats = httpx.get(f"{base_url}/__emulator__/stats", timeout=10).json()
        assert stats["sellers"][0]["orders"] == 25
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert process.returncode == 0  # SIGTERM is a clean stop


def test_emulator_rejects_bad_switches() -> None:
    result = _run("emulator", "--error-rate", "3")
    assert result.returncode == 2
    assert "share between 0 and 1" in result.stderr


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run("--data-dir", str(blocker / "sub"))
    assert result.returncode == 2
    assert "cannot create the folder" in result.stderr
    assert "--data-dir" in result.stderr
