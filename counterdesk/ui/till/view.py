"""The till tab's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .models import CountGrid, DenominationModel, MovementModel


class TillPanelView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("till_panel")
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("till_status")
        f = self.status.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.status.setFont(f)
        lay.addWidget(self.status)
        self.hint = QLabel()
        self.hint.setObjectName("till_hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)

        row = QHBoxLayout()
        self.grid_box = QGroupBox(self.tr("Count by denomination"))
        gl = QVBoxLayout(self.grid_box)
        self.grid_model = DenominationModel(self)
        self.grid = CountGrid()
        self.grid.setObjectName("count_grid")
        self.grid.setModel(self.grid_model)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.grid.verticalHeader().hide()
        self.grid.setEditTriggers(QTableView.AllEditTriggers)
        gl.addWidget(self.grid)
        self.total = QLabel()
        self.total.setObjectName("count_total")
        gl.addWidget(self.total)
        row.addWidget(self.grid_box, 3)

        side = QVBoxLayout()
        self.noncash_box = QGroupBox(self.tr("Non-cash totals from the terminal slips"))
        nf = QFormLayout(self.noncash_box)
        self.noncash = {}
        for m, label in (("card", self.tr("Bank card")), ("qr", self.tr("QR code")),
                         ("cheque", self.tr("Cheque"))):
            e = QLineEdit()
            e.setObjectName(f"noncash_{m}")
            e.setPlaceholderText("0.00")
            self.noncash[m] = e
            nf.addRow(label, e)
        side.addWidget(self.noncash_box)
        self.result = QLabel()
        self.result.setObjectName("count_result")
        self.result.setWordWrap(True)
        side.addWidget(self.result)
        self.explanation = QPlainTextEdit()
        self.explanation.setObjectName("explanation")
        self.explanation.setPlaceholderText(self.tr("Explanation of the difference"))
        self.explanation.setMaximumHeight(70)
        side.addWidget(self.explanation)
        side.addStretch(1)
        row.addLayout(side, 2)
        lay.addLayout(row, 1)

        buttons = QHBoxLayout()
        self.btn_open = QPushButton(self.tr("&Open till with this float"))
        self.btn_count = QPushButton(self.tr("&Submit the blind count"))
        self.btn_close = QPushButton(self.tr("&Close till"))
        self.btn_countersign = QPushButton(self.tr("Counter&sign…"))
        self.btn_reopen = QPushButton(self.tr("&Reopen the count (manager)…"))
        self.btn_reopen.setObjectName("reopen_count")
        self.btn_reopen.hide()
        self.btn_move = QPushButton(self.tr("Cash &in/out…"))
        self.btn_x = QPushButton(self.tr("Print &X report"))
        for b in self.action_buttons():
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.movements_model = MovementModel(self)
        self.movements = QTableView()
        self.movements.setObjectName("movements")
        self.movements.setModel(self.movements_model)
        self.movements.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.movements.setMaximumHeight(120)
        lay.addWidget(self.movements)
        self.busy_label = QLabel(self.tr("Working… please wait."))   # while a call runs
        self.busy_label.setObjectName("till_busy")
        self.busy_label.hide()
        lay.addWidget(self.busy_label)
        self.message = QLabel()
        self.message.setObjectName("till_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        lay.addWidget(self.message)

    def action_buttons(self) -> list[QPushButton]:
        return [self.btn_open, self.btn_count, self.btn_close, self.btn_countersign,
                self.btn_reopen, self.btn_move, self.btn_x]

    def show_result_large(self, difference: int) -> None:
        """The count's result in large type (issue 18.12): red when short, blue when over."""
        f = QFont(self.result.font())
        f.setPointSizeF(max(f.pointSizeF(), 10.5) * 1.6)
        f.setBold(True)
        self.result.setFont(f)
        self.result.setStyleSheet("color: #c0392b;" if difference < 0 else
                                  "color: #1f4e9c;" if difference > 0 else "color: #1e7e34;")
