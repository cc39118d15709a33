"""Staff accounts from the workstation: who may manage whom, reset, disable, own password;
the manager's dialog and "change my password" driven with the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counterdesk import audit, staff
from counterdesk.errors import AuthError, PermissionDenied, ValidationError
from counterdesk.settings import Settings
from tests.conftest import DEMO


@pytest.fixture
def admin(demo_db):
    return staff.sign_in(demo_db, *DEMO["admin"], window=None)


def _kinds(db) -> list[str]:
    from sqlalchemy import select

    from counterdesk.models import AuditEvent

    with db.read() as s:
        return list(s.execute(select(AuditEvent.kind).order_by(AuditEvent.seq)).scalars())


def test_manager_adds_resets_disables_a_clerk(demo_db, manager):
    info = staff.create_staff(demo_db, manager, "1101", "王晓", "clerk", "first1")
    assert info.role == "clerk" and info.hall_code == manager.hall_code
    assert staff.sign_in(demo_db, "1101", "first1", window=2).name == "王晓"
    # forgotten password after a lock-out: the reset lifts it
    for _ in range(staff.MAX_ATTEMPTS):
        with pytest.raises(AuthError):
            staff.sign_in(demo_db, "1101", "wrong!", window=2)
    assert next(i for i in staff.hall_staff(demo_db, manager) if i.staff_no == "1101").locked
    staff.reset_password(demo_db, manager, "1101", "second2")
    assert staff.sign_in(demo_db, "1101", "second2", window=2)
    assert staff.set_account_enabled(demo_db, manager, "1101", False).disabled
    with pytest.raises(AuthError, match="停用|disabled"):
        staff.sign_in(demo_db, "1101", "second2", window=2)
    assert not staff.set_account_enabled(demo_db, manager, "1101", True).disabled
    kinds = _kinds(demo_db)
    for k in ("staff.added", "staff.locked", "staff.password_reset", "staff.disabled",
              "staff.enabled"):
        assert k in kinds
    assert audit.verify(demo_db).ok


def test_who_may_manage_whom(demo_db, manager, clerk, admin):
    with pytest.raises(PermissionDenied):
        staff.hall_staff(demo_db, clerk)
    with pytest.raises(PermissionDenied):
        staff.create_staff(demo_db, clerk, "1102", "李", "clerk", "pw1234")
    with pytest.raises(PermissionDenied, match="管理员"):
        staff.create_staff(demo_db, manager, "9102", "赵", "manager", "pw1234")
    with pytest.raises(PermissionDenied):
        staff.reset_password(demo_db, manager, DEMO["admin"][0], "pw1234")
    with pytest.raises(PermissionDenied, match="自己"):
        staff.set_account_enabled(demo_db, manager, manager.staff_no, False)
    with pytest.raises(PermissionDenied, match="自己"):
        staff.reset_password(demo_db, admin, admin.staff_no, "pw1234")
    before = staff.hall_staff(demo_db, admin)
    # an administrator manages managers
    assert staff.create_staff(demo_db, admin, "9102", "赵经理", "manager", "pw1234").role == \
        "manager"
    staff.reset_password(demo_db, admin, manager.staff_no, "newmgr1")
    assert staff.sign_in(demo_db, manager.staff_no, "newmgr1").is_manager
    assert len(staff.hall_staff(demo_db, admin)) == len(before) + 1


def test_bad_input_changes_nothing(demo_db, manager):
    before = staff.hall_staff(demo_db, manager)
    for args, field in ((("", "王", "clerk", "pw1234"), "staff_no"),
                        (("1103", "", "clerk", "pw1234"), "name"),
                        (("1103", "王", "clerk", "123"), "password"),
                        (("1001", "重复", "clerk", "pw1234"), "staff_no")):
        with pytest.raises(Exception) as e:
            staff.create_staff(demo_db, manager, *args)
        assert getattr(e.value, "field", None) == field
    with pytest.raises(ValidationError):
        staff.reset_password(demo_db, manager, "1001", "12")
    assert staff.hall_staff(demo_db, manager) == before
    assert staff.sign_in(demo_db, *DEMO["clerk"], window=1)


def test_own_password_needs_the_old_one(demo_db, clerk):
    with pytest.raises(AuthError):
        staff.change_own_password(demo_db, clerk, "not-it", "brandnew1")
    with pytest.raises(ValidationError):
        staff.change_own_password(demo_db, clerk, DEMO["clerk"][1], DEMO["clerk"][1])
    staff.change_own_password(demo_db, clerk, DEMO["clerk"][1], "brandnew1")
    with pytest.raises(AuthError):
        staff.sign_in(demo_db, *DEMO["clerk"], window=1)
    assert staff.sign_in(demo_db, DEMO["clerk"][0], "brandnew1", window=1)
    assert "staff.password_changed" in _kinds(demo_db)


# ------------------------------------------------------------------------------- the UI
def _main_window(qtbot, db, actor):
    from counterdesk.ui.shell.mainwindow import MainWindow

    win = MainWindow(db, actor, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_staff_dialog_from_the_manage_menu(qtbot, demo_db, manager):
    win = _main_window(qtbot, demo_db, manager)
    ws = win.workstation
    assert ws.action_staff is not None and ws.action_staff in win.menu_manage.actions()
    ws.action_staff.trigger()
    dlg = ws.staff_dialog
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(lambda: not dlg.jobs.busy and dlg.model.rowCount() > 0)  # rows read
    assert dlg.role.count() == 1  # a manager creates clerks only
    n = dlg.model.rowCount()
    # keyboard: type the fields, Tab between them, Alt+A adds
    qtbot.keyClicks(dlg.staff_no, "1201")
    dlg.name.setText("陈晨")  # Chinese comes from the input method, not key clicks
    qtbot.keyClicks(dlg.password, "abc123")
    qtbot.keyClicks(dlg.password2, "abc124")
    assert not dlg.add()
    assert "不一致" in dlg.message.text() or "differ" in dlg.message.text()
    assert dlg.model.rowCount() == n
    dlg.password2.clear()
    qtbot.keyClicks(dlg.password2, "abc123")
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    qtbot.keyClick(dlg.password2, Qt.Key_A, Qt.AltModifier)
    qtbot.waitUntil(lambda: dlg.model.rowCount() == n + 1)
    assert dlg.selected().staff_no == "1201" and "1201" in dlg.message.text()
    assert staff.sign_in(demo_db, "1201", "abc123", window=3)
    # disable the selected account, and the manager's own account is refused
    job = dlg.toggle()
    assert job is not None
    qtbot.waitUntil(lambda: job.done)
    assert dlg.selected().disabled
    own = next(r for r, i in enumerate(dlg.model.rows) if i.staff_no == manager.staff_no)
    dlg.table.selectRow(own)
    job = dlg.toggle()                       # refused by the service, said in the dialog
    qtbot.waitUntil(lambda: job is None or job.done)
    assert "自己" in dlg.message.text() or "own" in dlg.message.text()
    assert not dlg.model.rows[own].disabled
    dlg.close()


def test_a_clerk_has_no_staff_menu_but_changes_their_password(qtbot, demo_db, clerk):
    win = _main_window(qtbot, demo_db, clerk)
    ws = win.workstation
    assert ws.action_staff is None
    assert ws.action_password in win.menu_file.actions()
    ws.action_password.trigger()
    dlg = ws.password_dialog
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.old, "wrong-one")
    qtbot.keyClicks(dlg.new, "fresh123")
    qtbot.keyClicks(dlg.new2, "fresh123")
    job = dlg.save()                          # checked off the GUI thread, refused
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert not job.ok and dlg.isVisible() and dlg.message.text()
    dlg.old.clear()
    qtbot.keyClicks(dlg.old, DEMO["clerk"][1])
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    with qtbot.waitSignal(dlg.accepted):
        qtbot.keyClick(dlg.new2, Qt.Key_Return)
    assert staff.sign_in(demo_db, DEMO["clerk"][0], "fresh123", window=1)
