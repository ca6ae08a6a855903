"""The Orders tab's temporary "new orders" view: what a clicked new-order notification shows.

The new orders are listed on their own (the filter's `order_ids`), newest first, selected,
under a bar that says so — "Showing 3 new orders" — with "Show all orders", the way back to the
view the seller had: its filters, sort, account, selection and scroll position
(`NewOrdersView` keeps them; `ListPosition` is where the list was). The workspace decides
when the view begins and ends (`OrdersWorkspace.show_new_orders`, `show_all_orders`); this
module holds what it remembers and the bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from allegro_desktop.ui.formatting import count_grouped
from allegro_desktop.ui.orders.model import OrdersModel
from allegro_desktop.ui.orders.saved_views import SavedView
from allegro_desktop.ui.orders.table import OrdersTable
from allegro_desktop.ui.theme import colour, follow_palette

__all__ = ["ListPosition", "NewOrdersBar", "NewOrdersView"]


@dataclass(frozen=True)
class ListPosition:
    """Where the seller was in the list: the order at the top of the table (`top`), the
    selected orders and the current one (seqs)."""

    top: int | None = None
    selected: tuple[int, ...] = ()
    current: int | None = None

    @classmethod
    def of(cls, table: OrdersTable, model: OrdersModel, selected: tuple[int, ...],
           current: int | None) -> ListPosition:
        return cls(top=model.seq_at(table.rowAt(0)) if table.rowAt(0) >= 0 else None,
                   selected=selected, current=current)

    def restore(self, table: OrdersTable, model: OrdersModel) -> None:
        """Select the orders again (those listed) and scroll the old top order to the top."""
        if self.selected:
            table.select_seqs(self.selected, current=self.current)
        top = None if self.top is None else model.row_of(self.top)
        if top is not None:
            table.scrollTo(model.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)


@dataclass(frozen=True)
class NewOrdersView:
    """The new-orders view on screen: its orders (checkout-form ids), and the view, list
    position and account (key, None: all) the seller had before, which "Show all orders"
    brings back."""

    order_ids: frozenset[str]
    previous: SavedView
    position: ListPosition
    account: str | None = None


class NewOrdersBar(QFrame):
    """The bar above the table while the new orders are shown on their own.

    Signals:
        show_all_clicked(): the seller asked for all orders again.
    """

    show_all_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newOrdersBar")
        follow_palette(self, lambda dark: (
            f"#newOrdersBar {{ background: {colour('badge.blue.background', dark)}; "
            f"border-radius: 4px; }} "
            f"#newOrdersBar QLabel {{ color: {colour('badge.blue.text', dark)}; }}"))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setObjectName("newOrdersText")
        row.addWidget(self.label, 1)
        self.show_all_button = QPushButton(self.tr("Show all orders"), self)
        self.show_all_button.setObjectName("showAllOrdersButton")
        self.show_all_button.clicked.connect(self.show_all_clicked)
        row.addWidget(self.show_all_button)
        self.hide()

    def show_count(self, count: int) -> None:
        self.label.setText(self.tr("Showing 1 new order") if count == 1 else count_grouped(
            self.tr("Showing %Ln new orders, newest first", "", count), count, QLocale()))
        self.show()
