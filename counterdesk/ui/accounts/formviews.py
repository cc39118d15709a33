"""The account forms' widgets (no data access, no decisions): opening (开户), transfer
(过户), rename (更名), close (销户). Each is a dialog of fields with an error label under
each, a message line and Save / Cancel; the controllers are in :mod:`.forms`.
Keyboard only: Tab moves between fields, Space ticks a document, Ctrl+Return saves,
Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ... import accounts, i18n
from ..widgets.fit import scrolled_hint

ERROR_STYLE = "color: #c0392b;"
WARN_STYLE = "color: #8a6d00; background: #fff3cd; padding: 4px;"


def _pick(pair) -> str:
    return i18n.pick(*pair)


class _FormView(QDialog):
    """Common layout: a message line, a form of fields with an error label under each."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edits: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.form = QFormLayout()
        self.docs: dict[str, QCheckBox] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setObjectName("save")
        self.buttons.rejected.connect(self.reject)
        self._docs_box = QGroupBox(self.tr("Documents checked"))
        self._docs_grid = QGridLayout(self._docs_box)
        self.doc_columns = 2
        # Issue 18.3: the fields scroll (sections side by side, see add_column); the message
        # and the buttons stay visible; the dialog fits 1366×700 whatever errors are shown.
        body = QWidget()
        self.columns = QHBoxLayout(body)
        self.columns.setContentsMargins(0, 0, 0, 0)
        first = QVBoxLayout()
        first.addLayout(self.form)
        first.addWidget(self._docs_box)
        first.addStretch(1)
        self.columns.addLayout(first, 1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("form_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.scroll, 1)
        self.extra = QHBoxLayout()
        lay.addLayout(self.extra)
        lay.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save_button.click)

    def add_column(self) -> None:
        """The fields added from now on go into a new column to the right."""
        self.form = QFormLayout()
        col = QVBoxLayout()
        col.addLayout(self.form)
        col.addStretch(1)
        self.columns.addLayout(col, 1)

    def sizeHint(self):  # noqa: N802 - Qt name: all fields shown when the screen allows
        return scrolled_hint(self, super().sizeHint(), self.scroll)

    def showEvent(self, event):  # noqa: N802 - Qt name: sized once polished (real fonts)
        if not getattr(self, "_sized", False):
            self._sized = True
            self.scroll.widget().layout().activate()
            self.layout().activate()
            self.resize(self.sizeHint())
        super().showEvent(event)

    def keyPressEvent(self, event):  # noqa: N802 - Qt name
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and \
                event.modifiers() & Qt.ControlModifier:
            self.save_button.click()
            return
        super().keyPressEvent(event)

    def add_line(self, field: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(field)
        edit.setPlaceholderText(placeholder)
        return self._add(field, label, edit)

    def add_combo(self, field: str, label: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(field)
        for value, text in items:
            combo.addItem(text, value)
        return self._add(field, label, combo)

    def set_choices(self, field: str, items: list[tuple[str, str]]) -> None:
        """Replace a combo's items, keeping the chosen value when it is still offered."""
        combo = self.edits[field]
        assert isinstance(combo, QComboBox)  # set_choices is for the add_combo fields
        current = combo.currentData()
        combo.clear()
        for value, text in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def _add(self, field: str, label: str, widget: QWidget):
        err = QLabel()
        err.setObjectName("err_" + field)
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(widget)
        v.addWidget(err)
        self.form.addRow(label, box)
        self.edits[field] = widget
        self.errors[field] = err
        return widget

    def add_documents(self, codes) -> None:
        for i, code in enumerate(codes):
            cb = QCheckBox(_pick(accounts.DOCUMENTS[code]))
            cb.setObjectName("doc_" + code)
            self.docs[code] = cb
            self._docs_grid.addWidget(cb, i // self.doc_columns, i % self.doc_columns)
        err = QLabel()
        err.setObjectName("err_documents")
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self._docs_grid.addWidget(err, 99, 0, 1, 2)
        self.errors["documents"] = err

    # -- state ----------------------------------------------------------------------------
    def value(self, field: str):
        w = self.edits[field]
        if isinstance(w, QComboBox):
            return w.currentData()
        return w.text()

    def set_error(self, field: str | None, text: str) -> None:
        label = self.errors.get(field or "")
        if label is None:
            self.show_message(text, error=True)
            return
        label.setText(text)
        label.setVisible(bool(text))

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.message.hide()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else WARN_STYLE)
        self.message.setVisible(bool(text))

    def checked_documents(self) -> list[str]:
        return [c for c, cb in self.docs.items() if cb.isChecked()]


class OpeningFormView(_FormView):
    TEXT_FIELDS = ("name", "id_number", "phone", "district", "street", "community",
                   "building", "unit", "room", "address_text", "meter_no", "meter_type",
                   "supply_contract_no", "supply_contract_date", "safety_contract_no",
                   "safety_contract_date")

    def __init__(self, parent=None):
        super().__init__(self.tr("Open an account"), parent)
        self.setObjectName("opening_form")
        self.add_combo("kind", self.tr("Holder"), [("person", self.tr("Person")),
                                                  ("organisation", self.tr("Organisation"))])
        self.add_line("name", self.tr("Name"))
        self.add_combo("id_type", self.tr("ID type"),
                       [(k, _pick(v)) for k, v in accounts.V.ID_TYPE_NAMES.items()])
        self.add_line("id_number", self.tr("ID number"))
        self.add_line("phone", self.tr("Phone"), "13812345678 / 0571-87654321")
        # the usual types until the hall's arrive (OpeningController, accounts.customer_types)
        self.add_combo("customer_type", self.tr("Customer type"),
                       accounts.types.DEFAULT.choices())
        self.groups: dict[str, QCheckBox] = {}
        row = QGridLayout()
        for i, (code, names) in enumerate(accounts.SPECIAL_GROUP_NAMES.items()):
            cb = QCheckBox(_pick(names))
            cb.setObjectName("group_" + code)
            self.groups[code] = cb
            row.addWidget(cb, i // 3, i % 3)
        holder = QWidget()
        holder.setLayout(row)
        self.form.addRow(self.tr("Special group"), holder)
        self.doc_columns = 1
        self.add_documents(["id_card", "property", "business_licence", "agent_authorisation",
                            "supply_contract", "safety_contract"])
        self.add_column()  # the address, the meter and the contracts side by side
        for f, label in (("district", self.tr("District")), ("street", self.tr("Street")),
                         ("community", self.tr("Community")),
                         ("building", self.tr("Building")), ("unit", self.tr("Unit")),
                         ("room", self.tr("Room")), ("address_text", self.tr("Address note")),
                         ("meter_no", self.tr("Meter number")),
                         ("meter_type", self.tr("Meter type")),
                         ("supply_contract_no", self.tr("Supply contract no.")),
                         ("supply_contract_date", self.tr("Supply contract date")),
                         ("safety_contract_no", self.tr("Safety contract no.")),
                         ("safety_contract_date", self.tr("Safety contract date"))):
            self.add_line(f, label, "2026-11-22" if f.endswith("_date") else "")
        self.pay_button = QPushButton()
        self.pay_button.hide()


class TransferFormView(_FormView):
    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Transfer account %1").replace("%1", account_no), parent)
        self.setObjectName("transfer_form")
        self.account_no = account_no
        self.add_combo("reason", self.tr("Reason"),
                       [(k, _pick(v)) for k, v in accounts.TRANSFER_REASONS.items()])
        self.add_combo("kind", self.tr("New holder"),
                       [("person", self.tr("Person")), ("organisation", self.tr("Organisation"))])
        self.add_line("name", self.tr("New holder's name"))
        self.add_combo("id_type", self.tr("ID type"),
                       [(k, _pick(v)) for k, v in accounts.V.ID_TYPE_NAMES.items()])
        self.add_line("id_number", self.tr("ID number"))
        self.add_line("phone", self.tr("Phone"))
        self.add_line("note", self.tr("Note"))
        self.add_documents(["old_holder_id", "new_holder_id", "sale_contract",
                            "inheritance_proof", "gift_contract", "court_ruling",
                            "agent_authorisation"])
        self.pay_button = QPushButton(self.tr("Go to payment"))
        self.pay_button.setObjectName("go_to_payment")
        self.pay_button.hide()
        self.extra.addWidget(self.pay_button)


class RenameFormView(_FormView):
    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Rename account %1").replace("%1", account_no), parent)
        self.setObjectName("rename_form")
        self.account_no = account_no
        self.add_line("new_name", self.tr("Corrected name"))
        self.add_line("phone", self.tr("Phone (if changed)"))
        self.add_line("note", self.tr("Note"))
        self.add_documents(["id_card", "name_change_proof", "agent_authorisation"])
        self.pay_button = QPushButton(self.tr("Go to payment"))
        self.pay_button.setObjectName("go_to_payment")
        self.pay_button.hide()
        self.extra.addWidget(self.pay_button)


class CloseFormView(_FormView):
    def __init__(self, account_no: str, parent=None):
        super().__init__(self.tr("Close account %1").replace("%1", account_no), parent)
        self.setObjectName("close_form")
        self.account_no = account_no
        self.add_line("final_reading", self.tr("Final meter reading"))
        self.add_line("note", self.tr("Note"))
        self.add_documents(["id_card", "final_reading", "meter_removal", "agent_authorisation"])
        self.pay_button = QPushButton(self.tr("Go to payment"))
        self.pay_button.setObjectName("go_to_payment")
        self.pay_button.hide()
        self.extra.addWidget(self.pay_button)
