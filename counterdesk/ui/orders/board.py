"""The manager's board: every open order of the hall, overdue first and in colour, with
the inspection due list and the report export. F5 refreshes; it also refreshes itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import orders
from ...errors import CounterDeskError
from .models import OrderTableModel, t
from .screen import KINDS


class OrderBoard(QWidget):
    REFRESH_MS = 60_000

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.kind = QComboBox()
        self.kind.addItem(t("全部类型", "All kinds"), "")
        for k in KINDS:
            self.kind.addItem(orders.label(orders.KIND_LABELS, k), k)
        self.overdue_only = QCheckBox(t("只看超期", "Overdue only"))
        self.export = QPushButton(t("导出报表 (PDF+CSV)", "Export report (PDF+CSV)"))
        self.summary = QLabel()
        self.model = OrderTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        for w in (self.kind, self.overdue_only, self.summary):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.overdue_only.toggled.connect(self.refresh)
        self.export.clicked.connect(self._ask_export)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(self.REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        kind = self.kind.currentData()
        try:
            items = orders.list_orders(self.bench.db, self.bench.actor, scope="all",
                                       kinds_=[kind] if kind else None,
                                       overdue_only=self.overdue_only.isChecked())
        except CounterDeskError as exc:
            self.summary.setText(exc.message)
            return
        self.model.set_rows([v.to_dict() for v in items])
        late = sum(v.overdue for v in items)
        self.summary.setText(t(f"未办结 {len(items)} 张，超期 {late} 张",
                               f"{len(items)} open, {late} overdue"))

    def export_report(self, folder: str | Path) -> tuple[Path, Path]:
        from ...print import orders_report

        rep = orders.report(self.bench.db, self.bench.actor)
        folder = Path(folder)
        stem = f"orders_{rep['from']}_{rep['to']}"
        return (orders_report.write_pdf(rep, folder / f"{stem}.pdf"),
                orders_report.write_csv(rep, folder / f"{stem}.csv"))

    def _ask_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("选择保存报表的文件夹", "Folder"))
        if folder:
            try:
                pdf, _ = self.export_report(folder)
            except CounterDeskError as exc:
                self.summary.setText(exc.message)
                return
            self.summary.setText(t(f"已导出 {pdf.name} 及 CSV", f"Exported {pdf.name} and CSV"))

    def shutdown(self) -> None:
        self.timer.stop()
