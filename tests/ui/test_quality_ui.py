"""pytest-qt: the customer screen's rating, the complaint tab and its overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from counterdesk import clock, quality, staff
from counterdesk.settings import Settings
from counterdesk.ui.complaints.models import ComplaintTableModel
from counterdesk.ui.complaints.panel import ComplaintPanel
from counterdesk.ui.payment.customer_screen import CustomerScreen
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.quality_hall import finished_ticket

MON = dt.datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def bench(qtbot, qdb, qclerk):
    b = Workbench(qdb, qclerk, Settings())
    yield b


def _mine(db, actor, day=None):
    day = day or MON.date()
    return quality.list_ratings(db, actor, date_from=day, date_to=day)


def test_rating_button_stores_the_answer(qtbot, bench, qdb, qclerk):
    clock.set_now(MON)
    screen = CustomerScreen(bench, timeout_ms=60_000)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.stack.currentIndex() == screen.PAGE_IDLE
    t = finished_ticket(qdb)
    bench.ticket_finished.emit(t)
    assert screen.stack.currentIndex() == screen.PAGE_RATING
    assert t["number"] in screen.ticket_label.text() and screen.countdown.text().startswith("60")
    with qtbot.waitSignal(screen.rating_stored, timeout=5000) as sig:
        qtbot.mouseClick(screen.buttons["basic"], Qt.LeftButton)
    assert sig.args[0]["value"] == "basic"
    assert screen.stack.currentIndex() == screen.PAGE_THANKS
    stored = _mine(qdb, qclerk)
    assert [(r.ticket_number, r.value, r.staff_no, r.window) for r in stored] == \
        [(t["number"], "basic", "1001", 1)]
    # a second press after the answer does nothing
    qtbot.mouseClick(screen.buttons["very_satisfied"], Qt.LeftButton)
    assert len(_mine(qdb, qclerk)) == 1


def test_rating_timeout_stores_none(qtbot, bench, qdb, qclerk):
    clock.set_now(MON)
    screen = CustomerScreen(bench, timeout_ms=150)
    qtbot.addWidget(screen)
    bench.ticket_finished.emit(finished_ticket(qdb))
    qtbot.waitUntil(lambda: len(_mine(qdb, qclerk)) == 1, timeout=5000)
    r = _mine(qdb, qclerk)[0]
    assert r.value == "none" and r.value != "satisfied"
    assert screen.stack.currentIndex() == screen.PAGE_IDLE and screen.ticket is None


def test_new_ticket_before_an_answer_stores_none_for_the_first(qtbot, bench, qdb, qclerk):
    clock.set_now(MON)
    screen = CustomerScreen(bench, timeout_ms=60_000)
    qtbot.addWidget(screen)
    t1, t2 = finished_ticket(qdb), finished_ticket(qdb)
    bench.ticket_finished.emit(t1)
    bench.ticket_finished.emit(t2)
    screen.buttons["very_satisfied"].click()
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=5000)   # stored off the GUI thread
    got = {r.ticket_number: r.value for r in _mine(qdb, qclerk)}
    assert got == {t1["number"]: "none", t2["number"]: "very_satisfied"}


def test_no_show_is_not_rated(qtbot, bench):
    screen = CustomerScreen(bench, timeout_ms=60_000)
    qtbot.addWidget(screen)
    bench.ticket_finished.emit({"id": 11, "number": "A011", "status": "no_show"})
    assert screen.ticket is None and screen.stack.currentIndex() == screen.PAGE_IDLE
    bench.ticket_finished.emit({"id": 12, "number": "A012", "status": "finished"})
    assert screen.ticket is not None and screen.stack.currentIndex() == screen.PAGE_RATING
    screen.shutdown()


def test_rating_seconds_from_the_hall_policy_and_amounts(qtbot, bench):
    from tests.helpers.hall_policy import set_rule

    set_rule(bench.db, "quality.rating_seconds", 7)
    screen = CustomerScreen(bench)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.timeout_ms == 7000, timeout=5000)   # read off the GUI
    assert screen.source is not None                                    # thread
    bench.customer_amounts.emit({"due_fen": 12345, "tendered_fen": 20000, "change_fen": 7655})
    assert screen.stack.currentIndex() == screen.PAGE_AMOUNTS
    assert screen.due.text() == "￥123.45" and screen.change.text() == "￥76.55"
    assert screen.tendered.text() == "￥200.00"


def test_main_window_attaches_the_customer_screen(qtbot, qdb, qclerk):
    from counterdesk.ui.payment.customer_screen import attach

    s = Settings()
    b = Workbench(qdb, qclerk, s)
    screen = attach(b, None, timeout_ms=1000)
    qtbot.addWidget(screen)
    assert screen.isVisible() and screen.isWindow()


# -- complaint tab -----------------------------------------------------------------------------
def settled(qtbot, panel) -> None:
    """The tab reads the list and the detail off the GUI thread: wait for the answers."""
    qtbot.waitUntil(lambda: not panel.jobs.busy and not panel.details.busy, timeout=10_000)


def _panel(qtbot, bench) -> ComplaintPanel:
    panel = ComplaintPanel(bench)
    qtbot.addWidget(panel)
    settled(qtbot, panel)
    return panel


def _item(state, hours_left, number="TS202600001"):
    return {"number": number, "kind_label": "投诉", "category": "服务态度",
            "contact_name": "张先生", "contact_phone": "139****5678", "owner_staff_no": "1001",
            "owner_name": "李晓华", "due_at": "2026-11-25T10:00:00", "state": state,
            "hours_left": hours_left, "description": "等候时间过长"}


def test_complaint_model_colours(qtmodeltester):
    m = ComplaintTableModel()
    m.set_items([_item("overdue", -3.5, "A"), _item("due_soon", 2.0, "B"),
                 _item("pending", 30.0, "C"), _item("awaiting_followup", 0, "D")])
    qtmodeltester.check(m)
    assert m.rowCount() == 4 and m.columnCount() == 7
    red = m.data(m.index(0, 0), Qt.BackgroundRole)
    amber = m.data(m.index(1, 0), Qt.BackgroundRole)
    assert isinstance(red, QColor) and red.name() == "#f8d7da"
    assert amber.name() == "#fff3cd"
    assert m.data(m.index(2, 0), Qt.BackgroundRole) is None
    assert "3.5" in m.data(m.index(0, 6))
    assert m.data(m.index(0, 3)) == "张先生 139****5678"


def test_panel_overdue_list_in_colour(qtbot, qdb, qclerk):
    clock.set_now(MON)
    a = quality.record_complaint(qdb, qclerk, contact_phone="13912345678",
                                 description="等候时间过长", category="办事效率")
    clock.set_now(MON + dt.timedelta(hours=45))
    b = quality.record_complaint(qdb, qclerk, contact_phone="13900000000",
                                 description="收费有疑问", category="收费争议")
    clock.set_now(MON + dt.timedelta(hours=49))  # a is overdue by 1 h, b has 44 h left
    panel = _panel(qtbot, Workbench(qdb, qclerk, Settings()))
    states = {d["number"]: d["state"] for d in panel.model.items}
    assert states[a.number] == "overdue" and states[b.number] == "pending"
    assert panel.model.items[0]["state"] == "overdue"   # overdue first
    row = [d["number"] for d in panel.model.items].index(a.number)
    assert panel.model.data(panel.model.index(row, 0), Qt.BackgroundRole).name() == "#f8d7da"
    assert "13912345678" not in str(panel.model.items)
    n = sum(d["state"] == "overdue" for d in panel.model.items)
    assert n >= 1 and panel.summary.text().startswith(f"Overdue: {n} ")
    assert not panel.scope.isEnabled()  # a qclerk sees own items only


def test_panel_record_refuses_bad_input_then_records(qtbot, qdb, qclerk):
    clock.set_now(MON)
    bench = Workbench(qdb, qclerk, Settings())
    bench.current_ticket = {"id": 5, "number": "D005"}
    panel = _panel(qtbot, bench)
    before = len(panel.model.items)
    dlg = panel.open_record_dialog()
    assert dlg.ticket_number.text() == "D005"
    dlg.description.setPlainText("维修员未按约定时间上门")
    _submit(qtbot, dlg)
    assert "联系电话" in dlg.message.text() and dlg.isVisible()
    assert len(panel.model.items) == before
    qtbot.keyClicks(dlg.contact_phone, "13812340000")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.buttons.accepted.emit()
    settled(qtbot, panel)
    assert len(panel.model.items) == before + 1
    number = panel.selected_number()
    v = quality.get_complaint(qdb, qclerk, number)
    assert v.ticket_number == "D005" and v.owner_staff_no == "1001"
    # reply, then a follow-up at 18:00 is refused with a message, nothing changed
    rd = panel.open_action("reply")
    rd.text.setPlainText("已安排明天上午上门")
    _submit(qtbot, rd)
    assert quality.get_complaint(qdb, qclerk, number).status == "replied"
    clock.set_now(MON.replace(hour=18))
    settled(qtbot, panel)
    panel.select(number)
    fd = panel.open_action("followup")
    _submit(qtbot, fd)
    assert "08:30–17:00" in fd.message.text()
    assert quality.get_complaint(qdb, qclerk, number).status == "replied"
    fd.reject()
    # next morning: who replied cannot follow up; the promised visit is recorded done first
    clock.set_now(MON.replace(hour=11) + dt.timedelta(days=1))
    fd = panel.open_action("followup")
    _submit(qtbot, fd)
    assert "另一位同事" in fd.message.text() and fd.isVisible()
    fd.reject()
    wd = panel.open_action("workdone")
    wd.text.setPlainText("已上门检查，表具正常")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        wd.buttons.accepted.emit()
    assert quality.get_complaint(qdb, qclerk, number).work_done_at
    colleague = staff.sign_in(qdb, "1002", "123456", window=2)
    v = quality.follow_up(qdb, colleague, number, "satisfied")
    assert v.status == "closed"


def _submit(qtbot, dlg) -> None:
    """Press OK and wait for the service's answer (it runs off the GUI thread)."""
    dlg.buttons.accepted.emit()
    assert not dlg.buttons.isEnabled()            # busy: the dialog cannot be sent twice
    with qtbot.waitSignal(dlg.job.finished, timeout=5000):
        pass


def test_work_done_key_then_follow_up_by_a_colleague(qtbot, qdb, qclerk):
    """Issue 15: 记录处理结果 (Ctrl+Shift+E on the tab): a follow-up before the promised
    work is recorded done is refused with the service's message; after it, a colleague's
    follow-up from the tab closes the item."""
    clock.set_now(MON)
    v = quality.record_complaint(qdb, qclerk, contact_phone="13812340000",
                                 description="燃气表漏气，要求上门检修")
    quality.reply(qdb, qclerk, v.number, "已安排维修师傅明天上门更换表前阀")
    clock.set_now(MON + dt.timedelta(days=1))
    colleague = staff.sign_in(qdb, "9001", "888888")   # the manager sees the hall's items
    theirs = _panel(qtbot, Workbench(qdb, colleague, Settings()))
    theirs.select(v.number)
    assert theirs.selected_number() == v.number
    fd = theirs.open_action("followup")
    _submit(qtbot, fd)
    with pytest.raises(Exception) as refused:        # the service's own words, shown as such
        quality.follow_up(qdb, colleague, v.number, "satisfied")
    assert fd.message.text() == refused.value.message and "尚未登记完成" in fd.message.text()
    fd.reject()
    # the clerk who owns it records the work done with the key
    mine = _panel(qtbot, Workbench(qdb, qclerk, Settings()))
    mine.show()
    qtbot.waitExposed(mine)
    mine.activateWindow()
    qtbot.waitUntil(mine.isActiveWindow)             # a shortcut reaches the active window
    mine.select(v.number)
    mine.table.setFocus()
    assert mine.action_workdone.shortcut().toString() == "Ctrl+Shift+E"
    qtbot.keyClick(mine.table, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    wd = mine.dialog
    assert wd is not None and wd.action == "workdone" and wd.isVisible()
    wd.text.setPlainText("已上门更换表前阀，检漏合格")
    with qtbot.waitSignal(mine.changed, timeout=5000):
        wd.buttons.accepted.emit()
    assert quality.get_complaint(qdb, qclerk, v.number).work_done_at
    with qtbot.waitSignal(theirs.refresh().finished, timeout=5000):
        pass
    theirs.select(v.number)
    fd = theirs.open_action("followup")
    with qtbot.waitSignal(theirs.changed, timeout=5000):
        fd.buttons.accepted.emit()
    assert quality.get_complaint(qdb, colleague, v.number).status == "closed"


def test_manager_panel_exports_report(qtbot, qdb, tmp_path):
    clock.set_now(MON)
    mgr = staff.sign_in(qdb, "9001", "888888")
    panel = _panel(qtbot, Workbench(qdb, mgr, Settings()))
    assert panel.scope.isEnabled() and panel.current_scope == "all"
    assert any(d["state"] == "overdue" for d in panel.model.items)  # demo data
    job = panel.export_report(str(tmp_path / "q.pdf"), str(tmp_path / "q.csv"),
                              date_from=dt.date(2026, 11, 1), date_to=MON.date())
    assert not panel.btn_export.isEnabled() and not panel.scope.isEnabled()  # busy
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    rep = job.value
    assert panel.btn_export.isEnabled() and panel.scope.isEnabled()
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")
    assert rep["satisfaction"]["total"]["asked"] > 0


def test_main_window_ctrl_k_and_customer_screen(qtbot, qdb, qclerk):
    from counterdesk.ui.shell.mainwindow import MainWindow

    s = Settings()
    s.ui.customer_screen = True
    win = MainWindow(qdb, qclerk, s)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.customer_screen is not None and win.customer_screen.isWindow()
    panel = win.panels["complaints"]
    actions = [a for a in win.menu_business.actions() if a.shortcut().toString() == "Ctrl+K"]
    assert len(actions) == 1
    actions[0].trigger()
    assert win.business.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    panel.dialog.reject()
    # the finished ticket on the bench reaches the customer screen
    win.customer_screen.timeout_ms = 100
    t = finished_ticket(qdb)
    win.bench.ticket_finished.emit(t)
    qtbot.waitUntil(lambda: any(r.ticket_number == t["number"] for r in
                                quality.list_ratings(qdb, qclerk)), timeout=5000)
    win.close()


def test_record_dialog_by_keyboard_tab_leaves_ctrl_return_submits(qtbot, qdb, qclerk):
    """Issue 18.13: the description field gives Tab back; Ctrl+Return submits."""
    from PySide6.QtCore import Qt

    bench = Workbench(qdb, qclerk, Settings())
    panel = _panel(qtbot, bench)
    panel.show()
    before = len(panel.model.items)
    dlg = panel.open_record_dialog()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.contact_phone, "13812340000")
    dlg.description.setFocus()
    dlg.description.setPlainText("燃气表漏气")
    qtbot.keyClick(dlg.description, Qt.Key_Tab)
    assert "\t" not in dlg.description.toPlainText() and not dlg.description.hasFocus()
    dlg.description.setFocus()
    with qtbot.waitSignal(panel.changed, timeout=3000):
        qtbot.keyClick(dlg.description, Qt.Key_Return, Qt.ControlModifier)
    assert not dlg.isVisible()                    # accepted (then deleted later)
    settled(qtbot, panel)
    assert len(panel.model.items) == before + 1


def test_complaint_list_and_detail_are_read_off_the_gui_thread(qtbot, qdb, qclerk,
                                                                monkeypatch):
    """Issue 16.2: the list and the detail are read on a worker thread; while the list
    loads the tab says so and its list controls are disabled."""
    import threading

    clock.set_now(MON)
    v = quality.record_complaint(qdb, qclerk, contact_phone="13812340000",
                                 description="燃气表漏气")
    gate, seen = threading.Event(), []
    real_list, real_get = quality.list_complaints, quality.get_complaint

    def listing(*args, **kwargs):
        seen.append(("list", threading.current_thread() is threading.main_thread()))
        gate.wait(10)
        return real_list(*args, **kwargs)

    def getting(*args, **kwargs):
        seen.append(("get", threading.current_thread() is threading.main_thread()))
        return real_get(*args, **kwargs)

    monkeypatch.setattr(quality, "list_complaints", listing)
    monkeypatch.setattr(quality, "get_complaint", getting)
    panel = ComplaintPanel(Workbench(qdb, qclerk, Settings()))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: bool(seen))
    assert panel.jobs.busy and panel.busy_label.isVisibleTo(panel)
    assert not panel.btn_refresh.isEnabled() and not panel.show_closed.isEnabled()
    gate.set()
    settled(qtbot, panel)
    assert panel.btn_refresh.isEnabled() and not panel.busy_label.isVisibleTo(panel)
    panel.select(v.number)
    settled(qtbot, panel)
    assert v.number in panel.detail.toPlainText()
    assert {kind for kind, _ in seen} == {"list", "get"}
    assert not any(on_gui for _, on_gui in seen)           # never the GUI thread


def test_rating_is_stored_off_the_gui_thread_and_a_failure_is_told(qtbot, bench, qdb,
                                                                   monkeypatch):
    """The customer's press is thanked at once while the answer is stored on a worker
    thread (a silent database never freezes the clerk's window, which shares the GUI
    thread); a store that fails is told to the clerk."""
    from counterdesk.errors import DatabaseUnavailable
    from tests.helpers.forms import hold

    clock.set_now(MON)
    screen = CustomerScreen(bench, timeout_ms=60_000)
    qtbot.addWidget(screen)
    gate, seen = hold(monkeypatch, quality, "record_rating")
    bench.ticket_finished.emit(finished_ticket(qdb))
    screen.buttons["satisfied"].click()
    assert screen.stack.currentIndex() == screen.PAGE_THANKS and screen.jobs.busy
    with qtbot.waitSignal(screen.rating_stored, timeout=5000):
        gate.set()
    assert seen == [False]

    def down(*a, **k):
        raise DatabaseUnavailable("无法连接数据库", "Cannot reach the database")

    monkeypatch.setattr(quality, "record_rating", down)
    said: list[str] = []
    bench.status_message.connect(said.append)
    bench.ticket_finished.emit(finished_ticket(qdb))
    with qtbot.waitSignal(screen.rating_failed, timeout=5000) as failed:
        screen.buttons["basic"].click()
    assert "无法连接数据库" in failed.args[0] and said == [failed.args[0]]
    assert screen.stack.currentIndex() == screen.PAGE_IDLE
