"""The building blocks of the Statistics tab: a KPI card (a figure, its change against the
previous period, the previous value) and a panel (a titled frame holding a chart and/or a
table, with "Export" and "Save as PNG…")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QHelpEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from allegro_desktop.services.table_export import TableFormat
from allegro_desktop.ui.stats.models import StatsTableModel
from allegro_desktop.ui.theme import is_dark

__all__ = ["KpiCard", "KpiLine", "Panel", "change_colour"]

#: Better / worse than the previous period: (light theme, dark theme).
_GOOD: Final = (QColor("#2e7d32"), QColor("#66bb6a"))
_BAD: Final = (QColor("#c62828"), QColor("#ef5350"))
#: A table's name column (offer titles, method names) beside a chart or another table shows at
#: least this many average characters (or its longest name); with less room the table goes
#: under the chart (`Panel.table_width_needed`).
_NAME_AT_LEAST: Final = 30
#: A cell's text padding left and right (the style's; a text wider than the column less this
#: is cut).
_CELL_PADDING: Final = 8


def change_colour(sign: int, good_when_up: bool, palette: QPalette) -> QColor | None:
    """Green for a change for the better, red for the worse, None (the text's own colour) for
    no change."""
    if sign == 0:
        return None
    good = (sign > 0) == good_when_up
    pair = _GOOD if good else _BAD
    return pair[1] if is_dark(palette) else pair[0]


#: One line of a card: the figure ("245,00 zł"), its change ("+12%") and the change's sign.
KpiLine = tuple[str, str, int]


class KpiCard(QFrame):
    """One key figure: its title, the figure in big type (one line per currency where money is
    concerned), the change against the previous period coloured by whether it is good news
    (`good_when_up`), and the previous period's figure in small type.

    Signals: none (it only shows)."""

    def __init__(self, title: str, *, good_when_up: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._good_when_up = good_when_up
        self._lines: list[KpiLine] = []
        self._value_labels: list[QLabel] = []
        self._change_labels: list[QLabel] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self._title = QLabel(title, self)
        self._title.setWordWrap(True)
        self._title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self._title)
        self._figures = QGridLayout()
        self._figures.setHorizontalSpacing(8)
        self._figures.setVerticalSpacing(0)
        self._figures.setColumnStretch(0, 1)
        layout.addLayout(self._figures)
        self._previous = QLabel(self)
        self._previous.setWordWrap(True)
        self._previous.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = QFont(self._previous.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 7.0))
        self._previous.setFont(small)
        layout.addWidget(self._previous)
        layout.addStretch(1)

    @property
    def title(self) -> str:
        return self._title.text()

    def value_texts(self) -> list[str]:
        return [line[0] for line in self._lines]

    def change_texts(self) -> list[str]:
        return [line[1] for line in self._lines]

    def change_colours(self) -> list[QColor | None]:
        return [change_colour(sign, self._good_when_up, self.palette())
                for _v, _c, sign in self._lines]

    def previous_text(self) -> str:
        return self._previous.text()

    def show_figures(self, lines: Sequence[KpiLine], previous: str) -> None:
        """`lines`: (figure, change, sign of the change) — one per currency for money, one
        otherwise; `previous`: the previous period's figure(s) in words."""
        self._lines = list(lines)
        for label in self._value_labels + self._change_labels:
            self._figures.removeWidget(label)
            label.deleteLater()
        self._value_labels, self._change_labels = [], []
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * (1.6 if len(lines) <= 1 else 1.25))
        big.setBold(True)
        for row, (value, change, _sign) in enumerate(self._lines):
            value_label = QLabel(value, self)
            value_label.setFont(big)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            change_label = QLabel(change, self)
            change_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self._figures.addWidget(value_label, row, 0)
            self._figures.addWidget(change_label, row, 1)
            self._value_labels.append(value_label)
            self._change_labels.append(change_label)
        self._previous.setText(previous)
        self._recolour()

    def _recolour(self) -> None:
        for label, colour in zip(self._change_labels, self.change_colours(), strict=True):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText,
                             colour if colour is not None
                             else self.palette().color(QPalette.ColorRole.PlaceholderText))
            label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()


class Panel(QFrame):
    """A titled section: a chart (or heat map) and/or a table, side by side, with "Export"
    (the table, as CSV or Excel) and "Save as PNG…" (the chart) in its header; the chart's
    context menu offers "Save as PNG…" too. What to save where is `FigureFiles`' business
    (`files.py`): the panel only asks.

    Signals:
        png_requested(): the seller wants the chart saved as a PNG.
        export_requested(object): the seller wants the table exported (a `TableFormat`).
    """

    png_requested = Signal()
    export_requested = Signal(object)

    def __init__(self, title: str, *, chart: QWidget | None = None,
                 model: StatsTableModel | None = None, show_table: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = chart
        self.model = model
        self.table: QTableView | None = None
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        self.header = QHBoxLayout()
        self._title = QLabel(title, self)
        bold = QFont(self._title.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        self._title.setFont(bold)
        self._title.setWordWrap(True)
        self.header.addWidget(self._title, 1)
        self.export_button: QPushButton | None = None
        self.png_button: QPushButton | None = None
        if model is not None:
            # A push button with a menu: its arrow has room of its own (a tool button's
            # sits cramped in the corner).
            self.export_button = QPushButton(self)
            self.export_button.setText(self.tr("Export"))
            self.export_button.setToolTip(self.tr("Save this table as a CSV or Excel file"))
            menu = QMenu(self.export_button)
            csv_action = menu.addAction(self.tr("CSV file…"))
            csv_action.triggered.connect(self._on_csv_triggered)
            xlsx_action = menu.addAction(self.tr("Excel file (XLSX)…"))
            xlsx_action.triggered.connect(self._on_xlsx_triggered)
            self.export_button.setMenu(menu)
            self.header.addWidget(self.export_button)
        if chart is not None:
            self.png_button = QPushButton(self)
            self.png_button.setText(self.tr("Save as PNG…"))
            self.png_button.setToolTip(self.tr("Save this chart as an image"))
            self.png_button.clicked.connect(self.png_requested)
            self.header.addWidget(self.png_button)
            save = QAction(self.tr("Save as PNG…"), chart)
            save.triggered.connect(self.png_requested)
            chart.addAction(save)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        layout.addLayout(self.header)

        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._body.setSpacing(12)
        if chart is not None:
            self._body.addWidget(chart, 3)
        if model is not None and show_table:
            self.table = _fitted_table(model, self)
            self._body.addWidget(self.table, 2 if chart is not None else 1,
                                 Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._body)

    def set_stacked(self, stacked: bool) -> None:
        """The table under the chart (where beside it the table would not fit) or beside
        it."""
        self._body.setDirection(QBoxLayout.Direction.TopToBottom if stacked
                                else QBoxLayout.Direction.LeftToRight)

    def is_stacked(self) -> bool:
        return self._body.direction() == QBoxLayout.Direction.TopToBottom

    def chrome_width(self) -> int:
        """The panel's width around its body (frame and margins)."""
        margins = self._layout.contentsMargins()
        return margins.left() + margins.right() + 2 * self.frameWidth()

    def table_share(self, width: int) -> int:
        """The width the table gets beside the chart in a panel `width` pixels wide (all of
        the body without a chart)."""
        body = width - self.chrome_width()
        if self.chart is None:
            return body
        return (body - self._body.spacing()) * 2 // 5  # the stretch factors: chart 3, table 2

    def table_width_needed(self) -> int:
        """The width the table needs to show its figures whole and its names readable (at
        least `_NAME_AT_LEAST` characters or the longest); 0 without a table."""
        table = self.table
        if table is None or self.model is None:
            return 0
        header = table.horizontalHeader()
        name = _text_column(self.model)
        most_of_name = table.fontMetrics().averageCharWidth() * _NAME_AT_LEAST
        width = 2 * table.frameWidth()
        for column in range(self.model.columnCount()):
            content = max(header.sectionSizeHint(column), table.sizeHintForColumn(column))
            width += min(content, most_of_name) if column == name else content
        return width

    def add_header_widget(self, widget: QWidget) -> None:
        """A control of the chart (the currency chooser), before the buttons."""
        self.header.insertWidget(1, widget)

    def _on_csv_triggered(self) -> None:
        self.export_requested.emit(TableFormat.CSV)

    def _on_xlsx_triggered(self) -> None:
        self.export_requested.emit(TableFormat.XLSX)


def _text_column(model: StatsTableModel) -> int | None:
    """The table's first text column (offer titles, method names): the one that stretches and
    is cut short when the table is narrow."""
    if not model.rowCount():
        return None
    return next((column for column in range(model.columnCount())
                 if isinstance(model.cell(0, column), str)), None)


class _StatsTable(QTableView):
    """A table whose cut texts show whole as a tooltip."""

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            text = index.data() if index.isValid() else None
            if isinstance(text, str) and text and (
                    self.fontMetrics().horizontalAdvance(text) + _CELL_PADDING
                    > self.columnWidth(index.column())):
                QToolTip.showText(event.globalPos(), text, self.viewport(),
                                  self.visualRect(index))
                return True
        return super().viewportEvent(event)


def _fitted_table(model: StatsTableModel, parent: QWidget) -> QTableView:
    """A table as tall as its rows (the tab scrolls, not the table)."""
    table = _StatsTable(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def fit() -> None:
        # the first text column (offer titles, method names) takes what the figures leave,
        # cut short if need be (the tooltip has it whole); the table scrolls sideways only
        # when even that is not enough
        name = _text_column(model)
        for column in range(model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                        if column == name
                                        else QHeaderView.ResizeMode.ResizeToContents)
        rows = model.rowCount()
        height = header.sizeHint().height() + 2 * table.frameWidth() + 2
        height += table.verticalHeader().defaultSectionSize() * max(rows, 1)
        if header.length() > table.viewport().width():  # the sideways scroll bar shows
            height += table.horizontalScrollBar().sizeHint().height()
        if table.height() != height:
            table.setFixedHeight(height)

    model.modelReset.connect(fit)
    # the columns are laid out later (and again as the window's width changes)
    header.sectionResized.connect(lambda *_args: fit())
    fit()
    return table
