"""Finding the files in `resources/` wherever the app runs from (icons, translations, the
printouts' fonts), low enough for every layer: `services/printouts.py` loads its fonts through
it, `config/assets.py` the rest.

Three layouts: a source checkout or editable install (`resources/` beside the package), an
installed wheel (package data `allegro_desktop/resources`), and a PyInstaller bundle (under
`sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resource_dir() -> Path:
    """The folder holding `icons/`, `translations/` and `fonts/`."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "allegro_desktop" / "resources")
    candidates += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError(
        "the app's resources are missing (looked in: "
        + ", ".join(str(c) for c in candidates) + "); reinstall the app")
