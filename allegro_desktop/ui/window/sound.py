"""The new-order sound: the desktop's own "new message" sound where there is one.

QtMultimedia would play a bundled file, but on Linux it needs PulseAudio's library even to
load, for one short ding. Each desktop has a sound for this already, played by its own tool:

- Windows: the "Asterisk" system sound (`winsound.MessageBeep`, in the standard library);
- macOS: "Glass", one of the system's alert sounds (`afplay`);
- Linux: the freedesktop sound theme's "message-new-instant" (`canberra-gtk-play`, which
  follows the user's sound theme, else `paplay`/`pw-play` of the theme's file);
- anywhere else, or when none of these exists: the system beep (`QApplication.beep`).

The tool runs detached: the GUI thread never waits for a sound.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication

__all__ = ["play_new_order_sound", "sound_command"]

log = logging.getLogger("allegro_desktop.ui")

_MACOS_SOUND = Path("/System/Library/Sounds/Glass.aiff")
_FREEDESKTOP_SOUND = Path("/usr/share/sounds/freedesktop/stereo/message-new-instant.oga")


def sound_command(platform: str = sys.platform) -> list[str] | None:
    """The program (and arguments) that plays the sound here, or None (beep instead)."""
    if platform == "darwin":
        if shutil.which("afplay") and _MACOS_SOUND.is_file():
            return ["afplay", str(_MACOS_SOUND)]
        return None
    if platform.startswith("linux"):
        if shutil.which("canberra-gtk-play"):
            return ["canberra-gtk-play", "--id=message-new-instant",
                    "--description=Allegro Desktop"]
        if _FREEDESKTOP_SOUND.is_file():
            for player in ("pw-play", "paplay"):
                if shutil.which(player):
                    return [player, str(_FREEDESKTOP_SOUND)]
    return None


def play_new_order_sound() -> None:
    """Play the sound, without waiting for it."""
    if sys.platform == "win32":
        import winsound

        winsound.MessageBeep(winsound.MB_ICONASTERISK)
        return
    command = sound_command()
    if command is not None and QProcess.startDetached(command[0], command[1:])[0]:
        return
    if command is not None:
        log.info("could not run %s: beeping instead", command[0])
    QApplication.beep()
