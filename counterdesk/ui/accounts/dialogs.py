"""The accounts tab's supply dialogs: 暂停供气 (a reason) and 恢复供气 (the inspection
reference, a reason and a manager's approval by someone other than the clerk).

OK does not close the dialog: it emits ``submitted``; the controller calls the service
and either closes it (:meth:`_SupplyDialog.done_ok`) or shows the refusal inline
(:meth:`_SupplyDialog.refuse`), so the clerk corrects the field and tries again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit

from ..widgets.approval import ApprovalFields, add_ok_cancel
from .formviews import ERROR_STYLE


class _SupplyDialog(QDialog):
    submitted = Signal()

    def __init__(self, title: str, account_no: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title.replace("%1", account_no))
        self.account_no = account_no
        self.form = QFormLayout(self)
        self.message = QLabel()
        self.message.setObjectName("supply_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.errors = {"message": self.message}   # the inline refusal (fits-screen check)
        self.fields: dict[str, QLineEdit] = {}

    def add_line(self, field: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        self.fields[field] = edit
        return edit

    def finish_form(self) -> None:
        self.form.addRow(self.message)
        self.buttons = add_ok_cancel(self, self.form)

    def accept(self) -> None:  # OK asks the controller; it closes on success
        self.submitted.emit()

    def done_ok(self) -> None:
        QDialog.accept(self)

    def refuse(self, text: str, field: str | None = None) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        widget = self.fields.get(field or "")
        if widget is None and field == "approver" and hasattr(self, "auth"):
            widget = self.auth.approver
        if widget is not None:
            widget.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)


class SuspendDialog(_SupplyDialog):
    """暂停供气: why the supply stops (a hazard, an order, the customer's request)."""

    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Stop supply — account %1"), account_no, parent)
        self.setObjectName("suspend_dialog")
        self.form.addRow(QLabel(self.tr("The account buys no gas until the supply is "
                                        "resumed after an inspection.")))
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. hazard found at inspection"))
        self.finish_form()

    def values(self) -> dict:
        return {"reason": self.fields["reason"].text()}


class ResumeDialog(_SupplyDialog):
    """恢复供气: the inspection that cleared the hazard and a manager's approval."""

    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Resume supply — account %1"), account_no, parent)
        self.setObjectName("resume_dialog")
        self.form.addRow(QLabel(self.tr("A manager other than you approves; give the number "
                                        "of the inspection that found the hazard removed.")))
        self.add_line("inspection_ref", self.tr("Inspection no."))
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. hazard removed, re-inspected"))
        self.auth = ApprovalFields(self.form)
        self.finish_form()

    def values(self) -> dict:
        return {"inspection_ref": self.fields["inspection_ref"].text(),
                "reason": self.fields["reason"].text(), "approval": self.auth.approval()}
