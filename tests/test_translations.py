"""The Polish translation (resources/translations/allegro_desktop_pl.ts) is complete and usable.

It compiles; every message is translated (a new `tr()` text without its Polish fails here);
it is up to date with the sources (lupdate, run as `scripts/update-translations` runs it, finds
nothing new); each translation keeps the source's placeholders, HTML tags, accelerator and
trailing "…"; and Qt really loads it. To fix a failure: run `scripts/update-translations`, then
translate the unfinished messages (`.venv/bin/pyside6-linguist`, or by hand in the .ts).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "allegro_desktop_pl.ts"
PACKAGE = ROOT / "allegro_desktop"
_TOOLS = Path(PySide6.__file__).resolve().parent

PLACEHOLDER = re.compile(r"%L?[1-9]")
TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
# "&x" marks an accelerator; "&&" is a literal ampersand.
ACCELERATOR = re.compile(r"&(?!&)(?=\S)")


def _tool(name: str) -> str:
    """PySide6's own Qt tool (what the `pyside6-*` wrappers and setup.py run)."""
    exe = _TOOLS / (name + (".exe" if sys.platform == "win32" else ""))
    assert exe.is_file(), f"{exe} is missing: is PySide6 installed with its tools?"
    return str(exe)


def _sources() -> list[str]:
    """The files `scripts/update-translations` passes to lupdate (the emulator is not UI)."""
    return sorted(str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
                  if "emulator" not in path.relative_to(PACKAGE).parts)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    unfinished: bool
    forms: tuple[str, ...]  # the translation, or its plural forms

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}"


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: a message without <translation>"
            numerus = message.get("numerus") == "yes"
            forms = tuple(form.text or "" for form in translation.iter("numerusform")) \
                if numerus else (translation.text or "",)
            messages.append(Message(
                context=name, source=message.findtext("source") or "",
                comment=message.findtext("comment") or "", numerus=numerus,
                unfinished=translation.get("type") in ("unfinished", "vanished", "obsolete"),
                forms=forms))
    return messages


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return read_ts(TS)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    qm = tmp_path_factory.mktemp("qm") / "allegro_desktop_pl.qm"
    result = subprocess.run([_tool("lrelease"), str(TS), "-qm", str(qm)],
                            capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error" not in output.lower(), output
    assert "warning" not in output.lower(), output
    assert qm.is_file(), output
    assert qm.stat().st_size > 0, output
    return qm


def test_the_translation_compiles(compiled: Path) -> None:
    assert compiled.stat().st_size > 1000


def test_every_message_is_translated(messages: list[Message]) -> None:
    assert messages
    offenders = [str(m) for m in messages
                 if m.unfinished or not m.forms or any(not form.strip() for form in m.forms)]
    assert not offenders, (
        f"{len(offenders)} message(s) of {TS.name} have no (finished) Polish translation:\n  "
        + "\n  ".join(offenders))


def test_plural_messages_have_the_three_polish_forms(messages: list[Message]) -> None:
    offenders = [str(m) for m in messages if m.numerus and len(m.forms) != 3]
    assert not offenders, "Polish needs 3 plural forms (1 / 2-4 / 5+):\n  " \
        + "\n  ".join(offenders)


def test_the_translation_is_up_to_date_with_the_sources(tmp_path: Path,
                                                        messages: list[Message]) -> None:
    """lupdate, as `scripts/update-translations` runs it, adds nothing to a copy of the .ts:
    every `tr()` text of the sources is already in the file."""
    copy = tmp_path / TS.name
    shutil.copyfile(TS, copy)
    result = subprocess.run(
        [_tool("lupdate"), "-no-obsolete", "-locations", "none", *_sources(), "-ts", str(copy)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    known = {m.key for m in messages}
    new = [str(m) for m in read_ts(copy) if m.key not in known]
    assert not new, (
        f"{len(new)} source text(s) are not in {TS.name}: run scripts/update-translations and "
        "translate them:\n  " + "\n  ".join(new))


def test_no_developer_comment_reaches_the_translator() -> None:
    """lupdate turns the code's `#:` attribute docs into <extracomment>s; the script removes
    them (a note for the translator goes in tr()'s disambiguation, <comment>)."""
    assert "<extracomment>" not in TS.read_text(encoding="utf-8"), (
        "run scripts/update-translations, not lupdate alone")


def test_translations_keep_placeholders_and_html_tags(messages: list[Message]) -> None:
    offenders = []
    for m in messages:
        for form in m.forms:
            if not form:
                continue  # reported by test_every_message_is_translated
            if Counter(PLACEHOLDER.findall(form)) != Counter(PLACEHOLDER.findall(m.source)):
                offenders.append(f"{m}: placeholders differ in {form!r}")
            if Counter(TAG.findall(form)) != Counter(TAG.findall(m.source)):
                offenders.append(f"{m}: HTML tags differ in {form!r}")
    assert not offenders, "\n".join(offenders)


def test_translations_keep_accelerators_and_ellipses(messages: list[Message]) -> None:
    offenders = []
    for m in messages:
        for form in m.forms:
            if not form:
                continue
            if len(ACCELERATOR.findall(form)) != len(ACCELERATOR.findall(m.source)):
                offenders.append(f"{m}: accelerator (&) differs in {form!r}")
            if m.source.endswith("…") != form.endswith("…"):
                offenders.append(f"{m}: trailing … differs in {form!r}")
    assert not offenders, "\n".join(offenders)


def test_the_exports_marked_texts_are_in_the_translation(messages: list[Message]) -> None:
    from allegro_desktop.services.export import COLUMN_TITLES, VALUE_LABELS

    known = {(m.context, m.source) for m in messages}
    wanted = [("OrderColumn", title) for title in COLUMN_TITLES.values()] \
        + [("OrderValue", label) for label in VALUE_LABELS.values()]
    missing = [f"{context}: {text!r}" for context, text in wanted
               if (context, text) not in known]
    assert not missing, "not in the .ts:\n  " + "\n  ".join(missing)


def test_qt_loads_the_polish_texts(qapp: QCoreApplication, compiled: Path) -> None:
    translator = QTranslator()
    assert translator.load(str(compiled))
    assert QCoreApplication.installTranslator(translator)
    try:
        translate = QCoreApplication.translate
        assert translate("OrderValue", "Cancelled") == "Anulowane"
        assert translate("OrderValue", "To process") == "Do realizacji"
        assert translate("MainWindow", "&Sync now") == "&Synchronizuj teraz"
        # Polish plurals: 1 / 2-4 (not 12-14) / the rest.
        plural = {n: translate("OrderDetailsPanel", "%Ln orders selected", None, n)
                  for n in (1, 2, 5, 12, 22, 25)}
        assert plural == {1: "Zaznaczono 1 zamówienie", 2: "Zaznaczono 2 zamówienia",
                          5: "Zaznaczono 5 zamówień", 12: "Zaznaczono 12 zamówień",
                          22: "Zaznaczono 22 zamówienia", 25: "Zaznaczono 25 zamówień"}
        assert translate("OrderValue", "no such source text") == "no such source text"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_lower_layer_errors_reach_the_window_in_polish(qapp: QCoreApplication,
                                                       compiled: Path) -> None:
    """Storage, API and auth never import Qt; what they tell the seller is a `Text` the window
    translates — placeholders filled, a `Text` argument translated as well."""
    from allegro_desktop.domain.errors import Text
    from allegro_desktop.storage.errors import DatabaseTooNewError, DiskFullError
    from allegro_desktop.ui.i18n import translated

    full = DiskFullError("disk full", path=Path("/data/orders.sqlite3"))
    newer = DatabaseTooNewError(path=Path("/data/orders.sqlite3"), revision="0099",
                                known_head="0008", written_by=None)
    assert translated(full) == full.user_message  # no translator: the English
    translator = QTranslator()
    assert translator.load(str(compiled))
    assert QCoreApplication.installTranslator(translator)
    try:
        assert translated(full) == (
            "Dysk z plikiem /data/orders.sqlite3 jest pełny, więc nie udało się zapisać nowych "
            "zamówień. Nic nie zginęło: zwolnij miejsce i zsynchronizuj ponownie.")
        assert "nowsza niż ta wersja (0.1.0)" in translated(newer)
        assert "%" not in translated(newer)
        assert translated(Text("%1", Text("There is no automatic backup in %1.", "/x"))) \
            == "W /x nie ma automatycznej kopii zapasowej."  # a `Text` argument translated
        assert translated("Allegro's own userMessage") == "Allegro's own userMessage"
        assert translated(Text("an unknown %1 text", 5)) == "an unknown 5 text"
        # the webhook's chat line, in the seller's language (its own context)
        assert translated(Text("New order %1 from %2", "245,00 zł", "jan", context="Webhook")) \
            == "Nowe zamówienie 245,00 zł od jan"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert "newer than this version (0.1.0)" in newer.user_message  # the English again


#: The only lookups of texts lupdate cannot see at the call, because the text is marked where it
#: is written (`QT_TRANSLATE_NOOP`, collected from there): (file, function).
_DYNAMIC_LOOKUPS = {
    ("ui/i18n.py", "translated"),  # a lower layer's `Text`, marked where it is raised
    ("ui/formatting.py", "_label"),  # the OrderValue labels
    ("ui/stats/periods.py", "_tr"),  # the period names
    ("ui/stats/files.py", "default_file_name"),  # the proposed file names
    ("ui/dialogs/diagnostics/health_page.py", "add_result"),  # services/health.py's check names
    ("ui/orders/export_dialog.py", "default_column_title"),  # services/export.py's column titles
    ("ui/orders/export_dialog.py", "request"),  # services/export.py's value labels
}


def test_every_lookup_is_one_lupdate_can_collect() -> None:
    """`self.tr("…")` and `QCoreApplication.translate("Context", "…")` with literal texts, or
    lupdate silently leaves the text out of the .ts and the window shows it in English (a
    `translate(_CONTEXT, "…")` with the context in a variable did exactly that)."""
    import ast

    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [node for node in ast.walk(tree)
                         if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]:
            for call in ast.walk(function):
                if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
                    continue
                name = call.func.attr
                if name == "tr" and call.args:
                    literal = [call.args[0]]
                elif (name == "translate" and isinstance(call.func.value, ast.Name)
                      and call.func.value.id == "QCoreApplication"):
                    literal = call.args[:2]
                else:
                    continue
                if all(isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                       for arg in literal):
                    continue
                if (relative, function.name) not in _DYNAMIC_LOOKUPS:
                    offenders.append(f"{relative}:{call.lineno} in {function.name}()")
    assert not offenders, "lookups lupdate cannot collect:\n  " + "\n  ".join(offenders)


# -- English plurals ---------------------------------------------------------------------------

EN_TS = ROOT / "resources" / "translations" / "allegro_desktop_en.ts"


def test_the_english_plurals_are_complete_and_up_to_date(tmp_path: Path) -> None:
    """The English window is the sources' own text, but "%n orders" needs "1 order": the
    English file holds just the plural messages (lupdate -pluralonly, as
    `scripts/update-translations` runs it), each with its two forms."""
    messages = read_ts(EN_TS)
    assert messages
    assert all(m.numerus for m in messages)
    offenders = [str(m) for m in messages
                 if m.unfinished or len(m.forms) != 2 or any(not f.strip() for f in m.forms)]
    assert not offenders, "English needs 2 plural forms (1 / other):\n  " + "\n  ".join(offenders)
    copy = tmp_path / EN_TS.name
    shutil.copyfile(EN_TS, copy)
    result = subprocess.run(
        [_tool("lupdate"), "-no-obsolete", "-locations", "none", "-pluralonly", *_sources(),
         "-ts", str(copy)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    known = {m.key for m in messages}
    new = [str(m) for m in read_ts(copy) if m.key not in known]
    assert not new, (f"{len(new)} plural text(s) are not in {EN_TS.name}: run "
                     "scripts/update-translations and give them their forms:\n  "
                     + "\n  ".join(new))
    for message in messages:
        placeholders = Counter(PLACEHOLDER.findall(message.source))
        for form in message.forms:
            assert Counter(PLACEHOLDER.findall(form)) <= placeholders, (str(message), form)


def test_the_english_window_says_one_order(tmp_path: Path) -> None:
    qm = tmp_path / "allegro_desktop_en.qm"
    subprocess.run([_tool("lrelease"), "-silent", str(EN_TS), "-qm", str(qm)], check=True,
                   timeout=120)
    app = QCoreApplication.instance() or QCoreApplication([])
    translator = QTranslator()
    assert translator.load(str(qm))
    app.installTranslator(translator)
    try:
        one = QCoreApplication.translate("OrderProcessing", "Status %1 for %n orders", "", 1)
        many = QCoreApplication.translate("OrderProcessing", "Status %1 for %n orders", "", 3)
    finally:
        app.removeTranslator(translator)
    assert (one, many) == ("Status %1 for 1 order", "Status %1 for 3 orders")
