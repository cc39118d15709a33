"""The accounts tab's approval dialogs: 暂停供气 (a reason), 恢复供气 (the inspection
reference, a reason and a manager's approval by someone other than the clerk) and
用气性质变更 (the new customer type, a reason, the documents checked and a manager's
approval).

Each is a :class:`~..widgets.approval.JobForm`: OK emits ``submitted``; the controller
runs the service and hands the job to ``follow``, which closes the form on success or
shows the refusal in it, so the clerk corrects the field and tries again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from ... import accounts, i18n
from ..widgets.approval import ApprovalFields, JobForm, approval_fields


class _SupplyDialog(JobForm):
    def __init__(self, title: str, account_no: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title.replace("%1", account_no))
        self.account_no = account_no
        self.form = QFormLayout(self)
        self.fields: dict[str, QWidget] = {}      # by the names a refusal gives
        self.lines: dict[str, QLineEdit] = {}

    def add_line(self, field: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        self.fields[field] = self.lines[field] = edit
        return edit

    def add_approval(self) -> None:
        self.auth = ApprovalFields(self.form)
        self.fields.update(approval_fields(self.auth))


class SuspendDialog(_SupplyDialog):
    """暂停供气: why the supply stops (a hazard, an order, the customer's request)."""

    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Stop supply — account %1"), account_no, parent)
        self.setObjectName("suspend_dialog")
        self.form.addRow(QLabel(self.tr("The account buys no gas until the supply is "
                                        "resumed after an inspection.")))
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. hazard found at inspection"))
        self.finish_form(self.form)

    def values(self) -> dict:
        return {"reason": self.lines["reason"].text()}


class ResumeDialog(_SupplyDialog):
    """恢复供气: the inspection that cleared the hazard and a manager's approval."""

    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Resume supply — account %1"), account_no, parent)
        self.setObjectName("resume_dialog")
        self.form.addRow(QLabel(self.tr("A manager other than you approves; give the number "
                                        "of the inspection that found the hazard removed.")))
        self.add_line("inspection_ref", self.tr("Inspection no."))
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. hazard removed, re-inspected"))
        self.add_approval()
        self.finish_form(self.form)

    def values(self) -> dict:
        return {"inspection_ref": self.lines["inspection_ref"].text(),
                "reason": self.lines["reason"].text(), "approval": self.auth.approval()}


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
        self.fields["customer_type"] = self.type      # a refusal focuses it
        self.add_line("reason", self.tr("Reason"), self.tr("e.g. the flat became a shop"))
        self.docs: dict[str, QCheckBox] = {}
        for code in self.DOCUMENTS:
            box = QCheckBox(i18n.pick(*accounts.DOCUMENTS[code]))
            box.setObjectName("doc_" + code)
            self.docs[code] = box
            self.form.addRow("", box)
        self.fields["documents"] = self.docs["business_licence"]
        self.add_approval()
        self.finish_form(self.form)

    def values(self) -> dict:
        return {"new_type": self.type.currentData() or "",
                "reason": self.lines["reason"].text(),
                "documents": [c for c, b in self.docs.items() if b.isChecked()],
                "approval": self.auth.approval()}
