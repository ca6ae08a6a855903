"""The window's language for a test, as the app sets it (`ui/i18n.install_translators`): its
translations and Qt's installed, its locale the default — and both undone afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QLocale

from allegro_desktop.ui.i18n import install_translators


@contextmanager
def window_language(app: QCoreApplication, language: str) -> Iterator[None]:
    """The app in `language` ("pl" or "en") while the block runs."""
    before = QLocale()
    translators = install_translators(app, language)
    try:
        yield
    finally:
        for translator in translators:
            app.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(before)
