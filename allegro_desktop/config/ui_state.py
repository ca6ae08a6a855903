"""`UiState`: what the window remembers between runs — geometry, splitter and table header
layouts, the visible columns, the seller's saved views of the order list and the last one used.

Apart from `Settings` (settings.ini) on purpose: this file is written often (at every exit), is
of no interest to anyone editing settings by hand, and may be deleted at any time to get the
default layout back. So every read is tolerant: a value that is missing, of the wrong type, a
damaged JSON text or a file of an older version reads as "nothing remembered", never as an
error — the window then simply starts with its defaults.

Views are stored as JSON texts of plain dicts; what a view holds is the saved views' business
(`ui/orders/saved_views.py`), this class only keeps them by name, in the order they were saved.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["UiState"]

log = logging.getLogger("allegro_desktop.config")

_SAVED_VIEWS = "views/saved"
_LAST_VIEW = "views/last"
_CURRENT_VIEW = "views/current"


class UiState:
    """Typed access to the UI state file (QSettings, INI format, at a path the caller gives:
    the app passes `paths.config_dir / "ui-state.ini"`).

    Names (`name` arguments) are the caller's keys of one window or widget, e.g. "main" or
    "orders"; any text works (it is made safe for the INI format here).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to the file now (QSettings also does at exit)."""
        self._qsettings.sync()

    # -- binary states (QWidget.saveGeometry, QMainWindow.saveState, QHeaderView, QSplitter) --

    def geometry(self, name: str) -> bytes | None:
        return self._bytes(f"geometry/{_key(name)}")

    def set_geometry(self, name: str, data: bytes | QByteArray | None) -> None:
        self._set_bytes(f"geometry/{_key(name)}", data)

    def window_state(self, name: str) -> bytes | None:
        return self._bytes(f"window_state/{_key(name)}")

    def set_window_state(self, name: str, data: bytes | QByteArray | None) -> None:
        self._set_bytes(f"window_state/{_key(name)}", data)

    def header_state(self, name: str) -> bytes | None:
        """A `QHeaderView.saveState()`: column widths, order, hidden columns, sort indicator."""
        return self._bytes(f"header/{_key(name)}")

    def set_header_state(self, name: str, data: bytes | QByteArray | None) -> None:
        self._set_bytes(f"header/{_key(name)}", data)

    def splitter_state(self, name: str) -> bytes | None:
        return self._bytes(f"splitter/{_key(name)}")

    def set_splitter_state(self, name: str, data: bytes | QByteArray | None) -> None:
        self._set_bytes(f"splitter/{_key(name)}", data)

    def current_tab(self, name: str) -> int | None:
        """The index of the tab last shown in a tab widget (None: never saved, or unreadable;
        the caller checks it against its tab count)."""
        value = self._qsettings.value(f"tabs/{_key(name)}")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                log.info("ui state: ignoring tabs/%s, not a number", name)
        return None

    def set_current_tab(self, name: str, index: int | None) -> None:
        if index is None or index < 0:
            self._qsettings.remove(f"tabs/{_key(name)}")
        else:
            self._qsettings.setValue(f"tabs/{_key(name)}", index)

    # -- visible columns ---------------------------------------------------------------------

    def visible_columns(self, name: str) -> list[str] | None:
        """The keys of the visible columns, in their visual order; None if never saved (or
        unreadable). Kept apart from the header state, which Qt refuses to restore as soon
        as the number of columns changes (a new version adding one)."""
        value = self._json(f"columns/{_key(name)}")
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        return None

    def set_visible_columns(self, name: str, columns: list[str] | None) -> None:
        self._set_json(f"columns/{_key(name)}", columns)

    # -- saved views -------------------------------------------------------------------------

    def saved_views(self) -> dict[str, dict[str, Any]]:
        """Every saved view by name, in the order they were first saved. Unreadable entries
        are left out."""
        value = self._json(_SAVED_VIEWS)
        if not isinstance(value, dict):
            return {}
        return {name: view for name, view in value.items()
                if isinstance(name, str) and name and isinstance(view, dict)}

    def saved_view(self, name: str) -> dict[str, Any] | None:
        return self.saved_views().get(name)

    def save_view(self, name: str, view: dict[str, Any]) -> None:
        """Save (or replace, keeping its place) the view `name`. `view` must be JSON-able."""
        if not name:
            raise ValueError("a saved view needs a name")
        views = self.saved_views()
        views[name] = view
        self._set_json(_SAVED_VIEWS, views)

    def delete_view(self, name: str) -> None:
        views = self.saved_views()
        if views.pop(name, None) is not None:
            self._set_json(_SAVED_VIEWS, views or None)
        if self.current_view_name() == name:
            self.set_current_view_name(None)

    def current_view_name(self) -> str | None:
        """The saved view last applied (None: the seller's own filters, or a deleted view)."""
        value = self._qsettings.value(_CURRENT_VIEW)
        return value if isinstance(value, str) and value else None

    def set_current_view_name(self, name: str | None) -> None:
        if name:
            self._qsettings.setValue(_CURRENT_VIEW, name)
        else:
            self._qsettings.remove(_CURRENT_VIEW)

    def last_view(self) -> dict[str, Any] | None:
        """The filters, sort and columns in use when the window last closed."""
        value = self._json(_LAST_VIEW)
        return value if isinstance(value, dict) else None

    def set_last_view(self, view: dict[str, Any] | None) -> None:
        self._set_json(_LAST_VIEW, view)

    # -- small choices of a page -------------------------------------------------------------

    def choices(self, name: str) -> dict[str, Any] | None:
        """What a page remembers of its own controls (a JSON-able dict; the page's business,
        e.g. the Statistics tab's period), None if never saved or unreadable."""
        value = self._json(f"choices/{_key(name)}")
        return value if isinstance(value, dict) else None

    def set_choices(self, name: str, choices: dict[str, Any] | None) -> None:
        self._set_json(f"choices/{_key(name)}", choices)

    # -- helpers -----------------------------------------------------------------------------

    def _bytes(self, key: str) -> bytes | None:
        value = self._qsettings.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return bytes(value.data())
        if isinstance(value, bytes) and value:
            return value
        if value is not None:
            log.info("ui state: ignoring %s, not binary data", key)
        return None

    def _set_bytes(self, key: str, data: bytes | QByteArray | None) -> None:
        value = QByteArray(data) if data is not None else QByteArray()
        if value.isEmpty():
            self._qsettings.remove(key)
        else:
            self._qsettings.setValue(key, value)

    def _json(self, key: str) -> Any:
        value = self._qsettings.value(key)
        if value is None:
            return None
        if not isinstance(value, str):
            log.info("ui state: ignoring %s, not a text", key)
            return None
        try:
            return json.loads(value)
        except ValueError:
            log.info("ui state: ignoring %s, not valid JSON", key)
            return None

    def _set_json(self, key: str, value: Any) -> None:
        if value is None:
            self._qsettings.remove(key)
        else:
            self._qsettings.setValue(key, json.dumps(value, ensure_ascii=False))


def _key(name: str) -> str:
    """A name safe as one INI key ("/" would nest groups, "\\" and spaces are escaped)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "_"
