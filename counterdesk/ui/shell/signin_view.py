"""The sign-in window's widgets (no data access, no decisions)."""

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
