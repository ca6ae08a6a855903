"""The Qt-free reader of the settings file (config/ini_file.py) reads what QSettings reads: files
QSettings wrote (any text, any key the app uses) and files edited by hand, Qt's own reader the
reference (real QSettings, INI format)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from allegro_desktop.config.ini_file import UNREADABLE, read_ini
from allegro_desktop.config.settings import Settings

TRICKY = [
    "", " ", "  leading", "trailing  ", "a, b", '"quoted"', "semi;colon", "hash # x",
    "@at", "@@two", "@Invalid()", "back\\slash", "C:\\Users\\Zoë\\Zamówienia", "tab\there",
    "new\nline", "zażółć gęślą jaźń €", "=equals=", "[bracket]", "%percent%20", "\x01\x7f",
    "https://hooks.example.com/a?b=c&d=e,f;g", "ends with backslash\\",
]


def _qt_values(path: Path) -> dict[str, Any]:
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    return {key: qt.value(key) for key in qt.allKeys()}


def _write_with_qt(path: Path, values: dict[str, str]) -> None:
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in values.items():
        qt.setValue(key, value)
    qt.sync()
    assert qt.status() is QSettings.Status.NoError


def test_what_qsettings_wrote_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    values = {f"section/key{i}": text for i, text in enumerate(TRICKY)}
    values |= {"clients/http___127_0_0_1_8080/client_id": "abc", "top": "level",
               "General/x": "g", "ą ę/klucz z spacją": "v"}
    _write_with_qt(path, values)
    assert read_ini(path) == _qt_values(path) == values


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
                      min_size=1, max_size=5))
def test_any_text_qsettings_wrote_reads_the_same(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "random.ini"
    path.unlink(missing_ok=True)
    values = {f"sync/key{i}": text for i, text in enumerate(texts)}
    _write_with_qt(path, values)
    assert read_ini(path) == _qt_values(path)


HAND_EDITED = r"""; a comment
top = spaced value
[a]
k1 = x ; a comment after a value
k2=x # not a comment
k3="quoted" tail
k4=a,b , c
k5=@Invalid()
k6=@@x
k7=\x41\102 \u0041
k8=line\
 continued
dup=first
dup=second
K1=upper
  indented = yes
k10="a" "b"
k11=@String(abc)
noeq
k13==x
q="a, b", c
multi="line1
line2"
e=""
sp=  x  ,  y
b\c=1
[a]
dup=third
[ spaced ]
x=1
[%General]
z=2
[GENERAL]
w=3
#x=1
"""


def test_hand_edited_files_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(HAND_EDITED, encoding="utf-8")
    assert read_ini(path) == _qt_values(path)
    path.write_bytes(b"\xef\xbb\xbf[sync]\r\nhistory_months=18\r\n")  # a BOM, CRLF
    assert read_ini(path) == _qt_values(path) == {"sync/history_months": "18"}


def test_binary_forms_read_as_not_set(tmp_path: Path) -> None:
    """Qt's binary forms, which no setting is written as, are not decoded: not set."""
    path = tmp_path / "settings.ini"
    path.write_text("[sync]\nhistory_months=@Variant(\\0\\0\\0\\x2\\0\\0\\0\\x5)\n",
                    encoding="utf-8")
    assert read_ini(path) == {"sync/history_months": UNREADABLE}
    assert Settings(path).history_months is None  # the default


def test_settings_see_what_another_writer_wrote(tmp_path: Path) -> None:
    """Two `Settings` of one file (the window has several; a terminal command reads it while
    the window writes): each read sees the file as it is now."""
    path = tmp_path / "settings.ini"
    reader, writer = Settings(path), Settings(path)
    assert reader.theme == "system"
    writer.theme = "dark"
    assert reader.theme == "dark"
    writer.history_months = 30
    assert reader.history_months == 30
    assert read_ini(path) == _qt_values(path)
