"""The Settings dialog's "Sync" tab: how often the app syncs by itself, how far back an account's
first sync reads, and how long orders are kept (never shorter than the first sync reads).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.settings import (
    GUARANTEED_HISTORY_MONTHS,
    MAX_HISTORY_MONTHS,
    Settings,
)
from allegro_desktop.domain.errors import AppError
from allegro_desktop.ui.dialogs.settings.page import SettingsPage
from allegro_desktop.ui.i18n import translated

__all__ = ["SyncPage"]

#: Automatic-sync choices, in seconds (0: off).
SYNC_INTERVALS = (0, 30, 60, 120, 300, 600, 900, 1800, 3600)
_MAX_RETENTION_MONTHS = 1200


class SyncPage(SettingsPage):
    """The "Sync" tab: how often the app syncs by itself, how far back an account's first sync
    reads, and how long the orders are kept."""

    def __init__(self, *, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = self.form
        self.auto_sync = QComboBox(self)
        self.auto_sync.setObjectName("autoSyncInterval")
        for seconds in SYNC_INTERVALS:
            self.auto_sync.addItem(self._interval_text(seconds), seconds)
        form.addRow(self.tr("Sync automatically:"), self.auto_sync)
        form.addRow(self.note(self.tr(
            "How often the app fetches new and changed orders while it runs. Sync now (F5) "
            "always works.")))

        self.history_all = QRadioButton(self.tr("Everything Allegro still has"), self)
        self.history_all.setObjectName("historyAll")
        self.history_limited = QRadioButton(self.tr("The last"), self)
        self.history_limited.setObjectName("historyLimited")
        history_group = QButtonGroup(self)
        history_group.addButton(self.history_all)
        history_group.addButton(self.history_limited)
        self.history = QSpinBox(self)
        self.history.setObjectName("historyMonths")
        self.history.setRange(1, MAX_HISTORY_MONTHS)
        self.history.setSuffix(self.tr(" months"))
        form.addRow(self.tr("First sync fetches:"),
                    _either_or_months(self.history_all, self.history_limited, self.history))
        form.addRow(self.note(self.tr(
            "How far back the first sync of an account reads its orders. Allegro keeps orders "
            "for at least 12 months and often still has older ones: by default the app fetches "
            "all of them.")))

        self.keep_forever = QRadioButton(self.tr("Keep orders forever"), self)
        self.keep_forever.setObjectName("keepForever")
        self.keep_months = QRadioButton(self.tr("Delete orders older than"), self)
        self.keep_months.setObjectName("keepMonths")
        group = QButtonGroup(self)
        group.addButton(self.keep_forever)
        group.addButton(self.keep_months)
        self.retention = QSpinBox(self)
        self.retention.setObjectName("retentionMonths")
        self.retention.setRange(1, _MAX_RETENTION_MONTHS)
        self.retention.setSuffix(self.tr(" months"))
        form.addRow(self.tr("Order history:"),
                    _either_or_months(self.keep_forever, self.keep_months, self.retention))
        form.addRow(self.error_label("retention"))
        form.addRow(self.note(self.tr(
            "The app keeps your orders longer than Allegro does. Deleting old ones only frees "
            "disk space on this computer; it never touches Allegro.")))

        self.auto_sync.currentIndexChanged.connect(self._on_field_edited)
        self.history_all.toggled.connect(self._on_field_edited)
        self.history.valueChanged.connect(self._on_history_edited)
        self.keep_forever.toggled.connect(self._on_retention_toggled)
        self.retention.valueChanged.connect(self._on_field_edited)

        seconds = settings.auto_sync_interval
        index = self.auto_sync.findData(seconds)
        if index < 0:  # a value set by hand: shown as it is
            self.auto_sync.addItem(self._interval_text(seconds), seconds)
            index = self.auto_sync.count() - 1
        self.auto_sync.setCurrentIndex(index)
        history_months = settings.history_months
        self.history_all.setChecked(history_months is None)
        self.history_limited.setChecked(history_months is not None)
        self.history.blockSignals(True)  # shown, not edited: the choice stays as stored
        self.history.setValue(history_months or GUARANTEED_HISTORY_MONTHS)
        self.history.blockSignals(False)
        months = settings.retention_months
        self.keep_forever.setChecked(months is None)
        self.keep_months.setChecked(months is not None)
        self.retention.setValue(months if months is not None else 24)
        self.retention.setEnabled(months is not None)

    def values(self) -> dict[str, Any]:
        return {
            "auto_sync_interval": int(self.auto_sync.currentData()),
            "history_months": None if self.history_all.isChecked() else self.history.value(),
            "retention_months": None if self.keep_forever.isChecked()
            else self.retention.value(),
        }

    def problems(self) -> dict[str, str]:
        values = self.values()
        problems: dict[str, str] = {}
        months = values["retention_months"]
        if months is not None:
            try:
                Settings.retention_months.check(months)
            except AppError as exc:
                problems["retention"] = translated(exc)
            except ValueError as exc:
                problems["retention"] = str(exc)
            else:
                history_months = values["history_months"]
                if history_months is not None and months < history_months:
                    problems["retention"] = self.tr(
                        "Keep orders at least as long as the first sync fetches them (%1 "
                        "months), or they would be deleted and fetched again.").replace(
                            "%1", str(history_months))
        return problems

    def _interval_text(self, seconds: int) -> str:
        if seconds == 0:
            return self.tr("Off")
        if seconds < 60:
            return self.tr("Every %1 seconds").replace("%1", str(seconds))
        if seconds == 60:
            return self.tr("Every minute")
        if seconds < 3600:
            return self.tr("Every %1 minutes").replace("%1", str(seconds // 60))
        if seconds == 3600:
            return self.tr("Every hour")
        return self.tr("Every %1 hours").replace("%1", str(seconds // 3600))

    def _on_history_edited(self) -> None:
        """A number of months typed or stepped chooses that limit."""
        self.history_limited.setChecked(True)
        self._on_field_edited()

    def _on_retention_toggled(self, _checked: bool) -> None:
        self.retention.setEnabled(self.keep_months.isChecked())
        self._on_field_edited()


def _either_or_months(either: QRadioButton, months: QRadioButton, count: QSpinBox) -> QVBoxLayout:
    """The two choices one under the other, the second followed by its number of months."""
    row = QHBoxLayout()
    row.addWidget(months)
    row.addWidget(count)
    row.addStretch(1)
    box = QVBoxLayout()
    box.addWidget(either)
    box.addLayout(row)
    return box
