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
    screen = OrderScreen(_bench(qtbot, odb, clerk))
    qtbot.addWidget(screen)
    screen.kind.setCurrentIndex(screen.kind.findData("repair"))
    screen.phone.setText("13912345678")
    screen.description.setText("灶具打不着火")
    qtbot.keyClick(screen.description, Qt.Key_Return)            # no account, no address
    assert "地址" in screen.message.text() and screen.model.rowCount() == 0
    screen.account.setText(odb.accounts["a"])
    screen.account.editingFinished.emit()
    assert screen.flags.text() == ""
    qtbot.keyClick(screen.description, Qt.Key_Return)
    assert screen.model.rowCount() == 1 and "已登记" in screen.message.text()
    number = screen.model.rows[0]["number"]
    assert screen.selected()["number"] == number
    # result before dispatch: refused, shown, nothing changed
    screen.do_result()
    assert "还没有派工" in screen.message.text()
    screen.to.setText("1003")
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.table.setFocus()
    qtbot.waitUntil(lambda: screen.isActiveWindow())
    qtbot.keyClick(screen.table, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    assert orders.get_order(odb, clerk, number).status == "dispatched"
    assert screen.model.rows[0]["assignee"] == "1003"


def test_alarm_shows_the_emergency_number_at_once(qtbot, odb):
    clerk = sign(odb, "1001")
    clock.set_now(MON)
    screen = OrderScreen(_bench(qtbot, odb, clerk))
    qtbot.addWidget(screen)
    screen.kind.setCurrentIndex(screen.kind.findData("alarm"))
    screen.address.setText("江东区测试路 8 号楼道")
    screen.phone.setText("13912345678")
    screen.description.setText("楼道有燃气味")
    screen.record_order()
    assert not screen.emergency.isHidden() and "抢修电话" in screen.emergency.text()
    assert screen.model.rows[0]["priority"] == "urgent"


def test_flags_show_overdue_inspection_and_notice(qtbot, odb):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    orders.add_notice(odb, manager, district="江西区", starts_at="2027-02-11 09:00",
                      ends_at="2027-02-11 17:00", reason="管网碰口")
    screen = OrderScreen(_bench(qtbot, odb, clerk))
    qtbot.addWidget(screen)
    screen.bench.account_selected.emit(odb.accounts["c"])
    assert "安检逾期" in screen.flags.text() and "停气通知" in screen.flags.text()


def test_board_shows_overdue_in_colour_and_exports(qtbot, odb, tmp_path):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    clock.set_now(MON)
    late = orders.add_order(odb, clerk, kind="alarm", address="江东区测试路 8 号",
                            contact_phone="13912345678", description="燃气味").number
    orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                     description="灶具打不着火")
    clock.set_now(MON + dt.timedelta(hours=1))
    panel = OrdersPanel(_bench(qtbot, odb, manager))
    qtbot.addWidget(panel)
    board = panel.board
    assert board.model.rowCount() == 2 and board.model.rows[0]["number"] == late
    assert board.model.data(board.model.index(0, 5), Qt.BackgroundRole) == QColor(OVERDUE[0])
    assert "超期 1" in board.summary.text()
    board.overdue_only.setChecked(True)
    assert [r["number"] for r in board.model.rows] == [late]
    pdf, csv_ = board.export_report(tmp_path)
    assert pdf.read_bytes()[:4] == b"%PDF" and csv_.exists()
    panel.shutdown()
    # a clerk gets the screen only
    clerk_panel = OrdersPanel(_bench(qtbot, odb, clerk))
    qtbot.addWidget(clerk_panel)
    assert clerk_panel.board is None


def test_slip_goes_to_the_receipt_printer(qtbot, odb, printer):
    from counterdesk.print.escpos_doc import decode

    clerk = sign(odb, "1001")
    clock.set_now(MON)
    screen = OrderScreen(_bench(qtbot, odb, clerk, printer.uri))
    qtbot.addWidget(screen)
    screen.kind.setCurrentIndex(screen.kind.findData("install"))
    screen.address.setText("江西区滨江路滨江花园 9 幢 101")
    screen.phone.setText("13912345678")
    screen.name.setText("赵先生")
    screen.record_order()
    screen.do_slip()
    text = decode(printer.wait_for(1)[0])
    assert screen.model.rows[0]["number"] in text and "查勘期限" in text
    assert "赵*" in text or "赵先*" in text
    assert "13912345678" not in text


def test_safety_tab_inspections_due_and_notice(qtbot, odb, tmp_path, qtmodeltester):
    manager = sign(odb, "9001", None)
    clock.set_now(dt.datetime(2027, 2, 10, 9, 0))
    panel = OrdersPanel(_bench(qtbot, odb, manager))
    qtbot.addWidget(panel)
    tab = panel.safety
    qtmodeltester.check(tab.due_model)
    assert [r["account_no"] for r in tab.due_model.rows] == [odb.accounts["c"]]
    assert tab.due_model.data(tab.due_model.index(0, 4), Qt.BackgroundRole) == QColor(OVERDUE[0])
    tab.street.setText("测试路")
    tab.n_from.setText("2027-02-12 17:00")
    tab.n_to.setText("2027-02-12 09:00")
    tab.n_reason.setText("管网改造")
    tab.do_add_notice()
    assert "结束时间应晚于开始时间" in tab.message.text() and tab.notice_model.rowCount() == 0
    tab.n_to.setText("2027-02-12 20:00")
    tab.do_add_notice()
    assert tab.notice_model.rowCount() == 1
    tab.notice_table.selectRow(0)
    out = tab.export_affected(tmp_path / "affected.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert odb.accounts["a"] in text and odb.accounts["c"] not in text
    panel.shutdown()


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
