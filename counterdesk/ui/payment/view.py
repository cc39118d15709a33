"""The payment tab's widgets (no data access, no decisions) and the void dialog."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import billing, money
from ..widgets.approval import ApprovalDialog
from ..widgets.fieldmessages import message_label

METHODS = tuple(billing.METHODS)  # the one table of payment methods and their names


def _method_label(method: str) -> str:
    name = billing.method_name(method)
    return name[:1].upper() + name[1:]


def _big(label: QLabel, points: int = 26, colour: str = "#1a1a1a") -> QLabel:
    f = QFont(label.font())
    f.setPointSize(points)
    f.setBold(True)
    label.setFont(f)
    label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
    label.setStyleSheet(f"color: {colour};")
    return label


class PaymentPanelView(QWidget):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("payment_panel")
        self.tab_title = self.tr("Payment")
        amount_re = QRegularExpressionValidator(QRegularExpression(r"^\d{0,9}(\.\d{0,2})?$"))
        qty_re = QRegularExpressionValidator(QRegularExpression(r"^\d{0,9}(\.\d{0,3})?$"))

        # account
        self.account = QLineEdit()
        self.account.setObjectName("account")
        self.account.setPlaceholderText(self.tr("Account number (empty: walk-in)"))
        self.holder = QLabel()
        self.holder.setObjectName("holder")
        acc_row = QHBoxLayout()
        acc_row.addWidget(QLabel(self.tr("Account")))
        acc_row.addWidget(self.account, 1)
        acc_row.addWidget(self.holder, 2)

        # item picker: code and quantity only — there is no price field
        self.item = QLineEdit()
        self.item.setObjectName("item")
        self.item.setPlaceholderText(self.tr("Item code or name from the price list"))
        self.qty = QLineEdit("1")
        self.qty.setObjectName("qty")
        self.qty.setValidator(qty_re)
        self.qty.setMaximumWidth(110)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("add")
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("Item")))
        pick.addWidget(self.item, 3)
        pick.addWidget(QLabel(self.tr("Quantity")))
        pick.addWidget(self.qty)
        pick.addWidget(self.add_button)

        self.lines_view = QTableView()
        self.lines_view.setObjectName("lines")
        self.lines_view.setSelectionBehavior(QTableView.SelectRows)
        self.lines_view.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.bills_view = QTableView()
        self.bills_view.setObjectName("bills")
        self.bills_view.setSelectionBehavior(QTableView.SelectRows)
        self.bills_view.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        for view in (self.lines_view, self.bills_view):   # Tab leaves a table
            view.setTabKeyNavigation(False)
        self.bills_box = QGroupBox(self.tr("Open bills (Space ticks)"))
        QVBoxLayout(self.bills_box).addWidget(self.bills_view)

        # tender
        self.method = QComboBox()
        self.method.setObjectName("method")
        for m in METHODS:
            self.method.addItem(_method_label(m), m)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tendered")
        self.tendered.setValidator(amount_re)
        self.tendered.setPlaceholderText(self.tr("Cash handed over"))
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.cheque_no = QLineEdit()
        self.cheque_no.setObjectName("cheque_no")
        self.bank = QLineEdit()
        self.bank.setObjectName("bank")
        self.split_method = QComboBox()
        self.split_method.setObjectName("split_method")
        self.split_method.addItem(self.tr("No split"), "")
        for m in METHODS[1:]:
            self.split_method.addItem(_method_label(m), m)
        self.split_amount = QLineEdit()
        self.split_amount.setObjectName("split_amount")
        self.split_amount.setValidator(amount_re)
        self.split_reference = QLineEdit()
        self.split_reference.setObjectName("split_reference")
        form = QFormLayout()
        form.addRow(self.tr("Method"), self.method)
        form.addRow(self.tr("Tendered"), self.tendered)
        form.addRow(self.tr("Reference"), self.reference)
        form.addRow(self.tr("Cheque number"), self.cheque_no)
        form.addRow(self.tr("Bank"), self.bank)
        split = QHBoxLayout()
        split.addWidget(self.split_method)
        split.addWidget(self.split_amount)
        split.addWidget(self.split_reference)
        form.addRow(self.tr("Split: also"), split)

        # amounts, large (唱收唱付)
        self.due = _big(QLabel("0.00"), 30, "#a93226")
        self.due.setObjectName("due")
        self.tendered_big = _big(QLabel(""), 26)
        self.tendered_big.setObjectName("tendered_big")
        self.change = _big(QLabel(""), 30, "#1e8449")
        self.change.setObjectName("change")
        self._change_style = self.change.styleSheet()
        self.capitals = QLabel()
        self.capitals.setObjectName("capitals")
        amounts = QGridLayout()
        for row, (text, w) in enumerate(((self.tr("Amount due"), self.due),
                                         (self.tr("Tendered"), self.tendered_big),
                                         (self.tr("Change"), self.change))):
            cap = QLabel(text)
            f = QFont(cap.font())
            f.setPointSize(16)
            cap.setFont(f)
            amounts.addWidget(cap, row, 0)
            amounts.addWidget(w, row, 1)
        amounts.addWidget(self.capitals, 3, 0, 1, 2)

        self.take_button = QPushButton(self.tr("Take payment (Ctrl+Return)"))
        self.take_button.setObjectName("take")
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setObjectName("clear")
        self.pending_badge = QToolButton()
        self.pending_badge.setObjectName("pending_badge")
        self.pending_badge.setPopupMode(QToolButton.InstantPopup)
        self.pending_badge.setStyleSheet("color: white; background: #c0392b; padding: 4px;")
        self.pending_badge.hide()
        self.message = message_label()
        self.busy = QLabel(self.tr("Working…"))   # shown while a service call runs
        self.busy.setObjectName("payment_busy")
        self.busy.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.pending_badge)
        buttons.addStretch(1)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.take_button)

        left = QVBoxLayout()
        left.addLayout(acc_row)
        left.addLayout(pick)
        left.addWidget(self.lines_view, 3)
        left.addWidget(self.bills_box, 2)
        right = QVBoxLayout()
        right.addLayout(amounts)
        right.addLayout(form)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        root = QVBoxLayout(self)
        root.addLayout(top, 1)
        root.addWidget(self.message)
        root.addLayout(buttons)

    def show_short(self, short: bool) -> None:
        """The change figure in red while the tendered cash is short (还差), else green."""
        if getattr(self, "_short_shown", False) != short:
            self._short_shown = short
            self.change.setStyleSheet("color: #c0392b;" if short else self._change_style)

    def tenders(self) -> list[billing.TenderInput]:
        """The tenders as typed (money parsed; the service checks them)."""
        method = self.method.currentData()
        t = billing.TenderInput(method)
        if method == "cash" and self.tendered.text().strip():
            t.tendered_fen = money.parse_yuan(self.tendered.text(), field="tendered")
        t.reference = self.reference.text().strip()
        t.cheque_no = self.cheque_no.text().strip()
        t.bank = self.bank.text().strip()
        out = [t]
        split = self.split_method.currentData()
        if split:
            s = billing.TenderInput(split, money.parse_yuan(self.split_amount.text() or "0",
                                                            field="split"))
            if split == "cheque":
                s.cheque_no, s.bank = self.split_reference.text().strip(), t.bank
            else:
                s.reference = self.split_reference.text().strip()
            out.append(s)
        return out


class VoidDialog(ApprovalDialog):
    """Void: which receipt, why, and the manager's staff number and password."""

    def __init__(self, receipts: list[str], parent=None):
        super().__init__(parent)
        self._receipts = receipts
        self.build(self.tr("Void a receipt — manager's approval"), reason_label=self.tr("Reason"))

    def add_rows(self, form: QFormLayout) -> None:
        self.receipt = QComboBox()
        self.receipt.setEditable(True)
        self.receipt.addItems(self._receipts)
        form.addRow(self.tr("Receipt number"), self.receipt)
        self.fields["receipt"] = self.receipt
