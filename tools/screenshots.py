"""Screenshots of the clerk workstation, its dialogs and the hall screens for the README.

    python tools/screenshots.py [--out docs/screenshots]

Offscreen Qt, a fresh demo hall on a temporary SQLite file, clerk 1001 at window 1,
the clock fixed at 10:30 on a business day; a few tickets taken at 10:05 and one
called, so the queue panel shows a current ticket and the prompt panel the greeting
with the apology for the long wait.

Issue 18.2: every picture is a 1366×768 screen *with a window frame budget*: a title
bar above and a Windows taskbar below leave 1366×700 for the window's contents, which
is the size the window is given (a frameless render hid that it did not fit). Dialogs
are drawn at their own size over the dimmed workstation; the kiosk and the display in
a 960×540 window each (two screens sharing one monitor in a small hall). Saves
``workstation_<lang>_1366x768.png``, ``workstation_<lang>_1920x1080.png``,
``dialog_<name>_<lang>.png`` and ``kiosk_<lang>.png`` / ``display_<lang>.png``
for zh_CN and en.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

# a 1366×768 offscreen screen: dialogs size themselves against the screen they are on
_SCREEN = Path(tempfile.gettempdir()) / "counterdesk_screenshots_screen.json"
_SCREEN.write_text('{"screens": [{"name": "shot", "x": 0, "y": 0, "width": 1366, '
                   '"height": 768, "logicalDpi": 96, "dpr": 1}]}', encoding="utf-8")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN.as_posix()}"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1366, 768), (1920, 1080))  # screens; the frame takes TITLE + TASKBAR of them
TITLE, TASKBAR = 32, 36
LANGS = ("zh_CN", "en")
DAY = dt.date(2026, 11, 23)


def _prepare(db, clerk) -> bool:
    """Take tickets at 10:05 and return True when a queue exists to call from."""
    from counterdesk import clock

    try:
        from counterdesk import queue
    except ImportError:
        return False
    clock.set_now(dt.datetime.combine(DAY, dt.time(10, 5)))
    kiosk = queue.kiosk_actor(db, clerk.hall_code)
    for letter in "AABACAD":
        queue.issue(db, kiosk, letter)
    clock.set_now(dt.datetime.combine(DAY, dt.time(10, 30)))
    return True


def _call(win, app, db, clerk, have_queue: bool) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    if not have_queue:
        win.bench.ticket_called.emit({"number": "A001", "waited_seconds": 25 * 60})
        return
    from counterdesk import queue

    if queue.current(db, clerk) is None:
        f2 = next((a for a in win.findChildren(QAction)
                   if a.shortcut() == QKeySequence("F2")), None)
        if f2 is not None:
            f2.trigger()
            app.processEvents()
            return
        queue.call_next(db, clerk)
    ticket = queue.current(db, clerk)
    if ticket is not None:
        win.bench.current_ticket = ticket.to_dict()
        win.bench.ticket_called.emit(ticket.to_dict())


def _framed(content, screen: tuple[int, int], title: str, *, under=None, taskbar=True):
    """``content`` (a QPixmap) in a window frame on a ``screen``-sized picture: a title
    bar, the contents, a taskbar at the bottom; ``under`` (the screen behind a dialog)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QPainter, QPixmap

    w, h = screen
    img = QPixmap(w, h)
    img.fill(QColor("#3a6ea5"))
    p = QPainter(img)
    if under is not None:
        p.drawPixmap(0, 0, under)
        p.fillRect(0, 0, w, h, QColor(0, 0, 0, 90))
    cw, ch = content.width(), content.height()
    x = (w - cw) // 2 if under is not None else 0
    y = max(0, (h - TASKBAR - ch - TITLE) // 2) if under is not None else 0
    p.fillRect(QRect(x, y, cw, TITLE), QColor("#1f1f1f"))
    p.setPen(QColor("white"))
    p.drawText(QRect(x + 10, y, cw - 20, TITLE), Qt.AlignVCenter | Qt.AlignLeft, title)
    p.drawText(QRect(x, y, cw - 12, TITLE), Qt.AlignVCenter | Qt.AlignRight, "—   ☐   ✕")
    p.drawPixmap(x, y + TITLE, content)
    if under is None and taskbar:
        p.fillRect(QRect(0, h - TASKBAR, w, TASKBAR), QColor("#202020"))
        p.setPen(QColor("#dddddd"))
        p.drawText(QRect(12, h - TASKBAR, 300, TASKBAR), Qt.AlignVCenter, "⊞  CounterDesk")
    p.end()
    return img


def _dialogs(win, db, clerk):
    """(name, factory) of the dialogs a clerk and a manager meet most."""
    from counterdesk.ui.accounts.forms import OpeningFormView
    from counterdesk.ui.queue.dialogs import PauseDialog, TransferDialog
    from counterdesk.ui.shell.cheatsheet import CheatSheet
    from counterdesk.ui.shell.settings_dialog import SettingsDialog
    from counterdesk.ui.till.dialogs import MovementDialog

    snap = getattr(win.panels["queue"], "snap", None) or {"services": [], "windows": []}
    return [
        ("opening", lambda: OpeningFormView(win)),
        ("cheatsheet", lambda: CheatSheet(win, win)),
        ("settings", lambda: SettingsDialog(win.bench.settings, win)),
        ("transfer", lambda: TransferDialog(snap["services"], snap["windows"], win)),
        ("pause", lambda: PauseDialog(30, win)),
        ("till_movement", lambda: MovementDialog(win)),
    ]


def _hall_screens(app, db, settings, lang: str, out: Path) -> list[Path]:
    from PySide6.QtGui import QColor, QPainter, QPixmap

    from counterdesk import queue
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.kiosk import Kiosk
    from counterdesk.ui.hall.voice_player import VoicePlayer

    saved = []
    snap = queue.snapshot(db, queue.hall_id_for(db, settings.hall.code))
    for name, make in (("kiosk", lambda: Kiosk(db, settings, poll=False, threaded=False)),
                       ("display", lambda: Display(db, settings, poll=False, threaded=False,
                                                   player=VoicePlayer(lambda data: None)))):
        screen = make()
        while not screen.is_ready:   # the hall is read off the GUI thread
            app.processEvents()
        screen.apply_snapshot(snap)
        if name == "display":  # the call of window 1, as a display started mid-day shows it
            cur = next((w["current"] for w in snap["windows"] if w["current"]), None)
            if cur:
                screen.on_history([{"kind": "called", "number": cur["number"], "window": 1,
                                    "at": snap["at"], "id": 1}])
        screen.resize(960, 540)
        screen.show()
        for _ in range(3):
            app.processEvents()
        img = QPixmap(1366, 768)
        img.fill(QColor("#3a6ea5"))
        framed = _framed(screen.grab(), (960, 540 + TITLE), screen.windowTitle() or name,
                         taskbar=False)
        p = QPainter(img)
        p.drawPixmap(40, 40, framed)
        p.end()
        path = out / f"{name}_{lang}.png"
        img.save(str(path))
        saved.append(path)
        getattr(screen, "shutdown", lambda: None)()
        screen.close()
        screen.deleteLater()
    return saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from counterdesk import clock, i18n, setup, staff
    from counterdesk.db import Database
    from counterdesk.settings import Settings
    from counterdesk.ui.shell.app import apply_theme, load_fonts, load_translations

    app = QApplication.instance() or QApplication(["screenshots"])
    app.setProperty("cd_testing", True)
    load_fonts()
    apply_theme(app)
    saved = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COUNTERDESK_HOME"] = tmp
        clock.set_now(dt.datetime.combine(DAY, dt.time(8, 30)))
        db = Database("sqlite:///" + (Path(tmp) / "shots.sqlite3").as_posix())
        setup.demo(db)
        clerk = staff.sign_in(db, "1001", "123456", window=1)
        have_queue = _prepare(db, clerk)
        from counterdesk.ui.shell.mainwindow import MainWindow

        for lang in LANGS:
            i18n.set_language(lang)
            load_translations(app, lang)
            settings = Settings()
            settings.ui.language = lang
            for w, h in SIZES:
                win = MainWindow(db, clerk, settings)
                win.resize(w, h - TITLE - TASKBAR)  # what a framed window gets of the screen
                win.show()
                app.processEvents()
                _call(win, app, db, clerk, have_queue)
                for _ in range(3):
                    app.processEvents()
                shot = _framed(win.grab(), (w, h), win.windowTitle())
                path = out / f"workstation_{lang}_{w}x{h}.png"
                shot.save(str(path))
                saved.append(path)
                if w == 1366:
                    for name, make in _dialogs(win, db, clerk):
                        dlg = make()
                        dlg.show()  # polished: its size hint counts the real fonts
                        app.processEvents()
                        dlg.resize(dlg.sizeHint().boundedTo(win.size()))
                        for _ in range(2):
                            app.processEvents()
                        path = out / f"dialog_{name}_{lang}.png"
                        _framed(dlg.grab(), (w, h), dlg.windowTitle(), under=shot).save(
                            str(path))
                        saved.append(path)
                        dlg.close()
                        dlg.deleteLater()
                for panel in win.panels.values():
                    getattr(panel, "shutdown", lambda: None)()
                win.close()
                win.deleteLater()
                app.processEvents()
            saved += _hall_screens(app, db, settings, lang, out)
        db.dispose()
        clock.set_now(None)
    for p in saved:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
