"""The Orders tab's actions, context menus and clipboard: Find and Export (Ctrl+F, Ctrl+E),
Print packing slips and Print pick list (Ctrl+P, Ctrl+Shift+P),
Copy (the selected orders as tab-separated text, the visible columns as shown), Copy order id,
Open in Allegro, the rows' and the column header's context menus, and the Views menu.

`OrderActions` works on the workspace it is given (its table, model, selection and saved
views); what it asks for that is not its own business goes out through the workspace's signals
(`export_requested`, `print_requested`, `open_in_allegro_requested`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from allegro_desktop.domain.filters import OrderColumn
from allegro_desktop.ui.formatting import allegro_order_url

if TYPE_CHECKING:
    from allegro_desktop.ui.orders.workspace import OrdersWorkspace

__all__ = ["COPY_LIMIT", "OrderActions"]

#: Rows copied at most with Ctrl+C (more is the export's job: fetching them would freeze the
#: window).
COPY_LIMIT: Final = 100_000


class OrderActions(QObject):
    """The workspace's actions and menus (see the module's docstring); built once the table
    exists. The actions are attributes, for the window and for tests."""

    def __init__(self, workspace: OrdersWorkspace, *, sandbox: bool) -> None:
        super().__init__(workspace)
        self._workspace = workspace
        self._sandbox = sandbox
        #: What other parts add at the end of the rows' context menu (e.g. order processing).
        self.row_menu_extensions: list[Callable[[QMenu], None]] = []
        table = workspace.table

        self.find_action = QAction(self.tr("Find"), workspace)
        self.find_action.setObjectName("findAction")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(workspace.focus_search)
        workspace.addAction(self.find_action)

        self.export_action = QAction(self.tr("&Export…"), workspace)
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_E))
        self.export_action.setToolTip(self.tr("Export orders to a spreadsheet (Ctrl+E)"))
        self.export_action.triggered.connect(workspace.export_requested)
        workspace.addAction(self.export_action)

        self.print_slips_action, self.print_pick_list_action = (
            self._print_action(self.tr("Print &packing slips…"), "packing-slips",
                               QKeySequence.StandardKey.Print),
            self._print_action(self.tr("Print pic&k list…"), "pick-list",
                               QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_P)))

        self.copy_action = QAction(self.tr("&Copy"), table)
        self.copy_action.setObjectName("copyAction")
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        table.addAction(self.copy_action)

        self.copy_id_action = QAction(self.tr("Copy order &id"), table)
        self.copy_id_action.triggered.connect(self.copy_order_id)
        self.open_action = QAction(self.tr("&Open in Allegro"), table)
        self.open_action.triggered.connect(self.open_current_in_allegro)
        self.export_selected_action = QAction(self.tr("&Export selected…"), table)
        self.export_selected_action.triggered.connect(workspace.export_requested)

        table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        table.horizontalHeader().customContextMenuRequested.connect(
            self._on_header_context_menu_requested)
        workspace.filter_bar.views_menu.aboutToShow.connect(self._on_views_menu_about_to_show)

    # -- clipboard and the current order --------------------------------------------------

    def selection_as_tsv(self) -> str:
        """The selected orders as tab-separated text: a header line, then one line per order
        (table order), the visible columns as shown — the order id whole (the table shows its
        start)."""
        workspace = self._workspace
        model = workspace.model
        rows = [row for start, stop in workspace.table.selected_ranges()
                for row in range(start, min(stop, start + COPY_LIMIT))][:COPY_LIMIT]
        columns = workspace.table.visible_columns()
        positions = [model.column_of(c) for c in columns]
        lines = ["\t".join(_cell(model.header_text(c)) for c in columns)]
        for order in model.orders_at(rows):
            if order is None:
                continue
            texts = model.texts(order)
            lines.append("\t".join(_cell(order.id if c is OrderColumn.ORDER_ID else texts[p])
                                   for c, p in zip(columns, positions, strict=True)))
        return "\n".join(lines) + "\n"

    def copy_selection(self) -> None:
        if self._workspace.table.selected_count() == 0:
            return
        QGuiApplication.clipboard().setText(self.selection_as_tsv())

    def copy_order_id(self) -> None:
        order = self.current_order_id()
        if order is not None:
            QGuiApplication.clipboard().setText(order)

    def open_current_in_allegro(self) -> None:
        """Ask for the current order's page on allegro.pl (the app opens the browser)."""
        order_id = self.current_order_id()
        if order_id is not None:
            self._workspace.open_in_allegro_requested.emit(order_id)

    def current_order_id(self) -> str | None:
        """The checkout-form id of the current order (None: none, or not read yet)."""
        current = self._workspace.table.selectionModel().currentIndex()
        if not current.isValid():
            return None
        order = self._workspace.model.order_at(current.row())
        return None if order is None else order.id

    # -- menus ----------------------------------------------------------------------------

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        menu = self.build_row_menu()
        menu.exec(self._workspace.table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def build_row_menu(self) -> QMenu:
        """The context menu of the rows (public for tests: `exec` would block)."""
        menu = QMenu(self._workspace.table)
        has_selection = self._workspace.table.selected_count() > 0
        order_id = self.current_order_id()
        self.copy_action.setEnabled(has_selection)
        self.copy_id_action.setEnabled(order_id is not None)
        self.open_action.setEnabled(order_id is not None)
        self.open_action.setToolTip(
            allegro_order_url(order_id, self._sandbox) if order_id else "")
        self.export_selected_action.setEnabled(has_selection)
        for action in (self.copy_action, self.copy_id_action, self.open_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_selected_action)
        for extend in self.row_menu_extensions:
            extend(menu)
        menu.addActions([self.print_slips_action, self.print_pick_list_action])
        return menu

    def _print_action(self, text: str, kind: str, keys: QKeySequence | QKeySequence.StandardKey,
                      ) -> QAction:
        """An action asking for the print dialog of `kind` (the selection, else the view)."""
        action = QAction(text, self._workspace)
        action.setObjectName(f"print-{kind}")
        action.setShortcut(keys)
        action.triggered.connect(lambda: self._workspace.print_requested.emit(kind))
        self._workspace.addAction(action)
        return action

    def _on_header_context_menu_requested(self, position: QPoint) -> None:
        menu = self.build_column_menu()
        menu.exec(self._workspace.table.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    def build_column_menu(self) -> QMenu:
        """The column chooser: a checkable entry per column, and "Reset columns"."""
        workspace = self._workspace
        menu = QMenu(workspace.table)
        header = workspace.table.horizontalHeader()
        columns = workspace.model.columns
        visible = workspace.table.visible_columns()
        for logical, column in enumerate(columns):
            action = menu.addAction(workspace.model.header_text(column))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setEnabled(not (len(visible) == 1 and column in visible))
            action.setData(column.value)
            action.toggled.connect(
                lambda shown, column=column: workspace.table.show_column(column, shown))
        menu.addSeparator()
        reset = menu.addAction(self.tr("Reset columns"))
        reset.setObjectName("resetColumns")
        reset.triggered.connect(workspace.table.reset_columns)
        return menu

    def _on_views_menu_about_to_show(self) -> None:
        self.fill_views_menu(self._workspace.filter_bar.views_menu)

    def fill_views_menu(self, menu: QMenu) -> None:
        """The saved views (the one in use checked), "Save current view as…" and "Delete
        view"."""
        workspace = self._workspace
        menu.clear()
        names = workspace.saved_views.names()
        current = workspace.current_view_name()
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(
                lambda _=False, name=name: workspace.apply_saved_view(name))
        if not names:
            empty = menu.addAction(self.tr("No saved views yet"))
            empty.setEnabled(False)
        menu.addSeparator()
        save = menu.addAction(self.tr("Save current view as…"))
        save.setObjectName("saveViewAction")
        save.triggered.connect(self._on_save_view_triggered)
        if workspace.is_showing_new_orders():
            # A view is filters to use again; the new orders are a moment's list (their ids
            # are not a filter a view keeps): the way back first.
            save.setEnabled(False)
            why = menu.addAction(self.tr("(Showing the new orders: “Show all orders” first)"))
            why.setObjectName("saveViewWhy")
            why.setEnabled(False)
        delete = menu.addMenu(self.tr("Delete view"))
        delete.setEnabled(bool(names))
        for name in names:
            action = delete.addAction(name)
            action.triggered.connect(
                lambda _=False, name=name: workspace.saved_views.delete(name))

    def _on_save_view_triggered(self) -> None:
        workspace = self._workspace
        name, accepted = QInputDialog.getText(
            workspace, self.tr("Save view"),
            self.tr("Name of this view (filters, sort and columns):"),
            QLineEdit.EchoMode.Normal, workspace.current_view_name() or "")
        if accepted and name.strip():
            workspace.save_view_as(name)


def _cell(text: str) -> str:
    """A value fit for one TSV cell."""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
