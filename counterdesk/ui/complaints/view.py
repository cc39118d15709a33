"""The complaints tab's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class ComplaintPanelView(QWidget):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("complaint_panel")
        self.tab_title = self.tr("Complaints")
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.addItem(self.tr("My open items"), "mine")
        self.scope.addItem(self.tr("All items of the hall"), "all")
        self.show_closed = QComboBox()
        self.show_closed.setObjectName("show_closed")
        self.show_closed.addItem(self.tr("Open only"), False)
        self.show_closed.addItem(self.tr("Including closed"), True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.btn_new = QPushButton(self.tr("Record (Ctrl+K)"))
        self.btn_new.setObjectName("btn_new")
        self.btn_forward = QPushButton(self.tr("Forward"))
        self.btn_forward.setObjectName("btn_forward")
        self.btn_handover = QPushButton(self.tr("Hand over"))
        self.btn_handover.setObjectName("btn_handover")
        self.btn_reply = QPushButton(self.tr("Reply"))
        self.btn_reply.setObjectName("btn_reply")
        self.btn_contact = QPushButton(self.tr("Contacted"))
        self.btn_contact.setObjectName("btn_contact")
        self.btn_workdone = QPushButton(self.tr("Record work done"))
        self.btn_workdone.setObjectName("btn_workdone")
        self.btn_workdone.setToolTip(self.tr("Record that the repair or visit promised in the "
                                             "reply was done (needed before the follow-up)")
                                     + " (Ctrl+Shift+E)")
        self.btn_followup = QPushButton(self.tr("Follow-up"))
        self.btn_followup.setObjectName("btn_followup")
        self.btn_refresh = QPushButton(self.tr("Refresh"))
        self.btn_refresh.setObjectName("btn_refresh")
        self.btn_export = QPushButton(self.tr("Export report…"))
        self.btn_export.setObjectName("btn_export")
        self.table = QTableView()
        self.table.setObjectName("table")
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.reminders = QTableView()
        self.reminders.setObjectName("reminders")
        self.reminders.verticalHeader().hide()
        self.reminders.setMaximumHeight(160)
        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.busy_label = QLabel(self.tr("Working… please wait."))  # while a call runs
        self.busy_label.setObjectName("complaints_busy")
        self.busy_label.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.show_closed)
        top.addWidget(self.summary, 1)
        top.addWidget(self.busy_label)
        top.addWidget(self.btn_refresh)
        top.addWidget(self.btn_export)
        actions = QHBoxLayout()
        for b in (self.btn_new, self.btn_forward, self.btn_handover, self.btn_reply,
                  self.btn_contact, self.btn_workdone, self.btn_followup):
            actions.addWidget(b)
        actions.addStretch(1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(actions)
        lay.addWidget(split, 1)
        lay.addWidget(QLabel(self.tr("Follow-up reminders")))
        lay.addWidget(self.reminders)
        lay.addWidget(self.message)
