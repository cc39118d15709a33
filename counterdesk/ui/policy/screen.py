"""The manager's hall policy screen (管理 → 营业厅规则): every rule with its label, current
value, unit and default; select one, type the new value, Enter saves.

All checks (manager only, type and range) are :func:`counterdesk.policy.set`'s; a refusal is
shown under the field, nothing changed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
)

from ... import accounts, i18n, policy
from ...errors import CounterDeskError
from ..widgets.jobs import Job
from ..widgets.listeditor import ListEditorDialog
from ..widgets.tablemodel import RowsModel


def value_text(row: policy.PolicyRow, value) -> str:
    if row.kind == "bool":
        return i18n.pick("是", "yes") if value else i18n.pick("否", "no")
    if row.kind == "types":  # the names in the user's language; the codes are in the editor
        return accounts.types.parse_text(str(value)).labels_text()
    return str(value)


class PolicyModel(RowsModel):
    def headers(self):
        return [self.tr("Rule"), self.tr("Value"), self.tr("Unit"), self.tr("Default"),
                self.tr("Key")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row: policy.PolicyRow = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return [i18n.pick(row.zh, row.en), value_text(row, row.value),
                    policy.unit_label(row.unit),
                    value_text(row, row.default), row.key][index.column()]
        if role == Qt.ForegroundRole and index.column() == 1 and not row.is_default:
            return QColor("#1565c0")
        if role == Qt.ToolTipRole and row.changed_by:
            return self.tr("Changed by %1").replace("%1", row.changed_by)
        return None


class PolicyScreen(ListEditorDialog):
    """A manager edits the hall's rules; every change is audited with old and new value."""

    def __init__(self, db, actor, parent=None):
        super().__init__(db, actor, PolicyModel(), parent)
        self.setWindowTitle(self.tr("Hall rules"))
        self.resize(820, 600)
        self.table.setObjectName("policy")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.activated.connect(lambda _i: self.value.setFocus())  # Enter on a row

        self.rule = QLabel()
        self.rule.setObjectName("rule")
        self.value = QLineEdit()
        self.value.setObjectName("value")
        self.value.setMaxLength(400)
        self.value.returnPressed.connect(self.save)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("Rule"), self.rule)
        form.addRow(self.tr("New value"), self.value)
        form.addRow("", self.hint)
        self.fields = {"key": self.table}

        self.save_button = QPushButton(self.tr("&Save"))
        self.default_button = QPushButton(self.tr("Back to &default"))
        self.lay_out([form], [self.save_button, self.default_button])
        self.save_button.clicked.connect(self.save)
        self.default_button.clicked.connect(self.to_default)
        QShortcut(QKeySequence("F2"), self, activated=self.value.setFocus)
        self.table.setFocus()
        self.reload()

    def fetch(self) -> list[policy.PolicyRow]:
        return policy.rows(self.db, self.actor.hall_id)

    def key_of(self, row: policy.PolicyRow) -> str:
        return row.key

    def rows_shown(self) -> None:
        if self.model.rows and self.selected() is None:
            self.table.selectRow(0)

    def _row_changed(self, current, _previous) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.rule.setText("" if row is None else i18n.pick(f"{row.zh}（{row.key}）",
                                                             f"{row.en} ({row.key})"))
        self.value.setText("" if row is None else policy.to_text(policy.BY_KEY[row.key],
                                                                 row.value))
        self.hint.setText("" if row is None else self._hint(row))
        self.fields = {"key": self.table, "value": self.value}
        if row is not None:
            self.fields[row.key] = self.value
        self.message.clear()

    def _hint(self, row: policy.PolicyRow) -> str:
        if row.kind == "int":
            unit = policy.unit_label(row.unit)
            return self.tr("A whole number from %1 to %2").replace("%1", str(row.minimum)) \
                .replace("%2", str(row.maximum)) + (f" {unit}" if unit else "")
        if row.kind == "bool":
            return self.tr("true or false (yes/no)")
        if row.kind == "time":
            return self.tr("A time HH:MM, e.g. 08:30")
        if row.kind == "types":
            return self.tr("code=name, separated by commas; a new code is 2-16 letters a-z or _; "
                           "a type still in use cannot be removed, only renamed")
        if row.kind == "dates":
            return self.tr("Dates or ranges separated by commas, e.g. 2027-01-01, "
                           "2027-02-06..2027-02-12")
        return self.tr("Text, at most %1 characters").replace("%1", str(row.maximum))

    def _apply(self, text: str) -> Job | None:
        row = self.selected()
        if row is None:
            self.show_error(CounterDeskError("请先在列表中选中一项规则", "Select a rule first",
                                             field="key"))
            return None
        return self.change(policy.set, row.key, text, done=lambda new: self.tr(
            "Saved: %1 = %2").replace("%1", i18n.pick(new.zh, new.en))
            .replace("%2", value_text(new, new.value)))

    def save(self) -> Job | None:
        return self._apply(self.value.text())

    def to_default(self) -> Job | None:
        row = self.selected()
        if row is None:
            return self._apply("")
        return self._apply(policy.to_text(policy.BY_KEY[row.key], row.default))
