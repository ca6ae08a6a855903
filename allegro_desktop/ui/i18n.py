"""The app's language: which translation Qt loads, and which locale formats numbers and dates.

English is the source language (every `tr()` text); Polish ships as
`resources/translations/allegro_desktop_pl.qm` (compiled from the `.ts` by the package build,
`setup.py`), together with Qt's own Polish strings for its standard buttons and dialogs
(`qtbase_pl.qm`, from PySide6's translations folder, or from ours in a PyInstaller bundle,
which copies it there) and `qtbase_supplement_pl.qm`: the texts of Qt's dialogs that Qt's
translation lacks ("&Look in:", "Files of &type:" of the file dialog), ours to keep.

The language is "system" (Polish on a Polish system, else English), "pl" or "en". The locale
of numbers and dates follows the language: a Polish window writes "245,00 zł" and
"24.11.2026" even on an English system, an English one uses the system's English locale, or
British English on any other (a C locale would write dates as "20 11 2026").
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QDateTime, QLibraryInfo, QLocale, QTranslator

from allegro_desktop.domain.errors import AppError, ByteSize, Count, FulfillmentName, Moment, Text
from allegro_desktop.files.resources import resource_dir
from allegro_desktop.ui.formatting import fulfillment_label, number_text, size_text

__all__ = ["ALLEGRO_LANGUAGES", "LANGUAGES", "install_translators", "resolve_language",
           "translated", "window_locale"]

log = logging.getLogger("allegro_desktop.ui")

#: The languages a user can choose, besides "system".
LANGUAGES: Final = ("pl", "en")


#: The `Accept-Language` asked of Allegro for each window language (its `userMessage`s).
ALLEGRO_LANGUAGES: Final = {"pl": "pl-PL", "en": "en-US"}


def resolve_language(choice: str | None, system: QLocale | None = None) -> str:
    """"pl" or "en" for a setting of "system"/None, "pl" or "en" (unknown values: system)."""
    if choice in LANGUAGES:
        return str(choice)
    system = system if system is not None else QLocale.system()
    return "pl" if system.language() == QLocale.Language.Polish else "en"


def install_translators(app: QCoreApplication, choice: str | None) -> list[QTranslator]:
    """Load the translations for `choice` into `app` and set the default locale; returns the
    installed translators (the caller keeps them alive). A missing `.qm` is logged and the
    window stays English rather than failing to start."""
    language = resolve_language(choice)
    QLocale.setDefault(window_locale(language, QLocale.system()))
    ours = resource_dir() / "translations"
    if language == "en":  # the sources are English: only their plural forms ("1 order")
        english = _installed(app, "allegro_desktop_en", [ours])
        return [] if english is None else [english]
    # Qt looks in the translator installed last first: the supplement before Qt's own.
    return [translator for name, folders in (
        (f"allegro_desktop_{language}", [ours]),
        (f"qtbase_{language}", [Path(QLibraryInfo.path(
            QLibraryInfo.LibraryPath.TranslationsPath)), ours]),
        (f"qtbase_supplement_{language}", [ours]),
    ) if (translator := _installed(app, name, folders)) is not None]


def window_locale(language: str, system: QLocale) -> QLocale:
    """The locale of the window's numbers and dates for `language` ("pl" or "en"): the
    system's when it speaks that language, else Polish (Poland) or English (UK)."""
    if language == "pl":
        wanted = QLocale.Language.Polish
        fallback = QLocale(QLocale.Language.Polish, QLocale.Country.Poland)
    else:
        wanted = QLocale.Language.English
        fallback = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return system if system.language() == wanted else fallback


def _installed(app: QCoreApplication, name: str, folders: list[Path]) -> QTranslator | None:
    """The translation `name` from the first of `folders` that has it, installed in `app`;
    None (logged: the window shows those texts in English) when none has it."""
    translator = QTranslator(app)
    for folder in folders:
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            return translator
    translator.deleteLater()
    log.warning("no translation %s in %s (build the package to compile ours)", name,
                ", ".join(str(folder) for folder in folders))
    return None


def translated(value: object) -> str:
    """What a lower layer tells the seller, in the window's language: an `AppError`'s
    `user_text` or a `Text` translated (in its context), its `Text` arguments too; anything
    else (Allegro's own userMessage, a plain string) as it is."""
    if isinstance(value, AppError):
        value = value.user_text
    if isinstance(value, Text):
        return value.format(QCoreApplication.translate(value.context, value.template),
                            translated)
    if isinstance(value, Moment):
        return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(value.epoch * 1000)),
                                  QLocale.FormatType.ShortFormat)
    if isinstance(value, Count):
        return number_text(value.value, QLocale())
    if isinstance(value, ByteSize):
        return size_text(value.size, QLocale())
    if isinstance(value, FulfillmentName):
        return fulfillment_label(value.code) or value.code
    return str(value)
