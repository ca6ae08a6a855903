"""`StatsControls` on its own (offscreen, no database): when it says that what to count changed,
the line saying which Orders-tab filter applies, and the choices remembered across restarts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale
from pytestqt.qtbot import QtBot

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderFilter, QuickFilter
from allegro_desktop.services.stats import Granularity
from allegro_desktop.ui.stats.controls import StatsControls
from allegro_desktop.ui.stats.periods import StatsPeriod

TODAY = date(2026, 11, 20)

MakeControls = Callable[..., StatsControls]


@pytest.fixture
def make_controls(qtbot: QtBot) -> MakeControls:
    def make(workspace_filter: Callable[[], OrderFilter] | None = None) -> StatsControls:
        controls = StatsControls(today=TODAY, workspace_filter=workspace_filter)
        qtbot.addWidget(controls)
        return controls

    return make


def test_changed_says_when_what_to_count_changed(qtbot: QtBot,
                                                 make_controls: MakeControls) -> None:
    workspace = OrderFilter(quick=QuickFilter.UNPAID)
    controls = make_controls(workspace_filter=lambda: workspace)
    assert controls.period() is StatsPeriod.LAST_30_DAYS
    assert controls.granularity() is None
    assert controls.custom_days() == (date(2026, 10, 22), TODAY)  # the last 30 days
    assert not controls.date_from.isVisibleTo(controls)

    with qtbot.waitSignal(controls.changed):
        controls.set_period(StatsPeriod.LAST_7_DAYS)
    with qtbot.assertNotEmitted(controls.changed):  # a custom day, the period not custom
        controls.date_from.setDate(QDate(2026, 9, 1))
    with qtbot.waitSignal(controls.changed):
        controls.set_period(StatsPeriod.CUSTOM)
    assert controls.date_from.isVisibleTo(controls)
    assert controls.custom_days() == (date(2026, 9, 1), TODAY)
    with qtbot.waitSignal(controls.changed):
        controls.date_to.setDate(QDate(2026, 9, 30))
    with qtbot.waitSignal(controls.changed):  # the same period again, other days
        controls.set_period(StatsPeriod.CUSTOM, (date(2026, 8, 1), date(2026, 8, 31)))
    assert controls.custom_days() == (date(2026, 8, 1), date(2026, 8, 31))
    with qtbot.waitSignal(controls.changed):
        controls.set_granularity(Granularity.MONTH)
    assert controls.granularity() is Granularity.MONTH

    assert controls.applied_workspace_filter() is None  # not ticked
    with qtbot.waitSignal(controls.changed):
        controls.set_use_workspace_filter(True)
    assert controls.applied_workspace_filter() == workspace


def test_the_filter_line_says_which_filter_applies(make_controls: MakeControls) -> None:
    workspace = OrderFilter()
    controls = make_controls(workspace_filter=lambda: workspace)
    assert controls.filter_check.isEnabled()
    assert controls.filter_line.text() == \
        "The Orders tab shows every order: nothing to narrow."

    workspace = OrderFilter(quick=QuickFilter.UNPAID, search=" etui ",
                            delivery_methods=frozenset({"InPost Paczkomaty 24/7", "DPD"}),
                            invoice=True, min_total=Decimal("100"))
    controls.update_filter_line()  # the Orders tab's filter changed meanwhile
    conditions = "Unpaid · search “etui” · 2 delivery methods · invoice requested · " \
        "total from " + QLocale().toString(100.0, "f", 2)
    assert controls.filter_line.text() == "Not applied: " + conditions
    controls.set_use_workspace_filter(True)
    controls.update_filter_line()
    assert controls.filter_line.text() == "Counted: " + conditions
    assert controls.filter_line.toolTip() == controls.filter_line.text()

    alone = make_controls()  # no Orders tab: nothing to tick, nothing to say
    assert not alone.filter_check.isEnabled()
    assert alone.filter_line.text() == ""


def test_the_choices_are_remembered_across_restarts(make_controls: MakeControls,
                                                    tmp_path: Path) -> None:
    controls = make_controls()
    controls.set_period(StatsPeriod.CUSTOM, (date(2026, 9, 1), date(2026, 9, 30)))
    controls.set_granularity(Granularity.WEEK)
    controls.set_use_workspace_filter(True)
    controls.save_state(UiState(tmp_path / "ui-state.ini"))

    again = make_controls()
    again.restore_state(UiState(tmp_path / "ui-state.ini"))  # a new file object: a restart
    assert again.period() is StatsPeriod.CUSTOM
    assert again.custom_days() == (date(2026, 9, 1), date(2026, 9, 30))
    assert again.granularity() is Granularity.WEEK
    assert again.filter_check.isChecked()

    damaged = UiState(tmp_path / "damaged.ini")
    damaged.set_choices("statistics", {"period": "next_century", "granularity": "hour"})
    fresh = make_controls()
    fresh.restore_state(damaged)
    assert fresh.period() is StatsPeriod.LAST_30_DAYS
    assert fresh.granularity() is None
