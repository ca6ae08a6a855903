"""The app as a user runs it, in real processes: the environment they get (this checkout on the
path, a test keyring, compiled modules for the benchmarks), `allegro-desktop login` started
and its code read, and a command run against a data folder whose processes share one keyring
file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.emulator import RunningEmulator

ROOT = Path(__file__).resolve().parent.parent.parent


def app_env(**extra: str) -> dict[str, str]:
    """The environment of an app process: this checkout importable, no setting of the test
    run's own (ALLEGRO_*, a keyring choice), the in-memory keyring; `extra` on top."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ALLEGRO_", "PYTHON_KEYRING"))}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHON_KEYRING_BACKEND"] = "tests.helpers.memory_keyring.MemoryKeyring"
    env.update(extra)
    return env


def with_bytecode_cache(env: dict[str, str]) -> dict[str, str]:
    """`env` letting Python use and write bytecode caches, this checkout's modules compiled now
    (into their `__pycache__` folders, as pip compiles an installed app's modules). A machine
    whose environment sets PYTHONDONTWRITEBYTECODE (many CI and container images do) would
    otherwise compile every module of the app from source at each start of a command: about
    0.2 s of it, which a user's installed app never pays. (Not PYTHONPYCACHEPREFIX: under it
    Python ignores the caches pip wrote for the standard library and every dependency, and the
    first command would compile all of them.)"""
    env = {k: v for k, v in env.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "allegro_desktop"),
                    str(ROOT / "tests" / "helpers")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def start_login(data_dir: Path, environment: str, **env: str) -> subprocess.Popen[str]:
    """`allegro-desktop login` started against `environment` (read its code: `code_from`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "allegro_desktop", "--log-level", "DEBUG", "--data-dir",
         str(data_dir), "--environment", environment, "login"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=app_env(**env))


def code_from(process: subprocess.Popen[str]) -> tuple[list[str], str]:
    """The lines `login` printed up to its code, and the code (lower case, no spaces)."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "shows the code:" in line:
            return lines, line.rsplit(":", 1)[1].strip().replace(" ", "").lower()
    raise AssertionError(f"no code printed: {lines}")


def shared_keyring(data_dir: Path) -> dict[str, str]:
    """One keyring for the test's processes: login saves the tokens that sync then uses."""
    return {"PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.SharedFileKeyring",
            "TEST_KEYRING_FILE": str(data_dir / "test-keyring.json")}


def login_in_a_process(emu: RunningEmulator, data_dir: Path) -> None:
    """Connect the emulator's first seller with `allegro-desktop login`, approved at once; the
    tokens land in the data folder's shared keyring file."""
    process = start_login(data_dir, emu.base_url, **shared_keyring(data_dir))
    _lines, code = code_from(process)
    emu.control("POST", "/device/approve", {"user_code": code})
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err


def run_app(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`allegro-desktop --data-dir DATA_DIR ARGS...` to its end, with the shared keyring."""
    return subprocess.run([sys.executable, "-m", "allegro_desktop", "--data-dir", str(data_dir),
                           *args], capture_output=True, text=True,
                          env=app_env(**shared_keyring(data_dir)), timeout=120, check=False)
