"""Settings and Diagnostics tell the truth about this run: the Data tab names the log file
actually written; the demo keeps its log apart from the seller's real one (in the demo's own
folder), is not called a --data-dir run, and does not claim to connect to Allegro's
production."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from allegro_desktop.app import demo_paths
from allegro_desktop.auth.token_store import TokenStore
from allegro_desktop.config.app_services import open_app_services
from allegro_desktop.config.logging_setup import configure_logging
from allegro_desktop.config.paths import AppPaths, resolve_paths
from allegro_desktop.config.settings import Settings
from allegro_desktop.storage.database import Database
from allegro_desktop.ui.dialogs.diagnostics.source import DiagnosticsSource
from allegro_desktop.ui.dialogs.settings.dialog import SettingsDialog
from tests.helpers.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("restore_logging")


def _dialog(qtbot: QtBot, paths: AppPaths, *, demo: bool = False) -> SettingsDialog:
    dialog = SettingsDialog(settings=Settings(paths.settings_file),
                            store=TokenStore(backend=MemoryKeyring()), paths=paths, demo=demo)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _log_note(dialog: SettingsDialog) -> str:
    notes = [label.text() for label in dialog.data_page.findChildren(QLabel)
             if "log" in label.text().lower()]
    assert notes
    return " ".join(notes)


def test_the_data_tab_names_the_log_file_written(qtbot: QtBot, tmp_path: Path) -> None:
    paths = AppPaths(data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                     cache_dir=tmp_path / "cache", log_dir=tmp_path / "logs", portable=False)
    written = tmp_path / "elsewhere" / "allegro-desktop.log"
    assert configure_logging(level="INFO", log_file=written, console=False) == written
    note = _log_note(_dialog(qtbot, paths))
    assert str(written) in note
    assert str(paths.log_dir) not in note


def test_the_demo_logs_apart_and_says_what_it_is(qtbot: QtBot, tmp_path: Path) -> None:
    """As cli.py and `run_gui` start the demo: no log file until the demo's profile exists,
    then the demo's own; Settings and the diagnostics report name that file, no
    --data-dir, and the demo's emulator."""
    real = resolve_paths(tmp_path / "profile")
    configure_logging(level="INFO", console=False)  # cli.py, for --demo
    demo = demo_paths(real)
    logging.getLogger("allegro_desktop.test").info("a line of the demo")
    assert demo.log_file.parent == real.demo_dir / "logs"
    assert "a line of the demo" in demo.log_file.read_text(encoding="utf-8")
    assert not real.log_file.exists()
    assert demo.demo
    assert not demo.portable

    dialog = _dialog(qtbot, demo, demo=True)
    note = _log_note(dialog)
    assert str(demo.log_file) in note
    data_notes = " ".join(label.text() for label in dialog.data_page.findChildren(QLabel))
    assert "--data-dir" not in data_notes
    assert "demo" in data_notes.lower()
    assert not dialog.data_page.data_dir.isEnabled()
    environment = dialog.connection_page.environment
    assert environment.count() == 1
    assert "production" not in environment.currentText()
    assert "emulator" in environment.currentText()
    assert dialog.connection_page.values() == {}

    services = open_app_services(demo, store=TokenStore(backend=MemoryKeyring()),
                                 require_keyring=False)
    with Database.open(demo.database) as database:
        report = DiagnosticsSource(paths=demo, services=services,
                                   database=database).report_paths()
    assert report["log file"] == str(demo.log_file)
    assert report["portable (--data-dir)"] == "no"
    assert report["demo"] == "yes"
