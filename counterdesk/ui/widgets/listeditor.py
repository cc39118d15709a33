"""The manager's list-and-form dialogs (hall rules, staff accounts): one read-only table
of plain rows with one row selected, the form under it, the message line (the field at
fault focused, :mod:`.fieldmessages`), the action buttons and Close. Enter never closes
the dialog.

Reading the rows and every change go through :mod:`.jobs`: the service runs on a worker
thread, the action buttons are disabled meanwhile, and a change answers with the rows
read again in the same job (the changed row stays selected).

    class PolicyScreen(ListEditorDialog):
        def __init__(self, db, actor, parent=None):
            super().__init__(db, actor, PolicyModel(), parent)
            ...                                   # the form's fields
            self.lay_out([form], [self.save_button, self.default_button])
            self.reload()

        def fetch(self):                          # worker thread: plain data only
            return policy.rows(self.db, self.actor.hall_id)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .fieldmessages import FieldMessages, message_label
from .jobs import Job, Jobs
from .tablemodel import RowsModel


class ListEditorDialog(QDialog, FieldMessages):
    """Subclasses give :meth:`fetch` and :meth:`key_of`, build their form and call
    :meth:`lay_out`; their actions call :meth:`change`."""

    def __init__(self, db, actor, model: RowsModel, parent=None):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.model = model
        model.setParent(self)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.message = message_label()
        self.fields: dict[str, QWidget] = {}
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        self.jobs: Jobs | None = None

    def lay_out(self, middle: list[QWidget | QLayout], buttons: list[QPushButton]) -> None:
        """Table, ``middle`` (hint, form…), the message line, ``buttons`` … Close."""
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        for part in middle:
            if isinstance(part, QLayout):
                lay.addLayout(part)
            else:
                lay.addWidget(part)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        for b in buttons:
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.jobs = Jobs(self, busy=list(buttons))

    # -- what a subclass gives ------------------------------------------------------------
    def fetch(self) -> list:  # pragma: no cover - every subclass defines it
        """Worker thread: the rows (plain data; no widgets here)."""
        raise NotImplementedError

    def key_of(self, row) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _row_changed(self, current, previous) -> None:
        """The selection moved: a subclass fills its form."""

    # -- rows -----------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> Job:
        return self.jobs.run(self.fetch, on_done=lambda rows: self._show_rows(rows, keep),
                             on_error=self.refused)

    def _show_rows(self, rows: list, keep: str | None) -> None:
        self.model.set_rows(rows)
        if keep is not None:
            n = next((i for i, r in enumerate(rows) if self.key_of(r) == keep), None)
            if n is not None:
                self.table.selectRow(n)
        self.rows_shown()

    def rows_shown(self) -> None:
        """After the rows are shown (e.g. select the first one)."""

    def selected(self):
        idx = self.table.currentIndex()
        if not idx.isValid() or not self.table.selectionModel().isRowSelected(idx.row()):
            return None
        return self.model.rows[idx.row()]

    # -- changes ---------------------------------------------------------------------------
    def change(self, fn: Callable, *args, done: Callable[[object], str],
               keep: str | None = None) -> Job:
        """``fn(db, actor, *args)`` off the GUI thread, then the rows read again; the row
        ``keep`` (else the result's, ``key_of``) stays selected, ``done(result)`` shown."""
        def work():
            result = fn(self.db, self.actor, *args)
            return result, self.fetch()

        def changed(outcome) -> None:
            result, rows = outcome
            self._show_rows(rows, keep if keep is not None else self.key_of(result))
            self.show_done(done(result))

        return self.jobs.run(work, on_done=changed, on_error=self.refused)

    def refused(self, exc: BaseException) -> None:
        self.show_refusal(exc)

    def keyPressEvent(self, event):  # noqa: N802 - Qt name
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            return  # never closes the dialog by accident
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        if self.jobs is not None:
            self.jobs.wait(10)   # a change under way ends before the dialog goes
        super().done(result)
