"""The ticket kiosk's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..widgets.fit import FontScaler


class _ShownWithText(QLabel):
    """Takes no room while empty: the service buttons use the screen (issue 18.21)."""

    def __init__(self):
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        super().setText(text)
        self.setVisible(bool(text))


class KioskView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setStyleSheet("QWidget#kiosk{background:#0b3d91;} QLabel{color:white;}")
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setStyleSheet("font-size:36pt;font-weight:bold;")
        lay.addWidget(self.title)
        self.hint = QLabel(self.tr("Touch your service to take a number"))
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setStyleSheet("font-size:22pt;")
        lay.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        lay.addLayout(self.grid, 1)  # the services take the screen
        row = QHBoxLayout()
        self.priority = QPushButton()
        self.priority.setObjectName("priority")
        self.priority.setCheckable(True)
        self.priority.setMinimumHeight(60)
        self.priority.setStyleSheet(
            "QPushButton{font-size:22pt;background:#2e7d32;color:white;border-radius:12px;}"
            "QPushButton:checked{background:#ffd600;color:black;}")
        self.priority.toggled.connect(self._priority_text)
        self._priority_text(False)
        row.addWidget(self.priority)
        lay.addLayout(row)
        self.number = _ShownWithText()
        self.number.setObjectName("kiosk_number")
        self.number.setAlignment(Qt.AlignCenter)
        self.number.setStyleSheet("font-size:110pt;font-weight:bold;color:#ffd600;")
        lay.addWidget(self.number)
        self.message = _ShownWithText()
        self.message.setObjectName("kiosk_message")
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size:26pt;")
        lay.addWidget(self.message)
        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignCenter)
        self.banner.setStyleSheet("font-size:14pt;color:#ffcdd2;")
        self.banner.hide()
        lay.addWidget(self.banner)
        self.buttons: dict[str, QPushButton] = {}
        self.scaler = FontScaler(self)  # full screen, or a 960×540 window (issue 18.21)

    def _priority_text(self, on: bool) -> None:
        """Issue 18.21: the toggle says its state in words, not only by its colour."""
        self.priority.setText(
            self.tr("✔ Priority lane ON — now touch your service (touch here to cancel)") if on
            else self.tr("Priority lane (elderly, disabled, pregnant): touch to turn on"))

    def service_button(self, letter: str, index: int) -> QPushButton:
        """The large button of one service (made when the hall's services are known)."""
        btn = self.buttons.get(letter)
        if btn is None:
            btn = QPushButton()
            btn.setObjectName(f"service_{letter}")
            btn.setMinimumHeight(80)
            btn.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
            btn.setStyleSheet("QPushButton{font-size:30pt;background:white;color:#0b3d91;"
                              "border-radius:16px;} QPushButton:disabled{color:#999;}")
            self.buttons[letter] = btn
            self.grid.addWidget(btn, index // 2, index % 2)
        return btn
