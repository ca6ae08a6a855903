"""`TrackingDialog`: "Add tracking number" for one order — the carrier (Allegro's list for the
order's account, `CarrierList`; "Other carrier" with a name field), the tracking number, and
"Mark the order as sent". It only asks: what it asked for is queued by the controller. What
Allegro would refuse for sure (an empty or too long number, OTHER without a name) cannot be
confirmed; the rest is Allegro's to judge, and a refusal comes back on the order."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.api.order_writes import (
    MAX_CARRIER_NAME_LENGTH,
    MAX_WAYBILL_LENGTH,
    OTHER_CARRIER,
)
from allegro_desktop.ui.formatting import unbroken
from allegro_desktop.ui.orders.processing.carriers import CarrierList

__all__ = ["TrackingDialog", "TrackingInput"]


@dataclass(frozen=True)
class TrackingInput:
    """What the seller entered."""

    carrier_id: str
    waybill: str
    carrier_name: str | None
    mark_sent: bool


class TrackingDialog(QDialog):
    """The dialog (see the module) for the order `order_label` of account `account_key`."""

    def __init__(self, *, carriers: CarrierList, account_key: str, order_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackingDialog")
        self.setWindowTitle(self.tr("Add tracking number"))
        self._carriers = carriers
        self._account_key = account_key

        layout = QVBoxLayout(self)
        # unbroken: a long line wraps before the "(id)", never inside it ("…-11f1-⏎adae-…")
        heading = QLabel(self.tr("Order: %1").replace("%1", unbroken(order_label)), self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.carrier_combo = QComboBox(self)
        self.carrier_combo.setObjectName("carrierCombo")
        self.carrier_combo.setMinimumContentsLength(24)
        form.addRow(self.tr("&Carrier:"), self.carrier_combo)
        self.carrier_name_edit = QLineEdit(self)
        self.carrier_name_edit.setObjectName("carrierNameEdit")
        self.carrier_name_edit.setMaxLength(MAX_CARRIER_NAME_LENGTH)
        self.carrier_name_edit.setPlaceholderText(self.tr("The carrier's name"))
        self._carrier_name_label = QLabel(self.tr("Carrier &name:"), self)
        self._carrier_name_label.setBuddy(self.carrier_name_edit)
        form.addRow(self._carrier_name_label, self.carrier_name_edit)
        self.waybill_edit = QLineEdit(self)
        self.waybill_edit.setObjectName("waybillEdit")
        self.waybill_edit.setMaxLength(MAX_WAYBILL_LENGTH)
        self.waybill_edit.setPlaceholderText(self.tr("As printed on the parcel's label"))
        form.addRow(self.tr("&Tracking number:"), self.waybill_edit)
        layout.addLayout(form)
        self.mark_sent_check = QCheckBox(self.tr("&Mark the order as sent"), self)
        self.mark_sent_check.setObjectName("markSentCheck")
        self.mark_sent_check.setChecked(True)
        layout.addWidget(self.mark_sent_check)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("carrierStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton(self.tr("Add"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("addTrackingButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.carrier_combo.currentIndexChanged.connect(self._update)
        self.carrier_name_edit.textChanged.connect(self._update)
        self.waybill_edit.textChanged.connect(self._update)
        carriers.changed.connect(self._on_carriers_changed)
        self._fill(carriers.last_chosen())
        carriers.ensure(account_key)
        self._update()
        self.waybill_edit.setFocus()

    def values(self) -> TrackingInput:
        carrier_id = str(self.carrier_combo.currentData() or "")
        name = self.carrier_name_edit.text().strip()
        return TrackingInput(carrier_id=carrier_id, waybill=self.waybill_edit.text().strip(),
                             carrier_name=name if carrier_id == OTHER_CARRIER and name
                             else None, mark_sent=self.mark_sent_check.isChecked())

    def choose_carrier(self, carrier_id: str) -> bool:
        index = self.carrier_combo.findData(carrier_id)
        if index >= 0:
            self.carrier_combo.setCurrentIndex(index)
        return index >= 0

    def accept(self) -> None:
        if not self.add_button.isEnabled():
            return
        self._carriers.remember_chosen(self.values().carrier_id)
        super().accept()

    def _fill(self, wanted: str | None) -> None:
        combo = self.carrier_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            for carrier in self._carriers.carriers(self._account_key):
                text = (self.tr("Other carrier") if carrier.id == OTHER_CARRIER
                        else carrier.name or carrier.id)
                combo.addItem(text, carrier.id)
            index = combo.findData(wanted) if wanted else -1
            combo.setCurrentIndex(index if index >= 0 else 0)
        finally:
            combo.blockSignals(False)

    def _on_carriers_changed(self, account_key: str) -> None:
        if account_key == self._account_key:
            self._fill(str(self.carrier_combo.currentData() or "")
                       or self._carriers.last_chosen())
            self._update()

    def _update(self, *_args: object) -> None:
        values = self.values()
        other = values.carrier_id == OTHER_CARRIER
        self._carrier_name_label.setVisible(other)
        self.carrier_name_edit.setVisible(other)
        self.add_button.setEnabled(bool(values.carrier_id and values.waybill
                                        and (values.carrier_name or not other)))
        if self._carriers.reading(self._account_key):
            status = self.tr("Reading Allegro's list of carriers…")
        elif (error := self._carriers.error(self._account_key)) is not None:
            status = self.tr("Allegro's list of carriers could not be read (%1); choose "
                             "\"Other carrier\" and give its name, or try again later."
                             ).replace("%1", error)
        else:
            status = ""
        self.status_label.setText(status)
        self.status_label.setVisible(bool(status))
