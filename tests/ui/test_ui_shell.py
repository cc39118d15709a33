from PySide6.QtCore import Qt

from counterdesk.settings import Settings
from counterdesk.ui.shell.mainwindow import MainWindow
from counterdesk.ui.shell.signin import SignInDialog


def test_sign_in_wrong_then_right(qtbot, demo_db):
    s = Settings()
    s.window.number = 3
    dlg = SignInDialog(demo_db, s)
    qtbot.addWidget(dlg)
    assert dlg.window_no.value() == 3
    qtbot.keyClicks(dlg.staff_no, "1001")
    qtbot.keyClick(dlg.staff_no, Qt.Key_Return)
    qtbot.keyClicks(dlg.password, "nope")
    qtbot.keyClick(dlg.password, Qt.Key_Return)           # checked off the GUI thread
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)
    assert "4" in dlg.message.text() and dlg.result() == 0
    qtbot.keyClicks(dlg.password, "123456")
    with qtbot.waitSignal(dlg.accepted):
        qtbot.keyClick(dlg.password, Qt.Key_Return)
    assert dlg.actor.staff_no == "1001" and dlg.actor.window == 3


def test_sign_in_window_first_then_the_database(qtbot, demo_db):
    """The window shows before the database opens: the clerk types meanwhile, and
    signing in waits for the connection instead of failing."""
    from PySide6.QtWidgets import QDialogButtonBox

    dlg = SignInDialog(None, Settings())
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled() and dlg.database.text()
    qtbot.keyClicks(dlg.staff_no, "1001")
    qtbot.keyClick(dlg.staff_no, Qt.Key_Return)
    qtbot.keyClicks(dlg.password, "123456")
    qtbot.keyClick(dlg.password, Qt.Key_Return)
    assert dlg.result() == 0 and dlg.actor is None and dlg.message.text()
    dlg.set_database(demo_db)
    assert ok.isEnabled() and demo_db.display_url in dlg.database.text()
    with qtbot.waitSignal(dlg.accepted):
        qtbot.keyClick(dlg.password, Qt.Key_Return)
    assert dlg.actor.staff_no == "1001"


def test_main_window_status_bar(qtbot, demo_db, clerk):
    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    win.show()
    assert "1001" in win.status_clerk.text()
    qtbot.waitUntil(lambda: not win.health_jobs.busy, timeout=10_000)
    assert "OK" in win.status_db.text() or "正常" in win.status_db.text()
    assert demo_db.display_url in win.status_db.text() or "postgresql" in win.status_db.text()
    assert "@" not in win.status_db.text() or ":" not in win.status_db.text().split("@")[0][-3:]


def test_main_window_says_once_that_the_database_server_changed(qtbot, demo_db, clerk):
    """Issue 24: after a standby took over, the next health check puts the notice on the
    message line, once."""
    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.health_jobs.busy, timeout=10_000)
    win.statusBar().clearMessage()
    demo_db._notice = "数据库已切换到服务器 db2:5432（原服务器 db1:5432 不可用），可继续办理。"
    check(qtbot, win)
    assert "db2:5432" in win.statusBar().currentMessage()
    win.statusBar().clearMessage()
    check(qtbot, win)
    assert win.statusBar().currentMessage() == ""


def check(qtbot, win):
    """One health check, off the GUI thread; True when the database answered."""
    job = win.check_database()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert job.value[0]


def test_health_check_and_figures_run_off_the_gui_thread(qtbot, demo_db, clerk, monkeypatch):
    """Issue 16.2: the health check and today's figures are read on a worker thread; a
    check still running is not started again."""
    import threading

    from counterdesk import clockcheck, workstation

    threads, gate = [], threading.Event()
    real_measure, real_figures = clockcheck.measure, workstation.today_figures

    def measure(db):
        threads.append(threading.current_thread())
        gate.wait(10)
        return real_measure(db)

    monkeypatch.setattr(clockcheck, "measure", measure)
    monkeypatch.setattr(workstation, "today_figures", lambda *a: threads.append(
        threading.current_thread()) or real_figures(*a))
    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    assert win.health_jobs.busy and win.check_database() is None   # no second check
    gate.set()
    qtbot.waitUntil(lambda: not win.health_jobs.busy and not win.workstation.figure_jobs.busy,
                    timeout=10_000)
    assert len(threads) == 2 and threading.main_thread() not in threads
    win.close()


def test_sign_in_runs_off_the_gui_thread(qtbot, demo_db, monkeypatch):
    """Issue 16.2: the password is checked on a worker thread; meanwhile the fields and
    the button are disabled and the line says so; a refusal is shown after."""
    import threading

    from PySide6.QtWidgets import QDialogButtonBox

    from counterdesk import staff

    threads = []
    real = staff.sign_in
    monkeypatch.setattr(staff, "sign_in", lambda *a, **k: threads.append(
        threading.current_thread()) or real(*a, **k))
    dlg = SignInDialog(demo_db, Settings())
    qtbot.addWidget(dlg)
    dlg.staff_no.setText("1001")
    dlg.password.setText("wrong")
    job = dlg.try_sign_in()
    assert not dlg.password.isEnabled() and dlg.message.text()
    assert not dlg.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert dlg.try_sign_in() is None                      # one check at a time
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert not job.ok and dlg.actor is None and dlg.password.text() == ""
    assert dlg.password.isEnabled() and dlg.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert threads and threads[0] is not threading.main_thread()
