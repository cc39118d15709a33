"""The manager's hall policy screen (Manage menu), driven with the keyboard; the staff
screen's unlock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counterdesk import policy, staff
from counterdesk.errors import AuthError
from counterdesk.settings import Settings
from tests.conftest import DEMO


def _main_window(qtbot, db, actor):
    from counterdesk.ui.shell.mainwindow import MainWindow

    win = MainWindow(db, actor, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _settled(qtbot, dlg) -> None:
    """Reads and changes run off the GUI thread: wait for the answer."""
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)


def _select(dlg, key: str) -> None:
    row = next(n for n, r in enumerate(dlg.model.rows) if r.key == key)
    dlg.table.selectRow(row)


def test_policy_model_lists_every_key_with_default(qtbot, demo_db, manager):
    from counterdesk.ui.policy import PolicyScreen

    dlg = PolicyScreen(demo_db, manager)
    qtbot.addWidget(dlg)
    assert dlg.jobs.busy and not dlg.save_button.isEnabled()   # read off the GUI thread
    _settled(qtbot, dlg)
    assert dlg.save_button.isEnabled() and dlg.selected() is dlg.model.rows[0]
    assert dlg.model.rowCount() == len(policy.KEYS)
    assert dlg.model.columnCount() == 5
    first = dlg.model.rows[0]
    assert dlg.model.data(dlg.model.index(0, 4)) == first.key
    assert dlg.model.data(dlg.model.index(0, 1)) == str(first.default)


def test_manager_edits_a_rule_from_the_manage_menu(qtbot, demo_db, manager):
    win = _main_window(qtbot, demo_db, manager)
    action = win.workstation.action_policy
    assert action is not None and action in win.menu_manage.actions()
    action.trigger()
    dlg = action.dialog
    qtbot.waitExposed(dlg)
    _settled(qtbot, dlg)
    _select(dlg, "queue.pause_limit_minutes")
    assert dlg.value.text() == "15" and "queue.pause_limit_minutes" in dlg.rule.text()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    # out of range: refused, names the rule, nothing changed
    qtbot.keyClick(dlg, Qt.Key_F2)
    qtbot.waitUntil(dlg.value.hasFocus)
    dlg.value.selectAll()
    qtbot.keyClicks(dlg.value, "999")
    qtbot.keyClick(dlg.value, Qt.Key_Return)
    _settled(qtbot, dlg)
    assert "queue.pause_limit_minutes" in dlg.message.text() and "480" in dlg.message.text()
    assert policy.values(demo_db, manager.hall_id)["queue.pause_limit_minutes"] == 15
    assert dlg.isVisible()  # Enter never closes the dialog
    dlg.value.selectAll()
    qtbot.keyClicks(dlg.value, "20")
    qtbot.keyClick(dlg.value, Qt.Key_Return)
    _settled(qtbot, dlg)
    assert policy.values(demo_db, manager.hall_id)["queue.pause_limit_minutes"] == 20
    assert dlg.selected().key == "queue.pause_limit_minutes" and dlg.selected().value == 20
    assert dlg.to_default()
    _settled(qtbot, dlg)
    assert policy.values(demo_db, manager.hall_id)["queue.pause_limit_minutes"] == 15
    dlg.close()


def test_a_clerk_has_no_policy_screen(qtbot, demo_db, clerk):
    win = _main_window(qtbot, demo_db, clerk)
    assert win.workstation.action_policy is None


def test_staff_screen_unlocks_an_account(qtbot, demo_db, manager):
    from counterdesk.ui.shell.staff_admin import StaffAdmin

    for _ in range(staff.MAX_ATTEMPTS):
        with pytest.raises(AuthError):
            staff.sign_in(demo_db, "1002", "wrong!")
    dlg = StaffAdmin(demo_db, manager)
    qtbot.addWidget(dlg)
    _settled(qtbot, dlg)
    row = next(n for n, i in enumerate(dlg.model.rows) if i.staff_no == "1002")
    dlg.table.selectRow(row)
    assert dlg.selected().locked
    job = dlg.unlock()
    assert not dlg.unlock_button.isEnabled()                  # busy meanwhile
    _settled(qtbot, dlg)
    assert job.ok and not dlg.selected().locked and "1002" in dlg.message.text()
    assert staff.sign_in(demo_db, *DEMO["clerk2"])
    own = next(n for n, i in enumerate(dlg.model.rows) if i.staff_no == manager.staff_no)
    dlg.table.selectRow(own)
    job = dlg.unlock()
    _settled(qtbot, dlg)
    assert not job.ok and dlg.message.text() and dlg.selected().staff_no == manager.staff_no
