"""The app's language: which translation Qt loads, and which locale formats numbers and dates.

English is the source language (every `tr()` text); Polish ships as
`resources/translations/allegro_desktop_pl.qm` (compiled from the `.ts` by the package build,
`setup.py`), together with Qt's own Polish strings for its standard buttons and dialogs.

The language is "system" (Polish on a Polish system, else English), "pl" or "en". Choosing a
language other than the system's also makes that language's locale the default, so a Polish
window writes "245,00 zł" and "24.11.2026" even on an English system.
"""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QCoreApplication, QDateTime, QLibraryInfo, QLocale, QTranslator

from allegro_desktop.domain.errors import AppError, ByteSize, Moment, Text
from allegro_desktop.files.resources import resource_dir

__all__ = ["LANGUAGES", "install_translators", "resolve_language", "translated"]

log = logging.getLogger("allegro_desktop.ui")

#: The languages a user can choose, besides "system".
LANGUAGES: Final = ("pl", "en")


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
    system = QLocale.system()
    if language == "pl":
        if system.language() != QLocale.Language.Polish:
            QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    elif system.language() == QLocale.Language.Polish:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if language == "en":
        return []
    installed = []
    ours = QTranslator(app)
    folder = resource_dir() / "translations"
    if ours.load(f"allegro_desktop_{language}", str(folder)):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no %s translation in %s (build the package to compile it)",
                    language, folder)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


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
    if isinstance(value, ByteSize):
        return QLocale().formattedDataSize(
            value.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
    return str(value)
