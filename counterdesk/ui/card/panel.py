"""The IC card panel's controller: F12 reads the card (and writes a purchase still "to
write"), the clerk types a volume or an amount, Ctrl+G takes the money and writes the
card, Ctrl+Shift+G writes again after a failed write. Keyboard only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from ... import cards, money
from ...billing import TenderInput
from ...errors import CounterDeskError, ValidationError
from ...i18n import pick
from .view import CardPanelView


class CardPanel(CardPanelView):
    bought = Signal(dict)

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.tab_title = pick("IC卡购气", "IC card")
        self.card_state: cards.CardState | None = None
        self.read_button.clicked.connect(self.read)
        self.buy_button.clicked.connect(self.buy)
        self.write_button.clicked.connect(self.write)
        self.volume.textEdited.connect(lambda _t: (self.amount.clear(), self.preview()))
        self.amount.textEdited.connect(lambda _t: (self.volume.clear(), self.preview()))
        for w in (self.volume, self.amount, self.tendered, self.reference):
            w.returnPressed.connect(self.focusNextChild)
        for keys, slot in (("Ctrl+G", self.buy), ("Ctrl+Shift+G", self.write)):
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        self.buy_button.setEnabled(False)

    # -- helpers ----------------------------------------------------------------------------
    def reader(self):
        uri = self.bench.settings.card.reader
        if not uri:
            raise ValidationError("未设置读卡器：请在设置中填写 card.reader（sim:文件夹 或 pcsc:读卡器名称）",
                                  "No card reader set (settings card.reader)", field="reader")
        return cards.open_reader(uri)

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

    def show_state(self, st: cards.CardState) -> None:
        self.card_state = st
        if st.blank:
            self.state.setText(pick("空白卡（未发卡）", "Blank card (not issued)"))
            self.model.set_rows([])
            self.buy_button.setEnabled(False)
            return
        taken = pick("表具已输入", "taken by the meter") if st.meter_taken else \
            pick("尚未输入表具", "NOT yet taken by the meter")
        self.state.setText(
            f"{pick('卡号', 'Card')} {st.card_no}   {pick('户号', 'Account')} {st.account_no} "
            f"{st.holder}   {pick('表号', 'Meter')} {st.meter_no}\n"
            f"{pick('购气次数', 'Purchases')} {st.purchase_seq}   "
            f"{pick('卡内未输表气量', 'On card')} {st.pending_volume} {pick('立方米', 'm³')}   "
            f"{taken}\n{pick('表具回抄：', 'Meter: ')}{pick('剩余', 'remaining')} {st.remaining}  "
            f"{pick('累计用气', 'used')} {st.cumulative}  {pick('报警', 'alarms')} {st.alarms}")
        led = cards.ledger(self.bench.db, self.bench.actor.hall_id, st.account_no)
        self.model.set_rows(list(reversed(led["purchases"])))
        self.buy_button.setEnabled(st.meter_taken and st.to_write_id is None)

    # -- actions --------------------------------------------------------------------------------
    def read(self) -> cards.CardState | None:
        try:
            st = cards.read_card(self.bench.db, self.bench.actor, self.reader())
        except CounterDeskError as exc:
            self.error(exc)
            return None
        self.show_state(st)
        if st.messages and (st.to_write_id is not None or not st.meter_taken):
            self.error(CounterDeskError(pick("；", "; ").join(st.messages)))
        else:
            self.done(pick("；", "; ").join(st.messages) or pick("读卡完成", "Card read"))
            self.volume.setFocus()
        if st.account_no:
            self.bench.current_account = st.account_no
        return st

    def preview(self) -> None:
        st = self.card_state
        if st is None or st.blank:
            return
        try:
            q = cards.quote(self.bench.db, self.bench.actor, st.account_no,
                            volume=self.volume.text() or None, amount_fen=self._amount())
        except CounterDeskError as exc:
            self.due.setText("")
            self.error(exc)
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

    def buy(self) -> dict | None:
        if self.card_state is None or self.card_state.blank:
            self.error(CounterDeskError("请先读卡（F12）", "Read the card first (F12)"))
            return None
        try:
            res = cards.buy(self.bench.db, self.bench.actor, self.reader(),
                            volume=self.volume.text().strip() or None,
                            amount_fen=self._amount(), tenders=self.tenders(),
                            printer_uri=self.bench.settings.printer.uri,
                            expect_account=self.card_state.account_no)
        except CounterDeskError as exc:
            self.error(exc)
            return None
        printing = self.bench.services.get("printing")
        if printing is not None:
            printing.kick()
        data = res.to_dict()
        change = sum(t["change_fen"] for t in res.payment["tenders"])
        self.due.setText(money.fmt_symbol(res.amount_fen))
        self.change.setText(money.fmt_symbol(change))
        text = pick(f"票据号 {res.payment['receipt_no']}：{res.message}",
                    f"Receipt {res.payment['receipt_no']}: {res.message}")
        if res.written:
            self.done(text)
        else:
            self.error(CounterDeskError(text))
        self.volume.clear()
        self.amount.clear()
        self.tendered.clear()
        try:
            self.show_state(cards.read_card(self.bench.db, self.bench.actor, self.reader()))
        except CounterDeskError:
            pass
        self.bench.payment_committed.emit(res.payment)
        self.bench.stats_changed.emit()
        self.bought.emit(data)
        return data

    def write(self) -> cards.CardState | None:
        try:
            st = cards.write(self.bench.db, self.bench.actor, self.reader())
        except CounterDeskError as exc:
            self.error(exc)
            return None
        self.show_state(st)
        if st.to_write_id is not None:
            self.error(CounterDeskError(pick("；", "; ").join(st.messages)))
        else:
            self.done(pick("；", "; ").join(st.messages))
        return st

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


def create(bench, parent=None) -> CardPanel:
    return CardPanel(bench, parent)
