"""The hall display's tables: the recent calls and the windows (a page at a time)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ..widgets.tablemodel import RowsModel

RECENT = 8


class RecentCallsModel(RowsModel):
    """Recent calls, newest first: number, window, time."""

    def add(self, call: dict) -> None:
        self.beginResetModel()
        self.rows.insert(0, call)
        del self.rows[RECENT:]
        self.endResetModel()

    def headers(self):
        return [self.tr("Number"), self.tr("Window"), self.tr("Time")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.DisplayRole:
            if index.column() == 0:
                return c["number"] + (" " + self.tr("(recall)") if c["kind"] == "recalled"
                                      else "")
            if index.column() == 1:
                return self.tr("Window %1").replace("%1", str(c["window"]))
            return (c["at"] or "")[11:19]
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None


class WindowsModel(RowsModel):
    """The windows of the page on screen: number and current ticket, or the pause sign."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all: list = []
        self.page = 0
        self.per_page = 0  # 0: everything on one page

    @property
    def pages(self) -> int:
        if not self.per_page or not self.all:
            return 1
        return -(-len(self.all) // self.per_page)

    def set_windows(self, windows) -> None:
        self.all = list(windows)
        self._show()

    def set_per_page(self, n: int) -> None:
        if n != self.per_page:
            self.per_page = max(0, n)
            self._show()

    def next_page(self) -> None:
        self.page = (self.page + 1) % self.pages
        self._show()

    def _show(self) -> None:
        self.page = min(self.page, self.pages - 1)
        if not self.per_page:
            self.set_rows(self.all)
        else:
            start = self.page * self.per_page
            self.set_rows(self.all[start:start + self.per_page])

    def headers(self):
        return [self.tr("Window"), self.tr("Now serving")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        w = self.rows[index.row()]
        if role == Qt.DisplayRole:
            if index.column() == 0:
                return self.tr("Window %1").replace("%1", str(w["number"]))
            if w["pause"]:
                return self.tr("Paused — back at %1").replace(
                    "%1", w["pause"]["expected_until"][11:16])
            if w["current"]:
                return w["current"]["number"]
            # issue 18.20: nobody has worked this window today: closed, not idle
            return "—" if w.get("staff_no", "-") else self.tr("Not open")
        if role == Qt.ForegroundRole and index.column() == 1 and (
                w["pause"] or not (w["current"] or w.get("staff_no", "-"))):
            return QColor("#ff5252" if w["pause"] else "#9fb3c8")
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None
