"""The hall display's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..widgets.fit import FontScaler

BIG_CALL = "font-size:96pt;font-weight:bold;color:#ffd600;"
BIG_DONE = "font-size:96pt;font-weight:bold;color:#7d8b99;"  # 4.9:1 on the display's blue


class DisplayView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("display")
        self.setStyleSheet("QWidget#display{background:#101820;} QLabel{color:white;}"
                           "QTableView{background:#101820;color:white;font-size:26pt;"
                           "gridline-color:#334;border:none;}"
                           "QHeaderView::section{background:#1d2b3a;color:#9fb3c8;"
                           "font-size:18pt;border:none;}")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size:28pt;font-weight:bold;")
        self.clock = QLabel()
        self.clock.setStyleSheet("font-size:28pt;")
        self.clock.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        lay.addLayout(top)
        self.current = QLabel()
        self.current.setObjectName("current_call")
        self.current.setAlignment(Qt.AlignCenter)
        self.current.setStyleSheet(BIG_CALL)
        lay.addWidget(self.current, 2)
        self.current_text = QLabel()
        self.current_text.setAlignment(Qt.AlignCenter)
        self.current_text.setStyleSheet("font-size:34pt;")
        lay.addWidget(self.current_text)
        mid = QHBoxLayout()
        self.recent_view = QTableView()
        self.windows_view = QTableView()
        for v in (self.recent_view, self.windows_view):
            v.verticalHeader().hide()
            v.verticalHeader().setDefaultSectionSize(60)
            v.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
            v.setFocusPolicy(Qt.NoFocus)
            v.setSelectionMode(QTableView.NoSelection)
        self.windows_view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.addWidget(self.windows_view, 1)
        self.page_label = QLabel()
        self.page_label.setObjectName("windows_page")
        self.page_label.setAlignment(Qt.AlignRight)
        self.page_label.setStyleSheet("font-size:16pt;color:#9fb3c8;")
        self.page_label.hide()
        right.addWidget(self.page_label)
        mid.addWidget(self.recent_view, 1)
        mid.addLayout(right, 1)
        lay.addLayout(mid, 3)
        self.waiting = QLabel()
        self.waiting.setObjectName("waiting_counts")
        self.waiting.setAlignment(Qt.AlignCenter)
        self.waiting.setStyleSheet("font-size:24pt;color:#9fb3c8;")
        lay.addWidget(self.waiting)
        self.notices = QLabel()          # 停气通知 of the hall's area (issue 21.5)
        self.notices.setObjectName("supply_notices")
        self.notices.setWordWrap(True)
        self.notices.setStyleSheet("font-size:16pt;color:#ffd54f;")
        self.notices.hide()
        lay.addWidget(self.notices)
        self.banner = QLabel()
        self.banner.setObjectName("display_banner")
        self.banner.setAlignment(Qt.AlignRight)
        self.banner.setStyleSheet("font-size:12pt;color:#ff8a80;")
        self.banner.hide()
        lay.addWidget(self.banner)
        self.scaler = FontScaler(self)  # full screen, or a 960×540 window (issue 18.21)
