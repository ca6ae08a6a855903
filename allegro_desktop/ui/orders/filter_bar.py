"""The Orders tab's bar above the table: the quick-filter buttons (with their counts), the
search box, the date presets, the Filters and Views buttons, "Clear filters" and the result
line ("1 234 orders", "Loading orders…", an error).

`FilterBar` builds and labels these widgets and says what the seller clicked; what a choice
means for the list (the debounce of the search, the queries) is the workspace's business. The
Filters popup is never taller than the room below its button in the window (and on the
screen): beyond that its panel scrolls (`PopupScroll`), its buttons stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QLocale, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from allegro_desktop.domain.filters import QuickFilter
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.ui.formatting import count_grouped, number_text, quick_filter_label
from allegro_desktop.ui.message_line import MessageLine
from allegro_desktop.ui.orders.filter_panel import DateFilter, FilterPanel

__all__ = ["QUICK_ORDER", "FilterBar", "PopupScroll"]

#: The quick filters in the order of their buttons.
QUICK_ORDER: Final = (QuickFilter.TO_PROCESS, QuickFilter.PROCESSING, QuickFilter.SENT,
                      QuickFilter.CANCELLED, QuickFilter.UNPAID, QuickFilter.ALL)


#: The least height the Filters popup keeps, however little room the window has.
_POPUP_AT_LEAST: Final = 200


class PopupScroll(QScrollArea):
    """A popup's content as tall as it asks, at most `room()` pixels: taller, it scrolls
    (asked again each time the popup opens, through `updateGeometry`)."""

    def __init__(self, content: QWidget, room: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._room = room
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(True)
        self.setWidget(content)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        content = self.widget()
        wanted = content.sizeHint() if content is not None else QSize()
        room = self._room()
        if wanted.height() <= room:
            return wanted
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(wanted.width() + bar, room)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, 0)


class FilterBar(QWidget):
    """The two rows above the order table (see the module's docstring). Its parts are
    attributes: the workspace listens to them and fills the Views menu.

    Signals:
        quick_clicked(object): the seller clicked a quick filter's button (its `QuickFilter`).
    """

    quick_clicked = Signal(object)
    actions_toggled = Signal(bool)

    def __init__(self, local: LocalTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._build_quick_row())
        layout.addLayout(self._build_filter_row(local))

    def _build_quick_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        self._quick_group = QButtonGroup(self)
        self._quick_group.setExclusive(True)
        self.quick_buttons: dict[QuickFilter, QToolButton] = {}
        tips = {
            QuickFilter.TO_PROCESS: self.tr("Paid (or cash on delivery), not started yet"),
            QuickFilter.PROCESSING: self.tr("Being prepared: processing, ready for shipment "
                                            "or pickup, suspended"),
            QuickFilter.SENT: self.tr("Sent, picked up or returned"),
            QuickFilter.CANCELLED: self.tr("Cancelled by the buyer, by Allegro or by you"),
            QuickFilter.UNPAID: self.tr("Bought, payment not finished"),
            QuickFilter.ALL: self.tr("Every order"),
        }
        for quick in QUICK_ORDER:
            button = QToolButton(self)
            button.setObjectName(f"quick:{quick.value}")
            button.setToolTip(tips[quick])
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setProperty("quick", quick.value)
            self._quick_group.addButton(button)
            self.quick_buttons[quick] = button
            row.addWidget(button)
        self.quick_buttons[QuickFilter.ALL].setChecked(True)
        self._quick_group.buttonClicked.connect(self._on_quick_group_clicked)
        self.show_counts(None)
        row.addSpacing(6)
        self.actions_button = QToolButton(self)  # on top of the quick filter, not one of them
        self.actions_button.setObjectName("quick:actions")
        self.actions_button.setCheckable(True)
        self.actions_button.setText(self.tr("Actions waiting / failed"))
        self.actions_button.setToolTip(self.tr(
            "Only orders with a status change or tracking number not sent to Allegro yet, "
            "or refused"))
        self.actions_button.clicked.connect(self.actions_toggled)
        row.addWidget(self.actions_button)
        row.addSpacing(12)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("orderSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Search orders…"))  # whole when narrow
        self.search_edit.setToolTip(self.tr(
            "Searches the order id, the buyer, e-mail, phone, city and items. Every word must "
            "match the start of a word; letter case and Polish letters do not matter "
            "(\"lodz\" finds \"Łódź\"). Ctrl+F"))
        self.search_edit.setMinimumWidth(180)
        self.search_edit.installEventFilter(self)  # Escape clears it
        row.addWidget(self.search_edit, 1)
        return row

    def _build_filter_row(self, local: LocalTime) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.date_filter = DateFilter(local, self)
        row.addWidget(self.date_filter)

        self.filters_button = QPushButton(self)
        self.filters_button.setObjectName("filtersButton")
        self.filters_menu = filters_menu = QMenu(self.filters_button)
        self.filter_panel = FilterPanel()
        self.filters_scroll = PopupScroll(self.filter_panel, self._room_below_filters,
                                          filters_menu)
        self._filters_action = panel_action = QWidgetAction(filters_menu)
        panel_action.setDefaultWidget(self.filters_scroll)
        filters_menu.addAction(panel_action)
        filters_menu.aboutToShow.connect(self._fit_filters_popup)
        self.filters_button.setMenu(filters_menu)
        row.addWidget(self.filters_button)

        self.views_button = QPushButton(self.tr("Views"), self)
        self.views_button.setObjectName("viewsButton")
        self.views_button.setToolTip(self.tr("Saved views: filters, sort and columns by name"))
        self.views_menu = QMenu(self.views_button)  # filled by OrderActions
        self.views_button.setMenu(self.views_menu)
        row.addWidget(self.views_button)

        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setText(self.tr("Clear filters"))
        self.clear_button.setToolTip(self.tr("Show every order again (the search, the dates, "
                                             "the quick filter and the extra filters)"))
        row.addWidget(self.clear_button)

        row.addStretch(1)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("resultLine")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        self.result_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        row.addWidget(self.result_label, 1)
        # An error instead of the count: one line (a damaged database's explanation is long),
        # its whole text behind "Details…".
        self.error_line = MessageLine(title=self.tr("The orders could not be read"),
                                      alignment=Qt.AlignmentFlag.AlignRight, parent=self)
        self.error_line.setObjectName("resultError")
        self.error_line.hide()
        row.addWidget(self.error_line, 1)
        self.show_filter_state(clear_visible=False)
        return row

    def _room_below_filters(self) -> int:
        """The pixels from the Filters button down to the window's bottom (and the
        screen's), less the popup's frame: the popup fits there."""
        button = self.filters_button
        top = button.mapToGlobal(button.rect().bottomLeft()).y()
        bottom = self.window().geometry().bottom()
        screen = button.screen()
        if screen is not None:
            bottom = min(bottom, screen.availableGeometry().bottom())
        frame = 2 * self.filters_menu.style().pixelMetric(
            QStyle.PixelMetric.PM_MenuPanelWidth, None, self.filters_menu) + 8
        return max(_POPUP_AT_LEAST, bottom - top - frame)

    def _fit_filters_popup(self) -> None:
        """The popup's height asked again for the room it has now: the action's data is
        the room it was laid out for, and a menu lays out an action again when it
        changes."""
        self.filters_scroll.updateGeometry()
        self._filters_action.setData(self._room_below_filters())

    # -- what the bar shows ---------------------------------------------------------------

    def check_quick(self, quick: QuickFilter) -> None:
        """Show `quick` as the chosen quick filter (no `quick_clicked`)."""
        self.quick_buttons[quick].setChecked(True)

    def show_counts(self, counts: dict[QuickFilter, int] | None) -> None:
        """Each quick filter's count on its button (None: not counted yet)."""
        locale = self.locale()
        for quick, button in self.quick_buttons.items():
            label = quick_filter_label(quick)
            if counts is not None:
                label = f"{label}  {number_text(counts.get(quick, 0), locale)}"
            button.setText(label)

    def show_filter_state(self, *, clear_visible: bool) -> None:
        """How many of the Filters popup's filters are in use, and whether "Clear filters"
        has anything to clear."""
        active = self.filter_panel.active_count()
        self.filters_button.setText(self.tr("Filters") if not active
                                    else self.tr("Filters (%1)").replace("%1", str(active)))
        self.filters_button.setToolTip(self.tr(
            "Delivery method, payment, marketplace, invoice and amount"))
        self.clear_button.setVisible(clear_visible)

    def show_error(self, message: str) -> None:
        """The list could not be read: why, on one line (`error_line`), instead of the count."""
        self.error_line.set_message(self.tr("The orders could not be read: %1")
                                    .replace("%1", message), error=True)
        self.result_label.hide()
        self.error_line.show()

    def show_total(self, total: int | None, *, loading: bool, short_search: bool) -> None:
        """How many orders are listed (None: not known yet; "Loading orders…" while
        `loading`); `short_search`: the search text is too short to search with."""
        self.error_line.hide()
        self.result_label.show()
        if total is None:
            self.result_label.setText(self.tr("Loading orders…") if loading else "")
            return
        text = self.tr("1 order") if total == 1 else count_grouped(
            self.tr("%Ln orders", "", total), total, QLocale())
        if short_search:
            text = self.tr("%1 · search from 2 characters").replace("%1", text)
        self.result_label.setText(text)

    def _on_quick_group_clicked(self, button: QAbstractButton) -> None:
        self.quick_clicked.emit(QuickFilter(button.property("quick")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Escape in the search box clears it (and the search, at once)."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape \
                and self.search_edit.text():
            self.search_edit.clear()
            return True
        return super().eventFilter(watched, event)
