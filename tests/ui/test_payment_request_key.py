"""pytest-qt: the payment screen never takes the same request twice (issue 16 point 1).

The request key is made when the clerk takes the payment and kept until the outcome is
known: after "outcome unknown" (the reply to COMMIT was lost and the database did not
answer the look-up) pressing Take again asks about the same request and shows the truth.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow, QTabWidget
from sqlalchemy import func, select

from counterdesk import billing, clock
from counterdesk.errors import OutcomeUnknown
from counterdesk.models.billing import Payment
from counterdesk.settings import Settings
from counterdesk.ui.payment.panel import PaymentPanel
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.billing_helpers import DAY

pytestmark = pytest.mark.parametrize("db_kind", ["sqlite"])


@pytest.fixture
def panel(qtbot, demo_db, clerk):
    clock.set_now(DAY)
    bench = Workbench(demo_db, clerk, Settings())
    shell = QMainWindow()
    tabs = QTabWidget()
    shell.setCentralWidget(tabs)
    shell.menuBar().addMenu("Business")
    p = PaymentPanel(bench, shell)
    tabs.addTab(p, p.tab_title)
    qtbot.addWidget(shell)
    yield p
    p.shutdown()


def take(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.loading, timeout=10_000)   # the quote first
    job = panel.take_payment()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    return job


def payments(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Payment)).scalar_one()


def test_lost_reply_then_retry_shows_the_first_receipt(qtbot, panel, demo_db, monkeypatch):
    real = billing.pay
    keys = []

    def reply_lost(*args, request_key=None, **kwargs):
        keys.append(request_key)
        if len(keys) == 1:       # committed, then the look-up found no database
            real(*args, request_key=request_key, **kwargs)
            raise OutcomeUnknown("与数据库的连接中断，暂时无法确认……请不要重新办理", "unknown")
        return real(*args, request_key=request_key, **kwargs)

    monkeypatch.setattr(billing, "pay", reply_lost)
    panel.item.setText("CARD")
    panel.add_item()
    first = take(qtbot, panel)
    assert not first.ok and "请不要重新办理" in panel.message.text()
    assert panel.request_key == keys[0]                      # kept: outcome unknown
    second = take(qtbot, panel)
    assert second.ok and keys[1] == keys[0]
    assert second.value.replayed == "retry"
    text = panel.message.text()   # (no translator installed here: the English source)
    assert "not taken twice" in text and second.value.receipt_no in text
    assert payments(demo_db) == 1 and panel.request_key is None
    panel.item.setText("CARD")                               # the next customer: a new key
    panel.add_item()
    third = take(qtbot, panel)
    assert third.ok and keys[2] != keys[0] and payments(demo_db) == 2


def test_a_refusal_forgets_the_key(qtbot, panel):
    panel.item.setText("CARD")
    panel.add_item()
    panel.tendered.setText("0.01")                           # short: refused, nothing taken
    job = take(qtbot, panel)
    assert not job.ok and panel.request_key is None


def test_till_movement_retried_after_a_lost_reply_is_moved_once(qtbot, demo_db, clerk,
                                                                 monkeypatch):
    from counterdesk import cash
    from counterdesk.models.cash import CashMovement
    from counterdesk.staff import Approval
    from counterdesk.ui.till.panel import TillPanel

    clock.set_now(DAY)
    p = TillPanel(Workbench(demo_db, clerk, Settings()))
    qtbot.addWidget(p)
    cash.open_till(demo_db, clerk, {"100": 5})
    real, keys = cash.move_cash, []

    def reply_lost(*args, request_key=None, **kwargs):
        keys.append(request_key)
        res = real(*args, request_key=request_key, **kwargs)
        if len(keys) == 1:
            raise OutcomeUnknown("暂时无法确认……请不要重新办理", "unknown")
        return res

    monkeypatch.setattr(cash, "move_cash", reply_lost)
    mgr = Approval("9001", "888888")
    for ok in (False, True):                                  # the same movement again
        job = p.move("in", "100", "补零钱", mgr)
        with qtbot.waitSignal(job.finished, timeout=5000):
            pass
        assert job.ok is ok
    assert keys[0] == keys[1]
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(CashMovement)).scalar_one() == 1
