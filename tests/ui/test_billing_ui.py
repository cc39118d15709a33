"""pytest-qt: the payment tab — keyboard flow, bills, amounts, dead printer, void."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QTabWidget

from counterdesk import billing, clock
from counterdesk.print.escpos_doc import decode
from counterdesk.settings import Settings
from counterdesk.staff import Approval
from counterdesk.ui.payment.models import BillsModel, LinesModel
from counterdesk.ui.payment.panel import PaymentPanel
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.billing_helpers import DAY, bill, make_account
from tests.helpers.colours import reddish
from tests.helpers.forms import approve

SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])
# The item completer's popup asks the offscreen platform for things it cannot do.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                            "This plugin does not support grabbing")


class Shell(QMainWindow):
    """The bits of the main window the panel uses."""

    def __init__(self):
        super().__init__()
        self.business = QTabWidget()
        self.setCentralWidget(self.business)
        self.menu_business = self.menuBar().addMenu("Business")


def settle(qtbot, panel):
    """Wait for the tab's reads (price list, account, quote) and receipt calls to end."""
    qtbot.waitUntil(lambda: not panel.loading and not panel.receipt_jobs.busy, timeout=10_000)


def done(qtbot, job):
    """Wait for a job; its value (None when it failed)."""
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    return job.value if job.ok else None


def pay(qtbot, panel):
    """Take the payment and wait for the service's answer: the result, or None."""
    settle(qtbot, panel)
    job = panel.take_payment()
    if job is None:
        return None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    return job.value if job.ok else None


@pytest.fixture
def panel(qtbot, demo_db, clerk, printer):
    clock.set_now(DAY)
    settings = Settings()
    settings.printer.uri = printer.uri
    bench = Workbench(demo_db, clerk, settings)
    shell = Shell()
    p = PaymentPanel(bench, shell)
    shell.business.addTab(p, p.tab_title)
    p.install_actions(shell)
    qtbot.addWidget(shell)
    shell.show()
    qtbot.waitExposed(shell)
    settle(qtbot, p)
    yield p
    p.shutdown()


def test_models_without_a_window(qtmodeltester):
    lines = LinesModel()
    lines.set_lines([{"code": "HOSE", "name": "波纹管", "qty": "2.5", "unit": "米",
                      "unit_price_fen": 1500, "amount_fen": 3750, "tiers": []},
                     {"code": "BILL", "name": "燃气费 2026-10", "qty": "1", "unit": "期",
                      "unit_price_fen": 100, "amount_fen": 100, "tiers": []}])
    qtmodeltester.check(lines)
    assert lines.rowCount() == 1 and lines.data(lines.index(0, 3)) == "37.50"
    lines.add("HOSE", "1")
    lines.add("HOSE", "0.5")
    assert lines.entries == [{"code": "HOSE", "qty": "1.5"}]
    bills = BillsModel()
    bills.set_bills([{"period": "2026-09", "volume": "30", "open_fen": 8640,
                      "due_date": "2026-10-15"},
                     {"period": "2026-10", "volume": "36", "open_fen": 10080,
                      "due_date": "2026-11-15"}])
    qtmodeltester.check(bills)
    bills.toggle(1)
    assert bills.selected_periods() == ["2026-10"]
    assert bills.data(bills.index(1, 0), Qt.CheckStateRole) == Qt.Checked


@SQLITE_ONLY
@OFFSCREEN_POPUP
def test_keyboard_only_cash_payment(qtbot, panel, printer, demo_db):
    amounts = []
    panel.bench.customer_amounts.connect(amounts.append)
    assert not hasattr(panel, "price") and not panel.findChildren(type(panel.item), "price")
    qtbot.keyClicks(panel.item, "hose")
    qtbot.keyClick(panel.item, Qt.Key_Return)
    assert panel.qty.hasFocus()
    panel.qty.selectAll()
    qtbot.keyClicks(panel.qty, "2.5")
    qtbot.keyClick(panel.qty, Qt.Key_Return, Qt.KeypadModifier)   # keypad Enter
    qtbot.keyClicks(panel.item, "VALVE")     # typed while the first line is priced
    qtbot.keyClick(panel.item, Qt.Key_Return)
    qtbot.keyClick(panel.qty, Qt.Key_Return)
    settle(qtbot, panel)
    assert panel.due.text() == "105.50"
    assert panel.capitals.text() == "壹佰零伍元伍角整"
    qtbot.keyClicks(panel.tendered, "200")
    assert panel.change.text() == "94.50" and panel.tendered_big.text() == "200.00"
    assert amounts[-1] == {"due_fen": 10550, "tendered_fen": 20000, "change_fen": 9450}
    with qtbot.waitSignal(panel.bench.payment_committed, timeout=5000) as sig:
        qtbot.keyClick(panel.tendered, Qt.Key_Return, Qt.ControlModifier)
    data = sig.args[0]
    assert data["receipt_no"] == "2026-000001" and data["total_fen"] == 10550
    assert data["change_fen"] == 9450
    assert panel.change.text() == "94.50"          # still shown for 唱付
    assert panel.lines_model.entries == []          # ready for the next customer
    text = decode(printer.wait_for(1)[0])
    assert "2026-000001" in text and "找零" in text
    # the next payment ticket: the last customer's amounts are cleared
    panel.bench.ticket_called.emit({"number": "A002", "service": "A"})
    assert panel.change.text() == "" and panel.due.text() == "0.00"
    assert panel.tendered_big.text() == "" and panel.account.hasFocus()


@SQLITE_ONLY
def test_refused_input_writes_nothing(qtbot, panel, demo_db):
    refused = []
    panel.bench.rule_refused.connect(lambda k, m: refused.append(m))
    panel.item.setText("HOSE-OLD")
    panel.add_item()
    settle(qtbot, panel)
    assert "停止执行" in panel.message.text() and panel.lines_model.entries == []
    panel.item.setText("CARD")
    panel.add_item()
    settle(qtbot, panel)
    panel.tendered.setText("5")
    assert pay(qtbot, panel) is None
    assert "少于应收" in panel.message.text() and len(refused) == 1   # HOSE-OLD only
    assert "15.00" in panel.change.text()
    assert billing.pending_count(demo_db, panel.actor.hall_id) == 0
    assert panel.lines_model.entries == [{"code": "CARD", "qty": "1"}]   # kept for a retry


@SQLITE_ONLY
def test_open_payment_with_bills_and_split(qtbot, panel, demo_db):
    make_account(demo_db, bills=[("2026-09", 8640), ("2026-10", 10080)])
    panel.item.setText("CARD")
    panel.add_item()
    settle(qtbot, panel)
    panel.bench.ticket_called.emit({"number": "A001", "service": "A"})
    # a fresh screen asking for the account number
    assert panel.lines_model.entries == [] and panel.account.hasFocus()
    panel.bench.open_payment.emit("0100012345")
    settle(qtbot, panel)
    assert panel.holder.text().startswith("张*明")
    assert panel.bills_model.rowCount() == 2
    # a loaded account has its open bills ticked; Space unticks one
    assert panel.bills_model.selected_periods() == ["2026-09", "2026-10"]
    assert panel.due.text() == "187.20" and panel.tendered.hasFocus()
    panel.bills_view.setFocus()
    panel.bills_view.setCurrentIndex(panel.bills_model.index(0, 0))
    qtbot.keyClick(panel.bills_view, Qt.Key_Space)
    settle(qtbot, panel)
    assert panel.bills_model.selected_periods() == ["2026-10"]
    assert panel.due.text() == "100.80"
    qtbot.keyClick(panel.bills_view, Qt.Key_Tab)      # Tab leaves the table
    assert not panel.bills_view.hasFocus()
    panel.method.setCurrentIndex(panel.method.findData("cash"))
    panel.split_method.setCurrentIndex(panel.split_method.findData("qr"))
    panel.split_amount.setText("50")
    panel.split_reference.setText("WX2026112300123")
    panel.tendered.setText("60")
    assert panel.change.text() == "9.20"
    res = pay(qtbot, panel)
    assert res is not None and [t["method"] for t in res.tenders] == ["cash", "qr"]
    assert bill(demo_db, "0100012345", "2026-10").paid_fen == 10080


@SQLITE_ONLY
def test_dead_printer_keeps_the_ui_responsive_and_switch_printer(qtbot, demo_db, clerk,
                                                                 printer, printer_factory):
    clock.set_now(DAY)
    stall = printer_factory("stall")
    settings = Settings()
    settings.printer.uri = stall.uri + "?status=1"   # the paper query is never answered
    settings.printer.timeout = 3.0
    bench = Workbench(demo_db, clerk, settings)
    p = PaymentPanel(bench)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    states = []
    bench.printer_state.connect(states.append)
    try:
        p.item.setText("CARD")
        p.add_item()
        settle(qtbot, p)
        ticks = []
        timer = QTimer()
        timer.setInterval(50)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        t = time.monotonic()
        with qtbot.waitSignal(p.printing.failed, timeout=15000):
            res = pay(qtbot, p)
            assert res is not None and time.monotonic() - t < 1.5   # commit, not print
        timer.stop()
        # the event loop kept running while the worker waited for the printer
        assert len(ticks) >= 10 and max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 1.0
        qtbot.waitUntil(lambda: p.pending_badge.isVisible(), timeout=5000)
        assert "1" in p.pending_badge.text() and states[-1]["online"] is False
        assert billing.pending_jobs(demo_db, clerk.hall_id)[0].last_error
        assert p.switch_printer(printer.uri)
        qtbot.waitUntil(lambda: not p.pending_badge.isVisible(), timeout=10000)
        assert res.receipt_no in decode(printer.wait_for(1)[0])
        assert states[-1]["pending"] == 0
    finally:
        p.shutdown()


@SQLITE_ONLY
def test_unconfirmed_receipt_is_told_once_and_reprinted_as_bu_da(qtbot, demo_db, clerk,
                                                                 printer, printer_factory):
    clock.set_now(DAY)
    keep = printer_factory("keep-open")
    settings = Settings()
    settings.printer.uri = keep.uri + "?timeout=1"
    bench = Workbench(demo_db, clerk, settings)
    p = PaymentPanel(bench)
    qtbot.addWidget(p)
    p.show()
    told = []
    p.printing.unconfirmed.connect(lambda job, msg: told.append(job["receipt_no"]))
    try:
        p.item.setText("CARD")
        p.add_item()
        settle(qtbot, p)
        with qtbot.waitSignal(p.printing.unconfirmed, timeout=15000):
            res = pay(qtbot, p)
        assert told == [res.receipt_no]
        assert res.receipt_no in p.message.text() and "补打" in p.message.text()
        p.printing.kick()                       # a retry never resends it
        qtbot.waitUntil(lambda: p.printing.spooler.passes >= 2, timeout=10000)
        assert told == [res.receipt_no] and keep.connections == 1
        assert not p.pending_badge.isVisible()
        assert p.switch_printer(printer.uri)
        assert done(qtbot, p.reprint(res.receipt_no)) is not None
        data = printer.wait_for(1)[0]
        assert "补打（第1次）" in decode(data) and b"\x1bp\x00" not in data
    finally:
        p.shutdown()


@SQLITE_ONLY
def test_reprint_and_void_from_the_panel(qtbot, panel, demo_db, printer):
    panel.item.setText("VALVE")
    panel.add_item()
    settle(qtbot, panel)
    res = pay(qtbot, panel)
    printer.wait_for(1)
    qtbot.waitUntil(lambda: billing.pending_count(demo_db, panel.actor.hall_id) == 0)
    assert done(qtbot, panel.reprint(res.receipt_no)) is not None
    assert "补打（第1次）" in decode(printer.wait_for(2)[1])
    assert done(qtbot, panel.void(res.receipt_no, Approval("1002", "123456"), reason="x")) \
        is None
    assert "主任" in panel.message.text()
    # Ctrl+Shift+V's form: a clerk as the approver is refused in the form, which stays
    # with what was typed; the manager's password then voids and closes it
    with qtbot.waitSignal(panel.void().finished, timeout=5000):   # the picker's list
        pass
    form = panel.void_dialog
    assert form.isVisible() and res.receipt_no in [form.receipt.itemText(i)
                                                   for i in range(form.receipt.count())]
    form.receipt.setCurrentText(res.receipt_no)
    form.reason.setText("收错")
    approve(form, "1002", "123456")
    qtbot.waitUntil(lambda: "主任" in form.message.text(), timeout=5000)
    assert form.isVisible() and form.focusWidget() is form.auth.approver
    assert form.reason.text() == "收错"
    form.auth.approver.setText("9001")
    form.auth.password.setText("888888")
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "冲正" in panel.message.text() or "reversal" in
                    panel.message.text(), timeout=5000)
    assert "作废冲正收据" in decode(printer.wait_for(3)[2])


@SQLITE_ONLY
def test_shortcuts_are_the_billing_ones(panel):
    keys = {a.shortcut().toString() for a in (panel.action_pay, panel.action_take,
                                              panel.action_reprint, panel.action_void)}
    assert keys == {"F9", "Ctrl+Return", "Ctrl+P", "Ctrl+Shift+V"}


@SQLITE_ONLY
def test_account_number_enter_ticks_the_bills_and_focuses_the_tendered(qtbot, panel,
                                                                      demo_db):
    make_account(demo_db, bills=[("2026-09", 8640), ("2026-10", 10080)])
    panel.bench.ticket_called.emit({"number": "A001", "service": "A"})
    assert panel.account.hasFocus()
    qtbot.keyClicks(panel.account, "0100012345", Qt.KeypadModifier)
    qtbot.keyClick(panel.account, Qt.Key_Enter, Qt.KeypadModifier)
    settle(qtbot, panel)
    assert panel.bills_model.selected_periods() == ["2026-09", "2026-10"]
    assert panel.tendered.hasFocus() and panel.due.text() == "187.20"
    qtbot.keyClicks(panel.tendered, "200", Qt.KeypadModifier)
    assert panel.change.text() == "12.80"
    # Enter on the same account again keeps the clerk's ticks
    panel.bills_model.toggle(0)
    panel.load_account()
    settle(qtbot, panel)
    assert panel.bills_model.selected_periods() == ["2026-10"]
    # an empty account number and Enter: a walk-in sale, straight to the items
    panel.reset()
    panel.account.setFocus()
    qtbot.keyClick(panel.account, Qt.Key_Return)
    assert panel.item.hasFocus()


@SQLITE_ONLY
def test_f9_takes_over_the_account_open_in_the_account_tab(qtbot, panel, demo_db):
    make_account(demo_db, bills=[("2026-09", 8640), ("2026-10", 10080)])
    panel.bench.current_account = "0100012345"      # what the account tab does
    panel.bench.account_selected.emit("0100012345")
    panel.action_pay.trigger()                      # F9
    settle(qtbot, panel)
    assert panel.account.text() == "0100012345" and panel.holder.text().startswith("张*明")
    assert panel.bills_model.selected_periods() == ["2026-09", "2026-10"]
    assert panel.due.text() == "187.20" and panel.tendered.hasFocus()
    panel.bills_model.toggle(1)
    settle(qtbot, panel)
    panel.action_pay.trigger()                      # F9 again: nothing reloaded
    assert not panel.loading
    assert panel.bills_model.selected_periods() == ["2026-09"]


@SQLITE_ONLY
def test_the_price_list_is_read_once_not_per_customer(qtbot, panel, monkeypatch):
    calls = []
    real = billing.list_prices
    monkeypatch.setattr(billing, "list_prices",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    for n in range(3):
        panel.bench.ticket_called.emit({"number": f"A00{n}", "service": "A"})
        panel.item.setFocus()
    assert calls == []
    panel.catalogue.loaded_at -= 10_000                  # older than CATALOGUE_TTL
    panel.account.setFocus()
    panel.item.setFocus()
    settle(qtbot, panel)
    assert calls == [1]
    panel.refresh_catalogue(force=True)             # e.g. after a price change here
    settle(qtbot, panel)
    assert calls == [1, 1]


@SQLITE_ONLY
def test_f9_on_an_empty_tab_asks_for_the_account_and_an_account_typed_as_item(qtbot, panel,
                                                                               demo_db):
    """Issue 18.8: F9 on an empty tab focuses 户号; an account number typed into the item
    field is taken as the account (said so), not refused as an unknown item."""
    make_account(demo_db, bills=[("2026-09", 8640)])
    panel.action_pay.trigger()                      # F9, nothing loaded
    assert panel.account.hasFocus()
    panel.item.setText("0100012345")
    panel.add_item()
    settle(qtbot, panel)
    assert panel.account.text() == "0100012345" and panel.holder.text().startswith("张*明")
    assert panel.lines_model.entries == [] and "0100012345" in panel.message.text()
    assert panel.bills_model.selected_periods() == ["2026-09"]


@SQLITE_ONLY
def test_short_tender_is_red_and_a_typo_is_no_refusal(qtbot, panel, demo_db):
    """Issue 18.10: a short tender reads "还差" in red (no change); neither it nor a typo in
    the item field switches the prompt panel to a refusal script."""
    refused = []
    panel.bench.rule_refused.connect(lambda k, m: refused.append(m))
    panel.item.setText("NO-SUCH-ITEM")
    panel.add_item()
    settle(qtbot, panel)
    assert panel.message.text() and refused == []
    panel.item.setText("CARD")
    panel.add_item()
    settle(qtbot, panel)
    panel.tendered.setText("5")
    assert panel.change.text().endswith("15.00") and reddish(panel.change.styleSheet())
    assert pay(qtbot, panel) is None and refused == []
    panel.tendered.setText("50")
    assert panel.change.text() == "30.00" and not reddish(panel.change.styleSheet())


@SQLITE_ONLY
def test_reads_run_off_the_gui_thread_and_a_stale_account_is_dropped(qtbot, panel, demo_db,
                                                                     monkeypatch):
    """Issue 16.2: the account, the quote and the receipts list are read on a worker
    thread ("Working…" and the take button disabled meanwhile); an account that arrives
    after a newer one was typed is not shown."""
    import threading

    make_account(demo_db, bills=[("2026-09", 8640)])
    threads, gate = [], threading.Event()
    real_summary, real_quote = billing.account_summary, billing.quote

    def summary(db, no):
        threads.append(threading.current_thread())
        if no == "0100099999":
            gate.wait(10)            # the first account answers late
        return real_summary(db, no)

    def quote(*a, **k):
        threads.append(threading.current_thread())
        return real_quote(*a, **k)

    monkeypatch.setattr(billing, "account_summary", summary)
    monkeypatch.setattr(billing, "quote", quote)
    panel.account.setText("0100099999")
    slow = panel.load_account()
    assert panel.loading and panel.busy.isVisibleTo(panel) and not panel.take_button.isEnabled()
    panel.account.setText("0100012345")
    panel.load_account()
    qtbot.waitUntil(lambda: panel.bills_model.rowCount() == 1, timeout=10_000)
    gate.set()
    with qtbot.waitSignal(slow.finished, timeout=10_000):
        pass
    settle(qtbot, panel)
    assert panel.holder.text().startswith("张*明") and panel.due.text() == "86.40"
    assert threads and threading.main_thread() not in threads
    assert not panel.busy.isVisibleTo(panel) and panel.take_button.isEnabled()
