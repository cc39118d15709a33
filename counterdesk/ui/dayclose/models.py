"""The day close's tables: the check list and the tills of the day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ... import money
from ..widgets.tablemodel import RowsModel


class CheckListModel(RowsModel):
    """What stands in the way of the close (blockers) and what to look at (notes)."""

    def headers(self):
        return [self.tr("Check"), self.tr("Details")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        ok, text = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (self.tr("OK") if ok else self.tr("Blocks the close")) \
                if index.column() == 0 else text
        if role == Qt.ForegroundRole and index.column() == 0 and not ok:
            return QColor("#c0392b")
        return None


class TillsModel(RowsModel):
    """Tills of the day: expected vs counted with the explanations."""

    def headers(self):
        return [self.tr("Clerk"), self.tr("Status"), self.tr("Expected"), self.tr("Counted"),
                self.tr("Difference"), self.tr("Explanation"), self.tr("Countersigned")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        t = self.rows[index.row()]
        if role == Qt.TextAlignmentRole and 2 <= index.column() <= 4:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role != Qt.DisplayRole:
            return None

        def y(v):
            return "" if v is None else money.fmt(v)
        return [f"{t['staff_no']} {t['name']}", t["status_name"], y(t["expected_fen"]),
                y(t["counted_fen"]), y(t["difference_fen"]), t["explanation"],
                t["countersigned_by"] or ""][index.column()]
