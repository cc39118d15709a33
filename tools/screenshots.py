"""Screenshots of the clerk workstation for the README.

    python tools/screenshots.py [--out docs/screenshots]

Offscreen Qt, a fresh demo hall on a temporary SQLite file, clerk 1001 at window 1,
the clock fixed at 10:30 on a business day. When the queue capability is installed, a
few tickets are taken at 10:05 and one is called (by the queue panel's F2 if present),
so the queue panel shows a current ticket and the prompt panel the greeting with the
apology for the long wait. Saves ``workstation_<lang>_<W>x<H>.png`` for zh_CN and en at
1366×768 and 1920×1080.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1366, 768), (1920, 1080))
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
                win.resize(w, h)
                win.show()
                app.processEvents()
                _call(win, app, db, clerk, have_queue)
                for _ in range(3):
                    app.processEvents()
                path = out / f"workstation_{lang}_{w}x{h}.png"
                win.grab().save(str(path))
                saved.append(path)
                for panel in win.panels.values():
                    getattr(panel, "shutdown", lambda: None)()
                win.close()
                win.deleteLater()
                app.processEvents()
        db.dispose()
        clock.set_now(None)
    for p in saved:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
