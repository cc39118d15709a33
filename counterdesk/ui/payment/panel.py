"""Workstation tab for fee collection (收费): item picker, open bills, 唱收唱付 amounts.

The clerk picks items from the published price list and types quantities — there is no
price field: every amount comes from :func:`counterdesk.billing.quote`. The account's
open bills are ticked with Space. Amount due, tendered and change are shown large (and
on the customer screen through ``bench.customer_amounts``). Ctrl+Return takes the
payment; the receipt is printed afterwards by the print worker (:class:`PrintService`),
so a dead printer never blocks the screen — a badge counts the receipts waiting, with
retry and switch printer. Ctrl+P reprints (补打), Ctrl+Shift+V voids with a manager's
approval. Every decision is the service's; this module only shows and asks.

Modules: ``view`` (widgets), ``models`` (tables), ``loading`` (price list, account,
quote), ``receipts`` (printer, reprint, void), this one the controller. Every service
call runs off the GUI thread (``widgets.jobs``); while one runs the tab shows "Working…"
and the take button is disabled; Ctrl+Return while the amount is still being read takes
the payment right after it; the print worker is :class:`~counterdesk.ui.widgets.printing.PrintService`.

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

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ... import billing, money, requestkeys
from ...errors import CounterDeskError, DatabaseUnavailable, OutcomeUnknown
from ...print.printers import PrinterConfig
from ..widgets.jobs import Job, Jobs, message
from ..widgets.printing import PrintService
from . import assist
from .loading import LoadingActions
from .models import BillsModel, Catalogue, LinesModel
from .receipts import ReceiptActions
from .view import PaymentPanelView


class PaymentPanel(LoadingActions, ReceiptActions, PaymentPanelView):
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
        self.request_key: str | None = None   # the sale on its way: kept until its outcome
        self.pending = 0
        self.catalogue = Catalogue()
        self._loaded_account: str | None = None    # whose bills are shown
        self._pending_account: str | None = None   # opened in the account tab since
        self._take_waiting = False                 # Ctrl+Return while the amount was read
        self.jobs = Jobs(self)        # the sale (one at a time)
        self.data_jobs = Jobs(self)   # the price list, the account, the quote
        self.receipt_jobs = Jobs(self)   # the receipts list, reprint, void
        for jobs in (self.jobs, self.data_jobs, self.receipt_jobs):
            jobs.busy_changed.connect(self._busy_changed)
        self._load_catalogue()

        cfg = PrinterConfig.from_settings(self.settings)
        self.printing = PrintService(bench.db, self.actor.hall_id, cfg,
                                     window=self.actor.window, parent=self)
        bench.services["printing"] = self.printing
        self.printing.state_changed.connect(self._printer_state)
        self.printing.unconfirmed.connect(self._print_unconfirmed)
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

    def _busy_changed(self, _busy: bool = False) -> None:
        """While a read or a change runs: "Working…", the take button disabled (reprint
        and void too while one of them runs); a take asked for meanwhile follows."""
        reading, taking = self.data_jobs.busy, self.jobs.busy
        self.busy.setVisible(reading or taking or self.receipt_jobs.busy)
        self.take_button.setEnabled(not (reading or taking))
        for act in (getattr(self, "action_reprint", None), getattr(self, "action_void", None)):
            if act is not None:
                act.setEnabled(not self.receipt_jobs.busy)
        if self._take_waiting and not reading:   # after the result is shown (and any
            QTimer.singleShot(0, self._take_if_waiting)   # read it starts has begun)

    def _take_if_waiting(self) -> None:
        if self._take_waiting and not self.data_jobs.busy:
            self._take_waiting = False
            self.take_payment()

    # -- opening the screen ---------------------------------------------------------------
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
        elif not self.is_fresh():
            self.reset()   # issue 18.9: no last customer's figures for the next one
        self.message.clear()

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
        if no and no not in (self._loaded_account, self._asked_account):
            self.load_account()   # (Enter already asked for it)

    def _item_entered(self) -> None:
        if self.item.text().strip():
            self.qty.setFocus()
            self.qty.selectAll()

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
        short = change is not None and change < 0
        self.change.setText(self.tr("Short %1").replace("%1", money.fmt(-change)) if short
                            else money.fmt(change) if change is not None else "")
        self.show_short(short)   # issue 18.10: red "还差", never green good news
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
    def take_payment(self) -> Job | None:
        """Ctrl+Return: the sale goes to the service off the GUI thread (the take button
        is disabled meanwhile); then ``_paid`` or ``_refused``. None: refused at once
        (bad input) or a payment already on its way."""
        if self.jobs.busy:
            return None
        if self.data_jobs.busy:   # the amount is still being read: take it right after
            self._take_waiting = True
            self.message.setText(self.tr("Working out the amount; the payment follows."))
            return None
        try:
            req = self.request(with_tenders=True)
        except CounterDeskError as exc:
            self._refused(exc)
            return None
        self.request_key = self.request_key or requestkeys.new_key()
        return self.jobs.run(billing.pay, self.bench.db, self.actor, req,
                             printer_uri=self.printing.spooler.config.uri,
                             request_key=self.request_key,
                             on_done=self._paid, on_error=self._refused)

    def _refused(self, exc: Exception) -> None:
        if not isinstance(exc, (DatabaseUnavailable, OutcomeUnknown)):
            self.request_key = None   # the outcome is known: nothing was taken
        text = message(exc)
        self.message.setText(text)
        if assist.is_rule(exc):
            self.bench.rule_refused.emit("billing", text)

    def _paid(self, res: billing.PaymentResult) -> None:
        self.request_key = None
        self.last_receipt = res.receipt_no
        data = res.to_dict()
        self.printing.kick()   # print after the commit, on the worker thread
        self.reset()
        self.message.setText((self.tr("Already paid (saved before the connection broke; not "
                                      "taken twice): receipt %1, %2 yuan, change %3")
                              if res.replayed else self.tr("Paid: receipt %1, %2 yuan, change %3"))
                             .replace("%1", res.receipt_no).replace("%2", money.fmt(res.total_fen))
                             .replace("%3", money.fmt(res.change_fen))
                             + (f"\n⚠ {res.warning}" if res.warning else ""))
        if res.warning:   # issue 18.4/18.12: cash without a till, or after its count
            self.bench.status_message.emit(res.warning)
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
        self._account_seq += 1   # an account or a quote on its way is not shown
        self._quote_seq += 1
        self._accepted_entries = []
        self._asked_account = None
        self._take_waiting = False
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
        assist.focus_f9(self)

    def _take_shortcut(self) -> None:
        mw = getattr(self, "_mainwindow", None)
        if mw is not None and mw.business.currentWidget() is not self:
            return
        self.take_payment()

    def shutdown(self) -> None:
        for jobs in (self.jobs, self.data_jobs, self.receipt_jobs):
            jobs.wait(5.0)
        self.printing.stop()


def create(bench, parent=None) -> PaymentPanel:
    return PaymentPanel(bench, parent)
