"""The first-run settings dialog (issue 9): bad database, refused printer, saved settings."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from counterdesk import firstrun, paths
from counterdesk import settings as settings_mod
from counterdesk.ui.shell import first_run
from counterdesk.ui.shell.first_run import FirstRunDialog
from tests.conftest import closed_port


@pytest.fixture
def dialog(qtbot, tmp_path):
    def make(settings=None, problem=None):
        dlg = FirstRunDialog(settings, target=tmp_path / "cfg" / "counterdesk.toml",
                             problem=problem)
        qtbot.addWidget(dlg)
        return dlg
    return make


def test_unreachable_server_says_which_and_why(qtbot, dialog):
    dlg = dialog()
    dlg.db_server.setChecked(True)
    dlg.db_url.setText(f"postgresql+psycopg://hall@127.0.0.1:{closed_port()}/counterdesk")
    dlg.db_test.click()
    qtbot.waitUntil(lambda: dlg.db_test.isEnabled() and "127.0.0.1" in dlg.db_message.text(),
                    timeout=10_000)
    text = dlg.db_message.text()
    assert "PostgreSQL" in text and "拒绝连接" in text
    assert "#c0392b" in dlg.db_message.styleSheet()


def test_malformed_url_and_empty_server_url(qtbot, dialog):
    dlg = dialog()
    dlg.db_server.setChecked(True)
    dlg.db_test.click()  # nothing typed
    assert "postgresql+psycopg://" in dlg.db_message.text()
    dlg.db_url.setText("mysql://hall@server/x")
    dlg.db_test.click()
    qtbot.waitUntil(lambda: "database.url" in dlg.db_message.text(), timeout=5000)


def test_save_with_unreachable_server_stays_open(qtbot, dialog, tmp_path):
    dlg = dialog()
    dlg.db_server.setChecked(True)
    dlg.db_url.setText(f"postgresql+psycopg://hall@127.0.0.1:{closed_port()}/counterdesk")
    dlg.save()
    qtbot.waitUntil(lambda: "拒绝连接" in dlg.db_message.text(), timeout=10_000)
    assert dlg.result() == 0 and dlg.saved is None
    assert not (tmp_path / "cfg" / "counterdesk.toml").exists()
    assert dlg.message.text()


def test_refused_printer_is_reported(qtbot, dialog):
    dlg = dialog()
    dlg.printer_type.setCurrentIndex(dlg.printer_type.findData("tcp"))
    dlg.printer_address.setText(f"127.0.0.1:{closed_port()}")
    dlg.printer_test.click()
    qtbot.waitUntil(lambda: dlg.printer_test.isEnabled() and "测试页没有打出" in
                    dlg.printer_message.text(), timeout=10_000)
    assert "拒绝连接" in dlg.printer_message.text()


def test_bad_printer_address_is_refused_before_sending(qtbot, dialog):
    dlg = dialog()
    dlg.printer_type.setCurrentIndex(dlg.printer_type.findData("usb"))
    dlg.printer_address.setText("not-a-vid")
    dlg.printer_test.click()
    assert "usb:VID:PID" in dlg.printer_message.text()
    dlg.save()
    assert dlg.saved is None and dlg.message.text()


def test_test_print_reaches_the_printer_and_settings_are_saved(qtbot, dialog, printer,
                                                               tmp_path):
    dlg = dialog()
    assert dlg.db_local.isChecked()
    dlg.hall_code.setText("HQ01")
    dlg.window_no.setValue(3)
    dlg.printer_type.setCurrentIndex(dlg.printer_type.findData("tcp"))
    dlg.printer_address.setText(printer.uri.removeprefix("tcp://"))
    dlg.printer_width.setCurrentIndex(dlg.printer_width.findData(58))
    dlg.printer_test.click()
    qtbot.waitUntil(lambda: "测试页已发送" in dlg.printer_message.text(), timeout=10_000)
    from counterdesk.print.escpos_doc import decode

    page = decode(printer.wait_for(1)[0])
    assert "打印测试" in page and "HQ01" in page
    assert all(len(line.encode("gbk")) <= 32 for line in page.splitlines())  # 58 mm: 32 cols
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.save()  # tests the local database first, then saves
    target = tmp_path / "cfg" / "counterdesk.toml"
    again = settings_mod.load(target)
    assert again.database.url == ""
    assert again.hall.code == "HQ01" and again.window.number == 3
    assert again.printer.uri == printer.uri and again.printer.width == 58
    assert again.printer.dots == 384
    assert dlg.saved == again


def test_server_url_saved_after_a_good_connection(qtbot, dialog, tmp_path, monkeypatch):
    url = "postgresql+psycopg://hall:pw@db.example/counterdesk"
    monkeypatch.setattr(firstrun, "check_database", lambda u: firstrun.DatabaseCheck(
        True, "postgresql", u, "current", "ok"))
    dlg = dialog()
    dlg.db_server.setChecked(True)
    dlg.db_url.setText(url)
    dlg.window_no.setValue(0)
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.save()
    path = tmp_path / "cfg" / "counterdesk.toml"
    again = settings_mod.load(path)
    # issue 23: the password went to the credential store; the file names the server only
    assert again.database.url == "postgresql+psycopg://hall@db.example/counterdesk"
    assert ":pw@" not in path.read_text(encoding="utf-8")
    assert again.database.effective_url() == url and again.window.number == 0
    assert again.printer.uri == ""


def test_broken_settings_file_is_explained_and_kept(qtbot, dialog, tmp_path):
    target = tmp_path / "cfg" / "counterdesk.toml"
    target.parent.mkdir(parents=True)
    target.write_text("[window]\nnumber = 'x'\n", encoding="utf-8")
    with pytest.raises(settings_mod.SettingsError) as err:
        settings_mod.load(target)
    dlg = dialog(problem=err.value.message)
    assert not dlg.problem.isHidden() and "window.number" in dlg.problem.text()
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.save()
    assert settings_mod.load(target).window.number == 1
    assert "'x'" in (target.parent / "counterdesk.toml.broken").read_text(encoding="utf-8")


def test_dialog_prefills_from_existing_settings(dialog):
    s = settings_mod.Settings()
    s.database.url = "postgresql+psycopg://a@b/c"
    s.window.number = 7
    s.printer.uri = "win32:POS-80"
    dlg = dialog(s)
    assert dlg.db_server.isChecked() and dlg.db_url.text() == s.database.url
    assert dlg.window_no.value() == 7
    assert dlg.printer_type.currentData() == "win32" and dlg.printer_address.text() == "POS-80"


def _ctx():
    ns = types.SimpleNamespace(db=None, config=None)
    return types.SimpleNamespace(args=ns, settings=settings_mod.Settings())


def test_needed_only_without_settings_file_db_or_config(tmp_path):
    assert first_run.needed(_ctx())
    with_db = _ctx()
    with_db.args.db = "sqlite:///x.sqlite3"
    assert not first_run.needed(with_db)
    with_config = _ctx()
    with_config.args.config = str(tmp_path / "c.toml")
    assert not first_run.needed(with_config)
    settings_mod.Settings().save(paths.default_settings_file())
    assert not first_run.needed(_ctx())
    broken = _ctx()
    broken.settings_error = settings_mod.SettingsError("坏", "bad")
    assert first_run.needed(broken)


def test_core_checks_without_qt(tmp_path):
    ok = firstrun.check_database("sqlite:///" + (tmp_path / "x" / "db.sqlite3").as_posix())
    assert ok.ok and ok.kind == "sqlite" and ok.state == "empty"
    bad = firstrun.check_database("mysql://a/b")
    assert not bad.ok and "database.url" in bad.message
    assert firstrun.printer_uri("tcp", "10.0.0.5") == "tcp://10.0.0.5"
    assert firstrun.printer_uri("none", "x") == ""
    assert firstrun.split_printer_uri("serial:COM3?baud=9600") == ("serial", "COM3?baud=9600")
    assert Path(paths.default_settings_file()).name == "counterdesk.toml"


# -- the database does not answer at start: Retry / Change settings… / Quit ------------------
def _when_modal(qtbot, kind, action):
    """Run ``action(widget)`` once a modal widget of ``kind`` is up (polled, no sleep)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll():
        w = QApplication.activeModalWidget()
        if isinstance(w, kind):
            action(w)
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(0, poll)


def _ctx_for(tmp_path):
    ctx = _ctx()
    ctx.args.config = str(tmp_path / "cfg" / "counterdesk.toml")
    ctx.close = lambda: None
    return ctx


def test_database_problem_quit_and_retry(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    ctx = _ctx_for(tmp_path)
    _when_modal(qtbot, QMessageBox, lambda box: box.button(QMessageBox.Close).click())
    assert first_run.database_problem(ctx, "无法连接数据库 x") == "quit"
    _when_modal(qtbot, QMessageBox, lambda box: box.button(QMessageBox.Retry).click())
    assert first_run.database_problem(ctx, "无法连接数据库 x") == "retry"


def test_database_problem_change_settings(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    ctx = _ctx_for(tmp_path)
    ctx.settings.database.url = f"postgresql+psycopg://hall@127.0.0.1:{closed_port()}/x"
    seen = {}

    def in_dialog(dlg):
        seen["problem"] = dlg.problem.text()
        dlg.db_local.setChecked(True)
        dlg.window_no.setValue(5)
        dlg.save()  # tests this PC's database, then saves and closes

    def click_change(box):
        _when_modal(qtbot, FirstRunDialog, in_dialog)
        next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ActionRole).click()

    _when_modal(qtbot, QMessageBox, click_change)
    assert first_run.database_problem(ctx, "无法连接数据库 x") == "retry"
    assert "无法连接数据库 x" in seen["problem"]
    assert ctx.settings.database.url == "" and ctx.settings.window.number == 5
    assert settings_mod.load(tmp_path / "cfg" / "counterdesk.toml").window.number == 5
    assert not (tmp_path / "cfg" / "counterdesk.toml.broken").exists()


def test_hall_and_window_must_exist_in_the_database(qtbot, dialog, sqlite_db, tmp_path):
    from counterdesk import setup

    setup.demo(sqlite_db)  # hall HQ01, windows 1-6
    dlg = dialog()
    dlg.db_server.setChecked(True)  # any URL: here the demo file
    dlg.db_url.setText(sqlite_db.url)
    dlg.hall_code.setText("HQ09")
    dlg.save()
    qtbot.waitUntil(lambda: "HQ09" in dlg.message.text(), timeout=10_000)
    assert "HQ01" in dlg.message.text() and "滨江" in dlg.db_message.text()
    dlg.hall_code.setText("hq01")
    dlg.window_no.setValue(9)
    dlg.save()
    assert "9" in dlg.message.text() and "1–6" in dlg.message.text() and dlg.saved is None
    dlg.window_no.setValue(6)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.save()
    again = settings_mod.load(tmp_path / "cfg" / "counterdesk.toml")
    assert again.hall.code == "HQ01" and again.window.number == 6


def test_workstation_shows_sign_in_then_explains_an_unreachable_database(qtbot, tmp_path):
    """The sign-in window comes first; the database that does not answer is explained
    over it (Retry / Change settings… / Quit), and Quit ends the start with status 1."""
    from PySide6.QtWidgets import QMessageBox

    from counterdesk.cli.context import Context
    from counterdesk.ui.shell import app as app_mod
    from counterdesk.ui.shell.signin import SignInDialog

    # English, like every other test: the workstation start sets the process-wide language
    ctx = Context(types.SimpleNamespace(db=None, lang="en",
                                        config=str(tmp_path / "cfg" / "counterdesk.toml")))
    ctx.settings.database.url = f"postgresql+psycopg://hall@127.0.0.1:{closed_port()}/x"
    seen = {}

    def quit_(box):
        seen["parent"] = type(box.parent()).__name__
        seen["visible"] = box.parent().isVisible()
        seen["text"] = box.text()
        box.button(QMessageBox.Close).click()

    import sys

    from PySide6.QtWidgets import QApplication

    from counterdesk import i18n

    before, hook = i18n.current(), sys.excepthook
    _when_modal(qtbot, QMessageBox, quit_)
    try:
        assert app_mod.run_workstation(ctx) == 1
    finally:
        sys.excepthook = hook
        i18n.set_language(before)
        app_mod.load_translations(QApplication.instance(), "en")
    assert seen["parent"] == SignInDialog.__name__ and seen["visible"]
    assert seen["text"]
