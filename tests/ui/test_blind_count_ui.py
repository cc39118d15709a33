"""pytest-qt, issue 15 hole 3: a clerk's status bar shows business done, not money, until
their count is submitted; a manager sees the money."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk import billing, cash, clock, staff, workstation
from counterdesk.settings import Settings

DAY = dt.datetime(2026, 11, 20, 9, 0)


@pytest.fixture
def demo_db(sqlite_db):
    """UI tests run on SQLite only: the services they call are tested on both engines."""
    from counterdesk import setup

    setup.demo(sqlite_db)
    return sqlite_db


def _pay(db, actor, tendered):
    return billing.pay(db, actor, billing.SaleRequest(
        items=[billing.LineInput("CARD", "1")],
        tenders=[billing.TenderInput("cash", tendered_fen=tendered)]))


def test_clerk_status_bar_is_blind_until_the_count(qtbot, demo_db):
    from counterdesk.ui.shell.mainwindow import MainWindow

    clock.set_now(DAY)
    clerk = staff.sign_in(demo_db, "1001", "123456", window=1)
    cash.open_till(demo_db, clerk, {"100": 1})
    _pay(demo_db, clerk, 2000)
    _pay(demo_db, clerk, 5000)
    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.workstation.refresh_figures().finished, timeout=10_000):
        pass
    before = win.status_today.text()
    assert "￥" not in before and "40.00" not in before   # before: 收款 ￥40.00 shown
    assert "2" in before                                  # two payments: a count
    assert all(r["total_fen"] is None for r in billing.recent_receipts(demo_db, clerk))
    assert workstation.today_figures(demo_db, clerk).takings_fen is None
    cash.count_till(demo_db, clerk, {"N10000": 1, "N2000": 2})
    with qtbot.waitSignal(win.workstation.refresh_figures().finished, timeout=10_000):
        pass
    after = win.status_today.text()
    assert "￥40.00" in after
    assert [r["total_fen"] for r in billing.recent_receipts(demo_db, clerk)] == [2000, 2000]
    win.close()
    # a manager sees the money of the day whenever
    mgr = staff.sign_in(demo_db, "9001", "888888")
    clerk2 = staff.sign_in(demo_db, "1002", "123456", window=2)
    cash.open_till(demo_db, clerk2, {"100": 1})
    _pay(demo_db, clerk2, 2000)
    assert workstation.today_figures(demo_db, clerk2).takings_fen is None
    assert workstation.today_figures(demo_db, mgr).takings_fen == 0  # the manager's own
