"""The one manager-approval widget (主任授权): the manager's staff number and password,
typed at this PC into any form that needs them (void, cash in/out, countersign, a long
pause, reopening a count or a day). The service checks them
(:class:`counterdesk.staff.Approval`); this only asks.

:class:`ApprovalDialog` is the one shape of an approval form: a line saying what is being
approved, the form's own rows (a reason, an amount…), the manager's fields, the line that
says what was refused, OK / Cancel. It opens without a loop of its own (``open()``): OK
emits ``submitted``; the caller runs the service as a job and hands it to :meth:`follow`,
which closes the form on success and otherwise shows the refusal in it, the field at
fault focused — a wrong password is retyped, not the whole form.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ...staff import Approval
from .fieldmessages import FieldMessages, message_label
from .jobs import Job


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


def approval_fields(auth: ApprovalFields) -> dict[str, QWidget]:
    """The manager's fields by the names the services give a refusal: "approver" (and
    "staff_no", an unknown number) and "password" (a wrong one)."""
    return {"approver": auth.approver, "staff_no": auth.approver, "password": auth.password}


def add_ok_cancel(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """The OK / Cancel row that ends every approval form (accept / reject ``dialog``)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return buttons


class JobForm(QDialog, FieldMessages):
    """A form whose OK runs a service as a background job and which stays open until it
    succeeds: OK emits ``submitted``; the caller starts the job and hands it to
    :meth:`follow`. A refusal is shown in the form (:class:`FieldMessages`: the field at
    fault focused, ``self.fields`` names them), what was typed is kept. A subclass lays
    out its rows, then :meth:`finish_form` adds the refusal line and OK / Cancel."""

    submitted = Signal()     # OK: the caller runs the service (see :meth:`follow`)

    def finish_form(self, form: QFormLayout) -> None:
        self.message = message_label()
        self.message.setObjectName("form_message")
        self.message.hide()                       # until there is something to say
        form.addRow(self.message)
        self.errors = {"message": self.message}   # the inline refusal (fits-screen check)
        self.buttons = add_ok_cancel(self, form)

    def accept(self) -> None:  # OK asks the caller; :meth:`follow` closes on success
        self.submitted.emit()

    def follow(self, job: Job | None) -> None:
        """The service OK started: the form waits for it (OK disabled), then closes on
        success or shows the refusal and stays. ``None``: nothing started (the screen
        was busy); OK can be pressed again."""
        if job is None:
            return
        self.buttons.setEnabled(False)
        self.message.setText("")
        self.message.hide()
        job.finished.connect(self._answered)

    def _answered(self, ok: bool, value: object) -> None:
        self.buttons.setEnabled(True)
        if ok:
            QDialog.accept(self)
        else:
            assert isinstance(value, BaseException)  # a job's error
            self.show_refusal(value)


class ApprovalDialog(JobForm):
    """An approval form. :meth:`build` lays it out: ``intro`` (what is approved), the rows
    :meth:`add_rows` adds (naming their fields in ``self.fields`` for the refusals), a
    reason when ``reason_label`` is given, the manager's fields, the refusal line and
    OK / Cancel. The texts come translated by the caller (usually a subclass)."""

    reason: QLineEdit | None = None

    def build(self, title: str, *, intro: str = "", reason_label: str = "") -> None:
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.fields: dict[str, QWidget] = {}
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self.form.addRow(label)
        self.add_rows(self.form)
        if reason_label:
            self.reason = QLineEdit()
            self.reason.setObjectName("reason")
            self.form.addRow(reason_label, self.reason)
            self.fields["reason"] = self.reason
        self.auth = ApprovalFields(self.form)
        self.fields.update(approval_fields(self.auth))
        self.finish_form(self.form)

    def add_rows(self, form: QFormLayout) -> None:
        """A form with fields of its own adds them here (before the reason)."""

    def reason_text(self) -> str:
        return self.reason.text() if self.reason is not None else ""

    def approval(self) -> Approval | None:
        return self.auth.approval()
