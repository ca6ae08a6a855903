"""Finding the files in `resources/` wherever the app runs from: `resource_dir` (in
`files/resources.py`, where the layouts are explained) and the app's icon.
"""

from __future__ import annotations

from pathlib import Path

from allegro_desktop.files.resources import resource_dir

__all__ = ["app_icon_path", "resource_dir"]


def app_icon_path() -> Path:
    return resource_dir() / "icons" / "allegro-desktop.svg"
