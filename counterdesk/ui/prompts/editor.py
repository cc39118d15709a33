"""The manager's editor of the service phrases: change, add, remove, restore defaults.

Every change goes through :mod:`counterdesk.phrases` (validation, permission, audit);
a refusal is shown under the fields with the field at fault focused.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ... import i18n, phrases
from ...errors import CounterDeskError
from ..widgets.fieldmessages import FieldMessages, message_label
from .models import PhraseTableModel


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


class PhraseEditor(PhraseEditorView, FieldMessages):
    """Controller: loads the hall's phrases, saves through the service, shows refusals."""

    def __init__(self, db, actor, parent=None, lang: str | None = None):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.lang = lang or i18n.current()
        self.fields = {"text": self.text, "instead": self.instead, "note": self.note,
                       "title": self.title, "section": self.section}
        self.catalogue: phrases.Catalogue | None = None
        self.editing_id: str | None = None   # None: a new item
        self.model = PhraseTableModel(self)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.section.currentIndexChanged.connect(self._section_changed)
        self.new_button.clicked.connect(self.new_item)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.restore_button.clicked.connect(self.restore_item)
        self.restore_all_button.clicked.connect(self.restore_all)
        self.close_button.clicked.connect(self.accept)
        for field in (self.title, self.text, self.instead, self.note):
            field.returnPressed.connect(self.save)
        # issue 18.18: human titles; the seed references and item ids only in the details
        self.details = QCheckBox(self.tr("Show sources and ids"))
        self.details.setObjectName("details")
        self.details.toggled.connect(lambda _on: self._section_changed(
            0, self.editing_id))
        self.layout().insertWidget(1, self.details)
        self.reload()

    # confirmation is a method so tests can answer it without a modal box
    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.windowTitle(), text) == QMessageBox.Yes

    def reload(self, keep: str | None = None) -> None:
        key = self.current_section()
        try:
            self.catalogue = phrases.load(self.db, self.actor.hall_code, self.lang)
        except CounterDeskError as exc:
            self.show_error(exc)
            return
        self.section.blockSignals(True)
        self.section.clear()
        for sec in self.catalogue.sections:
            self.section.addItem(sec.title, sec.key)
        idx = max(0, self.section.findData(key)) if key else 0
        self.section.setCurrentIndex(idx)
        self.section.blockSignals(False)
        self._section_changed(idx, keep)

    def current_section(self) -> str | None:
        return self.section.currentData()

    def _section_changed(self, _index: int, keep: str | None = None) -> None:
        sec = self.catalogue.section(self.current_section()) if self.catalogue else None
        if sec is None:
            return
        self.source.setText(self.tr("Source: %1").replace("%1", sec.source)
                            if sec.source and self.details.isChecked() else "")
        self.source.setVisible(bool(self.source.text()))
        self.model.set_items(sec.items)
        self.instead.setEnabled(sec.kind == "forbidden")
        row = next((n for n, i in enumerate(sec.items) if i.id == keep), 0)
        if sec.items:
            self.table.selectRow(row)
            self._row_changed(self.model.index(row, 0), None)
        else:
            self.new_item()

    def _row_changed(self, current, _previous) -> None:
        item = self.model.item(current.row()) if current.isValid() else None
        if item is None:
            return
        self.editing_id = item.id
        self.title.setText(item.title)
        self.text.setText(item.text)
        self.instead.setText(item.instead)
        self.note.setText(item.note)
        name = item.title or self.tr("Phrase %1").replace("%1", str(current.row() + 1))
        if self.details.isChecked():
            name += f" [{item.id}]"
        self.state.setText({"default": self.tr("%1 — as shipped"),
                            "edited": self.tr("%1 — changed by a manager"),
                            "added": self.tr("%1 — added by a manager")}[item.state]
                           .replace("%1", name))
        self.message.clear()

    def new_item(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        for f in (self.title, self.text, self.instead, self.note):
            f.clear()
        self.state.setText(self.tr("New phrase in “%1”").replace("%1", self.section.currentText()))
        self.message.clear()
        self.text.setFocus()

    def save(self) -> bool:
        fields = dict(text=self.text.text(), instead=self.instead.text(), note=self.note.text(),
                      title=self.title.text(), lang=self.lang)
        try:
            if self.editing_id is None:
                item = phrases.add_item(self.db, self.actor, self.current_section(), **fields)
            else:
                item = phrases.edit_item(self.db, self.actor, self.editing_id, **fields)
        except CounterDeskError as exc:
            self.show_error(exc)
            return False
        self.reload(keep=item.id)
        self.show_done(self.tr("Saved. Every window of the hall sees the change."))
        return True

    def remove(self) -> bool:
        if self.editing_id is None:
            return False
        try:
            phrases.remove_item(self.db, self.actor, self.editing_id, self.lang)
        except CounterDeskError as exc:
            self.show_error(exc)
            return False
        self.reload()
        self.show_done(self.tr("Removed."))
        return True

    def restore_item(self) -> bool:
        if self.editing_id is None:
            return False
        try:
            n = phrases.restore_defaults(self.db, self.actor, self.editing_id, self.lang)
        except CounterDeskError as exc:
            self.show_error(exc)
            return False
        self.reload(keep=self.editing_id)
        self.show_done(self.tr("Restored as shipped.") if n else
                       self.tr("This item was not changed."))
        return True

    def restore_all(self) -> bool:
        if not self.confirm(self.tr("Undo every change to the service phrases of this hall "
                                    "and go back to the shipped phrases?")):
            return False
        try:
            n = phrases.restore_defaults(self.db, self.actor, None, self.lang)
        except CounterDeskError as exc:
            self.show_error(exc)
            return False
        self.reload()
        self.show_done(self.tr("All defaults restored (%1 changes undone).").replace("%1", str(n)))
        return True

    def keyPressEvent(self, event):  # noqa: N802 - Qt name
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            return  # Enter in a field saves; never closes the dialog by accident
        super().keyPressEvent(event)
