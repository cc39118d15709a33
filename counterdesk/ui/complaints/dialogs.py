"""The complaints tab's dialogs: record an item, act on one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from ... import quality


class _SubmitKeys(QObject):
    """Ctrl+Return / Ctrl+Enter in the text field presses OK (the field would eat them)."""

    def __init__(self, ok, parent):
        super().__init__(parent)
        self.ok = ok

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                and event.modifiers() & Qt.ControlModifier:
            self.ok.click()
            return True
        return False


def keyboard_submit(dlg: QDialog, text: QPlainTextEdit, buttons: QDialogButtonBox) -> QAction:
    """Issue 18.13: Tab leaves the text field, Ctrl+Return (or Ctrl+Enter) submits."""
    text.setTabChangesFocus(True)
    ok = buttons.button(QDialogButtonBox.Ok)
    text.installEventFilter(_SubmitKeys(ok, text))
    act = QAction(dlg)   # from the other fields
    act.setObjectName("submit")
    act.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    act.triggered.connect(ok.click)
    dlg.addAction(act)
    ok.setToolTip(ok.text() + " (Ctrl+Enter)")
    return act


class RecordDialog(QDialog):
    """Record a complaint / enquiry / help request."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.setWindowTitle(self.tr("Record complaint or enquiry"))
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, text in (("complaint", self.tr("Complaint")), ("enquiry", self.tr("Enquiry")),
                            ("help", self.tr("Help request"))):
            self.kind.addItem(text, value)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.channel.addItem(self.tr("At the window"), "window")
        self.channel.addItem(self.tr("Hotline"), "hotline")
        self.contact_name = QLineEdit()
        self.contact_name.setObjectName("contact_name")
        self.contact_name.setPlaceholderText(self.tr("e.g. Mr Zhang"))
        self.contact_phone = QLineEdit()
        self.contact_phone.setObjectName("contact_phone")
        self.account_no = QLineEdit()
        self.account_no.setObjectName("account_no")
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setEditable(True)
        self.category.addItems([quality.category_label(c) for c in quality.CATEGORIES])
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.ticket_number = QLineEdit()
        self.ticket_number.setObjectName("ticket_number")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Record"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Customer name"), self.contact_name)
        form.addRow(self.tr("Contact phone *"), self.contact_phone)
        form.addRow(self.tr("Account number"), self.account_no)
        form.addRow(self.tr("Ticket"), self.ticket_number)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Description *"), self.description)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        keyboard_submit(self, self.description, self.buttons)

    def values(self) -> dict:
        return {"kind": self.kind.currentData(), "channel": self.channel.currentData(),
                "contact_name": self.contact_name.text(),
                "contact_phone": self.contact_phone.text(),
                "account_no": self.account_no.text(), "category": self.category.currentText(),
                "description": self.description.toPlainText(),
                "ticket_number": self.ticket_number.text()}


class ActionDialog(QDialog):
    """One dialog for forward, hand-over, reply, contact, work done and follow-up."""

    def __init__(self, action: str, number: str, parent=None):
        super().__init__(parent)
        self.action = action
        self.setObjectName(f"{action}_dialog")
        titles = {"forward": self.tr("Forward %1 to a department"),
                  "handover": self.tr("Hand %1 over to a colleague"),
                  "reply": self.tr("Reply to the customer (%1)"),
                  "contact": self.tr("Customer contacted (%1)"),
                  "workdone": self.tr("Promised work done (%1)"),
                  "followup": self.tr("Follow-up of %1")}
        self.setWindowTitle(titles[action].replace("%1", number))
        form = QFormLayout()
        self.field = QLineEdit()
        self.field.setObjectName("field")
        self.verdict = QComboBox()
        self.verdict.setObjectName("verdict")
        self.method = QComboBox()
        self.method.setObjectName("method")
        if action == "forward":
            form.addRow(self.tr("Department"), self.field)
        elif action == "handover":
            form.addRow(self.tr("To staff number"), self.field)
        elif action == "followup":
            self.verdict.addItem(self.tr("Satisfied (close)"), "satisfied")
            self.verdict.addItem(self.tr("Unsatisfied (reopen)"), "unsatisfied")
            self.method.addItem(self.tr("Phone"), "phone")
            self.method.addItem(self.tr("Visit"), "visit")
            form.addRow(self.tr("Customer's verdict"), self.verdict)
            form.addRow(self.tr("Method"), self.method)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setMaximumHeight(120)
        labels = {"forward": self.tr("Note"), "handover": self.tr("Hand-over note *"),
                  "reply": self.tr("Reply *"), "contact": self.tr("What was said *"),
                  "workdone": self.tr("What was done *"), "followup": self.tr("Note")}
        form.addRow(labels[action], self.text)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Save"))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        keyboard_submit(self, self.text, self.buttons)
