"""Issue 17.8 and 17.9: the customer screen never takes the clerk's keyboard; Qt's own
buttons speak Chinese."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow, QPushButton

from counterdesk.settings import Settings
from counterdesk.ui.payment.customer_screen import attach
from counterdesk.ui.shell.app import load_qt_translations, load_translations
from counterdesk.ui.shell.bus import Workbench
from tests.helpers.quality_hall import qclerk, qdb  # noqa: F401  (fixtures)


def test_customer_screen_never_takes_focus(qtbot, qdb, qclerk):  # noqa: F811
    main = QMainWindow()
    qtbot.addWidget(main)
    main.show()
    screen = attach(Workbench(qdb, qclerk, Settings()), main, timeout_ms=1000)
    qtbot.addWidget(screen)
    assert screen.isWindow() and screen.isVisible()
    assert screen.windowFlags() & Qt.WindowDoesNotAcceptFocus
    assert screen.testAttribute(Qt.WA_ShowWithoutActivating)
    assert screen.parent() is None  # not owned: stays up when the main window is minimised
    rating = screen.findChildren(QPushButton)
    assert rating and all(b.focusPolicy() == Qt.NoFocus for b in rating)


def test_qt_own_buttons_are_chinese(qapp):
    try:
        assert load_qt_translations(qapp, "zh_CN") == 1
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        ok = box.button(QDialogButtonBox.Ok).text()
        cancel = box.button(QDialogButtonBox.Cancel).text()
        assert ok.startswith("确定") and cancel.startswith("取消"), (ok, cancel)
    finally:
        load_translations(qapp, "en")
    box = QDialogButtonBox(QDialogButtonBox.Ok)
    assert "OK" in box.button(QDialogButtonBox.Ok).text()
