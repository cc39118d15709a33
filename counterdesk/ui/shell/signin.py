"""Sign-in window: 工号, password, window number (preset from the settings)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ...errors import CounterDeskError


class SignInView(QDialog):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("CounterDesk — sign in"))
        self.setMinimumWidth(380)
        self.title = QLabel(self.tr("Business hall counter — sign in"))
        self.title.setAlignment(Qt.AlignCenter)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.title.setFont(f)
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("staff_no")
        self.staff_no.setPlaceholderText(self.tr("Staff number"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.window_no = QSpinBox()
        self.window_no.setObjectName("window_no")
        self.window_no.setRange(0, 999)
        self.window_no.setSpecialValueText(self.tr("none (office)"))
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.database = QLabel()
        self.database.setObjectName("database")
        self.database.setStyleSheet("color: gray;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Quit"))
        form = QFormLayout()
        form.addRow(self.tr("Staff number"), self.staff_no)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Window"), self.window_no)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.database)
        lay.addWidget(self.buttons)


class SignInDialog(SignInView):
    """Controller: checks the password through the staff service."""

    def __init__(self, db, settings, parent=None):
        """``db`` may be None while the database is still opening (:meth:`set_database`)."""
        super().__init__(parent)
        self.db = None
        self.settings = settings
        self.actor = None  # staff.Actor once signed in
        self.window_no.setValue(settings.window.number)
        self.set_database(db)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_sign_in)
        self.staff_no.setFocus()

    def set_database(self, db) -> None:
        self.db = db
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(db is not None)
        self.database.setText(self.tr("Database: %1").replace("%1", db.display_url)
                              if db is not None else self.tr("Connecting to the database…"))

    def try_sign_in(self) -> None:
        no = self.staff_no.text().strip()
        if not no:
            self.message.setText(self.tr("Enter your staff number."))
            self.staff_no.setFocus()
            return
        if self.db is None:
            self.message.setText(self.tr("Still connecting to the database; a moment please."))
            return
        from ... import staff

        try:
            self.actor = staff.sign_in(self.db, no, self.password.text(),
                                       window=self.window_no.value() or None,
                                       hall_code=self.settings.hall.code)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
