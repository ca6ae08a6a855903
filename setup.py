"""The build step beyond pyproject.toml: compile the Qt Linguist translations.

`resources/translations/*.ts` (the sources translators edit, kept in git) become `.qm` files (what
Qt loads at run time, not kept in git) with PySide6's own `lrelease`, before the package is built —
so a wheel, an editable install (`scripts/bootstrap`) and the PyInstaller bundle all ship them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).resolve().parent / "resources" / "translations"


def lrelease() -> str:
    import PySide6  # a build requirement (pyproject.toml [build-system])

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    return str(Path(PySide6.__file__).resolve().parent / name)


def compile_translations() -> None:
    for source in sorted(TRANSLATIONS.glob("*.ts")):
        subprocess.run([lrelease(), "-silent", str(source), "-qm",
                        str(source.with_suffix(".qm"))], check=True)


class BuildWithTranslations(build_py):
    def run(self) -> None:
        compile_translations()
        super().run()


setup(cmdclass={"build_py": BuildWithTranslations})
