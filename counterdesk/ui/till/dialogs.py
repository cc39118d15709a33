"""The till tab's dialogs: cash in / out and the manager's countersign."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
)

from ..widgets.approval import ApprovalFields, add_ok_cancel


class MovementDialog(QDialog):
    """Cash in or out: direction, amount, reason, manager's approval."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cash in / out"))
        form = QFormLayout(self)
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItem(self.tr("Cash out (e.g. to the safe)"), "out")
        self.direction.addItem(self.tr("Cash in (e.g. more change)"), "in")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText("0.00")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow(self.tr("Direction"), self.direction)
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        self.auth = ApprovalFields(form)
        add_ok_cancel(self, form)

    def values(self) -> dict:
        return {"direction": self.direction.currentData(), "amount": self.amount.text(),
                "reason": self.reason.text(), "approval": self.auth.approval()}


class CountersignDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Manager's countersign"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("The manager checks the count and signs with their "
                                   "staff number and password.")))
        self.auth = ApprovalFields(form)
        add_ok_cancel(self, form)
