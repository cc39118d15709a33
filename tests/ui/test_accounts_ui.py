"""The account panel and forms (pytest-qt), keyboard only, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from counterdesk import accounts, staff
from counterdesk.models.accounts import Account, Bill
from tests.services.test_accounts import ID_A, ID_B, person

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def bench(desk, qtbot):
    from counterdesk.settings import Settings
    from counterdesk.ui.shell.bus import Workbench

    db, clerk = desk
    return Workbench(db, clerk, Settings())


@pytest.fixture
def desk(db):
    from counterdesk import resources_access, setup

    setup.create_hall(db, resources_access.read_toml("demo", "hall.toml"))
    staff.add_user(db, "1001", "柜员甲", "clerk", "123456", hall_code="HQ01")
    return db, staff.sign_in(db, "1001", "123456", window=1)


def type_into(qtbot, widget, text):
    """Type like a clerk: key events, one character at a time (Chinese as an input
    method delivers it: a key event carrying the text; QTest only knows ASCII keys)."""
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    widget.clear()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QKeyEvent.KeyPress, QKeyEvent.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown,
                                                         Qt.NoModifier, ch))


def test_results_model_without_window(bench):
    from counterdesk.ui.accounts.models import SearchResultsModel

    accounts.open_account(bench.db, bench.actor, person(special_groups=["elderly"]))
    res = accounts.search(bench.db, bench.actor, "zhxm")
    m = SearchResultsModel()
    m.set_hits(res.hits)
    assert m.rowCount() == 1 and m.columnCount() == 7
    assert m.data(m.index(0, 1)) == "张小明"
    assert m.data(m.index(0, 2)) == "1101**********002X"
    assert m.data(m.index(0, 3)) == "138****5678"
    assert "特殊群体" in m.data(m.index(0, 1), Qt.ToolTipRole)
    assert m.data(m.index(5, 1)) is None


def test_opening_form_validates_as_you_type_and_saves(bench, qtbot):
    from counterdesk.ui.accounts.forms import OpeningController, OpeningFormView

    view = OpeningFormView()
    qtbot.addWidget(view)
    ctl = OpeningController(bench, view)
    view.show()
    type_into(qtbot, view.edits["id_number"], "110105194912310021")
    assert view.errors["id_number"].isVisibleTo(view)
    assert "校验位" in view.errors["id_number"].text()
    type_into(qtbot, view.edits["id_number"], ID_A)
    assert not view.errors["id_number"].isVisibleTo(view)
    type_into(qtbot, view.edits["phone"], "1381234")
    assert "11 位" in view.errors["phone"].text()
    d = person()
    for f in ("name", "phone", "district", "street", "community", "building", "unit", "room",
              "meter_no"):
        type_into(qtbot, view.edits[f], d[f])
    assert all(not lab.isVisibleTo(view) for lab in view.errors.values())
    # documents ticked with the keyboard (focus + Space)
    for code in ("id_card", "property"):
        view.docs[code].setFocus()
        qtbot.keyClick(view.docs[code], Qt.Key_Space)
    with qtbot.waitSignal(bench.account_selected, timeout=5000) as sig:
        qtbot.keyClick(view.edits["meter_no"], Qt.Key_Return, Qt.ControlModifier)
    assert ctl.result is not None and sig.args == [ctl.result.account_no]
    assert accounts.show(bench.db, bench.actor, ctl.result.account_no).holder.name == "张小明"


def test_opening_form_duplicate_meter_names_the_field(bench, qtbot):
    from counterdesk.ui.accounts.forms import OpeningController, OpeningFormView

    accounts.open_account(bench.db, bench.actor, person())
    view = OpeningFormView()
    qtbot.addWidget(view)
    ctl = OpeningController(bench, view)
    view.show()
    d = person(room="302", id_number=ID_B, name="李四")
    for f in ("name", "id_number", "phone", "district", "street", "community", "building",
              "unit", "room", "meter_no"):
        type_into(qtbot, view.edits[f], d[f])
    for code in ("id_card", "property"):
        view.docs[code].setChecked(True)
    qtbot.mouseClick(view.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "表号" in view.errors["meter_no"].text(), timeout=5000)
    qtbot.waitUntil(lambda: not ctl.jobs.busy, timeout=5000)
    assert ctl.result is None
    assert view.edits["meter_no"].hasFocus() or not view.isActiveWindow()


def test_opening_form_rare_characters(bench, qtbot):
    from counterdesk.ui.accounts.forms import OpeningController, OpeningFormView

    view = OpeningFormView()
    qtbot.addWidget(view)
    ctl = OpeningController(bench, view)
    d = person(name="𠮷䶮")
    for f in ("name", "id_number", "phone", "district", "street", "community", "building",
              "unit", "room", "meter_no"):
        view.edits[f].setText(d[f])
    for code in ("id_card", "property"):
        view.docs[code].setChecked(True)
    with qtbot.waitSignal(ctl.save().finished, timeout=5000):
        pass
    assert ctl.result.holder.name == "𠮷䶮"


def _arrears(db, account_no, fen=5000):
    with db.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar_one()
        s.add(Bill(account_id=acc.id, period="2026-10", volume=1, amount_fen=fen, paid_fen=0,
                   due_date=dt.date(2026, 11, 20)))


def _fill_transfer(qtbot, view, reason="sale"):
    view.edits["reason"].setFocus()
    idx = view.edits["reason"].findData(reason)
    view.edits["reason"].setCurrentIndex(idx)
    type_into(qtbot, view.edits["name"], "李四")
    type_into(qtbot, view.edits["id_number"], ID_B)
    type_into(qtbot, view.edits["phone"], "13912345678")
    for code in ("old_holder_id", "new_holder_id", "sale_contract"):
        view.docs[code].setFocus()
        qtbot.keyClick(view.docs[code], Qt.Key_Space)


def test_transfer_form_refused_for_arrears_offers_payment(bench, qtbot):
    from counterdesk.ui.accounts.forms import TransferController, TransferFormView

    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    _arrears(bench.db, no)
    view = TransferFormView(no)
    qtbot.addWidget(view)
    ctl = TransferController(bench, view)
    view.show()
    _fill_transfer(qtbot, view)
    with qtbot.waitSignal(bench.rule_refused, timeout=5000) as refused:
        qtbot.keyClick(view.edits["phone"], Qt.Key_Return, Qt.ControlModifier)
    assert refused.args[0] == "arrears" and "￥50.00" in refused.args[1]
    assert view.pay_button.isVisibleTo(view)
    assert ctl.result is None
    assert accounts.show(bench.db, bench.actor, no).holder.name == "张小明"
    with qtbot.waitSignal(bench.open_payment, timeout=5000) as pay:
        qtbot.keyClick(view.pay_button, Qt.Key_Space)
    assert pay.args == [no]


def test_transfer_form_keyboard_only(bench, qtbot):
    from counterdesk.ui.accounts.forms import TransferController, TransferFormView

    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    view = TransferFormView(no)
    qtbot.addWidget(view)
    ctl = TransferController(bench, view)
    view.show()
    type_into(qtbot, view.edits["id_number"], "33010619850315123X")
    assert "校验位" in view.errors["id_number"].text()
    _fill_transfer(qtbot, view)
    with qtbot.waitSignal(bench.account_selected, timeout=5000):
        qtbot.keyClick(view.edits["phone"], Qt.Key_Return, Qt.ControlModifier)
    assert ctl.result.holder.name == "李四"
    assert [h.change for h in ctl.result.history] == ["open", "transfer"]


def test_panel_search_as_you_type_and_file(bench, qtbot):
    from counterdesk.ui.accounts.panel import create

    no = accounts.open_account(bench.db, bench.actor,
                               person(special_groups=["elderly", "orphan"])).account_no
    panel = create(bench)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.search, "zhxm")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(bench.account_selected, timeout=5000) as sig:
        qtbot.keyClick(panel.search, Qt.Key_Return)
    assert sig.args == [no]
    html = panel.file.toHtml()
    assert "1101**********002X" in html and ID_A not in html and "13812345678" not in html
    assert panel.hint.isVisibleTo(panel) and "老" in panel.hint.text()
    assert not panel.buttons["pay"].isEnabled()


def test_panel_blocks_transfer_with_arrears(bench, qtbot):
    from counterdesk.ui.accounts.panel import create

    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    _arrears(bench.db, no, 12345)
    panel = create(bench)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.show_account(no).finished, timeout=5000):
        pass
    with qtbot.waitSignal(bench.rule_refused, timeout=5000) as sig:
        assert panel.transfer() is None
    assert sig.args[0] == "arrears" and "123.45" in sig.args[1]
    with qtbot.waitSignal(bench.open_payment, timeout=5000) as pay:
        panel.buttons["pay"].click()
    assert pay.args == [no]
    panel.arrears_box.close()


def test_shortcuts_in_main_window(bench, qtbot):
    from PySide6.QtWidgets import QMainWindow, QTabWidget

    from counterdesk.ui.accounts.panel import create

    win = QMainWindow()
    qtbot.addWidget(win)
    tabs = QTabWidget()
    win.setCentralWidget(tabs)
    other = QTabWidget()
    tabs.addTab(other, "other")
    panel = create(bench, win)
    tabs.addTab(panel, panel.tab_title)
    panel.install_actions(win)
    win.show()
    qtbot.waitExposed(win)
    keys = {a.objectName(): [k.toString() for k in a.shortcuts()] for a in win.actions()}
    assert keys["action_account_find"] == ["F8", "Ctrl+F"]
    assert keys["action_account_open"] == ["Ctrl+N"]
    assert keys["action_account_rename"] == ["Ctrl+R"]
    assert keys["action_account_transfer"] == ["Ctrl+T"]
    assert keys["action_account_suspend"] == ["Ctrl+Shift+S"]
    assert keys["action_account_resume"] == ["Ctrl+Shift+U"]
    panel.actions_by_name["find"].trigger()
    assert tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.search.hasFocus(), timeout=5000)


def test_opening_from_panel_prints_slip_and_form(bench, qtbot, printer, tmp_path):
    from counterdesk.print.escpos_doc import decode
    from counterdesk.ui.accounts.panel import create

    bench.settings.printer.uri = printer.uri
    panel = create(bench)
    qtbot.addWidget(panel)
    opened = []
    panel.opener = lambda url: opened.append(url.toLocalFile())
    view, ctl = panel.open_account()
    d = person()
    for f in ("name", "id_number", "phone", "district", "street", "community", "building",
              "unit", "room", "meter_no"):
        view.edits[f].setText(d[f])
    for code in ("id_card", "property"):
        view.docs[code].setChecked(True)
    with qtbot.waitSignal(panel.papers_done, timeout=10000) as done:
        ctl.save()
    out = done.args[0]
    assert out["slip"] == "printed" and out["pdf"].endswith(".pdf")
    qtbot.waitUntil(lambda: opened == [out["pdf"]], timeout=5000)
    text = decode(printer.wait_for(1)[0])
    assert ctl.result.account_no in text and "1101**********002X" in text
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)
    assert panel.current.account_no == ctl.result.account_no


def test_printer_offline_keeps_the_account(bench, qtbot):
    from counterdesk.ui.accounts.panel import create
    from tests.conftest import closed_port

    bench.settings.printer.uri = f"tcp://127.0.0.1:{closed_port()}"
    panel = create(bench)
    qtbot.addWidget(panel)
    panel.opener = lambda url: None
    v = accounts.open_account(bench.db, bench.actor, person())
    with qtbot.waitSignal(bench.status_message, timeout=10000) as msg:
        panel.print_papers(v, "open")
    assert "saved" in msg.args[0] or "已保存" in msg.args[0] or "保存" in msg.args[0]
    assert accounts.show(bench.db, bench.actor, v.account_no).status == "active"


@pytest.fixture
def managers(bench):
    """Two managers: 9001 signs in at the window, 9002 is the other one."""
    for no, name in (("9001", "主任甲"), ("9002", "主任乙")):
        staff.add_user(bench.db, no, name, "manager", "654321", hall_code="HQ01")
    return staff.sign_in(bench.db, "9001", "654321", window=1)


def _panel_on(qtbot, bench, account_no):
    from counterdesk.ui.accounts.panel import create

    panel = create(bench)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.select(account_no).finished, timeout=5000):
        pass
    return panel


def _ok(qtbot, dlg):
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def test_stop_then_resume_needs_another_manager(desk, managers, qtbot):
    """暂停供气 with a reason; 恢复供气 approved by the signed-in manager himself is
    refused inline (the service's message), by another manager accepted; the file shows
    the stop."""
    from counterdesk.settings import Settings
    from counterdesk.ui.shell.bus import Workbench

    db, clerk = desk
    no = accounts.open_account(db, clerk, person()).account_no
    bench = Workbench(db, managers, Settings())
    panel = _panel_on(qtbot, bench, no)
    assert panel.buttons["suspend"].isEnabled() and panel.buttons["resume"].isHidden()

    dlg = panel.suspend()
    _ok(qtbot, dlg)   # no reason: refused, the dialog stays
    qtbot.waitUntil(lambda: dlg.message.isVisibleTo(dlg), timeout=5000)
    assert "原因" in dlg.message.text() and dlg.isVisible()
    type_into(qtbot, dlg.fields["reason"], "安检发现隐患")
    with qtbot.waitSignal(dlg.finished, timeout=5000):
        _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: panel.current.status == "suspended", timeout=5000)
    assert accounts.show(db, clerk, no).status == "suspended"
    assert "安检发现隐患" in panel.hint.text() and not panel.hint.isHidden()
    assert panel.buttons["resume"].isEnabled() and panel.buttons["suspend"].isHidden()
    assert "暂停" in panel.file.toHtml() and "安检发现隐患" in panel.file.toHtml()

    dlg = panel.resume()
    type_into(qtbot, dlg.fields["inspection_ref"], "AJ-2026-0042")
    type_into(qtbot, dlg.fields["reason"], "隐患已整改，复检合格")
    type_into(qtbot, dlg.auth.approver, "9001")          # the manager at the window
    type_into(qtbot, dlg.auth.password, "654321")
    _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: "本人" in dlg.message.text(), timeout=5000)
    assert dlg.isVisible() and dlg.auth.approver.hasFocus()
    assert accounts.show(db, clerk, no).status == "suspended"

    type_into(qtbot, dlg.auth.approver, "9002")          # another manager
    type_into(qtbot, dlg.auth.password, "654321")
    with qtbot.waitSignal(dlg.finished, timeout=5000):
        _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: panel.current.status == "active", timeout=5000)
    stops = accounts.show(db, clerk, no).suspensions
    assert len(stops) == 1 and stops[0]["approved_by"] == "9002"
    assert stops[0]["inspection_ref"] == "AJ-2026-0042" and stops[0]["by"] == "9001"
    html = panel.file.toHtml()
    assert "AJ-2026-0042" in html and "9002" in html and "安检发现隐患" in html
    assert "安检发现隐患" not in panel.hint.text()
    assert panel.buttons["suspend"].isEnabled() and panel.buttons["resume"].isHidden()


def test_resume_refusals_show_in_the_dialog(bench, managers, qtbot):
    """A clerk's resume: no inspection no. and a wrong password are refused inline."""
    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    accounts.set_suspended(bench.db, bench.actor, no, True, reason="用户申请停气")
    panel = _panel_on(qtbot, bench, no)
    dlg = panel.resume()
    type_into(qtbot, dlg.fields["reason"], "复检合格")
    type_into(qtbot, dlg.auth.approver, "9002")
    type_into(qtbot, dlg.auth.password, "wrong")
    _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.message.isVisibleTo(dlg), timeout=5000)
    assert "安检" in dlg.message.text() or "inspection" in dlg.message.text()
    assert dlg.fields["inspection_ref"].hasFocus()
    type_into(qtbot, dlg.fields["inspection_ref"], "AJ-1")
    _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: "密码" in dlg.message.text(), timeout=5000)
    assert accounts.show(bench.db, bench.actor, no).status == "suspended"


def test_busy_while_the_file_loads(bench, qtbot, monkeypatch):
    """The file is read off the GUI thread: while it loads the tab says so and its
    business buttons wait."""
    import threading

    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    panel = _panel_on(qtbot, bench, no)
    gate = threading.Event()
    real = accounts.show
    gui = threading.current_thread()
    seen = []

    def slow_show(*a, **k):
        seen.append(threading.current_thread() is not gui)
        gate.wait(10)
        return real(*a, **k)

    monkeypatch.setattr(accounts, "show", slow_show)
    job = panel.show_account(no)
    assert panel.busy.isVisibleTo(panel) and not panel.buttons["rename"].isEnabled()
    gate.set()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert seen == [True]
    assert not panel.busy.isVisibleTo(panel) and panel.buttons["rename"].isEnabled()


def test_supply_keys_are_in_the_workstation_cheat_sheet(qtbot, sqlite_db):
    """Ctrl+Shift+S / Ctrl+Shift+U are the workstation's, once each, in the F1 sheet; on
    an account whose supply is stopped Ctrl+Shift+U opens the resume form."""
    from counterdesk import setup
    from counterdesk.settings import Settings
    from counterdesk.ui.shell import cheatsheet
    from counterdesk.ui.shell.mainwindow import MainWindow

    setup.demo(sqlite_db)
    clerk = staff.sign_in(sqlite_db, "1001", "123456", window=1)
    win = MainWindow(sqlite_db, clerk, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        rows = cheatsheet.collect(win)
        keys = [r.keys for r in rows]
        assert keys.count("Ctrl+Shift+S") == 1 and keys.count("Ctrl+Shift+U") == 1
        assert keys.count("Ctrl+Shift+Y") == 1       # 用气性质变更
        texts = {r.keys: r.text for r in rows}
        assert texts["Ctrl+Shift+S"] in ("暂停供气", "Stop supply")
        acc = win.panels["accounts"]
        no = accounts.search(sqlite_db, clerk, "0").hits[0].account_no
        accounts.set_suspended(sqlite_db, clerk, no, True, reason="安检隐患")
        with qtbot.waitSignal(acc.select(no).finished, timeout=5000):
            pass
        qtbot.keyClick(win, Qt.Key_U, Qt.ControlModifier | Qt.ShiftModifier)
        qtbot.waitUntil(lambda: getattr(acc, "supply_dialog", None) is not None
                        and acc.supply_dialog.isVisible(), timeout=5000)
        assert acc.supply_dialog.objectName() == "resume_dialog"
        assert win.business.currentWidget() is acc
        acc.supply_dialog.reject()
    finally:
        for p in win.panels.values():
            getattr(p, "shutdown", lambda: None)()
        win.close()


def test_change_of_customer_type_from_the_tab(bench, managers, qtbot):
    """用气性质变更 (Ctrl+Shift+Y's button): the dialog lists the hall's other types; no
    business licence and no manager are refused inline (nothing changes); with both the
    type changes, the file shows the change, the tab says so and the form to sign opens."""
    from tests.helpers.pdfcheck import pdf_text

    no = accounts.open_account(bench.db, bench.actor, person()).account_no
    panel = _panel_on(qtbot, bench, no)
    opened: list[str] = []
    panel.opener = lambda url: opened.append(url.toLocalFile())
    said: list[str] = []
    bench.status_message.connect(said.append)
    qtbot.mouseClick(panel.buttons["retype"], Qt.LeftButton)
    qtbot.waitUntil(lambda: getattr(panel, "retype_dialog", None) is not None
                    and panel.retype_dialog.isVisible(), timeout=5000)
    dlg = panel.retype_dialog
    shown = [dlg.type.itemText(i) for i in range(dlg.type.count())]
    assert "居民" not in shown and "商业" in shown           # its own type is not offered
    dlg.type.setCurrentIndex(shown.index("商业"))
    type_into(qtbot, dlg.fields["reason"], "住宅改为商铺")
    dlg.docs["id_card"].setChecked(True)
    _ok(qtbot, dlg)            # the papers are refused before the manager is asked
    qtbot.waitUntil(lambda: "营业执照" in dlg.message.text(), timeout=5000)
    assert dlg.isVisible() and dlg.docs["business_licence"].hasFocus()
    dlg.docs["business_licence"].setChecked(True)
    _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: "授权" in dlg.message.text(), timeout=5000)
    assert dlg.auth.approver.hasFocus()
    assert accounts.show(bench.db, bench.actor, no).customer_type == "resident"
    type_into(qtbot, dlg.auth.approver, "9002")
    type_into(qtbot, dlg.auth.password, "654321")
    with qtbot.waitSignals([dlg.finished, panel.papers_done], timeout=10000):
        _ok(qtbot, dlg)
    qtbot.waitUntil(lambda: panel.current.customer_type == "commercial", timeout=5000)
    assert any(no in m and "商业" in m for m in said), said
    text = pdf_text(opened[0]).replace(" ", "")                # the form to sign
    assert "用气性质变更确认单" in text and "原客户类型" in text
    html = panel.file.toHtml()
    assert "type changed" in html          # the file's words (no translator in this test)
    assert "居民 → 商业（9002 批准）" in html and "住宅改为商铺" in html
