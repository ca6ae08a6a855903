"""The app's icon, found in `resources/` wherever the app runs from (`files/resources.py`
explains where that is)."""

from __future__ import annotations

from pathlib import Path

from allegro_desktop.files.resources import resource_dir

__all__ = ["app_icon_path"]


def app_icon_path() -> Path:
    return resource_dir() / "icons" / "allegro-desktop.svg"
