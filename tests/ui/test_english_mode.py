"""English mode is complete (issue 18.22): walk every visible widget's text of the
workstation in English — after a call, with an account open and a payment ticket — and
fail on Chinese characters, except data (names, addresses, the hall's and the company's
names, phrases of the data) listed in ``_data_texts``."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextEdit,
)

from counterdesk import clock, i18n, queue, staff
from counterdesk.settings import Settings

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
ACCOUNT = "0100000033"


def visible_texts(win) -> list[tuple[str, str]]:
    """(where, text) of every visible widget, menu, tab, header and table cell."""
    out: list[tuple[str, str]] = []
    for w in win.findChildren(QLabel) + win.findChildren(QAbstractButton):
        if w.isVisibleTo(win) and w.text():
            out.append((type(w).__name__ + ":" + w.objectName(), w.text()))
    for w in win.findChildren(QLineEdit):
        if w.isVisibleTo(win):
            out.append(("QLineEdit:" + w.objectName(), w.placeholderText()))
    for w in win.findChildren(QTextEdit):
        if w.isVisibleTo(win):
            out.append(("QTextEdit:" + w.objectName(), w.toPlainText()))
    for w in win.findChildren(QGroupBox):
        if w.isVisibleTo(win):
            out.append(("QGroupBox:" + w.objectName(), w.title()))
    for w in win.findChildren(QComboBox):
        if w.isVisibleTo(win):
            out.append(("QComboBox:" + w.objectName(), w.currentText()))
    for w in win.findChildren(QTabWidget):
        out += [("tab", w.tabText(i)) for i in range(w.count())]
    for w in win.findChildren(QAbstractItemView):
        m = w.model()
        if m is None or not w.isVisibleTo(win):
            continue
        from PySide6.QtCore import QModelIndex, Qt

        root = QModelIndex()
        try:
            cols = m.columnCount(root)
        except TypeError:   # list models: one column
            cols = 1
        for c in range(cols):
            out.append(("header:" + w.objectName(), str(m.headerData(c, Qt.Horizontal) or "")))
            for r in range(min(m.rowCount(root), 30)):
                out.append((f"cell:{w.objectName()}", str(m.index(r, c).data() or "")))
    for top in win.menuBar().actions():
        out.append(("menu", top.text()))
        for a in (top.menu().actions() if top.menu() else []):
            out.append(("menu item", a.text()))
    return out


def test_english_workstation_shows_no_chinese_but_data(qtbot, demo_db):
    from counterdesk.ui.shell.mainwindow import MainWindow

    i18n.set_language("en")
    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    queue.issue(demo_db, kiosk, "A")
    clock.set_now(dt.datetime(2026, 11, 23, 10, 20))
    actor = staff.sign_in(demo_db, "1001", "123456", window=1)
    settings = Settings()
    settings.window.number = 1
    settings.ui.language = "en"
    win = MainWindow(demo_db, actor, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    try:
        win.panels["queue"].call_next()
        acc = win.panels["accounts"]
        with qtbot.waitSignal(acc.show_account(ACCOUNT).finished, timeout=5000):
            pass
        QApplication.processEvents()
        data = _data_texts(demo_db)
        leaks = []
        for tab in range(win.business.count()):
            win.business.setCurrentIndex(tab)
            QApplication.processEvents()
            for where, text in visible_texts(win):
                rest = text
                for d in data:
                    rest = rest.replace(d, "")
                if CJK.search(rest):
                    leaks.append(f"{where}: {text!r}")
        leaks = sorted(set(leaks))
        assert not leaks, "Chinese on the English screen:\n" + "\n".join(leaks)
    finally:
        for p in win.panels.values():
            getattr(p, "shutdown", lambda: None)()
        win.close()


def _data_texts(db) -> list[str]:
    """Data, shown as stored in either language: staff names, the hall and company, and
    every text column of accounts, holders and complaints (names, addresses, meter types,
    the hall's complaint categories)."""
    from sqlalchemy import String, select

    from counterdesk.models import Hall, Staff
    from counterdesk.models.accounts import Account, Holder
    from counterdesk.models.quality import Complaint

    out: list[str] = []
    with db.read() as s:
        out += list(s.execute(select(Staff.name)).scalars())
        for h in s.execute(select(Hall)).scalars():
            out += [h.name, h.company_name, h.company_short, h.address]
        for model in (Account, Holder, Complaint):
            cols = [c for c in model.__table__.columns if isinstance(c.type, String)]
            for row in s.execute(select(*cols)).all():
                out += [str(v) for v in row if v]
    out += [x for v in out for x in v.split()]   # parts shown apart (刘先生 139****1111)
    return sorted({x for x in out if x and CJK.search(x)}, key=len, reverse=True)
