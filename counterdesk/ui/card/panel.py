"""The IC card panel's controller: F12 reads the card (and writes a purchase still "to
write"), the clerk types a volume or an amount, Ctrl+G takes the money and writes the
card, Ctrl+Shift+G writes again after a failed write, 退购 cancels the purchase on the
card with a manager's approval. Keyboard only.

Every card and database call runs off the GUI thread (``widgets.jobs``, the functions
of :mod:`.calls`): one card job at a time — while it runs the buttons and shortcuts are
off and the panel says what it is doing, so a purchase is never taken twice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from ... import cards, money, requestkeys
from ...billing import TenderInput
from ...errors import CounterDeskError, ValidationError
from ...i18n import pick
from ..widgets.jobs import Job, Jobs, message
from . import calls
from .dialogs import CancelDialog
from .view import CardPanelView


class CardPanel(CardPanelView):
    bought = Signal(dict)

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.tab_title = pick("IC卡购气", "IC card")
        self.card_state: cards.CardState | None = None
        self.notices: list[str] = []      # the read's warnings, shown in red (calls.notices)
        self.rebind_required = False      # the read says: re-bind the card first (换表)
        self.jobs = Jobs(self)            # card jobs: one at a time (one reader)
        self.request_key = requestkeys.new_key()  # the purchase on its way, until it is taken
        self._key_card: str | None = None         # the card that request was for
        self.jobs.busy_changed.connect(self._busy_changed)
        self.quotes = Jobs(self.due)      # the price preview (database only)
        self._quote_no = 0                # a newer preview (or a purchase) drops older ones
        self.read_button.clicked.connect(self.read)
        self.buy_button.clicked.connect(self.buy)
        self.write_button.clicked.connect(self.write)
        self.cancel_button.clicked.connect(self.cancel)
        self.volume.textEdited.connect(lambda _t: (self.amount.clear(), self.preview()))
        self.amount.textEdited.connect(lambda _t: (self.volume.clear(), self.preview()))
        for w in (self.volume, self.amount, self.tendered, self.reference):
            w.returnPressed.connect(self.focusNextChild)
        self.card_actions: list[QAction] = []
        for keys, slot in (("Ctrl+G", self.buy), ("Ctrl+Shift+G", self.write)):
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            self.card_actions.append(act)
        self.buy_button.setEnabled(False)

    # -- helpers ----------------------------------------------------------------------------
    def reader_uri(self) -> str:
        uri = self.bench.settings.card.reader
        if not uri:
            raise ValidationError("未设置读卡器：请在设置中填写 card.reader（sim:文件夹 或 pcsc:读卡器名称）",
                                  "No card reader set (settings card.reader)", field="reader")
        return uri

    def error(self, exc: CounterDeskError) -> None:
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setText(exc.message)
        target = {"volume": self.volume, "amount": self.amount, "tendered": self.tendered,
                  "reference": self.reference}.get(exc.field or "")
        if target is not None:
            target.setFocus()

    def done(self, text: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)

    def can_buy(self) -> bool:
        st = self.card_state
        return bool(st is not None and not st.blank and st.meter_taken
                    and st.to_write_id is None and not self.rebind_required)

    def _busy_changed(self, busy: bool) -> None:
        for w in (self.read_button, self.write_button, self.cancel_button, *self.card_actions):
            w.setEnabled(not busy)
        self.buy_button.setEnabled(not busy and self.can_buy())
        if not busy:
            self.busy.setText("")

    def _start(self, doing: str, fn, *args, on_done, **kwargs) -> Job | None:
        """Run one card job (refused while another runs: nothing is done twice)."""
        if self.jobs.busy:
            return None
        try:
            uri = self.reader_uri()
        except CounterDeskError as exc:
            self.error(exc)
            return None
        self.busy.setText(doing)
        return self.jobs.run(fn, self.bench.db, self.bench.actor, uri, *args, on_done=on_done,
                             on_error=self._failed, **kwargs)

    def _failed(self, exc: BaseException) -> None:
        # a refusal as it is; anything else is a bug: logged and named (jobs.message)
        self.error(exc if isinstance(exc, CounterDeskError) else CounterDeskError(message(exc)))

    def show_state(self, st: cards.CardState, rows: list[dict] | None = None) -> list[str]:
        """Show the card; returns the read's messages not already shown as a notice."""
        self.card_state = st
        lines, self.rebind_required = calls.notices(st)
        self.notices = lines
        self.notice.setText("\n".join(f"⚠ {t}" for t in lines))
        self.notice.setVisible(bool(lines))
        self.buy_button.setEnabled(not self.jobs.busy and self.can_buy())
        if st.blank:
            self.state.setText(pick("空白卡（未发卡）", "Blank card (not issued)"))
            self.model.set_rows([])
            return []
        taken = pick("表具已输入", "taken by the meter") if st.meter_taken else \
            pick("尚未输入表具", "NOT yet taken by the meter")
        self.state.setText(
            f"{pick('卡号', 'Card')} {st.card_no}   {pick('户号', 'Account')} {st.account_no} "
            f"{st.holder}   {pick('表号', 'Meter')} {st.meter_no}\n"
            f"{pick('购气次数', 'Purchases')} {st.purchase_seq}   "
            f"{pick('卡内未输表气量', 'On card')} {st.pending_volume} {pick('立方米', 'm³')}   "
            f"{taken}\n{pick('表具回抄：', 'Meter: ')}{pick('剩余', 'remaining')} {st.remaining}  "
            f"{pick('累计用气', 'used')} {st.cumulative}  {pick('报警', 'alarms')} {st.alarms}")
        if rows is not None:
            self.model.set_rows(rows)
        return [m for m in st.messages if m not in lines]

    # -- actions --------------------------------------------------------------------------------
    def read(self) -> Job | None:
        return self._start(pick("正在读卡，请勿拔卡…", "Reading the card: keep it in…"),
                           calls.read, on_done=self._read)

    def _read(self, out: calls.Outcome) -> None:
        st = out.state
        if self._key_card is not None and st.card_no != self._key_card:
            self.request_key = requestkeys.new_key()   # another card: another purchase
            self._key_card = None
        msgs = self.show_state(st, out.rows)
        if msgs and (st.to_write_id is not None or not st.meter_taken):
            self.error(CounterDeskError(pick("；", "; ").join(msgs)))
        else:
            self.done(pick("；", "; ").join(msgs) or pick("读卡完成", "Card read"))
            self.volume.setFocus()
        if st.account_no:
            self.bench.current_account = st.account_no

    def preview(self) -> Job | None:
        st = self.card_state
        self._quote_no += 1
        if st is None or st.blank:
            return None
        try:
            amount_fen = self._amount()
        except CounterDeskError as exc:
            self.due.setText("")
            self.error(exc)
            return None
        n = self._quote_no
        return self.quotes.run(cards.quote, self.bench.db, self.bench.actor, st.account_no,
                               volume=self.volume.text() or None, amount_fen=amount_fen,
                               on_done=lambda q: self._quoted(n, q),
                               on_error=lambda e: self._quoted(n, None, e))

    def _quoted(self, n: int, q: dict | None, exc: BaseException | None = None) -> None:
        if n != self._quote_no:
            return                    # typed on since, or paid meanwhile: an old preview
        if q is None:
            self.due.setText("")
            self._failed(exc)
            return
        self.message.setText("")
        self.due.setText(f"{money.fmt_symbol(q['amount_fen'])}"
                         + pick(f"（{q['volume']} 立方米）", f" ({q['volume']} m³)"))

    def _amount(self) -> int | None:
        t = self.amount.text().strip()
        return money.parse_yuan(t, field="amount") if t else None

    def tenders(self) -> list[TenderInput]:
        method = self.method.currentData()
        t = self.tendered.text().strip()
        tendered = money.parse_yuan(t, field="tendered") if t and method == "cash" else None
        return [TenderInput(method, None, tendered, self.reference.text().strip())]

    def buy(self) -> Job | None:
        if self.jobs.busy:
            return None                # a job in flight (a double Ctrl+G): never twice
        if self.card_state is None or self.card_state.blank:
            self.error(CounterDeskError("请先读卡（F12）", "Read the card first (F12)"))
            return None
        if self.rebind_required:
            self.error(CounterDeskError(pick("；", "; ").join(self.notices)))
            return None
        try:
            kw = dict(volume=self.volume.text().strip() or None, amount_fen=self._amount(),
                      tenders=self.tenders(), printer_uri=self.bench.settings.printer.uri,
                      expect_account=self.card_state.account_no)
        except CounterDeskError as exc:
            self.error(exc)
            return None
        self._quote_no += 1            # a preview still on its way is stale now
        # one request key per purchase until it is known to be taken: a retry after a lost
        # reply gives the first purchase, never a second (issue 16.1)
        kw["request_key"] = self.request_key
        self._key_card = self.card_state.card_no
        return self._start(pick("正在收款并写卡，请勿拔卡…", "Taking the money and writing the "
                                "card: keep it in…"), calls.buy, on_done=self._bought, **kw)

    def _bought(self, out: calls.Outcome) -> None:
        res = out.result
        self.request_key = requestkeys.new_key()   # taken: the next purchase is a new request
        printing = self.bench.services.get("printing")
        if printing is not None:
            printing.kick()
        data = res.to_dict()
        change = sum(t["change_fen"] for t in res.payment["tenders"])
        self.due.setText(money.fmt_symbol(res.amount_fen))
        self.change.setText(money.fmt_symbol(change))
        text = pick(f"票据号 {res.payment['receipt_no']}：{res.message}",
                    f"Receipt {res.payment['receipt_no']}: {res.message}")
        warning = res.payment.get("warning")
        if warning:           # the till gate: cash without an open till, as on the payment tab
            text += f"\n⚠ {warning}"
            self.bench.status_message.emit(warning)
        if res.written:
            self.done(text)
        else:
            self.error(CounterDeskError(text))
        self.volume.clear()
        self.amount.clear()
        self.tendered.clear()
        if out.state is not None:
            self.show_state(out.state, out.rows)
        self.bench.payment_committed.emit(res.payment)
        self.bench.stats_changed.emit()
        self.bought.emit(data)

    def write(self) -> Job | None:
        return self._start(pick("正在写卡，请勿拔卡…", "Writing the card: keep it in…"),
                           calls.write, on_done=self._written)

    def _written(self, out: calls.Outcome) -> None:
        st = out.state
        msgs = self.show_state(st, out.rows)
        if st.to_write_id is not None:
            self.error(CounterDeskError(pick("；", "; ").join(msgs)))
        else:
            self.done(pick("；", "; ").join(msgs))

    def cancel(self, reason: str | None = None, approval=None) -> Job | None:
        """退购: asks for the reason and the manager's approval unless given."""
        if self.jobs.busy:
            return None
        if reason is None:
            st = self.card_state
            what = "" if st is None or st.blank else pick(
                f"卡号 {st.card_no}：第 {st.purchase_seq} 次购气 {st.pending_volume} 立方米",
                f"Card {st.card_no}: purchase {st.purchase_seq}, {st.pending_volume} m³")
            dlg = CancelDialog(what, self)
            dlg.submitted.connect(lambda: dlg.follow(self.cancel(*dlg.values())))
            dlg.open()
            self.cancel_dialog = dlg       # OK cancels; a refusal stays in the form
            return None
        return self._start(pick("正在退购（清除卡内气量），请勿拔卡…",
                                "Cancelling (clearing the card): keep it in…"),
                           calls.cancel, approval, reason=reason,
                           printer_uri=self.bench.settings.printer.uri, on_done=self._cancelled)

    def _cancelled(self, out: calls.Outcome) -> None:
        printing = self.bench.services.get("printing")
        if printing is not None:
            printing.kick()
        self.done(out.result["message"])
        if out.state is not None:
            self.show_state(out.state, out.rows)
        self.bench.stats_changed.emit()

    # -- main window --------------------------------------------------------------------------
    def install_actions(self, mainwindow) -> None:
        act = QAction(pick("IC卡购气：读卡", "IC card: read"), mainwindow)
        act.setObjectName("action_card_read")
        act.setShortcut(QKeySequence("F12"))
        act.setShortcutContext(Qt.WindowShortcut)
        act.triggered.connect(lambda: self._open(mainwindow))
        mainwindow.addAction(act)
        menu = getattr(mainwindow, "menu_business", None)
        if menu is not None:
            menu.addAction(act)
        self.action_read = act

    def _open(self, mainwindow) -> None:
        tabs = getattr(mainwindow, "business", None)
        if tabs is not None:
            tabs.setCurrentWidget(self)
        self.read()

    def shutdown(self) -> None:
        """The main window closes: let a card job in flight end (its result is dropped)."""
        self.jobs.wait()
        self.quotes.wait()


def create(bench, parent=None) -> CardPanel:
    return CardPanel(bench, parent)
