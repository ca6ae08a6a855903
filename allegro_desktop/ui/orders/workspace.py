"""`OrdersWorkspace`: the Orders tab — the order table, its filters, search and saved views.

What the seller asks (a quick filter, a date range, the search box, the extra filters of the
Filters popup, the account chosen in the main window) becomes one `OrderFilter`, and the
column header's sort one `OrderSort`; `OrderListLoader` runs the query in the background and
`OrdersModel` shows its result (ARCHITECTURE.md "The orders workspace": SQL filters and sorts,
the model holds ids and fetches rows on demand). Every change runs a new query and abandons the
previous one; typing in the search box waits for a 250 ms pause first. After a sync the lead
calls `refresh()`: the same query runs again and its result replaces the old one in place.

The workspace assembles its parts and wires them: `list_state.py` (the choices and the query
state machine, no widgets), `filter_bar.py` and `filter_panel.py` (the widgets above the
table), `table.py` and `columns.py` (the table view), `saved_views.py` (views kept by name in
`UiState`; the one in use when the window closes comes back at the next start, without its
search text), `actions.py` (actions, menus, clipboard) and `new_orders.py` (the temporary view of
the new orders a clicked notification shows, and the way back from it).

The details panel and the export dialog are other widgets: the workspace says which order is
current (`current_order_changed`) and when an export is asked for (`export_requested`), and
takes the details panel into its splitter (`set_details_widget`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Final

from PySide6.QtCore import (
    QDate,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import (
    OrderColumn,
    OrderFilter,
    OrderSort,
    QuickFilter,
)
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage.order_query import Facets, OrderQueries
from allegro_desktop.storage.search import too_short
from allegro_desktop.storage.times import utc_now
from allegro_desktop.ui.orders.actions import OrderActions
from allegro_desktop.ui.orders.filter_bar import FilterBar
from allegro_desktop.ui.orders.list_loader import OrderListLoader
from allegro_desktop.ui.orders.list_state import DatePreset, ListState, LoadMode
from allegro_desktop.ui.orders.model import OrdersModel
from allegro_desktop.ui.orders.new_orders import ListPosition, NewOrdersBar, NewOrdersView
from allegro_desktop.ui.orders.saved_views import TABLE_VALUES, SavedView, SavedViews
from allegro_desktop.ui.orders.table import OrdersTable

__all__ = ["OrdersWorkspace"]

log = logging.getLogger("allegro_desktop.ui")

#: The name of the workspace's entries in `UiState`.
STATE_NAME: Final = "orders"
#: Its `UiState.choices` key: whether the account column was ever shown for a second account.
_ACCOUNTS_CHOICE: Final = "orders-accounts"
#: The table's width at least beside the details panel's first width (the seller drags it).
_TABLE_AT_LEAST: Final = 360
SEARCH_DELAY_MS: Final = 250


def _python_date(value: QDate | None) -> date | None:
    return None if value is None else date(value.year(), value.month(), value.day())


class OrdersWorkspace(QWidget):
    """The Orders tab (see the module's docstring).

    `ui_state` holds the saved views, and the layout and last view the constructor restores;
    `sandbox` picks the allegro.pl host of the order links; `clock` (aware datetimes, now by
    default) decides what "today" is for the date presets, in the computer's time zone
    (`services/local_time.py`, as the Statistics tab's periods). Call `shutdown()` before the
    database closes.

    Its parts are attributes, for the window and tests to use directly: `filter_bar`,
    `table`, `model`, `list_state` (the choices, the sort, the query's progress),
    `saved_views` and `order_actions`.

    Signals:
        current_order_changed(object): the seq (int) of the order now current, or None.
        selection_changed(int): how many orders are selected.
        export_requested(): the seller asked to export (Ctrl+E, menu); `selected_seqs()`,
            `current_filter()` and `list_state.sort` say what they see.
        print_requested(str): the seller asked to print "packing-slips" or the "pick-list"
            (Ctrl+P, Ctrl+Shift+P, the rows' menu) of what `export_requested` would export.
        open_in_allegro_requested(str): the seller asked to open this order (checkout-form
            id) on allegro.pl ("Open in Allegro"); the receiver opens the browser.
        account_filter_restored(object): "Show all orders" brought back the account the
            list showed before the new orders (a key, None: all): the window's account
            chooser follows.
    """

    current_order_changed = Signal(object)
    selection_changed = Signal(int)
    export_requested = Signal()
    print_requested = Signal(str)
    open_in_allegro_requested = Signal(str)
    account_filter_restored = Signal(object)

    def __init__(self, *, queries: OrderQueries, ui_state: UiState, sandbox: bool = False,
                 clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._ui_state = ui_state
        self.saved_views = SavedViews(ui_state)
        self._local = LocalTime(clock=clock or utc_now)
        self.list_state = ListState()
        self._current_seq: int | None = None
        self._selected_count = 0
        self._details: QWidget | None = None
        self._new_orders: NewOrdersView | None = None
        self._position_when_listed: ListPosition | None = None  # "Show all orders"
        self._details_width_pending = False  # its first width waits for the screen

        self.setObjectName("ordersWorkspace")
        self._loader = OrderListLoader(queries=queries, parent=self)
        self._loader.first_rows_ready.connect(self._on_loader_first_rows_ready)
        self._loader.seqs_started.connect(self._on_loader_seqs_started)
        self._loader.seqs_extended.connect(self._on_loader_seqs_extended)
        self._loader.seqs_finished.connect(self._on_loader_seqs_finished)
        self._loader.counts_ready.connect(self._on_loader_counts_ready)
        self._loader.facets_ready.connect(self._on_loader_facets_ready)
        self._loader.failed.connect(self._on_loader_failed)
        self.model = OrdersModel(queries=queries, locale=self.locale(), parent=self)
        self.model.sort_requested.connect(self._on_model_sort_requested)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self._filters_timer = QTimer(self)  # the amount boxes change on every keystroke
        self._filters_timer.setSingleShot(True)
        self._filters_timer.setInterval(SEARCH_DELAY_MS)
        self._filters_timer.timeout.connect(self._on_filters_timer_timeout)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        self.filter_bar = FilterBar(self._local, self)
        layout.addWidget(self.filter_bar)
        bar = self.filter_bar
        bar.quick_clicked.connect(self._on_filter_bar_quick_clicked)
        bar.actions_toggled.connect(self._on_filter_bar_actions_toggled)
        bar.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        bar.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        bar.date_filter.changed.connect(self._on_date_filter_changed)
        bar.filter_panel.changed.connect(self._on_filter_panel_changed)
        bar.clear_button.clicked.connect(self.clear_filters)
        self.new_orders_bar = NewOrdersBar(self)
        self.new_orders_bar.show_all_clicked.connect(self.show_all_orders)
        layout.addWidget(self.new_orders_bar)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setObjectName("ordersSplitter")
        self._splitter.setChildrenCollapsible(False)
        self._pages = QStackedWidget(self._splitter)
        self._pages.addWidget(self._build_table())
        self._pages.addWidget(self._build_empty_page())
        self._splitter.addWidget(self._pages)
        self._splitter.setStretchFactor(0, 1)
        layout.addWidget(self._splitter, 1)
        self.order_actions = OrderActions(self, sandbox=sandbox)

        self.restore_state(ui_state)
        self._loader.load_facets()

    # -- building --------------------------------------------------------------------------

    def _build_table(self) -> OrdersTable:
        self.table = OrdersTable(self.model, self.list_state.sort, self)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_selection_current_changed)
        selection.selectionChanged.connect(self._on_selection_changed)
        return self.table

    def _build_empty_page(self) -> QWidget:
        page = QFrame(self)
        page.setObjectName("emptyPage")
        page.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.empty_label = QLabel(page)
        self.empty_label.setObjectName("emptyText")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        layout.addWidget(self.empty_label)
        layout.addStretch(2)
        return page

    # -- public API ------------------------------------------------------------------------

    def current_filter(self) -> OrderFilter:
        """The filter on screen, its date preset computed for this moment."""
        bought_from, bought_to = self.filter_bar.date_filter.time_range()
        panel = self.filter_bar.filter_panel
        min_total, max_total = panel.amounts()
        return OrderFilter(
            quick=self.list_state.quick, bought_from=bought_from, bought_to=bought_to,
            search=self.list_state.search,
            accounts=self.list_state.accounts(),
            delivery_methods=panel.delivery_methods(),
            payment_types=panel.payment_types(),
            marketplaces=panel.marketplaces(),
            invoice=panel.invoice_value(),
            min_total=min_total, max_total=max_total,
            actions=self.list_state.action_states(),
            tags=panel.tag_ids(), has_note=panel.note_value(),
            order_ids=self._new_orders.order_ids if self._new_orders else frozenset())

    def current_view(self) -> SavedView:
        """The view on screen (what "Save current view as…" saves)."""
        dates = self.filter_bar.date_filter
        date_from, date_to = dates.custom_days()
        return SavedView(
            order_filter=replace(self.current_filter(), bought_from=None, bought_to=None,
                                 accounts=frozenset()),
            date_preset=dates.preset(), date_from=date_from, date_to=date_to,
            sort=self.list_state.sort, columns=tuple(self.table.visible_columns()))

    def selected_seqs(self) -> list[int]:
        """The selected orders, in table order."""
        seqs = self.model.seqs
        return [seqs[row] for start, stop in self.table.selected_ranges()
                for row in range(start, stop)]

    def current_seq(self) -> int | None:
        return self._current_seq

    def result_count(self) -> int:
        """How many orders the current filter selects (the rows listed so far while the
        result is still arriving)."""
        total = self.list_state.result_total
        return total if total is not None else self.model.rowCount()

    def set_account_filter(self, key: str | None) -> None:
        """Show one account's orders (None: every account's)."""
        if self.list_state.set_account(key):
            self._reload()

    def set_quick_filter(self, quick: QuickFilter) -> None:
        self.filter_bar.check_quick(quick)
        if self.list_state.set_quick(quick):
            self._reload()

    def set_search_text(self, text: str) -> None:
        """Search at once (no debounce), as if typed and Enter pressed."""
        with QSignalBlocker(self.filter_bar.search_edit):
            self.filter_bar.search_edit.setText(text)
        self._apply_search()

    def set_date_preset(self, preset: DatePreset, date_from: QDate | None = None,
                        date_to: QDate | None = None) -> None:
        self.filter_bar.date_filter.set_values(preset, _python_date(date_from),
                                               _python_date(date_to))
        self._reload()

    def set_sort(self, sort: OrderSort) -> None:
        self.table.show_sort(sort)
        if self.list_state.set_sort(sort):
            self._reload(counts=False)

    def clear_filters(self) -> None:
        """Every order of the account(s) in view again; sort and columns stay."""
        self.apply_view(replace(self.current_view(), order_filter=OrderFilter(),
                                date_preset=DatePreset.ALL, columns=None))

    def show_new_orders(self, order_ids: Sequence[str], seqs: Sequence[int]) -> None:
        """The temporary "new orders" view (a new-order notification was clicked): only these
        orders (checkout-form ids), newest first, selected once listed (`seqs`), under the
        bar whose "Show all orders" brings back the view the seller had (`show_all_orders`).
        Filters chosen meanwhile apply within the new orders; "Clear filters" or a saved
        view ends it. They are listed whatever their account (the window's account chooser
        is then set to all accounts by the caller; the way back restores the account)."""
        if self._new_orders is None:
            previous = self.current_view()
            if self.table.follows_width():  # the way back keeps the columns fitted too
                previous = replace(previous, columns=None)
            position = ListPosition.of(self.table, self.model, tuple(self.selected_seqs()),
                                       self._current_seq)
            account = self.list_state.account
        else:  # another message clicked: the way back stays the view before the first
            previous, position = self._new_orders.previous, self._new_orders.position
            account = self._new_orders.account
        self._new_orders = NewOrdersView(order_ids=frozenset(order_ids), previous=previous,
                                         position=position, account=account)
        self.list_state.set_account(None)
        self._position_when_listed = None
        self.new_orders_bar.show_count(len(self._new_orders.order_ids))
        self.list_state.select_when_listed = list(seqs)
        self._apply_view(replace(self.current_view(), order_filter=OrderFilter(),
                                 date_preset=DatePreset.ALL, sort=OrderSort(), columns=None))

    def show_all_orders(self) -> None:
        """End the "new orders" view: the seller's previous filters and sort again, and
        once listed, their selection and scroll position."""
        shown = self._new_orders
        if shown is None:
            return
        self.list_state.set_account(shown.account)
        self.apply_view(shown.previous)
        self._position_when_listed = shown.position
        self.account_filter_restored.emit(shown.account)

    def is_showing_new_orders(self) -> bool:
        return self._new_orders is not None

    def apply_view(self, view: SavedView) -> None:
        """Show a view (its columns too, if it has them), as one new query; the "new
        orders" view, if shown, ends."""
        if self._new_orders is not None:
            self._new_orders = None
            self.new_orders_bar.hide()
        self._apply_view(view)

    def _apply_view(self, view: SavedView) -> None:
        chosen = view.order_filter
        self.list_state.applying = True
        try:
            self._search_timer.stop()
            self._filters_timer.stop()
            self.list_state.quick = chosen.quick
            self.filter_bar.check_quick(chosen.quick)
            self.list_state.actions = bool(chosen.actions)
            self.filter_bar.actions_button.setChecked(bool(chosen.actions))
            self.list_state.search = chosen.search.strip()
            bar = self.filter_bar
            with QSignalBlocker(bar.search_edit):
                bar.search_edit.setText(chosen.search)
            bar.date_filter.set_values(view.date_preset, view.date_from, view.date_to)
            bar.filter_panel.set_values(
                delivery_methods=chosen.delivery_methods, payment_types=chosen.payment_types,
                marketplaces=chosen.marketplaces, invoice=chosen.invoice,
                min_total=chosen.min_total, max_total=chosen.max_total,
                tags=chosen.tags, has_note=chosen.has_note)
            if view.columns:
                self.table.set_visible_columns(view.columns)
            self.table.show_sort(view.sort)
            self.list_state.sort = view.sort
        finally:
            self.list_state.applying = False
        self._reload()

    def save_view_as(self, name: str) -> None:
        """Save the view on screen under `name` (replacing a view of that name)."""
        self.saved_views.save(name, self.current_view())

    def apply_saved_view(self, name: str) -> bool:
        view = self.saved_views.get(name)
        if view is None:
            return False
        self.apply_view(view)
        return True

    def current_view_name(self) -> str | None:
        """The saved view the screen shows exactly (None once anything differs)."""
        return self.saved_views.name_of(self.current_view())

    def refresh(self, after_sync: bool = True) -> None:
        """Run the same query again and show its result in place (selection, current order
        and scroll position kept). After a sync the filters' values are read again too."""
        if self.list_state.stopped:
            return
        if after_sync:
            self._loader.load_facets()
        if self.list_state.wants_refresh():
            self._run(LoadMode.UPDATE, counts=True)

    def set_account_names(self, names: Mapping[str, str], *, connected: int) -> None:
        """How the Account column names each account (key -> login), and how many accounts
        are connected: when a second one arrives the Account column is shown (once: hidden
        by the seller, it stays hidden), and the default columns include it."""
        self.model.set_account_names(names)
        several = connected >= 2
        self.table.set_several_accounts(several)
        # Shown once, the first time there are two: never again by itself, so a column the
        # seller hid stays hidden when an account goes and another comes (or one is
        # reconnected), however few the accounts are meanwhile.
        choices = self._ui_state.choices(_ACCOUNTS_CHOICE) or {}
        if several and not choices.get("shown"):
            if not self.table.follows_width():
                self.table.show_column(OrderColumn.ACCOUNT, True)
            self._ui_state.set_choices(_ACCOUNTS_CHOICE, {"shown": True})

    def set_details_widget(self, widget: QWidget) -> None:
        """Put the order details panel to the right of the table: as wide as the seller left
        it (dragged, remembered in `UiState`), at first as wide as it asks (its `sizeHint`)."""
        if self._details is not None:
            self._details.setParent(None)
        self._details = widget
        self._splitter.addWidget(widget)
        self._splitter.setStretchFactor(1, 0)
        saved = self._ui_state.splitter_state(STATE_NAME)
        self._details_width_pending = not (saved and self._splitter.restoreState(saved))
        self._size_details()

    def _size_details(self) -> None:
        """The details panel's first width, once the splitter is on screen (its parts are in
        place by then): what the panel asks, while the table keeps `_TABLE_AT_LEAST` (the
        splitter may not have its final width yet: the table takes what it gains)."""
        if not self._details_width_pending or self._details is None \
                or not self._splitter.isVisible():
            return
        self._details_width_pending = False
        total = sum(self._splitter.sizes()) or max(self._splitter.width(), 800)
        details = min(self._details.sizeHint().width(),
                      max(total - _TABLE_AT_LEAST, total * 3 // 10))
        self._splitter.setSizes([total - details, details])

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._size_details()

    def focus_search(self) -> None:
        self.filter_bar.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search_edit.selectAll()

    def shutdown(self) -> None:
        """Stop the background queries (call before the database closes); the workspace
        runs no query afterwards."""
        self.list_state.stopped = True
        self._search_timer.stop()
        self._filters_timer.stop()
        self._loader.stop()
        self.model.stop()

    def save_state(self, state: UiState) -> None:
        header = self.table.horizontalHeader()
        state.set_header_state(STATE_NAME, header.saveState())
        # None saved while the columns follow the window's width (the seller changed none):
        # the next start fits them again rather than freezing this width's choice.
        state.set_visible_columns(STATE_NAME, [] if self.table.follows_width() else
                                  [c.value for c in self.table.visible_columns()])
        if self._details is not None:
            state.set_splitter_state(STATE_NAME, self._splitter.saveState())
        # the view before the new orders shown, if they are (they are a moment's)
        view = self._new_orders.previous if self._new_orders else self.current_view()
        SavedViews.set_last(state, replace(
            view, order_filter=replace(view.order_filter, search="")))
        state.sync()

    def restore_state(self, state: UiState) -> None:
        """The columns, widths and the last view of `state` (what is unreadable is left
        at its default); runs the query."""
        header = self.table.horizontalHeader()
        saved_header = state.header_state(STATE_NAME)
        self.list_state.applying = True  # its sort indicator is the view's business, below
        try:
            if not (saved_header and header.restoreState(saved_header)
                    and header.count() == len(self.model.columns)):
                self.table.reset_columns()
        finally:
            self.list_state.applying = False
        columns = state.visible_columns(STATE_NAME)
        if columns:
            self.table.set_visible_columns([OrderColumn(c) for c in columns
                                            if c in TABLE_VALUES])
        else:  # never chosen by the seller: fitted to the window, following its width
            self.table.reset_columns()
        splitter = state.splitter_state(STATE_NAME)
        if self._details is not None and splitter:
            self._splitter.restoreState(splitter)
        self.apply_view(replace(SavedViews.last(state), columns=None))

    # -- queries ---------------------------------------------------------------------------

    def _reload(self, *, counts: bool | None = None) -> None:
        """A new query for what is on screen (unless a view is being applied)."""
        if self.list_state.wants_reload():
            self._run(LoadMode.REPLACE, counts=counts)

    def _run(self, mode: LoadMode, *, counts: bool | None) -> None:
        if self.list_state.stopped:
            return
        order_filter = self.current_filter()
        counts = self.list_state.begin(mode, order_filter, counts=counts)
        self.list_state.started(self._loader.load(order_filter, self.list_state.sort,
                                                  counts=counts))
        self._update_filter_widgets()
        self._update_result_line()

    def _on_loader_first_rows_ready(self, generation: int, rows: Any) -> None:
        self.list_state.first_rows_ready(generation, rows)

    def _on_loader_seqs_started(self, generation: int, piece: Any) -> None:
        shown = self.list_state.first_piece(generation, piece)
        if shown is None:
            return
        seqs, rows = shown
        self.model.reset_seqs(seqs, rows=rows)
        self._pages.setCurrentIndex(0)
        self._sync_selection_signals()
        self._update_result_line()

    def _on_loader_seqs_extended(self, generation: int, piece: Any) -> None:
        if self.list_state.next_piece(generation, piece):
            self.model.append_seqs(piece)
            self._update_result_line()

    def _on_loader_seqs_finished(self, generation: int, total: int) -> None:
        finished = self.list_state.finish(generation, total)
        if finished is None:
            return
        if finished.update is not None:
            self.table.update_in_place(*finished.update)
            self._pages.setCurrentIndex(0)
            self._sync_selection_signals()
        self._update_result_line()
        if finished.select is not None:
            self.table.select_and_show(finished.select)
        if self._position_when_listed is not None and finished.update is None:
            position, self._position_when_listed = self._position_when_listed, None
            position.restore(self.table, self.model)
        if finished.refresh_again:
            self._run(LoadMode.UPDATE, counts=True)

    def _on_loader_counts_ready(self, generation: int, counts: Any) -> None:
        self.list_state.counts_ready(counts)
        self.filter_bar.show_counts(self.list_state.counts)
        self._update_result_line()

    def _on_loader_facets_ready(self, facets: Any) -> None:
        assert isinstance(facets, Facets)
        self.filter_bar.filter_panel.set_facets(facets)

    def _on_loader_failed(self, generation: int, message: str) -> None:
        log.warning("orders query failed: %s", message)
        if self.list_state.failed(generation, message):
            self._update_result_line()

    # -- filters ---------------------------------------------------------------------------

    def _on_filter_bar_quick_clicked(self, quick: QuickFilter) -> None:
        if self.list_state.set_quick(quick):
            self._reload(counts=False)

    def _on_filter_bar_actions_toggled(self, on: bool) -> None:
        if self.list_state.set_actions(on):
            self._reload()

    def _on_search_edit_text_changed(self, text: str) -> None:
        if not text.strip() and self.list_state.search:
            self._apply_search()  # cleared: at once
        else:
            self._search_timer.start()

    def _on_search_edit_return_pressed(self) -> None:
        self._apply_search()

    def _on_search_timer_timeout(self) -> None:
        self._apply_search()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.list_state.set_search(self.filter_bar.search_edit.text()):
            self._reload()

    def _on_date_filter_changed(self) -> None:
        self._reload()

    def _on_filter_panel_changed(self) -> None:
        self._update_filter_widgets()
        self._filters_timer.start()

    def _on_filters_timer_timeout(self) -> None:
        self._reload()

    def _on_model_sort_requested(self, column: Any, descending: bool) -> None:
        sort = OrderSort(column=OrderColumn(column), descending=descending)
        if self.list_state.set_sort(sort):
            self._reload(counts=False)

    def _extra_filters_active(self) -> bool:
        bar = self.filter_bar
        return bool(self.list_state.search or bar.date_filter.preset() is not DatePreset.ALL
                    or bar.filter_panel.active_count() or self.list_state.actions)

    # -- what the bar says -------------------------------------------------------------------

    def _update_filter_widgets(self) -> None:
        self.filter_bar.show_filter_state(clear_visible=self._extra_filters_active()
                                          or self.list_state.quick is not QuickFilter.ALL)

    def _update_result_line(self) -> None:
        self._update_filter_widgets()
        state = self.list_state
        if state.error is not None:
            self.filter_bar.show_error(state.error)
            return
        total = state.shown_total(self.current_filter())
        self.filter_bar.show_total(total, loading=state.loading,
                                   short_search=too_short(state.search))
        if total is None:
            return
        if total == 0 and not state.loading:
            self._show_empty()
        else:
            self._pages.setCurrentIndex(0)

    def _show_empty(self) -> None:
        counts = self.list_state.counts
        nothing_stored = (counts is not None and counts.get(QuickFilter.ALL) == 0
                          and not self._extra_filters_active())
        if nothing_stored:
            self.empty_label.setText(self.tr(
                "<p style='font-size: large'>No orders yet</p>"
                "<p>They appear here after the first sync.</p>"))
        else:
            self.empty_label.setText(self.tr(
                "<p style='font-size: large'>No orders match these filters</p>"
                "<p><a href='clear'>Clear filters</a></p>"))
        self._pages.setCurrentIndex(1)

    def _on_empty_label_link_activated(self, _link: str) -> None:
        self.clear_filters()

    # -- selection ---------------------------------------------------------------------------

    def _on_selection_current_changed(self, *_args: Any) -> None:
        self._sync_selection_signals()

    def _on_selection_changed(self, *_args: Any) -> None:
        self._sync_selection_signals()

    def _sync_selection_signals(self) -> None:
        """Emit `current_order_changed` / `selection_changed` when what they say changed
        (a layout change moves rows, not orders: nothing to say then)."""
        current = self.table.selectionModel().currentIndex()
        seq = self.model.seq_at(current.row()) if current.isValid() else None
        if seq != self._current_seq:
            self._current_seq = seq
            self.current_order_changed.emit(seq)
        count = self.table.selected_count()
        if count != self._selected_count:
            self._selected_count = count
            self.selection_changed.emit(count)

