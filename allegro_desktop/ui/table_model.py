"""`TableModel`: Qt's table model whose cells answer a paint in one call into Python.

Qt's delegate asks a cell for seven roles as it paints it (the text, its alignment, font,
colours, check state and icon). Answered one `data()` call at a time, that is seven calls into
Python a cell, and each one waits for Python's lock while another thread of the app holds it —
the sync thread sending orders, a background read. `multiData` answers them all in one call.
The flags stay Qt's own (enabled, selectable): no call into Python at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
)

__all__ = ["TableModel"]


class TableModel(QAbstractTableModel):
    """A table model answering every role a paint asks of a cell with one call of `data`'s
    code (subclasses implement `data` as usual)."""

    def multiData(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt's name
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        # At run time the span is a sequence of QModelRoleData; its stub declares none of it.
        wanted: Sequence[QModelRoleData] = (
            [roleDataSpan] if isinstance(roleDataSpan, QModelRoleData)
            else roleDataSpan)  # type: ignore[assignment]
        for asked in wanted:
            asked.setData(self.data(index, asked.role()))
