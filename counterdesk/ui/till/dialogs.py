"""The till tab's approval forms: cash in / out, the manager's countersign and the
manager's reopening of a count (each an :class:`~..widgets.approval.ApprovalDialog`)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from ..widgets.approval import ApprovalDialog


class MovementDialog(ApprovalDialog):
    """Cash in or out: direction, amount, reason, manager's approval."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.build(self.tr("Cash in / out"), reason_label=self.tr("Reason"))

    def add_rows(self, form: QFormLayout) -> None:
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItem(self.tr("Cash out (e.g. to the safe)"), "out")
        self.direction.addItem(self.tr("Cash in (e.g. more change)"), "in")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText("0.00")
        form.addRow(self.tr("Direction"), self.direction)
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        self.fields.update(direction=self.direction, amount=self.amount)

    def values(self) -> dict:
        return {"direction": self.direction.currentData(), "amount": self.amount.text(),
                "reason": self.reason_text(), "approval": self.approval()}


class CountersignDialog(ApprovalDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.build(self.tr("Manager's countersign"),
                   intro=self.tr("The manager checks the count and signs with their "
                                 "staff number and password."))


class ReopenDialog(ApprovalDialog):
    """重新开启点钞 (issue 18.4): the reason and the manager's approval."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.build(self.tr("Reopen the count — manager's approval"),
                   intro=self.tr("The count is cleared and the clerk counts again; the "
                                 "old count stays in the audit log."),
                   reason_label=self.tr("Reason"))
