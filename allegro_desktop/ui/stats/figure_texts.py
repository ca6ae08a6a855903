"""The Statistics tab's figures in words: a share as a percentage, and a figure's change
against the previous period — relative ("+12%"), or in percentage points for a share ("+1.5 pp").
Functions, no widgets (the locale is passed in); the KPI cards and the tables use them.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QLocale

__all__ = ["change_text", "percent_text", "points_change_text"]

#: A typographic minus (U+2212): "−5 %" reads better than a hyphen.
MINUS: Final = "\u2212"


def percent_text(fraction: float, locale: QLocale, places: int = 1) -> str:
    """0.125 -> "12.5%" ("12,5 %" in Polish: the spacing is the translation's)."""
    return QCoreApplication.translate(
        "StatsTab", "%1%").replace("%1", locale.toString(fraction * 100, "f", places))


def _signed(value: float, text: str) -> str:
    if value > 0:
        return "+" + text
    if value < 0:
        return MINUS + text
    return text


def change_text(current: float, previous: float, locale: QLocale) -> tuple[str, int]:
    """The relative change of a figure against the previous period: ("+12%", 1), ("−5%", -1),
    ("0%", 0); ("—", 0) when the previous value is 0 (no base to compare with)."""
    if previous == 0:
        return "—", 0
    change = (current - previous) / previous
    rounded = round(change * 100)
    text = QCoreApplication.translate(
        "StatsTab", "%1%").replace("%1", locale.toString(abs(rounded)))
    sign = (rounded > 0) - (rounded < 0)
    return _signed(rounded, text), sign


def points_change_text(current: float, previous: float, locale: QLocale) -> tuple[str, int]:
    """The change of a share in percentage points: ("+1.5 pp", 1) — a share's own relative
    change ("+50%" from 2% to 3%) would alarm for nothing."""
    points = round((current - previous) * 100, 1)
    text = QCoreApplication.translate(
        "StatsTab", "%1 pp").replace("%1", locale.toString(abs(points), "f", 1))
    sign = (points > 0) - (points < 0)
    return _signed(points, text), sign
