"""`StatsTab`: the Statistics tab — a period's sales figures against the period before, in KPI
cards, charts and tables. It puts its parts together and decides when to compute:

- **which orders**: `StatsControls` (the period, the grouping, the Orders tab's filter if
  ticked) and the account chosen in the toolbar (`set_account_filter`);
- **off the GUI thread**: `StatsComputation` runs on `StatsLoader`'s `TaskQueue`; a newer
  request drops the older one's result; a busy indicator shows meanwhile, an error shows in the
  tab's message line (the previous figures stay);
- **only when seen**: a change of period, filter or account recomputes after a short pause
  (`DEBOUNCE_MS`); a sync that stored orders (`refresh()`) recomputes after `REFRESH_DELAY_MS`
  if the tab is on screen, else when it is shown next — as does a changed Orders-tab filter;
- **showing**: `StatsFigures` shows a result, or the tab says why there is none;
  `FigureFiles` saves a panel's chart or table and says so in the message line.

What is counted is `services/stats.py`'s business (ARCHITECTURE.md "Statistics").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Any, Final

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderFilter
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.services.time_zone import local_zone
from allegro_desktop.storage.order_query import OrderQueries
from allegro_desktop.storage.times import utc_now
from allegro_desktop.ui.stats.computation import (
    StatsComputation,
    StatsOutcome,
    StatsPlan,
    StatsSource,
)
from allegro_desktop.ui.stats.controls import StatsControls
from allegro_desktop.ui.stats.figures import StatsFigures
from allegro_desktop.ui.stats.files import FigureFiles
from allegro_desktop.ui.stats.loader import StatsLoader
from allegro_desktop.ui.stats.panels import change_colour

__all__ = ["DEBOUNCE_MS", "REFRESH_DELAY_MS", "StatsTab"]

#: The pause after a change of the period or filter before computing.
DEBOUNCE_MS: Final = 150
#: The pause after a sync stored orders (several syncs in a row compute once).
REFRESH_DELAY_MS: Final = 1500


class StatsTab(QWidget):
    """The Statistics tab (see the module's docstring).

    `stats` computes (on a pool thread); `queries` finds the first order for "All time";
    `workspace_filter` gives the Orders tab's current filter (None: the check box is
    disabled); `clock` and `time_zone` say what "today" is (tests pin them).

    Signals: none (the tab only shows and writes the files the seller asks for).
    """

    def __init__(self, *, stats: StatsSource, queries: OrderQueries,
                 workspace_filter: Callable[[], OrderFilter] | None = None,
                 clock: Callable[[], datetime] | None = None, time_zone: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsTab")
        self._computation = StatsComputation(stats=stats, queries=queries)
        self._time_zone = time_zone or local_zone()
        self._local = LocalTime(clock=clock or utc_now, zone=self._time_zone)
        self._account: str | None = None
        self._dirty = True  # computed for what is on screen? (not yet)
        self._last_plan: StatsPlan | None = None
        self._outcome: StatsOutcome | None = None
        self._error: str | None = None
        self._stopped = False
        self._loader = StatsLoader(parent=self)
        self._loader.computed.connect(self._on_loader_computed)
        self._loader.failed.connect(self._on_loader_failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        self.controls = StatsControls(today=self._today(), workspace_filter=workspace_filter,
                                      parent=self)
        self.controls.changed.connect(self._changed)
        self._loader.busy_changed.connect(self.controls.show_busy)
        layout.addWidget(self.controls)
        self._message = QLabel(self)
        self._message.setObjectName("statsMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()
        layout.addWidget(self._message)
        self._stack = QStackedWidget(self)
        self._empty = QLabel(self)
        self._empty.setObjectName("statsEmpty")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        self._stack.addWidget(self._empty)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("statsScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.figures = StatsFigures(self)
        self._scroll.setWidget(self.figures)
        self.files = FigureFiles(self.figures.panels, period_days=self._shown_days, parent=self)
        self.files.message.connect(self._on_files_message)
        self._stack.addWidget(self._scroll)
        layout.addWidget(self._stack, 1)
        self._empty.setText(self.tr("Statistics appear here once they are computed."))

    # -- public ----------------------------------------------------------------------------

    def set_account_filter(self, key: str | None) -> None:
        """The toolbar's account (None: every account)."""
        if key == self._account:
            return
        self._account = key
        self._changed()

    def save_state(self, state: UiState) -> None:
        """Remember the seller's choices (`StatsControls.save_state`)."""
        self.controls.save_state(state)

    def restore_state(self, state: UiState) -> None:
        """Choose what `save_state` remembered."""
        self.controls.restore_state(state)

    def refresh(self) -> None:
        """Orders changed (a sync stored some): compute again, shortly if the tab is on
        screen, else when it is shown."""
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start(REFRESH_DELAY_MS)

    def compute_now(self) -> int:
        """Start computing what the controls say at once; returns the request's generation."""
        self._timer.stop()
        self._dirty = False
        plan = self.current_plan()
        self._last_plan = plan
        self.controls.update_filter_line()
        return self._loader.submit(lambda stale: self._computation.run(plan, stale))

    def current_plan(self) -> StatsPlan:
        """What the controls say, for this moment."""
        return StatsPlan(period=self.controls.period(), today=self._today(),
                         custom=self.controls.custom_days(),
                         granularity=self.controls.granularity(),
                         order_filter=self.current_filter(), time_zone=self._time_zone)

    def current_filter(self) -> OrderFilter:
        """The orders counted: the account's — and the Orders tab's filter if ticked."""
        accounts = frozenset({self._account}) if self._account else frozenset()
        workspace = self.controls.applied_workspace_filter()
        if workspace is not None:
            return replace(workspace, accounts=accounts)
        return OrderFilter(accounts=accounts)

    @property
    def outcome(self) -> StatsOutcome | None:
        """What is shown (None before the first result)."""
        return self._outcome

    @property
    def loader(self) -> StatsLoader:
        return self._loader

    @property
    def error_text(self) -> str | None:
        return self._error

    def is_busy(self) -> bool:
        return self._loader.is_busy()

    def is_empty_shown(self) -> bool:
        return self._stack.currentWidget() is self._empty

    def shutdown(self) -> None:
        """Stop computing (before the database closes)."""
        self._stopped = True
        self._timer.stop()
        self._loader.stop()

    # -- computing -------------------------------------------------------------------------

    def _today(self) -> date:
        return self._local.today()

    def _shown_days(self) -> tuple[date, date] | None:
        """The days of the figures shown (None before the first)."""
        return self._outcome.days if self._outcome is not None else None

    def _changed(self) -> None:
        """The seller changed what to count: compute after a short pause, if seen."""
        self._dirty = True
        self.controls.update_filter_line()
        if self.isVisible() and not self._stopped:
            self._timer.start(DEBOUNCE_MS)

    # -- showing ---------------------------------------------------------------------------

    def _show_outcome(self, outcome: StatsOutcome) -> None:
        self._outcome = outcome
        result = outcome.result
        if result is None or outcome.days is None or result.totals.orders == 0:
            self._show_empty(outcome)
            return
        self._stack.setCurrentWidget(self._scroll)
        self.figures.show_result(result, outcome.days, outcome.granularity)

    def _show_empty(self, outcome: StatsOutcome) -> None:
        self._stack.setCurrentWidget(self._empty)
        if outcome.plan.order_filter != OrderFilter(accounts=outcome.plan.order_filter.accounts):
            text = self.tr("No orders match the Orders tab's filter in this period. Choose a "
                           "longer period, or untick “Only orders matching the Orders tab's "
                           "filter”.")
        elif outcome.days is None:
            text = self.tr("No orders yet. Statistics appear here once the first orders are "
                           "synced from Allegro.")
        else:
            text = self.tr("No orders in this period. Choose a longer period, such as "
                           "“Last 12 months” or “All time”.")
        self._empty.setText(text)

    def _show_message(self, text: str | None, *, error: bool) -> None:
        if not text:
            self._message.hide()
            return
        palette = self._message.palette()
        colour = palette.color(QPalette.ColorRole.WindowText)
        if error:
            colour = change_colour(1, False, self.palette()) or colour
        else:
            colour = self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._message.setPalette(palette)
        self._message.setText(text)
        self._message.show()

    # -- events and slots ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stopped:
            return
        if self._dirty or self._last_plan is None \
                or self._last_plan.order_filter != self.current_filter() \
                or self._last_plan.today != self._today():
            QTimer.singleShot(0, self, self._on_shown)
        self.controls.update_filter_line()

    def _on_shown(self) -> None:
        if self.isVisible() and not self._stopped:
            self.compute_now()

    def _on_timer_timeout(self) -> None:
        if self.isVisible() and not self._stopped:
            self.compute_now()

    def _on_loader_computed(self, _generation: int, outcome: Any) -> None:
        assert isinstance(outcome, StatsOutcome)
        self._error = None
        self._show_message(None, error=False)
        self._show_outcome(outcome)

    def _on_loader_failed(self, _generation: int, message: str) -> None:
        self._error = message
        self._dirty = True  # try again when next asked
        self._show_message(self.tr("The statistics could not be computed: %1").replace(
            "%1", message), error=True)

    def _on_files_message(self, text: str, error: bool) -> None:
        self._show_message(text, error=error)
