"""The queue tab's tables: the hall's waiting list and this window's pauses."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ... import queue
from ..widgets.tablemodel import RowsModel


def _mmss(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class WaitingModel(RowsModel):
    """Waiting customers per service (letter, name, waiting, of them priority)."""

    def headers(self) -> list[str]:
        return [self.tr("Service"), self.tr("Waiting"), self.tr("Priority")]

    def set_services(self, services: list[dict]) -> None:
        if list(services) != self.rows:   # unchanged: no reset, no relayout
            self.set_rows(services)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return [f"{r['letter']} {queue.service_label(r)}", r["waiting"], r["waiting_priority"]][
                index.column()]
        if role == Qt.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class PauseModel(RowsModel):
    """Paused windows of the hall: window, clerk, reason, back at, covering colleague."""

    def headers(self) -> list[str]:
        return [self.tr("Window"), self.tr("Where"), self.tr("Back at"), self.tr("Covered by")]

    def set_pauses(self, pauses: list[dict]) -> None:
        rows = sorted(pauses, key=lambda p: p["window"])
        if rows != self.rows:
            self.set_rows(rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        p = self.rows[index.row()]
        return [f"{p['window']} {p['staff_name'] or p['staff_no']}", p["reason"],
                p["expected_until"][11:16], p["cover_staff_no"]][index.column()]
