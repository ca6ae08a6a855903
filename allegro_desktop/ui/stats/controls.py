"""`StatsControls`: what the Statistics tab counts, as the seller chooses it — the period (a
preset or two days), the grouping of the charts (day, week, month or automatic) and whether
only the orders matching the Orders tab's filter count, with a line saying which filter that
is — and the busy indicator while a computation runs. The choices are remembered in `UiState`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.services.stats import Granularity
from allegro_desktop.ui.formatting import (
    date_text,
    marketplace_label,
    number_text,
    quick_filter_label,
)
from allegro_desktop.ui.stats.periods import StatsPeriod, period_label

__all__ = ["StatsControls", "describe_filter"]


class StatsControls(QWidget):
    """The two rows above the figures: period, custom days, grouping and the busy indicator;
    the Orders-tab filter check box and its line. `today` (the local day) sets the custom
    days' default, the last 30 days; `workspace_filter` gives the Orders tab's current filter
    (None: the check box is disabled).

    Signals:
        changed(): the seller changed what to count (the period, a day of a custom period, the
            grouping or the check box).
    """

    changed = Signal()

    def __init__(self, *, today: date,
                 workspace_filter: Callable[[], OrderFilter] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsControls")
        self._workspace_filter = workspace_filter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._build_period_row(today))
        layout.addLayout(self._build_filter_row())
        self.update_filter_line()

    # -- building --------------------------------------------------------------------------

    def _build_period_row(self, today: date) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Period:"), self))
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("statsPeriod")
        for period in StatsPeriod:
            self.period_combo.addItem(period_label(period), period.value)
        self.period_combo.setCurrentIndex(list(StatsPeriod).index(StatsPeriod.LAST_30_DAYS))
        self.period_combo.currentIndexChanged.connect(self._on_period_combo_changed)
        row.addWidget(self.period_combo)
        qtoday = QDate(today.year, today.month, today.day)
        self.date_from = self._date_edit("statsDateFrom", qtoday.addDays(-29))
        self.date_to = self._date_edit("statsDateTo", qtoday)
        self._dash = QLabel("–", self)
        row.addWidget(self.date_from)
        row.addWidget(self._dash)
        row.addWidget(self.date_to)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Show by:"), self))
        self.granularity_combo = QComboBox(self)
        self.granularity_combo.setObjectName("statsGranularity")
        self.granularity_combo.addItem(self.tr("Automatic"), None)
        self.granularity_combo.addItem(self.tr("Day"), Granularity.DAY.value)
        self.granularity_combo.addItem(self.tr("Week"), Granularity.WEEK.value)
        self.granularity_combo.addItem(self.tr("Month"), Granularity.MONTH.value)
        self.granularity_combo.currentIndexChanged.connect(self._on_granularity_combo_changed)
        row.addWidget(self.granularity_combo)
        row.addStretch(1)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("statsBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setFixedWidth(90)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setToolTip(self.tr("Computing the statistics…"))
        self.busy_bar.hide()
        row.addWidget(self.busy_bar)
        self._show_custom_dates(False)
        return row

    def _date_edit(self, name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day, self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(self._on_date_edit_changed)
        return edit

    def _build_filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter_check = QCheckBox(self.tr("Only orders matching the Orders tab's filter"),
                                      self)
        self.filter_check.setObjectName("statsUseFilter")
        self.filter_check.setEnabled(self._workspace_filter is not None)
        self.filter_check.toggled.connect(self._on_filter_check_toggled)
        row.addWidget(self.filter_check)
        self.filter_line = QLabel(self)
        self.filter_line.setObjectName("statsFilterLine")
        self.filter_line.setWordWrap(True)
        self.filter_line.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_line.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.filter_line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.filter_line, 1)
        return row

    # -- the choices -----------------------------------------------------------------------

    def set_period(self, period: StatsPeriod, custom: tuple[date, date] | None = None) -> None:
        """Choose a period (and, for CUSTOM, its two days)."""
        if custom is not None:
            for edit, day in zip((self.date_from, self.date_to), custom, strict=True):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        index = self.period_combo.findData(period.value)
        if index == self.period_combo.currentIndex():
            self._on_period_combo_changed(index)
        else:
            self.period_combo.setCurrentIndex(index)

    def set_granularity(self, granularity: Granularity | None) -> None:
        """Day, week or month (None: chosen by the period's length)."""
        self.granularity_combo.setCurrentIndex(self.granularity_combo.findData(
            None if granularity is None else granularity.value))

    def set_use_workspace_filter(self, use: bool) -> None:
        self.filter_check.setChecked(use)

    def save_state(self, state: UiState) -> None:
        """Remember the period (with a custom range's days), the grouping and the checkbox."""
        first, last = self.custom_days()
        granularity = self.granularity()
        state.set_choices("statistics", {
            "period": self.period().value, "from": first.isoformat(), "to": last.isoformat(),
            "granularity": None if granularity is None else granularity.value,
            "workspace_filter": self.filter_check.isChecked()})

    def restore_state(self, state: UiState) -> None:
        """Choose what `save_state` remembered; anything unreadable keeps the default."""
        choices = state.choices("statistics") or {}
        try:
            granularity = choices.get("granularity")
            self.set_granularity(None if granularity is None else Granularity(granularity))
        except ValueError:
            pass
        self.set_use_workspace_filter(choices.get("workspace_filter") is True)
        try:
            period = StatsPeriod(str(choices.get("period")))
            custom = (date.fromisoformat(str(choices.get("from"))),
                      date.fromisoformat(str(choices.get("to"))))
        except ValueError:
            return
        self.set_period(period, custom if period is StatsPeriod.CUSTOM else None)

    def period(self) -> StatsPeriod:
        return StatsPeriod(self.period_combo.currentData())

    def granularity(self) -> Granularity | None:
        data = self.granularity_combo.currentData()
        return None if data is None else Granularity(data)

    def applied_workspace_filter(self) -> OrderFilter | None:
        """The Orders tab's filter when the seller ticked it (None: count every order)."""
        if self.filter_check.isChecked() and self._workspace_filter is not None:
            return self._workspace_filter()
        return None

    def custom_days(self) -> tuple[date, date]:
        """The two days of a custom period (both included, in either order)."""
        low, high = self.date_from.date(), self.date_to.date()
        return (date(low.year(), low.month(), low.day()),
                date(high.year(), high.month(), high.day()))

    def show_busy(self, busy: bool) -> None:
        """Whether a computation runs."""
        self.busy_bar.setVisible(busy)

    def update_filter_line(self) -> None:
        """Say which Orders-tab filter applies (it may have changed meanwhile)."""
        locale = QLocale()
        workspace = self._workspace_filter() if self._workspace_filter is not None else None
        described = describe_filter(workspace, locale) if workspace is not None else ""
        if workspace is None:
            text = ""
        elif not described:
            text = self.tr("The Orders tab shows every order: nothing to narrow.")
        elif self.filter_check.isChecked():
            text = self.tr("Counted: %1").replace("%1", described)
        else:
            text = self.tr("Not applied: %1").replace("%1", described)
        self.filter_line.setText(text)
        self.filter_line.setToolTip(text)

    def _show_custom_dates(self, shown: bool) -> None:
        for widget in (self.date_from, self._dash, self.date_to):
            widget.setVisible(shown)

    # -- slots -----------------------------------------------------------------------------

    def _on_period_combo_changed(self, _index: int) -> None:
        self._show_custom_dates(self.period() is StatsPeriod.CUSTOM)
        self.changed.emit()

    def _on_date_edit_changed(self, _day: QDate) -> None:
        if self.period() is StatsPeriod.CUSTOM:
            self.changed.emit()

    def _on_granularity_combo_changed(self, _index: int) -> None:
        self.changed.emit()

    def _on_filter_check_toggled(self, _checked: bool) -> None:
        self.changed.emit()


def describe_filter(order_filter: OrderFilter, locale: QLocale) -> str:
    """The conditions of the Orders tab's filter in one line ("Unpaid · "etui" · 2 delivery
    methods"); "" when it selects every order. The accounts are left out (the toolbar's
    chooser says which)."""
    parts: list[str] = []
    if order_filter.quick is not QuickFilter.ALL:
        parts.append(quick_filter_label(order_filter.quick))
    if order_filter.search.strip():
        parts.append(QCoreApplication.translate(
            "StatsControls", "search “%1”").replace("%1", order_filter.search.strip()))
    low, high = order_filter.bought_from, order_filter.bought_to
    if low is not None or high is not None:
        first = date_text(low, locale) if low is not None else "…"
        last = date_text(high - timedelta(milliseconds=1), locale) if high is not None else "…"
        parts.append(QCoreApplication.translate(
            "StatsControls", "bought %1 – %2").replace("%1", first).replace("%2", last))
    methods = sorted(order_filter.delivery_methods)
    if len(methods) == 1:
        parts.append(methods[0])
    elif methods:
        parts.append(QCoreApplication.translate(
            "StatsControls", "%1 delivery methods").replace(
                "%1", number_text(len(methods), locale)))
    if order_filter.payment_types:
        parts.append(QCoreApplication.translate("StatsControls", "payment types: %1").replace(
            "%1", number_text(len(order_filter.payment_types), locale)))
    if order_filter.marketplaces:
        parts.append(", ".join(marketplace_label(m) or m
                               for m in sorted(order_filter.marketplaces)))
    if order_filter.invoice is True:
        parts.append(QCoreApplication.translate("StatsControls", "invoice requested"))
    elif order_filter.invoice is False:
        parts.append(QCoreApplication.translate("StatsControls", "no invoice"))
    if order_filter.min_total is not None:
        parts.append(QCoreApplication.translate("StatsControls", "total from %1").replace(
            "%1", number_text(order_filter.min_total, locale, 2)))
    if order_filter.max_total is not None:
        parts.append(QCoreApplication.translate("StatsControls", "total up to %1").replace(
            "%1", number_text(order_filter.max_total, locale, 2)))
    return " · ".join(parts)
