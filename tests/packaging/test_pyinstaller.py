"""The one-folder PyInstaller build starts: `--version`, and the bundled emulator serves."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from allegro_desktop import __version__
from allegro_desktop.storage.migrations import script_directory

HEAD = script_directory().get_current_head()

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1500)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    if not pyinstaller.exists():
        pytest.fail("PyInstaller is not installed: pip install -e '.[package]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(ROOT / "pyinstaller.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    executable = work / "dist" / "allegro-desktop" / "allegro-desktop"
    assert executable.exists()
    yield executable
    shutil.rmtree(work, ignore_errors=True)


def test_bundle_prints_its_version(bundle: Path) -> None:
    result = subprocess.run([str(bundle), "--version"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"allegro-desktop {__version__}"


def test_bundle_serves_the_emulator(bundle: Path) -> None:
    process = subprocess.Popen([str(bundle), "emulator", "--port", "0", "--orders", "20"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        stats = httpx.get(f"{base_url}/__emulator__/stats", timeout=10).json()
        assert stats["sellers"][0]["orders"] == 20
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_bundle_opens_its_database_in_demo_mode(bundle: Path, tmp_path: Path) -> None:
    """The GUI starts from the bundle: emulator, migrations (Alembic reads its scripts from
    the bundle's files), window — offscreen."""
    import os
    import threading

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([str(bundle), "--data-dir", str(tmp_path), "--demo"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=env)
    watchdog = threading.Timer(120, process.kill)  # a hang fails the test instead of blocking
    watchdog.start()
    seen = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            if "order database" in line:
                break
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=30)
    assert any("order database" in line and f"schema {HEAD}" in line for line in seen), seen
    assert (tmp_path / "demo" / "orders.sqlite3").exists()
