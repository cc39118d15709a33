"""Staff accounts from the workstation: the manager's list (add, reset a password, disable
or enable) and everyone's "change my password".

Every change goes through :mod:`counterdesk.staff` (who may manage whom, validation,
audit); a refusal is shown under the fields with the field at fault focused.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
)

from ... import staff
from ...errors import CounterDeskError
from ..widgets.approval import JobForm
from ..widgets.jobs import Job, Jobs
from ..widgets.listeditor import ListEditorDialog
from ..widgets.tablemodel import RowsModel


def _password_field(name: str) -> QLineEdit:
    f = QLineEdit()
    f.setObjectName(name)
    f.setEchoMode(QLineEdit.Password)
    f.setMaxLength(64)
    return f


class StaffModel(RowsModel):
    def headers(self):
        return [self.tr("Staff no."), self.tr("Name"), self.tr("Role"), self.tr("State")]

    def role_text(self, role: str) -> str:
        return {"clerk": self.tr("Clerk"), "manager": self.tr("Manager"),
                "admin": self.tr("Administrator")}.get(role, role)

    def state_text(self, info: staff.StaffInfo) -> str:
        if info.disabled:
            return self.tr("Disabled")
        if info.locked:
            return self.tr("Locked (wrong passwords)")
        if info.approvals_locked:
            return self.tr("Approvals locked (wrong passwords)")
        return self.tr("Active")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        info: staff.StaffInfo = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return [info.staff_no, info.name, self.role_text(info.role),
                    self.state_text(info)][index.column()]
        if role == Qt.ForegroundRole and index.column() == 3 and (info.disabled or info.locked
                                                                or info.approvals_locked):
            return QColor("#c0392b")
        return None


class StaffAdmin(ListEditorDialog):
    """The manager's list of the hall's accounts."""

    def __init__(self, db, actor, parent=None):
        super().__init__(db, actor, StaffModel(), parent)
        self.setWindowTitle(self.tr("Staff accounts"))
        self.resize(760, 560)
        self.table.setObjectName("staff")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)

        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("staff_no")
        self.staff_no.setMaxLength(16)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setMaxLength(40)
        self.role = QComboBox()
        self.role.setObjectName("role")
        roles = ["clerk"] if actor.role != "admin" else ["clerk", "manager", "admin"]
        for r in roles:
            self.role.addItem(self.model.role_text(r), r)
        self.password = _password_field("password")
        self.password2 = _password_field("password2")
        form = QFormLayout()
        form.addRow(self.tr("Staff no."), self.staff_no)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.password2)
        self.fields = {"staff_no": self.staff_no, "name": self.name, "role": self.role,
                       "password": self.password, "password2": self.password2}
        self.hint = QLabel(self.tr("New account: fill in the fields and press Add. Selected "
                                   "account: type a new password twice and press Reset "
                                   "password (this also lifts a lock-out)."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        self.add_button = QPushButton(self.tr("&Add"))
        self.reset_button = QPushButton(self.tr("&Reset password"))
        self.toggle_button = QPushButton(self.tr("&Disable"))
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.lay_out([self.hint, form], [self.add_button, self.reset_button,
                                         self.toggle_button, self.unlock_button])
        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset)
        self.toggle_button.clicked.connect(self.toggle)
        self.unlock_button.clicked.connect(self.unlock)
        QShortcut(QKeySequence.New, self, activated=self.new_account)  # Ctrl+N
        self.reload()
        self.new_account()

    def fetch(self) -> list[staff.StaffInfo]:
        return staff.hall_staff(self.db, self.actor)

    def key_of(self, row: staff.StaffInfo) -> str:
        return row.staff_no

    def _row_changed(self, current, _previous) -> None:
        info = self.model.rows[current.row()] if current.isValid() else None
        self.toggle_button.setText(self.tr("&Enable") if info and info.disabled
                                   else self.tr("&Disable"))
        if info is not None:
            self.staff_no.setText(info.staff_no)
            self.name.setText(info.name)
            idx = self.role.findData(info.role)
            if idx >= 0:
                self.role.setCurrentIndex(idx)
        for f in (self.staff_no, self.name, self.role):
            f.setEnabled(info is None)
        self.password.clear()
        self.password2.clear()
        self.message.clear()

    def new_account(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        for f in (self.staff_no, self.name, self.role):
            f.setEnabled(True)
        for f in (self.staff_no, self.name, self.password, self.password2):
            f.clear()
        self.role.setCurrentIndex(0)
        self.message.clear()
        self.staff_no.setFocus()

    def _passwords(self) -> str | None:
        if self.password.text() != self.password2.text():
            self.show_error(CounterDeskError("两次输入的密码不一致", "The two passwords differ",
                                             field="password2"))
            return None
        return self.password.text()

    def add(self) -> Job | None:
        if self.selected() is not None:
            self.new_account()
            return None
        password = self._passwords()
        if password is None:
            return None
        return self.change(
            staff.create_staff, self.staff_no.text(), self.name.text(), self.role.currentData(),
            password, done=lambda info: self.tr(
                "Account %1 (%2) added. Give the person the password; they can change it "
                "with “Change my password”.").replace("%1", info.staff_no)
            .replace("%2", info.name))

    def _selected_or_say(self) -> staff.StaffInfo | None:
        info = self.selected()
        if info is None:
            self.show_error(CounterDeskError("请先在列表中选中一个账号", "Select an account first",
                                             field=""))
        return info

    def reset(self) -> Job | None:
        info = self._selected_or_say()
        password = None if info is None else self._passwords()
        if password is None:
            return None
        return self.change(staff.reset_password, info.staff_no, password, keep=info.staff_no,
                           done=lambda _r: self.tr("New password set for %1; a lock-out is "
                                                   "lifted.").replace("%1", info.staff_no))

    def toggle(self) -> Job | None:
        info = self._selected_or_say()
        if info is None:
            return None
        return self.change(staff.set_account_enabled, info.staff_no, info.disabled,
                           done=lambda new: (self.tr("%1 can sign in again.") if not new.disabled
                                             else self.tr("%1 is disabled and cannot sign in."))
                           .replace("%1", new.staff_no))

    def unlock(self) -> Job | None:
        """Lift a lock-out (sign-in and approvals) before it expires."""
        info = self._selected_or_say()
        if info is None:
            return None
        return self.change(staff.unlock, info.staff_no,
                           done=lambda new: self.tr("%1 is unlocked.").replace("%1", new.staff_no))


class ChangePassword(JobForm):
    """Anyone's own password: the old one, the new one twice. Saved off the GUI thread
    (the password is hashed and stored by a job); a refusal stays in the form."""

    def __init__(self, db, actor, parent=None):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.jobs = Jobs(self)
        self.setWindowTitle(self.tr("Change my password"))
        self.old = _password_field("old_password")
        self.new = _password_field("new_password")
        self.new2 = _password_field("new_password2")
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Staff no. %1 (%2)").replace("%1", actor.staff_no)
                           .replace("%2", actor.name)))
        form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.new2)
        self.fields = {"password": self.old, "old_password": self.old,
                       "new_password": self.new, "new_password2": self.new2}
        self.finish_form(form)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        self.submitted.connect(self.save)
        self.old.setFocus()

    def save(self) -> Job | None:
        """Save (Return / Save): the job, or None when the two new passwords differ."""
        if self.new.text() != self.new2.text():
            self.show_error(CounterDeskError("两次输入的新密码不一致", "The two new passwords differ",
                                             field="new_password2"))
            return None
        job = self.jobs.run(staff.change_own_password, self.db, self.actor, self.old.text(),
                            self.new.text(), on_error=lambda _exc: None)   # said in the form
        self.follow(job)
        return job
