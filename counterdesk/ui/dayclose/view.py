"""The day close dialog's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from .models import CheckListModel, TillsModel


class DayCloseDialogView(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dayclose_dialog")
        self.setWindowTitle(self.tr("Day close"))
        self.resize(900, 600)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Business day")))
        self.date = QDateEdit()
        self.date.setObjectName("close_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        top.addWidget(self.date)
        self.btn_check = QPushButton(self.tr("Check again (F5)"))
        top.addWidget(self.btn_check)
        top.addStretch(1)
        lay.addLayout(top)
        self.summary = QLabel()
        self.summary.setObjectName("close_summary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.checks_model = CheckListModel(self)
        self.checks = QTableView()
        self.checks.setObjectName("checks")
        self.checks.setModel(self.checks_model)
        self.checks.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        lay.addWidget(self.checks, 1)
        self.tills_model = TillsModel(self)
        self.tills = QTableView()
        self.tills.setObjectName("tills")
        self.tills.setModel(self.tills_model)
        self.tills.horizontalHeader().setSectionResizeMode(5, QHeaderView.Stretch)
        lay.addWidget(self.tills, 1)
        self.busy_label = QLabel(self.tr("Working… please wait."))
        self.busy_label.setObjectName("close_busy")
        self.busy_label.hide()
        lay.addWidget(self.busy_label)
        self.message = QLabel()
        self.message.setObjectName("close_message")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.btn_close_day = QPushButton(self.tr("Close the day (Ctrl+Enter)"))
        self.btn_open_pdf = QPushButton(self.tr("Open report PDF (Ctrl+O)"))
        self.btn_reopen = QPushButton(self.tr("Reopen the day…"))
        self.btn_done = QPushButton(self.tr("Done"))
        for b in (self.btn_close_day, self.btn_open_pdf, self.btn_reopen):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_done)
        lay.addLayout(buttons)

    def action_buttons(self) -> list:
        return [self.btn_check, self.btn_close_day, self.btn_open_pdf, self.btn_reopen]
