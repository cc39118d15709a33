"""The prompt panel's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class PromptPanelView(QWidget):
    """Widgets only: the context card, the search box, the groups and the phrase table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("prompt_panel")
        self.heading = QLabel(self.tr("Service phrases"))
        self.heading.setObjectName("prompt_heading")
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.context_card = QFrame()
        self.context_card.setObjectName("context_card")
        self.context_card.setFrameShape(QFrame.StyledPanel)
        self.apply_contrast(False)
        self.context_text = QTextBrowser()
        self.context_text.setObjectName("context_text")
        self.context_text.setFrameShape(QFrame.NoFrame)
        self.context_text.setFocusPolicy(Qt.NoFocus)
        self.context_text.setMinimumHeight(96)
        self.context_text.setMaximumHeight(220)
        self.context_text.setStyleSheet("background: transparent;")
        big = self.context_text.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.context_text.setFont(big)
        card = QVBoxLayout(self.context_card)
        card.setContentsMargins(8, 6, 8, 6)
        card.addWidget(self.context_text)
        self.search = QLineEdit()
        self.search.setObjectName("phrase_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search phrases (F11): characters or pinyin "
                                               "initials"))
        self.sections = QListView()
        self.sections.setObjectName("phrase_sections")
        self.sections.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.sections.setUniformItemSizes(True)  # one line each: no per-row size queries
        self.table = QTableView()
        self.table.setObjectName("phrase_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.voice = QLabel()
        self.voice.setObjectName("voice_hint")
        self.voice.setWordWrap(True)
        self.voice.setStyleSheet("color: #555;")
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.sections)
        split.addWidget(self.table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.heading)
        lay.addWidget(self.context_card)
        lay.addWidget(self.search)
        lay.addWidget(split, 1)
        lay.addWidget(self.voice)


    def apply_contrast(self, high: bool) -> None:
        """The context card: warm yellow normally, yellow on black in high contrast."""
        self.context_card.setStyleSheet(
            "#context_card { background: black; border: 2px solid yellow; }"
            "#context_card QTextBrowser { color: yellow; }" if high else
            "#context_card { background: #fff8e1; }"
            "#context_card QTextBrowser { color: #3e2723; }")
