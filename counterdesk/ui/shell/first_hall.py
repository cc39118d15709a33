"""First run on an empty database (issue 18.6): create the hall and the first
administrator here, then sign them in — instead of a sign-in nobody can pass.

Shown by ``app.run_workstation`` when :func:`counterdesk.setup.needs_first_hall` is true.
The hall gets windows 1…N serving every service of the standard gas-hall template; the
administrator adds clerks and managers afterwards (Manage → Staff accounts…).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ... import setup, staff
from ..widgets.jobs import Job, Jobs, message


class FirstHallView(QDialog):
    """The form (passive): the hall, its windows, the first administrator."""

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("CounterDesk — create the hall"))
        intro = QLabel(self.tr("This database is empty. Create the business hall and the "
                               "first administrator; you are signed in afterwards."))
        intro.setWordWrap(True)
        self.hall_name = QLineEdit()
        self.hall_name.setObjectName("hall_name")
        self.hall_code = QLineEdit(settings.hall.code or "")
        self.hall_code.setObjectName("hall_code")
        self.company = QLineEdit()
        self.company.setObjectName("company")
        self.windows = QSpinBox()
        self.windows.setObjectName("windows")
        self.windows.setRange(1, 50)
        self.windows.setValue(max(4, settings.window.number or 0))
        self.admin_no = QLineEdit()
        self.admin_no.setObjectName("admin_no")
        self.admin_name = QLineEdit()
        self.admin_name.setObjectName("admin_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        form.addRow(self.tr("Hall name"), self.hall_name)
        form.addRow(self.tr("Hall code"), self.hall_code)
        form.addRow(self.tr("Company"), self.company)
        form.addRow(self.tr("Windows (each serves every service)"), self.windows)
        form.addRow(self.tr("Administrator's staff number"), self.admin_no)
        form.addRow(self.tr("Administrator's name"), self.admin_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.password2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Create and sign in"))
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.hall_name.setFocus()


def _create(db, fields: dict, window: int | None):   # worker thread: no widgets here
    setup.first_hall(db, **fields)
    return staff.sign_in(db, fields["admin_no"], fields["password"], window=window,
                         hall_code=fields["code"])


class FirstHallDialog(FirstHallView):
    """Creates the hall and the administrator off the GUI thread, then signs them in."""

    def __init__(self, db, settings, parent=None):
        super().__init__(settings, parent)
        self.db = db
        self.settings = settings
        self.actor = None   # the administrator, signed in, once created
        ok = self.buttons.button(QDialogButtonBox.Ok)
        self.jobs = Jobs(self, busy=[ok])
        self.buttons.accepted.connect(self.create)

    def create(self) -> Job | None:
        """OK: the job creating the hall (None: refused before, e.g. passwords differ)."""
        if self.jobs.busy:
            return None
        if self.password.text() != self.password2.text():
            self.message.setText(self.tr("The two passwords differ."))
            self.password2.setFocus()
            return None
        code = self.hall_code.text().strip().upper()
        fields = dict(name=self.hall_name.text(), code=code, company=self.company.text(),
                      windows=self.windows.value(), admin_no=self.admin_no.text(),
                      admin_name=self.admin_name.text(), password=self.password.text())
        self.message.setText(self.tr("Creating the hall…"))
        return self.jobs.run(_create, self.db, fields, self.settings.window.number or None,
                             on_done=lambda actor: self._created(actor, code),
                             on_error=lambda exc: self.message.setText(message(exc)))

    def _created(self, actor, code: str) -> None:
        self.actor = actor
        if self.settings.hall.code != code:   # this PC belongs to the new hall
            self.settings.hall.code = code
            try:
                self.settings.save()
            except OSError:
                pass
        self.accept()

    def done(self, result: int) -> None:
        self.jobs.wait(30)   # a creation under way ends before the dialog goes
        super().done(result)
