"""The queue statistics dialog's widgets (no data access, no decisions): the table
model, the chart of tickets per hour and the dialog's layout."""

from __future__ import annotations

from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import clock
from ..widgets.tablemodel import RowsModel


def _mmss(v) -> str:
    return "-" if v is None else f"{v // 60}:{v % 60:02d}"


class StatsModel(RowsModel):
    COLS = ("group", "name", "tickets", "finished", "no_shows", "avg_wait", "p90_wait",
            "avg_service", "p90_service")

    def headers(self):
        return [self.tr("Group"), self.tr("Name"), self.tr("Tickets"), self.tr("Finished"),
                self.tr("No-shows"), self.tr("Avg wait"), self.tr("P90 wait"),
                self.tr("Avg service"), self.tr("P90 service")]

    def _group(self, g: str) -> str:
        return {"total": self.tr("Total"), "service": self.tr("Service"),
                "window": self.tr("Window"), "clerk": self.tr("Clerk")}.get(g, g)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = self.COLS[index.column()]
        if role == Qt.DisplayRole:
            if col == "group":
                return self._group(r["group"])
            if col == "name":
                return f"{r['key']} {r['name']}".strip()
            if col in ("avg_wait", "p90_wait", "avg_service", "p90_service"):
                return _mmss(r[col])
            return r[col]
        if role == Qt.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class HourChart(QWidget):
    """Bars of tickets issued per hour; the busiest hours stand out."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hours: dict[str, int] = {}
        self.busiest: list[str] = []
        self.setMinimumHeight(160)

    def set_hours(self, hours: dict[str, int], busiest: list[str]) -> None:
        self.hours = hours
        self.busiest = [b[:2] for b in busiest]
        self.update()

    def paintEvent(self, event):  # noqa: N802 - Qt name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if not self.hours:
            p.drawText(self.rect(), Qt.AlignCenter, self.tr("No tickets in this period"))
            return
        hours = list(range(7, 20))
        extra = sorted(int(h) for h in self.hours if int(h) not in hours)
        hours = sorted(set(hours + extra))
        top = max(self.hours.values())
        w = self.width() / len(hours)
        h = self.height() - 22
        for i, hour in enumerate(hours):
            n = self.hours.get(f"{hour:02d}", 0)
            bar = (h - 14) * n / top if top else 0
            color = QColor("#c62828") if f"{hour:02d}" in self.busiest else QColor("#1565c0")
            p.fillRect(QRectF(i * w + 3, h - bar, w - 6, bar), color)
            p.setPen(QColor("black"))
            p.drawText(QRectF(i * w, h, w, 20), Qt.AlignCenter, f"{hour:02d}")
            if n:
                p.drawText(QRectF(i * w, h - bar - 14, w, 14), Qt.AlignCenter, str(n))
        p.end()


class QueueStatsView(QDialog):
    """Widgets only: the period, the grouping, the table, the busiest hours, the chart."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Queue statistics"))
        self.resize(900, 620)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        today = clock.today()
        self.date_from = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.group = QComboBox()
        for key, label in (("", self.tr("All")), ("service", self.tr("By service")),
                           ("window", self.tr("By window")), ("clerk", self.tr("By clerk"))):
            self.group.addItem(label, key)
        self.btn_load = QPushButton(self.tr("Show"))
        self.btn_csv = QPushButton(self.tr("Export CSV…"))
        self.busy = QLabel(self.tr("Working…"))   # shown while the figures are read
        self.busy.setObjectName("stats_busy")
        self.busy.hide()
        row.addWidget(QLabel(self.tr("From")))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self.date_to)
        row.addWidget(self.group)
        row.addWidget(self.btn_load)
        row.addWidget(self.busy)
        row.addStretch(1)
        row.addWidget(self.btn_csv)
        lay.addLayout(row)
        self.model = StatsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        lay.addWidget(self.table, 3)
        self.busiest = QLabel()
        lay.addWidget(self.busiest)
        self.chart = HourChart()
        lay.addWidget(self.chart, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
