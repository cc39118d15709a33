"""pytest-qt: the IC card panel — keyboard only: F12 read, volume or amount, Ctrl+G pay and
write, a pulled card and Ctrl+Shift+G, a card still not taken by the meter. Every card and
database call is a background job: the tests wait for it (``finish``, ``idle``)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from counterdesk import cards, clock
from counterdesk.cards.drivers.sim import SimReader, meter_insert
from counterdesk.settings import Settings
from counterdesk.staff import Approval
from counterdesk.ui.card import calls
from counterdesk.ui.card.panel import CardPanel
from counterdesk.ui.card.view import PurchasesModel
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.billing_helpers import DAY
from tests.helpers.cards import cash, counts, ic_account, purchases, sim_reader
from tests.helpers.forms import approve

SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])


class Shell(QMainWindow):
    def __init__(self):
        super().__init__()
        self.business = QTabWidget()
        self.setCentralWidget(self.business)
        self.menu_business = self.menuBar().addMenu("Business")


def finish(qtbot, job):
    """Wait for a background job the panel started (None: it refused to start one)."""
    assert job is not None
    if not job.done:
        qtbot.waitSignal(job.finished, timeout=10000).wait()
    return job


def idle(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.jobs.busy and not panel.quotes.busy, timeout=10000)


@pytest.fixture
def panel(qtbot, demo_db, clerk, tmp_path):
    clock.set_now(DAY)
    reader = sim_reader(tmp_path)
    acc = ic_account(demo_db)
    cards.issue(demo_db, clerk, reader, acc, tenders=cash())
    settings = Settings()
    settings.card.reader = reader.uri
    bench = Workbench(demo_db, clerk, settings)
    shell = Shell()
    shell.business.addTab(QTabWidget(), "other")
    p = CardPanel(bench, shell)
    shell.business.addTab(p, p.tab_title)
    p.install_actions(shell)
    qtbot.addWidget(shell)
    shell.show()
    qtbot.waitExposed(shell)
    p.sim = reader
    return p


def test_ledger_model_without_a_window(qtmodeltester):
    m = PurchasesModel()
    m.set_rows([{"seq": 1, "business_day": "2026-11-23", "volume": "20", "amount_fen": 5600,
                 "state": "written", "state_zh": "已写卡未输表", "receipt_no": "2026-000002"}])
    qtmodeltester.check(m)
    assert m.data(m.index(0, 3)) == "56.00" and m.data(m.index(0, 4)) == "已写卡未输表"


@SQLITE_ONLY
def test_keyboard_only_purchase(qtbot, panel, demo_db):
    shell = panel.window()
    qtbot.keyClick(shell, Qt.Key_F12)
    assert shell.business.currentWidget() is panel
    idle(qtbot, panel)
    assert "HQ0100000001" in panel.state.text() and panel.volume.hasFocus()
    qtbot.keyClicks(panel.volume, "20")
    qtbot.waitUntil(lambda: panel.due.text().startswith("￥56.00"))
    qtbot.keyClick(panel.volume, Qt.Key_Return)     # Enter: next field (amount)
    assert panel.amount.hasFocus()
    panel.tendered.setFocus()
    qtbot.keyClicks(panel.tendered, "100")
    with qtbot.waitSignal(panel.bench.payment_committed, timeout=10000) as sig:
        qtbot.keyClick(panel.tendered, Qt.Key_G, Qt.ControlModifier)
    assert sig.args[0]["total_fen"] == 5600
    idle(qtbot, panel)
    assert panel.change.text() == "￥44.00"
    assert "已写卡" in panel.message.text()
    assert "还没有开钱箱" in panel.message.text()    # cash without a till: the till gate's word
    assert "尚未输入表具" in panel.state.text()
    assert panel.model.rowCount() == 1 and not panel.buy_button.isEnabled()
    # the meter has not taken it: a new purchase is refused
    qtbot.keyClicks(panel.volume, "5")
    idle(qtbot, panel)
    qtbot.keyClick(panel.volume, Qt.Key_G, Qt.ControlModifier)
    idle(qtbot, panel)
    assert "卡内气量尚未输入表具" in panel.message.text()
    assert len(purchases(demo_db)) == 1


@SQLITE_ONLY
def test_amount_mode_and_a_pulled_card(qtbot, panel, demo_db):
    panel.window().business.setCurrentWidget(panel)
    finish(qtbot, panel.read())
    qtbot.keyClicks(panel.amount, "100")
    qtbot.waitUntil(lambda: "35 立方米" in panel.due.text())
    panel.sim.set_fault("pull")
    finish(qtbot, panel.buy())
    assert "写卡失败" in panel.message.text()
    assert [p.state for p in purchases(demo_db)] == ["to_write"]
    panel.sim.insert("HQ0100000001")
    panel.volume.setFocus()
    qtbot.keyClick(panel.volume, Qt.Key_G, Qt.ControlModifier | Qt.ShiftModifier)
    idle(qtbot, panel)
    assert "已补写第 1 次" in panel.message.text()
    finish(qtbot, panel.write())                    # a second press writes nothing
    assert "无需写卡" in panel.message.text()
    assert meter_insert(panel.sim)["taken"]
    finish(qtbot, panel.read())
    assert "表具已输入" in panel.state.text() and panel.buy_button.isEnabled()


@SQLITE_ONLY
def test_no_reader_and_bad_volume(qtbot, panel, demo_db):
    finish(qtbot, panel.read())
    qtbot.keyClicks(panel.volume, "1.5")
    qtbot.waitUntil(lambda: "小数位过多" in panel.message.text())
    assert panel.due.text() == ""
    panel.bench.settings.card.reader = ""
    assert panel.read() is None
    assert "未设置读卡器" in panel.message.text()


class Gate:
    """Holds a simulated reader's ``read`` or ``write`` on the thread that called it until
    the test lets it go (a pcsc: reader's second of card I/O); records those threads."""

    def __init__(self, monkeypatch, name: str):
        self.entered, self.release, self.threads = threading.Event(), threading.Event(), []
        real = getattr(SimReader, name)

        def held(reader, *args, **kwargs):
            self.threads.append(threading.current_thread())
            self.entered.set()
            self.release.wait(10)
            return real(reader, *args, **kwargs)

        monkeypatch.setattr(SimReader, name, held)

    def off_gui_thread(self) -> bool:
        return bool(self.threads) and threading.main_thread() not in self.threads


@SQLITE_ONLY
def test_the_card_is_read_off_the_gui_thread(qtbot, panel, monkeypatch):
    gate = Gate(monkeypatch, "read")
    job = panel.read()
    qtbot.waitUntil(gate.entered.is_set)
    # the reader holds the card: the screen still answers and says what it is doing
    assert panel.busy.text().startswith("正在读卡") and not panel.read_button.isEnabled()
    assert panel.read() is None and panel.write() is None         # F12 again: nothing
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1])                         # the event loop runs
    gate.release.set()
    finish(qtbot, job)
    assert gate.off_gui_thread()
    assert "HQ0100000001" in panel.state.text() and panel.busy.text() == ""
    assert panel.read_button.isEnabled() and panel.buy_button.isEnabled()


@SQLITE_ONLY
def test_double_ctrl_g_takes_one_purchase(qtbot, panel, demo_db, monkeypatch):
    finish(qtbot, panel.read())
    qtbot.keyClicks(panel.volume, "20")
    panel.tendered.setText("100")
    idle(qtbot, panel)
    before = counts(demo_db)
    gate = Gate(monkeypatch, "write")
    panel.window().business.setCurrentWidget(panel)
    panel.volume.setFocus()
    qtbot.keyClick(panel.volume, Qt.Key_G, Qt.ControlModifier)
    qtbot.waitUntil(gate.entered.is_set)            # paid, the card being written
    assert not panel.buy_button.isEnabled() and panel.busy.text().startswith("正在收款")
    qtbot.keyClick(panel.volume, Qt.Key_G, Qt.ControlModifier)   # impatient: again
    qtbot.mouseClick(panel.buy_button, Qt.LeftButton)
    assert panel.buy() is None
    with qtbot.waitSignal(panel.bench.payment_committed, timeout=10000):
        gate.release.set()
    idle(qtbot, panel)
    after = counts(demo_db)
    assert after["card_purchases"] - before["card_purchases"] == 1
    assert after["payments"] - before["payments"] == 1
    assert len(gate.threads) == 1 and gate.off_gui_thread()
    assert "已写卡" in panel.message.text() and panel.busy.text() == ""


@SQLITE_ONLY
def test_a_meter_change_notice_is_shown_and_blocks_the_purchase(qtbot, panel, demo_db,
                                                                monkeypatch):
    real = cards.read_card
    extra: dict = {}

    def read_with(*args, **kwargs):
        st = real(*args, **kwargs)
        for k, v in extra.items():
            setattr(st, k, v)
        return st

    monkeypatch.setattr(cards, "read_card", read_with)
    panel.window().business.setCurrentWidget(panel)
    due = {"order_no": "GD2026112300001", "old_meter_no": "IC0100888001",
           "new_meter_no": "IC0100999002", "card_meter_no": "IC0100888001",
           "message": "换表工单 GD2026112300001 已完成，请先办理IC卡换表",
           "message_en": "Meter change order GD2026112300001 is done: do the card's meter change"}
    extra["meter_change_due"] = due
    finish(qtbot, panel.read())
    assert panel.notice.isVisible() and not panel.buy_button.isEnabled()
    assert "GD2026112300001" in panel.notice.text() and "请先办理IC卡换表" in panel.notice.text()
    panel.volume.setText("20")
    qtbot.keyClick(panel.volume, Qt.Key_G, Qt.ControlModifier)
    assert "请先办理IC卡换表" in panel.message.text() and not panel.jobs.busy
    assert purchases(demo_db) == []
    extra.clear()                       # the card's meter change done: the purchase is open
    finish(qtbot, panel.read())
    assert not panel.notice.isVisible() and panel.notice.text() == ""
    assert panel.buy_button.isEnabled()


def test_notice_shapes_without_a_window():
    st = SimpleNamespace(blank=False, meter_change_due=None)
    assert calls.notices(st) == ([], False)
    st.meter_change_due = {"message": "此户已换表，请先办理IC卡换表", "message_en": "Changed",
                           "order_no": "GD1"}
    assert calls.notices(st) == (["此户已换表，请先办理IC卡换表"], True)
    st.meter_change_due = {"order_no": "GD2", "old_meter_no": "A1", "new_meter_no": "B2"}
    lines, blocked = calls.notices(st)
    assert blocked and "GD2" in lines[0] and "IC卡换表" in lines[0]
    assert calls.notices(SimpleNamespace(blank=True, meter_change_due=st.meter_change_due)) \
        == ([], False)


@SQLITE_ONLY
def test_cancel_is_a_job_with_the_managers_approval(qtbot, panel, demo_db):
    finish(qtbot, panel.read())
    panel.volume.setText("20")
    panel.tendered.setText("56")
    with qtbot.waitSignal(panel.bench.payment_committed, timeout=10000):
        panel.buy()
    idle(qtbot, panel)
    job = finish(qtbot, panel.cancel("客户不要了", Approval("1002", "123456")))
    assert not job.ok and "主任" in panel.message.text()
    assert panel.cancel() is None                       # the form: what the card holds
    form = panel.cancel_dialog
    assert "第 1 次购气" in "".join(lbl.text() for lbl in form.findChildren(QLabel))
    form.reason.setText("客户不要了")
    approve(form, "9001", "000000")
    qtbot.waitUntil(lambda: "密码" in form.message.text(), timeout=10000)
    assert form.isVisible() and form.focusWidget() is form.auth.password
    assert [p.state for p in purchases(demo_db)] == ["written"]
    form.auth.password.setText("888888")
    with qtbot.waitSignal(form.finished, timeout=10000):
        form.buttons.accepted.emit()
    idle(qtbot, panel)
    assert "已退购第 1 次" in panel.message.text()
    assert [p.state for p in purchases(demo_db)] == ["cancelled"]
    assert "卡内未输表气量 0" in panel.state.text()


@SQLITE_ONLY
def test_a_retry_after_a_lost_reply_takes_the_first_purchase(qtbot, panel, demo_db,
                                                             monkeypatch):
    """The reply to the purchase's COMMIT is lost (the purchase was taken): the clerk presses
    Ctrl+G again and the panel sends the same request key, so the first purchase is
    recovered, never a second one; the next purchase has a new key (issue 16.1)."""
    from counterdesk.errors import DatabaseError

    real, keys = cards.buy, []

    def lost_reply_once(*args, **kwargs):
        keys.append(kwargs.get("request_key"))
        res = real(*args, **kwargs)
        if len(keys) == 1:
            raise DatabaseError("与数据库的连接中断", "The connection to the database was lost")
        return res

    monkeypatch.setattr(cards, "buy", lost_reply_once)
    finish(qtbot, panel.read())
    before = counts(demo_db)
    panel.volume.setText("20")
    panel.tendered.setText("100")
    finish(qtbot, panel.buy())
    assert "连接中断" in panel.message.text()
    finish(qtbot, panel.buy())                     # the clerk presses again
    assert keys[0] is not None and keys[1] == keys[0]
    after = counts(demo_db)
    assert after["card_purchases"] == before["card_purchases"] + 1
    assert after["payments"] == before["payments"] + 1
    assert panel.request_key != keys[0]           # taken: the next purchase is a new request
