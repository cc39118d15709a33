"""The manager's editor of the service phrases (controller): change, add, remove, restore
defaults. The widgets are :class:`~.editor_view.PhraseEditorView`'s.

Every change goes through :mod:`counterdesk.phrases` (validation, permission, audit) off
the GUI thread (``widgets.jobs``): while one runs the buttons are disabled and the state
line says "Working…"; a refusal is shown under the fields with the field at fault focused.
Each action returns its job (None when refused at once or while another runs); its
``finished`` comes before the list is read again (tests wait until ``jobs.busy`` ends).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox

from ... import i18n, phrases
from ...errors import CounterDeskError
from ..widgets.fieldmessages import FieldMessages
from ..widgets.jobs import Job, Jobs, message
from .editor_view import PhraseEditorView
from .models import PhraseTableModel

__all__ = ["PhraseEditor", "PhraseEditorView"]


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
        self.jobs = Jobs(self, busy=[self.new_button, self.save_button, self.remove_button,
                                     self.restore_button, self.restore_all_button])
        self.jobs.busy_changed.connect(self._busy)
        self.reload()

    # confirmation is a method so tests can answer it without a modal box
    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.windowTitle(), text) == QMessageBox.Yes

    def reload(self, keep: str | None = None, done: str = "") -> Job:
        """Read the hall's phrases (off the GUI thread); then show them, keeping the item
        ``keep`` selected and the line ``done`` under the fields."""
        return self.jobs.run(phrases.load, self.db, self.actor.hall_code, self.lang,
                             on_done=lambda cat: self._loaded(cat, keep, done),
                             on_error=self._refused)

    def _loaded(self, cat: phrases.Catalogue, keep: str | None, done: str) -> None:
        key = self.current_section()
        self.catalogue = cat
        self.section.blockSignals(True)
        self.section.clear()
        for sec in self.catalogue.sections:
            self.section.addItem(sec.title, sec.key)
        idx = max(0, self.section.findData(key)) if key else 0
        self.section.setCurrentIndex(idx)
        self.section.blockSignals(False)
        self._section_changed(idx, keep)
        if done:
            self.show_done(done)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CounterDeskError):
            self.show_error(exc)
        else:   # a bug: logged, named
            self.message.setText(message(exc))

    def _busy(self, busy: bool) -> None:
        if busy:
            self._state_text = self.state.text()
            self.state.setText(self.tr("Working…"))
        elif self.state.text() == self.tr("Working…"):
            self.state.setText(getattr(self, "_state_text", ""))

    def _change(self, fn, *args, keep=None, done=None, **kwargs) -> Job | None:
        """Run a change off the GUI thread; then reload the list (keeping the item
        ``keep``, or with ``keep=True`` the item the service returns) and say ``done``
        (a line, or a function of the service's answer)."""
        if self.jobs.busy:
            return None

        def changed(value) -> None:
            said = done(value) if callable(done) else (done or "")
            self.reload(keep=getattr(value, "id", None) if keep is True else keep, done=said)

        return self.jobs.run(fn, *args, on_done=changed, on_error=self._refused, **kwargs)

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

    def save(self) -> Job | None:
        fields = dict(text=self.text.text(), instead=self.instead.text(), note=self.note.text(),
                      title=self.title.text(), lang=self.lang)
        saved = self.tr("Saved. Every window of the hall sees the change.")
        if self.editing_id is None:
            return self._change(phrases.add_item, self.db, self.actor, self.current_section(),
                                keep=True, done=saved, **fields)
        return self._change(phrases.edit_item, self.db, self.actor, self.editing_id,
                            keep=True, done=saved, **fields)

    def remove(self) -> Job | None:
        if self.editing_id is None:
            return None
        return self._change(phrases.remove_item, self.db, self.actor, self.editing_id,
                            self.lang, done=self.tr("Removed."))

    def restore_item(self) -> Job | None:
        if self.editing_id is None:
            return None
        return self._change(phrases.restore_defaults, self.db, self.actor, self.editing_id,
                            self.lang, keep=self.editing_id,
                            done=lambda n: self.tr("Restored as shipped.") if n else
                            self.tr("This item was not changed."))

    def restore_all(self) -> Job | None:
        if not self.confirm(self.tr("Undo every change to the service phrases of this hall "
                                    "and go back to the shipped phrases?")):
            return None
        return self._change(phrases.restore_defaults, self.db, self.actor, None, self.lang,
                            done=lambda n: self.tr("All defaults restored (%1 changes undone).")
                            .replace("%1", str(n)))

    def done(self, result: int) -> None:   # closed: let a change on its way end first
        self.jobs.wait(5.0)
        super().done(result)

    def keyPressEvent(self, event):  # noqa: N802 - Qt name
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            return  # Enter in a field saves; never closes the dialog by accident
        super().keyPressEvent(event)
