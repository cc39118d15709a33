"""Issue 18.2/18.3/18.21: every window and dialog fits the usable area of a 1366×768 hall PC.

A Windows taskbar and title bar leave about 1366×700; a top-level's minimum size (the
larger of ``minimumSize`` and ``minimumSizeHint``) must fit it, in Chinese and English,
with the bundled font and with a wider CJK font, also after the states that used to grow
the layout (pause banner, long names, inline errors). Every ``QDialog`` subclass of
``counterdesk.ui`` must have a factory here, so a new dialog cannot skip the check.
"""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget

import counterdesk.ui
from counterdesk import i18n
from counterdesk.settings import Settings
from counterdesk.ui.shell.app import apply_theme, load_fonts, load_translations
from counterdesk.ui.widgets.fit import USABLE

SMALL_SCREEN = QSize(960, 540)  # the kiosk and the display share one screen in a small hall
WIDE_FONT = "Droid Sans Fallback"  # wider and taller CJK metrics than the bundled font
LONG_NAME = "欧阳长名字测试用户名称特别长的客户姓名"


def _minimum(w: QWidget) -> QSize:
    return w.minimumSize().expandedTo(w.minimumSizeHint())


def _fits(w: QWidget, budget: QSize = USABLE) -> bool:
    m = _minimum(w)
    return m.width() <= budget.width() and m.height() <= budget.height()


def _job_form(dlg):
    from PySide6.QtWidgets import QFormLayout

    dlg.finish_form(QFormLayout(dlg))
    return dlg


def _dialog_classes() -> set[type]:
    found = set()
    for info in pkgutil.walk_packages(counterdesk.ui.__path__, "counterdesk.ui."):
        mod = import_module(info.name)
        for _name, obj in inspect.getmembers(mod, inspect.isclass):
            if issubclass(obj, QDialog) and obj.__module__ == mod.__name__ \
                    and not obj.__name__.startswith("_"):
                found.add(obj)
    return found


@pytest.fixture(params=[("zh_CN", None), ("en", None), ("zh_CN", WIDE_FONT), ("en", WIDE_FONT)],
                ids=["zh", "en", "zh-wide", "en-wide"])
def look(request, qapp):
    lang, family = request.param
    load_fonts()
    apply_theme(qapp)
    if family:
        f = qapp.font()
        f.setFamilies([family])
        qapp.setFont(f)
    i18n.set_language(lang)
    load_translations(qapp, lang)
    yield lang
    load_translations(qapp, "en")  # no translator installed, as the other tests expect
    apply_theme(qapp)


@pytest.fixture
def demo_db(sqlite_db):
    from counterdesk import setup

    setup.demo(sqlite_db)
    return sqlite_db


def _factories(db, clerk, manager):
    """Every dialog of the workstation, built the way the program builds it."""
    from counterdesk.accounts import types as accounts_types
    from counterdesk.i18n import pick
    from counterdesk.ui.accounts import dialogs as account_dialogs
    from counterdesk.ui.accounts import forms
    from counterdesk.ui.card.dialogs import CancelDialog
    from counterdesk.ui.complaints import dialogs as complaint_dialogs
    from counterdesk.ui.dayclose.dialog import DayCloseDialog, DayCloseDialogView
    from counterdesk.ui.payment.view import VoidDialog
    from counterdesk.ui.policy.screen import PolicyScreen
    from counterdesk.ui.prompts.editor import PhraseEditor, PhraseEditorView
    from counterdesk.ui.queue import dialogs as queue_dialogs
    from counterdesk.ui.queue.stats import QueueStatsDialog
    from counterdesk.ui.queue.stats_view import QueueStatsView
    from counterdesk.ui.shell import (
        cheatsheet,
        first_hall,
        first_run,
        settings_dialog,
        signin,
        staff_admin,
    )
    from counterdesk.ui.shell.bus import Workbench
    from counterdesk.ui.till import dialogs as till_dialogs
    from counterdesk.ui.widgets.approval import ApprovalDialog, JobForm
    from counterdesk.ui.widgets.listeditor import ListEditorDialog

    mbench = Workbench(db, manager, Settings())
    host = QWidget()  # the cheat sheet reads its parent window's actions
    services = [{"letter": c, "name": LONG_NAME} for c in "ABCD"]
    windows = [{"number": n, "services": list("ABCD"), "staff_no": f"100{n}",
                "staff_name": LONG_NAME[:4]} for n in range(1, 5)]
    return {
        forms.OpeningFormView: lambda: forms.OpeningFormView(),
        forms.TransferFormView: lambda: forms.TransferFormView("0100000001"),
        forms.RenameFormView: lambda: forms.RenameFormView("0100000001"),
        forms.CloseFormView: lambda: forms.CloseFormView("0100000001"),
        account_dialogs.SuspendDialog: lambda: account_dialogs.SuspendDialog("0100000001"),
        account_dialogs.ResumeDialog: lambda: account_dialogs.ResumeDialog("0100000001"),
        account_dialogs.RetypeDialog: lambda: account_dialogs.RetypeDialog(
            "0100000001", "resident", accounts_types.DEFAULT.choices()),
        complaint_dialogs.RecordDialog: lambda: complaint_dialogs.RecordDialog(),
        complaint_dialogs.ActionDialog: lambda: complaint_dialogs.ActionDialog("forward", "T0001"),
        DayCloseDialogView: lambda: DayCloseDialogView(),
        DayCloseDialog: lambda: DayCloseDialog(mbench),
        VoidDialog: lambda: VoidDialog([f"R{i:05d}" for i in range(30)]),
        CancelDialog: lambda: CancelDialog(pick(
            f"卡号 HQ0100000001：第 12 次购气 500 立方米 {LONG_NAME}",
            f"Card HQ0100000001: purchase 12, 500 m³ {LONG_NAME}")),
        PolicyScreen: lambda: PolicyScreen(db, manager),
        PhraseEditorView: lambda: PhraseEditorView(),
        PhraseEditor: lambda: PhraseEditor(db, manager),
        queue_dialogs.TransferDialog: lambda: queue_dialogs.TransferDialog(services, windows),
        queue_dialogs.PauseDialog: lambda: queue_dialogs.PauseDialog(30),
        QueueStatsView: lambda: QueueStatsView(),
        QueueStatsDialog: lambda: QueueStatsDialog(mbench),
        cheatsheet.CheatSheet: lambda: cheatsheet.CheatSheet(host),
        first_run.FirstRunView: lambda: first_run.FirstRunView(),
        first_run.FirstRunDialog: lambda: first_run.FirstRunDialog(Settings()),
        settings_dialog.SettingsDialogView: lambda: settings_dialog.SettingsDialogView(),
        settings_dialog.SettingsDialog: lambda: settings_dialog.SettingsDialog(Settings()),
        signin.SignInView: lambda: signin.SignInView(),
        signin.SignInDialog: lambda: signin.SignInDialog(db, Settings()),
        staff_admin.StaffAdmin: lambda: staff_admin.StaffAdmin(db, manager),
        ListEditorDialog: lambda: staff_admin.StaffAdmin(db, manager),  # the base's widest use
        staff_admin.ChangePassword: lambda: staff_admin.ChangePassword(db, clerk),
        till_dialogs.MovementDialog: lambda: till_dialogs.MovementDialog(),
        till_dialogs.CountersignDialog: lambda: till_dialogs.CountersignDialog(),
        till_dialogs.ReopenDialog: lambda: till_dialogs.ReopenDialog(),
        ApprovalDialog: lambda: _approval_dialog(ApprovalDialog()),
        JobForm: lambda: _job_form(JobForm()),     # the base: its refusal line and OK
        first_hall.FirstHallDialog: lambda: first_hall.FirstHallDialog(db, Settings()),
        first_hall.FirstHallView: lambda: first_hall.FirstHallView(Settings()),
    }, host


def _approval_dialog(dlg):
    dlg.build(LONG_NAME, intro=LONG_NAME * 4, reason_label=LONG_NAME)
    return dlg


def test_every_dialog_fits(qtbot, look, demo_db, clerk, manager):
    factories, host = _factories(demo_db, clerk, manager)
    qtbot.addWidget(host)
    missing = {c.__qualname__ for c in _dialog_classes()} - {c.__qualname__ for c in factories}
    assert not missing, f"dialogs without a size check: {sorted(missing)}"
    too_big = []
    for cls, make in factories.items():
        dlg = make()
        qtbot.addWidget(dlg)
        dlg.show()
        QApplication.processEvents()
        for field, label in getattr(dlg, "errors", {}).items():  # every inline error shown
            label.setText(f"{field}: {LONG_NAME}{LONG_NAME}")
            label.show()
        QApplication.processEvents()
        m = _minimum(dlg)
        if not _fits(dlg):
            too_big.append(f"{cls.__qualname__} {m.width()}×{m.height()}")
        dlg.close()
    assert not too_big, f"larger than {USABLE.width()}×{USABLE.height()}: {too_big}"


def test_main_window_fits_and_does_not_move_when_paused(qtbot, look, demo_db, clerk):
    from counterdesk.ui.shell.mainwindow import MainWindow

    s = Settings()
    s.ui.language = look
    win = MainWindow(demo_db, clerk, s)
    qtbot.addWidget(win)
    win.resize(USABLE)
    win.show()
    qtbot.waitExposed(win)
    assert _fits(win), _minimum(win)
    for _ in range(3):  # the splitter sizes itself after the first resize
        QApplication.processEvents()
    before = win.splitter.geometry()
    tabs = win.business.geometry()
    win.bench.window_paused.emit({"window": 1, "reason": LONG_NAME * 3,
                                  "expected_until": "2026-11-22T12:30:00"})
    QApplication.processEvents()
    assert win.workstation.banner.isVisible() and _fits(win), _minimum(win)
    # the banner has a strip of its own: the work area neither moves nor is covered
    assert win.splitter.geometry() == before and win.business.geometry() == tabs
    assert not win.panels["queue"].paused_box.isVisible()  # one sign: the queue column stays
    assert not win.workstation.banner.geometry().intersects(win.splitter.geometry())
    win.bench.window_resumed.emit({"window": 1})
    QApplication.processEvents()
    assert win.splitter.geometry() == before and win.size() == USABLE
    win.close()


def test_waiting_table_shows_every_service(qtbot, demo_db, clerk):
    from counterdesk.ui.shell.mainwindow import MainWindow

    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    win.resize(1366, 700)
    win.show()
    qtbot.waitExposed(win)
    queue = win.panels["queue"]
    queue.refresh()
    view = queue.waiting_view
    rows = queue.waiting_model.rowCount()
    assert rows >= 2
    qtbot.waitUntil(lambda: view.viewport().height() >= rows * view.rowHeight(0))
    win.close()


@pytest.mark.parametrize("screen", ["kiosk", "display"])
def test_hall_screens_work_in_a_small_window(qtbot, look, demo_db, screen):
    """Issue 18.21: kiosk and display share one 1920×1080 screen in a small hall."""
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.kiosk import Kiosk
    from counterdesk.ui.hall.voice_player import VoicePlayer

    if screen == "kiosk":
        w = Kiosk(demo_db, Settings(), poll=False, threaded=False)
    else:
        w = Display(demo_db, Settings(), player=VoicePlayer(lambda data: None),
                    threaded=False, hold_ms=0)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.is_ready)
    from counterdesk import queue

    w.apply_snapshot(queue.snapshot(demo_db, queue.hall_id_for(demo_db, "HQ01")))
    w.resize(SMALL_SCREEN)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    assert w.size() == SMALL_SCREEN and _fits(w, SMALL_SCREEN), _minimum(w)
    need = w.layout().minimumSize()  # nothing clipped: the fonts shrank to fit
    assert need.width() <= SMALL_SCREEN.width() and need.height() <= SMALL_SCREEN.height()
    w.close()


def test_kiosk_priority_toggle_says_its_state(qtbot, demo_db):
    from counterdesk.ui.hall.kiosk import Kiosk

    k = Kiosk(demo_db, Settings(), poll=False, threaded=False)
    qtbot.addWidget(k)
    qtbot.waitUntil(lambda: k.is_ready)
    off = k.priority.text()
    k.priority.setChecked(True)
    assert k.priority.text() != off and "✔" in k.priority.text()
    k.priority.setChecked(False)
    assert k.priority.text() == off


def test_display_says_not_open_and_dims_a_finished_call(qtbot, demo_db):
    """Issue 18.20: a window nobody has worked today is 未开放, not "—"; the big call
    dims when its ticket is finished or its window pauses."""
    from counterdesk import queue
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.voice_player import VoicePlayer

    d = Display(demo_db, Settings(), player=VoicePlayer(lambda data: None), threaded=False,
                hold_ms=0)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.is_ready)
    hall = queue.hall_id_for(demo_db, "HQ01")
    snap = queue.snapshot(demo_db, hall)
    d.apply_snapshot(snap)
    col = d.windows.index
    texts = [d.windows.data(col(r, 1)) for r in range(d.windows.rowCount())]
    assert texts and all(t in ("未开放", "Not open") for t in texts)
    snap["windows"][0].update(staff_no="1001", current={"number": "A001", "status": "called"})
    d.current.setText("A001  →  1")
    d.apply_snapshot(snap)
    assert d.windows.data(col(1, 1)) in ("未开放", "Not open") and "ffd600" in d.current.styleSheet()
    snap["windows"][0].update(current=None)  # finished
    d.apply_snapshot(snap)
    assert d.current.property("done") and "ffd600" not in d.current.styleSheet()
    assert d.current_text.text() == ""
    snap["windows"][0].update(current={"number": "A002", "status": "called"})
    d.current.setText("A002  →  1")
    d.apply_snapshot(snap)
    assert not d.current.property("done")
    snap["windows"][0].update(pause={"expected_until": "2026-11-22T12:30:00", "reason": "用餐",
                                     "window": 1})
    d.apply_snapshot(snap)  # the window paused with the call still up: dimmed
    assert d.current.property("done")
