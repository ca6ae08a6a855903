"""The terminal commands start lean: `sync`, `export`, `accounts` and `doctor` never load Qt
(the settings are read without it: config/ini_file.py), and a new database or one already at
the newest schema is opened without loading Alembic. Checked in real processes, on the modules
each one had loaded when it ended."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.emulator import StartEmulator
from tests.helpers.processes import app_env, login_in_a_process, shared_keyring

#: Runs `cli.main` on the command line after the first argument, then writes the names of the
#: modules it loaded to the file the first argument names.
_COMMAND_THEN_MODULES = """
import json, sys
from allegro_desktop import cli
modules_file = sys.argv.pop(1)
code = cli.main(sys.argv[1:])
with open(modules_file, "w") as out:
    json.dump(sorted(sys.modules), out)
sys.exit(code)
"""


def _loaded(data_dir: Path, *args: str) -> set[str]:
    """The top-level packages `allegro-desktop --data-dir DATA_DIR ARGS` loaded; it must
    succeed."""
    modules_file = data_dir / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _COMMAND_THEN_MODULES, str(modules_file), "--data-dir",
         str(data_dir), *args], capture_output=True, text=True, timeout=120, check=False,
        env=app_env(**shared_keyring(data_dir)))
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in json.loads(modules_file.read_text())}


def test_headless_commands_load_neither_qt_nor_alembic(start_emulator: StartEmulator,
                                                       tmp_path: Path) -> None:
    emu = start_emulator(device_interval=1, orders=40, history_days=60, seed=17)
    login_in_a_process(emu, tmp_path)
    first = _loaded(tmp_path, "sync")  # creates the database: the head schema, no Alembic
    assert not first & {"PySide6", "alembic"}

    for command in (["sync"], ["export", "--format", "csv", "--out", str(tmp_path / "o.csv")],
                    ["accounts"], ["doctor"]):
        loaded = _loaded(tmp_path, *command)
        assert not loaded & {"PySide6", "shiboken6"}, command
        assert "alembic" not in loaded, command  # the database is at the newest schema
