"""The window's colours: the system's, light or dark (the `theme` setting), applied at start and
live when the seller changes it.

Qt 6.8+ can ask the platform for a colour scheme (`QStyleHints.setColorScheme`): Windows 11,
macOS and desktops with a colour-scheme portal then repaint the native style in it. Where the
platform ignores the request — Xvfb or a bare X server without a platform theme, older desktops
— `colorScheme()` stays where it was, and the app switches to the Fusion style with a light or
dark palette of its own (Fusion draws every widget from the palette). "system" gives back the
platform's own style and palette.

Our own coloured surfaces (the demo banner, the reconnect banner, status badges, error texts)
take their colours from `colour()` for the scheme in use and are restyled when the palette
changes (`follow_palette`), so they read well in both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

__all__ = [
    "ThemeManager",
    "colour",
    "dark_palette",
    "follow_palette",
    "is_dark",
    "light_palette",
]

log = logging.getLogger("allegro_desktop.ui")

_SCHEMES: Final = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
#: Native styles that draw light whatever the scheme (Windows 10's).
_NO_DARK_STYLES: Final = frozenset({"windowsvista", "windows"})

#: Semantic colours of our own surfaces: (light scheme, dark scheme).
_COLOURS: Final[dict[str, tuple[str, str]]] = {
    # the demo banner: a calm orange note
    "note.background": ("#fff3e0", "#3a2a14"),
    "note.text": ("#5d3200", "#ffd9a8"),
    "note.border": ("#ffcc80", "#7a5526"),
    # the reconnect banner, errors
    "alert.background": ("#fdecea", "#45201d"),
    "alert.text": ("#611a15", "#ffcdc8"),
    "alert.border": ("#f5c2c0", "#7d3530"),
    "error.text": ("#b3261e", "#ff8a80"),
    "failed.text": ("#c62828", "#ff8a80"),
    # status badges (order details): background, text
    "badge.blue.background": ("#e3f2fd", "#15324d"),
    "badge.blue.text": ("#0d47a1", "#a8d1ff"),
    "badge.orange.background": ("#fff3e0", "#3f2a10"),
    "badge.orange.text": ("#8a3c00", "#ffc48a"),
    "badge.green.background": ("#e8f5e9", "#17341a"),
    "badge.green.text": ("#1b5e20", "#a5dba8"),
    "badge.red.background": ("#fdecea", "#45201d"),
    "badge.red.text": ("#8e1b12", "#ffb4ab"),
    "badge.yellow.background": ("#fff8e1", "#3a3212"),
    "badge.yellow.text": ("#6d5200", "#f3d77a"),
    "badge.grey.background": ("#eceff1", "#2e3438"),
    "badge.grey.text": ("#37474f", "#cfd8dc"),
    # the buyer's message and the seller's note (order details)
    "message.background": ("#fff8e1", "#35301a"),
    "message.text": ("#3e2f00", "#f1e3b5"),
    "note.box.background": ("#eef3fb", "#1e2836"),
    "note.box.text": ("#1c2b40", "#d3e0f2"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether `palette` (default: the application's) has light text on a dark window."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def colour(name: str, dark: bool | None = None) -> str:
    """The colour `name` (see `_COLOURS`) for the dark or light scheme (default: the one in
    use), as "#rrggbb" for a style sheet."""
    light_value, dark_value = _COLOURS[name]
    return dark_value if (is_dark() if dark is None else dark) else light_value


def light_palette() -> QPalette:
    """Fusion's own light palette."""
    from PySide6.QtWidgets import QStyleFactory

    style = QStyleFactory.create("Fusion")
    return QPalette(style.standardPalette())


def dark_palette() -> QPalette:
    """A dark palette for Fusion, readable at Qt's default contrast (WCAG AA for text)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2d30",
        roles.WindowText: "#e6e6e6",
        roles.Base: "#1e1f22",
        roles.AlternateBase: "#26282b",
        roles.ToolTipBase: "#3c3f41",
        roles.ToolTipText: "#f0f0f0",
        roles.PlaceholderText: "#8c8f94",
        roles.Text: "#e6e6e6",
        roles.Button: "#35373b",
        roles.ButtonText: "#e6e6e6",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#4a4d52",
        roles.Midlight: "#3e4044",
        roles.Mid: "#8c8f94",
        roles.Dark: "#1a1b1d",
        roles.Shadow: "#0d0d0e",
        roles.Highlight: "#3d73c4",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#6ea8ff",
        roles.LinkVisited: "#b48cff",
        roles.Accent: "#3d73c4",
    }
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#7a7d82"))
    palette.setColor(disabled, roles.Highlight, QColor("#4a4d52"))
    palette.setColor(disabled, roles.HighlightedText, QColor("#a0a0a0"))
    return palette


class ThemeManager(QObject):
    """Applies the `theme` setting ("system", "light", "dark") to the application, at start and
    whenever it changes. Create one after the QApplication; it remembers the platform's own
    style and palette so "system" can give them back.

    Signals:
        theme_applied(str): the theme now in effect ("system", "light" or "dark").
    """

    theme_applied = Signal(str)

    def __init__(self, *, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._system_style = app.style().name()
        self._own_palette = False  # our Fusion fallback is installed
        self.theme = "system"

    @property
    def uses_fallback(self) -> bool:
        """Whether the platform ignored the request and our own palette is in use."""
        return self._own_palette

    def apply(self, theme: str) -> None:
        """Show the window in `theme` (unknown values: "system")."""
        theme = theme if theme in _SCHEMES else "system"
        hints = QGuiApplication.styleHints()
        wanted = _SCHEMES.get(theme, Qt.ColorScheme.Unknown)
        hints.setColorScheme(wanted)
        if theme == "system":
            if self._own_palette:
                self._restore_system()
        elif hints.colorScheme() == wanted and not (
                theme == "dark" and self._system_style.lower() in _NO_DARK_STYLES):
            if self._own_palette:  # the platform repaints its own style in the scheme
                self._restore_system()
        else:
            log.debug("the platform ignores the colour scheme: Fusion with a %s palette", theme)
            if self._app.style().name().lower() != "fusion":
                self._app.setStyle("Fusion")
            self._app.setPalette(dark_palette() if theme == "dark" else light_palette())
            self._own_palette = True
        self.theme = theme
        log.info("theme: %s%s", theme, " (own palette)" if self._own_palette else "")
        self.theme_applied.emit(theme)

    def _restore_system(self) -> None:
        if self._app.style().name().lower() != self._system_style.lower():
            self._app.setStyle(self._system_style)
        self._app.setPalette(QPalette())  # nothing of ours: the platform's palette again
        self._own_palette = False


class _PaletteFollower(QObject):
    """Re-applies the style sheets of a window's coloured widgets when the application's
    palette changes. One per window, watching the window: Qt tells every window of a palette
    change (ApplicationPaletteChange), but not reliably a child that has a style sheet."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("paletteFollower")
        self._widgets: list[tuple[QWidget, Callable[[bool], str]]] = []
        window.installEventFilter(self)

    def add(self, widget: QWidget, make_sheet: Callable[[bool], str]) -> None:
        """Follow `widget` with `make_sheet` (replacing what it was followed with before)."""
        self._widgets = [(w, make) for w, make in self._widgets if w is not widget]
        self._widgets.append((widget, make_sheet))
        self._restyle(widget, make_sheet, is_dark())

    @staticmethod
    def _restyle(widget: QWidget, make_sheet: Callable[[bool], str], dark: bool) -> None:
        sheet = make_sheet(dark)
        if sheet != widget.styleSheet():  # setting it again would restyle for nothing
            widget.setStyleSheet(sheet)

    def update(self) -> None:
        dark = is_dark()
        alive = [(w, make) for w, make in self._widgets if shiboken6.isValid(w)]
        self._widgets = alive
        for widget, make_sheet in alive:
            self._restyle(widget, make_sheet, dark)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.ThemeChange):
            self.update()
        return False


def follow_palette(widget: QWidget, make_sheet: Callable[[bool], str]) -> None:
    """Give `widget` the style sheet `make_sheet(dark)` now and again whenever the palette
    switches between light and dark (`colour(name, dark)` inside it picks the colours).
    `widget` must already be in its window (created with its parent)."""
    window = widget.window()
    follower = window.findChild(_PaletteFollower, "paletteFollower",
                                Qt.FindChildOption.FindDirectChildrenOnly)
    if follower is None:
        follower = _PaletteFollower(window)
    follower.add(widget, make_sheet)
