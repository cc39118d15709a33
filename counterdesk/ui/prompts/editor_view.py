"""The phrase editor's widgets (no data access, no decisions)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ..widgets.fieldmessages import message_label


class PhraseEditorView(QDialog):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit service phrases"))
        self.resize(900, 620)
        self.section = QComboBox()
        self.section.setObjectName("section")
        self.source = QLabel()
        self.source.setObjectName("source")
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #555;")
        self.table = QTableView()
        self.table.setObjectName("items")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.text = QLineEdit()
        self.text.setObjectName("text")
        self.instead = QLineEdit()
        self.instead.setObjectName("instead")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.message = message_label()
        self.state = QLabel()
        self.state.setObjectName("state")
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Phrase"), self.text)
        form.addRow(self.tr("Say instead"), self.instead)
        form.addRow(self.tr("Note"), self.note)
        self.new_button = QPushButton(self.tr("&New"))
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.restore_button = QPushButton(self.tr("Restore &this item"))
        self.restore_all_button = QPushButton(self.tr("Restore &all defaults"))
        self.close_button = QPushButton(self.tr("Close"))
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.remove_button, self.restore_button,
                  self.restore_all_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Situation / group")))
        top.addWidget(self.section, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.source)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.state)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
