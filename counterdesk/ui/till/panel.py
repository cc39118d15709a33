"""The clerk's till tab (Ctrl+Shift+T): open with the float counted by denomination,
cash in / out with a manager's approval, the X report on the receipt printer, the
blind count (the expected amount appears only after the count is submitted), the close
with an explanation, and the manager's countersign.

The view holds widgets; :class:`TillPanel` calls :mod:`counterdesk.cash`. Nothing here
computes money: the expected cash and the difference come from the service, and only
from the result of the count.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import cash, money
from ...errors import CounterDeskError
from ...staff import Approval
from ..widgets.approval import ApprovalFields
from ..widgets.tablemodel import RowsModel

log = logging.getLogger(__name__)


# -- table models ------------------------------------------------------------------------
class DenominationModel(QAbstractTableModel):
    """The counting grid: denomination, count (editable, whole numbers ≥ 0), amount."""

    COLS = 3
    refused = Signal(str)        # a count that is not a whole number ≥ 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = cash.denominations()
        self.values = [0] * len(self.rows)
        self.error = ""

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.COLS

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        return [self.tr("Denomination"), self.tr("Count"), self.tr("Amount")][section]

    def flags(self, index):
        f = super().flags(index)
        return f | Qt.ItemIsEditable if index.column() == 1 else f

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.TextAlignmentRole and c > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role not in (Qt.DisplayRole, Qt.EditRole):
            return None
        if c == 0:
            return self.rows[r]["label"]
        if c == 1:
            return str(self.values[r])
        return money.fmt(self.values[r] * self.rows[r]["value_fen"])

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or index.column() != 1:
            return False
        text = str(value).strip()
        if not text.isdigit():        # negative, fractional or not a number: refused
            self.error = self.tr("Counts are whole numbers, 0 or more.")
            self.refused.emit(self.error)
            return False
        self.error = ""
        self.values[index.row()] = int(text)
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 2))
        return True

    def counts(self) -> dict[str, int]:
        return {r["code"]: v for r, v in zip(self.rows, self.values) if v}

    def total_fen(self) -> int:
        return sum(r["value_fen"] * v for r, v in zip(self.rows, self.values))

    def clear(self) -> None:
        self.beginResetModel()
        self.values = [0] * len(self.rows)
        self.endResetModel()


class MovementModel(RowsModel):

    def headers(self):
        return [self.tr("Time"), self.tr("In/out"), self.tr("Amount"), self.tr("Reason"),
                self.tr("Approved by")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        m = self.rows[index.row()]
        return [m["at"][11:16], self.tr("In") if m["direction"] == "in" else self.tr("Out"),
                money.fmt(m["amount_fen"]), m["reason"], m["approved_by"]][index.column()]


class CountGrid(QTableView):
    """The counting grid, keyboard-first: type a count, Enter goes to the next row."""

    def closeEditor(self, editor, hint):
        super().closeEditor(editor, hint)
        if hint in (QAbstractItemDelegate.EndEditHint.NoHint,
                    QAbstractItemDelegate.EndEditHint.SubmitModelCache):
            cur = self.currentIndex()
            if cur.isValid() and cur.row() + 1 < self.model().rowCount():
                self.setCurrentIndex(self.model().index(cur.row() + 1, 1))


# -- dialogs -----------------------------------------------------------------------------
class MovementDialog(QDialog):
    """Cash in or out: direction, amount, reason, manager's approval."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cash in / out"))
        form = QFormLayout(self)
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItem(self.tr("Cash out (e.g. to the safe)"), "out")
        self.direction.addItem(self.tr("Cash in (e.g. more change)"), "in")
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText("0.00")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow(self.tr("Direction"), self.direction)
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        self.auth = ApprovalFields(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {"direction": self.direction.currentData(), "amount": self.amount.text(),
                "reason": self.reason.text(), "approval": self.auth.approval()}


class CountersignDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Manager's countersign"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("The manager checks the count and signs with their "
                                   "staff number and password.")))
        self.auth = ApprovalFields(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


# -- the panel ---------------------------------------------------------------------------
class TillPanelView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("till_panel")
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("till_status")
        f = self.status.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.status.setFont(f)
        lay.addWidget(self.status)
        self.hint = QLabel()
        self.hint.setObjectName("till_hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)

        row = QHBoxLayout()
        self.grid_box = QGroupBox(self.tr("Count by denomination"))
        gl = QVBoxLayout(self.grid_box)
        self.grid_model = DenominationModel(self)
        self.grid = CountGrid()
        self.grid.setObjectName("count_grid")
        self.grid.setModel(self.grid_model)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.grid.verticalHeader().hide()
        self.grid.setEditTriggers(QTableView.AllEditTriggers)
        gl.addWidget(self.grid)
        self.total = QLabel()
        self.total.setObjectName("count_total")
        gl.addWidget(self.total)
        row.addWidget(self.grid_box, 3)

        side = QVBoxLayout()
        self.noncash_box = QGroupBox(self.tr("Non-cash totals from the terminal slips"))
        nf = QFormLayout(self.noncash_box)
        self.noncash = {}
        for m, label in (("card", self.tr("Bank card")), ("qr", self.tr("QR code")),
                         ("cheque", self.tr("Cheque"))):
            e = QLineEdit()
            e.setObjectName(f"noncash_{m}")
            e.setPlaceholderText("0.00")
            self.noncash[m] = e
            nf.addRow(label, e)
        side.addWidget(self.noncash_box)
        self.result = QLabel()
        self.result.setObjectName("count_result")
        self.result.setWordWrap(True)
        side.addWidget(self.result)
        self.explanation = QPlainTextEdit()
        self.explanation.setObjectName("explanation")
        self.explanation.setPlaceholderText(self.tr("Explanation of the difference"))
        self.explanation.setMaximumHeight(70)
        side.addWidget(self.explanation)
        side.addStretch(1)
        row.addLayout(side, 2)
        lay.addLayout(row, 1)

        buttons = QHBoxLayout()
        self.btn_open = QPushButton(self.tr("&Open till with this float"))
        self.btn_count = QPushButton(self.tr("&Submit the blind count"))
        self.btn_close = QPushButton(self.tr("&Close till"))
        self.btn_countersign = QPushButton(self.tr("Counter&sign…"))
        self.btn_move = QPushButton(self.tr("Cash &in/out…"))
        self.btn_x = QPushButton(self.tr("Print &X report"))
        for b in (self.btn_open, self.btn_count, self.btn_close, self.btn_countersign,
                  self.btn_move, self.btn_x):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.movements_model = MovementModel(self)
        self.movements = QTableView()
        self.movements.setObjectName("movements")
        self.movements.setModel(self.movements_model)
        self.movements.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.movements.setMaximumHeight(120)
        lay.addWidget(self.movements)
        self.message = QLabel()
        self.message.setObjectName("till_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        lay.addWidget(self.message)


class TillPanel(TillPanelView):
    """Controller: the till through the cash service."""

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.tab_title = self.tr("Till")
        self.bench = bench
        self.db = bench.db
        self.actor = bench.actor
        self.info: cash.TillInfo | None = None
        self.last_count: cash.CountResult | None = None
        self.last_x: bytes | None = None
        self.grid_model.dataChanged.connect(self._grid_changed)
        self.grid_model.refused.connect(self._say)
        self.btn_open.clicked.connect(self.open_till)
        self.btn_count.clicked.connect(self.submit_count)
        self.btn_close.clicked.connect(self.close_till)
        self.btn_countersign.clicked.connect(self.ask_countersign)
        self.btn_move.clicked.connect(self.ask_movement)
        self.btn_x.clicked.connect(self.print_x)
        self.refresh()

    # -- state --------------------------------------------------------------------------
    def _say(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _grid_changed(self, *args) -> None:
        self.total.setText(self.tr("Total: %1 yuan").replace(
            "%1", money.fmt(self.grid_model.total_fen())))
        if self.grid_model.error:
            self._say(self.grid_model.error)

    def refresh(self) -> None:
        try:
            self.info = cash.till_status(self.db, self.actor,
                                         cash_settings=self.bench.settings.cash)
        except CounterDeskError as exc:
            self._say(exc.message)
            return
        st = self.info.status if self.info else None
        self.btn_open.setVisible(st is None)
        self.btn_count.setVisible(st == "open")
        self.noncash_box.setVisible(st == "open")
        self.btn_close.setVisible(st == "counted")
        self.explanation.setVisible(st == "counted")
        self.btn_countersign.setVisible(st == "submitted")
        self.btn_move.setEnabled(st == "open")
        self.btn_x.setEnabled(st is not None)
        self.grid.setEnabled(st in (None, "open"))
        if st is None:
            self.status.setText(self.tr("No till open today"))
            self.hint.setText(self.tr("Count the float (备用金) by denomination, then open "
                                      "the till."))
            self.movements_model.set_rows([])
        else:
            self.status.setText(self.tr("Till %1 — float %2 yuan — %3").replace(
                "%1", self.info.business_day).replace("%2", money.fmt(self.info.float_fen))
                .replace("%3", self.info.status_name))
            self.movements_model.set_rows([m.to_dict() if hasattr(m, "to_dict") else m
                                           for m in self.info.movements])
            if st == "open":
                self.hint.setText(self.tr("At the end of the day count the cash by "
                                          "denomination and type the non-cash totals. The "
                                          "expected amount is shown only after you submit."))
            elif st == "counted":
                self.hint.setText(self.tr("Counted. Close the till (explain any difference "
                                          "above the limit)."))
            elif st == "submitted":
                self.hint.setText(self.tr("Closed: waiting for the manager's countersign."))
            else:
                self.hint.setText(self.tr("Countersigned by %1.").replace(
                    "%1", self.info.countersigned_by or ""))
            if st != "open" and self.last_count is None:
                self._show_result(self.info.counted_fen, self.info.expected_fen,
                                  self.info.difference_fen)
        self._grid_changed()

    def _show_result(self, counted, expected, difference) -> None:
        if counted is None or expected is None:
            self.result.setText("")
            return
        kind = (self.tr("over") if difference > 0 else self.tr("short") if difference < 0
                else self.tr("balanced"))
        self.result.setText(self.tr("Counted %1, expected %2: %3 %4").replace(
            "%1", money.fmt(counted)).replace("%2", money.fmt(expected)).replace(
            "%3", kind).replace("%4", money.fmt(abs(difference))))

    # -- actions ------------------------------------------------------------------------
    def open_till(self) -> None:
        try:
            cash.open_till(self.db, self.actor, self.grid_model.counts(),
                           cash_settings=self.bench.settings.cash)
        except CounterDeskError as exc:
            self._say(exc.message)
            return
        self.grid_model.clear()
        self._say(self.tr("Till opened."), error=False)
        self.refresh()

    def _noncash(self) -> dict[str, int]:
        out = {}
        for m, e in self.noncash.items():
            if e.text().strip():
                out[m] = money.parse_yuan(e.text(), field=m)
        return out

    def submit_count(self) -> None:
        try:
            res = cash.count_till(self.db, self.actor, self.grid_model.counts(),
                                  noncash=self._noncash(),
                                  cash_settings=self.bench.settings.cash)
        except CounterDeskError as exc:
            self._say(exc.message)
            return
        self.last_count = res
        self._show_result(res.counted_fen, res.expected_fen, res.difference_fen)
        diffs = [f"{cash.METHOD_NAMES[m]} {money.fmt(v['difference_fen'])}"
                 for m, v in res.noncash.items() if v["difference_fen"]]
        if diffs:
            self.result.setText(self.result.text() + "\n" + self.tr("Non-cash differences: %1")
                                .replace("%1", ", ".join(diffs)))
        self._say(self.tr("An explanation is required.") if res.explanation_required
                  else self.tr("Count submitted."), error=res.explanation_required)
        self.refresh()
        self.explanation.setFocus()

    def close_till(self) -> None:
        try:
            cash.close_till(self.db, self.actor, self.explanation.toPlainText(),
                            cash_settings=self.bench.settings.cash)
        except CounterDeskError as exc:
            self._say(exc.message)
            self.explanation.setFocus()
            return
        self._say(self.tr("Till closed: ask the manager to countersign."), error=False)
        self.refresh()

    def countersign(self, approval: Approval | None) -> bool:
        try:
            cash.countersign(self.db, self.actor, approval,
                             cash_settings=self.bench.settings.cash)
        except CounterDeskError as exc:
            self._say(exc.message)
            return False
        self._say(self.tr("Countersigned."), error=False)
        self.refresh()
        return True

    def ask_countersign(self) -> None:
        dlg = CountersignDialog(self)
        if dlg.exec() == QDialog.Accepted:
            self.countersign(dlg.auth.approval())

    def move(self, direction: str, amount: str, reason: str, approval: Approval | None) -> bool:
        try:
            fen = money.parse_yuan(amount, field="amount", allow_zero=False)
            cash.move_cash(self.db, self.actor, direction, fen, reason, approval)
        except CounterDeskError as exc:
            self._say(exc.message)
            return False
        self._say(self.tr("Cash movement recorded."), error=False)
        self.refresh()
        return True

    def ask_movement(self) -> None:
        dlg = MovementDialog(self)
        if dlg.exec() == QDialog.Accepted:
            v = dlg.values()
            self.move(v["direction"], v["amount"], v["reason"], v["approval"])

    def print_x(self) -> bytes | None:
        from ...print import escpos_doc, printers, till_report

        p = self.bench.settings.printer
        try:
            x = cash.x_report(self.db, self.actor)
            data = till_report.x_escpos(x, escpos_doc.columns_for(p.width, p.dots))
            self.last_x = data
            if not p.uri:
                self._say(self.tr("No receipt printer is set up."))
                return data
            printers.send(p.uri, data, timeout=p.timeout)
        except CounterDeskError as exc:
            self._say(exc.message)
            return None
        self._say(self.tr("X report printed."), error=False)
        return data

    # -- main window ----------------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        act = QAction(self.tr("Till"), mainwindow)
        act.setShortcut(QKeySequence("Ctrl+Shift+T"))
        act.setShortcutContext(Qt.ApplicationShortcut)
        act.triggered.connect(lambda: self._focus(mainwindow))
        mainwindow.menu_business.addAction(act)
        self.action_till = act
        close = QAction(self.tr("Day close (manager)…"), mainwindow)
        close.triggered.connect(lambda: self.open_day_close(mainwindow))
        close.setEnabled(self.actor.is_manager)
        mainwindow.menu_manage.addAction(close)
        self.action_day_close = close

    def _focus(self, mainwindow) -> None:
        mainwindow.business.setCurrentWidget(self)
        self.refresh()
        self.grid.setFocus()
        self.grid.setCurrentIndex(self.grid_model.index(0, 1))

    def open_day_close(self, parent=None):
        from ..dayclose.dialog import DayCloseDialog

        dlg = DayCloseDialog(self.bench, parent or self)
        dlg.open()
        return dlg

    def shutdown(self) -> None:
        pass


def create(bench, parent=None) -> TillPanel:
    return TillPanel(bench, parent)
