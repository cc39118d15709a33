"""The IC card panel's view: the card's state, the purchase form, the card ledger.
Widgets only; the controller (:mod:`.panel`) reads, buys and writes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import money
from ...i18n import pick
from ..widgets.fieldmessages import message_label
from ..widgets.tablemodel import RowsModel

METHODS = (("cash", "现金", "Cash"), ("card", "银行卡", "Bank card"), ("qr", "扫码", "QR"),
           ("cheque", "支票", "Cheque"))


class PurchasesModel(RowsModel):
    """The account's card ledger: one row per purchase (sequence, day, volume, state)."""

    def headers(self) -> list[str]:
        return [pick("次数", "Seq"), pick("日期", "Day"), pick("气量", "Volume"),
                pick("金额", "Amount"), pick("状态", "State"), pick("票据号", "Receipt")]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        r = self.rows[index.row()]
        return [str(r["seq"]), r["business_day"], r["volume"], money.fmt(r["amount_fen"]),
                pick(r["state_zh"], r.get("state_en", r["state"])),
                r["receipt_no"] or ""][index.column()]


class CardPanelView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card_panel")
        self.state = QLabel(pick("请插卡后按 F12 读卡", "Insert the card and press F12"))
        self.state.setObjectName("card_state")
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # what the read result warns of (e.g. the meter was changed: the card must be
        # re-bound): red, above the purchase form; hidden when there is nothing
        self.notice = QLabel("")
        self.notice.setObjectName("card_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #c0392b; font-weight: bold; font-size: 13pt;")
        self.notice.setVisible(False)
        self.volume = QLineEdit()
        self.volume.setObjectName("card_volume")
        self.volume.setPlaceholderText(pick("立方米", "m³"))
        self.amount = QLineEdit()
        self.amount.setObjectName("card_amount")
        self.amount.setPlaceholderText(pick("元（按金额折算气量）", "yuan (volume from amount)"))
        self.method = QComboBox()
        self.method.setObjectName("card_method")
        for code, zh, en in METHODS:
            self.method.addItem(pick(zh, en), code)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("card_tendered")
        self.reference = QLineEdit()
        self.reference.setObjectName("card_reference")
        self.due = QLabel("")
        self.due.setObjectName("card_due")
        self.due.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.change = QLabel("")
        self.change.setObjectName("card_change")
        self.change.setStyleSheet("font-size: 20pt; font-weight: bold;")
        form = QFormLayout()
        form.addRow(pick("购气量（立方米）", "Volume (m³)"), self.volume)
        form.addRow(pick("或 购气金额（元）", "or amount (yuan)"), self.amount)
        form.addRow(pick("付款方式", "Method"), self.method)
        form.addRow(pick("实收（元）", "Tendered"), self.tendered)
        form.addRow(pick("交易参考号", "Reference"), self.reference)
        form.addRow(pick("应收", "Due"), self.due)
        form.addRow(pick("找零", "Change"), self.change)
        self.read_button = QPushButton(pick("读卡 F12", "Read card F12"))
        self.read_button.setObjectName("card_read")
        self.buy_button = QPushButton(pick("收款并写卡 Ctrl+G", "Pay and write Ctrl+G"))
        self.buy_button.setObjectName("card_buy")
        self.write_button = QPushButton(pick("补写卡 Ctrl+Shift+G", "Write card Ctrl+Shift+G"))
        self.write_button.setObjectName("card_write")
        self.cancel_button = QPushButton(pick("退购…", "Cancel purchase…"))
        self.cancel_button.setObjectName("card_cancel")
        buttons = QHBoxLayout()
        for b in (self.read_button, self.buy_button, self.write_button, self.cancel_button):
            buttons.addWidget(b)
        # the card job in flight ("正在读卡…"); empty when the reader is idle
        self.busy = QLabel("")
        self.busy.setObjectName("card_busy")
        self.busy.setStyleSheet("font-weight: bold;")
        self.message = message_label()
        self.model = PurchasesModel(self)
        self.table = QTableView()
        self.table.setObjectName("card_ledger")
        self.table.setModel(self.model)
        self.table.setFocusPolicy(Qt.NoFocus)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addWidget(self.notice)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.busy)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 1)
        self.setTabOrder(self.volume, self.amount)
        self.setTabOrder(self.amount, self.method)
        self.setTabOrder(self.method, self.tendered)
        self.setTabOrder(self.tendered, self.reference)
