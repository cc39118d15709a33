"""pytest-qt: the IC card panel — keyboard only: F12 read, volume or amount, Ctrl+G pay and
write, a pulled card and Ctrl+Shift+G, a card still not taken by the meter. Every card and
database call is a background job: the tests wait for it (``finish``, ``idle``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTabWidget

from counterdesk import cards, clock
from counterdesk.cards.drivers.sim import meter_insert
from counterdesk.settings import Settings
from counterdesk.ui.card.panel import CardPanel
from counterdesk.ui.card.view import PurchasesModel
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.billing_helpers import DAY
from tests.helpers.cards import cash, ic_account, purchases, sim_reader

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
