"""The accounts tab's approval dialogs: 暂停供气 (a reason), 恢复供气 (the inspection
reference, a reason and a manager's approval by someone other than the clerk) and
用气性质变更 (the new customer type, a reason, the documents checked and a manager's
approval).

OK does not close the dialog: it emits ``submitted``; the controller calls the service
and either closes it (:meth:`_SupplyDialog.done_ok`) or shows the refusal inline
(:meth:`_SupplyDialog.refuse`), so the clerk corrects the field and tries again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ... import accounts, i18n
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
        self.others: dict[str, QWidget] = {}      # other fields a refusal may name

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
        widget = self.fields.get(field or "") or self.others.get(field or "")
        if widget is None and hasattr(self, "auth"):   # the manager's fields
            widget = {"approver": self.auth.approver, "staff_no": self.auth.approver,
                      "password": self.auth.password}.get(field or "")
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


class RetypeDialog(_SupplyDialog):
    """用气性质变更: the account's new customer type (the hall's types but its own), why,
    the documents checked (the business licence for any type but resident) and a
    manager's approval."""

    DOCUMENTS = ("id_card", "business_licence")

    def __init__(self, account_no: str, current: str, choices: list[tuple[str, str]],
                 parent=None):
        super().__init__(self.tr("Change of customer type — account %1"), account_no, parent)
        self.setObjectName("retype_dialog")
        self.form.addRow(QLabel(self.tr("The type sets the gas price. Bills are paid first; "
                                        "a manager other than you approves.")))
        self.type = QComboBox()
        self.type.setObjectName("customer_type")
        for code, label in choices:
            if code != current:
                self.type.addItem(label, code)
        self.form.addRow(self.tr("New type"), self.type)
        self.others["customer_type"] = self.type      # a refusal focuses it
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. the flat became a shop"))
        self.docs: dict[str, QCheckBox] = {}
        for code in self.DOCUMENTS:
            box = QCheckBox(i18n.pick(*accounts.DOCUMENTS[code]))
            box.setObjectName("doc_" + code)
            self.docs[code] = box
            self.form.addRow("", box)
        self.others["documents"] = self.docs["business_licence"]
        self.auth = ApprovalFields(self.form)
        self.finish_form()

    def values(self) -> dict:
        return {"new_type": self.type.currentData() or "",
                "reason": self.fields["reason"].text(),
                "documents": [c for c, b in self.docs.items() if b.isChecked()],
                "approval": self.auth.approval()}
