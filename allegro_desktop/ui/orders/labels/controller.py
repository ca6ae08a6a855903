"""`OrderLabelling`: the seller's tags and private notes in the Orders tab.

- The rows' context menu gets a "Tags" submenu (also Ctrl+G, at the current row, and the
  details panel's "Tags…" button): each tag with its colour, ticked when every selected order
  has it ("name (2 of 5)" when some have it); choosing it puts it on every selected order, or
  takes it off them all when it was ticked; "New tag…" (a name and a colour of `PALETTE`,
  then put on the selection) and "Manage tags…" (`ManageTagsDialog`: rename, recolour,
  delete saying how many orders have it).
- The Tags column paints chips (`TagsDelegate`); it is shown once, the first time the profile
  has a tag (a seller who hides it again keeps it hidden). The Private note column (the note's
  first line) is offered in the column menu, hidden by default.
- The Filters popup lists the tags (orders with any of the chosen) and "Private note: with /
  without" (`FilterPanel.set_tags`).
- The details panel shows the order's tags and its private note, edited in place
  (`OrderLabelsBox`).

Every write goes through `services.order_labels.OrderLabels` on this controller's one-thread
`TaskQueue` (never on the GUI thread; in the order the seller asked), then the rows are read
again (`OrdersWorkspace.refresh`), the tag list too.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from allegro_desktop.config.ui_state import UiState
from allegro_desktop.domain.filters import OrderColumn
from allegro_desktop.domain.labels import Tag
from allegro_desktop.services.order_labels import OrderLabels, TagChange
from allegro_desktop.storage.database import Database
from allegro_desktop.storage.order_query import OrderQueries, OrderRow
from allegro_desktop.ui.orders.columns import show_column
from allegro_desktop.ui.orders.details.panel import OrderDetailsPanel
from allegro_desktop.ui.orders.labels.chips import TagsDelegate, swatch_icon
from allegro_desktop.ui.orders.labels.details_box import OrderLabelsBox
from allegro_desktop.ui.orders.labels.manage_dialog import ManageTagsDialog
from allegro_desktop.ui.orders.labels.tag_dialog import TagDialog
from allegro_desktop.ui.orders.workspace import OrdersWorkspace
from allegro_desktop.ui.tasks import Task, TaskQueue, failure_text

__all__ = ["MENU_STATE_LIMIT", "TAG_LIMIT", "OrderLabelling"]

log = logging.getLogger("allegro_desktop.ui")

#: Orders one tagging may take (more: narrow the selection).
TAG_LIMIT: Final = 100_000
#: Up to this many selected orders the menu ticks the tags they have (their rows are read
#: when the menu opens); above, nothing is ticked and a tag chosen is put on all of them.
MENU_STATE_LIMIT: Final = 1000
#: Order ids are read this many at a time before a tagging (Cancel checked between).
_CHUNK: Final = 1000
#: The `UiState` choices of this part of the window.
STATE_NAME: Final = "labels"


class OrderLabelling(QObject):
    """Tags and private notes in the Orders tab (see the module). Its parts are attributes
    for the window and tests: `tags_menu`, `tags_action` (Ctrl+G), `manage_action`, `box` (on
    the details panel), `tags` and `counts` (the profile's tags, by name, and how many orders
    have each), and the dialogs opened last: `tag_dialog`, `manage_dialog`, `message`. Call
    `shutdown()` before the database closes.

    Signals:
        tags_loaded(): `tags` and `counts` were read again.
        changed(): a write finished (the rows are being read again).
    """

    tags_loaded = Signal()
    changed = Signal()

    def __init__(self, *, workspace: OrdersWorkspace, details: OrderDetailsPanel,
                 database: Database, ui_state: UiState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._panel = details
        self._state = ui_state
        self._service = OrderLabels(database=database)
        self._queries = OrderQueries(database=database)
        # One thread: the seller's changes are written in the order they were made.
        self._tasks = TaskQueue("labels", parent=self)
        self.tags: list[Tag] = []
        self.counts: dict[int, int] = {}
        self.tag_dialog: TagDialog | None = None
        self.manage_dialog: ManageTagsDialog | None = None
        self.message: QMessageBox | None = None

        self.tags_menu = QMenu(self.tr("Ta&gs"), workspace)
        self.tags_menu.setObjectName("tagsMenu")
        self.tags_menu.aboutToShow.connect(self.fill_tags_menu)
        self.tags_action = QAction(self.tr("Ta&gs…"), workspace)
        self.tags_action.setObjectName("tagsAction")
        self.tags_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_G))
        self.tags_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tags_action.triggered.connect(self._on_tags_action_triggered)
        workspace.addAction(self.tags_action)
        self.new_tag_action = QAction(self.tr("&New tag…"), workspace)
        self.new_tag_action.setObjectName("newTagAction")
        self.new_tag_action.triggered.connect(self.new_tag)
        self.manage_action = QAction(self.tr("&Manage tags…"), workspace)
        self.manage_action.setObjectName("manageTagsAction")
        self.manage_action.triggered.connect(self.open_manage)

        self.box = OrderLabelsBox(details)
        self.box.note_edited.connect(self.save_note)
        self.box.tags_requested.connect(self._on_box_tags_requested)
        details.add_section_widget(self.box)

        table = workspace.table
        self.delegate = TagsDelegate(table)
        table.setItemDelegateForColumn(workspace.model.column_of(OrderColumn.TAGS),
                                       self.delegate)
        workspace.order_actions.row_menu_extensions.append(self.extend_row_menu)
        workspace.current_order_changed.connect(self._on_selection_changed)
        workspace.selection_changed.connect(self._on_selection_changed)
        self._on_selection_changed()
        self.reload_tags()

    # -- the Tags menu ---------------------------------------------------------------------

    def extend_row_menu(self, menu: QMenu) -> None:
        """The rows' context menu: the Tags submenu."""
        self.tags_menu.setEnabled(True)
        menu.addMenu(self.tags_menu)

    def popup_tags_menu(self, at: QPoint | None = None) -> None:
        """The Tags menu at `at` (global), else at the current row (Ctrl+G)."""
        if at is None:
            table = self._workspace.table
            current = table.currentIndex()
            rect = table.visualRect(current) if current.isValid() else table.viewport().rect()
            at = table.viewport().mapToGlobal(rect.bottomLeft() if current.isValid()
                                              else rect.center())
        self.tags_menu.popup(at)

    def fill_tags_menu(self) -> None:
        """The tags (ticked as the selection has them), "New tag…" and "Manage tags…"."""
        menu = self.tags_menu
        menu.clear()
        count = self._workspace.table.selected_count()
        carried = self._carried(count)
        for tag in self.tags:
            action = menu.addAction(swatch_icon(tag.colour), tag.name)
            action.setObjectName(f"tag:{tag.id}")
            action.setCheckable(True)
            have = carried.get(tag.id, 0)
            action.setChecked(count > 0 and have == count)
            if 0 < have < count:
                action.setText(self.tr("%1 (%2 of %3)").replace("%1", tag.name)
                               .replace("%2", str(have)).replace("%3", str(count)))
            action.setEnabled(count > 0)
            action.triggered.connect(
                lambda checked, tag=tag: self.set_tag(tag, on=checked))
        if not self.tags:
            empty = menu.addAction(self.tr("No tags yet"))
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.new_tag_action)
        menu.addAction(self.manage_action)

    def _carried(self, count: int) -> Counter[int]:
        """How many of the selected orders have each tag (none counted above
        MENU_STATE_LIMIT)."""
        if not 0 < count <= MENU_STATE_LIMIT:
            return Counter()
        rows = [row for start, stop in self._workspace.table.selected_ranges()
                for row in range(start, stop)]
        orders = self._workspace.model.orders_at(rows)
        return Counter(tag.id for order in orders if order is not None for tag in order.tags)

    # -- writes ----------------------------------------------------------------------------

    def set_tag(self, tag: Tag, *, on: bool) -> None:
        """Put `tag` on the selected orders (`on`), or take it off them."""
        seqs = self._selected()
        if seqs is None:
            return
        service, ids_of = self._service, self._ids_of

        def work(task: Task[Any]) -> TagChange:
            ids = ids_of(seqs, task)
            return service.tag(ids, tag) if on else service.untag(ids, tag)

        self._tasks.submit(work, done=lambda _change: self._after_change(),
                           failed=self._on_failed)

    def new_tag(self) -> None:
        """"New tag…": a name and a colour; the tag is made and put on the selected orders."""
        dialog = TagDialog(title=self.tr("New tag"), taken=[t.name for t in self.tags],
                           parent=self._parent_widget())
        dialog.accepted.connect(lambda: self._create(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        self.tag_dialog = dialog
        dialog.open()

    def _create(self, name: str, colour: str) -> None:
        seqs = self._selected(quiet=True) or []
        service, ids_of = self._service, self._ids_of

        def work(task: Task[Any]) -> Tag:
            tag = service.create_tag(name, colour)
            if seqs:
                service.tag(ids_of(seqs, task), tag)
            return tag

        self._tasks.submit(work, done=lambda _tag: self._after_change(),
                           failed=self._on_failed)

    def rename_tag(self, tag_id: int, name: str) -> None:
        self._write(lambda: self._service.rename_tag(tag_id, name))

    def recolour_tag(self, tag_id: int, colour: str) -> None:
        self._write(lambda: self._service.recolour_tag(tag_id, colour))

    def delete_tag(self, tag_id: int) -> None:
        self._write(lambda: self._service.delete_tag(tag_id))

    def save_note(self, order_id: str, text: str) -> None:
        """Keep `text` as the order's private note (the details panel's editor)."""
        service, box = self._service, self.box

        def done(_changed: bool) -> None:
            box.show_saved(order_id, text)
            self._after_change(tags=False)

        def failed(error: Exception) -> None:
            log.warning("a private note could not be saved: %s", error)
            box.show_failed(order_id, failure_text(error))

        self._tasks.submit(lambda _task: service.set_note(order_id, text), done=done,
                           failed=failed)

    def _write(self, change: Any) -> None:
        self._tasks.submit(lambda _task: change(), done=lambda _result: self._after_change(),
                           failed=self._on_failed)

    def _selected(self, *, quiet: bool = False) -> list[int] | None:
        """The selected orders' seqs (None, said why unless `quiet`: none, or too many)."""
        seqs = self._workspace.selected_seqs()
        if not seqs:
            return None
        if len(seqs) > TAG_LIMIT:
            if not quiet:
                self._tell(self.tr("Tags"), self.tr(
                    "At most %1 orders at once: select fewer.").replace("%1", str(TAG_LIMIT)))
            return None
        return seqs

    def _ids_of(self, seqs: Sequence[int], task: Task[Any]) -> list[str]:
        """The checkout-form ids of these orders (read a chunk at a time, off the GUI
        thread)."""
        ids: list[str] = []
        for start in range(0, len(seqs), _CHUNK):
            task.raise_if_cancelled()
            chunk = seqs[start:start + _CHUNK]
            rows = self._queries.rows(chunk)
            ids.extend(rows[seq].id for seq in chunk if seq in rows)
        return ids

    def _after_change(self, *, tags: bool = True) -> None:
        """Something was written: the rows (and the tag list) are read again (the cached rows
        are stale at once: a menu opened now reads what was written)."""
        self._workspace.model.forget_rows()
        self._workspace.refresh(after_sync=False)
        if tags:
            self.reload_tags()
            self._reload_current()
        self.changed.emit()

    def _on_failed(self, error: Exception) -> None:
        log.warning("tags could not be changed: %s", error)
        self._tell(self.tr("Tags"), failure_text(error))
        self.reload_tags()

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self._parent_widget())
        box.setObjectName("labelsMessage")
        box.finished.connect(box.deleteLater)
        self.message = box
        box.open()

    # -- reads -----------------------------------------------------------------------------

    def reload_tags(self) -> None:
        """Read the tags and their counts again (the menu, the filter, the dialog)."""
        service = self._service
        self._tasks.submit(lambda _task: (service.tags(), service.tag_counts()),
                           lane="tags", done=self._on_tags_read,
                           failed=lambda error: log.warning("tags not read: %s", error))

    def _on_tags_read(self, read: tuple[list[Tag], dict[int, int]]) -> None:
        self.tags, self.counts = read
        self._workspace.filter_bar.filter_panel.set_tags(self.tags)
        if self.manage_dialog is not None:
            self.manage_dialog.set_tags(self.tags, self.counts)
        self._workspace.table.set_tags(self.tags)
        if self.tags:
            self._show_tags_column_once()
        self.tags_loaded.emit()

    def _show_tags_column_once(self) -> None:
        """The Tags column shown the first time the profile has a tag (never again after:
        the seller may have hidden it); the default columns fitted to the table's width
        include it already (`OrdersTable.set_tags`)."""
        choices = self._state.choices(STATE_NAME) or {}
        if choices.get("tags_column_shown"):
            return
        table, model = self._workspace.table, self._workspace.model
        if not table.follows_width():  # the seller's own layout
            header, tags = table.horizontalHeader(), model.column_of(OrderColumn.TAGS)
            show_column(header, model.columns, tags, True)
            # Beside the buyer, where it is seen without scrolling (not at the far right).
            buyer = header.visualIndex(model.column_of(OrderColumn.BUYER_NAME))
            header.moveSection(header.visualIndex(tags), buyer + 1 if buyer >= 0 else 0)
        self._state.set_choices(STATE_NAME, {**choices, "tags_column_shown": True})

    def _reload_current(self) -> None:
        """The current order's tags and note again, for the details panel."""
        seq = self._workspace.current_seq()
        order_id = self.box.order_id
        if seq is None or order_id is None:
            return
        queries, box = self._queries, self.box

        def done(rows: dict[int, OrderRow]) -> None:
            row = rows.get(seq)
            if row is not None and row.id == box.order_id:
                box.show_order(row)

        self._tasks.submit(lambda _task: queries.rows([seq]), lane="current", done=done,
                           failed=lambda error: log.warning("order not read: %s", error))

    # -- the dialogs and the details panel -------------------------------------------------

    def open_manage(self) -> None:
        """"Manage tags…"."""
        if self.manage_dialog is not None:
            self.manage_dialog.raise_()
            return
        dialog = ManageTagsDialog(self._parent_widget())
        dialog.rename_requested.connect(self.rename_tag)
        dialog.recolour_requested.connect(self.recolour_tag)
        dialog.delete_requested.connect(self.delete_tag)
        dialog.set_tags(self.tags, self.counts)
        dialog.finished.connect(self._on_manage_finished)
        self.manage_dialog = dialog
        dialog.open()
        self.reload_tags()

    def _on_manage_finished(self, _result: int) -> None:
        if self.manage_dialog is not None:
            self.manage_dialog.deleteLater()
        self.manage_dialog = None

    def _on_tags_action_triggered(self) -> None:
        self.popup_tags_menu()

    def _on_box_tags_requested(self) -> None:
        button = self.box.tags_button
        self.popup_tags_menu(button.mapToGlobal(button.rect().bottomLeft()))

    def _on_selection_changed(self, *_args: object) -> None:
        count = self._workspace.table.selected_count()
        self.tags_action.setEnabled(count > 0)
        details = self._panel.details
        self.box.show_order(details.row if details is not None
                            and self._panel.state == "order" else None)

    def _parent_widget(self) -> QWidget:
        return self._workspace.window()

    def shutdown(self) -> None:
        """Save a note being typed, then stop the background work (before the database
        closes)."""
        self.box.save_now()
        self._tasks.wait()
        self._tasks.shutdown()
