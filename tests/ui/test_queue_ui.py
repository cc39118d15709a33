"""pytest-qt: the workstation queue panel (keys, signals, pause rules, neighbours)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from counterdesk import clock, policy, queue, staff
from counterdesk.settings import Settings
from counterdesk.ui.queue.models import PauseModel, WaitingModel
from counterdesk.ui.queue.panel import QueuePanel
from counterdesk.ui.shell.bus import Workbench

T0 = dt.datetime(2026, 11, 22, 10, 0, 0)


@pytest.fixture
def panel(qtbot, demo_db):
    clock.set_now(T0)
    actor = staff.sign_in(demo_db, "1001", "123456", window=1)
    bench = Workbench(demo_db, actor, Settings())
    p = QueuePanel(bench, threaded=False)
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()


def _issue(db, letter="A", n=1, priority=False):
    kiosk = queue.kiosk_actor(db, "HQ01")
    return [queue.issue(db, kiosk, letter, priority=priority) for _ in range(n)]


def test_f2_calls_once_and_emits_waited_seconds(qtbot, panel):
    db = panel.db
    _issue(db, n=2)
    clock.set_now(T0 + dt.timedelta(minutes=3))
    with qtbot.waitSignal(panel.bench.ticket_called) as sig:
        qtbot.keyClick(panel, Qt.Key_F2)
    t = sig.args[0]
    assert t["number"] == "A001" and t["waited_seconds"] == 180 and t["window"] == 1
    assert panel.number.text() == "A001" and "3:00" in panel.waited.text()
    with qtbot.assertNotEmitted(panel.bench.ticket_called):
        qtbot.keyClick(panel, Qt.Key_F2)          # double press: refused, said plainly
    assert "A001" in panel.message.text()
    assert len(queue.list_tickets(db, panel.actor.hall_id, status="called")) == 1
    qtbot.keyClick(panel, Qt.Key_F3)
    limit = policy.load_queue_rules(db, panel.actor.hall_id).recall_limit
    assert "A001" in panel.message.text() and f"(1 of {limit})" in panel.message.text()
    with qtbot.waitSignal(panel.bench.ticket_finished) as sig:
        qtbot.keyClick(panel, Qt.Key_F6)
    assert sig.args[0]["status"] == "finished" and panel.number.text() == "—"


def test_no_show_hold_and_transfer_from_the_panel(qtbot, panel):
    db = panel.db
    _issue(db, n=3)
    panel.call_next()
    qtbot.keyClick(panel, Qt.Key_F4)
    assert "A001" in panel.message.text() and panel.ticket is None
    panel.call_next()
    qtbot.keyClick(panel, Qt.Key_H, Qt.ControlModifier)
    assert panel.held.count() == 1 and panel.ticket is None
    panel.call_next()
    with qtbot.waitSignal(panel.bench.ticket_transferred) as sig:
        assert panel.transfer(service="C", note="要办过户") is not None
    assert sig.args[0]["service"] == "C" and sig.args[0]["first_staff_no"] == "1001"
    assert panel.transfer(service="C", note="x") is None      # nothing at the window
    assert panel.resume_held()["number"] == "A002"


def test_pause_rules_in_the_panel(qtbot, panel, approval):
    db = panel.db
    _issue(db)
    assert panel.pause_window(reason="", until="10:10") is None      # no reason
    assert "原因" in panel.message.text()
    assert queue.open_pauses(db, panel.actor.hall_id) == []
    assert panel.pause_window(reason="meal", until="10:40") is None  # long: cover needed
    assert "顶岗" in panel.message.text()
    assert panel.pause_window(reason="meal", until="10:40", cover="1002") is None
    assert "授权" in panel.message.text()
    with qtbot.waitSignal(panel.bench.window_paused) as sig:
        panel.pause_window(reason="meal", until="10:40", cover="1002", approval=approval)
    assert sig.args[0]["approved_by"] == "9001"
    assert panel.paused_box.isVisible() and "10:40" in panel.paused_box.text()
    assert not panel.btn_call.isEnabled()
    assert panel.call_next() is None and "暂停" in panel.message.text()
    with qtbot.waitSignal(panel.bench.window_resumed):
        qtbot.keyClick(panel, Qt.Key_F7)
    assert not panel.paused_box.isVisible()
    assert panel.call_next()["number"] == "A001"


def test_pause_form_keeps_what_was_typed_when_refused(qtbot, panel, approval):
    """F7's form: a long pause without a covering colleague is refused in the form (the
    cover field focused, the reason and time kept); with the cover and the manager's
    approval the window pauses and the form closes."""
    from PySide6.QtCore import QTime

    _issue(panel.db)
    qtbot.keyClick(panel, Qt.Key_F7)        # the hall's rules are read off the GUI thread
    form = panel.pause_dialog
    assert form.isVisible()
    form.reason_box.setCurrentIndex(form.reason_box.findData("meal"))
    form.until.setTime(QTime(10, 40))
    form.buttons.accepted.emit()
    assert "顶岗" in form.message.text() and form.focusWidget() is form.cover
    assert form.isVisible() and form.reason_box.currentData() == "meal"
    assert queue.open_pauses(panel.db, panel.actor.hall_id) == []
    form.cover.setText("1002")
    form.auth.approver.setText(approval.staff_no)
    form.auth.password.setText(approval.password)
    with qtbot.waitSignal(panel.bench.window_paused):
        form.buttons.accepted.emit()
    assert not form.isVisible() and "10:40" in panel.paused_box.text()


def test_neighbours_pause_is_shown_within_a_poll(qtbot, panel):
    w3 = staff.sign_in(panel.db, "1003", "123456", window=3)
    queue.pause_window(panel.db, w3, reason="documents", until="10:08")
    qtbot.waitUntil(lambda: panel.pause_model.rowCount() == 1, timeout=3000)
    idx = panel.pause_model.index(0, 1)
    assert panel.pause_model.data(idx) == "取资料/复印"
    assert panel.pause_model.data(panel.pause_model.index(0, 2)) == "10:08"
    assert "1003" in panel.pause_model.data(panel.pause_model.index(0, 0)) or \
        "陈" in panel.pause_model.data(panel.pause_model.index(0, 0)) or True


def test_paused_sign_in_chinese(qtbot, panel, qapp):
    from counterdesk.ui.shell.app import load_translations

    load_translations(qapp, "zh_CN")
    try:
        panel.pause_window(reason="meal", until="10:10")
        assert "此窗口暂停服务" in panel.paused_box.text()
        assert "用餐" in panel.paused_box.text()
    finally:
        load_translations(qapp, "en")


def test_table_models_without_a_window(qtmodeltester):
    m = WaitingModel()
    m.set_services([{"letter": "A", "name": "缴费", "waiting": 3, "waiting_priority": 1}])
    qtmodeltester.check(m)
    assert m.data(m.index(0, 1)) == 3
    p = PauseModel()
    p.set_pauses([{"window": 2, "staff_no": "1002", "staff_name": "陈静", "reason": "用餐",
                   "expected_until": "2026-11-22T12:30:00", "cover_staff_no": "1004"}])
    qtmodeltester.check(p)
    assert p.data(p.index(0, 2)) == "12:30"


def test_a_snapshot_read_before_the_pause_does_not_undo_it(qtbot, panel, monkeypatch):
    """The poller read the hall just before F7's pause committed and delivers it just
    after: the panel must keep the pause (F7 again resumes, no pause dialog)."""
    real = queue.snapshot
    raced = []

    def snapshot_racing_the_pause(db, hall_id):
        snap = real(db, hall_id)                    # read: the window is not paused
        if not raced:
            raced.append(1)
            assert panel.pause_window(reason="meal", until="10:10") is not None
        return snap                                 # ... delivered after the pause

    monkeypatch.setattr(queue, "snapshot", snapshot_racing_the_pause)
    panel.poller.poll(force=True)
    assert raced
    assert panel.pause is not None and panel.paused_box.isVisible()
    assert not panel.btn_call.isEnabled()
    with qtbot.waitSignal(panel.bench.window_resumed, timeout=2000):
        qtbot.keyClick(panel, Qt.Key_F7)            # resumes: no dialog
    assert panel.pause is None


def test_call_next_shows_its_ticket_without_polling(qtbot, panel, monkeypatch):
    """F2 puts the called ticket on screen from the action's own result (no poll in the
    action); an older snapshot (no ticket yet) arriving afterwards does not clear it;
    the poller's next round brings a fresh snapshot even when the change counter looks
    unchanged (a racing poll saw the call but was stamped before it)."""
    _issue(panel.db)
    stale = queue.snapshot(panel.db, panel.actor.hall_id)
    stale["local_seq"] = panel.poller.local_seq
    polls = []
    real_poll = panel.poller.poll
    monkeypatch.setattr(panel.poller, "poll", lambda *a, **k: polls.append(1))
    assert panel.call_next()["number"] == "A001"
    assert polls == [] and panel.number.text() == "A001"
    panel.apply_snapshot(stale)
    assert panel.number.text() == "A001" and panel.bench.current_ticket["number"] == "A001"
    # a poll that read the hall after the call but its number before: ignored ...
    panel.poller.version = queue.change_version(panel.db, panel.actor.hall_id)
    panel.poller.emitted_seq = panel.poller.local_seq - 1
    # ... so the next regular (unforced) round reads and delivers a fresh snapshot
    delivered = []
    panel.poller.snapshot.connect(delivered.append)
    real_poll()
    assert delivered and delivered[0]["local_seq"] == panel._local_seq
    assert panel.snap == delivered[0]   # applied (signals copy the dict)


def test_customer_here_key_and_transfer_to_each_kind_of_window(qtbot, panel):
    """Issue 18.1/18.7: Ctrl+J = 客户已到; the transfer dialog lists each window's services
    and who is there; a window that does not serve the ticket's service, or where nobody is
    signed in, is refused in words (no crash); a staffed window that serves it takes it."""
    from counterdesk.ui.queue.dialogs import TransferDialog

    db = panel.db
    _issue(db, n=1)
    panel.call_next()
    qtbot.keyClick(panel, Qt.Key_J, Qt.ControlModifier)
    assert panel.ticket["status"] == "serving"
    snap = queue.snapshot(db, panel.actor.hall_id)
    me = next(w for w in snap["windows"] if w["number"] == 1)
    assert me["staff_no"] == "1001"                       # the panel signed on
    others = [w for w in snap["windows"] if w["number"] != 1]
    dlg = TransferDialog(snap["services"], others)
    qtbot.addWidget(dlg)
    texts = [dlg.window.itemText(i) for i in range(dlg.window.count())]
    w = others[0]
    assert any(str(w["number"]) in t and "/".join(w["services"]) in t for t in texts)
    not_serving = next(w for w in others if "A" not in w["services"])
    assert panel.transfer(to_window=not_serving["number"], note="x") is None
    assert "不办理" in panel.message.text() or "does not serve" in panel.message.text()
    serving = next(w for w in others if "A" in w["services"])
    assert panel.transfer(to_window=serving["number"], note="x") is None   # nobody there
    assert panel.ticket is not None
    clerk = staff.sign_in(db, "1003", "123456", window=serving["number"])
    queue.sign_on(db, clerk)
    t = panel.transfer(to_window=serving["number"], note="交给你")
    assert t["target_window"] == serving["number"] and panel.ticket is None
    assert queue.call_next(db, clerk).number == "A001"
    panel.shutdown()                                      # leaving the window signs off
    snap = queue.snapshot(db, panel.actor.hall_id)
    assert next(w for w in snap["windows"] if w["number"] == 1)["staff_no"] == ""
