"""The queue tab's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class QueuePanelView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("queue_panel")
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("queue_title")
        lay.addWidget(self.title)

        self.paused_box = QLabel()
        self.paused_box.setObjectName("paused_box")
        self.paused_box.setWordWrap(True)
        self.paused_box.setAlignment(Qt.AlignCenter)
        self.paused_box.setStyleSheet("background:#b00020;color:white;font-size:18pt;"
                                      "font-weight:bold;padding:8px;")
        self.paused_box.hide()
        self.own_pause_box = True  # False in the main window: its banner says it (18.14)
        lay.addWidget(self.paused_box)

        cur = QGroupBox(self.tr("Current customer"))
        cl = QVBoxLayout(cur)
        self.number = QLabel("—")
        self.number.setObjectName("current_number")
        self.number.setAlignment(Qt.AlignCenter)
        self.number.setStyleSheet("font-size:36pt;font-weight:bold;")
        self.detail = QLabel()
        self.detail.setObjectName("current_detail")
        self.detail.setWordWrap(True)
        self.waited = QLabel()
        self.waited.setObjectName("current_waited")
        cl.addWidget(self.number)
        cl.addWidget(self.detail)
        cl.addWidget(self.waited)
        lay.addWidget(cur)

        self.btn_call = QPushButton(self.tr("Call next (F2)"))
        self.btn_start = QPushButton(self.tr("Customer here"))
        self.btn_finish = QPushButton(self.tr("Finish (F6)"))
        self.btn_recall = QPushButton(self.tr("Recall (F3)"))
        self.btn_noshow = QPushButton(self.tr("No-show (F4)"))
        self.btn_transfer = QPushButton(self.tr("Transfer (F5)"))
        self.btn_hold = QPushButton(self.tr("Hold (Ctrl+H)"))
        self.btn_pause = QPushButton(self.tr("Pause (F7)"))
        # Two columns: the labels stay whole in the narrow queue column at 1366×768.
        grid = QGridLayout()
        for i, b in enumerate((self.btn_call, self.btn_start, self.btn_recall, self.btn_noshow,
                               self.btn_transfer, self.btn_finish, self.btn_hold,
                               self.btn_pause)):
            grid.addWidget(b, i // 2, i % 2)
        lay.addLayout(grid)

        self.message = QLabel()
        self.message.setObjectName("queue_message")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)

        lay.addWidget(QLabel(self.tr("Waiting")))
        self.waiting_view = QTableView()
        self.waiting_view.verticalHeader().hide()
        self.waiting_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.waiting_view.horizontalHeader().setStretchLastSection(False)
        self.waiting_view.horizontalHeader().setMinimumSectionSize(30)
        lay.addWidget(self.waiting_view)

        lay.addWidget(QLabel(self.tr("Held here (select and resume)")))
        self.held = QListWidget()
        self.held.setMaximumHeight(70)
        lay.addWidget(self.held)
        self.btn_resume_held = QPushButton(self.tr("Resume held customer"))
        lay.addWidget(self.btn_resume_held)

        lay.addWidget(QLabel(self.tr("Paused windows")))
        self.pauses_view = QTableView()
        self.pauses_view.verticalHeader().hide()
        self.pauses_view.setMaximumHeight(120)
        lay.addWidget(self.pauses_view)
        self.banner = QLabel()
        self.banner.setObjectName("db_banner")
        self.banner.setStyleSheet("color:#b00020;")
        self.banner.hide()
        lay.addWidget(self.banner)
        lay.addStretch(1)

    def fit_waiting_rows(self, *_args) -> None:
        """Issue 18.15: every service's row visible (up to 8), whatever the column's height."""
        v = self.waiting_view
        h = v.horizontalHeader()
        for col in range(h.count()):  # the service's name takes what the counts leave
            h.setSectionResizeMode(col, h.ResizeMode.Stretch if col == 0
                                   else h.ResizeMode.ResizeToContents)
        n = v.model().rowCount() if v.model() else 0
        row = max([v.verticalHeader().defaultSectionSize()]
                  + [v.sizeHintForRow(r) for r in range(min(n, 8))])
        header = max(v.horizontalHeader().height(), v.horizontalHeader().sizeHint().height())
        v.setFixedHeight(header + 2 * v.frameWidth() + max(1, min(8, n)) * row)
