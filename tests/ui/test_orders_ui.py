"""The order screen and the manager's board (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from counterdesk import clock, orders
from counterdesk.settings import Settings
from counterdesk.ui.orders import OrdersPanel, OrderTableModel
from counterdesk.ui.orders.models import OVERDUE
from counterdesk.ui.orders.screen import OrderScreen
from counterdesk.ui.shell.bus import Workbench
from tests.helpers import orders_hall
from tests.helpers.orders_hall import MON, sign

odb = orders_hall.odb  # the fixture


@pytest.fixture
def db_kind() -> str:
    return "sqlite"     # the services are tested on both engines; the screens on one


def _bench(qtbot, db, actor, printer_uri: str = "") -> Workbench:
    s = Settings()
    s.printer.uri = printer_uri
    return Workbench(db, actor, s)


def settled(qtbot, screen) -> None:
    """The order screens call the services off the GUI thread: wait for the answers."""
    qtbot.waitUntil(lambda: not screen.busy, timeout=10_000)


def finished(qtbot, job):
    """Wait for one call (a job) and return it."""
    assert job is not None
    if not job.done:
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
    return job


def _screen(qtbot, bench) -> OrderScreen:
    screen = OrderScreen(bench)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: not screen.jobs.busy and not screen.flag_jobs.busy,
                    timeout=10_000)
    return screen


def _panel(qtbot, bench) -> OrdersPanel:
    panel = OrdersPanel(bench)
    qtbot.addWidget(panel)
    settled(qtbot, panel)
    return panel


def test_order_model(qtmodeltester):
    m = OrderTableModel()
    base = dict(number="GD202600001", kind_label="报修", account_no="", address="江东区",
                assignee="", team="", next_due_at="2026-11-23T16:00:00", state="overdue",
                state_label="超期", status_label="已登记待派工", overdue=True,
                priority="normal", description="灶具打不着火")
    m.set_rows([base, dict(base, number="GD202600002", overdue=False, state="open")])
    qtmodeltester.check(m)
    assert m.data(m.index(0, 0)) == "GD202600001"
    assert m.data(m.index(0, 0), Qt.BackgroundRole) == QColor(OVERDUE[0])
    assert m.data(m.index(1, 0), Qt.BackgroundRole) is None
    assert m.data(m.index(0, 2)) == "江东区"


def test_screen_refuses_bad_input_then_records_and_acts(qtbot, odb):
    clerk = sign(odb, "1001")
    clock.set_now(MON)
    screen = _screen(qtbot, _bench(qtbot, odb, clerk))
    screen.kind.setCurrentIndex(screen.kind.findData("repair"))
    screen.phone.setText("13912345678")
    screen.description.setText("灶具打不着火")
    qtbot.keyClick(screen.description, Qt.Key_Return)            # no account, no address
    assert screen.jobs.busy and not screen.record.isEnabled()    # off the GUI thread
    qtbot.waitUntil(lambda: not screen.jobs.busy)
    assert "地址" in screen.message.text() and screen.model.rowCount() == 0
    screen.account.setText(odb.accounts["a"])
    finished(qtbot, screen.show_flags())
    assert screen.flags.text() == ""
    qtbot.keyClick(screen.description, Qt.Key_Return)
    qtbot.waitUntil(lambda: not screen.jobs.busy)
    assert screen.model.rowCount() == 1 and "已登记" in screen.message.text()
    number = screen.model.rows[0]["number"]
    assert screen.selected()["number"] == number
    # result before dispatch: refused, shown, nothing changed
    assert not finished(qtbot, screen.do_result()).ok
    assert "还没有派工" in screen.message.text()
    screen.to.setText("1003")
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.table.setFocus()
    qtbot.waitUntil(lambda: screen.isActiveWindow())
    qtbot.keyClick(screen.table, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    assert screen.jobs.busy
    qtbot.waitUntil(lambda: not screen.jobs.busy)
    assert orders.get_order(odb, clerk, number).status == "dispatched"
    assert screen.model.rows[0]["assignee"] == "1003"


def test_alarm_shows_the_emergency_number_at_once(qtbot, odb):
    clerk = sign(odb, "1001")
    clock.set_now(MON)
    screen = _screen(qtbot, _bench(qtbot, odb, clerk))
    screen.kind.setCurrentIndex(screen.kind.findData("alarm"))
    screen.address.setText("江东区测试路 8 号楼道")
    screen.phone.setText("13912345678")
    screen.description.setText("楼道有燃气味")
    assert finished(qtbot, screen.record_order()).ok
    assert not screen.emergency.isHidden() and "抢修电话" in screen.emergency.text()
    assert screen.model.rows[0]["priority"] == "urgent"


def test_flags_show_overdue_inspection_and_notice(qtbot, odb):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    orders.add_notice(odb, manager, district="江西区", starts_at="2027-02-11 09:00",
                      ends_at="2027-02-11 17:00", reason="管网碰口")
    screen = _screen(qtbot, _bench(qtbot, odb, clerk))
    screen.bench.account_selected.emit(odb.accounts["c"])
    qtbot.waitUntil(lambda: not screen.flag_jobs.busy, timeout=10_000)
    assert "安检逾期" in screen.flags.text() and "停气通知" in screen.flags.text()


def test_board_shows_overdue_in_colour_and_exports(qtbot, odb, tmp_path):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    clock.set_now(MON)
    late = orders.add_order(odb, clerk, kind="alarm", address="江东区测试路 8 号",
                            contact_phone="13912345678", description="燃气味").number
    orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                     description="灶具打不着火")
    clock.set_now(MON + dt.timedelta(hours=1))
    panel = _panel(qtbot, _bench(qtbot, odb, manager))
    board = panel.board
    assert board.model.rowCount() == 2 and board.model.rows[0]["number"] == late
    assert board.model.data(board.model.index(0, 5), Qt.BackgroundRole) == QColor(OVERDUE[0])
    assert "超期 1" in board.summary.text()
    board.overdue_only.setChecked(True)
    settled(qtbot, panel)
    assert [r["number"] for r in board.model.rows] == [late]
    job = board.export_report(tmp_path)
    assert not board.export.isEnabled()                      # one report at a time
    pdf, csv_ = finished(qtbot, job).value
    assert pdf.read_bytes()[:4] == b"%PDF" and csv_.exists() and board.export.isEnabled()
    panel.shutdown()
    # a clerk gets the screen only
    clerk_panel = _panel(qtbot, _bench(qtbot, odb, clerk))
    assert clerk_panel.board is None


def test_slip_goes_to_the_receipt_printer(qtbot, odb, printer):
    from counterdesk.print.escpos_doc import decode

    clerk = sign(odb, "1001")
    clock.set_now(MON)
    screen = _screen(qtbot, _bench(qtbot, odb, clerk, printer.uri))
    screen.kind.setCurrentIndex(screen.kind.findData("install"))
    screen.address.setText("江西区滨江路滨江花园 9 幢 101")
    screen.phone.setText("13912345678")
    screen.name.setText("赵先生")
    assert finished(qtbot, screen.record_order()).ok
    assert finished(qtbot, screen.do_slip()).ok
    text = decode(printer.wait_for(1)[0])
    assert screen.model.rows[0]["number"] in text and "查勘期限" in text
    assert "赵*" in text or "赵先*" in text
    assert "13912345678" not in text


def test_safety_tab_inspections_due_and_notice(qtbot, odb, tmp_path, qtmodeltester):
    manager = sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    panel = _panel(qtbot, _bench(qtbot, odb, manager))
    tab = panel.safety
    qtmodeltester.check(tab.due_model)
    assert [r["account_no"] for r in tab.due_model.rows] == [odb.accounts["c"]]
    assert tab.due_model.data(tab.due_model.index(0, 4), Qt.BackgroundRole) == QColor(OVERDUE[0])
    tab.street.setText("测试路")
    tab.n_from.setText("2027-02-12 17:00")
    tab.n_to.setText("2027-02-12 09:00")
    tab.n_reason.setText("管网改造")
    job = tab.do_add_notice()
    assert not tab.add_notice.isEnabled() and not tab.export.isEnabled()  # while it runs
    assert not finished(qtbot, job).ok and tab.add_notice.isEnabled()
    assert "结束时间应晚于开始时间" in tab.message.text() and tab.notice_model.rowCount() == 0
    tab.n_to.setText("2027-02-12 20:00")
    assert finished(qtbot, tab.do_add_notice()).ok
    assert tab.notice_model.rowCount() == 1
    tab.notice_table.selectRow(0)
    _n, out = finished(qtbot, tab.export_affected(tmp_path / "affected.csv")).value
    text = out.read_text(encoding="utf-8-sig")
    assert odb.accounts["a"] in text and odb.accounts["c"] not in text
    panel.shutdown()


def test_order_calls_run_off_the_gui_thread_with_the_buttons_off(qtbot, odb, monkeypatch):
    """Issue 16.2: a step of an order runs on a worker thread; while it runs the record
    and step buttons are disabled and the screen says it is working."""
    from tests.helpers.forms import hold

    clerk = sign(odb, "1001")
    clock.set_now(MON)
    v = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                         description="灶具打不着火")
    screen = _screen(qtbot, _bench(qtbot, odb, clerk))
    screen._select(v.number)
    gate, seen = hold(monkeypatch, orders, "dispatch")
    screen.to.setText("1003")
    job = screen.do_dispatch()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [False]                                   # not the GUI thread
    assert not any(w.isEnabled() for w in screen.action_controls())
    assert screen.busy_label.isVisibleTo(screen)
    assert screen.do_close() is None                         # one change at a time
    gate.set()
    assert finished(qtbot, job).ok and screen.record.isEnabled()
    assert screen.model.rows[0]["assignee"] == "1003" and "已派工" in screen.message.text()


def test_the_account_tab_shows_overdue_inspection_and_notices(qtbot, odb):
    """The workstation shows 安检逾期 and the area's 停气通知 on the account itself (issue 21.4/5)."""
    from counterdesk.ui.accounts.panel import create as account_panel

    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    orders.add_notice(odb, manager, district="江西区", starts_at="2027-02-11 09:00",
                      ends_at="2027-02-11 17:00", reason="管网碰口")
    panel = account_panel(_bench(qtbot, odb, clerk))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.show_account(odb.accounts["c"]).finished, timeout=5000):
        pass
    text = panel.hint.text()
    assert "安检逾期" in text and "停气通知" in text and not panel.hint.isHidden()
    # a resident not yet due, outside the area
    with qtbot.waitSignal(panel.show_account(odb.accounts["a"]).finished, timeout=5000):
        pass
    assert "安检逾期" not in panel.hint.text()


def test_the_hall_display_shows_supply_notices(qtbot, odb):
    """停气通知 on the hall display (issue 21.5), read off the GUI thread."""
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.voice_player import VoicePlayer

    manager = sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    orders.add_notice(odb, manager, district="江西区", starts_at="2027-02-11 09:00",
                      ends_at="2027-02-11 17:00", reason="管网碰口")
    d = Display(odb, Settings(), player=VoicePlayer(lambda data: None), poll=False,
                threaded=False)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.is_ready)
    assert d.notices.isHidden()
    d.refresh_notices()
    qtbot.waitUntil(lambda: "管网碰口" in d.notices.text(), timeout=10_000)
    assert "02-11 09:00" in d.notices.text() and not d.notices.isHidden()
    d.shutdown()
