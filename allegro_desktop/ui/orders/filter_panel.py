"""The Orders tab's filter widgets: `DateFilter`, the purchase-date presets (and the two days
of a custom range), and `FilterPanel`, the Filters popup (delivery methods, payment types and
marketplaces the stored orders have, the seller's tags, invoice, private note and the amount
range).

They hold what the seller chose and say when it changed; the workspace turns that into an
`OrderFilter` (the presets become times when a query runs: `list_state.date_range`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.domain.labels import Tag
from allegro_desktop.services.local_time import LocalTime
from allegro_desktop.storage.order_query import Facets
from allegro_desktop.ui.formatting import marketplace_label, payment_type_label
from allegro_desktop.ui.orders.labels.chips import swatch_icon
from allegro_desktop.ui.orders.list_state import DatePreset, date_range

__all__ = ["DateFilter", "FilterPanel"]

_MAX_AMOUNT: Final = 1_000_000_000.0


class DateFilter(QWidget):
    """The purchase-date choice: a preset, and the two days (both included) of CUSTOM, shown
    only for it. "Today" is the local day of `local` (the workspace's clock).

    Signals:
        changed(): the seller chose another preset, or another day of the custom range.
    """

    changed = Signal()

    def __init__(self, local: LocalTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._local = local
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.combo = QComboBox(self)
        self.combo.setObjectName("datePreset")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for preset, text in ((DatePreset.ALL, self.tr("All time")),
                             (DatePreset.TODAY, self.tr("Today")),
                             (DatePreset.YESTERDAY, self.tr("Yesterday")),
                             (DatePreset.LAST_7_DAYS, self.tr("Last 7 days")),
                             (DatePreset.THIS_MONTH, self.tr("This month")),
                             (DatePreset.LAST_MONTH, self.tr("Last month")),
                             (DatePreset.CUSTOM, self.tr("Custom range"))):
            self.combo.addItem(text, preset.value)
        self.combo.setToolTip(self.tr("Purchase date, in your time zone"))
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        row.addWidget(self.combo)
        today = _qdate(local.today())
        self.date_from = self._date_edit("dateFrom", today.addDays(-30))
        self.date_to = self._date_edit("dateTo", today)
        self._dash = QLabel("–", self)
        row.addWidget(self.date_from)
        row.addWidget(self._dash)
        row.addWidget(self.date_to)
        self._show_custom_dates(False)

    def _date_edit(self, name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day, self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.dateChanged.connect(self._on_date_edit_changed)
        return edit

    def preset(self) -> DatePreset:
        return DatePreset(self.combo.currentData())

    def custom_days(self) -> tuple[date | None, date | None]:
        """The two days of a custom range (None, None for any other preset)."""
        if self.preset() is not DatePreset.CUSTOM:
            return None, None
        return _python_date(self.date_from.date()), _python_date(self.date_to.date())

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        """[from, to) of the choice, computed for this moment (aware UTC datetimes)."""
        return date_range(self.preset(), self._local, _python_date(self.date_from.date()),
                          _python_date(self.date_to.date()))

    def set_values(self, preset: DatePreset, date_from: date | None = None,
                   date_to: date | None = None) -> None:
        """Show this preset (and these days, where given; no `changed` signal)."""
        with QSignalBlocker(self.date_from), QSignalBlocker(self.date_to):
            if date_from is not None:
                self.date_from.setDate(_qdate(date_from))
            if date_to is not None:
                self.date_to.setDate(_qdate(date_to))
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(self.combo.findData(preset.value))
        self._show_custom_dates(preset is DatePreset.CUSTOM)

    def _on_combo_changed(self, _index: int) -> None:
        self._show_custom_dates(self.preset() is DatePreset.CUSTOM)
        self.changed.emit()

    def _on_date_edit_changed(self, _day: QDate) -> None:
        if self.preset() is DatePreset.CUSTOM:
            self.changed.emit()

    def _show_custom_dates(self, shown: bool) -> None:
        for widget in (self.date_from, self._dash, self.date_to):
            widget.setVisible(shown)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _python_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FilterPanel(QFrame):
    """The Filters popup: delivery methods, payment types and marketplaces (the values the
    stored orders have), invoice and the amount range.

    Signals:
        changed(): the seller changed a filter (amounts: on every keystroke).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._delivery: dict[str, QCheckBox] = {}
        self._payment: dict[str, QCheckBox] = {}
        self._marketplace: dict[str, QCheckBox] = {}
        self._tags: dict[int, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)

        self._delivery_box = QGroupBox(self.tr("Delivery method"), self)
        delivery_layout = QVBoxLayout(self._delivery_box)
        delivery_layout.setContentsMargins(4, 4, 4, 4)
        self._delivery_scroll = QScrollArea(self._delivery_box)
        self._delivery_scroll.setWidgetResizable(True)
        self._delivery_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._delivery_scroll.setMaximumHeight(200)
        self._delivery_list = QWidget(self._delivery_scroll)
        self._delivery_layout = QVBoxLayout(self._delivery_list)
        self._delivery_layout.setContentsMargins(0, 0, 0, 0)
        self._delivery_layout.setSpacing(2)
        self._delivery_scroll.setWidget(self._delivery_list)
        delivery_layout.addWidget(self._delivery_scroll)
        layout.addWidget(self._delivery_box)

        row = QHBoxLayout()
        self._payment_box = QGroupBox(self.tr("Payment"), self)
        self._payment_layout = QVBoxLayout(self._payment_box)
        self._payment_layout.setSpacing(2)
        row.addWidget(self._payment_box)
        self._marketplace_box = QGroupBox(self.tr("Marketplace"), self)
        self._marketplace_layout = QVBoxLayout(self._marketplace_box)
        self._marketplace_layout.setSpacing(2)
        row.addWidget(self._marketplace_box)
        layout.addLayout(row)

        self._tags_box = QGroupBox(self.tr("Tags (any of them)"), self)
        self._tags_layout = QVBoxLayout(self._tags_box)
        self._tags_layout.setSpacing(2)
        self._tags_box.setVisible(False)
        layout.addWidget(self._tags_box)

        form = QFormLayout()
        self.invoice = QComboBox(self)
        self.invoice.setObjectName("invoiceFilter")
        self.invoice.addItem(self.tr("Any"), None)
        self.invoice.addItem(self.tr("Invoice requested"), True)
        self.invoice.addItem(self.tr("No invoice"), False)
        self.invoice.currentIndexChanged.connect(self._on_any_changed)
        form.addRow(self.tr("Invoice:"), self.invoice)
        self.note = QComboBox(self)
        self.note.setObjectName("noteFilter")
        self.note.addItem(self.tr("Any"), None)
        self.note.addItem(self.tr("With a private note"), True)
        self.note.addItem(self.tr("Without a private note"), False)
        self.note.currentIndexChanged.connect(self._on_any_changed)
        form.addRow(self.tr("Private note:"), self.note)
        amounts = QHBoxLayout()
        self.min_total = self._amount_box("minTotalFilter")
        self.max_total = self._amount_box("maxTotalFilter")
        amounts.addWidget(self.min_total)
        amounts.addWidget(QLabel("–", self))
        amounts.addWidget(self.max_total)
        form.addRow(self.tr("Total:"), amounts)
        layout.addLayout(form)

        self.clear_button = QPushButton(self.tr("Clear these filters"), self)
        self.clear_button.setObjectName("clearExtraFilters")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignRight)
        self.set_facets(Facets((), (), (), (), ()))

    def _amount_box(self, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setObjectName(name)
        box.setDecimals(2)
        box.setRange(0.0, _MAX_AMOUNT)
        box.setSpecialValueText(self.tr("any"))
        box.setMinimumWidth(110)
        box.setAccelerated(True)
        box.valueChanged.connect(self._on_any_changed)
        return box

    # -- values -------------------------------------------------------------------------------

    def set_facets(self, facets: Facets) -> None:
        """Offer the values the stored orders have (values checked before stay, even if no
        order has them any more, so they can be unchecked)."""
        self._fill(self._delivery, self._delivery_layout, facets.delivery_methods, str)
        self._fill(self._payment, self._payment_layout, facets.payment_types,
                   payment_type_label)
        self._fill(self._marketplace, self._marketplace_layout, facets.marketplaces,
                   marketplace_label)
        self._delivery_box.setVisible(bool(self._delivery))
        self._payment_box.setVisible(bool(self._payment))
        self._marketplace_box.setVisible(len(self._marketplace) > 1)

    def _fill(self, boxes: dict[str, QCheckBox], layout: QVBoxLayout,
              values: Iterable[str], label: Callable[[str], str]) -> None:
        checked = {value for value, box in boxes.items() if box.isChecked()}
        wanted = sorted(set(values) | checked)
        if wanted == list(boxes):
            return
        for box in boxes.values():
            layout.removeWidget(box)
            box.deleteLater()
        boxes.clear()
        parent = layout.parentWidget()
        for value in wanted:
            box = QCheckBox(label(value) or value, parent)
            box.setObjectName(f"filter:{value}")
            box.setChecked(value in checked)
            box.toggled.connect(self._on_any_changed)
            layout.addWidget(box)
            boxes[value] = box

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Offer these tags (by name, with their colour); a tag checked before that is gone
        stays, checked, so that it can be unchecked."""
        checked = self.tag_ids()
        for box in self._tags.values():
            self._tags_layout.removeWidget(box)
            box.deleteLater()
        self._tags.clear()
        known = {tag.id for tag in tags}
        for tag in tags:
            self._add_tag_box(tag.id, tag.name, tag.id in checked).setIcon(
                swatch_icon(tag.colour))
        for tag_id in sorted(checked - known):
            self._add_tag_box(tag_id, self.tr("(deleted tag)"), True)
        self._tags_box.setVisible(bool(self._tags))

    def _add_tag_box(self, tag_id: int, name: str, checked: bool) -> QCheckBox:
        box = QCheckBox(name, self._tags_box)
        box.setObjectName(f"tagFilter:{tag_id}")
        box.setChecked(checked)
        box.toggled.connect(self._on_any_changed)
        self._tags_layout.addWidget(box)
        self._tags[tag_id] = box
        return box

    def tag_ids(self) -> frozenset[int]:
        return frozenset(tag_id for tag_id, box in self._tags.items() if box.isChecked())

    def note_value(self) -> bool | None:
        value = self.note.currentData()
        return value if isinstance(value, bool) else None

    @staticmethod
    def _checked(boxes: dict[str, QCheckBox]) -> frozenset[str]:
        return frozenset(value for value, box in boxes.items() if box.isChecked())

    def delivery_methods(self) -> frozenset[str]:
        return self._checked(self._delivery)

    def payment_types(self) -> frozenset[str]:
        return self._checked(self._payment)

    def marketplaces(self) -> frozenset[str]:
        return self._checked(self._marketplace)

    def invoice_value(self) -> bool | None:
        value = self.invoice.currentData()
        return value if isinstance(value, bool) else None

    def amounts(self) -> tuple[Decimal | None, Decimal | None]:
        def amount(box: QDoubleSpinBox) -> Decimal | None:
            value = box.value()
            return Decimal(f"{value:.2f}") if value > 0 else None

        return amount(self.min_total), amount(self.max_total)

    def active_count(self) -> int:
        """How many of the popup's filters are in use (the Filters button shows it)."""
        low, high = self.amounts()
        return sum((bool(self.delivery_methods()), bool(self.payment_types()),
                    bool(self.marketplaces()), self.invoice_value() is not None,
                    low is not None or high is not None, bool(self.tag_ids()),
                    self.note_value() is not None))

    def set_values(self, *, delivery_methods: frozenset[str], payment_types: frozenset[str],
                   marketplaces: frozenset[str], invoice: bool | None,
                   min_total: Decimal | None, max_total: Decimal | None,
                   tags: frozenset[int] = frozenset(), has_note: bool | None = None) -> None:
        """Show these values (no `changed` signal)."""
        with QSignalBlocker(self):
            self._check(self._delivery, self._delivery_layout, delivery_methods, str)
            self._check(self._payment, self._payment_layout, payment_types,
                        payment_type_label)
            self._check(self._marketplace, self._marketplace_layout, marketplaces,
                        marketplace_label)
            with QSignalBlocker(self.invoice):
                self.invoice.setCurrentIndex({None: 0, True: 1, False: 2}[invoice])
            with QSignalBlocker(self.note):
                self.note.setCurrentIndex({None: 0, True: 1, False: 2}[has_note])
            for tag_id in tags - self._tags.keys():
                self._add_tag_box(tag_id, self.tr("(deleted tag)"), True)
            for tag_id, box in self._tags.items():
                with QSignalBlocker(box):
                    box.setChecked(tag_id in tags)
            for spin_box, amount in ((self.min_total, min_total),
                                     (self.max_total, max_total)):
                with QSignalBlocker(spin_box):
                    spin_box.setValue(0.0 if amount is None else float(amount))
        self._delivery_box.setVisible(bool(self._delivery))
        self._payment_box.setVisible(bool(self._payment))
        self._marketplace_box.setVisible(len(self._marketplace) > 1 or bool(marketplaces))
        self._tags_box.setVisible(bool(self._tags))

    def _check(self, boxes: dict[str, QCheckBox], layout: QVBoxLayout, values: frozenset[str],
               label: Callable[[str], str]) -> None:
        """Check exactly `values` (offered even if no stored order has them)."""
        self._fill(boxes, layout, [*boxes, *values], label)
        for value, box in boxes.items():
            with QSignalBlocker(box):
                box.setChecked(value in values)

    def clear(self) -> None:
        self.set_values(delivery_methods=frozenset(), payment_types=frozenset(),
                        marketplaces=frozenset(), invoice=None, min_total=None,
                        max_total=None)

    def _on_any_changed(self) -> None:
        self.changed.emit()

    def _on_clear_clicked(self) -> None:
        self.clear()
        self.changed.emit()
