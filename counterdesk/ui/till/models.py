"""The till tab's tables: the count by denomination and the cash movements."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QTableView,
)

from ... import cash, i18n, money
from ..widgets.tablemodel import RowsModel


class DenominationModel(QAbstractTableModel):
    """The counting grid: denomination, count (editable, whole numbers ≥ 0), amount."""

    COLS = 3
    refused = Signal(str)        # a count that is not a whole number ≥ 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = cash.denominations()
        self.values = [0] * len(self.rows)
        self.error = ""

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.COLS

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        return [self.tr("Denomination"), self.tr("Count"), self.tr("Amount")][section]

    def flags(self, index):
        f = super().flags(index)
        return f | Qt.ItemIsEditable if index.column() == 1 else f

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.TextAlignmentRole and c > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role not in (Qt.DisplayRole, Qt.EditRole):
            return None
        if c == 0:
            row = self.rows[r]
            if i18n.current() == "en":   # the labels of the service are Chinese (reports)
                return f"{money.fmt(row['value_fen'])} {'coin' if row.get('coin') else 'note'}"
            return row["label"]
        if c == 1:
            return str(self.values[r])
        return money.fmt(self.values[r] * self.rows[r]["value_fen"])

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or index.column() != 1:
            return False
        text = str(value).strip()
        if not text.isdigit():        # negative, fractional or not a number: refused
            self.error = self.tr("Counts are whole numbers, 0 or more.")
            self.refused.emit(self.error)
            return False
        self.error = ""
        self.values[index.row()] = int(text)
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 2))
        return True

    def counts(self) -> dict[str, int]:
        return {r["code"]: v for r, v in zip(self.rows, self.values, strict=True) if v}

    def total_fen(self) -> int:
        return sum(r["value_fen"] * v for r, v in zip(self.rows, self.values, strict=True))

    def clear(self) -> None:
        self.beginResetModel()
        self.values = [0] * len(self.rows)
        self.endResetModel()

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show stored counts (the blind count after a restart), by denomination code."""
        self.beginResetModel()
        self.values = [int(counts.get(r["code"], 0)) for r in self.rows]
        self.endResetModel()


class MovementModel(RowsModel):

    def headers(self):
        return [self.tr("Time"), self.tr("In/out"), self.tr("Amount"), self.tr("Reason"),
                self.tr("Approved by")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        m = self.rows[index.row()]
        return [m["at"][11:16], self.tr("In") if m["direction"] == "in" else self.tr("Out"),
                money.fmt(m["amount_fen"]), m["reason"], m["approved_by"]][index.column()]


class CountGrid(QTableView):
    """The counting grid, keyboard-first: type a count, Enter goes to the next row."""

    def closeEditor(self, editor, hint):
        super().closeEditor(editor, hint)
        if hint in (QAbstractItemDelegate.EndEditHint.NoHint,
                    QAbstractItemDelegate.EndEditHint.SubmitModelCache):
            cur = self.currentIndex()
            if cur.isValid() and cur.row() + 1 < self.model().rowCount():
                self.setCurrentIndex(self.model().index(cur.row() + 1, 1))
