"""pytest-qt: the till tab (blind count, movements, X report, countersign, Ctrl+Shift+T)
and the manager's day-close dialog (check list, close, PDF, reopen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QTabWidget

from counterdesk import billing, cash, clock, staff
from counterdesk.print import escpos_doc
from counterdesk.settings import Settings
from counterdesk.ui.dayclose.dialog import DayCloseDialog
from counterdesk.ui.dayclose.models import CheckListModel, TillsModel
from counterdesk.ui.shell.bus import Workbench
from counterdesk.ui.till.models import DenominationModel, MovementModel
from counterdesk.ui.till.panel import TillPanel
from tests.helpers.colours import reddish

DAY = dt.date(2026, 11, 20)
MGR = staff.Approval("9001", "888888")


def at(h, m=0):
    clock.set_now(dt.datetime.combine(DAY, dt.time(h, m)))


def _set(model, code, n):
    row = next(i for i, r in enumerate(model.rows) if r["code"] == code)
    return model.setData(model.index(row, 1), n)


def test_denomination_model_takes_only_whole_non_negative_counts(qtbot):
    m = DenominationModel()
    assert m.rowCount() == len(cash.DENOMINATIONS) and m.columnCount() == 3
    assert _set(m, "N10000", "3") and _set(m, "C50", 4)
    assert not _set(m, "N5000", "-1") and m.error
    assert not _set(m, "C10", "2.5")
    assert not _set(m, "C10", "x")
    assert m.counts() == {"N10000": 3, "C50": 4} and m.total_fen() == 30200
    assert m.data(m.index(0, 2)) == "300.00"
    mv = MovementModel()
    mv.set_rows([{"at": "2026-11-20T10:05:00", "direction": "out", "amount_fen": 5000,
                  "reason": "存银行", "approved_by": "9001"}])
    assert mv.data(mv.index(0, 2)) == "50.00" and mv.data(mv.index(0, 0)) == "10:05"


@pytest.fixture
def panel(qtbot, demo_db, printer):
    at(8, 30)
    actor = staff.sign_in(demo_db, "1001", "123456", window=1)
    settings = Settings()
    settings.printer.uri = printer.uri
    p = TillPanel(Workbench(demo_db, actor, settings))
    qtbot.addWidget(p)
    p.show()
    settled(qtbot, p)
    return p


def settled(qtbot, panel) -> None:
    """Every call of the till tab runs off the GUI thread: wait for its answer."""
    qtbot.waitUntil(lambda: not panel.jobs.busy, timeout=10_000)


def done(qtbot, job) -> bool:
    """Wait for a change's job (None: refused before any call); True if it was made."""
    if job is None:
        return False
    if not job.done:
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
    return bool(job.ok)


def _texts(widget) -> str:
    return "\n".join(lbl.text() for lbl in widget.findChildren(QLabel))


def test_till_tab_blind_count_from_open_to_countersign(qtbot, panel, printer):
    db = panel.db
    assert panel.btn_open.isVisible() and not panel.btn_count.isVisible()
    _set(panel.grid_model, "N10000", 2)
    _set(panel.grid_model, "C50", 4)
    assert "202.00" in panel.total.text()
    qtbot.mouseClick(panel.btn_open, Qt.LeftButton)
    assert panel.jobs.busy and not panel.btn_open.isEnabled()  # off the GUI thread
    assert not panel.grid.isEnabled() and panel.busy_label.isVisibleTo(panel)
    settled(qtbot, panel)
    assert panel.info.status == "open" and panel.info.float_fen == 20200
    assert not panel.busy_label.isVisibleTo(panel) and panel.btn_count.isEnabled()
    at(10, 0)
    billing.pay(db, panel.actor, billing.SaleRequest(
        items=[billing.LineInput("ALARM", "1")], tenders=[billing.TenderInput("cash")]))
    assert done(qtbot, panel.move("out", "50", "存入保险柜", MGR))
    assert panel.movements_model.rowCount() == 1
    assert not done(qtbot, panel.move("in", "10", "补零钱", None))  # no approval: refused
    assert panel.message.text()
    done(qtbot, panel.refresh())
    expected = 20200 + 29800 - 5000                            # the test's own sum
    # nothing on screen tells the clerk the expected amount before the count
    assert "450.00" not in _texts(panel) and panel.info.expected_fen is None
    job = panel.print_x()                                      # off the GUI thread
    assert not panel.btn_x.isEnabled()                         # busy while it prints
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.ok and panel.btn_x.isEnabled() and panel.last_x
    text = escpos_doc.decode(printer.wait_for(1)[0])
    assert "X 报表" in text and "298" not in text
    # the count: 0.10 short
    panel.grid_model.clear()
    for code, n in (("N10000", 4), ("N1000", 4), ("N100", 9), ("C10", 9)):
        _set(panel.grid_model, code, n)                        # 449.90 = 450.00 − 0.10
    qtbot.mouseClick(panel.btn_count, Qt.LeftButton)          # asks first: it is final
    assert panel.last_count is None and panel.btn_count.text() != panel._count_text
    qtbot.mouseClick(panel.btn_count, Qt.LeftButton)
    settled(qtbot, panel)
    assert panel.last_count.expected_fen == expected and panel.last_count.difference_fen == -10
    assert "450.00" in panel.result.text() and "0.10" in panel.result.text()
    assert panel.btn_close.isVisible()
    qtbot.mouseClick(panel.btn_close, Qt.LeftButton)
    settled(qtbot, panel)
    assert panel.info.status == "submitted"
    assert not done(qtbot, panel.countersign(staff.Approval("1002", "123456")))
    form = panel.ask_countersign()          # the button's form: a clerk is refused in it
    form.auth.approver.setText("1002")
    form.auth.password.setText("123456")
    form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(form.message.text()), timeout=5000)
    assert form.isVisible() and panel.info.status == "submitted"
    form.auth.approver.setText(MGR.staff_no)
    form.auth.password.setText(MGR.password)
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.buttons.accepted.emit()
    settled(qtbot, panel)
    assert panel.info.status == "closed"


def test_cash_in_form_keeps_what_was_typed_when_refused(qtbot, panel):
    """The cash in / out form (an approval form opened without a loop of its own)."""
    cash.open_till(panel.db, panel.actor, {"100": 1})
    assert done(qtbot, panel.refresh())
    # the cash in / out form: a bad amount and a wrong password are said in it, and it
    # stays with what was typed; a good one records the movement and closes it
    form = panel.ask_movement()
    form.amount.setText("十元")
    form.reason.setText("补零钱")
    form.buttons.accepted.emit()
    assert form.message.text() and form.focusWidget() is form.amount and form.isVisible()
    form.amount.setText("10")
    form.direction.setCurrentIndex(form.direction.findData("in"))
    form.auth.approver.setText(MGR.staff_no)
    form.auth.password.setText("wrong")
    form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "密码" in form.message.text(), timeout=5000)
    assert form.isVisible() and form.focusWidget() is form.auth.password
    assert panel.movements_model.rowCount() == 0
    form.auth.password.setText(MGR.password)
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.buttons.accepted.emit()
    settled(qtbot, panel)
    assert panel.movements_model.rowCount() == 1


def test_counts_typed_on_the_keyboard_move_down_the_grid(qtbot, panel):
    qtbot.waitExposed(panel)
    panel.windowHandle().requestActivate()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.grid.setFocus()
    panel.grid.setCurrentIndex(panel.grid_model.index(0, 1))
    for text in ("2", "0", "3"):                   # 100元 ×2, 50元 ×0, 20元 ×3
        editor = QApplication.focusWidget()        # the cell editor opened by the grid
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key_Return)     # commit is queued: wait for the next cell
        qtbot.waitUntil(lambda e=editor: QApplication.focusWidget() is not e)
    assert panel.grid_model.counts() == {"N10000": 2, "N2000": 3}
    assert "260.00" in panel.total.text() and panel.grid.currentIndex().row() == 3
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "-1")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(panel.grid_model.error))
    assert panel.grid_model.counts() == {"N10000": 2, "N2000": 3}
    assert panel.message.text()


def test_ctrl_shift_t_focuses_the_till_tab(qtbot, panel):
    mw = QMainWindow()
    qtbot.addWidget(mw)
    mw.business = QTabWidget()
    mw.setCentralWidget(mw.business)
    mw.menu_business = QMenu(mw)
    mw.menu_manage = QMenu(mw)
    other = QLabel("other")
    mw.business.addTab(other, "other")
    mw.business.addTab(panel, panel.tab_title)
    panel.install_actions(mw)
    mw.show()
    qtbot.waitExposed(mw)
    assert panel.action_till.shortcut().toString() == "Ctrl+Shift+T"
    assert not panel.action_day_close.isEnabled()              # a clerk: no day close
    mw.business.setCurrentWidget(other)
    panel.action_till.trigger()
    assert mw.business.currentWidget() is panel


def _closed_tills(db):
    at(8, 30)
    c1 = staff.sign_in(db, "1001", "123456", window=1)
    cash.open_till(db, c1, {"100": 1})
    at(10, 0)
    billing.pay(db, c1, billing.SaleRequest(items=[billing.LineInput("CARD", "1")],
                                            tenders=[billing.TenderInput("cash")]))
    at(17, 30)
    cash.count_till(db, c1, {"100": 1, "20": 1})
    cash.close_till(db, c1, "")
    return c1


def test_day_close_dialog_checks_closes_opens_pdf_and_reopens(qtbot, demo_db, tmp_path):
    c1 = _closed_tills(demo_db)
    at(18, 0)
    mgr = staff.sign_in(demo_db, "9001", "888888")
    settings = Settings()
    settings.backup.directory = str(tmp_path / "bk")
    dlg = DayCloseDialog(Workbench(demo_db, mgr, settings), report_dir=tmp_path / "rep")
    qtbot.addWidget(dlg)
    opened = []
    dlg.opener = lambda url: opened.append(url.toLocalFile()) or True
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.windowHandle().requestActivate()
    qtbot.waitUntil(dlg.isActiveWindow)

    def settled():   # every service call runs off the GUI thread: wait for its answer
        qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=15_000)

    settled()
    assert dlg.day() == DAY
    assert not dlg.btn_close_day.isEnabled()                   # 1001 not countersigned
    assert any(not ok and "1001" in text for ok, text in dlg.checks_model.rows)
    cash.countersign(demo_db, c1, MGR)
    qtbot.keyClick(dlg, Qt.Key_F5)
    assert dlg.jobs.busy and dlg.busy_label.isVisibleTo(dlg)   # the dialog says it works
    assert not dlg.btn_check.isEnabled()
    settled()
    assert dlg.btn_close_day.isEnabled() and not dlg.busy_label.isVisibleTo(dlg)
    assert dlg.tills_model.data(dlg.tills_model.index(0, 3)) == "120.00"
    qtbot.keyClick(dlg, Qt.Key_Return, Qt.ControlModifier)
    settled()
    res = dlg.last_result
    assert res is not None and res.report["totals"]["net_fen"] == 2000
    assert res.backup_file and dlg.pdf_path.exists() and dlg.pdf_path.with_suffix(".csv").exists()
    assert "20.00" in dlg.message.text()
    assert dlg.btn_reopen.isEnabled() and not dlg.btn_close_day.isEnabled()
    qtbot.keyClick(dlg, Qt.Key_O, Qt.ControlModifier)
    assert opened == [str(dlg.pdf_path)]
    # Ctrl+Shift+R: the form; a refusal stays in it, the day closed until a good one
    qtbot.keyClick(dlg, Qt.Key_R, Qt.ControlModifier | Qt.ShiftModifier)
    form = dlg.reopen_dialog
    assert form.isVisible() and dlg.btn_reopen.isEnabled()
    form.auth.approver.setText("admin")
    form.auth.password.setText("admin123")
    form.buttons.accepted.emit()                               # no reason
    settled()
    assert form.isVisible() and form.message.text() and form.focusWidget() is form.reason
    form.reason.setText("补录漏收")
    form.auth.approver.setText("9001")                        # the one who reopens
    form.auth.password.setText("888888")
    form.buttons.accepted.emit()
    settled()
    assert "授权人不能是操作人本人" in form.message.text() and form.isVisible()
    assert form.focusWidget() is form.auth.approver and form.reason.text() == "补录漏收"
    assert not dlg.btn_close_day.isEnabled()
    form.auth.approver.setText("admin")
    form.auth.password.setText("admin123")
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.buttons.accepted.emit()
    settled()
    assert dlg.btn_close_day.isEnabled() and not dlg.btn_reopen.isEnabled()
    m = CheckListModel()
    m.set_rows([(False, "x")])
    assert m.data(m.index(0, 0)) and TillsModel().rowCount() == 0


def test_day_close_dialog_for_a_clerk_does_nothing(qtbot, demo_db):
    at(18, 0)
    clerk = staff.sign_in(demo_db, "1001", "123456", window=1)
    dlg = DayCloseDialog(Workbench(demo_db, clerk, Settings()))
    qtbot.addWidget(dlg)
    assert not dlg.btn_close_day.isEnabled() and dlg.message.text()
    assert dlg.run_close() is None



def test_count_shown_after_restart_and_reopened_by_the_manager(qtbot, panel, demo_db):
    """Issue 18.4/18.12: after a restart the grid shows what was counted and the result
    (短款 large, red); a manager reopens the count from the tab (reason + approval)."""
    _set(panel.grid_model, "N10000", 2)
    assert done(qtbot, panel.open_till())
    _set(panel.grid_model, "N10000", 1)
    panel.ask_count()
    _set(panel.grid_model, "N10000", 1)          # a change after the question: ask again
    assert panel.ask_count() is None
    assert panel.last_count is None
    assert done(qtbot, panel.ask_count())
    assert panel.last_count.difference_fen == -10000
    again = TillPanel(panel.bench)               # a restart of the workstation
    qtbot.addWidget(again)
    again.show()
    settled(qtbot, again)
    assert again.grid_model.counts() == {"N10000": 1} and not again.grid.isEnabled()
    assert "100.00" in again.result.text() and reddish(again.result.styleSheet())
    assert again.btn_reopen.isVisible() and not panel.btn_count.isVisible()
    assert not done(qtbot, again.reopen_count("重点", None))     # no approval: refused
    form = again.ask_reopen()                                   # the button's form
    form.auth.approver.setText(MGR.staff_no)
    form.auth.password.setText(MGR.password)
    form.buttons.accepted.emit()                                # no reason: refused in it
    qtbot.waitUntil(lambda: bool(form.message.text()), timeout=5000)
    assert form.isVisible() and form.focusWidget() is form.reason
    form.reason.setText("点钞后又收一笔")
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.buttons.accepted.emit()
    settled(qtbot, again)
    assert again.info.status == "open" and again.btn_count.isVisible()
    assert again.grid_model.counts() == {} and not again.btn_reopen.isVisible()


def test_till_calls_run_off_the_gui_thread_with_the_tab_busy(qtbot, panel, monkeypatch):
    """Issue 16.2: opening the till runs on a worker thread; meanwhile the tab's buttons
    and the grid are disabled and it says it is working."""
    import threading

    seen = []
    gate = threading.Event()
    real = cash.open_till

    def recording(*args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        gate.wait(10)                          # held until the test has looked at the tab
        return real(*args, **kwargs)

    monkeypatch.setattr(cash, "open_till", recording)
    _set(panel.grid_model, "N10000", 1)
    job = panel.open_till()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [False]                     # not the GUI thread
    assert not any(b.isEnabled() for b in panel.action_buttons())
    assert not panel.grid.isEnabled() and panel.busy_label.isVisibleTo(panel)
    gate.set()
    assert done(qtbot, job) and panel.info.status == "open"
    assert panel.btn_count.isEnabled() and panel.grid.isEnabled()
