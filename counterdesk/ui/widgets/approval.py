"""The one manager-approval widget (主任授权): the manager's staff number and password,
typed at this PC into any form that needs them (void, cash in/out, countersign, a long
pause). The service checks them (:class:`counterdesk.staff.Approval`); this only asks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit

from ...staff import Approval


class ApprovalFields:
    """Adds "主任工号" and "主任密码" rows to ``form``; :meth:`approval` reads them."""

    def __init__(self, form: QFormLayout):
        self.approver = QLineEdit()
        self.approver.setObjectName("approver")
        # literal strings in translate() calls, so that lupdate finds them (issue 18.22)
        self.approver.setPlaceholderText(
            QCoreApplication.translate("ApprovalFields", "Manager's staff number"))
        self.password = QLineEdit()
        self.password.setObjectName("approver_password")
        self.password.setEchoMode(QLineEdit.Password)
        form.addRow(QCoreApplication.translate("ApprovalFields", "Approved by"), self.approver)
        form.addRow(QCoreApplication.translate("ApprovalFields", "Manager's password"),
                    self.password)

    def approval(self) -> Approval | None:
        """The typed approval, or None when no staff number was typed."""
        no = self.approver.text().strip()
        return Approval(no, self.password.text()) if no else None


def add_ok_cancel(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """The OK / Cancel row that ends every approval form (accept / reject ``dialog``)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return buttons
