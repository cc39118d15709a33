"""Issue 18.5: every theme passes WCAG AA (4.5:1) for the text of every screen.

The colours come from the palette and the style sheets (the widget's own and its
ancestors', parsed by :mod:`counterdesk.ui.widgets.theme`): each visible label, button
and field of the main window (a ticket called, a short tender shown), the kiosk, the
hall display, the customer screen and every dialog, in the normal and the high-contrast
theme.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from counterdesk import clock, queue
from counterdesk.settings import Settings
from counterdesk.ui.shell.app import apply_theme, load_fonts
from counterdesk.ui.widgets.jobs import Jobs
from counterdesk.ui.widgets.theme import AA, contrast, effective_colours, has_text, readable

from .test_fits_screen import _factories


@pytest.fixture
def demo_db(sqlite_db):
    from counterdesk import setup

    setup.demo(sqlite_db)
    return sqlite_db


@pytest.fixture(params=[False, True], ids=["normal", "high-contrast"])
def high(request, qapp):
    load_fonts()
    apply_theme(qapp, high_contrast=request.param)
    yield request.param
    apply_theme(qapp)


def _poor(top: QWidget) -> list[str]:
    QApplication.processEvents()
    bad = []
    for w in [top, *top.findChildren(QWidget)]:
        if has_text(w):
            fg, bg = effective_colours(w)
            ratio = contrast(fg, bg)
            if ratio < AA:
                bad.append(f"{type(w).__name__}#{w.objectName()} {w.text()[:20]!r} "
                           f"{fg.name()} on {bg.name()} = {ratio:.2f}")
    return bad


def test_the_arithmetic():
    assert round(contrast(QColor("black"), QColor("white")), 1) == 21.0
    assert contrast(QColor("#777777"), QColor("white")) < AA
    fixed = readable(QColor("#c0392b"), QColor("black"))
    assert contrast(fixed, QColor("black")) >= AA and fixed.red() > fixed.green()


def test_main_window(qtbot, high, demo_db, clerk, tmp_path):
    from counterdesk.ui.shell.mainwindow import MainWindow

    s = Settings()
    s.source = tmp_path / "s.toml"
    s.ui.high_contrast = high
    win = MainWindow(demo_db, clerk, s)
    qtbot.addWidget(win)
    win.workstation.restyle()
    win.resize(1366, 700)
    win.show()
    qtbot.waitExposed(win)
    queue.issue(demo_db, queue.kiosk_actor(demo_db, "HQ01"), "A")
    win.panels["queue"].refresh()
    win.bench.ticket_called.emit({"number": "A001", "waited_seconds": 25 * 60})
    win.bench.window_paused.emit({"window": 1, "reason": "用餐"})
    win.bench.status_message.emit("OK")
    # the tabs read their data off the GUI thread: what they show is checked too
    qtbot.waitUntil(lambda: not any(j.busy for j in win.findChildren(Jobs)), timeout=15000)
    bad = []
    for i in range(win.business.count()):  # every tab of the business area
        win.business.setCurrentIndex(i)
        bad += _poor(win)
    assert not bad, sorted(set(bad))
    win.workstation.action_contrast.setChecked(not high)  # switched while working
    bad = _poor(win)
    assert not bad, sorted(set(bad))
    win.close()


def test_hall_screens(qtbot, high, demo_db):
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.kiosk import Kiosk
    from counterdesk.ui.hall.voice_player import VoicePlayer

    clock.set_now(None)
    k = Kiosk(demo_db, Settings(), poll=False, threaded=False)
    d = Display(demo_db, Settings(), player=VoicePlayer(lambda data: None), threaded=False,
                hold_ms=0)
    for w in (k, d):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda w=w: w.is_ready)
    assert not _poor(k) and not _poor(d), _poor(k) + _poor(d)


def test_customer_screen_and_dialogs(qtbot, high, demo_db, clerk, manager):
    from counterdesk.ui.payment.customer_screen import CustomerScreen
    from counterdesk.ui.shell.bus import Workbench

    screen = CustomerScreen(Workbench(demo_db, clerk, Settings()))
    qtbot.addWidget(screen)
    screen.show()
    bad = _poor(screen)
    factories, host = _factories(demo_db, clerk, manager)
    qtbot.addWidget(host)
    for make in factories.values():
        dlg = make()
        qtbot.addWidget(dlg)
        dlg.show()
        bad += _poor(dlg)
        dlg.close()
    assert not bad, sorted(set(bad))
