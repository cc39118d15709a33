"""Workstation tab for fee collection (收费): item picker, open bills, 唱收唱付 amounts.

The clerk picks items from the published price list and types quantities — there is no
price field: every amount comes from :func:`counterdesk.billing.quote`. The account's
open bills are ticked with Space. Amount due, tendered and change are shown large (and
on the customer screen through ``bench.customer_amounts``). Ctrl+Return takes the
payment; the receipt is printed afterwards by the print worker (:class:`PrintService`),
so a dead printer never blocks the screen — a badge counts the receipts waiting, with
retry and switch printer. Ctrl+P reprints (补打), Ctrl+Shift+V voids with a manager's
approval. Every decision is the service's; this module only shows and asks.

Keyboard flow for a bill payment: calling a payment ticket (F2, service A) opens this
tab with the focus in the account number → digits, Enter: the holder and the open bills,
all ticked (Space on a bill unticks it) and the focus in the tendered field → the cash
from the numeric keypad → Ctrl+Return. F9 brings this tab with the account open in the
account tab (F8) loaded the same way. Items: item code (Enter) → quantity (Enter adds
the line). Tab moves through the tables, never gets stuck in them.

The price list behind the item completer is read once and again only when it may have
changed (a new day, or older than ``CATALOGUE_TTL`` seconds when the item field gets the
focus) — not for every customer; the amounts always come from the service's quote.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ... import billing, clock, money
from ...errors import CounterDeskError
from ...print.spooler import PrinterConfig, Spooler
from ...staff import Approval
from ..widgets.tablemodel import RowsModel

METHODS = ("cash", "cheque", "card", "qr")
CATALOGUE_TTL = 300.0   # seconds: the item completer's price list is re-read after this


# ======================================================================================
# table models
# ======================================================================================
class LinesModel(RowsModel):
    """The items being sold: ``entries`` (code, qty) and the service's quote lines
    (``rows``, also called ``lines``: what the table shows, items first)."""

    COLUMNS = ("name", "qty", "unit_price", "amount")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[dict] = []       # {"code", "qty"}

    @property
    def lines(self) -> list[dict]:
        return self.rows

    def headers(self) -> list[str]:
        return [self.tr("Item"), self.tr("Quantity"), self.tr("Unit price"), self.tr("Amount")]

    def add(self, code: str, qty: str) -> None:
        for e in self.entries:
            if e["code"] == code:
                e["qty"] = money.fmt_qty(money.parse_qty(e["qty"]) + money.parse_qty(qty))
                return
        self.entries.append({"code": code, "qty": qty})

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            del self.entries[row]

    def clear(self) -> None:
        self.entries = []
        self.set_lines([])

    def set_lines(self, lines: list[dict]) -> None:
        rows = [ln for ln in lines if ln.get("code") != billing.BILL_CODE]
        if rows or self.rows:   # empty to empty (a fresh screen): no reset, no relayout
            self.set_rows(rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        ln = self.lines[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "name":
                return ln["name"]
            if col == "qty":
                return f"{ln['qty']} {ln.get('unit', '')}"
            if col == "unit_price":
                return money.fmt(ln["unit_price_fen"])
            return money.fmt(ln["amount_fen"])
        if role == Qt.TextAlignmentRole and col != "name":
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and ln.get("tiers"):
            return "\n".join(self.tr("Tier %1: %2 × %3 = %4")
                             .replace("%1", str(t["tier"])).replace("%2", t["qty"])
                             .replace("%3", money.fmt(t["unit_price_fen"]))
                             .replace("%4", money.fmt(t["amount_fen"])) for t in ln["tiers"])
        return None


class BillsModel(RowsModel):
    """The account's open bills (``rows``, also called ``bills``); the first column is
    ticked to pay the bill."""

    COLUMNS = ("period", "volume", "open", "due")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.checked: set[str] = set()

    @property
    def bills(self) -> list[dict]:
        return self.rows

    def headers(self) -> list[str]:
        return [self.tr("Bill period"), self.tr("Volume"), self.tr("Open amount"),
                self.tr("Due date")]

    def set_bills(self, bills: list[dict], *, tick_all: bool = False) -> None:
        """Show ``bills``; ``tick_all``: every one ticked (a newly loaded account — paying
        the open bills is the common case), else the ticks of the same periods are kept."""
        bills = list(bills)
        keep = {b["period"] for b in bills} if tick_all else self.checked
        self.checked = {b["period"] for b in bills if b["period"] in keep}
        if bills or self.rows:
            self.set_rows(bills)

    def selected_periods(self) -> list[str]:
        return [b["period"] for b in self.bills if b["period"] in self.checked]

    def toggle(self, row: int) -> None:
        if 0 <= row < len(self.bills):
            idx = self.index(row, 0)
            self.setData(idx, Qt.Unchecked if self.bills[row]["period"] in self.checked
                         else Qt.Checked, Qt.CheckStateRole)

    def flags(self, index):
        f = super().flags(index)
        if index.isValid() and index.column() == 0:
            f |= Qt.ItemIsUserCheckable
        return f

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        b = self.bills[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.CheckStateRole and col == "period":
            return Qt.Checked if b["period"] in self.checked else Qt.Unchecked
        if role == Qt.DisplayRole:
            return {"period": b["period"], "volume": b["volume"],
                    "open": money.fmt(b["open_fen"]), "due": b["due_date"]}[col]
        if role == Qt.TextAlignmentRole and col in ("volume", "open"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt name
        if not index.isValid() or role != Qt.CheckStateRole:
            return False
        period = self.bills[index.row()]["period"]
        checked = value in (Qt.Checked, Qt.CheckState.Checked, 2)
        if checked:
            self.checked.add(period)
        else:
            self.checked.discard(period)
        self.dataChanged.emit(index, index, [Qt.CheckStateRole])
        return True


# ======================================================================================
# the print worker for Qt
# ======================================================================================
class PrintService(QObject):
    """Qt face of :class:`~counterdesk.print.spooler.Spooler` (callbacks → signals).

    The worker thread emits; Qt queues the signals to the receivers' (GUI) thread.
    """

    state_changed = Signal(dict)
    printed = Signal(dict)
    failed = Signal(str)

    def __init__(self, db, hall_id: int, cfg: PrinterConfig, *, window: int | None = None,
                 retry_seconds: float = 10.0, parent=None):
        super().__init__(parent)
        self.spooler = Spooler(db, hall_id, cfg, window=window, retry_seconds=retry_seconds,
                               on_state=lambda st: self.state_changed.emit(dict(st)),
                               on_printed=lambda job: self.printed.emit(job.to_dict()),
                               on_failed=lambda job, msg: self.failed.emit(msg))

    def start(self) -> None:
        self.spooler.start()

    def kick(self) -> None:
        self.spooler.kick()

    def set_printer(self, uri: str) -> None:
        self.spooler.set_printer(uri)

    def stop(self) -> None:
        self.spooler.stop()


# ======================================================================================
# view
# ======================================================================================
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
        for m, text in zip(METHODS, (self.tr("Cash"), self.tr("Cheque"), self.tr("Bank card"),
                                     self.tr("QR (WeChat/Alipay)"))):
            self.method.addItem(text, m)
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
        for m, text in zip(METHODS[1:], (self.tr("Cheque"), self.tr("Bank card"),
                                         self.tr("QR (WeChat/Alipay)"))):
            self.split_method.addItem(text, m)
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
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pending_badge)
        buttons.addStretch(1)
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


# ======================================================================================
# controller
# ======================================================================================
class ApprovalDialog(QDialog):
    """Void: which receipt, why, and the manager's staff number and password."""

    def __init__(self, receipts: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Void a receipt — manager's approval"))
        self.receipt = QComboBox()
        self.receipt.setEditable(True)
        self.receipt.addItems(receipts)
        self.reason = QLineEdit()
        self.manager = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        form = QFormLayout(self)
        form.addRow(self.tr("Receipt number"), self.receipt)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Manager staff number"), self.manager)
        form.addRow(self.tr("Manager password"), self.password)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)


class PaymentPanel(PaymentPanelView):
    """Controller: quotes through the service, takes the payment, runs the print worker."""

    committed = Signal(dict)

    def __init__(self, bench, parent=None, *, start_printing: bool = True):
        super().__init__(parent)
        self.bench = bench
        self.actor = bench.actor
        self.settings = bench.settings
        self.lines_model = LinesModel(self)
        self.bills_model = BillsModel(self)
        self.lines_view.setModel(self.lines_model)
        self.bills_view.setModel(self.bills_model)
        self.quote: billing.Quote | None = None
        self.last_receipt: str | None = None
        self.pending = 0
        self._catalogue: dict[str, str] = {}
        self._catalogue_day = None
        self._catalogue_at = 0.0
        self._loaded_account: str | None = None    # whose bills are shown
        self._pending_account: str | None = None   # opened in the account tab since
        self._load_catalogue()

        cfg = PrinterConfig.from_settings(self.settings)
        self.printing = PrintService(bench.db, self.actor.hall_id, cfg,
                                     window=self.actor.window, parent=self)
        bench.services["printing"] = self.printing
        self.printing.state_changed.connect(self._printer_state)
        menu = QMenu(self)
        self.action_retry = menu.addAction(self.tr("Retry printing now"))
        self.action_retry.triggered.connect(self.printing.kick)
        self.action_switch = menu.addAction(self.tr("Switch printer…"))
        self.action_switch.triggered.connect(self.ask_printer)
        self.pending_badge.setMenu(menu)

        self.account.returnPressed.connect(self._account_entered)
        self.account.editingFinished.connect(self._account_left)
        self.item.returnPressed.connect(self._item_entered)
        self.qty.returnPressed.connect(self.add_item)
        self.add_button.clicked.connect(self.add_item)
        self.clear_button.clicked.connect(self.reset)
        self.take_button.clicked.connect(self.take_payment)
        self.bills_model.dataChanged.connect(lambda *_: self.refresh_quote())
        for w in (self.tendered, self.split_amount):
            w.textChanged.connect(lambda _t: self.update_amounts())
        self.method.currentIndexChanged.connect(lambda _i: self._method_changed())
        self.split_method.currentIndexChanged.connect(lambda _i: self._method_changed())
        self.lines_view.installEventFilter(self)
        self.item.installEventFilter(self)
        bench.open_payment.connect(self.open_for)
        bench.account_selected.connect(self._account_selected)
        bench.ticket_called.connect(self._ticket_called)
        self._method_changed()
        spooler = self.printing.spooler
        self.destroyed.connect(lambda *_: spooler.stop(timeout=0.1))  # no orphan worker
        if start_printing:
            self.printing.start()

    # -- data from the services -----------------------------------------------------------
    def _load_catalogue(self) -> None:
        try:
            items = billing.list_prices(self.bench.db, self.actor.hall_id)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return
        self._catalogue = {}
        words = []
        for it in items:
            label = f"{it.code} {it.name} {it.price_text}/{it.unit}"
            self._catalogue[label] = it.code
            self._catalogue[it.code] = it.code
            words.append(label)
        comp = QCompleter(words, self)
        comp.setCaseSensitivity(Qt.CaseInsensitive)
        comp.setFilterMode(Qt.MatchContains)
        self.item.setCompleter(comp)
        self._catalogue_day = clock.today()
        self._catalogue_at = time.monotonic()

    def catalogue_stale(self) -> bool:
        return self._catalogue_day != clock.today() or \
            time.monotonic() - self._catalogue_at > CATALOGUE_TTL

    def refresh_catalogue(self, force: bool = False) -> None:
        """Re-read the price list if it may have changed (or ``force``: after a price
        change made on this PC)."""
        if force or self.catalogue_stale():
            self._load_catalogue()

    def open_for(self, account_no: str, *, ask_account: bool = False) -> None:
        """From the account screen (bench.open_payment) or the called ticket: a fresh
        screen; with an account, its open bills ticked and the focus on the tendered
        amount; without, the focus on the account number (``ask_account``) or the item."""
        if not self.is_fresh():
            self.reset()
        self.account.setText(account_no or "")
        self._show_me()
        if account_no:
            self.load_account(focus_next=True)
        else:
            (self.account if ask_account else self.item).setFocus()

    def _ticket_called(self, ticket: dict) -> None:
        """A payment ticket (service A 缴费) was called: a fresh payment screen asking
        for the account number (Enter on an empty number: a walk-in sale)."""
        if (ticket or {}).get("service") == "A":
            self.open_for((ticket or {}).get("account_no") or "", ask_account=True)

    def _account_selected(self, account_no: str) -> None:
        """An account was opened in the account tab: F9 brings it here."""
        if account_no and account_no != self._loaded_account:
            self._pending_account = account_no

    def _account_entered(self) -> None:
        if self.account.text().strip():
            self.load_account(focus_next=True)
        else:
            self.load_account()
            self.item.setFocus()   # walk-in: straight to the items

    def _show_me(self) -> None:
        mw = getattr(self, "_mainwindow", None)
        if mw is not None:
            mw.business.setCurrentWidget(self)

    def _account_left(self) -> None:
        no = self.account.text().strip()
        if no and no != self._loaded_account:
            self.load_account()

    def load_account(self, *, focus_next: bool = False) -> None:
        """Show the holder and the open bills of the typed account. A newly loaded
        account has all its open bills ticked (the common case: paying them). With
        ``focus_next`` the focus goes where the next key goes: the tendered amount when
        there is something to pay, else the item field."""
        no = self.account.text().strip()
        if not no:
            self._loaded_account = None
            self.holder.setText("")
            self.bills_model.set_bills([])
            self.refresh_quote()
            return
        try:
            info = billing.account_summary(self.bench.db, no)
        except CounterDeskError as exc:
            self._loaded_account = None
            self.holder.setText("")
            self.bills_model.set_bills([])
            self.message.setText(exc.message)
            if focus_next:
                self.account.setFocus()
                self.account.selectAll()
            return
        self.holder.setText(info["holder"] + ("" if info["status"] != "closed"
                                              else self.tr(" (closed)")))
        new = no != self._loaded_account
        self._loaded_account = no
        if self._pending_account == no:
            self._pending_account = None
        self.bills_model.set_bills(info["bills"], tick_all=new)
        self.refresh_quote()
        if focus_next:
            self._focus_next()

    def _focus_next(self) -> None:
        if self.due_fen() > 0:
            target = self.tendered if self.tendered.isEnabled() else self.method
            target.setFocus()
            if isinstance(target, QLineEdit):
                target.selectAll()
        else:
            self.item.setFocus()

    def _item_entered(self) -> None:
        if self.item.text().strip():
            self.qty.setFocus()
            self.qty.selectAll()

    def add_item(self) -> None:
        text = self.item.text().strip()
        code = self._catalogue.get(text, text.split(" ")[0].upper())
        qty = self.qty.text().strip() or "1"
        if not code:
            self.item.setFocus()
            return
        try:
            money.parse_qty(qty)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.qty.setFocus()
            return
        before = [dict(e) for e in self.lines_model.entries]
        self.lines_model.add(code, qty)
        if not self.refresh_quote():
            self.lines_model.entries = before   # the refused line is not kept
            self.refresh_quote(keep_message=True)
            return
        self.item.clear()
        self.qty.setText("1")
        self.item.setFocus()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if obj is self.item and event.type() == QEvent.FocusIn:
            self.refresh_catalogue()   # cheap unless a day / CATALOGUE_TTL has passed
            return False
        if obj is self.lines_view and event.type() == QEvent.KeyPress and \
                event.key() == Qt.Key_Delete:
            row = self.lines_view.currentIndex().row()
            if row >= 0:
                self.lines_model.remove(row)
                self.refresh_quote()
            return True
        return super().eventFilter(obj, event)

    def request(self, with_tenders: bool = False) -> billing.SaleRequest:
        req = billing.SaleRequest(
            items=[billing.LineInput(e["code"], e["qty"]) for e in self.lines_model.entries],
            bills=self.bills_model.selected_periods(),
            account_no=self.account.text().strip() or None)
        if with_tenders:
            req.tenders = self.tenders()
        return req

    def tenders(self) -> list[billing.TenderInput]:
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

    def refresh_quote(self, keep_message: bool = False) -> bool:
        req = self.request()
        if not req.items and not req.bills:
            self.quote = None
            self.lines_model.set_lines([])
            self.update_amounts()
            return True
        try:
            self.quote = billing.quote(self.bench.db, self.actor, req)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.bench.rule_refused.emit("billing", exc.message)
            return False
        if not keep_message:
            self.message.setText("")
        self.lines_model.set_lines([ln.__dict__ for ln in self.quote.lines])
        self.update_amounts()
        return True

    def due_fen(self) -> int:
        return self.quote.total_fen if self.quote else 0

    def update_amounts(self) -> None:
        due = self.due_fen()
        self.due.setText(money.fmt(due))
        self.capitals.setText(money.capitals(due) if due else "")
        tendered = change = None
        if self.method.currentData() == "cash":
            split = 0
            if self.split_method.currentData():
                try:
                    split = money.parse_yuan(self.split_amount.text() or "0")
                except CounterDeskError:
                    split = 0
            cash_due = max(0, due - split)
            try:
                tendered = money.parse_yuan(self.tendered.text()) if self.tendered.text() \
                    else None
            except CounterDeskError:
                tendered = None
            if tendered is not None:
                change = tendered - cash_due
        self.tendered_big.setText(money.fmt(tendered) if tendered is not None else "")
        self.change.setText(money.fmt(change) if change is not None and change >= 0 else
                            (self.tr("Short %1").replace("%1", money.fmt(-change))
                             if change is not None else ""))
        self.bench.customer_amounts.emit({"due_fen": due, "tendered_fen": tendered,
                                          "change_fen": change if change is None or change >= 0
                                          else None})

    def _method_changed(self) -> None:
        m = self.method.currentData()
        self.tendered.setEnabled(m == "cash")
        self.reference.setEnabled(m in ("card", "qr"))
        self.cheque_no.setEnabled(m == "cheque")
        self.bank.setEnabled(m == "cheque" or self.split_method.currentData() == "cheque")
        split = bool(self.split_method.currentData())
        self.split_amount.setEnabled(split)
        self.split_reference.setEnabled(split)
        self.update_amounts()

    # -- taking the payment -----------------------------------------------------------------
    def take_payment(self) -> billing.PaymentResult | None:
        try:
            req = self.request(with_tenders=True)
            res = billing.pay(self.bench.db, self.actor, req,
                              limit_fen=self.settings.billing.single_payment_limit_fen,
                              printer_uri=self.printing.spooler.config.uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.bench.rule_refused.emit("billing", exc.message)
            return None
        self.last_receipt = res.receipt_no
        data = res.to_dict()
        self.printing.kick()   # print after the commit, on the worker thread
        self.reset()
        self.message.setText(self.tr("Paid: receipt %1, %2 yuan, change %3")
                             .replace("%1", res.receipt_no).replace("%2", money.fmt(res.total_fen))
                             .replace("%3", money.fmt(res.change_fen)))
        self.due.setText(money.fmt(res.total_fen))
        cash = [t for t in res.tenders if t["method"] == "cash"]
        if cash:
            self.tendered_big.setText(money.fmt(cash[0]["tendered_fen"]))
            self.change.setText(money.fmt(res.change_fen))
        self.bench.customer_amounts.emit({"due_fen": res.total_fen,
                                          "tendered_fen": cash[0]["tendered_fen"] if cash
                                          else None,
                                          "change_fen": res.change_fen if cash else None})
        self.bench.payment_committed.emit(data)
        self.bench.stats_changed.emit()
        self.committed.emit(data)
        return res

    def is_fresh(self) -> bool:
        """Nothing entered since the last reset (calling the next customer then costs no
        clearing and no repaint)."""
        return (not self.lines_model.entries and not self.lines_model.rows
                and not self.bills_model.rows and self.quote is None
                and self._loaded_account is None
                and self.method.currentIndex() == 0 and self.split_method.currentIndex() == 0
                and self.qty.text() == "1" and self.due.text() == money.fmt(0)
                and not self.tendered_big.text() and not self.change.text()
                and not any(w.text() for w in (self.account, self.item, self.tendered,
                                               self.reference, self.cheque_no, self.bank,
                                               self.split_amount, self.split_reference)))

    def reset(self) -> None:
        self.lines_model.clear()
        self.bills_model.set_bills([])
        self.bills_model.checked = set()
        self.account.clear()
        self.holder.clear()
        for w in (self.item, self.tendered, self.reference, self.cheque_no, self.bank,
                  self.split_amount, self.split_reference):
            w.clear()
        self.qty.setText("1")
        self.method.setCurrentIndex(0)
        self.split_method.setCurrentIndex(0)
        self.quote = None
        self._loaded_account = None
        self.update_amounts()

    # -- printer ---------------------------------------------------------------------------
    def _printer_state(self, state: dict) -> None:
        self.pending = int(state.get("pending", 0))
        self.pending_badge.setText(self.tr("Receipts waiting: %1").replace("%1",
                                                                            str(self.pending)))
        self.pending_badge.setToolTip(state.get("message", ""))
        self.pending_badge.setVisible(self.pending > 0)
        self.bench.printer_state.emit(state)

    def ask_printer(self) -> None:
        uri, ok = QInputDialog.getText(self, self.tr("Switch printer"),
                                       self.tr("Printer address (tcp://HOST:9100, win32:NAME…)"),
                                       text=self.printing.spooler.config.uri)
        if ok and uri.strip():
            self.switch_printer(uri.strip())

    def switch_printer(self, uri: str) -> bool:
        try:
            self.printing.set_printer(uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return False
        self.message.setText(self.tr("Printing to %1").replace("%1", uri))
        return True

    # -- reprint and void -------------------------------------------------------------------
    def _recent(self) -> list[str]:
        try:
            return [r["receipt_no"] for r in billing.recent_receipts(self.bench.db, self.actor)]
        except CounterDeskError:
            return []

    def reprint(self, receipt_no: str | None = None) -> bool:
        if receipt_no is None:
            recent = self._recent()
            receipt_no, ok = QInputDialog.getItem(self, self.tr("Reprint receipt"),
                                                  self.tr("Receipt number"), recent, 0, True)
            if not ok or not receipt_no:
                return False
        try:
            job = billing.reprint(self.bench.db, self.actor, receipt_no,
                                  printer_uri=self.printing.spooler.config.uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            return False
        self.printing.kick()
        self.message.setText(self.tr("Reprint of %1 (copy %2) sent to the printer")
                             .replace("%1", receipt_no).replace("%2", str(job.reprint_no)))
        return True

    def void(self, receipt_no: str | None = None, approval: Approval | None = None,
             reason: str = "") -> billing.PaymentResult | None:
        if approval is None:
            dlg = ApprovalDialog(self._recent(), self)
            if dlg.exec() != QDialog.Accepted:
                return None
            receipt_no = dlg.receipt.currentText().strip()
            reason = dlg.reason.text().strip()
            approval = Approval(dlg.manager.text().strip(), dlg.password.text())
        try:
            res = billing.void(self.bench.db, self.actor, receipt_no, approval, reason=reason,
                               printer_uri=self.printing.spooler.config.uri)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.bench.rule_refused.emit("billing", exc.message)
            return None
        self.printing.kick()
        self.message.setText(self.tr("Receipt %1 voided; reversal %2")
                             .replace("%1", receipt_no).replace("%2", res.receipt_no))
        self.bench.stats_changed.emit()
        return res

    # -- main window ---------------------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        self._mainwindow = mainwindow
        acts = []
        for text, keys, slot in (
                (self.tr("Payment"), "F9", self._focus),
                (self.tr("Take payment"), "Ctrl+Return", self._take_shortcut),
                (self.tr("Reprint receipt"), "Ctrl+P", lambda: self.reprint()),
                (self.tr("Void receipt"), "Ctrl+Shift+V", lambda: self.void())):
            act = QAction(text, mainwindow)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ApplicationShortcut)
            act.triggered.connect(slot)
            mainwindow.menu_business.addAction(act)
            acts.append(act)
        (self.action_pay, self.action_take, self.action_reprint, self.action_void) = acts

    def _focus(self) -> None:
        """F9: this tab; with the account opened in the account tab since (or, on an
        empty screen, the workbench's current account) loaded, its bills ticked and
        the focus on the tendered amount."""
        account = self._pending_account
        if not account and not self._loaded_account and not self.lines_model.entries:
            account = self.bench.current_account
        self._pending_account = None
        if account and account != self._loaded_account:
            if self.lines_model.entries:   # items already entered: keep them
                self._show_me()
                self.account.setText(account)
                self.load_account(focus_next=True)
            else:
                self.open_for(account)
            return
        self._show_me()
        if self.bills_model.selected_periods():
            self._focus_next()
        else:
            self.item.setFocus()

    def _take_shortcut(self) -> None:
        mw = getattr(self, "_mainwindow", None)
        if mw is not None and mw.business.currentWidget() is not self:
            return
        self.take_payment()

    def shutdown(self) -> None:
        self.printing.stop()


def create(bench, parent=None) -> PaymentPanel:
    return PaymentPanel(bench, parent)
